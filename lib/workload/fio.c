// SPDX-License-Identifier: GPL-2.0-only
#include "workload/fio.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "base/number.h"
#include "base/spawn.h"
#include "base/trust.h"

static const char *const pass_names[] = {
	[FIO_WRITE] = "write",
	[FIO_VERIFY] = "verify",
	[FIO_MEASURE] = "measure",
};

const char *fio_pass_name(enum fio_pass pass)
{
	return pass <= FIO_MEASURE ? pass_names[pass] : "unknown";
}

static int add_arg(struct fio_args *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int add_arg(struct fio_args *a, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (a->argc >= FIO_MAX_ARGS)
		return -EINVAL;
	va_start(ap, fmt);
	n = vsnprintf(a->buf[a->argc], sizeof(a->buf[0]), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(a->buf[0]))
		return -EINVAL;
	a->argv[a->argc] = a->buf[a->argc];
	a->argv[++a->argc] = NULL;
	return 0;
}

int fio_check_binary(const char *bin, char *why, size_t len)
{
	int ret;

	if (bin[0] != '/') {
		snprintf(why, len, "%s: expected an absolute path to fio", bin);
		return -EINVAL;
	}
	ret = trust_path(bin, S_IFREG, why, len);
	if (!ret && access(bin, X_OK)) {
		ret = -errno;
		snprintf(why, len, "%s: not executable: %s", bin, strerror(errno));
	}
	return ret;
}

const char *fio_find(char *why, size_t len)
{
	static const char *const paths[] = { "/usr/bin/fio", "/usr/local/bin/fio" };
	static char reason[600];
	static const char *found;
	static bool looked;

	for (size_t i = 0; !looked && i < sizeof(paths) / sizeof(paths[0]); i++) {
		size_t used = strlen(reason);
		char r[256];

		if (!fio_check_binary(paths[i], r, sizeof(r))) {
			found = paths[i];
			break;
		}
		snprintf(reason + used, sizeof(reason) - used, "%s%s", i ? "; " : "", r);
	}
	if (!looked && !found)
		snprintf(reason + strlen(reason), sizeof(reason) - strlen(reason),
			 " (install fio, or name it: runner fio --fio PATH)");
	looked = true;
	if (!found && why)
		snprintf(why, len, "no fio to run: %s", reason);
	return found;
}

/*
 * "--filename=NAME" with every ':' of NAME written "\:": fio splits the
 * option at bare colons into several files (and creates the ones that do
 * not exist), so /dev/disk/by-path/pci-0000:00:04.0-nvme-1 would be three.
 * fio removes only the backslash before a colon; any other backslash is
 * part of the name, so it is left alone.
 */
static int add_filename(struct fio_args *a, const char *name)
{
	char esc[sizeof(a->buf[0])];
	size_t n = 0;

	for (const char *p = name; *p; p++) {
		if (n + 3 > sizeof(esc))
			return -EINVAL;
		if (*p == ':')
			esc[n++] = '\\';
		esc[n++] = *p;
	}
	esc[n] = '\0';
	return add_arg(a, "--filename=%s", esc);
}

int fio_build_args(const struct fio_job *j, const char *json_path,
		   struct fio_args *a)
{
	unsigned int bs = j->bs ? j->bs : 4096;
	const char *bin = j->fio ? j->fio : fio_find(NULL, 0);
	int ret = 0;

	memset(a, 0, sizeof(*a));
	if (!j->filename || !j->length || j->offset % bs || j->length % bs ||
	    j->pass > FIO_MEASURE)
		return -EINVAL;
	if (!bin)
		return -ENOENT;
	ret |= add_arg(a, "%s", bin);
	ret |= add_arg(a, "--name=snoopcheck-%s", fio_pass_name(j->pass));
	ret |= add_filename(a, j->filename);
	ret |= add_arg(a, "--offset=%" PRIu64, j->offset);
	ret |= add_arg(a, "--size=%" PRIu64, j->length);
	ret |= add_arg(a, "--bs=%u", bs);
	/* Every pass is the same sequential write job, so the pattern fio
	 * checks is the pattern it wrote (same seed, same offsets). */
	ret |= add_arg(a, "--rw=write");
	ret |= add_arg(a, "--ioengine=psync");
	ret |= add_arg(a, "--direct=%d", j->direct ? 1 : 0);
	ret |= add_arg(a, "--verify=crc32c");
	ret |= add_arg(a, "--do_verify=%d", j->pass == FIO_WRITE ? 0 : 1);
	if (j->pass == FIO_VERIFY)
		ret |= add_arg(a, "--verify_only");
	/* Report every bad block, not just the first (fio then exits 0:
	 * the verdict comes from the report, never from the exit status). */
	ret |= add_arg(a, "--continue_on_error=verify");
	ret |= add_arg(a, "--verify_state_save=0");
	ret |= add_arg(a, "--output-format=json");
	ret |= add_arg(a, "--output=%s", json_path);
	return ret ? -EINVAL : 0;
}

/* ---- JSON report ---- */

struct jctx {
	const char *source;
	FILE *err;
};

static struct json_object *member(struct jctx *c, struct json_object *o,
				  const char *path, const char *key,
				  json_type type, const char *what)
{
	struct json_object *v = NULL;
	bool ok = json_object_object_get_ex(o, key, &v) && v;

	/* fio prints whole numbers as ints even where a double is meant;
	 * json-c also reads NaN and Infinity, which are not JSON numbers
	 * and would make the evidence in a results file unreadable */
	if (ok && type == json_type_double)
		ok = json_object_is_type(v, json_type_int) ||
		     (json_object_is_type(v, json_type_double) &&
		      isfinite(json_object_get_double(v)));
	else if (ok)
		ok = json_object_is_type(v, type);
	if (ok && type == json_type_int)
		ok = json_object_get_int64(v) >= 0;
	if (!ok) {
		fprintf(c->err, "%s: %s.%s: expected %s\n", c->source, path, key, what);
		return NULL;
	}
	return v;
}

static uint64_t percentile(struct json_object *pct, const char *key)
{
	struct json_object *v;

	if (!pct || !json_object_object_get_ex(pct, key, &v))
		return 0;
	return (uint64_t)json_object_get_int64(v);
}

static int parse_dir(struct jctx *c, struct json_object *job, const char *dir,
		     struct fio_stats *s)
{
	char path[64];
	struct json_object *d, *v, *clat, *pct = NULL;

	d = member(c, job, "$.jobs[0]", dir, json_type_object, "an object");
	if (!d)
		return -EINVAL;
	snprintf(path, sizeof(path), "$.jobs[0].%s", dir);
	if (!(v = member(c, d, path, "io_bytes", json_type_int, "a byte count")))
		return -EINVAL;
	s->io_bytes = (uint64_t)json_object_get_int64(v);
	if (!(v = member(c, d, path, "bw_bytes", json_type_int, "bytes per second")))
		return -EINVAL;
	s->bw_bytes = (uint64_t)json_object_get_int64(v);
	if (!(v = member(c, d, path, "iops", json_type_double, "a number")))
		return -EINVAL;
	s->iops = json_object_get_double(v);
	if (!(clat = member(c, d, path, "clat_ns", json_type_object, "an object")))
		return -EINVAL;
	/* No percentiles when no I/O was done in this direction. */
	json_object_object_get_ex(clat, "percentile", &pct);
	s->clat_p50_ns = percentile(pct, "50.000000");
	s->clat_p99_ns = percentile(pct, "99.000000");
	s->clat_p999_ns = percentile(pct, "99.900000");
	return 0;
}

int fio_parse_json(const char *text, const char *source, struct fio_result *r,
		   FILE *err)
{
	struct jctx c = { source, err };
	struct json_tokener *tok;
	struct json_object *root, *jobs, *job, *v;
	const char *start = text;
	int ret = -EINVAL;

	/* fio may print "fio: pid=..., err=..." lines before the report. */
	while (start && *start && *start != '{') {
		start = strchr(start, '\n');
		start = start ? start + 1 : NULL;
	}
	if (!start || !*start) {
		fprintf(err, "%s:1: expected fio's JSON report, found none\n", source);
		return -EINVAL;
	}
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, start, (int)strlen(start));
	if (!root) {
		fprintf(err, "%s: offset %zu: invalid JSON: %s\n", source,
			(size_t)(start - text) + tok->char_offset,
			json_tokener_error_desc(json_tokener_get_error(tok)));
		json_tokener_free(tok);
		return -EINVAL;
	}
	json_tokener_free(tok);
	if (json_object_object_get_ex(root, "fio version", &v) &&
	    json_object_is_type(v, json_type_string))
		snprintf(r->version, sizeof(r->version), "%s", json_object_get_string(v));
	jobs = member(&c, root, "$", "jobs", json_type_array, "an array of jobs");
	if (!jobs)
		goto out;
	if (json_object_array_length(jobs) != 1) {
		fprintf(err, "%s: $.jobs: expected exactly one job, found %zu\n",
			source, json_object_array_length(jobs));
		goto out;
	}
	job = json_object_array_get_idx(jobs, 0);
	if (!json_object_is_type(job, json_type_object)) {
		fprintf(err, "%s: $.jobs[0]: expected an object\n", source);
		goto out;
	}
	if (!(v = member(&c, job, "$.jobs[0]", "error", json_type_int, "an errno")))
		goto out;
	r->job_error = (int)json_object_get_int64(v);
	/* total_err appears only with continue_on_error; absent means 0. */
	if (json_object_object_get_ex(job, "total_err", &v))
		r->total_err = (uint64_t)json_object_get_int64(v);
	if (parse_dir(&c, job, "read", &r->read) || parse_dir(&c, job, "write", &r->write))
		goto out;
	ret = 0;
out:
	json_object_put(root);
	return ret;
}

/* ---- stderr: the blocks that failed ---- */

static int add_bad(struct fio_result *r, const char *line, size_t what_len,
		   uint64_t offset, uint64_t length)
{
	struct fio_bad_block *nb = realloc(r->bad, (r->n_bad + 1) * sizeof(*nb));

	if (!nb)
		return -ENOMEM;
	r->bad = nb;
	nb += r->n_bad++;
	if (what_len >= sizeof(nb->what))
		what_len = sizeof(nb->what) - 1;
	memcpy(nb->what, line, what_len);
	nb->what[what_len] = '\0';
	nb->offset = offset;
	nb->length = length;
	return 0;
}

/*
 * " offset N, length L" at s, through the one number reader: sscanf's %llu
 * would take a sign or blanks and saturate past 64 bits. 0 or -1.
 */
static int offset_length(const char *s, uint64_t *offset, uint64_t *length)
{
	const char *p;

	if (strncmp(s, " offset ", 8) || number_scan_u64(s + 8, offset, &p) ||
	    strncmp(p, ", length ", 9) || number_scan_u64(p + 9, length, &p))
		return -1;
	return 0;
}

int fio_parse_stderr(const char *text, struct fio_result *r)
{
	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char buf[1024];
		char *at, *off;
		uint64_t offset, length;

		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, line, len);
		buf[len] = '\0';
		line = end ? end + 1 : NULL;
		/* "<what> at file <name> offset <n>, length <n> (...)" */
		at = strstr(buf, " at file ");
		if (!at || !strstr(buf, "verify"))
			continue;
		off = strstr(at, " offset ");
		/* a file name may contain " offset ": take the last one */
		for (char *o = off; o; o = strstr(o + 1, " offset "))
			if (!offset_length(o, &offset, &length))
				off = o;
		if (!off || offset_length(off, &offset, &length))
			continue;
		if (add_bad(r, buf, (size_t)(at - buf), offset, length))
			return -ENOMEM;
	}
	return 0;
}

/* ---- running it ---- */

/* An empty file of our own named by a mkstemp template. 0 or -errno. */
static int temp_file(char *path)
{
	int fd = mkstemp(path);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

int fio_run(const struct fio_job *j, struct fio_result *r, FILE *err)
{
	char json_path[] = "/tmp/snoopcheck-fio-XXXXXX";
	char out_path[] = "/tmp/snoopcheck-fio-out-XXXXXX";
	char err_path[] = "/tmp/snoopcheck-fio-err-XXXXXX";
	int timeout_s = j->timeout_s ? j->timeout_s : 600;
	char *out_text, *json;
	struct spawn_result sr;
	struct fio_args a;
	struct stat st;
	char why[768];
	int ret;

	memset(r, 0, sizeof(*r));
	r->exit_status = -1;
	/*
	 * fio creates a missing file, parent directories included: a verify
	 * of /dev/nvme0n1 while the device is gone would check a fresh
	 * regular file on devtmpfs. The target must exist before we start.
	 */
	if (!j->filename || stat(j->filename, &st)) {
		ret = j->filename ? -errno : -EINVAL;
		fprintf(err, "fio %s: %s: %s (not creating it)\n", fio_pass_name(j->pass),
			j->filename ? j->filename : "(no file)", strerror(-ret));
		return ret;
	}
	/* The binary by absolute path, checked before anything is made. */
	ret = j->fio ? fio_check_binary(j->fio, why, sizeof(why)) :
	      fio_find(why, sizeof(why)) ? 0 : -ENOENT;
	if (ret) {
		fprintf(err, "fio %s: %s\n", fio_pass_name(j->pass), why);
		return ret;
	}
	ret = temp_file(json_path);
	if (ret)
		return ret;
	if (fio_build_args(j, json_path, &a)) {
		fprintf(err, "fio: job for %s does not fit (range must be whole %u-byte blocks, the name under %zu bytes with each ':' escaped)\n",
			j->filename ? j->filename : "(none)", j->bs ? j->bs : 4096,
			sizeof(a.buf[0]) - strlen("--filename="));
		unlink(json_path);
		return -EINVAL;
	}
	ret = temp_file(out_path);
	if (!ret) {
		ret = temp_file(err_path);
		if (ret)
			unlink(out_path);
	}
	if (ret) {
		unlink(json_path);
		return ret;
	}
	/*
	 * stdout and stderr into files of their own, so fio never blocks on
	 * a full pipe and stderr stays apart for fio_parse_stderr. fio (and
	 * anything it started) is killed at the deadline, and with us.
	 */
	ret = spawn_run(a.argv, &(struct spawn_opts){
				.stdout_path = out_path,
				.stderr_path = err_path,
				.timeout_s = timeout_s,
				.die_with_parent = true,
			}, &sr);
	if (ret) {
		unlink(out_path);
		unlink(err_path);
		unlink(json_path);
		return ret;
	}
	r->exit_status = sr.exit_status;	/* -1 when killed */
	r->timed_out = sr.timed_out;
	out_text = read_file(out_path, NULL);
	r->err_text = read_file(err_path, NULL);
	unlink(out_path);
	unlink(err_path);
	/* It never ran: say why where its stderr would be. */
	if (sr.exec_errno) {
		free(r->err_text);
		if (asprintf(&r->err_text, "exec %s: %s\n", a.argv[0], strerror(sr.exec_errno)) < 0)
			r->err_text = NULL;
	}
	if (!r->err_text)
		r->err_text = strdup("");

	json = read_file(json_path, NULL);
	unlink(json_path);
	ret = json && r->err_text ? fio_parse_json(json, "fio --output", r, err) : -EIO;
	if (!ret)
		ret = fio_parse_stderr(r->err_text, r);
	if (ret || r->timed_out) {
		fprintf(err, "fio %s on %s: %s (exit %d); its stderr:\n%s%s",
			fio_pass_name(j->pass), j->filename,
			r->timed_out ? "killed after the timeout" : "no usable report",
			r->exit_status, r->err_text ? r->err_text : "",
			out_text ? out_text : "");
		if (!ret)
			ret = -ETIMEDOUT;
	}
	free(json);
	free(out_text);
	return ret;
}

int fio_verdict(const struct fio_job *j, const struct fio_result *r,
		char *why, size_t len)
{
	uint64_t want = j->length;

	if (r->timed_out)
		snprintf(why, len, "fio was killed after %d s", j->timeout_s ? j->timeout_s : 600);
	else if (r->n_bad)
		snprintf(why, len, "%zu block(s) failed verification, first at offset %" PRIu64 " (%s)",
			 r->n_bad, r->bad[0].offset, r->bad[0].what);
	else if (r->job_error || r->total_err)
		snprintf(why, len, "fio reported error %d (%s), %" PRIu64 " error(s)",
			 r->job_error, strerror(r->job_error), r->total_err);
	else if (r->exit_status)
		snprintf(why, len, "fio exited %d", r->exit_status);
	else if (j->pass != FIO_VERIFY && r->write.io_bytes != want)
		snprintf(why, len, "fio wrote %" PRIu64 " of %" PRIu64 " bytes",
			 r->write.io_bytes, want);
	else if (j->pass != FIO_WRITE && r->read.io_bytes != want)
		snprintf(why, len, "fio verified %" PRIu64 " of %" PRIu64 " bytes",
			 r->read.io_bytes, want);
	else
		return 0;
	return 1;
}

static struct json_object *stats_json(const struct fio_stats *s)
{
	struct json_object *o = json_object_new_object();
	struct json_object *clat = json_object_new_object();

	json_object_object_add(o, "io_bytes", json_object_new_int64((int64_t)s->io_bytes));
	json_object_object_add(o, "bw_bytes", json_object_new_int64((int64_t)s->bw_bytes));
	json_object_object_add(o, "iops", json_object_new_double(s->iops));
	json_object_object_add(clat, "p50", json_object_new_int64((int64_t)s->clat_p50_ns));
	json_object_object_add(clat, "p99", json_object_new_int64((int64_t)s->clat_p99_ns));
	json_object_object_add(clat, "p99.9", json_object_new_int64((int64_t)s->clat_p999_ns));
	json_object_object_add(o, "clat_ns", clat);
	return o;
}

struct json_object *fio_result_json(const struct fio_job *j,
				    const struct fio_result *r)
{
	struct json_object *o = json_object_new_object();
	struct json_object *bad = json_object_new_array();
	char why[512];

	json_object_object_add(o, "pass", json_object_new_string(fio_pass_name(j->pass)));
	json_object_object_add(o, "filename", json_object_new_string(j->filename));
	json_object_object_add(o, "offset", json_object_new_int64((int64_t)j->offset));
	json_object_object_add(o, "length", json_object_new_int64((int64_t)j->length));
	json_object_object_add(o, "fio_version", json_object_new_string(r->version));
	json_object_object_add(o, "exit_status", json_object_new_int(r->exit_status));
	json_object_object_add(o, "job_error", json_object_new_int(r->job_error));
	json_object_object_add(o, "total_err", json_object_new_int64((int64_t)r->total_err));
	json_object_object_add(o, "read", stats_json(&r->read));
	json_object_object_add(o, "write", stats_json(&r->write));
	for (size_t i = 0; i < r->n_bad; i++) {
		struct json_object *b = json_object_new_object();

		json_object_object_add(b, "offset", json_object_new_int64((int64_t)r->bad[i].offset));
		json_object_object_add(b, "length", json_object_new_int64((int64_t)r->bad[i].length));
		json_object_object_add(b, "what", json_object_new_string(r->bad[i].what));
		json_object_array_add(bad, b);
	}
	json_object_object_add(o, "bad_blocks", bad);
	if (fio_verdict(j, r, why, sizeof(why)))
		json_object_object_add(o, "failure", json_object_new_string(why));
	json_object_object_add(o, "ok", json_object_new_boolean(!fio_verdict(j, r, why, sizeof(why))));
	return o;
}

void fio_result_free(struct fio_result *r)
{
	free(r->bad);
	free(r->err_text);
	r->bad = NULL;
	r->err_text = NULL;
	r->n_bad = 0;
}
