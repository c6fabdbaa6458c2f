// SPDX-License-Identifier: GPL-2.0-only
#include "suite/target.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/bdf.h"
#include "sysfs/sysroot.h"

/* s in full form into out (len bytes), by the one BDF parser. */
static int parse_bdf(const char *s, char *out, size_t len)
{
	char norm[BDF_LEN];

	if (!bdf_normalize(s, norm))
		return -EINVAL;
	snprintf(out, len, "%s", norm);
	return 0;
}

int target_bdf(int *argc, char **argv, char *bdf, size_t len,
	       char *msg, size_t msglen)
{
	const char *env = getenv("SNOOPCHECK_DEVICE");

	if (*argc > 1 && argv[1][0] != '-') {
		if (parse_bdf(argv[1], bdf, len)) {
			snprintf(msg, msglen, "argument '%s': expected a PCI address such as 0000:00:03.0",
				 argv[1]);
			return -EINVAL;
		}
		memmove(&argv[1], &argv[2], (size_t)(*argc - 1) * sizeof(argv[0]));
		(*argc)--;
		return 0;
	}
	if (env && *env) {
		if (parse_bdf(env, bdf, len)) {
			snprintf(msg, msglen, "SNOOPCHECK_DEVICE='%s': expected a PCI address such as 0000:00:03.0",
				 env);
			return -EINVAL;
		}
		return 0;
	}
	snprintf(msg, msglen, "no device given: pass its PCI address as the first argument or in SNOOPCHECK_DEVICE");
	return -ENOENT;
}

const char *target_arg(const char *suite, int *argc, char **argv, char *bdf, size_t len,
		       char *msg, size_t msglen)
{
	int ret = target_bdf(argc, argv, bdf, len, msg, msglen);

	if (ret == -EINVAL) {
		fprintf(stderr, "%s: %s\n", suite, msg);
		exit(2);
	}
	if (ret) {
		bdf[0] = '\0';
		return NULL;
	}
	return bdf;
}

void target_short_bdf(const char *bdf, char *out, size_t len)
{
	const char *colon = strchr(bdf, ':');

	snprintf(out, len, "%s", colon && strchr(colon + 1, ':') ? colon + 1 : bdf);
}

int target_check_vfio(const char *bdf, char *reason, size_t len)
{
	char path[256], drv[64];

	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s", bdf);
	if (!sysfs_exists(path)) {
		snprintf(reason, len, "%s: no such PCI device", bdf);
		return -ENODEV;
	}
	/* No group first: then no binding helps, and that is what to say. */
	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	if (!sysfs_exists(path)) {
		snprintf(reason, len, "no IOMMU serves %s (no IOMMU group): VFIO can only use "
			 "no-IOMMU mode, which enforces nothing; enable the IOMMU "
			 "(intel_iommu=on / amd_iommu=on)", bdf);
		return -ENXIO;
	}
	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	if (sysfs_link_name(path, drv, sizeof(drv)))
		snprintf(drv, sizeof(drv), "no driver");
	if (strcmp(drv, "vfio-pci")) {
		snprintf(reason, len, "%s is bound to %s, not vfio-pci: bind it with runner bind --device %s, or select it for runner run",
			 bdf, drv, bdf);
		return -EBUSY;
	}
	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu", bdf);
	if (!sysfs_exists(path)) {
		snprintf(reason, len, "%s has no IOMMU in front of it (vfio noiommu mode or IOMMU off): DMA isolation cannot be tested; enable the IOMMU (intel_iommu=on / amd_iommu=on)",
			 bdf);
		return -ENXIO;
	}
	return 0;
}
