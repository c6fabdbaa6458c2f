// SPDX-License-Identifier: GPL-2.0-only
#include "suite/devready.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "discover/iommu.h"
#include "suite/target.h"
#include "sysfs/sysroot.h"

void devready_driver(const char *bdf, char *drv, size_t len)
{
	char path[128];

	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	if (sysfs_link_name(path, drv, len))
		drv[0] = '\0';
}

const char *devready_vfio(const char *bdf, char *why, size_t len)
{
	if (!bdf)
		return "no device given: pass its BDF (or SNOOPCHECK_DEVICE=BDF)";
	return target_check_vfio(bdf, why, len) ? why : NULL;
}

int devready_unit(const char *bdf, struct iommu_unit *u)
{
	char path[256], name[sizeof(u->name)];

	memset(u, 0, sizeof(*u));
	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu", bdf);
	if (sysfs_link_name(path, name, sizeof(name)))
		return -ENOENT;
	iommu_unit_read(u, name, NULL);
	return 0;
}

int devready_unit_can_enforce(const char *bdf, char *unit, size_t len, uint64_t *ecap)
{
	struct iommu_unit u;
	enum fact can;

	*ecap = 0;
	unit[0] = '\0';
	if (devready_unit(bdf, &u))
		return -1;
	snprintf(unit, len, "%s", u.name);
	/* Read the unit as discovery does, so suites and the platform record
	 * agree on what it can enforce. */
	if (u.kind == IOMMU_KIND_INTEL_VTD)
		*ecap = u.ecap;
	can = iommu_unit_can_enforce(&u);
	return can == FACT_UNKNOWN ? -1 : can == FACT_YES;
}
