// SPDX-License-Identifier: GPL-2.0-only
#include "export/kcidb.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonfile.h"
#include "base/number.h"

/* Every test path starts here, whatever the origin: the tree is ours. */
#define KCIDB_PATH_ROOT "snoopcheck"

/* KCIDB's test path component: [a-zA-Z0-9_-]+ */
static bool path_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

bool kcidb_origin_valid(const char *s)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_'))
			return false;
	return true;
}

bool kcidb_url_valid(const char *s)
{
	const char *p = s;

	if (!s || !isalpha((unsigned char)*p))
		return false;
	while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
		p++;
	if (strncmp(p, "://", 3) || !p[3])
		return false;
	for (p += 3; *p; p++)
		if (isspace((unsigned char)*p) || !isprint((unsigned char)*p))
			return false;
	return true;
}

/*
 * in as dotted path components: '.' separates, any other character KCIDB
 * does not allow becomes '_', an empty component "_". Appended to out.
 */
static void append_path(char *out, size_t len, const char *in)
{
	size_t o = strlen(out);
	bool fresh = true;

	if (o && o + 1 < len)
		out[o++] = '.';
	for (; *in && o + 2 < len; in++) {
		if (*in == '.') {
			if (fresh)
				out[o++] = '_';
			out[o++] = '.';
			fresh = true;
			continue;
		}
		out[o++] = path_char(*in) ? *in : '_';
		fresh = false;
	}
	if (fresh && o + 1 < len)
		out[o++] = '_';
	out[o] = '\0';
}

/*
 * Our outcomes as KCIDB statuses. KCIDB has no timeout or xfail: a
 * timeout did not complete (ERROR); an expected failure counts as the
 * kselftest harness counts it, a pass. misc.outcome keeps ours.
 */
static const char *status_of(const char *outcome)
{
	static const char *const map[][2] = {
		{ "pass", "PASS" }, { "fail", "FAIL" }, { "skip", "SKIP" },
		{ "error", "ERROR" }, { "timeout", "ERROR" }, { "xfail", "PASS" },
	};

	for (size_t i = 0; outcome && i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(outcome, map[i][0]))
			return map[i][1];
	return "ERROR";
}

static json_object *jstr(const char *s)
{
	return json_object_new_string(s ? s : "");
}

/* o[key] = a copy of v, unless v is absent or null (KCIDB forbids null). */
static void put_copy(json_object *o, const char *key, json_object *v)
{
	if (v)
		json_object_object_add(o, key, json_object_get(v));
}

static void put_str(json_object *o, const char *key, const char *s)
{
	if (s && *s)
		json_object_object_add(o, key, json_object_new_string(s));
}

/*
 * A number from the results (a duration), when it is one, printed in its
 * shortest form that reads back the same (json-c prints 17 digits).
 */
static void put_number(json_object *o, const char *key, json_object *v)
{
	char text[32];
	double d;

	if (!v || !(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
		return;
	d = json_object_get_double(v);
	number_shortest(text, sizeof(text), d);
	json_object_object_add(o, key, json_object_new_double_s(d, text));
}

/* "ORIGIN:RUN-ID" plus a tail. */
static json_object *id_of(const char *origin, const char *run, const char *tail)
{
	char id[4096];

	snprintf(id, sizeof(id), "%s:%s%s", origin, run, tail ? tail : "");
	return json_object_new_string(id);
}

/* Percent-encode what a URL path segment may not hold as it is. */
static void url_append(char *out, size_t len, const char *in)
{
	size_t o = strlen(out);

	for (; *in && o + 4 < len; in++) {
		unsigned char c = (unsigned char)*in;

		if (isalnum(c) || strchr("-._~!$&'()*+,;=:@", c))
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, len - o, "%%%02X", c);
	}
	out[o] = '\0';
}

struct run {
	const struct kcidb_opts *o;
	json_object *doc, *plat, *kernel;
	const char *run_id;
	char build_id[1024];
	json_object *seen;	/* test ids given, to keep each unique */
};

static const char *or_empty(const char *s)
{
	return s ? s : "";
}

/* The platform's devices[] entry for bdf, or NULL. */
static json_object *device_of(const struct run *r, const char *bdf)
{
	json_object *devs = jmember(r->plat, "devices");

	for (size_t i = 0; bdf && i < jarray_len(devs); i++)
		if (!strcmp(or_empty(jmember_str(jarray_at(devs, i), "bdf")), bdf))
			return jarray_at(devs, i);
	return NULL;
}

/* The machine and device a test ran on, for environment.misc and comment. */
static json_object *environment(const struct run *r, const char *bdf)
{
	json_object *env = json_object_new_object(), *misc = json_object_new_object();
	json_object *dev = device_of(r, bdf);
	const char *platform = or_empty(jmember_str(r->plat, "platform_id"));
	const char *name = or_empty(jmember_str(dev, "device_name"));
	char comment[1024], id[32];

	json_object_object_add(misc, "platform_id", jstr(platform));
	put_str(misc, "lab", r->o->lab);
	put_str(misc, "host", jmember_str(jmember(r->doc, "run"), "host"));
	put_copy(misc, "virtual", jmember(r->plat, "virtual"));
	if (bdf)
		json_object_object_add(misc, "device", jstr(bdf));
	if (dev) {
		snprintf(id, sizeof(id), "%s:%s", or_empty(jmember_str(dev, "vendor")),
			 or_empty(jmember_str(dev, "device")));
		json_object_object_add(misc, "pci_id", jstr(id));
		put_str(misc, "driver", jmember_str(dev, "driver"));
		put_str(misc, "iommu_unit", jmember_str(dev, "iommu_unit"));
	}
	snprintf(comment, sizeof(comment), "platform %s%s%s%s%s%s%s%s", platform,
		 bdf ? ", device " : "", or_empty(bdf), *name ? " (" : "", name, *name ? ")" : "",
		 r->o->lab ? ", lab " : "", or_empty(r->o->lab));
	json_object_object_add(env, "comment", jstr(comment));
	json_object_object_add(env, "misc", misc);
	return env;
}

/* A test object with the members every one has. */
static json_object *test_object(struct run *r, const char *tail, const char *path,
				const char *status, const char *bdf)
{
	json_object *t = json_object_new_object(), *id = id_of(r->o->origin, r->run_id, tail);
	char again[1100];

	/* a results file names each test once; should one repeat, it still gets its own id */
	for (int n = 2; json_object_object_get_ex(r->seen, json_object_get_string(id), NULL); n++) {
		snprintf(again, sizeof(again), "%s#%d", tail, n);
		json_object_put(id);
		id = id_of(r->o->origin, r->run_id, again);
	}
	json_object_object_add(r->seen, json_object_get_string(id), NULL);
	json_object_object_add(t, "id", id);
	json_object_object_add(t, "build_id", jstr(r->build_id));
	json_object_object_add(t, "origin", jstr(r->o->origin));
	json_object_object_add(t, "path", jstr(path));
	json_object_object_add(t, "status", jstr(status));
	json_object_object_add(t, "environment", environment(r, bdf));
	return t;
}

/* Where the test's kept KTAP is: log_url under --log-base, else misc.log. */
static void test_log(const struct run *r, json_object *t, json_object *misc, json_object *log)
{
	const char *dir = jmember_str(jmember(r->doc, "run"), "logs_dir");
	const char *ktap = jmember_str(log, "ktap");
	char rel[2048], url[4096];

	if (!dir || !ktap)
		return;
	snprintf(rel, sizeof(rel), "%s/%s", dir, ktap);
	json_object_object_add(misc, "log", jstr(rel));
	put_copy(misc, "log_line", jmember(log, "line"));
	if (!r->o->log_base)
		return;
	snprintf(url, sizeof(url), "%s", r->o->log_base);
	if (url[0] && url[strlen(url) - 1] != '/')
		strcat(url, "/");
	url_append(url, sizeof(url), dir);
	strcat(url, "/");
	url_append(url, sizeof(url), ktap);
	json_object_object_add(t, "log_url", jstr(url));
}

static void suite_test(struct run *r, json_object *arr, json_object *e)
{
	const char *suite = jmember_str(e, "suite"), *name = jmember_str(e, "name");
	const char *bdf = jmember_str(e, "device"), *outcome = jmember_str(e, "outcome");
	char path[1024] = "", tail[1024];
	json_object *t, *misc = json_object_new_object();

	append_path(path, sizeof(path), KCIDB_PATH_ROOT);
	append_path(path, sizeof(path), suite ? suite : "");
	append_path(path, sizeof(path), name ? name : "");
	snprintf(tail, sizeof(tail), "/%s@%s/%s", suite ? suite : "", bdf ? bdf : "-",
		 name ? name : "");
	t = test_object(r, tail, path, status_of(outcome), bdf);
	put_number(t, "duration", jmember(e, "duration_s"));
	put_str(t, "comment", jmember_str(e, "reason"));
	json_object_object_add(misc, "suite", jstr(suite));
	json_object_object_add(misc, "name", jstr(name));
	put_str(misc, "variant", jmember_str(e, "variant"));
	json_object_object_add(misc, "outcome", jstr(outcome));
	put_copy(misc, "reason", jmember(e, "reason"));
	put_copy(misc, "measurements", jmember(e, "measurements"));
	test_log(r, t, misc, jmember(e, "log"));
	json_object_object_add(t, "misc", misc);
	json_object_array_add(arr, t);
}

/*
 * The verdict of one device: FAIL when its label fails the run, SKIP
 * when nothing could be judged (inconclusive: no attach path ran), else
 * PASS; the label, advice and why in misc.
 */
static void verdict_test(struct run *r, json_object *arr, json_object *v)
{
	const char *bdf = jmember_str(v, "device"), *label = jmember_str(v, "label");
	char path[256] = "", tail[512], comment[2048];
	json_object *t, *misc = json_object_new_object();
	const char *status = rundoc_verdict_fails(v) ? "FAIL" :
			     label && !strcmp(label, "inconclusive") ? "SKIP" : "PASS";

	append_path(path, sizeof(path), KCIDB_PATH_ROOT);
	append_path(path, sizeof(path), "verdict");
	snprintf(tail, sizeof(tail), "/verdict@%s", bdf ? bdf : "-");
	t = test_object(r, tail, path, status, bdf);
	snprintf(comment, sizeof(comment), "%s: %s", label ? label : "",
		 jmember_str(v, "why") ? jmember_str(v, "why") : "");
	json_object_object_add(t, "comment", jstr(comment));
	json_object_object_add(misc, "label", jstr(label));
	put_copy(misc, "advice", jmember(v, "advice"));
	put_copy(misc, "why", jmember(v, "why"));
	json_object_object_add(t, "misc", misc);
	json_object_array_add(arr, t);
}

/*
 * The run as a whole, the one test with a real start time: ERROR when it
 * stopped short, FAIL when any test or verdict fails, else PASS.
 */
static void run_test(struct run *r, json_object *arr)
{
	json_object *run = jmember(r->doc, "run"), *tests = jmember(r->doc, "tests");
	json_object *verdicts = jmember(r->doc, "verdicts"), *misc = json_object_new_object();
	json_object *complete = jmember(run, "complete"), *t;
	bool failed = false;
	char path[64] = "";

	for (size_t i = 0; i < jarray_len(tests); i++)
		failed |= rundoc_test_fails(jarray_at(tests, i));
	for (size_t i = 0; i < jarray_len(verdicts); i++)
		failed |= rundoc_verdict_fails(jarray_at(verdicts, i));
	append_path(path, sizeof(path), KCIDB_PATH_ROOT);
	t = test_object(r, "", path, complete && !json_object_get_boolean(complete) ? "ERROR" :
			failed ? "FAIL" : "PASS", NULL);
	put_str(t, "start_time", jmember_str(run, "started"));
	put_number(t, "duration", jmember(run, "duration_s"));
	put_str(t, "comment", jmember_str(run, "incomplete_reason"));
	json_object_object_add(misc, "run_id", jstr(r->run_id));
	put_copy(misc, "finished", jmember(run, "finished"));
	put_copy(misc, "complete", complete);
	put_copy(misc, "tool_version", jmember(run, "version"));
	put_copy(misc, "command", jmember(run, "command"));
	json_object_object_add(t, "misc", misc);
	json_object_array_add(arr, t);
}

/* The kernel's source as far as it is known: its commit only when whole. */
static json_object *checkout(const struct run *r)
{
	json_object *c = json_object_new_object(), *misc = json_object_new_object();
	const char *release = jmember_str(r->kernel, "release");
	const char *commit = jmember_str(r->kernel, "git_commit");
	char comment[512];

	json_object_object_add(c, "id", id_of(r->o->origin, r->run_id, NULL));
	json_object_object_add(c, "origin", jstr(r->o->origin));
	if (commit && strlen(commit) == 40)
		json_object_object_add(c, "git_commit_hash", jstr(commit));
	snprintf(comment, sizeof(comment), "Linux %s", release && *release ? release : "(release unknown)");
	json_object_object_add(c, "comment", jstr(comment));
	put_str(misc, "kernel_release", release);
	put_str(misc, "kernel_version", jmember_str(r->kernel, "version"));
	put_str(misc, "git_commit", commit);
	json_object_object_add(c, "misc", misc);
	return c;
}

/*
 * The kernel that ran. It booted and ran the suites, so its build
 * succeeded: PASS. Its identity (build-id, config) in misc.
 */
static json_object *build(const struct run *r)
{
	json_object *b = json_object_new_object(), *misc = json_object_new_object();
	json_object *config = jmember(r->kernel, "config");
	const char *arch = jmember_str(r->kernel, "arch");
	const char *bid = jmember_str(r->kernel, "build_id");
	char comment[512];

	json_object_object_add(b, "id", jstr(r->build_id));
	json_object_object_add(b, "checkout_id", id_of(r->o->origin, r->run_id, NULL));
	json_object_object_add(b, "origin", jstr(r->o->origin));
	json_object_object_add(b, "status", jstr("PASS"));
	/* KCIDB's architecture is [a-z0-9_]*: uname -m's names fit */
	if (arch && *arch && strspn(arch, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(arch))
		json_object_object_add(b, "architecture", jstr(arch));
	else
		put_str(misc, "arch", arch);
	snprintf(comment, sizeof(comment), "the kernel that ran: %s%s%s",
		 jmember_str(r->kernel, "release") ? jmember_str(r->kernel, "release") : "",
		 bid ? ", build-id " : "", bid ? bid : "");
	json_object_object_add(b, "comment", jstr(comment));
	put_str(misc, "build_id", bid);
	put_str(misc, "config_source", jmember_str(config, "source"));
	if (jmember(config, "options")) {
		json_object *opts = json_object_new_object();

		/* null there is unknown: left out, as KCIDB wants */
		json_object_object_foreach(jmember(config, "options"), key, val)
			put_copy(opts, key, val);
		json_object_object_add(misc, "config", opts);
	}
	put_str(misc, "cmdline", jmember_str(r->kernel, "cmdline"));
	json_object_object_add(b, "misc", misc);
	return b;
}

static void export_run(struct run *r, json_object *out)
{
	json_object *tests = jmember(r->doc, "tests"), *verdicts = jmember(r->doc, "verdicts");
	json_object *t = jmember(out, "tests");

	snprintf(r->build_id, sizeof(r->build_id), "%s:%s", r->o->origin, r->run_id);
	json_object_array_add(jmember(out, "checkouts"), checkout(r));
	json_object_array_add(jmember(out, "builds"), build(r));
	run_test(r, t);
	for (size_t i = 0; i < jarray_len(tests); i++)
		suite_test(r, t, jarray_at(tests, i));
	for (size_t i = 0; i < jarray_len(verdicts); i++)
		verdict_test(r, t, jarray_at(verdicts, i));
}

json_object *kcidb_export(const struct rundoc_set *s, const struct kcidb_opts *o, FILE *err)
{
	json_object *out = json_object_new_object(), *version = json_object_new_object();
	json_object *runs = json_object_new_object();

	json_object_object_add(version, "major", json_object_new_int(5));
	json_object_object_add(version, "minor", json_object_new_int(3));
	json_object_object_add(out, "version", version);
	json_object_object_add(out, "checkouts", json_object_new_array());
	json_object_object_add(out, "builds", json_object_new_array());
	json_object_object_add(out, "tests", json_object_new_array());
	for (size_t i = 0; i < s->n; i++) {
		const struct rundoc *d = &s->v[i];
		struct run r = { .o = o, .doc = d->doc, .plat = d->plat };
		json_object *first;

		if (d->kind != RUNDOC_RESULTS) {
			fprintf(err, "%s: a runner list document, not a results file: it has no run to export\n",
				d->path);
			goto fail;
		}
		r.kernel = jmember(d->plat, "kernel");
		r.run_id = jmember_str(jmember(d->doc, "run"), "id");
		if (json_object_object_get_ex(runs, r.run_id, &first)) {
			fprintf(err, "%s: run %s is %s again; each run is exported once (its ids would collide)\n",
				d->path, r.run_id, json_object_get_string(first));
			goto fail;
		}
		json_object_object_add(runs, r.run_id, json_object_new_string(d->path));
		r.seen = json_object_new_object();
		export_run(&r, out);
		json_object_put(r.seen);
	}
	json_object_put(runs);
	return out;
fail:
	json_object_put(runs);
	json_object_put(out);
	return NULL;
}
