// SPDX-License-Identifier: GPL-2.0-only
#include "host/rundir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fsutil.h"

/* Make dir 0700; mkdir() never follows a link there (EEXIST). */
static int make(const char *dir)
{
	if (!mkdir(dir, 0700) || errno == EEXIST)
		return 0;
	if (errno != ENOENT || mkdir_parents(dir))
		return -errno;
	return mkdir(dir, 0700) && errno != EEXIST ? -errno : 0;
}

/* The checks, on what was opened (fstat), not on a name that may change. */
static int check(int fd, const char *dir, char *why, size_t len)
{
	struct stat st;

	if (fstat(fd, &st)) {
		snprintf(why, len, "%s: cannot stat: %s", dir, strerror(errno));
		return -errno;
	}
	if (st.st_uid != geteuid()) {
		snprintf(why, len, "%s: expected a run directory owned by uid %u (this runner), found one owned by uid %u: refusing it, since its owner could make restore bind any driver (remove it, or name another with --run-dir or SNOOPCHECK_RUNDIR)",
			 dir, (unsigned int)geteuid(), (unsigned int)st.st_uid);
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(why, len, "%s: expected a run directory writable by its owner only, found mode %04o: refusing it, since anyone who can write there could make restore bind any driver (chmod go-w %s)",
			 dir, (unsigned int)(st.st_mode & 07777), dir);
		return -EPERM;
	}
	return 0;
}

int rundir_open(const char *dir, bool create, char *why, size_t len)
{
	struct stat st;
	int fd, err;

	why[0] = '\0';
	if (create && (err = make(dir))) {
		snprintf(why, len, "%s: cannot create: %s", dir, strerror(-err));
		return err;
	}
	/* lstat for a message that names the problem; the fd is what counts */
	if (lstat(dir, &st)) {
		err = -errno;
		if (err == -ENOENT)
			snprintf(why, len, "no run directory %s", dir);
		else
			snprintf(why, len, "%s: cannot stat: %s", dir, strerror(-err));
		return err;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(why, len, "%s: expected a run directory, found a symbolic link: refusing to follow it (remove it, or name another with --run-dir or SNOOPCHECK_RUNDIR)",
			 dir);
		return -ELOOP;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(why, len, "%s: expected a run directory, found something else (not a directory)",
			 dir);
		return -ENOTDIR;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		snprintf(why, len, "%s: cannot open: %s", dir, strerror(-err));
		return err;
	}
	err = check(fd, dir, why, len);
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

int rundir_open_file(int dirfd, const char *name, int flags, bool *created)
{
	struct stat st;
	int fd = openat(dirfd, name, flags | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	int err = 0;

	*created = fd >= 0;
	if (fd < 0 && errno == EEXIST)
		fd = openat(dirfd, name, flags | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st))
		err = -errno;
	else if (!S_ISREG(st.st_mode))
		err = -EINVAL;
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}
