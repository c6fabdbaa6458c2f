// SPDX-License-Identifier: GPL-2.0-only
#include "vfio/iommufd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/iommufd.h>
#include <linux/vfio.h>

#include "discover/kernelid.h"
#include "sysfs/sysroot.h"
#include "vfio/vfio.h"

/* The device's cdev name (vfioN) from /sys/bus/pci/devices/BDF/vfio-dev. */
static int cdev_name(const char *bdf, char *buf, size_t len)
{
	char dir[128], **names;
	int n;

	path_fmt(dir, sizeof(dir), "/sys/bus/pci/devices/%s/vfio-dev", bdf);
	n = sysfs_list(dir, &names);
	if (n <= 0) {
		if (n == 0)
			sysfs_list_free(names);
		return -ENOENT;
	}
	snprintf(buf, len, "%s", names[0]);
	sysfs_list_free(names);
	return 0;
}

/* Open bdf's device cdev and bind it to a->iommufd. */
static int bind_cdev(struct attach *a, const char *bdf)
{
	struct vfio_device_bind_iommufd bind = { .argsz = sizeof(bind) };
	char name[32], dev[64];

	if (cdev_name(bdf, name, sizeof(name)))
		return attach_fail(a, EOPNOTSUPP, "%s has no VFIO device cdev (not bound to "
				   "vfio-pci, or kernel without CONFIG_VFIO_DEVICE_CDEV)", bdf);
	path_fmt(dev, sizeof(dev), "/dev/vfio/devices/%s", name);
	a->device_fd = open(dev, O_RDWR | O_CLOEXEC);
	if (a->device_fd < 0)
		return attach_fail(a, errno, "cannot open %s: %s", dev, strerror(errno));
	bind.iommufd = a->iommufd;
	if (ioctl(a->device_fd, VFIO_DEVICE_BIND_IOMMUFD, &bind))
		return attach_fail(a, errno, "VFIO_DEVICE_BIND_IOMMUFD(%s): %s", bdf,
				   strerror(errno));
	a->dev_id = bind.out_devid;
	return 0;
}

/* A new iommufd with bdf bound to it and an empty IOAS. */
static int open_bound(struct attach *a, const char *bdf)
{
	struct iommu_ioas_alloc ioas = { .size = sizeof(ioas) };
	int ret;

	a->iommufd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	if (a->iommufd < 0) {
		int e = errno;
		char why[256] = "";

		if (e == ENOENT)
			kernelid_why_missing("CONFIG_IOMMUFD", "6.2", why, sizeof(why));
		return attach_fail(a, e == ENOENT ? EOPNOTSUPP : e, "cannot open /dev/iommu: %s%s%s%s",
				   strerror(e), *why ? " (" : "", why, *why ? ")" : "");
	}
	ret = bind_cdev(a, bdf);
	if (ret)
		return ret;
	if (ioctl(a->iommufd, IOMMU_IOAS_ALLOC, &ioas))
		return attach_fail(a, errno, "IOMMU_IOAS_ALLOC: %s", strerror(errno));
	a->ioas_id = ioas.out_ioas_id;
	return 0;
}

int iommufd_open_bound(struct attach *a, const char *bdf)
{
	attach_init(a, bdf, ATTACH_IOMMUFD_HWPT);
	return open_bound(a, bdf);
}

int iommufd_join(struct attach *a, const struct attach *owner, const char *bdf)
{
	attach_init(a, bdf, ATTACH_IOMMUFD_HWPT);
	/* A second descriptor of the same context: closing it leaves the
	 * owner's objects alone. */
	a->iommufd = fcntl(owner->iommufd, F_DUPFD_CLOEXEC, 0);
	if (a->iommufd < 0)
		return attach_fail(a, errno, "dup of the iommufd: %s", strerror(errno));
	a->ioas_id = owner->ioas_id;
	return bind_cdev(a, bdf);
}

int iommufd_hwpt_alloc(struct attach *a, uint32_t dev_id, uint32_t *hwpt_id)
{
	struct iommu_hwpt_alloc hwpt = {
		.size = sizeof(hwpt), .dev_id = dev_id, .pt_id = a->ioas_id,
	};

	if (ioctl(a->iommufd, IOMMU_HWPT_ALLOC, &hwpt))
		return attach_fail(a, errno, "IOMMU_HWPT_ALLOC(dev %u): %s", dev_id,
				   strerror(errno));
	*hwpt_id = hwpt.out_hwpt_id;
	return 0;
}

int iommufd_attach_pt(struct attach *a, uint32_t pt_id)
{
	struct vfio_device_attach_iommufd_pt at = { .argsz = sizeof(at), .pt_id = pt_id };

	if (ioctl(a->device_fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at))
		return attach_fail(a, errno, "VFIO_DEVICE_ATTACH_IOMMUFD_PT(%s, %u): %s",
				   a->bdf, pt_id, strerror(errno));
	/* For an IOAS the kernel writes back the HWPT it chose. */
	a->hwpt_id = at.pt_id;
	return 0;
}

int iommufd_attach(struct attach *a, const char *bdf, enum attach_path path)
{
	uint32_t pt_id;
	int ret = open_bound(a, bdf);

	if (ret)
		return ret;
	pt_id = a->ioas_id;
	if (path == ATTACH_IOMMUFD_HWPT) {
		ret = iommufd_hwpt_alloc(a, a->dev_id, &pt_id);
		if (ret)
			return ret;
	}
	return iommufd_attach_pt(a, pt_id);
}

void iommufd_detach(struct attach *a)
{
	if (a->device_fd >= 0)
		close(a->device_fd);
	if (a->iommufd >= 0)
		close(a->iommufd);
	a->device_fd = a->iommufd = -1;
}

int iommufd_map(struct attach *a, uint64_t iova, void *vaddr, size_t size)
{
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE |
			 IOMMU_IOAS_MAP_WRITEABLE,
		.ioas_id = a->ioas_id,
		.user_va = (uintptr_t)vaddr,
		.length = size,
		.iova = iova,
	};

	if (ioctl(a->iommufd, IOMMU_IOAS_MAP, &map))
		return attach_fail(a, errno, "IOMMU_IOAS_MAP iova 0x%llx size 0x%zx: %s",
				   (unsigned long long)iova, size, strerror(errno));
	return 0;
}

int iommufd_unmap(struct attach *a, uint64_t iova, size_t size)
{
	struct iommu_ioas_unmap unmap = {
		.size = sizeof(unmap), .ioas_id = a->ioas_id, .iova = iova, .length = size,
	};

	if (ioctl(a->iommufd, IOMMU_IOAS_UNMAP, &unmap))
		return attach_fail(a, errno, "IOMMU_IOAS_UNMAP iova 0x%llx: %s",
				   (unsigned long long)iova, strerror(errno));
	return 0;
}

int iommufd_enforced(struct attach *a)
{
	struct iommu_vfio_ioas set = {
		.size = sizeof(set), .ioas_id = a->ioas_id, .op = IOMMU_VFIO_IOAS_SET,
	};

	if (ioctl(a->iommufd, IOMMU_VFIO_IOAS, &set))
		return attach_fail(a, errno, "IOMMU_VFIO_IOAS(SET %u): %s", a->ioas_id,
				   strerror(errno));
	return vfio_cc_extension(a->iommufd);
}

int iommufd_hw_info_vtd(struct attach *a, uint64_t *cap, uint64_t *ecap)
{
	struct iommu_hw_info_vtd vtd = { 0 };
	struct iommu_hw_info info = {
		.size = sizeof(info), .dev_id = a->dev_id,
		.data_len = sizeof(vtd), .data_uptr = (uintptr_t)&vtd,
	};

	if (ioctl(a->iommufd, IOMMU_GET_HW_INFO, &info))
		return attach_fail(a, errno, "IOMMU_GET_HW_INFO: %s", strerror(errno));
	if (info.out_data_type != IOMMU_HW_INFO_TYPE_INTEL_VTD)
		return attach_fail(a, EOPNOTSUPP,
				   "IOMMU_GET_HW_INFO: not an Intel VT-d unit (type %u)",
				   info.out_data_type);
	*cap = vtd.cap_reg;
	*ecap = vtd.ecap_reg;
	return 0;
}

int iommufd_iova_ranges(struct attach *a, uint64_t (*ranges)[2], uint32_t *n)
{
	struct iommu_ioas_iova_ranges r = {
		.size = sizeof(r), .ioas_id = a->ioas_id, .num_iovas = *n,
		.allowed_iovas = (uintptr_t)ranges,
	};

	if (ioctl(a->iommufd, IOMMU_IOAS_IOVA_RANGES, &r))
		return attach_fail(a, errno, "IOMMU_IOAS_IOVA_RANGES: %s", strerror(errno));
	*n = r.num_iovas;
	return 0;
}
