/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The part of a PCI device's state that binding changes and restore gives
 * back: its driver, driver_override and sriov_numvfs, read from sysfs.
 */
#ifndef SNOOP_DEVSTATE_H
#define SNOOP_DEVSTATE_H

#include <stdbool.h>
#include <stddef.h>

struct dev_state {
	char driver[64];		/* "" when unbound */
	char override[64];		/* driver_override, "" when unset */
	int sriov_numvfs;		/* -1 when not an SR-IOV PF */
};

/* 0, or -errno with why filled (device gone, override too long, ...). */
int devstate_read(const char *bdf, struct dev_state *s, char *why, size_t len);
bool devstate_equal(const struct dev_state *a, const struct dev_state *b);
/* "driver nvme, no override, no SR-IOV", for messages. */
void devstate_describe(const struct dev_state *s, char *buf, size_t len);

/* vfio-pci itself or one of its variant drivers (mlx5_vfio_pci, ...). */
bool driver_is_vfio(const char *driver);
/*
 * Drivers that set driver_managed_dma (pcieport, pci-stub; see
 * drivers/pci/pci-driver.c pci_dma_configure): the kernel lets a VFIO group
 * be viable while they stay bound, so group members on them are left alone.
 */
bool driver_keeps_group_viable(const char *driver);

#endif
