// SPDX-License-Identifier: GPL-2.0-only
/*
 * tests/run-tests.sh runs the virtual-lab tests (any binary under a vm/
 * folder) side by side, one job per variant, and the rest one after
 * another. Whatever the split, the closing line must be the one a serial
 * run prints. Three unit tests stand in for lab tests, linked under a vm/
 * folder: one with variants and a test of no variant (tally_test), one
 * with variant names wider than the -l listing's column (bind_test), one
 * with variants only (cli_test), as the lab tests are.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/subprocess.h"

#define SUBJECT "build/tests/judge/tally_test"
#define SUBJECT2 "build/tests/host/bind_test"
#define SUBJECT3 "build/tests/cli/cli_test"

FIXTURE(runtests) {
	char dir[64];
	char link[128], link2[128], link3[128];	/* under dir */
};

FIXTURE_SETUP(runtests)
{
	char cwd[PATH_MAX], vm[96], target[PATH_MAX + 64];

	if (access(SUBJECT, X_OK) || access(SUBJECT2, X_OK) || access(SUBJECT3, X_OK))
		SKIP(return, "%s, %s or %s is not built (make check builds every test first)",
		     SUBJECT, SUBJECT2, SUBJECT3);
	snprintf(self->dir, sizeof(self->dir), "/tmp/snoop-runtests-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(vm, sizeof(vm), "%s/vm", self->dir);
	ASSERT_EQ(0, mkdir(vm, 0700));
	ASSERT_NE(NULL, getcwd(cwd, sizeof(cwd)));
	snprintf(self->link, sizeof(self->link), "%s/tally_test", vm);
	snprintf(target, sizeof(target), "%s/%s", cwd, SUBJECT);
	ASSERT_EQ(0, symlink(target, self->link));
	snprintf(self->link2, sizeof(self->link2), "%s/bind_test", vm);
	snprintf(target, sizeof(target), "%s/%s", cwd, SUBJECT2);
	ASSERT_EQ(0, symlink(target, self->link2));
	snprintf(self->link3, sizeof(self->link3), "%s/cli_test", vm);
	snprintf(target, sizeof(target), "%s/%s", cwd, SUBJECT3);
	ASSERT_EQ(0, symlink(target, self->link3));
}

FIXTURE_TEARDOWN(runtests)
{
	char cmd[128];

	if (!self->dir[0])
		return;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("cleanup of %s failed", self->dir);
}

static const char *last_line(char *out)
{
	size_t n = strlen(out);

	while (n && out[n - 1] == '\n')
		out[--n] = '\0';
	return strrchr(out, '\n') ? strrchr(out, '\n') + 1 : out;
}

TEST_F(runtests, split_by_variant_totals_as_serial)
{
	char cmd[512], *serial, *split, *p;
	int st, jobs = 0;

	snprintf(cmd, sizeof(cmd), "TEST_LOGS=%s tests/run-tests.sh " SUBJECT " " SUBJECT2 " " SUBJECT3,
		 self->dir);
	serial = run_capture(cmd, &st);
	ASSERT_NE(NULL, serial);
	EXPECT_EQ(0, WEXITSTATUS(st)) TH_LOG("%s", serial);
	snprintf(cmd, sizeof(cmd), "TEST_LOGS=%s TEST_JOBS=2 tests/run-tests.sh %s %s %s",
		 self->dir, self->link, self->link2, self->link3);
	split = run_capture(cmd, &st);
	ASSERT_NE(NULL, split);
	EXPECT_EQ(0, WEXITSTATUS(st)) TH_LOG("%s", split);
	/* each variant ran on its own, with its own log, and so did the
	 * test of no variant */
	for (p = split; (p = strstr(p, "ok   tally_test ")); p++)
		jobs++;
	EXPECT_LE(3, jobs) TH_LOG("%s", split);
	/* a name wider than the listing's 25 columns is read whole */
	EXPECT_NE(NULL, strstr(split, "ok   bind_test at_4_second_function_override: 1 passed"))
		TH_LOG("%s", split);
	/* cli_test has no test of no variant: nothing to say, nothing failed */
	EXPECT_NE(NULL, strstr(split, "ok   cli_test ")) TH_LOG("%s", split);
	EXPECT_EQ(NULL, strstr(split, "cli_test (tests of no variant)")) TH_LOG("%s", split);
	snprintf(cmd, sizeof(cmd), "%s/tally_test.rest.ktap", self->dir);
	EXPECT_EQ(0, access(cmd, R_OK));
	EXPECT_STREQ(last_line(serial), last_line(split));
	EXPECT_NE(NULL, strstr(last_line(split), " passed, 0 failed, 0 skipped"));
	free(serial);
	free(split);
}

TEST_HARNESS_MAIN
