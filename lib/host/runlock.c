// SPDX-License-Identifier: GPL-2.0-only
#include "host/runlock.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "host/rundir.h"
#include "sysfs/sysroot.h"

int runlock_take(const char *dir, FILE *err)
{
	char path[PATH_MAX], pid[32], why[1024];
	int dirfd, fd, n;
	bool created;

	path_fmt(path, sizeof(path), "%s/lock", dir);
	dirfd = rundir_open(dir, true, why, sizeof(why));
	if (dirfd < 0) {
		fprintf(err, "%s\n", why);
		return dirfd;
	}
	fd = rundir_open_file(dirfd, "lock", O_RDWR, &created);
	close(dirfd);
	if (fd < 0) {
		fprintf(err, "%s: cannot open: %s\n", path,
			fd == -EINVAL ? "not a regular file" : strerror(-fd));
		return fd;
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
