/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IOVA space of one attached device: the ranges the kernel allows in its
 * IOMMU domain (reserved regions such as the x86 MSI window are holes),
 * clipped to what the device can address, handed out bottom-up. IOVAs are
 * never reused, so a test that unmaps one knows nothing else sits there.
 */
#ifndef SNOOP_IOVA_H
#define SNOOP_IOVA_H

#include <stddef.h>
#include <stdint.h>

#include "vfio/handle.h"

#define IOVA_MAX_RANGES 32

struct iova_range {
	uint64_t start;
	uint64_t last;		/* inclusive */
};

struct iova_space {
	struct iova_range r[IOVA_MAX_RANGES];
	size_t n;
	uint64_t align;		/* page size or the kernel's alignment */
	uint64_t next;		/* lowest IOVA not handed out yet */
};

/*
 * Ask the kernel for the allowed ranges of a's domain (VFIO_IOMMU_GET_INFO
 * with the IOVA-range capability on a container, IOMMU_IOAS_IOVA_RANGES on
 * an IOAS) and keep the part at or below dma_mask. 0 or -errno with
 * a->reason set.
 */
int iova_space_query(struct iova_space *s, struct attach *a, uint64_t dma_mask);

/*
 * Build a space from known ranges (sorted or not), clipped to dma_mask.
 * Allocation starts at 1 MiB so a device that DMAs to address 0 by
 * mistake hits nothing of ours. -EINVAL when nothing usable is left.
 */
int iova_space_init(struct iova_space *s, const struct iova_range *r,
		    size_t n, uint64_t dma_mask, uint64_t align);

/* Hand out size bytes (rounded up to align), aligned. 0 or -ENOSPC. */
int iova_alloc(struct iova_space *s, uint64_t size, uint64_t *iova);

#endif
