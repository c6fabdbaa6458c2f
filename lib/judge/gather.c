// SPDX-License-Identifier: GPL-2.0-only
#include "judge/gather.h"

#include <string.h>

void gather_evidence(const struct pci_device_info *d, const struct iommu_unit *u,
		     const struct device_tally *dt, const char *after,
		     struct verdict_evidence *e)
{
	memset(e, 0, sizeof(*e));
	e->has_unit = u != NULL;
	e->unit_can_enforce = u ? u->enforces_coherency : FACT_UNKNOWN;
	e->hw_info_agrees = e->snp_matches = FACT_UNKNOWN;
	if (dt)
		tally_evidence(dt, e);
	e->ens = d ? d->ens : FACT_UNKNOWN;
	e->integrated = d && pcie_is_integrated(d->pcie_type);
	e->conventional_pci = d && d->pcie_cap == 0 && d->config_size >= 256;
	e->driver_class = d ? d->allow : ALLOW_UNKNOWN;
	e->restore_failed = d && after && strcmp(after, d->driver);
}
