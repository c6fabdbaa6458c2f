// SPDX-License-Identifier: GPL-2.0-only
#include "base/fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
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

static int fsync_dir_of(const char *path)
{
	char p[PATH_MAX];
	char *slash;
	int fd, ret;

	snprintf(p, sizeof(p), "%s", path);
	slash = strrchr(p, '/');
	if (slash)
		*(slash == p ? slash + 1 : slash) = '\0';
	else
		strcpy(p, ".");
	fd = open(p, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	char tmp[PATH_MAX];
	const char *p = data;
	int fd, saved;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >=
	    (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
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
	if (rename(tmp, path)) {
		fd = -1;
		goto fail;
	}
	fsync_dir_of(path);
	return 0;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	errno = saved;
	return -1;
}

char *read_file(const char *path, size_t *len)
{
	struct stat st;
	FILE *f;
	char *buf = NULL, *nb;
	size_t n = 0, cap = 0, got;

	/*
	 * Through stdio a directory opens and then fails to read (EIO, which
	 * says nothing), and a device may never end (/dev/zero) or act on
	 * being opened: only files, and pipes (`--config <(...)`), are read.
	 */
	if (stat(path, &st))
		return NULL;
	if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode)) {
		errno = S_ISDIR(st.st_mode) ? EISDIR : ENOTSUP;
		return NULL;
	}
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	do {
		if (cap - n < 4096) {
			cap = cap ? cap * 2 : 8192;
			nb = realloc(buf, cap + 1);
			if (!nb) {
				free(buf);
				fclose(f);
				errno = ENOMEM;
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	if (ferror(f)) {
		free(buf);
		fclose(f);
		errno = EIO;
		return NULL;
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

const char *read_file_strerror(int err)
{
	return err == ENOTSUP ? "not a regular file" : strerror(err);
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
