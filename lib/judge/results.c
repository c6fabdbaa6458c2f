// SPDX-License-Identifier: GPL-2.0-only
#include "judge/results.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/fsutil.h"
#include "base/jschema.h"
#include "discover/report.h"
#include "judge/schema_data.h"

#define SNOOP_VERSION "0.1"

static void utc(char *buf, size_t len, time_t t, bool compact)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, compact ? "%Y%m%dT%H%M%SZ" : "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_object *list(json_object *doc, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(doc, key, &v);
	return v;
}

int results_start(struct results *r, const struct platform *p, bool virtual_platform,
		  int argc, char **argv)
{
	json_object *run = json_object_new_object(), *cmd = json_object_new_array();
	json_object *plat = platform_to_json(p);
	char id[160], stamp[32], when[32];
	struct utsname u;
	time_t now = time(NULL);
	uint32_t tag;

	r->t0 = monotonic_s();
	utc(stamp, sizeof(stamp), now, true);
	utc(when, sizeof(when), now, false);
	/*
	 * Two runs of one platform can start in the same second (a lab's
	 * identical boards, two kernels side by side in the virtual lab); a
	 * random tag keeps their ids apart, for runner export and report.
	 */
	if (getrandom(&tag, sizeof(tag), GRND_NONBLOCK) != sizeof(tag))
		tag = (uint32_t)getpid() ^ (uint32_t)(monotonic_s() * 1e9);
	snprintf(id, sizeof(id), "%s-%s-%08" PRIx32, p->platform_id, stamp, tag);
	for (char *c = id; *c; c++)
		if (*c >= 'A' && *c <= 'Z' && c < id + strlen(p->platform_id))
			*c = (char)(*c - 'A' + 'a');
	uname(&u);
	for (int i = 0; i < argc; i++)
		json_object_array_add(cmd, json_object_new_string(argv[i]));
	json_object_object_add(run, "id", json_object_new_string(id));
	json_object_object_add(run, "tool", json_object_new_string("snoopcheck"));
	json_object_object_add(run, "version", json_object_new_string(SNOOP_VERSION));
	json_object_object_add(run, "command", cmd);
	json_object_object_add(run, "host", json_object_new_string(u.nodename));
	json_object_object_add(run, "started", json_object_new_string(when));
	json_object_object_add(run, "finished", json_object_new_string(when));
	json_object_object_add(run, "duration_s", json_object_new_double(0));
	json_object_object_add(run, "complete", json_object_new_boolean(1));
	json_object_object_add(run, "incomplete_reason", NULL);
	json_object_object_add(run, "logs_dir", NULL);
	json_object_object_add(plat, "virtual", json_object_new_boolean(virtual_platform));

	r->doc = json_object_new_object();
	json_object_object_add(r->doc, "schema_version", json_object_new_int(1));
	json_object_object_add(r->doc, "run", run);
	json_object_object_add(r->doc, "platform", plat);
	json_object_object_add(r->doc, "devices", json_object_new_array());
	json_object_object_add(r->doc, "tests", json_object_new_array());
	json_object_object_add(r->doc, "verdicts", json_object_new_array());
	json_object_object_add(r->doc, "kernel_log", json_object_new_array());
	json_object_object_add(r->doc, "notes", json_object_new_array());
	return 0;
}

static json_object *str_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

json_object *results_add_test(struct results *r, const char *suite, const char *name,
			      const char *device, const char *outcome, const char *reason,
			      double duration_s, json_object *evidence)
{
	json_object *t = json_object_new_object();

	json_object_object_add(t, "suite", json_object_new_string(suite));
	json_object_object_add(t, "name", json_object_new_string(name));
	json_object_object_add(t, "device", str_or_null(device));
	json_object_object_add(t, "outcome", json_object_new_string(outcome));
	json_object_object_add(t, "reason", str_or_null(reason));
	/* Unknown is null: a made-up 0 would read as "instant". */
	json_object_object_add(t, "duration_s", isnan(duration_s) || duration_s < 0 ? NULL :
			       json_object_new_double(duration_s));
	json_object_object_add(t, "evidence", evidence ? evidence : json_object_new_array());
	json_object_array_add(list(r->doc, "tests"), t);
	return t;
}

void results_set_test_log(json_object *test, const char *ktap, int line, const char *err,
			  const char *kmsg)
{
	json_object *log = json_object_new_object();

	json_object_object_add(log, "ktap", json_object_new_string(ktap));
	json_object_object_add(log, "line", line > 0 ? json_object_new_int(line) : NULL);
	json_object_object_add(log, "err", str_or_null(err));
	json_object_object_add(log, "kmsg", str_or_null(kmsg));
	json_object_object_add(test, "log", log);
}

void results_set_logs_dir(struct results *r, const char *dir)
{
	json_object_object_add(list(r->doc, "run"), "logs_dir", str_or_null(dir));
}

void results_set_incomplete(struct results *r, const char *why)
{
	json_object *run = list(r->doc, "run");

	json_object_object_add(run, "complete", json_object_new_boolean(0));
	json_object_object_add(run, "incomplete_reason", json_object_new_string(why));
}

void results_add_device(struct results *r, json_object *device)
{
	json_object_array_add(list(r->doc, "devices"), device);
}

void results_add_verdict(struct results *r, const char *bdf, const struct verdict *v)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "device", json_object_new_string(bdf));
	json_object_object_add(o, "label", json_object_new_string(verdict_label_name(v->label)));
	json_object_object_add(o, "advice", json_object_new_string(v->advice));
	json_object_object_add(o, "why", json_object_new_string(v->why));
	json_object_array_add(list(r->doc, "verdicts"), o);
}

void results_add_klog(struct results *r, const struct klog_findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "kind", json_object_new_string(klog_kind_name(f->v[i].kind)));
		json_object_object_add(o, "line", json_object_new_string(f->v[i].line));
		json_object_array_add(list(r->doc, "kernel_log"), o);
	}
}

void results_add_note(struct results *r, const char *note)
{
	json_object_array_add(list(r->doc, "notes"), json_object_new_string(note));
}

json_object *results_schema(void)
{
	/* Parsed once: runner compare and validate check thousands of files. */
	static json_object *schema;

	if (!schema)
		schema = json_tokener_parse(results_schema_json);
	return schema;
}

json_object *results_schema_copy(void)
{
	return json_tokener_parse(results_schema_json);
}

int results_validate(json_object *doc, const char *name, FILE *err)
{
	return results_validate_with(results_schema(), doc, name, err);
}

int results_validate_with(json_object *schema, json_object *doc, const char *name, FILE *err)
{
	if (!schema) {
		fprintf(err, "%s: the built-in schema does not parse (build error)\n", name);
		return 1;
	}
	return jschema_validate(schema, doc, name, err);
}

int results_finish(struct results *r, const char *path, FILE *err)
{
	json_object *run = list(r->doc, "run");
	char when[32];
	const char *text;

	utc(when, sizeof(when), time(NULL), false);
	json_object_object_add(run, "finished", json_object_new_string(when));
	json_object_object_add(run, "duration_s",
			       json_object_new_double(monotonic_s() - r->t0));
	if (results_validate(r->doc, path, err)) {
		fprintf(err, "%s: not written: the document does not match the schema (a bug)\n",
			path);
		return -EINVAL;
	}
	text = json_object_to_json_string_ext(r->doc, JSON_C_TO_STRING_PRETTY |
					      JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	if (mkdir_parents(path) || write_file_atomic(path, text, strlen(text))) {
		int e = errno;

		fprintf(err, "%s: cannot write: %s\n", path, strerror(e));
		return -e;
	}
	return 0;
}

void results_free(struct results *r)
{
	if (r->doc)
		json_object_put(r->doc);
	r->doc = NULL;
}
