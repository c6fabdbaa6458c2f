// SPDX-License-Identifier: GPL-2.0-only
/*
 * tests/run-tests.sh runs the virtual-lab tests (any binary under a vm/
 * folder) side by side, one job per variant, and the rest one after
 * another. Whatever the split, the closing line must be the one a serial
 * run prints. A small unit test with variants and a test of no variant
 * (tally_test) stands in for a lab test, linked under a vm/ folder.
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

FIXTURE(runtests) {
	char dir[64];
	char link[PATH_MAX];
};

FIXTURE_SETUP(runtests)
{
	char cwd[PATH_MAX], vm[96], target[PATH_MAX + 64];

	if (access(SUBJECT, X_OK))
		SKIP(return, "%s is not built (make check builds every test first)", SUBJECT);
	snprintf(self->dir, sizeof(self->dir), "/tmp/snoop-runtests-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(vm, sizeof(vm), "%s/vm", self->dir);
	ASSERT_EQ(0, mkdir(vm, 0700));
	ASSERT_NE(NULL, getcwd(cwd, sizeof(cwd)));
	snprintf(self->link, sizeof(self->link), "%s/tally_test", vm);
	snprintf(target, sizeof(target), "%s/%s", cwd, SUBJECT);
	ASSERT_EQ(0, symlink(target, self->link));
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
	char cmd[2 * PATH_MAX], *serial, *split, *p;
	int st, jobs = 0;

	snprintf(cmd, sizeof(cmd), "TEST_LOGS=%s tests/run-tests.sh " SUBJECT, self->dir);
	serial = run_capture(cmd, &st);
	ASSERT_NE(NULL, serial);
	EXPECT_EQ(0, WEXITSTATUS(st)) TH_LOG("%s", serial);
	snprintf(cmd, sizeof(cmd), "TEST_LOGS=%s TEST_JOBS=2 tests/run-tests.sh %s",
		 self->dir, self->link);
	split = run_capture(cmd, &st);
	ASSERT_NE(NULL, split);
	EXPECT_EQ(0, WEXITSTATUS(st)) TH_LOG("%s", split);
	/* each variant ran on its own, with its own log, and so did the
	 * test of no variant */
	for (p = split; (p = strstr(p, "ok   tally_test ")); p++)
		jobs++;
	EXPECT_LE(3, jobs) TH_LOG("%s", split);
	snprintf(cmd, sizeof(cmd), "%s/tally_test.rest.ktap", self->dir);
	EXPECT_EQ(0, access(cmd, R_OK));
	EXPECT_STREQ(last_line(serial), last_line(split));
	EXPECT_NE(NULL, strstr(last_line(split), " passed, 0 failed, 0 skipped"));
	free(serial);
	free(split);
}

TEST_HARNESS_MAIN
