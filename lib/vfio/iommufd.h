/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Native iommufd: the VFIO device cdev bound to an iommufd, attached to an
 * IOAS (the kernel picks the domain) or to an explicitly allocated HWPT.
 * Every function returns 0 or -errno and says why in a->reason.
 */
#ifndef SNOOP_IOMMUFD_H
#define SNOOP_IOMMUFD_H

#include <stddef.h>
#include <stdint.h>

#include "vfio/handle.h"

int iommufd_attach(struct attach *a, const char *bdf, enum attach_path path);
void iommufd_detach(struct attach *a);

/*
 * The pieces, for suites that put several devices on one iommufd. Handles
 * made here are native (attach_close() and attach_enforced() work on them).
 *   iommufd_open_bound: a new iommufd, bdf bound to it, an empty IOAS; not
 *     attached yet.
 *   iommufd_join: bind bdf to owner's iommufd and share owner's IOAS (a
 *     duplicated descriptor, so closing either handle is safe).
 *   iommufd_hwpt_alloc: a HWPT in a's IOAS allocated for device dev_id;
 *     its cache coherency is fixed by that device, for good.
 *   iommufd_attach_pt: attach a's device to an IOAS or a HWPT.
 */
int iommufd_open_bound(struct attach *a, const char *bdf);
int iommufd_join(struct attach *a, const struct attach *owner, const char *bdf);
int iommufd_hwpt_alloc(struct attach *a, uint32_t dev_id, uint32_t *hwpt_id);
int iommufd_attach_pt(struct attach *a, uint32_t pt_id);
int iommufd_map(struct attach *a, uint64_t iova, void *vaddr, size_t size);
int iommufd_unmap(struct attach *a, uint64_t iova, size_t size);
/* The IOAS's effective enforcement: IOMMU_VFIO_IOAS(SET), then the CC
 * extension on the iommufd. 1, 0 or -errno. */
int iommufd_enforced(struct attach *a);
/* IOMMU_GET_HW_INFO for an Intel unit: raw cap_reg and ecap_reg. */
int iommufd_hw_info_vtd(struct attach *a, uint64_t *cap, uint64_t *ecap);
/* Allowed IOVA ranges of the IOAS (IOMMU_IOAS_IOVA_RANGES); n in/out. */
int iommufd_iova_ranges(struct attach *a, uint64_t (*ranges)[2], uint32_t *n);

#endif
