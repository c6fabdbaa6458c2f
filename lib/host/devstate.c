// SPDX-License-Identifier: GPL-2.0-only
#include "host/devstate.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "sysfs/sysroot.h"

int devstate_read(const char *bdf, struct dev_state *s, char *why, size_t len)
{
	char path[PATH_MAX], buf[256];
	uint64_t n;
	int err;

	memset(s, 0, sizeof(*s));
	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s", bdf);
	if (!sysfs_exists(path)) {
		snprintf(why, len, "%s is gone from /sys/bus/pci/devices", bdf);
		return -ENODEV;
	}
	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", bdf);
	err = sysfs_link_name(path, s->driver, sizeof(s->driver));
	if (err && err != -ENOENT) {
		snprintf(why, len, "cannot read %s: %s", path, strerror(-err));
		return err;
	}
	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", bdf);
	err = sysfs_read(path, buf, sizeof(buf));
	if (err) {
		snprintf(why, len, "cannot read %s: %s", path, strerror(-err));
		return err;
	}
	/* the kernel shows an unset override as "(null)" */
	if (strcmp(buf, "(null)")) {
		if (strlen(buf) >= sizeof(s->override)) {
			snprintf(why, len, "%s holds %zu bytes, more than the journal records",
				 path, strlen(buf));
			return -E2BIG;
		}
		strcpy(s->override, buf);
	}
	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/sriov_numvfs", bdf);
	err = sysfs_read_u64(path, 10, &n);
	if (err == -ENOENT)
		s->sriov_numvfs = -1;
	else if (err || n > INT32_MAX) {
		snprintf(why, len, "cannot read %s: %s", path,
			 strerror(err ? -err : ERANGE));
		return err ? err : -ERANGE;
	} else {
		s->sriov_numvfs = (int)n;
	}
	return 0;
}

bool devstate_equal(const struct dev_state *a, const struct dev_state *b)
{
	return !strcmp(a->driver, b->driver) && !strcmp(a->override, b->override) &&
	       a->sriov_numvfs == b->sriov_numvfs;
}

void devstate_describe(const struct dev_state *s, char *buf, size_t len)
{
	char vfs[32] = "no SR-IOV";

	if (s->sriov_numvfs >= 0)
		snprintf(vfs, sizeof(vfs), "sriov_numvfs %d", s->sriov_numvfs);
	snprintf(buf, len, "driver %s, override %s, %s",
		 s->driver[0] ? s->driver : "(none)",
		 s->override[0] ? s->override : "(none)", vfs);
}

bool driver_is_vfio(const char *driver)
{
	size_t n = strlen(driver);

	return !strcmp(driver, "vfio-pci") ||
	       (n > 9 && !strcmp(driver + n - 9, "_vfio_pci"));
}

bool driver_keeps_group_viable(const char *driver)
{
	return driver_is_vfio(driver) || !strcmp(driver, "pcieport") ||
	       !strcmp(driver, "pci-stub");
}
