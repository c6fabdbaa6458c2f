/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A temp directory shaped like the parts of /sys that binding reads and
 * writes, and a sysfs_write hook that answers writes the way the PCI core
 * does (drivers/pci/pci-driver.c, drivers/base/bus.c): driver_override,
 * unbind, bind and drivers_probe move the driver link; sriov_numvfs only
 * changes through 0. Every write is logged, and the hook can "die" at the
 * Nth write to play a runner killed between journal and sysfs.
 * Header-only: the Makefile builds each tests/NAME.c as its own program.
 */
#ifndef SNOOP_TEST_FAKESYS_H
#define SNOOP_TEST_FAKESYS_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "sysfs/sysfs_write.h"
#include "sysfs/sysroot.h"

#define FAKE_MAX_WRITES 64

struct fakesys {
	char root[PATH_MAX];
	char log[FAKE_MAX_WRITES][256];	/* "path=value" */
	int n_writes;
	int die_at;			/* _exit(137) at this write (1-based); 0 never */
};

static void __attribute__((unused))
fake_put(const struct fakesys *f, const char *rel, const char *text)
{
	char p[PATH_MAX];

	path_fmt(p, sizeof(p), "%s%s", f->root, rel);
	if (mkdir_parents(p) || write_file_atomic(p, text, strlen(text)))
		abort();
}

static void fake_link(const struct fakesys *f, const char *rel, const char *target)
{
	char p[PATH_MAX];

	path_fmt(p, sizeof(p), "%s%s", f->root, rel);
	if (mkdir_parents(p))
		abort();
	unlink(p);
	if (symlink(target, p))
		abort();
}

static void __attribute__((unused))
fake_driver(const struct fakesys *f, const char *drv)
{
	char p[PATH_MAX];

	path_fmt(p, sizeof(p), "/sys/bus/pci/drivers/%s/bind", drv);
	fake_put(f, p, "");
	path_fmt(p, sizeof(p), "/sys/bus/pci/drivers/%s/unbind", drv);
	fake_put(f, p, "");
}

/*
 * A function at bdf with IDs, class and, "" for none, its bound driver and
 * the driver its IDs match (which drivers_probe picks with no override).
 * group < 0: no IOMMU group. numvfs < 0: not an SR-IOV PF.
 */
static void __attribute__((unused))
fake_device(const struct fakesys *f, const char *bdf, const char *vendor,
	    const char *device, const char *class, const char *driver,
	    const char *native, int group, int numvfs)
{
	char p[PATH_MAX], t[PATH_MAX];

	path_fmt(p, sizeof(p), "/sys/devices/pci0000:00/%s/vendor", bdf);
	fake_put(f, p, vendor);
	path_fmt(p, sizeof(p), "/sys/devices/pci0000:00/%s/device", bdf);
	fake_put(f, p, device);
	path_fmt(p, sizeof(p), "/sys/devices/pci0000:00/%s/class", bdf);
	fake_put(f, p, class);
	path_fmt(p, sizeof(p), "/sys/devices/pci0000:00/%s/driver_override", bdf);
	fake_put(f, p, "(null)\n");
	if (numvfs >= 0) {
		char v[16];

		snprintf(v, sizeof(v), "%d\n", numvfs);
		path_fmt(p, sizeof(p), "/sys/devices/pci0000:00/%s/sriov_numvfs", bdf);
		fake_put(f, p, v);
	}
	path_fmt(p, sizeof(p), "/sys/bus/pci/devices/%s", bdf);
	path_fmt(t, sizeof(t), "../../../devices/pci0000:00/%s", bdf);
	fake_link(f, p, t);
	if (driver[0]) {
		fake_driver(f, driver);
		path_fmt(p, sizeof(p), "/sys/devices/pci0000:00/%s/driver", bdf);
		path_fmt(t, sizeof(t), "../../../bus/pci/drivers/%s", driver);
		fake_link(f, p, t);
	}
	if (native[0]) {
		fake_driver(f, native);
		path_fmt(p, sizeof(p), "/native/%s", bdf);	/* outside /sys */
		fake_put(f, p, native);
	}
	if (group >= 0) {
		path_fmt(p, sizeof(p), "/sys/devices/pci0000:00/%s/iommu_group", bdf);
		path_fmt(t, sizeof(t), "../../../kernel/iommu_groups/%d", group);
		fake_link(f, p, t);
		path_fmt(p, sizeof(p), "/sys/kernel/iommu_groups/%d/devices/%s", group, bdf);
		path_fmt(t, sizeof(t), "../../../../devices/pci0000:00/%s", bdf);
		fake_link(f, p, t);
	}
}

/*
 * bdf's config space, 256 bytes as libpci's sysfs method reads them: a
 * capability list holding a PCIe capability (an endpoint) at 0x40, whose
 * Device Control (0x48) is devctl. Writes through libpci land in it.
 */
#define FAKE_PCIE_CAP 0x40
#define FAKE_DEVCTL (FAKE_PCIE_CAP + 8)

static void __attribute__((unused))
fake_config(const struct fakesys *f, const char *bdf, unsigned int devctl)
{
	unsigned char cfg[256] = { 0x36, 0x1b, 0x10, 0x00 };	/* IDs, as fake_device's */
	char p[PATH_MAX];

	cfg[0x06] = 0x10;			/* Status: capabilities list */
	cfg[0x34] = FAKE_PCIE_CAP;		/* the first capability */
	cfg[FAKE_PCIE_CAP] = 0x10;		/* PCI_CAP_ID_EXP, no next */
	cfg[FAKE_PCIE_CAP + 2] = 0x02;		/* version 2, endpoint */
	cfg[FAKE_DEVCTL] = devctl & 0xff;
	cfg[FAKE_DEVCTL + 1] = (devctl >> 8) & 0xff;
	path_fmt(p, sizeof(p), "%s/sys/devices/pci0000:00/%s/config", f->root, bdf);
	if (mkdir_parents(p) || write_file_atomic(p, cfg, sizeof(cfg)))
		abort();
}

/* Device Control as bdf's fake config space holds it now; -1 unreadable. */
static int __attribute__((unused))
fake_devctl(const struct fakesys *f, const char *bdf)
{
	char p[PATH_MAX];
	size_t len;
	unsigned char *cfg;
	int v = -1;

	path_fmt(p, sizeof(p), "%s/sys/devices/pci0000:00/%s/config", f->root, bdf);
	cfg = (unsigned char *)read_file(p, &len);
	if (cfg && len > FAKE_DEVCTL + 1)
		v = cfg[FAKE_DEVCTL] | cfg[FAKE_DEVCTL + 1] << 8;
	free(cfg);
	return v;
}

static void __attribute__((unused))
fake_init(struct fakesys *f)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->root, sizeof(f->root), "/tmp/snoop-fakesys-XXXXXX");
	if (!mkdtemp(f->root))
		abort();
	fake_put(f, "/sys/bus/pci/drivers_probe", "");
	fake_driver(f, "vfio-pci");
	sysroot_replay_from(f->root);
}

static void __attribute__((unused))
fake_cleanup(struct fakesys *f)
{
	char cmd[PATH_MAX + 16];

	sysfs_write_set_hook(NULL, NULL);
	sysroot_replay_from(NULL);
	path_fmt(cmd, sizeof(cmd), "rm -rf '%s'", f->root);
	if (system(cmd))
		fprintf(stderr, "cleanup of %s failed\n", f->root);
}

/* Read a device attribute as the code would; "" when absent. */
static void __attribute__((unused))
fake_get(const char *bdf, const char *attr, char *buf, size_t len)
{
	char p[PATH_MAX];

	path_fmt(p, sizeof(p), "/sys/bus/pci/devices/%s/%s", bdf, attr);
	if (!strcmp(attr, "driver")) {
		if (sysfs_link_name(p, buf, len))
			buf[0] = '\0';
	} else if (sysfs_read(p, buf, len)) {
		buf[0] = '\0';
	}
}

static void fake_set_driver(const struct fakesys *f, const char *bdf, const char *drv)
{
	char p[PATH_MAX], t[PATH_MAX];

	path_fmt(p, sizeof(p), "/sys/devices/pci0000:00/%s/driver", bdf);
	path_fmt(t, sizeof(t), "../../../bus/pci/drivers/%s", drv);
	fake_link(f, p, t);
}

/* The driver pci_match_device() would give drv a yes for, or "". */
static void fake_match(const struct fakesys *f, const char *bdf, char *drv, size_t len)
{
	char p[PATH_MAX], *native;

	fake_get(bdf, "driver_override", drv, len);
	if (strcmp(drv, "(null)"))
		return;	/* an override admits only that driver */
	drv[0] = '\0';
	path_fmt(p, sizeof(p), "%s/native/%s", f->root, bdf);
	native = read_file(p, NULL);
	if (native) {
		snprintf(drv, len, "%s", native);
		free(native);
	}
}

static bool fake_driver_loaded(const struct fakesys *f, const char *drv)
{
	char p[PATH_MAX];

	path_fmt(p, sizeof(p), "%s/sys/bus/pci/drivers/%s", f->root, drv);
	return drv[0] && !access(p, F_OK);
}

static int fake_kernel(const char *path, const char *real, const char *val, void *arg)
{
	struct fakesys *f = arg;
	char bdf[32], drv[64], cur[64], p[PATH_MAX];
	const char *base = strrchr(path, '/') + 1;

	(void)real;
	if (f->n_writes < FAKE_MAX_WRITES)
		snprintf(f->log[f->n_writes], sizeof(f->log[0]), "%s=%s", path,
			 val[0] == '\n' ? "\\n" : val);
	if (++f->n_writes == f->die_at)
		_exit(137);	/* as SIGKILL would: no cleanup, no restore */

	if (!strcmp(base, "driver_override")) {
		if (sscanf(path, "/sys/bus/pci/devices/%31[^/]/", bdf) != 1)
			return -EINVAL;
		path_fmt(p, sizeof(p), "/sys/devices/pci0000:00/%s/driver_override", bdf);
		fake_put(f, p, val[0] == '\n' || !val[0] ? "(null)\n" : val);
		return 1;
	}
	if (!strcmp(base, "sriov_numvfs")) {
		if (sscanf(path, "/sys/bus/pci/devices/%31[^/]/", bdf) != 1)
			return -EINVAL;
		fake_get(bdf, "sriov_numvfs", cur, sizeof(cur));
		if (atoi(cur) && atoi(val))
			return -EBUSY;	/* sriov_numvfs_store() */
		path_fmt(p, sizeof(p), "/sys/devices/pci0000:00/%s/sriov_numvfs", bdf);
		fake_put(f, p, val);
		return 1;
	}
	snprintf(bdf, sizeof(bdf), "%s", val);
	fake_get(bdf, "driver", cur, sizeof(cur));
	fake_match(f, bdf, drv, sizeof(drv));
	if (!strcmp(path, "/sys/bus/pci/drivers_probe")) {
		/* no match is no error: the device just stays unbound */
		if (!cur[0] && fake_driver_loaded(f, drv))
			fake_set_driver(f, bdf, drv);
		return 1;
	}
	if (sscanf(path, "/sys/bus/pci/devices/%31[^/]/driver/unbind", p) == 1) {
		if (!cur[0])
			return -ENOENT;	/* no driver link, no such file */
		path_fmt(p, sizeof(p), "%s/sys/devices/pci0000:00/%s/driver", f->root, bdf);
		unlink(p);
		return 1;
	}
	if (sscanf(path, "/sys/bus/pci/drivers/%63[^/]/bind", p) == 1) {
		if (cur[0])
			return -EBUSY;
		if (strcmp(p, drv))
			return -ENODEV;
		fake_set_driver(f, bdf, drv);
		return 1;
	}
	return -EINVAL;	/* a write the test did not expect */
}

static void __attribute__((unused))
fake_kernel_on(struct fakesys *f)
{
	sysfs_write_set_hook(fake_kernel, f);
}

#endif
