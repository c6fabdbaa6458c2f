/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The attach handle itself: which user-space path a VFIO device is
 * attached through and the descriptors that path holds. It sits below
 * both path implementations (lib/vfio/vfio.c, lib/vfio/iommufd.c) and the
 * dispatcher over them (lib/vfio/attach.c), so the paths fill a handle
 * without knowing the dispatcher and nothing includes itself in a circle.
 */
#ifndef SNOOP_VFIO_HANDLE_H
#define SNOOP_VFIO_HANDLE_H

#include <stdint.h>

enum attach_path {
	ATTACH_TYPE1,		/* /dev/vfio/vfio container, VFIO_TYPE1_IOMMU */
	ATTACH_TYPE1V2,		/* /dev/vfio/vfio container, VFIO_TYPE1v2_IOMMU */
	ATTACH_IOMMUFD_COMPAT,	/* /dev/iommu used as the type1 container */
	ATTACH_IOMMUFD_IOAS,	/* device cdev bound to iommufd, attached to an IOAS */
	ATTACH_IOMMUFD_HWPT,	/* device cdev attached to an explicitly allocated HWPT */
	ATTACH_NR_PATHS,
};

struct attach {
	enum attach_path path;
	char bdf[16];
	int container_fd;	/* type1 and compat paths, else -1 */
	int group_fd;		/* group paths, else -1 */
	int iommufd;		/* iommufd paths (and compat: same as container) */
	int device_fd;		/* VFIO device: regions, config, irqs */
	uint32_t dev_id;	/* iommufd device id */
	uint32_t ioas_id;	/* iommufd IOAS */
	uint32_t hwpt_id;	/* iommufd HWPT (explicit or the auto domain) */
	char reason[256];	/* why the last call failed or skipped */
};

const char *attach_path_name(enum attach_path path);	/* "type1", ... */

/* An empty handle for bdf on path: every descriptor -1, nothing open. */
void attach_init(struct attach *a, const char *bdf, enum attach_path path);

/*
 * Say why in a->reason (printf-style) and return -err: every step of both
 * paths fails the same way, so callers write `return attach_fail(...)`.
 */
int attach_fail(struct attach *a, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
