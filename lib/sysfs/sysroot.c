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
static char capture_dir[PATH_MAX];	/* its name, for messages */
static int capture_fd = -1;		/* made or checked by sysroot_capture_to() */

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

/*
 * Resolving a path below a root directory (the replay or the capture
 * directory) the way the kernel resolves sysfs paths, links included, but
 * never out of it: a capture stores sysfs links as links (device/driver,
 * iommu, iommu_group, class/block/NAME), and one that leads out of it,
 * absolute or by "..", would let a capture read or write any file.
 */
#define MAX_LINKS 40	/* links in one resolution, as the kernel's MAXSYMLINKS */
#define MAX_NEST 8	/* links within links */

struct walk {
	int root;		/* directory fd everything stays below */
	const char *name;	/* its name, for messages */
	bool create;		/* capture: make missing directories on the way */
	int links, depth;
};

/* A link (NULL: the path itself) that leads out of the root; refused. */
static int outside(const struct walk *w, const char *link, const char *target)
{
	if (link)
		fprintf(stderr, "snoopcheck: %s/%s: link to '%s' leads out of %s; not followed\n",
			w->name, link, target, w->name);
	else
		fprintf(stderr, "snoopcheck: %s: '%s' leads out of it\n", w->name, target);
	return -EXDEV;
}

static int walk(struct walk *w, char *cur, size_t cap, const char *rel, bool follow_last,
		const char *link);

/* cur is a link, its parent is cur[0..parent): resolve it there, into cur. */
static int follow(struct walk *w, char *cur, size_t cap, size_t parent)
{
	char link[PATH_MAX], target[PATH_MAX];
	ssize_t n;
	int err;

	if (++w->links > MAX_LINKS || w->depth >= MAX_NEST)
		return -ELOOP;
	n = readlinkat(w->root, cur, target, sizeof(target));
	if (n < 0)
		return -errno;
	if ((size_t)n >= sizeof(target))
		return -ENAMETOOLONG;
	target[n] = '\0';
	path_fmt(link, sizeof(link), "%s", cur);
	if (target[0] == '/')
		return outside(w, link, target);
	cur[parent] = '\0';
	w->depth++;
	err = walk(w, cur, cap, target, true, link);
	w->depth--;
	return err;
}

/*
 * Resolve rel relative to cur, a directory below the root ("" for the root
 * itself) named without links, into cur: "." and ".." by name (cur has no
 * links, so its parent is its parent), links by following their targets
 * from their directory. follow_last: a link as the last component is
 * followed too. link: the link whose target rel is, for messages.
 */
static int walk(struct walk *w, char *cur, size_t cap, const char *rel, bool follow_last,
		const char *link)
{
	const char *p = rel;

	for (;;) {
		size_t n, parent;
		const char *end;
		struct stat st;
		bool last;

		p += strspn(p, "/");
		if (!*p)
			return 0;
		end = strchrnul(p, '/');
		n = (size_t)(end - p);
		last = !end[strspn(end, "/")];
		if (n == 1 && p[0] == '.') {
			p = end;
			continue;
		}
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *slash = strrchr(cur, '/');

			if (!*cur)
				return outside(w, link, rel);
			*(slash ? slash : cur) = '\0';
			p = end;
			continue;
		}
		parent = strlen(cur);
		if (parent + 1 + n >= cap)
			return -ENAMETOOLONG;
		if (parent)
			cur[parent] = '/';
		memcpy(cur + parent + !!parent, p, n);
		cur[parent + !!parent + n] = '\0';
		p = end;
		if (last && !follow_last)
			return 0;
		if (fstatat(w->root, cur, &st, AT_SYMLINK_NOFOLLOW)) {
			if (errno != ENOENT || !w->create)
				return -errno;
			if (mkdirat(w->root, cur, 0755) && errno != EEXIST)
				return -errno;
		} else if (S_ISLNK(st.st_mode)) {
			int err = follow(w, cur, cap, parent);

			if (err)
				return err;
		} else if (!last && !S_ISDIR(st.st_mode)) {
			return -ENOTDIR;
		}
	}
}

/*
 * Where a path is, to use with the *at() calls: a directory fd and the
 * name in it. Live, the path as it is (the kernel resolves sysfs links).
 */
struct place {
	int dir;		/* AT_FDCWD live; else to close with place_done() */
	const char *name;	/* the last component in dir ("." for the root) */
	char path[PATH_MAX];	/* below a root: the path resolved, no links in it */
};

static void place_done(struct place *pl)
{
	if (pl->dir >= 0)
		close(pl->dir);
	pl->dir = -1;
}

/*
 * Open the directory that holds pl->path, which walk() resolved, one
 * component at a time refusing a link at each: what was checked is what
 * is used, whatever changed in between.
 */
static int open_parent(int root, struct place *pl)
{
	char *p = pl->path, *slash;
	int fd = openat(root, ".", O_PATH | O_DIRECTORY | O_CLOEXEC), next, err;

	while (fd >= 0 && (slash = strchr(p, '/'))) {
		*slash = '\0';
		next = openat(fd, p, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		err = errno;
		*slash = '/';
		close(fd);
		fd = next;
		errno = err;
		p = slash + 1;
	}
	if (fd < 0)
		return -errno;
	pl->dir = fd;
	pl->name = *p ? p : ".";
	return 0;
}

/* path resolved below root (see walk()); 0 or -errno, pl to place_done(). */
static int place_below(int root, const char *rootname, bool create, const char *path,
		       bool follow_last, struct place *pl)
{
	struct walk w = { .root = root, .name = rootname, .create = create };
	int err;

	pl->dir = -1;
	pl->path[0] = '\0';
	err = walk(&w, pl->path, sizeof(pl->path), path, follow_last, NULL);
	return err ? err : open_parent(root, pl);
}

/*
 * Where discovery reads path: live, as it is; in replay, inside the replay
 * directory. follow_last: a link as the last component is followed too.
 */
static int locate(const char *path, bool follow_last, struct place *pl)
{
	int root, err;

	if (!replay_dir[0]) {
		pl->dir = AT_FDCWD;
		pl->name = path;
		return 0;
	}
	root = open(replay_dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (root < 0)
		return -errno;
	err = place_below(root, replay_dir, false, path, follow_last, pl);
	close(root);
	return err;
}

/*
 * Where path goes in the capture, directories made on the way. Failures
 * to record are reported but do not stop discovery.
 */
static int capture_place(const char *path, bool follow_last, struct place *pl)
{
	return place_below(capture_fd, capture_dir, true, path, follow_last, pl);
}

static void capture_failed(const char *path, int err)
{
	if (err == -EXDEV)
		return;	/* outside() said which link */
	fprintf(stderr, "snoopcheck: capture %s%s: %s\n", capture_dir, path, strerror(-err));
}

/* Refuse a capture directory: the message says why, and what to do. */
static int refuse(const char *dir, const char *why, int err)
{
	fprintf(stderr, "%s: %s\n", dir, why);
	return err;
}

/* 1 if the directory fd holds nothing, 0 if it does, -errno. */
static int dir_empty(int fd)
{
	int dfd = dup(fd), n = 0;
	struct dirent *de;
	DIR *d;

	if (dfd < 0)
		return -errno;
	d = fdopendir(dfd);
	if (!d) {
		n = -errno;
		close(dfd);
		return n;
	}
	while ((de = readdir(d)))
		n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
	closedir(d);
	return !n;
}

/*
 * A directory is taken for a capture only if it is this user's and others
 * may not write to it (checked on the one just made too: it could have
 * been swapped), and, unless just made, if it is empty. 0, or -errno with
 * why said in why.
 */
static int trusted(int fd, bool made, char *why, size_t len)
{
	struct stat st;
	int empty;

	if (fstat(fd, &st)) {
		empty = -errno;
		snprintf(why, len, "cannot capture here: %s", strerror(-empty));
		return empty;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 022)) {
		snprintf(why, len, "exists and %s (owner uid %u, mode %04o); capture into a new directory",
			 st.st_uid != geteuid() ? "is another user's" : "others may write to it",
			 (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
		return -EPERM;
	}
	empty = made ? 1 : dir_empty(fd);
	if (empty < 0) {
		snprintf(why, len, "cannot list it: %s", strerror(-empty));
		return empty;
	}
	if (!empty) {
		snprintf(why, len, "already exists and is not empty; capture into a new or empty directory");
		return -EEXIST;
	}
	return 0;
}

/*
 * The capture writes, as root, into a directory it made itself, or into an
 * empty one only its user may write (mktemp -d): in one that holds
 * anything already, or that others may write, planted links could steer
 * those writes. A link as the directory itself is refused too.
 */
int sysroot_capture_to(const char *dir)
{
	char d[PATH_MAX], why[128];
	struct stat st;
	bool made = false;
	int fd, err;
	size_t n;

	if (capture_fd >= 0)
		close(capture_fd);
	capture_fd = -1;
	capture_dir[0] = '\0';
	if (!dir || !*dir)
		return 0;
	path_fmt(d, sizeof(d), "%s", dir);
	for (n = strlen(d); n > 1 && d[n - 1] == '/'; n--)
		d[n - 1] = '\0';	/* "link/" would follow the link */
	if (!mkdir_parents(d) && !mkdir(d, 0755)) {
		made = true;
	} else if (errno != EEXIST) {
		err = -errno;
		snprintf(why, sizeof(why), "cannot create: %s", strerror(-err));
		return refuse(dir, why, err);
	}
	fd = open(d, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		/* O_DIRECTORY|O_NOFOLLOW says ENOTDIR for a link */
		if (!lstat(d, &st) && S_ISLNK(st.st_mode))
			return refuse(dir, "is a symbolic link; capture into a new directory, "
				      "never through a link", -ELOOP);
		snprintf(why, sizeof(why), "cannot capture here: %s", strerror(-err));
		return refuse(dir, why, err);
	}
	err = trusted(fd, made, why, sizeof(why));
	if (err) {
		close(fd);
		return refuse(dir, why, err);
	}
	capture_fd = fd;
	path_fmt(capture_dir, sizeof(capture_dir), "%s", d);
	return 0;
}

int sysroot_capture_write(const char *path, const void *data, size_t len)
{
	struct place pl;
	int err;

	if (capture_fd < 0)
		return -EBADF;
	err = capture_place(path, false, &pl);
	if (!err && write_file_atomic_at(pl.dir, pl.name, data, len))
		err = -errno;
	place_done(&pl);
	return err;
}

static void capture_file(const char *path, const char *data, size_t n)
{
	int err;

	if (capture_fd < 0)
		return;
	err = sysroot_capture_write(path, data, n);
	if (err)
		capture_failed(path, err);
}

/*
 * Sysfs links point at kobject directories. The link is recorded as a
 * link, and a relative target is made in the capture too (inside it
 * only), so files later read through the link (class/block/vda/dev) land
 * where replay will find them by following it.
 */
static void capture_link(const char *path, const char *target)
{
	struct place pl;
	int err;

	if (capture_fd < 0)
		return;
	err = capture_place(path, false, &pl);
	if (!err) {
		unlinkat(pl.dir, pl.name, 0);	/* a link captured before */
		if (symlinkat(target, pl.dir, pl.name))
			err = -errno;
	}
	place_done(&pl);
	if (!err && target[0] != '/') {
		err = capture_place(path, true, &pl);
		place_done(&pl);
	}
	if (err)
		capture_failed(path, err);
}

/*
 * Record that path exists as what it is: a link as a link (class and bus
 * directories hold links), a directory as a directory. A file is recorded
 * when read; `placeholder` leaves an empty one meanwhile (existence checks
 * of device nodes), never over one already captured.
 */
static void capture_entry(const char *path, bool placeholder)
{
	char target[PATH_MAX];
	struct place pl;
	struct stat st;
	ssize_t n;
	int err, fd;

	if (capture_fd < 0 || locate(path, false, &pl))
		return;
	err = fstatat(pl.dir, pl.name, &st, AT_SYMLINK_NOFOLLOW) ? -errno : 0;
	n = !err && S_ISLNK(st.st_mode) ? readlinkat(pl.dir, pl.name, target, sizeof(target)) : -1;
	place_done(&pl);
	if (err)
		return;
	if (S_ISLNK(st.st_mode)) {
		if (n >= 0 && (size_t)n < sizeof(target)) {
			target[n] = '\0';
			capture_link(path, target);
		}
		return;
	}
	if (!S_ISDIR(st.st_mode) && !placeholder)
		return;
	err = capture_place(path, S_ISDIR(st.st_mode), &pl);
	if (!err && !S_ISDIR(st.st_mode)) {
		fd = openat(pl.dir, pl.name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			    0644);
		if (fd >= 0)
			close(fd);
		else if (errno != EEXIST)
			err = -errno;
	}
	place_done(&pl);
	if (err)
		capture_failed(path, err);
}

/* Say why a file could not be read where the reason is not the usual one. */
static void read_failed(const char *path, int err)
{
	if (err == -ENOTSUP || err == -ELOOP || err == -EFBIG)
		fprintf(stderr, "snoopcheck: %s%s: %s\n", replay_dir, path,
			read_file_strerror(-err));
}

/*
 * Read path (see locate()) into buf: at most len bytes, or -EFBIG when
 * the file holds more than SYSFS_READ_MAX. *got: how many were read.
 */
static int read_into(const char *path, char *buf, size_t len, ssize_t *got)
{
	struct place pl;
	size_t want;
	int fd, err;

	err = locate(path, false, &pl);
	if (err)
		return err;
	fd = open_regular(pl.dir, pl.name, RD_NOFOLLOW);
	err = fd < 0 ? -errno : 0;
	place_done(&pl);
	if (!err) {
		/* a file longer than buf is cut short; one byte past the bound shows it too large */
		want = len > SYSFS_READ_MAX ? SYSFS_READ_MAX + 1 : len;
		*got = read_upto(fd, buf, want);
		err = *got < 0 ? -errno : (size_t)*got > SYSFS_READ_MAX ? -EFBIG : 0;
		close(fd);
	}
	if (err)
		read_failed(path, err);
	return err;
}

int sysfs_read(const char *path, char *buf, size_t len)
{
	ssize_t got = 0;
	int err;

	if (!len)
		return -EINVAL;
	err = read_into(path, buf, len - 1, &got);
	if (err)
		return err;
	buf[got] = '\0';
	capture_file(path, buf, (size_t)got);
	while (got && (buf[got - 1] == '\n' || buf[got - 1] == ' '))
		buf[--got] = '\0';
	return 0;
}

int sysfs_read_bin(const char *path, char **data, size_t *len)
{
	char *buf = malloc(SYSFS_READ_MAX + 1);
	ssize_t got = 0;
	int err;

	if (!buf)
		return -ENOMEM;
	err = read_into(path, buf, SYSFS_READ_MAX + 1, &got);
	if (err) {
		free(buf);
		return err;
	}
	capture_file(path, buf, (size_t)got);
	*data = buf;
	*len = (size_t)got;
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
	struct place pl;
	ssize_t n;
	int err;

	if (!len)
		return -EINVAL;
	err = locate(path, false, &pl);
	if (err)
		return err;
	n = readlinkat(pl.dir, pl.name, buf, len - 1);
	err = n < 0 ? -errno : (size_t)n >= len - 1 ? -ENAMETOOLONG : 0;
	place_done(&pl);
	if (err)
		return err;
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
	struct place pl;
	struct stat st;
	int found;

	if (locate(path, false, &pl))
		return 0;
	found = !fstatat(pl.dir, pl.name, &st, AT_SYMLINK_NOFOLLOW);
	place_done(&pl);
	if (found)
		capture_entry(path, true);
	return found;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int sysfs_list(const char *dir, char ***names)
{
	struct place pl;
	struct dirent *de;
	char **v = NULL, **nv;
	size_t n = 0, cap = 0;
	int fd, err;
	DIR *d;

	err = locate(dir, true, &pl);
	if (err)
		return err;
	/* below a root, the name is resolved: a link there now is a swap */
	fd = openat(pl.dir, pl.name, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
		    (pl.dir == AT_FDCWD ? 0 : O_NOFOLLOW));
	err = -errno;
	place_done(&pl);
	if (fd < 0)
		return err;
	d = fdopendir(fd);
	if (!d) {
		err = -errno;
		close(fd);
		return err;
	}
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
