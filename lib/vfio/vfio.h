/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The VFIO group/container paths: type1 and type1v2 on /dev/vfio/vfio, and
 * iommufd's compatibility container (/dev/iommu used as the container).
 * Every function returns 0 or -errno and says why in a->reason.
 */
#ifndef SNOOP_VFIO_H
#define SNOOP_VFIO_H

#include <stddef.h>
#include <stdint.h>

#include "vfio/handle.h"

int vfio_group_attach(struct attach *a, const char *bdf, enum attach_path path);
void vfio_group_detach(struct attach *a);
/*
 * Add bdf's group to owner's container (one container per address space,
 * as a VMM keeps it) and open the device: type1 attaches the group there,
 * the iommufd container attaches the device to its IOAS at GET_DEVICE_FD.
 * The container descriptor is duplicated, so either handle closes safely.
 */
int vfio_group_join(struct attach *a, const struct attach *owner, const char *bdf);
int vfio_container_map(struct attach *a, uint64_t iova, void *vaddr, size_t size);
int vfio_container_unmap(struct attach *a, uint64_t iova, size_t size);
/* Is bdf's IOMMU group viable, as VFIO_GROUP_GET_STATUS says (no member
 * on a host driver)? 1, 0 or -errno; group gets the group's number. */
int vfio_group_viable(const char *bdf, char *group, size_t len);
/* VFIO_CHECK_EXTENSION(VFIO_DMA_CC_IOMMU) on fd: 1, 0 or -errno. */
int vfio_cc_extension(int fd);

#endif
