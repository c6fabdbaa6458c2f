/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the attach suites ask of a device before they touch it: is it on
 * vfio-pci behind an IOMMU, and can the unit that serves it enforce cache
 * coherency. Read through sysroot, so the answers are the live machine's.
 */
#ifndef SNOOP_DEVREADY_H
#define SNOOP_DEVREADY_H

#include <stddef.h>
#include <stdint.h>

#include "discover/iommu.h"

/*
 * NULL when bdf sits in an IOMMU group and is bound to vfio-pci. Else the
 * reason, with the command that fixes it, written into why (or a constant
 * string when bdf is NULL).
 */
const char *devready_vfio(const char *bdf, char *why, size_t len);

/*
 * The IOMMU unit serving bdf, read as discovery reads it (its name, kind
 * and registers). 0, or -ENOENT when no unit serves it.
 */
int devready_unit(const char *bdf, struct iommu_unit *u);

/*
 * Can the IOMMU unit serving bdf block No-Snoop? 1 or 0: VT-d ECAP Snoop
 * Control, AMD-Vi always 1. -1: no unit, or its registers are unreadable.
 * unit gets the unit's name ("dmar0"; "" when none); ecap the raw VT-d ECAP
 * (0 elsewhere).
 */
int devready_unit_can_enforce(const char *bdf, char *unit, size_t len, uint64_t *ecap);

/* The driver bound to bdf into drv ("" when none). */
void devready_driver(const char *bdf, char *drv, size_t len);

#endif
