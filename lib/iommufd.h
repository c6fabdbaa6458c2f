/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Native iommufd: the VFIO device cdev bound to an iommufd, attached to an
 * IOAS (the kernel picks the domain) or to an explicitly allocated HWPT.
 * Every function returns 0 or -errno and says why in a->reason.
 */
#ifndef SNOOP_IOMMUFD_H
#define SNOOP_IOMMUFD_H

#include "attach.h"

int iommufd_attach(struct attach *a, const char *bdf, enum attach_path path);
void iommufd_detach(struct attach *a);
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
