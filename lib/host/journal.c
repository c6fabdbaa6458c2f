// SPDX-License-Identifier: GPL-2.0-only
#include "host/journal.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/fsutil.h"
#include "host/rundir.h"
#include "sysfs/sysroot.h"

#define JOURNAL_VERSION 1

/* Every step a record may name; bind.h describes the binding ones. */
static const char *const steps[] = {
	"sriov-off", "override", "unbind", "probe", JOURNAL_STEP_DEVCTL,
};

const char *journal_default_dir(void)
{
	const char *d = getenv("SNOOPCHECK_RUNDIR");

	return d && *d ? d : "/run/snoopcheck";
}

void journal_init(struct journal *j, const char *dir)
{
	j->dirfd = -1;
	j->why[0] = '\0';
	path_fmt(j->dir, sizeof(j->dir), "%s", dir);
	path_fmt(j->path, sizeof(j->path), "%s/%s", dir, JOURNAL_NAME);
}

/* Why journal_append() failed; may be cut at the buffer's end, it is for people. */
static void say(struct journal *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say(struct journal *j, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(j->why, sizeof(j->why), fmt, ap);
	va_end(ap);
}

static bool is_devctl(const struct journal_rec *r)
{
	return !strcmp(r->step, JOURNAL_STEP_DEVCTL);
}

/* One record as one line, "\n" included; malloc'd. */
static char *format_rec(const struct journal_rec *r)
{
	struct json_object *o = json_object_new_object();
	const char *s;
	char *line;
	size_t len;

	if (!o)
		return NULL;
	json_object_object_add(o, "v", json_object_new_int(JOURNAL_VERSION));
	json_object_object_add(o, "pid", json_object_new_int64(r->pid));
	json_object_object_add(o, "bdf", json_object_new_string(r->bdf));
	json_object_object_add(o, "step", json_object_new_string(r->step));
	if (is_devctl(r)) {
		json_object_object_add(o, "devctl", json_object_new_int(r->devctl));
	} else {
		json_object_object_add(o, "driver", json_object_new_string(r->orig.driver));
		json_object_object_add(o, "driver_override",
				       json_object_new_string(r->orig.override));
		json_object_object_add(o, "sriov_numvfs", r->orig.sriov_numvfs < 0 ? NULL :
				       json_object_new_int(r->orig.sriov_numvfs));
	}
	s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	len = strlen(s);
	line = malloc(len + 2);
	if (line) {
		memcpy(line, s, len);
		memcpy(line + len, "\n", 2);
	}
	json_object_put(o);
	return line;
}

static int get_string(struct json_object *o, const char *key, char *buf,
		      size_t len, int empty_ok)
{
	struct json_object *v;
	const char *s;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return -1;
	s = json_object_get_string(v);
	if (strlen(s) >= len || (!empty_ok && !*s))
		return -1;
	strcpy(buf, s);
	return 0;
}

/* An integer member within [min, max]; 0 or -1. */
static int get_int(struct json_object *o, const char *key, int64_t min,
		   int64_t max, int64_t *val)
{
	struct json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_int))
		return -1;
	/* json-c clamps what does not fit in 64 bits: still out of range */
	*val = json_object_get_int64(v);
	return *val < min || *val > max ? -1 : 0;
}

static bool known_step(const char *step)
{
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (!strcmp(step, steps[i]))
			return true;
	return false;
}

/*
 * Restore writes a driver name into /sys/bus/pci/drivers/NAME/bind and
 * driver_override: one path component of the characters kernel drivers
 * are named with, or "" for none.
 */
static bool driver_name_ok(const char *s)
{
	static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				 "0123456789_.-";

	return strspn(s, ok) == strlen(s) && strcmp(s, ".") && strcmp(s, "..");
}

/* The binding state a record of a binding step holds. */
static int parse_orig(struct json_object *o, struct journal_rec *r, const char **why)
{
	struct json_object *v;
	int64_t n;

	*why = "\"driver\" and \"driver_override\": strings";
	if (get_string(o, "driver", r->orig.driver, sizeof(r->orig.driver), 1) ||
	    get_string(o, "driver_override", r->orig.override,
		       sizeof(r->orig.override), 1))
		return -1;
	*why = "\"driver\" and \"driver_override\": \"\" or a driver name (one path component of A-Z a-z 0-9 _ . -)";
	if (!driver_name_ok(r->orig.driver) || !driver_name_ok(r->orig.override))
		return -1;
	*why = "\"sriov_numvfs\": null or a number >= 0";
	if (!json_object_object_get_ex(o, "sriov_numvfs", &v))
		return -1;
	if (!v) {
		r->orig.sriov_numvfs = -1;
		return 0;
	}
	if (get_int(o, "sriov_numvfs", 0, INT32_MAX, &n))
		return -1;
	r->orig.sriov_numvfs = (int)n;
	return 0;
}

/* One line to a record; on failure says what was expected in *why. */
static int parse_line(const char *line, struct journal_rec *r, const char **why)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o, *v;
	char bdf[BDF_LEN];
	int64_t n;
	int ret = -1;

	if (!tok)
		return -1;
	o = json_tokener_parse_ex(tok, line, (int)strlen(line));
	*why = "a JSON object";
	if (!o || json_tokener_get_error(tok) != json_tokener_success ||
	    tok->char_offset != (int)strlen(line) ||
	    !json_object_is_type(o, json_type_object))
		goto out;
	*why = "\"v\": 1";
	if (!json_object_object_get_ex(o, "v", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int(v) != JOURNAL_VERSION)
		goto out;
	*why = "\"bdf\": a PCI address";
	if (get_string(o, "bdf", r->bdf, sizeof(r->bdf), 0) ||
	    !bdf_normalize(r->bdf, bdf) || strcmp(bdf, r->bdf))
		goto out;
	*why = "\"step\": one of sriov-off, override, unbind, probe, devctl";
	if (get_string(o, "step", r->step, sizeof(r->step), 0) || !known_step(r->step))
		goto out;
	if (is_devctl(r)) {
		*why = "\"devctl\": the register's 16-bit value, 0 to 65535";
		if (get_int(o, "devctl", 0, 0xffff, &n))
			goto out;
		r->devctl = (uint16_t)n;
		r->orig.sriov_numvfs = -1;
	} else if (parse_orig(o, r, why)) {
		goto out;
	}
	*why = "\"pid\": a number";
	if (!json_object_object_get_ex(o, "pid", &v) ||
	    !json_object_is_type(v, json_type_int))
		goto out;
	r->pid = (long)json_object_get_int64(v);
	ret = 0;
out:
	json_object_put(o);
	json_tokener_free(tok);
	return ret;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Open the journal by name in the run directory, never through a link:
 * under the lock, that is the file there now, not one a rewrite replaced.
 */
static int append_line(struct journal *j, const char *line)
{
	bool created;
	int fd = rundir_open_file(j->dirfd, JOURNAL_NAME, O_WRONLY | O_APPEND, &created);
	int ret = 0;

	if (fd < 0) {
		say(j, "%s: cannot open: %s", j->path,
		    fd == -EINVAL ? "not a regular file" : strerror(-fd));
		return fd;
	}
	/* The file's name must survive too, not only its contents. */
	if (created && fsync(j->dirfd))
		ret = -errno;
	/* One write(): a record is either all there or (power loss) torn at the end. */
	if (!ret) {
		ssize_t n = write(fd, line, strlen(line));

		if (n < 0)
			ret = -errno;
		else if ((size_t)n != strlen(line))
			ret = -EIO;
	}
	if (!ret && fsync(fd))
		ret = -errno;
	if (ret)
		say(j, "%s: cannot write: %s", j->path, strerror(-ret));
	close(fd);
	return ret;
}

int journal_append(struct journal *j, const struct journal_rec *r)
{
	struct journal_rec check;
	const char *what;
	char *line;
	size_t len;
	int ret;

	j->why[0] = '\0';
	line = format_rec(r);
	if (!line) {
		say(j, "out of memory");
		return -ENOMEM;
	}
	/* What restore could not read back is not worth journalling. */
	memset(&check, 0, sizeof(check));
	len = strlen(line);
	line[len - 1] = '\0';		/* the parser takes a line without its "\n" */
	ret = parse_line(line, &check, &what) ? -EINVAL : 0;
	line[len - 1] = '\n';
	if (ret) {
		say(j, "a record for %s would not load back: expected %s", r->bdf, what);
		goto out;
	}
	if (j->dirfd < 0) {
		ret = rundir_open(j->dir, true, j->why, sizeof(j->why));
		if (ret < 0)
			goto out;
		j->dirfd = ret;
	}
	/* journal_forget() and restore rewrite the file under the same lock */
	if (flock(j->dirfd, LOCK_EX)) {
		ret = -errno;
		say(j, "%s: flock: %s", j->dir, strerror(-ret));
		goto out;
	}
	ret = append_line(j, line);
	flock(j->dirfd, LOCK_UN);
out:
	free(line);
	return ret < 0 ? ret : 0;
}

void journal_close(struct journal *j)
{
	if (j->dirfd >= 0)
		close(j->dirfd);
	j->dirfd = -1;
}

/* A whole regular file from fd, NUL-terminated (it may hold NULs itself). */
static char *read_all(int fd, size_t *len)
{
	struct stat st;
	size_t n = 0, size;
	char *buf;

	if (fstat(fd, &st))
		return NULL;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return NULL;
	}
	size = (size_t)st.st_size;
	buf = malloc(size + 1);
	if (!buf)
		return NULL;
	while (n < size) {
		ssize_t got = read(fd, buf + n, size - n);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(buf);
			return NULL;
		}
		if (!got)
			break;
		n += (size_t)got;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* dir/journal's bytes, never through a link. NULL with errno (a message unless ENOENT). */
static char *read_journal(const char *dir, size_t *len, FILE *err)
{
	char path[PATH_MAX], why[1024];
	char *text = NULL;
	int dirfd, fd, e;

	path_fmt(path, sizeof(path), "%s/%s", dir, JOURNAL_NAME);
	dirfd = rundir_open(dir, false, why, sizeof(why));
	if (dirfd < 0) {
		if (dirfd != -ENOENT)
			fprintf(err, "%s\n", why);
		errno = -dirfd;
		return NULL;
	}
	fd = openat(dirfd, JOURNAL_NAME, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		text = read_all(fd, len);
		close(fd);
	}
	e = errno;
	if (!text && e != ENOENT)
		fprintf(err, "%s: cannot read: %s\n", path,
			e == EINVAL ? "not a regular file" : strerror(e));
	close(dirfd);
	errno = e;
	return text;
}

static int add_rec(struct journal_rec **v, size_t *count, const struct journal_rec *r)
{
	struct journal_rec *nv = realloc(*v, (*count + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	*v = nv;
	nv[(*count)++] = *r;
	return 0;
}

int journal_load(const char *dir, struct journal_rec **recs, size_t *n,
		 FILE *err)
{
	char path[PATH_MAX];
	char *text;
	struct journal_rec *v = NULL;
	size_t count = 0, len, at, next;
	int lineno = 0, ret = 0;
	bool damaged = false;

	*recs = NULL;
	*n = 0;
	path_fmt(path, sizeof(path), "%s/%s", dir, JOURNAL_NAME);
	text = read_journal(dir, &len, err);
	if (!text)
		return -errno;
	for (at = 0; at < len && !ret; at = next) {
		char *line = text + at, *nl = memchr(line, '\n', len - at), *nul;
		size_t llen = nl ? (size_t)(nl - line) : len - at;
		struct journal_rec r;
		const char *why = "a JSON object";

		next = at + llen + (nl ? 1 : 0);
		lineno++;
		line[llen] = '\0';
		/* a NUL would end the line early for the parser: say where it is */
		nul = memchr(line, '\0', llen);
		memset(&r, 0, sizeof(r));
		if (!nul && !parse_line(line, &r, &why)) {
			r.line = lineno;
			ret = add_rec(&v, &count, &r);
			continue;
		}
		if (!nl) {
			/* unterminated last line: the crash came mid-write */
			fprintf(err, "%s:%d: note: skipping an incomplete last record; the runner died while writing it, so its step was never made\n",
				path, lineno);
			break;
		}
		if (nul)
			fprintf(err, "%s:%d: expected a journal record, found a NUL byte at column %zu\n",
				path, lineno, (size_t)(nul - line) + 1);
		else
			fprintf(err, "%s:%d: expected a journal record with %s\n",
				path, lineno, why);
		damaged = true;
	}
	free(text);
	if (ret) {
		free(v);
		return ret;
	}
	*recs = v;
	*n = count;
	return damaged ? -EINVAL : 0;
}

/* journal.damaged-20250131T235959Z, then .2, .3, ... where that is taken. */
static int create_kept(int dirfd, char *name, size_t len)
{
	char stamp[32];
	struct tm tm;
	time_t now = time(NULL);
	int fd = -1;

	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", gmtime_r(&now, &tm));
	for (int i = 1; i < 1000; i++) {
		if (i == 1)
			snprintf(name, len, "%s.damaged-%s", JOURNAL_NAME, stamp);
		else
			snprintf(name, len, "%s.damaged-%s.%d", JOURNAL_NAME, stamp, i);
		fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
			    O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	return fd < 0 ? -errno : fd;
}

int journal_keep_damaged(const char *dir, char *kept, size_t len, FILE *err)
{
	char name[128], why[1024];
	size_t n;
	char *text = read_journal(dir, &n, err);
	int dirfd, fd, ret;

	if (!text)
		return -errno;
	dirfd = rundir_open(dir, false, why, sizeof(why));
	if (dirfd < 0) {
		fprintf(err, "%s\n", why);
		free(text);
		return dirfd;
	}
	fd = create_kept(dirfd, name, sizeof(name));
	ret = fd < 0 ? fd : write_all(fd, text, n);
	if (!ret && fsync(fd))
		ret = -errno;
	if (fd >= 0 && close(fd) && !ret)
		ret = -errno;
	if (!ret && fsync(dirfd))
		ret = -errno;
	path_fmt(kept, len, "%s/%s", dir, name);
	if (ret) {
		fprintf(err, "%s: cannot keep a copy of the damaged journal: %s\n",
			fd < 0 ? dir : kept, strerror(-ret));
		if (fd >= 0)
			unlinkat(dirfd, name, 0);	/* a torn copy is no copy */
	}
	close(dirfd);
	free(text);
	return ret;
}

int journal_rewrite(const char *dir, const struct journal_rec *recs, size_t n)
{
	char path[PATH_MAX], why[1024], *text = NULL;
	size_t len = 0;
	FILE *f;
	int dirfd, ret = 0;

	path_fmt(path, sizeof(path), "%s/%s", dir, JOURNAL_NAME);
	dirfd = rundir_open(dir, false, why, sizeof(why));
	if (dirfd < 0)
		return dirfd;
	if (!n) {
		if (unlinkat(dirfd, JOURNAL_NAME, 0) && errno != ENOENT)
			ret = -errno;
		else if (fsync(dirfd))
			ret = -errno;
		close(dirfd);
		return ret;
	}
	close(dirfd);
	f = open_memstream(&text, &len);
	if (!f)
		return -errno;
	for (size_t i = 0; i < n && !ret; i++) {
		char *line = format_rec(&recs[i]);

		if (!line)
			ret = -ENOMEM;
		else
			fputs(line, f);
		free(line);
	}
	if (fclose(f) && !ret)
		ret = -ENOMEM;
	/* a new file renamed over the old: the directory is ours (rundir.h) */
	if (!ret && write_file_atomic(path, text, len))
		ret = -errno;
	free(text);
	return ret;
}

int journal_lock(const char *dir, FILE *err)
{
	char why[1024];
	int fd = rundir_open(dir, false, why, sizeof(why));

	if (fd < 0) {
		if (fd != -ENOENT)
			fprintf(err, "%s\n", why);
		return fd;
	}
	if (flock(fd, LOCK_EX)) {
		int e = errno;

		fprintf(err, "%s: flock: %s\n", dir, strerror(e));
		close(fd);
		return -e;
	}
	return fd;
}

void journal_unlock(int fd)
{
	if (fd >= 0)
		close(fd);	/* drops the flock */
}

int journal_forget(const char *dir, long pid, const char *bdf, const char *step,
		   FILE *err)
{
	struct journal_rec *recs;
	size_t n, k = 0;
	int lock = journal_lock(dir, err), ret;

	if (lock < 0)
		return lock == -ENOENT ? 0 : lock;
	ret = journal_load(dir, &recs, &n, err);
	if (!ret) {
		for (size_t i = 0; i < n; i++)
			if (recs[i].pid != pid || strcmp(recs[i].bdf, bdf) ||
			    strcmp(recs[i].step, step))
				recs[k++] = recs[i];
		if (k != n)
			ret = journal_rewrite(dir, recs, k);
	} else if (ret == -ENOENT) {
		ret = 0;
	}
	free(recs);
	journal_unlock(lock);
	return ret;
}
