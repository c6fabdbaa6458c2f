// SPDX-License-Identifier: GPL-2.0-only
#include "vfio/handle.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const names[ATTACH_NR_PATHS] = {
	[ATTACH_TYPE1] = "type1",
	[ATTACH_TYPE1V2] = "type1v2",
	[ATTACH_IOMMUFD_COMPAT] = "iommufd-compat",
	[ATTACH_IOMMUFD_IOAS] = "iommufd-ioas",
	[ATTACH_IOMMUFD_HWPT] = "iommufd-hwpt",
};

const char *attach_path_name(enum attach_path path)
{
	return path < ATTACH_NR_PATHS ? names[path] : "unknown";
}

void attach_init(struct attach *a, const char *bdf, enum attach_path path)
{
	memset(a, 0, sizeof(*a));
	a->path = path;
	a->container_fd = a->group_fd = a->iommufd = a->device_fd = -1;
	snprintf(a->bdf, sizeof(a->bdf), "%s", bdf);
}

int attach_fail(struct attach *a, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->reason, sizeof(a->reason), fmt, ap);
	va_end(ap);
	return -err;
}
