// SPDX-License-Identifier: GPL-2.0-only
#include "host/journal.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/fsutil.h"
#include "host/rundir.h"
#include "sysfs/sysroot.h"

#define JOURNAL_VERSION 1

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
	json_object_object_add(o, "driver", json_object_new_string(r->orig.driver));
	json_object_object_add(o, "driver_override",
			       json_object_new_string(r->orig.override));
	json_object_object_add(o, "sriov_numvfs", r->orig.sriov_numvfs < 0 ? NULL :
			       json_object_new_int(r->orig.sriov_numvfs));
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

/* One line to a record; on failure says what was expected in *why. */
static int parse_line(const char *line, struct journal_rec *r, const char **why)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *o, *v;
	char bdf[BDF_LEN];
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
	*why = "\"step\": a string";
	if (get_string(o, "step", r->step, sizeof(r->step), 0))
		goto out;
	*why = "\"driver\" and \"driver_override\": strings";
	if (get_string(o, "driver", r->orig.driver, sizeof(r->orig.driver), 1) ||
	    get_string(o, "driver_override", r->orig.override,
		       sizeof(r->orig.override), 1))
		goto out;
	*why = "\"sriov_numvfs\": null or a number >= 0";
	if (!json_object_object_get_ex(o, "sriov_numvfs", &v))
		goto out;
	if (!v) {
		r->orig.sriov_numvfs = -1;
	} else if (json_object_is_type(v, json_type_int) &&
		   json_object_get_int(v) >= 0) {
		r->orig.sriov_numvfs = json_object_get_int(v);
	} else {
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

/* Open the journal by name in the run directory, never through a link. */
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
	char *line;
	int ret;

	j->why[0] = '\0';
	line = format_rec(r);
	if (!line) {
		say(j, "out of memory");
		return -ENOMEM;
	}
	if (j->dirfd < 0) {
		ret = rundir_open(j->dir, true, j->why, sizeof(j->why));
		if (ret < 0)
			goto out;
		j->dirfd = ret;
	}
	ret = append_line(j, line);
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

int journal_load(const char *dir, struct journal_rec **recs, size_t *n,
		 FILE *err)
{
	char path[PATH_MAX];
	char *text, *line, *next;
	struct journal_rec *v = NULL, *nv;
	size_t count = 0, len;
	int lineno = 0, ret = 0;

	*recs = NULL;
	*n = 0;
	path_fmt(path, sizeof(path), "%s/%s", dir, JOURNAL_NAME);
	text = read_journal(dir, &len, err);
	if (!text)
		return -errno;
	for (line = text; *line; line = next) {
		struct journal_rec r;
		const char *why = "a JSON object";
		bool terminated;

		next = strchr(line, '\n');
		terminated = next != NULL;
		lineno++;
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		memset(&r, 0, sizeof(r));
		if (parse_line(line, &r, &why)) {
			if (!terminated) {
				/* unterminated last line: the crash came mid-write */
				fprintf(err, "%s:%d: note: skipping an incomplete last record; the runner died while writing it, so its step was never made\n",
					path, lineno);
				break;
			}
			fprintf(err, "%s:%d: expected a journal record with %s\n",
				path, lineno, why);
			ret = -EINVAL;
			break;
		}
		r.line = lineno;
		nv = realloc(v, (count + 1) * sizeof(*nv));
		if (!nv) {
			ret = -ENOMEM;
			break;
		}
		v = nv;
		v[count++] = r;
	}
	free(text);
	if (ret) {
		free(v);
		return ret;
	}
	*recs = v;
	*n = count;
	return 0;
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
