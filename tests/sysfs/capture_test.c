// SPDX-License-Identifier: GPL-2.0-only
/*
 * capture -> replay round trip on the machine running the tests: what
 * `runner list` prints live must come back from the capture alone, apart
 * from the line naming the source.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/subprocess.h"
#include "sysfs/sysroot.h"

#define RUNNER "build/t/runner"

/* stdout of cmd, or NULL when it failed. */
static char *run(const char *cmd)
{
	int st;
	char *out = run_capture(cmd, &st);

	if (out && st) {
		free(out);
		out = NULL;
	}
	return out;
}

/* Drop the first line ("Platform: ID (source: ...)") after checking the id. */
static const char *body(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl ? nl + 1 : s;
}

TEST(live_list_equals_replayed_capture)
{
	char dir[PATH_MAX], cmd[PATH_MAX + 64], *live, *replay, *cap;

	path_fmt(dir, sizeof(dir), "/tmp/snoop-capture-%d", getpid());
	path_fmt(cmd, sizeof(cmd), RUNNER " capture %s", dir);
	cap = run(cmd);
	ASSERT_NE(NULL, cap);
	live = run(RUNNER " list");
	path_fmt(cmd, sizeof(cmd), RUNNER " list --from %s", dir);
	replay = run(cmd);
	ASSERT_NE(NULL, live);
	ASSERT_NE(NULL, replay);
	EXPECT_STREQ(body(live), body(replay));
	/* Same hardware, same platform id. */
	EXPECT_EQ(0, strncmp(live, replay, strcspn(live, "(")));
	path_fmt(cmd, sizeof(cmd), "rm -rf %s", dir);
	EXPECT_EQ(0, system(cmd));
	free(cap);
	free(live);
	free(replay);
}

TEST_HARNESS_MAIN
