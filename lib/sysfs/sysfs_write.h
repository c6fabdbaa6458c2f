/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writes to sysfs attributes (driver_override, unbind, drivers_probe, ...),
 * under the same root as sysroot's reads: live that is /, in tests a temp
 * tree shaped like /sys. A hook sees every write first, so a test can
 * record the sequence, play the kernel's part, or simulate a crash.
 */
#ifndef SNOOP_SYSFS_WRITE_H
#define SNOOP_SYSFS_WRITE_H

/*
 * The hook gets the sysfs path (e.g. /sys/bus/pci/drivers_probe), the real
 * path under the root and the value. It returns 0 to let the write happen,
 * 1 when it did the write itself, or -errno to fail it.
 */
typedef int (*sysfs_write_hook)(const char *path, const char *real_path,
				const char *val, void *arg);

void sysfs_write_set_hook(sysfs_write_hook fn, void *arg);
/* Write val in one write(), as `echo -n val > path` would. 0 or -errno. */
int sysfs_write(const char *path, const char *val);

#endif
