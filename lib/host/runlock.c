// SPDX-License-Identifier: GPL-2.0-only
#include "host/runlock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "sysfs/sysroot.h"

int runlock_take(const char *dir, FILE *err)
{
	char path[PATH_MAX], pid[32];
	int fd, n;

	path_fmt(path, sizeof(path), "%s/lock", dir);
	if (mkdir_p(dir)) {
		fprintf(err, "%s: cannot create: %s\n", dir, strerror(errno));
		return -errno;
	}
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		int e = errno;

		fprintf(err, "%s: cannot open: %s\n", path, strerror(e));
		return -e;
	}
	if (flock(fd, LOCK_EX | LOCK_NB)) {
		int e = errno;

		if (e == EWOULDBLOCK) {
			n = (int)pread(fd, pid, sizeof(pid) - 1, 0);
			pid[n > 0 ? n : 0] = '\0';
			pid[strcspn(pid, "\n")] = '\0';
			fprintf(err, "another runner holds %s (pid %s); refusing to change bindings while it runs\n",
				path, pid[0] ? pid : "unknown");
			close(fd);
			return -EBUSY;
		}
		fprintf(err, "%s: flock: %s\n", path, strerror(e));
		close(fd);
		return -e;
	}
	n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) || pwrite(fd, pid, (size_t)n, 0) != n) {
		int e = errno;

		fprintf(err, "%s: cannot record our pid: %s\n", path, strerror(e));
		close(fd);
		return -e;
	}
	return fd;
}

void runlock_release(int fd)
{
	if (fd >= 0)
		close(fd);	/* drops the flock */
}
