// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner export --lava on recorded lab runs (tests/fixtures/results/):
 * one case per tests[] entry, in order, then one per verdict, then the
 * run; each name LAVA's [A-Za-z0-9._-], given once; results and
 * durations as the file has them (a null duration no measurement, never
 * 0), every skip's reason a note. Then an edited copy whose names collide
 * once mapped, hold a line break, and whose outcomes LAVA lacks: nothing
 * collapses, nothing is injected, and each mapping is said.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include <json.h>

#include "base/fsutil.h"
#include "base/jsonfile.h"
#include "clirun.h"
#include "lavacase.h"

#define FIX "tests/fixtures/results/"
#define MAX_LINES 4096

/* One case line, split. */
struct lcase {
	char name[256], result[16];
	double secs;		/* NAN: no measurement */
	char note[4096];	/* the notes just before it, joined */
};

struct lexport {
	struct lcase c[MAX_LINES];
	size_t n, sets_started, sets_stopped;
	char bad[512];		/* the first line that is none of the four forms */
};

static struct lexport ex;

/* The export's lines (in out, from run()) into ex. */
static void split(void)
{
	char note[4096] = "";

	memset(&ex, 0, sizeof(ex));
	for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n")) {
		struct lcase *c = &ex.c[ex.n];
		char units[32] = "", extra[8] = "";
		int k;

		if (!strncmp(line, "# ", 2)) {
			snprintf(note + strlen(note), sizeof(note) - strlen(note), "%s|", line + 2);
		} else if (!strncmp(line, "set start ", 10) && lava_name(line + 10)) {
			ex.sets_started++;
		} else if (!strcmp(line, "set stop")) {
			ex.sets_stopped++;
		} else if (ex.n < MAX_LINES &&
			   (k = sscanf(line, "case %255s %15s %lf %31s %7s", c->name, c->result,
				       &c->secs, units, extra)) >= 2 && k != 3 && k != 5 &&
			   lava_name(c->name) && (k == 2 || !strcmp(units, "seconds"))) {
			if (k == 2)
				c->secs = NAN;
			snprintf(c->note, sizeof(c->note), "%s", note);
			note[0] = '\0';
			ex.n++;
		} else if (!ex.bad[0]) {
			snprintf(ex.bad, sizeof(ex.bad), "%s", line);
		}
	}
}

/* Is name unique among the cases? */
static int times_named(const char *name)
{
	int n = 0;

	for (size_t i = 0; i < ex.n; i++)
		n += !strcmp(ex.c[i].name, name);
	return n;
}

/*
 * The export of file against the file: case i is tests[i], then the
 * verdicts, then the run; every name once; results, durations, reasons.
 */
static void check_against(struct __test_metadata *_metadata, const char *file)
{
	json_object *doc = json_file_parse(file, stderr), *tests, *verdicts;
	char cmd[PATH_MAX + 64];
	size_t nt, nv;

	ASSERT_NE(NULL, doc);
	tests = jmember(doc, "tests");
	verdicts = jmember(doc, "verdicts");
	nt = jarray_len(tests);
	nv = jarray_len(verdicts);
	snprintf(cmd, sizeof(cmd), RUNNER " export --lava %s", file);
	ASSERT_EQ(0, run(cmd)) TH_LOG("%s", out);
	split();
	EXPECT_STREQ("", ex.bad);
	ASSERT_EQ(nt + nv + 1, ex.n) TH_LOG("%s: %zu tests, %zu verdicts", file, nt, nv);
	EXPECT_EQ(ex.sets_started, ex.sets_stopped);
	EXPECT_LT(0, ex.sets_started);
	for (size_t i = 0; i < ex.n; i++) {
		EXPECT_EQ(1, times_named(ex.c[i].name)) TH_LOG("%s", ex.c[i].name);
	}
	for (size_t i = 0; i < nt; i++) {
		json_object *t = jarray_at(tests, i);
		const char *reason = jmember_str(t, "reason");
		struct lcase *c = &ex.c[i];

		lava_case_is_test(_metadata, t, c->name, c->result, c->secs);
		if (reason) {
			EXPECT_NE(NULL, strstr(c->note, reason)) TH_LOG("%s: %s", c->name, c->note);
		}
	}
	for (size_t i = 0; i < nv; i++) {
		json_object *v = jarray_at(verdicts, i);
		struct lcase *c = &ex.c[nt + i];
		const char *label = jmember_str(v, "label");

		EXPECT_EQ(0, strncmp(c->name, "verdict.", 8)) TH_LOG("%s", c->name);
		EXPECT_NE(NULL, strstr(c->note, label)) TH_LOG("%s: %s", c->name, c->note);
		EXPECT_STREQ(lava_verdict_result(v), c->result) TH_LOG("%s", label);
		EXPECT_TRUE(isnan(c->secs));
	}
	EXPECT_STREQ("run.complete", ex.c[ex.n - 1].name);
	EXPECT_STREQ("pass", ex.c[ex.n - 1].result);
	EXPECT_EQ(json_object_get_double(jmember(jmember(doc, "run"), "duration_s")),
		  ex.c[ex.n - 1].secs);
	json_object_put(doc);
}

/* How many cases have this result. */
static size_t with_result(const char *result)
{
	size_t n = 0;

	for (size_t i = 0; i < ex.n; i++)
		n += !strcmp(ex.c[i].result, result);
	return n;
}

TEST(a_vtd_sc_lab_run_is_one_case_per_result_and_verdict)
{
	check_against(_metadata, FIX "lab-vtd-sc.json");
	/* 147 results (123 pass, 24 skip), 3 blocked-by-iommu verdicts, the run */
	EXPECT_EQ(151, ex.n);
	EXPECT_EQ(123 + 3 + 1, with_result("pass"));
	EXPECT_EQ(24, with_result("skip"));
	EXPECT_STREQ("attach.0000_00_04.0.global.type1_cc_reads_zero_before_set_iommu",
		     ex.c[0].name);
	EXPECT_STREQ("verdict.0000_00_06.0", ex.c[149].name);
}

TEST(an_amdvi_lab_run_keeps_its_failures)
{
	check_against(_metadata, FIX "lab-amdvi.json");
	EXPECT_EQ(20, with_result("fail"));
	EXPECT_EQ(54, with_result("skip"));
}

TEST(a_hand_built_results_file)
{
	check_against(_metadata, FIX "valid.json");
}

/*
 * valid.json with tests whose names collide once mapped ("a b", "a_b",
 * "a/b"), one with a line break that reads as a case, outcomes LAVA
 * lacks, a null duration, a measurement; and a run that stopped short.
 */
TEST(colliding_names_odd_outcomes_and_an_incomplete_run)
{
	static const struct { const char *name, *outcome; } add[] = {
		{ "x.a b", "pass" }, { "x.a_b", "fail" }, { "x.a/b", "error" },
		{ "x.nl\ncase evil pass", "timeout" }, { "x.expected", "xfail" },
	};
	char dir[] = "/tmp/snoop-lava-XXXXXX", file[64], cmd[256];
	json_object *doc = json_file_parse(FIX "valid.json", stderr), *tests, *run_obj;

	ASSERT_NE(NULL, doc);
	ASSERT_NE(NULL, mkdtemp(dir));
	tests = jmember(doc, "tests");
	for (size_t i = 0; i < sizeof(add) / sizeof(add[0]); i++) {
		json_object *t = NULL;

		ASSERT_EQ(0, json_object_deep_copy(jarray_at(tests, 0), &t, NULL));
		json_object_object_add(t, "name", json_object_new_string(add[i].name));
		json_object_object_add(t, "outcome", json_object_new_string(add[i].outcome));
		json_object_object_add(t, "duration_s", NULL);
		json_object_array_add(tests, t);
	}
	{
		json_object *m = json_object_new_object(), *ms = json_object_new_array();

		json_object_object_add(m, "name", json_object_new_string("bw"));
		json_object_object_add(m, "value", json_object_new_double(1.5));
		json_object_object_add(m, "unit", json_object_new_string("MiB/s"));
		json_object_array_add(ms, m);
		json_object_object_add(jarray_at(tests, 1), "measurements", ms);
	}
	run_obj = jmember(doc, "run");
	json_object_object_add(run_obj, "complete", json_object_new_boolean(0));
	json_object_object_add(run_obj, "incomplete_reason",
			       json_object_new_string("killed by SIGINT"));
	snprintf(file, sizeof(file), "%s/edited.json", dir);
	ASSERT_EQ(0, json_object_to_file(file, doc));
	snprintf(cmd, sizeof(cmd), RUNNER " validate %s >/dev/null", file);
	ASSERT_EQ(0, system(cmd)) TH_LOG("the edited copy must still be a valid results file");

	snprintf(cmd, sizeof(cmd), RUNNER " export --lava %s", file);
	ASSERT_EQ(0, run(cmd)) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "\ncase evil")) TH_LOG("%s", out);
	split();
	EXPECT_STREQ("", ex.bad);
	/* the original test, five added, one verdict, the run */
	ASSERT_EQ(1 + 5 + 1 + 1, ex.n) TH_LOG("%s", out);
	for (size_t i = 0; i < ex.n; i++) {
		EXPECT_EQ(1, times_named(ex.c[i].name)) TH_LOG("%s", ex.c[i].name);
	}
	EXPECT_TRUE(strstr(ex.c[1].name, ".x.a_b") != NULL) TH_LOG("%s", ex.c[1].name);
	EXPECT_TRUE(strstr(ex.c[2].name, ".x.a_b-2") != NULL) TH_LOG("%s", ex.c[2].name);
	EXPECT_TRUE(strstr(ex.c[3].name, ".x.a_b-3") != NULL) TH_LOG("%s", ex.c[3].name);
	EXPECT_NE(NULL, strstr(ex.c[2].note, "is an earlier case's name")) TH_LOG("%s", ex.c[2].note);
	EXPECT_STREQ("pass", ex.c[1].result);
	EXPECT_STREQ("fail", ex.c[2].result);
	EXPECT_STREQ("fail", ex.c[3].result);
	EXPECT_NE(NULL, strstr(ex.c[3].note, "error")) TH_LOG("%s", ex.c[3].note);
	EXPECT_STREQ("fail", ex.c[4].result);
	EXPECT_NE(NULL, strstr(ex.c[4].name, ".x.nl_case_evil_pass")) TH_LOG("%s", ex.c[4].name);
	EXPECT_NE(NULL, strstr(ex.c[4].note, "timeout")) TH_LOG("%s", ex.c[4].note);
	EXPECT_STREQ("pass", ex.c[5].result);
	EXPECT_NE(NULL, strstr(ex.c[5].note, "xfail")) TH_LOG("%s", ex.c[5].note);
	for (size_t i = 1; i <= 5; i++) {
		EXPECT_TRUE(isnan(ex.c[i].secs)) TH_LOG("%s: null measured", ex.c[i].name);
	}
	EXPECT_NE(NULL, strstr(ex.c[1].note, "measured bw = 1.5 MiB/s")) TH_LOG("%s", ex.c[1].note);
	EXPECT_STREQ("run.complete", ex.c[7].name);
	EXPECT_STREQ("fail", ex.c[7].result);
	EXPECT_NE(NULL, strstr(ex.c[7].note, "killed by SIGINT")) TH_LOG("%s", ex.c[7].note);

	/* Two files: the second's names are all taken, so all get "-2". */
	snprintf(cmd, sizeof(cmd), RUNNER " export --lava %s %s", file, file);
	ASSERT_EQ(0, run(cmd)) TH_LOG("%s", out);
	split();
	ASSERT_EQ(16, ex.n);
	for (size_t i = 0; i < ex.n; i++) {
		EXPECT_EQ(1, times_named(ex.c[i].name)) TH_LOG("%s", ex.c[i].name);
	}
	EXPECT_STREQ("run.complete-2", ex.c[15].name);
	remove_tree(dir);
	json_object_put(doc);
}

TEST(a_list_document_or_a_bad_file_is_exit_2)
{
	EXPECT_EQ(2, run(RUNNER " export --lava tests/fixtures/platforms/intel-x99-xeon-e5v3/expected-list.json"));
	EXPECT_EQ(2, run(RUNNER " export --lava " FIX "truncated.json"));
	EXPECT_NE(NULL, strstr(out, "truncated.json:")) TH_LOG("%s", out);
	EXPECT_EQ(2, run(RUNNER " export --lava --origin x " FIX "valid.json"));
	EXPECT_NE(NULL, strstr(out, "--origin does not apply to --lava")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
