/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One VFIO device attached to an IOMMU domain through one of the kernel's
 * user-space paths. The attach suite proves each path; the DMA engines and
 * the pcie suite use whichever path they are given through this handle.
 * Implemented in lib/vfio/attach.c over lib/vfio/vfio.c (group/container) and
 * lib/vfio/iommufd.c (cdev + iommufd); the handle itself is lib/vfio/handle.h.
 */
#ifndef SNOOP_ATTACH_H
#define SNOOP_ATTACH_H

#include <stddef.h>
#include <stdint.h>

#include "vfio/handle.h"

/*
 * Open bdf (already bound to vfio-pci) through path. Returns 0; -EOPNOTSUPP
 * when this kernel lacks the path (reason says what is missing); another
 * -errno on failure (reason says which step). a->reason is always set on
 * failure.
 */
int attach_open(struct attach *a, const char *bdf, enum attach_path path);
void attach_close(struct attach *a);

/* Map/unmap user memory for device DMA, read+write. 0 or -errno;
 * unmapping where nothing is mapped is -ENOENT on every path. */
int attach_map(struct attach *a, uint64_t iova, void *vaddr, size_t size);
int attach_unmap(struct attach *a, uint64_t iova, size_t size);

/*
 * Cache-coherency enforcement as the kernel reports it for the domain the
 * device is attached to: VFIO_CHECK_EXTENSION(VFIO_DMA_CC_IOMMU) on the
 * container, or for native iommufd through IOMMU_VFIO_IOAS. 1, 0 or -errno.
 */
int attach_enforced(struct attach *a);

/*
 * The serving unit's raw VT-d registers through IOMMU_GET_HW_INFO (native
 * iommufd paths only; -EOPNOTSUPP elsewhere or on another IOMMU).
 */
int attach_hw_info_vtd(struct attach *a, uint64_t *cap, uint64_t *ecap);

#endif
