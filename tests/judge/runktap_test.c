// SPDX-License-Identifier: GPL-2.0-only
/*
 * run.ktap: the recorded runs (tests/fixtures/runs/) through the writer
 * runner run uses, read by the kernel's own KTAP parser, kunit.py parse
 * from the kernel source the build unpacks (build/config.mk's KSRC). It
 * must parse the whole run with no error, including a run in which a suite
 * was cut short and one that printed nothing.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "judge/runktap.h"
#include "sysfs/sysroot.h"
#include "kunit.h"

#define RUNS "tests/fixtures/runs/"

/* The writer on dir's logs, into a temporary run.ktap named in path. */
static int write_run(const char *dir, char *path, size_t len)
{
	struct suite_log *logs;
	size_t n;
	int ret;

	path_fmt(path, len, "/tmp/snoop-runktap-%d.ktap", getpid());
	if (suitelog_load_dir(dir, &logs, &n))
		return -1;
	ret = runktap_write(path, dir, logs, n);
	suitelog_free(logs, n);
	return ret;
}

FIXTURE(recorded) {
	char path[PATH_MAX];
	char out[65536];
	int status;
};
FIXTURE_VARIANT(recorded) {
	const char *dir;
	const char *summary;
};
FIXTURE_VARIANT_ADD(recorded, vtd_sc) {
	.dir = RUNS "vtd-sc", .summary = "Ran 62 tests: passed: 58, skipped: 4",
};
FIXTURE_VARIANT_ADD(recorded, vtd_nosc) {
	.dir = RUNS "vtd-nosc", .summary = "Ran 62 tests: passed: 58, skipped: 4",
};
FIXTURE_VARIANT_ADD(recorded, client_igpu_reuse) {
	.dir = RUNS "client-igpu-reuse", .summary = "Ran 62 tests: passed: 60, skipped: 2",
};
FIXTURE_SETUP(recorded)
{
	ASSERT_EQ(0, write_run(variant->dir, self->path, sizeof(self->path)));
	self->status = kunit_parse(self->path, self->out, sizeof(self->out));
}
FIXTURE_TEARDOWN(recorded)
{
	unlink(self->path);
}

TEST_F(recorded, kunit_py_parses_the_whole_run)
{
	ASSERT_NE(-1, self->status);
	EXPECT_EQ(0, WEXITSTATUS(self->status)) TH_LOG("%s", self->out);
	EXPECT_EQ(NULL, strstr(self->out, "[ERROR]")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, variant->summary)) TH_LOG("%s", self->out);
	/* Every suite is one subtest of the run. */
	EXPECT_NE(NULL, strstr(self->out, "[PASSED] attach@0000:"));
	EXPECT_NE(NULL, strstr(self->out, "[PASSED] attach_pair@0000:"));
}

/* A suite killed part way and one that printed nothing: still one document. */
TEST(a_cut_run_is_still_whole)
{
	char dir[] = "/tmp/snoop-runktap-cut-XXXXXX", cmd[PATH_MAX], path[PATH_MAX];
	static char out[65536];
	int st;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "cp " RUNS "vtd-nosc/*.ktap %s/ && "
		 "cp tests/fixtures/ktap/attach-truncated.ktap '%s/attach@0000:00:06.0.ktap' && "
		 ": > '%s/attach_pair@0000:00:04.0.ktap'", dir, dir, dir);
	ASSERT_EQ(0, system(cmd));
	ASSERT_EQ(0, write_run(dir, path, sizeof(path)));
	st = kunit_parse(path, out, sizeof(out));
	ASSERT_NE(-1, st);
	/* It failed (tests are missing), and it parsed. */
	EXPECT_EQ(1, WEXITSTATUS(st)) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "[ERROR]")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "[FAILED] path.iommufd_compat.enforcement_matches_the_unit"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "[FAILED] planned test 11")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "[FAILED] attach_pair@0000:00:04.0")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "Ran 43 tests: passed: 35, failed: 6, skipped: 2"))
		TH_LOG("%s", out);
	unlink(path);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	EXPECT_EQ(0, system(cmd));
}

/* The harness's failure message (stderr) reaches KTAP readers too. */
TEST(a_failure_message_is_a_diagnostic_before_its_result)
{
	static const char *const out[] = {
		"TAP version 13\n", "1..1\n", "#  RUN           path.type1.enforced ...\n",
		"#          FAIL  path.type1.enforced\n", "not ok 1 path.type1.enforced\n",
	};
	static const char err[] = "# attach.c:93:enforced:Expected can (1) == enforced (0)\n";
	char dir[] = "/tmp/snoop-runktap-msg-XXXXXX", path[PATH_MAX], cmd[PATH_MAX + 16], *text;
	static char kout[16384];
	struct suite_log l;
	int st;

	ASSERT_NE(NULL, mkdtemp(dir));
	ASSERT_EQ(0, suitelog_open(&l, dir, "attach", "0000:00:04.0"));
	for (int i = 0; i < 4; i++)
		suitelog_line(&l, 1, out[i], strlen(out[i]));
	suitelog_line(&l, 2, err, strlen(err));
	suitelog_line(&l, 1, out[4], strlen(out[4]));
	ASSERT_EQ(0, suitelog_close(&l, NULL));
	path_fmt(path, sizeof(path), "%s/run.ktap", dir);
	ASSERT_EQ(0, runktap_write(path, dir, &l, 1));
	suitelog_done(&l);
	text = read_file(path, NULL);
	ASSERT_NE(NULL, text);
	EXPECT_NE(NULL, strstr(text, "    # attach.c:93:enforced:Expected can (1) == enforced (0)\n"
				     "    not ok 1 path.type1.enforced\n")) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "\nnot ok 1 attach@0000:00:04.0\n")) TH_LOG("%s", text);
	free(text);
	st = kunit_parse(path, kout, sizeof(kout));
	EXPECT_EQ(NULL, strstr(kout, "[ERROR]")) TH_LOG("%s", kout);
	EXPECT_NE(NULL, strstr(kout, "Ran 1 tests: failed: 1")) TH_LOG("%s", kout);
	EXPECT_EQ(1, WEXITSTATUS(st));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	EXPECT_EQ(0, system(cmd));
}

TEST_HARNESS_MAIN
