// SPDX-License-Identifier: GPL-2.0-only
#include "vfio/dma.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "vfio/attach.h"

static size_t page_size(void)
{
	return (size_t)sysconf(_SC_PAGESIZE);
}

int dma_buf_alloc(struct dma_buf *b, size_t size)
{
	size_t ps = page_size();
	uint8_t *base;

	memset(b, 0, sizeof(*b));
	if (!size || size > SIZE_MAX - 3 * ps)
		return -EINVAL;
	b->size = (size + ps - 1) & ~(ps - 1);
	b->base_size = b->size + 2 * ps;
	/*
	 * Shared, not private: the kernel pins these pages for the device,
	 * and a later fork() must not let copy-on-write move the CPU's view
	 * away from the pages the device writes.
	 */
	base = mmap(NULL, b->base_size, PROT_NONE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return -errno;
	b->base = base;
	b->va = base + ps;
	if (mprotect(b->va, b->size, PROT_READ | PROT_WRITE)) {
		int e = errno;

		munmap(base, b->base_size);
		memset(b, 0, sizeof(*b));
		return -e;
	}
	/* Best effort: shmem rarely uses huge pages anyway. */
	madvise(b->va, b->size, MADV_NOHUGEPAGE);
	memset(b->va, 0, b->size);
	return 0;
}

int dma_buf_map(struct dma_buf *b, struct attach *a, struct iova_space *s)
{
	uint64_t iova;
	int ret;

	if (b->mapped)
		return -EBUSY;
	ret = iova_alloc(s, b->size, &iova);
	if (ret) {
		snprintf(a->reason, sizeof(a->reason),
			 "no free IOVA for %zu bytes in the allowed ranges", b->size);
		return ret;
	}
	ret = attach_map(a, iova, b->va, b->size);
	if (ret)
		return ret;
	b->iova = iova;
	b->mapped = true;
	return 0;
}

int dma_buf_unmap(struct dma_buf *b, struct attach *a)
{
	int ret;

	if (!b->mapped)
		return 0;
	ret = attach_unmap(a, b->iova, b->size);
	if (!ret)
		b->mapped = false;
	return ret;
}

void dma_buf_free(struct dma_buf *b, struct attach *a)
{
	if (b->mapped && a)
		dma_buf_unmap(b, a);
	if (b->base)
		munmap(b->base, b->base_size);
	memset(b, 0, sizeof(*b));
}
