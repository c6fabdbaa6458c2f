// SPDX-License-Identifier: GPL-2.0-only
/*
 * lava/snoopcheck.yaml's own steps, run the way a LAVA job runs them, in
 * the vtd-sc guest: tests/vm/lava-testdef.py checks the definition against
 * LAVA's schema, lays out the overlay with LAVA's real helpers (Debian's
 * lava-dispatcher, scripts/lava-deb.sh) and starts LAVA's lava-test-runner.
 * The guest cannot run make, so CHECK_HW is what check-hw runs,
 * `./runner run --config lab.conf.example`. Then the LAVA_SIGNAL lines
 * the guest printed are held against the results file it wrote: one case
 * per tests[] entry (as many as the kernel's kunit.py counts in run.ktap,
 * with its pass and skip counts) and per verdict, each result and
 * duration the file's, plus check-hw and run.complete; the bundle
 * uploaded (curl to a file:// URL) and referenced; every case's result
 * file where lava-test-case keeps it (LAVA_RESULT_DIR).
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json.h>
#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "base/jsonfile.h"
#include "base/subprocess.h"
#include "sysfs/sysroot.h"
#include "kunit.h"
#include "lavacase.h"

#define RUNNER "build/t/runner"
#define MAX_CASES 1024

struct sig {
	char name[256], result[16];
	double secs;	/* NAN: none */
};

static struct sig cases[MAX_CASES];
static size_t n_cases;

/* The TESTCASE signals of text, in order. */
static void signals(const char *text)
{
	const char *p = text;

	n_cases = 0;
	while ((p = strstr(p, "<LAVA_SIGNAL_TESTCASE ")) && n_cases < MAX_CASES) {
		struct sig *s = &cases[n_cases++];
		char units[32] = "";
		int k = sscanf(p, "<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=%255s RESULT=%15[a-z]> ",
			       s->name, s->result);

		s->secs = NAN;
		if (k == 2 && strstr(p, " UNITS=") && strstr(p, " UNITS=") < strchr(p, '>'))
			sscanf(strstr(p, " UNITS="), " UNITS=%31s MEASUREMENT=%lf", units, &s->secs);
		p++;
	}
}

static const struct sig *case_named(const char *name)
{
	for (size_t i = 0; i < n_cases; i++)
		if (!strcmp(cases[i].name, name))
			return &cases[i];
	return NULL;
}

/* A script's first line of output, trimmed. */
static int first_line(const char *cmd, char *buf, size_t len)
{
	FILE *p = popen(cmd, "r");
	int st;

	if (!p)
		return -1;
	if (!fgets(buf, (int)len, p))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	st = pclose(p);
	return st || !buf[0] ? -1 : 0;
}

/* kunit.py's "Ran N tests: passed: P, skipped: S, failed: F" (each 0 when absent). */
static int kunit_counts(const char *kout, int *ran, int *passed, int *skipped, int *failed)
{
	const char *p = strstr(kout, "Testing complete. Ran ");
	const char *q;

	*ran = *passed = *skipped = *failed = 0;
	if (!p || sscanf(p, "Testing complete. Ran %d tests", ran) != 1)
		return -1;
	if ((q = strstr(p, "passed: ")))
		*passed = atoi(q + 8);
	if ((q = strstr(p, "skipped: ")))
		*skipped = atoi(q + 9);
	if ((q = strstr(p, "failed: ")))
		*failed = atoi(q + 8);
	return 0;
}

FIXTURE(lava) {
	char out[PATH_MAX];
};
FIXTURE_SETUP(lava)
{
	path_fmt(self->out, sizeof(self->out), "/tmp/snoop-vmlava-%d", getpid());
}
FIXTURE_TEARDOWN(lava)
{
	char cmd[PATH_MAX + 16];

	path_fmt(cmd, sizeof(cmd), "rm -rf %s", self->out);
	if (system(cmd))
		TH_LOG("cleanup failed");
}

TEST_F_TIMEOUT(lava, the_definitions_steps_report_every_result_and_verdict, 480)
{
	char helpers[PATH_MAX], py[PATH_MAX], cwd[PATH_MAX], cmd[4 * PATH_MAX + 1024];
	char file[PATH_MAX], kout[65536], *log, *stdout_text;
	json_object *doc, *tests, *verdicts;
	int st, ran, passed, skipped, failed;
	size_t nt, nv, lp = 0, ls = 0, lf = 0;

	ASSERT_EQ(0, first_line("scripts/lava-deb.sh shell", helpers, sizeof(helpers)))
		TH_LOG("scripts/lava-deb.sh found no lava-dispatcher: run scripts/install-deps.sh");
	ASSERT_EQ(0, first_line("scripts/lava-deb.sh python", py, sizeof(py)));
	ASSERT_NE(NULL, getcwd(cwd, sizeof(cwd)));
	/* The overlay in the guest's /tmp; LAVA_RESULT_DIR copied out for the host. */
	snprintf(cmd, sizeof(cmd), RUNNER " vm --timeout 420 --out %s vtd-sc -- sh -c "
		 "'/usr/bin/python3 tests/vm/lava-testdef.py \"$@\"; rc=$?; "
		 "cp -r /tmp/lava/0/results /run/out/lava-results; exit $rc' sh "
		 "--helpers %s --pythonpath %s --repo %s --root /tmp/lava lava/snoopcheck.yaml "
		 "'CHECK_HW=./runner run --config lab.conf.example --out /run/out/results.json' "
		 "RESULTS=/run/out/results.json RESULTS_URL=file:///run/out/ 2>&1",
		 self->out, helpers, py, cwd);
	log = run_capture(cmd, &st);
	ASSERT_NE(NULL, log);
	EXPECT_EQ(0, WEXITSTATUS(st)) TH_LOG("%s", log);
	path_fmt(file, sizeof(file), "%s/stdout", self->out);
	stdout_text = read_file(file, NULL);
	ASSERT_NE(NULL, stdout_text) TH_LOG("%s", log);
	path_fmt(file, sizeof(file), "%s/results.json", self->out);
	doc = json_file_parse(file, stderr);
	ASSERT_NE(NULL, doc) TH_LOG("no results file; guest said:\n%s\n%s", log, stdout_text);
	tests = jmember(doc, "tests");
	verdicts = jmember(doc, "verdicts");
	nt = jarray_len(tests);
	nv = jarray_len(verdicts);
	ASSERT_LT(0, nt);
	ASSERT_LT(0, nv);

	/* The run as LAVA sees it: started and ended, nothing but our cases. */
	EXPECT_NE(NULL, strstr(stdout_text, "<LAVA_SIGNAL_STARTRUN 0_snoopcheck "));
	EXPECT_NE(NULL, strstr(stdout_text, "<LAVA_SIGNAL_ENDRUN 0_snoopcheck "))
		TH_LOG("the steps stopped short:\n%s", stdout_text);
	signals(stdout_text);
	/* check-hw, one per result, one per verdict, run.complete */
	ASSERT_EQ(1 + nt + nv + 1, n_cases) TH_LOG("%zu tests, %zu verdicts", nt, nv);
	EXPECT_STREQ("check-hw", cases[0].name);
	EXPECT_STREQ("pass", cases[0].result);
	for (size_t i = 0; i < n_cases; i++) {
		EXPECT_TRUE(lava_name(cases[i].name)) TH_LOG("%s", cases[i].name);
		EXPECT_EQ(cases + i, case_named(cases[i].name)) TH_LOG("%s twice", cases[i].name);
	}
	for (size_t i = 0; i < nt; i++) {
		json_object *t = jarray_at(tests, i);
		const struct sig *s = &cases[1 + i];

		lava_case_is_test(_metadata, t, s->name, s->result, s->secs);
		lp += !strcmp(s->result, "pass");
		ls += !strcmp(s->result, "skip");
		lf += !strcmp(s->result, "fail");
	}
	for (size_t i = 0; i < nv; i++) {
		const struct sig *s = &cases[1 + nt + i];
		char want[64];

		snprintf(want, sizeof(want), "verdict.%s", jmember_str(jarray_at(verdicts, i), "device"));
		for (char *c = want; *c; c++)
			*c = *c == ':' ? '_' : *c;
		EXPECT_STREQ(want, s->name);
		EXPECT_STREQ(lava_verdict_result(jarray_at(verdicts, i)), s->result) TH_LOG("%s", want);
	}
	EXPECT_STREQ("run.complete", cases[n_cases - 1].name);
	EXPECT_EQ(json_object_get_double(jmember(jmember(doc, "run"), "duration_s")),
		  cases[n_cases - 1].secs);

	/* The kernel's own parser counts the same results in the run's KTAP. */
	path_fmt(file, sizeof(file), "%s/results/run.ktap", self->out);
	EXPECT_EQ(0, kunit_parse(file, kout, sizeof(kout))) TH_LOG("%s", kout);
	ASSERT_EQ(0, kunit_counts(kout, &ran, &passed, &skipped, &failed)) TH_LOG("%s", kout);
	EXPECT_EQ((size_t)ran, nt);
	EXPECT_EQ((size_t)passed, lp);
	EXPECT_EQ((size_t)skipped, ls);
	EXPECT_EQ((size_t)failed, lf);

	/* The bundle: uploaded where RESULTS_URL said, and referenced. */
	{
		const char *ref = strstr(stdout_text, "<LAVA_SIGNAL_TESTREFERENCE results-bundle pass file:///run/out/");
		char name[256] = "";

		ASSERT_NE(NULL, ref) TH_LOG("%s", stdout_text);
		sscanf(ref, "<LAVA_SIGNAL_TESTREFERENCE results-bundle pass file:///run/out/%255[^>]",
		       name);
		path_fmt(file, sizeof(file), "%s/%s", self->out, name);
		EXPECT_EQ(0, access(file, R_OK)) TH_LOG("%s", file);
		snprintf(cmd, sizeof(cmd), RUNNER " validate %s >/dev/null 2>&1", file);
		EXPECT_EQ(0, system(cmd)) TH_LOG("the uploaded bundle does not validate: %s", file);
	}

	/* lava-test-case kept each result where LAVA's test shell looks. */
	for (size_t i = 0; i < n_cases; i += 37) {
		char *r;

		snprintf(cmd, sizeof(cmd), "cat %s/lava-results/*/results/%s/result", self->out,
			 cases[i].name);
		r = run_capture(cmd, &st);
		ASSERT_NE(NULL, r);
		EXPECT_EQ(0, strncmp(r, cases[i].result, strlen(cases[i].result))) TH_LOG("%s: %s", cmd, r);
		free(r);
	}
	json_object_put(doc);
	free(stdout_text);
	free(log);
}

TEST_HARNESS_MAIN
