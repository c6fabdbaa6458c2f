/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Memory a device reaches by DMA: anonymous, page-aligned, ordinary pages
 * (no huge pages, so the IOMMU maps exactly the pages we asked for), with
 * an inaccessible guard page on each side so a stray CPU access faults.
 * Mapped at an IOVA from an iova_space through the attach handle.
 */
#ifndef SNOOP_DMA_H
#define SNOOP_DMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vfio/handle.h"
#include "vfio/iova.h"

struct dma_buf {
	uint8_t *va;		/* first byte of the buffer */
	size_t size;		/* whole pages */
	uint64_t iova;		/* where the device sees va, while mapped */
	bool mapped;
	void *base;		/* the mmap, guard pages included */
	size_t base_size;
};

/* Zero-filled buffer of size bytes (rounded up to pages). 0 or -errno. */
int dma_buf_alloc(struct dma_buf *b, size_t size);
/* Map b at a fresh IOVA from s. 0 or -errno (a->reason says why). */
int dma_buf_map(struct dma_buf *b, struct attach *a, struct iova_space *s);
/* Take the mapping away; the memory stays for the CPU. 0 or -errno. */
int dma_buf_unmap(struct dma_buf *b, struct attach *a);
/* Unmap if mapped, then free. Safe on a zeroed or freed buffer. */
void dma_buf_free(struct dma_buf *b, struct attach *a);

#endif
