// SPDX-License-Identifier: GPL-2.0-only
#include "base/fsutil.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool path_arg_ok(const char *what, const char *path, FILE *err)
{
	size_t n = strlen(path);

	if (n < PATH_ARG_MAX)
		return true;
	fprintf(err, "%s: expected a path shorter than %d bytes, got one of %zu\n",
		what, PATH_ARG_MAX, n);
	return false;
}

int mkdir_p(const char *dir)
{
	char p[PATH_MAX];
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(p)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(p, dir, n + 1);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) && errno != EEXIST)
			return -1;
		*s = '/';
	}
	if (mkdir(p, 0755) && errno != EEXIST)
		return -1;
	return 0;
}

int mkdir_parents(const char *path)
{
	char p[PATH_MAX];
	char *slash;

	if (strlen(path) >= sizeof(p)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(p, path);
	slash = strrchr(p, '/');
	if (!slash || slash == p)
		return 0;
	*slash = '\0';
	return mkdir_p(p);
}

/*
 * Split path into the directory that holds it and its last component, as
 * the atomic writer needs them: "a/b" -> "a", "b"; "b" -> ".", "b";
 * "/b" -> "/", "b". EISDIR when there is no last component ("a/").
 */
static int split_path(const char *path, char *dir, size_t len, const char **base)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	*base = slash ? slash + 1 : path;
	if (!**base) {
		errno = EISDIR;
		return -1;
	}
	n = !slash ? 0 : slash == path ? 1 : (size_t)(slash - path);
	if (n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (n)
		memcpy(dir, path, n);
	else
		dir[n++] = '.';
	dir[n] = '\0';
	return 0;
}

/*
 * ".NAME.tmp.PID." opens the name of every temp file of NAME, so that one
 * left by a killed writer is recognised by its name and its writer's pid.
 */
static int tmp_prefix(char *buf, size_t len, const char *base, long pid)
{
	int n = snprintf(buf, len, ".%s.tmp.%ld.", base, pid);

	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/*
 * Remove the temp files of NAME whose writer is gone (kill(pid, 0) says
 * ESRCH). One of a live process, this one included, may be in flight.
 * Best effort: a leftover that cannot be removed harms nothing.
 */
static void remove_stale_tmp(int dfd, const char *base)
{
	char prefix[NAME_MAX + 1];
	struct dirent *de;
	size_t plen;
	DIR *d;
	int fd;

	if (tmp_prefix(prefix, sizeof(prefix), base, 0))
		return;
	plen = strlen(prefix) - 2;	/* ".NAME.tmp." without "0." */
	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		const char *p = de->d_name + plen;
		char *end;
		long pid;

		if (strncmp(de->d_name, prefix, plen) || !isdigit((unsigned char)*p))
			continue;
		errno = 0;
		pid = strtol(p, &end, 10);
		if (errno || *end != '.' || pid <= 0 || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) && errno == ESRCH)
			unlinkat(dfd, de->d_name, 0);
	}
	closedir(d);
}

/* Attempts at a free temp name before giving up (each is taken: EEXIST). */
#define TMP_TRIES 16

int write_file_atomic_at(int dirfd, const char *path, const void *data, size_t len)
{
	char dir[PATH_MAX], tmp[NAME_MAX + 1], prefix[NAME_MAX + 1];
	const char *base, *p = data;
	int dfd, fd = -1, saved;

	if (split_path(path, dir, sizeof(dir), &base))
		return -1;
	dfd = openat(dirfd, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	if (tmp_prefix(prefix, sizeof(prefix), base, (long)getpid()))
		goto fail_dir;
	/* mkstemp's rule, with a name that tells its writer: O_EXCL or the next */
	for (int i = 0; fd < 0 && i < TMP_TRIES; i++) {
		if (snprintf(tmp, sizeof(tmp), "%s%d", prefix, i) >= (int)sizeof(tmp)) {
			errno = ENAMETOOLONG;
			goto fail_dir;
		}
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 && errno != EEXIST)
			goto fail_dir;
	}
	if (fd < 0)
		goto fail_dir;	/* errno: EEXIST */
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (renameat(dfd, tmp, dfd, base))
		goto fail;
	/*
	 * The rename is durable only once the directory is. EINVAL: this file
	 * system cannot sync a directory at all, so there is nothing to report.
	 */
	if (fsync(dfd) && errno != EINVAL)
		goto fail_dir;
	remove_stale_tmp(dfd, base);
	close(dfd);
	return 0;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlinkat(dfd, tmp, 0);
	errno = saved;
fail_dir:
	saved = errno;
	close(dfd);
	errno = saved;
	return -1;
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	return write_file_atomic_at(AT_FDCWD, path, data, len);
}

static int not_regular(mode_t mode)
{
	return S_ISDIR(mode) ? EISDIR : S_ISLNK(mode) ? ELOOP : ENOTSUP;
}

static bool readable(mode_t mode, int how)
{
	return S_ISREG(mode) || (S_ISFIFO(mode) && (how & RD_PIPE));
}

int open_regular(int dirfd, const char *path, int how)
{
	bool nofollow = how & RD_NOFOLLOW;
	struct stat before, st;
	int fd, err;

	/*
	 * Look before opening: opening a device node can act by itself (a
	 * watchdog starts counting), so one is never opened. The fstat after
	 * the open catches a file swapped in between.
	 */
	if (fstatat(dirfd, path, &before, nofollow ? AT_SYMLINK_NOFOLLOW : 0))
		return -1;
	if (!readable(before.st_mode, how)) {
		errno = not_regular(before.st_mode);
		return -1;
	}
	fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0));
	if (fd < 0)
		return -1;
	if (fstat(fd, &st)) {
		err = errno;
	} else if (!readable(st.st_mode, how)) {
		err = not_regular(st.st_mode);
	} else if (st.st_ino != before.st_ino || st.st_dev != before.st_dev) {
		err = EAGAIN;
	} else {
		/*
		 * Blocking reads again: some pseudo files honour O_NONBLOCK, and
		 * a pipe is read until its writer is done (none: at once empty).
		 */
		int fl = fcntl(fd, F_GETFL);

		if (fl != -1 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != -1)
			return fd;
		err = errno;
	}
	close(fd);
	errno = err;
	return -1;
}

ssize_t read_upto(int fd, void *buf, size_t len)
{
	char *p = buf;
	size_t got = 0;

	while (got < len) {
		ssize_t n = read(fd, p + got, len - got);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

const char *read_file_strerror(int err)
{
	switch (err) {
	case ENOTSUP:
		return "not a regular file";
	case ELOOP:
		return "a symbolic link, not followed";
	case EFBIG:
		return "too large";
	default:
		return strerror(err);
	}
}

/* The whole of fd, at most max bytes (EFBIG past them), NUL-terminated. */
static char *read_fd_whole(int fd, size_t max, size_t *len)
{
	char *buf = NULL, *nb;
	size_t n = 0, cap = 0;

	for (;;) {
		ssize_t got;

		if (n == cap) {
			if (cap > max) {
				errno = EFBIG;
				goto fail;
			}
			/* reading one byte past max is how a larger file shows */
			cap = cap ? cap * 2 : 8192;
			if (cap > max)
				cap = max + 1;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				errno = ENOMEM;
				goto fail;
			}
			buf = nb;
		}
		got = read_upto(fd, buf + n, cap - n);
		if (got < 0)
			goto fail;
		n += (size_t)got;
		if (n < cap)
			break;	/* read_upto() stops short only at the end */
	}
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
fail:
	free(buf);
	return NULL;
}

static char *read_path(const char *path, int how, size_t *len)
{
	int fd = open_regular(AT_FDCWD, path, how), saved;
	char *text;

	if (fd < 0)
		return NULL;
	text = read_fd_whole(fd, READ_FILE_MAX, len);
	saved = errno;
	close(fd);
	errno = saved;
	return text;
}

char *read_file(const char *path, size_t *len)
{
	return read_path(path, RD_PIPE, len);
}

char *read_file_nofollow(const char *path, size_t *len)
{
	return read_path(path, RD_NOFOLLOW, len);
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

int remove_tree(const char *dir)
{
	/* FTW_PHYS: a link is removed as a link; FTW_DEPTH: contents first. */
	return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int dir_each(const char *dir, const char *suffix,
	     int (*fn)(void *ctx, const char *path, FILE *err), void *ctx, FILE *err)
{
	size_t sl = strlen(suffix), n = 0;
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	int ret = 0, bad = 0;

	if (!d) {
		fprintf(err, "%s: cannot read: %s\n", dir, strerror(errno));
		return -EINVAL;
	}
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		char **nn;

		if (de->d_name[0] == '.' || len <= sl || strcmp(de->d_name + len - sl, suffix))
			continue;
		nn = realloc(names, (n + 1) * sizeof(*nn));
		if (!nn || !(nn[n] = strdup(de->d_name))) {
			names = nn ? nn : names;
			ret = -ENOMEM;
			break;
		}
		names = nn;
		n++;
	}
	closedir(d);
	if (names)
		qsort(names, n, sizeof(*names), by_name);
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];
		int r;

		if (!ret) {
			if (snprintf(path, sizeof(path), "%s/%s", dir, names[i]) >= (int)sizeof(path)) {
				fprintf(err, "%s/%s: path too long\n", dir, names[i]);
				r = -EINVAL;
			} else {
				r = fn(ctx, path, err);
			}
			if (r == -ENOMEM)
				ret = r;
			bad |= r == -EINVAL;
		}
		free(names[i]);
	}
	free(names);
	return ret ? ret : bad ? -EINVAL : (int)n;
}
