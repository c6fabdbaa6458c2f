// SPDX-License-Identifier: GPL-2.0-only
#include "vfio/iova.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/vfio.h>

#define IOVA_FLOOR (1ULL << 20)

static int cmp_range(const void *x, const void *y)
{
	const struct iova_range *a = x, *b = y;

	return a->start < b->start ? -1 : a->start > b->start;
}

int iova_space_init(struct iova_space *s, const struct iova_range *r,
		    size_t n, uint64_t dma_mask, uint64_t align)
{
	memset(s, 0, sizeof(*s));
	s->align = align ? align : 4096;
	for (size_t i = 0; i < n && s->n < IOVA_MAX_RANGES; i++) {
		struct iova_range c = r[i];

		if (c.start > c.last || c.start > dma_mask)
			continue;
		if (c.last > dma_mask)
			c.last = dma_mask;
		s->r[s->n++] = c;
	}
	qsort(s->r, s->n, sizeof(s->r[0]), cmp_range);
	s->next = IOVA_FLOOR;
	return s->n ? 0 : -EINVAL;
}

int iova_alloc(struct iova_space *s, uint64_t size, uint64_t *iova)
{
	uint64_t a = s->align;

	if (!size || size > UINT64_MAX - a)
		return -ENOSPC;
	size = (size + a - 1) & ~(a - 1);
	for (size_t i = 0; i < s->n; i++) {
		uint64_t start = s->next > s->r[i].start ? s->next : s->r[i].start;

		if (start > UINT64_MAX - (a - 1))
			return -ENOSPC;
		start = (start + a - 1) & ~(a - 1);
		/* start + size - 1 <= last, written so nothing overflows */
		if (start > s->r[i].last || s->r[i].last - start < size - 1)
			continue;
		*iova = start;
		s->next = start + size;
		return 0;
	}
	return -ENOSPC;
}

/* The IOVA-range capability in the chain after a vfio_iommu_type1_info. */
static int ranges_from_container(int fd, struct iova_range *out, size_t *n,
				 char *reason, size_t rlen)
{
	struct vfio_iommu_type1_info probe = { .argsz = sizeof(probe) };
	struct vfio_iommu_type1_info *info;
	struct vfio_info_cap_header *hdr;
	uint32_t off;
	int ret = -ENOENT;

	if (ioctl(fd, VFIO_IOMMU_GET_INFO, &probe)) {
		ret = -errno;
		snprintf(reason, rlen, "VFIO_IOMMU_GET_INFO: %s", strerror(errno));
		return ret;
	}
	info = calloc(1, probe.argsz);
	if (!info)
		return -ENOMEM;
	info->argsz = probe.argsz;
	if (ioctl(fd, VFIO_IOMMU_GET_INFO, info)) {
		ret = -errno;
		snprintf(reason, rlen, "VFIO_IOMMU_GET_INFO: %s", strerror(errno));
		goto out;
	}
	if (!(info->flags & VFIO_IOMMU_INFO_CAPS) || !info->cap_offset) {
		snprintf(reason, rlen, "VFIO_IOMMU_GET_INFO has no capability chain");
		goto out;
	}
	for (off = info->cap_offset; off; off = hdr->next) {
		struct vfio_iommu_type1_info_cap_iova_range *cap;

		if (off + sizeof(*hdr) > info->argsz)
			break;
		hdr = (struct vfio_info_cap_header *)((char *)info + off);
		if (hdr->id != VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE)
			continue;
		cap = (void *)hdr;
		*n = 0;
		for (uint32_t i = 0; i < cap->nr_iovas && *n < IOVA_MAX_RANGES; i++) {
			out[*n].start = cap->iova_ranges[i].start;
			out[*n].last = cap->iova_ranges[i].end;
			(*n)++;
		}
		ret = 0;
		goto out;
	}
	snprintf(reason, rlen, "VFIO_IOMMU_GET_INFO has no IOVA range capability");
out:
	free(info);
	return ret;
}

static int ranges_from_ioas(int iommufd, uint32_t ioas_id,
			    struct iova_range *out, size_t *n, uint64_t *align,
			    char *reason, size_t rlen)
{
	struct iommu_iova_range r[IOVA_MAX_RANGES];
	struct iommu_ioas_iova_ranges cmd = {
		.size = sizeof(cmd),
		.ioas_id = ioas_id,
		.num_iovas = IOVA_MAX_RANGES,
		.allowed_iovas = (uintptr_t)r,
	};

	if (ioctl(iommufd, IOMMU_IOAS_IOVA_RANGES, &cmd)) {
		int e = errno;

		snprintf(reason, rlen, "IOMMU_IOAS_IOVA_RANGES: %s%s", strerror(e),
			 e == EMSGSIZE ? " (more ranges than we keep)" : "");
		return -e;
	}
	*n = cmd.num_iovas < IOVA_MAX_RANGES ? cmd.num_iovas : IOVA_MAX_RANGES;
	for (size_t i = 0; i < *n; i++) {
		out[i].start = r[i].start;
		out[i].last = r[i].last;
	}
	*align = cmd.out_iova_alignment;
	return 0;
}

int iova_space_query(struct iova_space *s, struct attach *a, uint64_t dma_mask)
{
	struct iova_range r[IOVA_MAX_RANGES];
	uint64_t align = (uint64_t)sysconf(_SC_PAGESIZE);
	size_t n = 0;
	int ret;

	if (a->container_fd >= 0)
		ret = ranges_from_container(a->container_fd, r, &n,
					    a->reason, sizeof(a->reason));
	else
		ret = ranges_from_ioas(a->iommufd, a->ioas_id, r, &n, &align,
				       a->reason, sizeof(a->reason));
	if (ret)
		return ret;
	if ((long)align < sysconf(_SC_PAGESIZE))
		align = (uint64_t)sysconf(_SC_PAGESIZE);
	ret = iova_space_init(s, r, n, dma_mask, align);
	if (ret)
		snprintf(a->reason, sizeof(a->reason),
			 "no allowed IOVA range below the device's DMA mask 0x%llx",
			 (unsigned long long)dma_mask);
	return ret;
}
