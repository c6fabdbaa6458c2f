/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The evidence one device's verdict is decided from, put together from
 * what discovery said about the device and its IOMMU unit, what the
 * suites' evidence tallied to, and the driver the run left it on. runner
 * run gathers it from the live platform, runner validate from the platform
 * a results file recorded: one place, so both decide alike.
 */
#ifndef SNOOP_GATHER_H
#define SNOOP_GATHER_H

#include "discover/iommu.h"
#include "discover/pci.h"
#include "judge/tally.h"
#include "judge/verdict.h"

/*
 * d: the device as discovered (NULL: not found); u: the unit serving it
 * (NULL: none); dt: its tally (NULL: no evidence); after: the driver it
 * was left on ("" none, NULL not known: then no restore failure is seen).
 */
void gather_evidence(const struct pci_device_info *d, const struct iommu_unit *u,
		     const struct device_tally *dt, const char *after,
		     struct verdict_evidence *e);

#endif
