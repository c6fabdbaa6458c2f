// SPDX-License-Identifier: GPL-2.0-only
#include "vfio/attach.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "vfio/iommufd.h"
#include "vfio/vfio.h"

static bool native(const struct attach *a)
{
	return a->path == ATTACH_IOMMUFD_IOAS || a->path == ATTACH_IOMMUFD_HWPT;
}

int attach_open(struct attach *a, const char *bdf, enum attach_path path)
{
	int ret;

	attach_init(a, bdf, path);
	if (path >= ATTACH_NR_PATHS) {
		snprintf(a->reason, sizeof(a->reason), "no such attach path %d", path);
		return -EINVAL;
	}
	ret = native(a) ? iommufd_attach(a, bdf, path) : vfio_group_attach(a, bdf, path);
	if (ret) {
		char why[sizeof(a->reason)];

		/* Keep the reason; closing must not overwrite it. */
		memcpy(why, a->reason, sizeof(why));
		attach_close(a);
		memcpy(a->reason, why, sizeof(why));
	}
	return ret;
}

void attach_close(struct attach *a)
{
	if (native(a))
		iommufd_detach(a);
	else
		vfio_group_detach(a);
}

int attach_map(struct attach *a, uint64_t iova, void *vaddr, size_t size)
{
	return native(a) ? iommufd_map(a, iova, vaddr, size) :
			   vfio_container_map(a, iova, vaddr, size);
}

int attach_unmap(struct attach *a, uint64_t iova, size_t size)
{
	return native(a) ? iommufd_unmap(a, iova, size) : vfio_container_unmap(a, iova, size);
}

int attach_enforced(struct attach *a)
{
	return native(a) ? iommufd_enforced(a) : vfio_cc_extension(a->container_fd);
}

int attach_hw_info_vtd(struct attach *a, uint64_t *cap, uint64_t *ecap)
{
	if (!native(a)) {
		snprintf(a->reason, sizeof(a->reason),
			 "IOMMU_GET_HW_INFO needs a device bound to iommufd (native paths)");
		return -EOPNOTSUPP;
	}
	return iommufd_hw_info_vtd(a, cap, ecap);
}
