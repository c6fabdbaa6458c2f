// SPDX-License-Identifier: GPL-2.0-only
#include "sysfs/sysroot.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fsutil.h"

static char replay_dir[PATH_MAX];
static char capture_dir[PATH_MAX];

void path_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len) {
		fprintf(stderr, "snoopcheck: path too long: %s\n", buf);
		abort();
	}
}

void sysroot_replay_from(const char *dir)
{
	path_fmt(replay_dir, sizeof(replay_dir), "%s", dir ? dir : "");
}

const char *sysroot_replay_dir(void)
{
	return replay_dir[0] ? replay_dir : NULL;
}

int sysroot_capture_to(const char *dir)
{
	path_fmt(capture_dir, sizeof(capture_dir), "%s", dir ? dir : "");
	return 0;
}

static void real_path(char *buf, size_t len, const char *path)
{
	path_fmt(buf, len, "%s%s", replay_dir, path);
}

/* Capture helpers: failures to record are reported but do not stop discovery. */
static void capture_path(char *buf, size_t len, const char *path)
{
	path_fmt(buf, len, "%s%s", capture_dir, path);
}

static void capture_file(const char *path, const char *data, size_t n)
{
	char dst[PATH_MAX];

	if (!capture_dir[0])
		return;
	capture_path(dst, sizeof(dst), path);
	if (mkdir_parents(dst) || write_file_atomic(dst, data, n))
		fprintf(stderr, "snoopcheck: capture %s: %s\n", dst, strerror(errno));
}

/*
 * Sysfs links point at kobject directories. A relative target is created
 * in the capture too, so files later read through the link (class/block/
 * vda/dev) land where replay will find them by following it.
 */
static void capture_link(const char *path, const char *target)
{
	char dst[PATH_MAX], tdir[PATH_MAX];
	char *slash;

	if (!capture_dir[0])
		return;
	capture_path(dst, sizeof(dst), path);
	if (mkdir_parents(dst))
		goto fail;
	unlink(dst);
	if (symlink(target, dst))
		goto fail;
	if (target[0] != '/') {
		path_fmt(tdir, sizeof(tdir), "%s", dst);
		slash = strrchr(tdir, '/');
		slash[1] = '\0';
		if (strlen(tdir) + strlen(target) < sizeof(tdir)) {
			strcat(tdir, target);
			if (mkdir_p(tdir))
				goto fail;
		}
	}
	return;
fail:
	fprintf(stderr, "snoopcheck: capture %s: %s\n", dst, strerror(errno));
}

/*
 * Record that path exists as what it is: a link as a link (class and bus
 * directories hold links), a directory as a directory. A file is recorded
 * when read; `placeholder` leaves an empty one meanwhile (existence checks
 * of device nodes), never over one already captured.
 */
static void capture_entry(const char *path, bool placeholder)
{
	char live[PATH_MAX], dst[PATH_MAX], target[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (!capture_dir[0])
		return;
	real_path(live, sizeof(live), path);
	if (lstat(live, &st))
		return;
	if (S_ISLNK(st.st_mode)) {
		n = readlink(live, target, sizeof(target) - 1);
		if (n >= 0) {
			target[n] = '\0';
			capture_link(path, target);
		}
		return;
	}
	capture_path(dst, sizeof(dst), path);
	if (S_ISDIR(st.st_mode)) {
		if (mkdir_p(dst))
			goto fail;
	} else if (placeholder && lstat(dst, &st)) {
		if (mkdir_parents(dst) || write_file_atomic(dst, "", 0))
			goto fail;
	}
	return;
fail:
	fprintf(stderr, "snoopcheck: capture %s: %s\n", dst, strerror(errno));
}

int sysfs_read(const char *path, char *buf, size_t len)
{
	char p[PATH_MAX];
	ssize_t n;
	size_t got = 0;
	int fd, err = 0;

	if (!len)
		return -EINVAL;
	real_path(p, sizeof(p), path);
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (got < len - 1) {
		n = read(fd, buf + got, len - 1 - got);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (err)
		return err;
	buf[got] = '\0';
	capture_file(path, buf, got);
	while (got && (buf[got - 1] == '\n' || buf[got - 1] == ' '))
		buf[--got] = '\0';
	return 0;
}

int sysfs_read_u64(const char *path, int base, uint64_t *val)
{
	char buf[64], *end;
	int err = sysfs_read(path, buf, sizeof(buf));

	if (err)
		return err;
	errno = 0;
	*val = strtoull(buf, &end, base);
	if (errno || end == buf || *end)
		return -EINVAL;
	return 0;
}

int sysfs_link_target(const char *path, char *buf, size_t len)
{
	char p[PATH_MAX];
	ssize_t n;

	if (!len)
		return -EINVAL;
	real_path(p, sizeof(p), path);
	n = readlink(p, buf, len - 1);
	if (n < 0)
		return -errno;
	if ((size_t)n >= len - 1)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	capture_link(path, buf);
	return 0;
}

int sysfs_link_name(const char *path, char *buf, size_t len)
{
	char target[PATH_MAX];
	const char *base;
	int err = sysfs_link_target(path, target, sizeof(target));

	if (err)
		return err;
	base = strrchr(target, '/');
	base = base ? base + 1 : target;
	if (strlen(base) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, base);
	return 0;
}

int sysfs_exists(const char *path)
{
	char p[PATH_MAX];
	struct stat st;

	real_path(p, sizeof(p), path);
	if (lstat(p, &st))
		return 0;
	capture_entry(path, true);
	return 1;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int sysfs_list(const char *dir, char ***names)
{
	char p[PATH_MAX];
	struct dirent *de;
	char **v = NULL, **nv;
	size_t n = 0, cap = 0;
	DIR *d;

	real_path(p, sizeof(p), dir);
	d = opendir(p);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (n + 2 > cap) {
			cap = cap ? cap * 2 : 16;
			nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				goto oom;
			v = nv;
		}
		v[n] = strdup(de->d_name);
		if (!v[n])
			goto oom;
		v[++n] = NULL;
	}
	closedir(d);
	if (!v) {
		v = calloc(1, sizeof(*v));
		if (!v)
			return -ENOMEM;
	}
	qsort(v, n, sizeof(*v), cmp_names);
	for (size_t i = 0; i < n; i++) {
		char entry[PATH_MAX];

		path_fmt(entry, sizeof(entry), "%s/%s", dir, v[i]);
		capture_entry(entry, false);
	}
	*names = v;
	return (int)n;
oom:
	closedir(d);
	if (v)
		v[n] = NULL;
	sysfs_list_free(v);
	return -ENOMEM;
}

void sysfs_list_free(char **names)
{
	if (!names)
		return;
	for (char **p = names; *p; p++)
		free(*p);
	free(names);
}
