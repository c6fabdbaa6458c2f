// SPDX-License-Identifier: GPL-2.0-only
#include "export/lava.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "base/jsonfile.h"
#include "base/number.h"

/*
 * A name's length before any "-N" that makes it unique. lava-test-case
 * makes LAVA_RESULT_DIR/results/NAME, one file-name component: 255 bytes
 * at most on Linux, so a longer name would lose its result file.
 */
#define NAME_MAX_LEN 200
#define NAME_ROOM (NAME_MAX_LEN + 16)
/* A note longer than this says how much more the results file holds. */
#define NOTE_MAX 2048

/*
 * What a name may hold. lava-test-case sends it in a signal,
 * "<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=NAME RESULT=R>", which the
 * dispatcher splits at blanks and at '=' (more than one '=' in a part is
 * a malformed signal) and which ends at '>'; it is a directory under
 * LAVA_RESULT_DIR/results/ too. LAVA's own names (test definitions,
 * jobs) are [-_a-zA-Z0-9.]+, and so are ours. Not isalnum(): the locale
 * must not widen it.
 */
static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

/* in as one more component of name: '.' first, '_' for what LAVA refuses, "_" if empty. */
static void append(char *name, const char *in)
{
	size_t o = strlen(name);

	if (o && o < NAME_MAX_LEN)
		name[o++] = '.';
	if (!in || !*in)
		in = "_";
	for (; *in && o < NAME_MAX_LEN; in++)
		name[o++] = name_char(*in) ? *in : '_';
	name[o] = '\0';
}

struct lava_out {
	FILE *f;
	json_object *seen;	/* every name given (keys), so each is given once */
};

/* s as it may stand in a note: a control character is a blank, so a note stays one line. */
static void put_line(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n && s[i]; i++)
		fputc((unsigned char)s[i] < ' ' || s[i] == 0x7f ? ' ' : s[i], f);
}

/*
 * Say "what: text tail" (tail may be NULL) as one note line, each part
 * from the results file made one line (report.sh reads a line at a time:
 * a line break in a test's name must not start a case), and past NOTE_MAX
 * a tail says how much more the results file has.
 */
static void note(struct lava_out *o, const char *what, const char *text, const char *tail)
{
	size_t n = tail ? strlen(tail) : 0;

	fputs("# ", o->f);
	put_line(o->f, what, NOTE_MAX);
	fputs(": ", o->f);
	put_line(o->f, text, NOTE_MAX);
	if (tail)
		put_line(o->f, tail, NOTE_MAX);
	if (n > NOTE_MAX)
		fprintf(o->f, " [%zu more bytes in the results file]", n - NOTE_MAX);
	fputc('\n', o->f);
}

/*
 * Make name (NAME_ROOM bytes) one no case has yet: a second "x" is
 * "x-2", saying so, so two results that map to one name are both kept.
 */
static void unique(struct lava_out *o, char *name, const char *was)
{
	char base[NAME_ROOM], why[2 * NAME_ROOM + 64];

	if (json_object_object_get_ex(o->seen, name, NULL)) {
		snprintf(base, sizeof(base), "%s", name);
		for (unsigned n = 2; json_object_object_get_ex(o->seen, name, NULL); n++)
			snprintf(name, NAME_ROOM, "%.*s-%u", NAME_MAX_LEN, base, n);
		snprintf(why, sizeof(why), "%s is an earlier case's name, so this one is %s",
			 base, name);
		note(o, was, why, NULL);
	}
	json_object_object_add(o->seen, name, NULL);
}

/* LAVA's result for one of ours: a test that fails the run fails, as the gate says. */
static const char *result_of(const char *outcome)
{
	if (!outcome)
		return "unknown";
	if (rundoc_outcome_fails(outcome))
		return "fail";
	if (!strcmp(outcome, "skip"))
		return "skip";
	/* the kselftest harness counts an expected failure (xfail) as a pass */
	return !strcmp(outcome, "pass") || !strcmp(outcome, "xfail") ? "pass" : "unknown";
}

/* A number the results hold, finite (json-c reads NaN and Infinity too), or NULL. */
static json_object *known_number(json_object *v)
{
	if (!(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int)))
		return NULL;
	return isfinite(json_object_get_double(v)) ? v : NULL;
}

/* "case NAME RESULT", and the seconds it took when the results know them (null: not). */
static void put_case(struct lava_out *o, const char *name, const char *result, json_object *secs)
{
	char v[32];

	fprintf(o->f, "case %s %s", name, result);
	if (known_number(secs)) {
		number_shortest(v, sizeof(v), json_object_get_double(secs));
		fprintf(o->f, " %s seconds", v);
	}
	fputc('\n', o->f);
}

/* A test's measurements ({name, value, unit}), each a note: LAVA takes one per case. */
static void measurements(struct lava_out *o, const char *id, json_object *ms)
{
	for (size_t i = 0; i < jarray_len(ms); i++) {
		json_object *m = jarray_at(ms, i), *value = known_number(jmember(m, "value"));
		const char *name = jmember_str(m, "name"), *unit = jmember_str(m, "unit");
		char text[NOTE_MAX], v[32] = "null";

		if (value)
			number_shortest(v, sizeof(v), json_object_get_double(value));
		snprintf(text, sizeof(text), "measured %s = %s %s", name ? name : "?", v,
			 unit ? unit : "");
		note(o, id, text, NULL);
	}
}

/* One KTAP result; *set is the set open so far ("" none), changed when its suite or device is new. */
static void test_case(struct lava_out *o, json_object *t, char *set)
{
	const char *suite = jmember_str(t, "suite"), *bdf = jmember_str(t, "device");
	const char *name = jmember_str(t, "name"), *outcome = jmember_str(t, "outcome");
	const char *reason = jmember_str(t, "reason"), *result = result_of(outcome);
	char want[NAME_ROOM] = "", id[NAME_ROOM], was[3 * NOTE_MAX], text[NOTE_MAX];

	append(want, suite);
	append(want, bdf ? bdf : "-");
	if (strcmp(want, set)) {
		if (*set)
			fprintf(o->f, "set stop\n");
		snprintf(set, NAME_ROOM, "%s", want);
		fprintf(o->f, "set start %s\n", set);
	}
	snprintf(id, sizeof(id), "%s", want);
	append(id, name);
	snprintf(was, sizeof(was), "%.2000s@%s %.2000s", suite ? suite : "", bdf ? bdf : "-",
		 name ? name : "");
	unique(o, id, was);
	/* why it did not pass, and what an outcome LAVA lacks was recorded as */
	if (reason || strcmp(result, outcome ? outcome : "")) {
		snprintf(text, sizeof(text), "%s%s", outcome ? outcome : "(no outcome)",
			 reason ? ": " : "");
		note(o, id, text, reason);
	}
	measurements(o, id, jmember(t, "measurements"));
	put_case(o, id, result, jmember(t, "duration_s"));
}

/* One verdict: fail for a failing label, skip when nothing could be judged, else pass. */
static void verdict_case(struct lava_out *o, json_object *v)
{
	const char *bdf = jmember_str(v, "device"), *label = jmember_str(v, "label");
	char id[NAME_ROOM] = "verdict", text[NOTE_MAX];

	append(id, bdf);
	unique(o, id, "verdict");
	snprintf(text, sizeof(text), "%s: ", label ? label : "");
	note(o, id, text, jmember_str(v, "why"));
	put_case(o, id, rundoc_verdict_fails(v) ? "fail" :
		 label && !strcmp(label, "inconclusive") ? "skip" : "pass", NULL);
}

/* The run: it completed or it did not; how long it took. */
static void run_case(struct lava_out *o, json_object *run)
{
	json_object *complete = jmember(run, "complete");
	bool done = !complete || json_object_get_boolean(complete);
	const char *why = jmember_str(run, "incomplete_reason");
	char id[NAME_ROOM] = "run.complete";

	unique(o, id, "run");
	if (!done)
		note(o, id, "incomplete: ", why ? why : "no reason recorded");
	put_case(o, id, done ? "pass" : "fail", jmember(run, "duration_s"));
}

static void export_doc(struct lava_out *o, const struct rundoc *d)
{
	json_object *tests = rundoc_tests(d), *verdicts = rundoc_verdicts(d);
	json_object *run = jmember(d->doc, "run");
	const char *kernel = rundoc_kernel(d), *platform = rundoc_platform_id(d);
	const char *run_id = jmember_str(run, "id");
	char set[NAME_ROOM] = "", text[NOTE_MAX];

	snprintf(text, sizeof(text), "run %.200s on %.200s, kernel %.200s: %zu results, %zu verdicts",
		 run_id ? run_id : "?", platform ? platform : "?", kernel ? kernel : "?",
		 jarray_len(tests), jarray_len(verdicts));
	note(o, d->path, text, NULL);
	for (size_t i = 0; i < jarray_len(tests); i++)
		test_case(o, jarray_at(tests, i), set);
	if (*set)
		fprintf(o->f, "set stop\n");
	for (size_t i = 0; i < jarray_len(verdicts); i++)
		verdict_case(o, jarray_at(verdicts, i));
	run_case(o, run);
}

int lava_export(const struct rundoc_set *s, FILE *out, FILE *err)
{
	struct lava_out o = { .f = out };

	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].kind != RUNDOC_RESULTS) {
			fprintf(err, "%s: a runner list document, not a results file: it has no run to export\n",
				s->v[i].path);
			return -EINVAL;
		}
	o.seen = json_object_new_object();
	if (!o.seen)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++)
		export_doc(&o, &s->v[i]);
	json_object_put(o.seen);
	return 0;
}
