// SPDX-License-Identifier: GPL-2.0-only
/*
 * A suite run as runner run runs one: a real kselftest-harness program
 * (this test binary, re-run as the "suite") through spawn_run's line
 * callback into a suite log. Its stdout and stderr are kept as files, the
 * harness's failure message (on stderr) is the failing test's reason, and
 * the test's duration comes from its RUN and FAIL lines as they streamed.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "base/spawn.h"
#include "judge/suitelog.h"
#include "sysfs/sysroot.h"

#define CHILD "SNOOP_SUITELOG_TEST_CHILD"

/* The "suite": fails on purpose when re-run by the test below, else passes. */
TEST(fails_when_run_as_the_child_suite)
{
	if (!getenv(CHILD))
		return;
	printf("# evidence: {\"path\":\"type1\",\"enforced\":false}\n");
	fflush(stdout);
	usleep(300 * 1000);
	EXPECT_EQ(1, 2) TH_LOG("the kernel reported no enforcement");
}

static void rm_rf(const char *dir)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		perror(cmd);
}

TEST(a_real_suite_run_is_kept_and_its_failure_message_is_the_reason)
{
	char dir[] = "/tmp/snoop-suitelog-XXXXXX", path[PATH_MAX], exe[PATH_MAX], *text;
	char *args[] = { exe, "-r", "global.fails_when_run_as_the_child_suite", NULL };
	char *env[] = { CHILD "=1", NULL };
	struct suite_log l;
	struct spawn_opts o = { .env = env, .on_line = suitelog_line, .line_ctx = &l,
				.timeout_s = 60 };
	struct spawn_result r;
	const struct ktap_result *t;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	ASSERT_LT(0, n);
	exe[n] = '\0';
	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, suitelog_open(&l, dir, "selftest", "0000:00:04.0"));
	ASSERT_EQ(0, spawn_run(args, &o, &r));
	EXPECT_EQ(1, r.exit_status);
	ASSERT_EQ(0, suitelog_kmsg(&l, dir, "DMAR: fault\n", 12));
	ASSERT_EQ(0, suitelog_close(&l, NULL));

	ASSERT_EQ(1, l.k.n);
	t = &l.k.v[0];
	EXPECT_STREQ("global.fails_when_run_as_the_child_suite", t->name);
	EXPECT_STREQ("fail", t->outcome);
	ASSERT_NE(NULL, t->reason);
	/* The harness's own words, from stderr: file:line:test:Expected ... */
	EXPECT_NE(NULL, strstr(t->reason, "suitelog_test.c:"));
	EXPECT_NE(NULL, strstr(t->reason, ":fails_when_run_as_the_child_suite:Expected 1 (1) == 2 (2)"))
		TH_LOG("%s", t->reason);
	EXPECT_NE(NULL, strstr(t->reason, "the kernel reported no enforcement"));
	EXPECT_EQ(1, json_object_array_length(t->evidence));
	/* Timed as it streamed: it slept 0.3 s. */
	EXPECT_FALSE(isnan(t->duration_s));
	EXPECT_LE(0.29, t->duration_s);
	EXPECT_GT(30.0, t->duration_s);

	/* The files hold what the suite printed, each stream its own. */
	path_fmt(path, sizeof(path), "%s/selftest@0000:00:04.0.ktap", dir);
	text = read_file(path, NULL);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "not ok 1 global.fails_when_run_as_the_child_suite\n"));
	EXPECT_EQ(NULL, strstr(text, "Expected"));
	free(text);
	path_fmt(path, sizeof(path), "%s/selftest@0000:00:04.0.err", dir);
	text = read_file(path, NULL);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, ":Expected 1 (1) == 2 (2)"));
	free(text);
	path_fmt(path, sizeof(path), "%s/selftest@0000:00:04.0.kmsg", dir);
	text = read_file(path, NULL);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("DMAR: fault\n", text);
	free(text);
	EXPECT_TRUE(l.has_err);
	EXPECT_TRUE(l.has_kmsg);
	suitelog_done(&l);
	rm_rf(dir);
}

/* Read back from the directory: the same tests, from the .ktap alone. */
TEST(a_kept_directory_reads_back)
{
	struct suite_log *logs;
	size_t n;

	ASSERT_EQ(0, suitelog_load_dir("tests/fixtures/runs/vtd-sc", &logs, &n));
	ASSERT_EQ(4, n);
	EXPECT_STREQ("attach", logs[0].suite);
	EXPECT_STREQ("0000:00:04.0", logs[0].bdf);
	EXPECT_STREQ("attach@0000:00:04.0", logs[0].stem);
	EXPECT_EQ(23, logs[0].k.n);
	EXPECT_FALSE(logs[0].has_err);
	EXPECT_TRUE(isnan(logs[0].k.v[0].duration_s));
	EXPECT_STREQ("attach_pair", logs[3].suite);
	suitelog_free(logs, n);
}

TEST_HARNESS_MAIN
