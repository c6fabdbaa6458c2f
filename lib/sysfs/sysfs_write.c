// SPDX-License-Identifier: GPL-2.0-only
#include "sysfs/sysfs_write.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "sysfs/sysroot.h"

static sysfs_write_hook hook;
static void *hook_arg;

void sysfs_write_set_hook(sysfs_write_hook fn, void *arg)
{
	hook = fn;
	hook_arg = arg;
}

int sysfs_write(const char *path, const char *val)
{
	const char *root = sysroot_replay_dir();
	char real[PATH_MAX];
	size_t len = strlen(val);
	ssize_t n;
	int fd, ret = 0;

	path_fmt(real, sizeof(real), "%s%s", root ? root : "", path);
	if (hook) {
		ret = hook(path, real, val, hook_arg);
		if (ret)
			return ret < 0 ? ret : 0;
	}
	fd = open(real, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* sysfs takes an attribute in one write and answers it with errno */
	n = write(fd, val, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}
