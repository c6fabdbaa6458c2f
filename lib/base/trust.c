// SPDX-License-Identifier: GPL-2.0-only
#include "base/trust.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool trusted_owner(uid_t uid)
{
	static int exe_known;	/* 0 not looked up, 1 found, -1 none */
	static uid_t exe_uid;
	struct stat st;

	if (uid == 0 || uid == getuid())
		return true;
	if (!exe_known) {
		exe_known = stat("/proc/self/exe", &st) ? -1 : 1;
		if (exe_known > 0)
			exe_uid = st.st_uid;
	}
	return exe_known > 0 && uid == exe_uid;
}

/* lstat and check path; sticky_ok lets others write to a sticky directory. */
static int check(const char *path, mode_t type, bool sticky_ok, char *why, size_t len)
{
	struct stat st;

	if (lstat(path, &st)) {
		int e = errno;

		snprintf(why, len, "%s: %s", path, strerror(e));
		return -e;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(why, len, "%s is a symbolic link (name the real path)", path);
		return -EPERM;
	}
	if ((st.st_mode & S_IFMT) != type) {
		snprintf(why, len, "%s is not a %s", path,
			 type == S_IFDIR ? "directory" : "regular file");
		return -EPERM;
	}
	if (!trusted_owner(st.st_uid)) {
		snprintf(why, len, "%s is owned by uid %u, not by root, uid %u or the runner's owner",
			 path, (unsigned int)st.st_uid, (unsigned int)getuid());
		return -EPERM;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(sticky_ok && (st.st_mode & S_ISVTX))) {
		snprintf(why, len, "%s is writable by its group or others (mode %04o; chmod go-w)",
			 path, (unsigned int)(st.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

int trust_path(const char *path, mode_t type, char *why, size_t len)
{
	return check(path, type, false, why, len);
}

/* "." or ".." as a part of path: its ancestors would not be the ones checked. */
static bool dot_part(const char *path)
{
	for (const char *p = path; *p; p++)
		if (*p == '.' && (p == path || p[-1] == '/') &&
		    (!p[1] || p[1] == '/' || (p[1] == '.' && (!p[2] || p[2] == '/'))))
			return true;
	return false;
}

int trust_dir_chain(const char *dir, char *why, size_t len)
{
	char path[PATH_MAX];
	size_t n = strlen(dir);
	int ret;

	if (dir[0] != '/' || n >= sizeof(path)) {
		snprintf(why, len, "%s: expected an absolute path", dir);
		return -EINVAL;
	}
	if (dot_part(dir)) {
		snprintf(why, len, "%s: expected a path without . or .. parts", dir);
		return -EINVAL;
	}
	memcpy(path, dir, n + 1);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
	ret = check("/", S_IFDIR, n > 1, why, len);
	/* Each ancestor, cut at the '/' after it, then dir itself. */
	for (char *p = path + 1; !ret && *p; p++) {
		char *end = strchr(p, '/');

		if (end == p)
			continue;	/* "//" */
		if (!end)
			return check(path, S_IFDIR, false, why, len);
		*end = '\0';
		ret = check(path, S_IFDIR, true, why, len);
		*end = '/';
		p = end;
	}
	return ret;
}

int trust_exec(const char *path, char *why, size_t len)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int ret;

	if (path[0] != '/' || !slash || (size_t)(slash - path) >= sizeof(dir)) {
		snprintf(why, len, "%s: expected an absolute path", path);
		return -EINVAL;
	}
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	ret = trust_dir_chain(dir[0] ? dir : "/", why, len);
	return ret ? ret : trust_path(path, S_IFREG, why, len);
}
