// SPDX-License-Identifier: GPL-2.0-only
#include "host/journal.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/fsutil.h"
#include "sysfs/sysroot.h"

#define JOURNAL_VERSION 1

const char *journal_default_dir(void)
{
	const char *d = getenv("SNOOPCHECK_RUNDIR");

	return d && *d ? d : "/run/snoopcheck";
}

static int fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int ret = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd))
		ret = -errno;
	close(fd);
	return ret;
}

void journal_init(struct journal *j, const char *dir)
{
	j->fd = -1;
	path_fmt(j->dir, sizeof(j->dir), "%s", dir);
	path_fmt(j->path, sizeof(j->path), "%s/%s", dir, JOURNAL_NAME);
}

static int journal_open(struct journal *j)
{
	int ret;

	if (mkdir_p(j->dir))
		return -errno;
	j->fd = open(j->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (j->fd < 0)
		return -errno;
	/* The file's name must survive too, not only its contents. */
	ret = fsync_dir(j->dir);
	if (ret) {
		close(j->fd);
		j->fd = -1;
	}
	return ret;
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

int journal_append(struct journal *j, const struct journal_rec *r)
{
	char *line;
	size_t len;
	ssize_t n;
	int ret = 0;

	if (j->fd < 0 && (ret = journal_open(j)))
		return ret;
	line = format_rec(r);
	if (!line)
		return -ENOMEM;
	len = strlen(line);
	/* One write(): a record is either all there or (power loss) torn at the end. */
	n = write(j->fd, line, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	else if (fsync(j->fd))
		ret = -errno;
	free(line);
	return ret;
}

void journal_close(struct journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
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

int journal_load(const char *dir, struct journal_rec **recs, size_t *n,
		 FILE *err)
{
	char path[PATH_MAX];
	char *text, *line, *next;
	struct journal_rec *v = NULL, *nv;
	size_t count = 0;
	int lineno = 0, ret = 0;

	*recs = NULL;
	*n = 0;
	path_fmt(path, sizeof(path), "%s/%s", dir, JOURNAL_NAME);
	text = read_file(path, NULL);
	if (!text) {
		ret = -errno;
		if (ret != -ENOENT)
			fprintf(err, "%s: cannot read: %s\n", path, read_file_strerror(-ret));
		return ret;
	}
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
	char path[PATH_MAX], *text = NULL;
	size_t len = 0;
	FILE *f;
	int ret = 0;

	path_fmt(path, sizeof(path), "%s/%s", dir, JOURNAL_NAME);
	if (!n) {
		if (unlink(path) && errno != ENOENT)
			return -errno;
		return fsync_dir(dir);
	}
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
	if (!ret && write_file_atomic(path, text, len))
		ret = -errno;
	free(text);
	return ret;
}
