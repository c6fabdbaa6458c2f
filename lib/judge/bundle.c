// SPDX-License-Identifier: GPL-2.0-only
#include "judge/bundle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "base/fsutil.h"
#include "base/sha256.h"
#include "sysfs/sysroot.h"

#define MANIFEST "manifest.json"
#define FORMAT "snoopcheck-bundle"
/* More than any capture and run logs; a bigger archive is not a bundle. */
#define UNPACK_MAX ((int64_t)1 << 30)

static void sanitized(char *out, size_t len, const char *s)
{
	size_t i = 0;

	for (; s && *s && i + 1 < len; s++, i++) {
		char c = *s;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';

		out[i] = ok ? c : '_';
	}
	out[i] = '\0';
}

int bundle_name(const struct bundle_spec *s, char *name, size_t len)
{
	char plat[96], kern[160], stamp[96], digest[SHA256_HEX_LEN];
	size_t n = strlen(s->platform_id);
	const char *run = s->run_id;

	if (sha256_hex(s->results, s->results_len, digest))
		return -ENOMEM;
	/* A run id is PLATFORM-STAMP (results.c): the name says the platform once. */
	if (!strncmp(run, s->platform_id, n) && run[n] == '-')
		run += n + 1;
	sanitized(plat, sizeof(plat), s->platform_id);
	sanitized(kern, sizeof(kern), s->kernel_release[0] ? s->kernel_release : "unknown");
	sanitized(stamp, sizeof(stamp), run);
	snprintf(name, len, "snoopcheck-%s-%s-%s-%.8s", plat, kern, stamp, digest);
	return 0;
}

struct writer {
	struct archive *a;
	json_object *files;		/* the manifest's list */
	const char *name;		/* NAME/, every entry's first component */
	FILE *err;
	int ret;			/* the first failure, -errno */
};

static int fail(struct writer *w, int e, const char *what, const char *why)
{
	fprintf(w->err, "runner bundle: %s: %s\n", what, why);
	if (!w->ret)
		w->ret = -e;
	return -e;
}

static int header(struct writer *w, const char *apath, mode_t type, int64_t size,
		  time_t mtime, const char *target)
{
	struct archive_entry *e = archive_entry_new();
	char full[PATH_MAX];
	int r;

	if (!e)
		return fail(w, ENOMEM, apath, "out of memory");
	if (*apath)
		path_fmt(full, sizeof(full), "%s/%s", w->name, apath);
	else
		path_fmt(full, sizeof(full), "%s/", w->name);
	archive_entry_set_pathname(e, full);
	archive_entry_set_filetype(e, type);
	/* Whose files they were on the vendor's machine is no one's business. */
	archive_entry_set_perm(e, type == AE_IFDIR ? 0755 : type == AE_IFLNK ? 0777 : 0644);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	archive_entry_set_mtime(e, mtime, 0);
	if (type == AE_IFREG)
		archive_entry_set_size(e, size);
	if (target)
		archive_entry_set_symlink(e, target);
	r = archive_write_header(w->a, e);
	archive_entry_free(e);
	if (r != ARCHIVE_OK)
		return fail(w, EIO, full, archive_error_string(w->a));
	return 0;
}

static void list_file(struct writer *w, const char *apath, int64_t size, const char *sha)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "path", json_object_new_string(apath));
	json_object_object_add(o, "type", json_object_new_string("file"));
	json_object_object_add(o, "size", json_object_new_int64(size));
	json_object_object_add(o, "sha256", json_object_new_string(sha));
	json_object_array_add(w->files, o);
}

static int write_data(struct writer *w, const char *apath, const void *data, size_t len)
{
	if (archive_write_data(w->a, data, len) != (la_ssize_t)len)
		return fail(w, EIO, apath, archive_error_string(w->a));
	return 0;
}

/* A buffer as one file of the bundle (results.json, manifest.json). */
static int add_buffer(struct writer *w, const char *apath, const char *data, size_t len,
		      bool listed)
{
	char sha[SHA256_HEX_LEN];

	if (sha256_hex(data, len, sha))
		return fail(w, ENOMEM, apath, "out of memory");
	if (header(w, apath, AE_IFREG, (int64_t)len, time(NULL), NULL) ||
	    write_data(w, apath, data, len))
		return w->ret;
	if (listed)
		list_file(w, apath, (int64_t)len, sha);
	return 0;
}

/* A regular file, read as one when opened: a link or a FIFO put in its place is refused. */
static int add_file(struct writer *w, int dirfd, const char *name, const char *apath)
{
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	char buf[65536], sha[SHA256_HEX_LEN];
	struct sha256 h;
	struct stat st;
	int64_t total = 0;
	ssize_t n;

	if (fd < 0)
		return fail(w, errno, apath, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return fail(w, EINVAL, apath, "not a regular file when opened");
	}
	if (sha256_init(&h)) {
		close(fd);
		return fail(w, ENOMEM, apath, "out of memory");
	}
	if (header(w, apath, AE_IFREG, st.st_size, st.st_mtime, NULL))
		goto out;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (total + n > st.st_size)
			break;
		sha256_update(&h, buf, (size_t)n);
		if (write_data(w, apath, buf, (size_t)n))
			goto out;
		total += n;
	}
	if (n < 0)
		fail(w, errno, apath, strerror(errno));
	else if (total != st.st_size)
		fail(w, EAGAIN, apath, "changed size while it was being bundled");
out:
	sha256_final(&h, sha);
	close(fd);
	if (!w->ret)
		list_file(w, apath, total, sha);
	return w->ret;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in dirfd, so two bundles of the same files are alike. */
static char **names_in(int dirfd, size_t *n)
{
	int fd = dup(dirfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	char **v = NULL;
	size_t cap = 0;
	struct dirent *de;

	*n = 0;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (*n == cap) {
			char **nv = realloc(v, (cap = cap ? 2 * cap : 32) * sizeof(*v));

			if (!nv) {
				/* A short list would be a bundle missing files: none at all. */
				for (size_t i = 0; i < *n; i++)
					free(v[i]);
				free(v);
				closedir(d);
				errno = ENOMEM;
				return NULL;
			}
			v = nv;
		}
		v[(*n)++] = strdup(de->d_name);
	}
	closedir(d);
	if (v)
		qsort(v, *n, sizeof(*v), by_name);
	return v ? v : calloc(1, sizeof(*v));
}

static int add_tree(struct writer *w, int dirfd, const char *apath)
{
	size_t n;
	char **names = names_in(dirfd, &n);

	if (!names)
		return fail(w, errno ? errno : ENOMEM, apath, "cannot list");
	for (size_t i = 0; i < n && !w->ret; i++) {
		char sub[PATH_MAX], target[PATH_MAX];
		struct stat st;

		if (!names[i]) {
			fail(w, ENOMEM, apath, "out of memory");
			break;
		}
		path_fmt(sub, sizeof(sub), "%s/%s", apath, names[i]);
		if (fstatat(dirfd, names[i], &st, AT_SYMLINK_NOFOLLOW)) {
			fail(w, errno, sub, strerror(errno));
		} else if (S_ISDIR(st.st_mode)) {
			int fd = openat(dirfd, names[i], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (fd < 0) {
				fail(w, errno, sub, strerror(errno));
			} else if (!header(w, sub, AE_IFDIR, 0, st.st_mtime, NULL)) {
				add_tree(w, fd, sub);
			}
			if (fd >= 0)
				close(fd);
		} else if (S_ISLNK(st.st_mode)) {
			ssize_t len = readlinkat(dirfd, names[i], target, sizeof(target) - 1);
			json_object *o;

			if (len < 0) {
				fail(w, errno, sub, strerror(errno));
				continue;
			}
			target[len] = '\0';
			if (header(w, sub, AE_IFLNK, 0, st.st_mtime, target))
				continue;
			o = json_object_new_object();
			json_object_object_add(o, "path", json_object_new_string(sub));
			json_object_object_add(o, "type", json_object_new_string("link"));
			json_object_object_add(o, "target", json_object_new_string(target));
			json_object_array_add(w->files, o);
		} else if (S_ISREG(st.st_mode)) {
			add_file(w, dirfd, names[i], sub);
		} else {
			fail(w, EINVAL, sub, "not a regular file, directory or link");
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return w->ret;
}

/* A directory given on the command line: itself no link either. */
static int add_dir(struct writer *w, const char *dir, const char *apath)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return fail(w, errno, dir, errno == ELOOP ? "a link, not a directory" :
			    strerror(errno));
	if (!fstat(fd, &st) && !header(w, apath, AE_IFDIR, 0, st.st_mtime, NULL))
		add_tree(w, fd, apath);
	close(fd);
	return w->ret;
}

static json_object *manifest(const struct bundle_spec *s, const char *name, json_object *files)
{
	json_object *m = json_object_new_object();
	char when[32];
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_object_add(m, "format", json_object_new_string(FORMAT));
	json_object_object_add(m, "format_version", json_object_new_int(1));
	json_object_object_add(m, "name", json_object_new_string(name));
	json_object_object_add(m, "platform_id", json_object_new_string(s->platform_id));
	json_object_object_add(m, "kernel_release", json_object_new_string(s->kernel_release));
	json_object_object_add(m, "run_id", json_object_new_string(s->run_id));
	json_object_object_add(m, "snoopcheck_commit", s->commit && *s->commit ?
			       json_object_new_string(s->commit) : NULL);
	json_object_object_add(m, "created", json_object_new_string(when));
	json_object_object_add(m, "files", files);
	return m;
}

static int write_all(struct writer *w, const struct bundle_spec *s)
{
	json_object *m;
	const char *text;

	if (header(w, "", AE_IFDIR, 0, time(NULL), NULL))
		return w->ret;
	if (add_buffer(w, "results.json", s->results, s->results_len, true))
		return w->ret;
	if (s->logs_dir && add_dir(w, s->logs_dir, "logs"))
		return w->ret;
	if (s->capture_dir && add_dir(w, s->capture_dir, "capture"))
		return w->ret;
	m = manifest(s, w->name, json_object_get(w->files));
	text = json_object_to_json_string_ext(m, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	add_buffer(w, MANIFEST, text, strlen(text), false);
	json_object_put(m);
	return w->ret;
}

int bundle_write(const struct bundle_spec *s, const char *outdir, char *path, size_t len,
		 FILE *err)
{
	char name[512], tmp[PATH_MAX];
	struct writer w = { .err = err };
	mode_t mask;
	int fd, ret;

	if (bundle_name(s, name, sizeof(name)))
		return -ENOMEM;
	w.name = name;
	if (mkdir_p(outdir)) {
		fprintf(err, "runner bundle: %s: cannot create: %s\n", outdir, strerror(errno));
		return -errno;
	}
	path_fmt(path, len, "%s/%s.tar", outdir, name);
	path_fmt(tmp, sizeof(tmp), "%s/.%s.tar.XXXXXX", outdir, name);
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(err, "runner bundle: %s: %s\n", tmp, strerror(errno));
		return -errno;
	}
	/* mkstemp makes it 0600; a bundle is for sending, as any file would be made. */
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	w.a = archive_write_new();
	w.files = json_object_new_array();
	if (!w.a || archive_write_set_format_pax_restricted(w.a) != ARCHIVE_OK ||
	    archive_write_open_fd(w.a, fd) != ARCHIVE_OK)
		fail(&w, EIO, tmp, w.a ? archive_error_string(w.a) : "out of memory");
	else
		write_all(&w, s);
	if (w.a && archive_write_close(w.a) != ARCHIVE_OK)
		fail(&w, EIO, tmp, archive_error_string(w.a));
	archive_write_free(w.a);
	json_object_put(w.files);
	if (!w.ret && fsync(fd))
		fail(&w, errno, tmp, strerror(errno));
	close(fd);
	/* link(), not rename(): a bundle already there stays as it was. */
	if (!w.ret && link(tmp, path))
		fail(&w, errno, path, errno == EEXIST ? "exists; not overwritten" : strerror(errno));
	ret = w.ret;
	unlink(tmp);
	return ret;
}

/* What the archive held, to hold against the manifest. */
struct held {
	char *path;			/* below NAME/ */
	bool link;
	int64_t size;
	char sha[SHA256_HEX_LEN];
	char *target;
};

struct reader {
	const char *tar;
	FILE *err;
	int bad;
	struct held *v;
	size_t n, cap;
	char *manifest;			/* manifest.json's bytes */
	size_t manifest_len;
};

static void problem(struct reader *r, const char *path, const char *fmt, const char *arg)
{
	fprintf(r->err, "%s: %s: ", r->tar, path);
	fprintf(r->err, fmt, arg);
	fputc('\n', r->err);
	r->bad++;
}

static struct held *hold(struct reader *r, const char *path)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct held *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		r->v = v;
		r->cap = cap;
	}
	memset(&r->v[r->n], 0, sizeof(r->v[r->n]));
	r->v[r->n].path = strdup(path);
	return r->v[r->n].path ? &r->v[r->n++] : NULL;
}

/*
 * An entry's path: relative, no "." or ".." component, under the first
 * entry's top directory. Sets *below to the part under it ("" for itself).
 */
static bool path_ok(const char *p, char *top, size_t len, const char **below)
{
	const char *slash = strchr(p, '/');
	size_t n = slash ? (size_t)(slash - p) : strlen(p);

	if (!*p || *p == '/' || n == 0 || n >= len)
		return false;
	for (const char *c = p; *c;) {
		size_t k = strcspn(c, "/");

		if ((k == 1 && c[0] == '.') || (k == 2 && c[0] == '.' && c[1] == '.'))
			return false;
		c += k;
		while (*c == '/')
			c++;
	}
	if (!*top)
		snprintf(top, len, "%.*s", (int)n, p);
	else if (strlen(top) != n || strncmp(top, p, n))
		return false;
	*below = slash ? slash + 1 : "";
	return true;
}

/* A link must stay inside NAME/: replay reads files through the capture's links. */
static bool link_stays_inside(const char *below, const char *target)
{
	int depth = 0;

	if (*target == '/')
		return false;
	for (const char *c = below; (c = strchr(c, '/')); c++)
		depth++;	/* directories the link sits in, below NAME/ */
	for (const char *c = target; *c;) {
		size_t k = strcspn(c, "/");

		if (k == 2 && c[0] == '.' && c[1] == '.')
			depth--;
		else if (k && !(k == 1 && c[0] == '.'))
			depth++;
		if (depth < 0)
			return false;
		c += k;
		while (*c == '/')
			c++;
	}
	return true;
}

static int copy_data(struct reader *r, struct archive *in, struct archive *out,
		     const char *path, struct held *h, bool is_manifest, int64_t *total)
{
	struct sha256 sha;
	const void *buf;
	size_t size;
	la_int64_t off;
	int ret;

	if (sha256_init(&sha))
		return -ENOMEM;
	while ((ret = archive_read_data_block(in, &buf, &size, &off)) == ARCHIVE_OK) {
		*total += (int64_t)size;
		if (*total > UNPACK_MAX) {
			problem(r, path, "%s", "the bundle holds more than 1 GiB: not unpacked");
			ret = ARCHIVE_FATAL;
			break;
		}
		sha256_update(&sha, buf, size);
		h->size += (int64_t)size;
		if (archive_write_data_block(out, buf, size, off) != ARCHIVE_OK) {
			problem(r, path, "cannot unpack: %s", archive_error_string(out));
			ret = ARCHIVE_FATAL;
			break;
		}
		if (is_manifest) {
			char *m = realloc(r->manifest, r->manifest_len + size + 1);

			if (!m) {
				ret = ARCHIVE_FATAL;
				break;
			}
			memcpy(m + r->manifest_len, buf, size);
			r->manifest = m;
			r->manifest_len += size;
			m[r->manifest_len] = '\0';
		}
	}
	sha256_final(&sha, h->sha);
	if (ret == ARCHIVE_FATAL || ret == ARCHIVE_FAILED) {
		if (ret == ARCHIVE_FAILED || !r->bad)
			problem(r, path, "cannot read: %s", archive_error_string(in));
		return -EIO;
	}
	return 0;
}

static const struct held *held_at(const struct reader *r, const char *path)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].path, path))
			return &r->v[i];
	return NULL;
}

static int unpack_entries(struct reader *r, struct archive *in, struct archive *out,
			  struct bundle_unpacked *u)
{
	struct archive_entry *e;
	int64_t total = 0;
	int ret;

	while ((ret = archive_read_next_header(in, &e)) == ARCHIVE_OK) {
		const char *name = archive_entry_pathname(e), *below;
		mode_t type = archive_entry_filetype(e);
		char dst[PATH_MAX], p[PATH_MAX];
		struct held *h = NULL;
		bool is_manifest;

		/* Copied: the entry's own string goes when it is renamed below. */
		snprintf(p, sizeof(p), "%s", name ? name : "");
		if (!name || strlen(name) >= sizeof(p) - 1 ||
		    !path_ok(p, u->name, sizeof(u->name), &below)) {
			problem(r, *p ? p : "(no name)", "%s", "not a path below the bundle's one "
				"top directory (absolute, \"..\" or another top): not unpacked");
			continue;
		}
		is_manifest = !strcmp(below, MANIFEST);
		if (archive_entry_hardlink(e) || (type != AE_IFREG && type != AE_IFDIR &&
						  type != AE_IFLNK)) {
			problem(r, p, "%s", "not a file, directory or link: not unpacked");
			continue;
		}
		if (type == AE_IFLNK && !link_stays_inside(below, archive_entry_symlink(e))) {
			problem(r, p, "a link to %s, outside the bundle: not unpacked",
				archive_entry_symlink(e));
			continue;
		}
		/* A second copy would be unpacked over the first, which the sum was of. */
		if (type != AE_IFDIR && held_at(r, below)) {
			problem(r, p, "%s", "appears twice in the archive: not unpacked again");
			continue;
		}
		if (type != AE_IFDIR) {
			h = hold(r, below);
			if (!h)
				return -ENOMEM;
			h->link = type == AE_IFLNK;
			if (h->link && !(h->target = strdup(archive_entry_symlink(e))))
				return -ENOMEM;
		}
		path_fmt(dst, sizeof(dst), "%s/%s", u->tmp, p);
		archive_entry_set_pathname(e, dst);
		if (archive_write_header(out, e) != ARCHIVE_OK) {
			problem(r, p, "cannot unpack: %s", archive_error_string(out));
			continue;
		}
		if (type == AE_IFREG && copy_data(r, in, out, p, h, is_manifest, &total))
			return -EIO;
		archive_write_finish_entry(out);
	}
	if (ret != ARCHIVE_EOF) {
		fprintf(r->err, "%s: not a bundle: %s\n", r->tar, archive_error_string(in));
		return -EINVAL;
	}
	return 0;
}

static const char *mstr(json_object *o, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* Every file and link as the manifest lists it, and nothing else. */
static void check_manifest(struct reader *r, struct bundle_unpacked *u)
{
	json_object *files = NULL;
	char path[PATH_MAX];
	size_t n;

	path_fmt(path, sizeof(path), "%s/" MANIFEST, u->name);
	if (!r->manifest) {
		problem(r, path, "%s", "missing: nothing says what the bundle holds");
		return;
	}
	u->manifest = json_tokener_parse(r->manifest);
	if (!u->manifest || !json_object_object_get_ex(u->manifest, "files", &files) ||
	    !json_object_is_type(files, json_type_array) ||
	    !mstr(u->manifest, "format") || strcmp(mstr(u->manifest, "format"), FORMAT)) {
		problem(r, path, "%s", "not a " FORMAT " manifest (JSON with format and files)");
		return;
	}
	if (!mstr(u->manifest, "name") || strcmp(mstr(u->manifest, "name"), u->name))
		problem(r, path, "name is not the bundle's top directory, %s", u->name);
	n = json_object_array_length(files);
	for (size_t i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(files, i), *size = NULL;
		const char *p = mstr(f, "path"), *type = mstr(f, "type");
		const struct held *h = p ? held_at(r, p) : NULL;

		path_fmt(path, sizeof(path), "%s/%s", u->name, p ? p : "(no path)");
		json_object_object_get_ex(f, "size", &size);
		if (!h) {
			problem(r, path, "%s", "in the manifest, not in the archive");
		} else if (h->link) {
			if (!type || strcmp(type, "link") || !mstr(f, "target") ||
			    strcmp(mstr(f, "target"), h->target))
				problem(r, path, "a link to %s, not what the manifest lists", h->target);
		} else if (!type || strcmp(type, "file") || !mstr(f, "sha256") ||
			   json_object_get_int64(size) != h->size) {
			problem(r, path, "%s", "its size or type is not what the manifest lists");
		} else if (strcmp(mstr(f, "sha256"), h->sha)) {
			problem(r, path, "SHA-256 %s, not the manifest's", h->sha);
		}
	}
	for (size_t i = 0; i < r->n; i++) {
		bool listed = !strcmp(r->v[i].path, MANIFEST);

		for (size_t j = 0; j < n && !listed; j++) {
			const char *p = mstr(json_object_array_get_idx(files, j), "path");

			listed = p && !strcmp(p, r->v[i].path);
		}
		if (!listed) {
			path_fmt(path, sizeof(path), "%s/%s", u->name, r->v[i].path);
			problem(r, path, "%s", "in the archive, not in the manifest");
		}
	}
}

int bundle_unpack(const char *tar, struct bundle_unpacked *u, FILE *err)
{
	const char *tmpdir = getenv("TMPDIR");
	struct reader r = { .tar = tar, .err = err };
	struct archive *in = archive_read_new(), *out = archive_write_disk_new();
	char real[PATH_MAX];
	int ret = -ENOMEM;

	memset(u, 0, sizeof(*u));
	path_fmt(u->tmp, sizeof(u->tmp), "%s/snoopcheck-bundle-XXXXXX",
		 tmpdir && *tmpdir && strlen(tmpdir) < PATH_ARG_MAX ? tmpdir : "/tmp");
	if (!mkdtemp(u->tmp)) {
		fprintf(err, "%s: cannot unpack: %s: %s\n", tar, u->tmp, strerror(errno));
		u->tmp[0] = '\0';
		goto out;
	}
	if (realpath(u->tmp, real) && strlen(real) < PATH_ARG_MAX)
		snprintf(u->tmp, sizeof(u->tmp), "%s", real);
	if (!in || !out)
		goto out;
	archive_read_support_format_tar(in);
	/*
	 * path_ok() keeps every name relative and free of "..", and each is
	 * put below tmp, an absolute path: so no NOABSOLUTEPATHS. tmp is made
	 * free of links (realpath) so that SECURE_SYMLINKS, which refuses to
	 * write through any link on the way, only ever meets the bundle's own.
	 */
	archive_write_disk_set_options(out, ARCHIVE_EXTRACT_SECURE_SYMLINKS |
				       ARCHIVE_EXTRACT_SECURE_NODOTDOT);
	if (archive_read_open_filename(in, tar, 65536) != ARCHIVE_OK) {
		fprintf(err, "%s: cannot read: %s\n", tar, archive_error_string(in));
		ret = -EINVAL;
		goto out;
	}
	ret = unpack_entries(&r, in, out, u);
	if (!ret && !u->name[0]) {
		fprintf(err, "%s: not a bundle: the archive is empty\n", tar);
		ret = -EINVAL;
	}
	if (!ret) {
		path_fmt(u->root, sizeof(u->root), "%s/%s", u->tmp, u->name);
		check_manifest(&r, u);
	}
out:
	if (ret == -ENOMEM)
		fprintf(err, "%s: out of memory\n", tar);
	archive_read_free(in);
	archive_write_free(out);
	for (size_t i = 0; i < r.n; i++) {
		free(r.v[i].path);
		free(r.v[i].target);
	}
	free(r.v);
	free(r.manifest);
	return ret ? -1 : r.bad;
}

void bundle_unpacked_free(struct bundle_unpacked *u)
{
	if (u->tmp[0])
		remove_tree(u->tmp);
	if (u->manifest)
		json_object_put(u->manifest);
	memset(u, 0, sizeof(*u));
}
