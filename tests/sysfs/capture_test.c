// SPDX-License-Identifier: GPL-2.0-only
/*
 * capture -> replay round trip on the machine running the tests: what
 * `runner list` prints live must come back from the capture alone, apart
 * from the line naming the source. And the capture, run as root, writes
 * only into a directory it can trust.
 */
#include <limits.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
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

/* `runner capture DIR`'s exit status; stderr (stdout with it) in *out. */
static int capture_into(const char *dir, char **out)
{
	char cmd[PATH_MAX + 64];
	int st;

	path_fmt(cmd, sizeof(cmd), RUNNER " capture %s 2>&1", dir);
	*out = run_capture(cmd, &st);
	return *out && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/*
 * A directory holding anything already, or a link to one, is refused with
 * exit 2 and a reason, and left as it was: links planted there would
 * steer the capture's writes.
 */
TEST(capture_refuses_a_used_directory_and_a_link)
{
	char dir[PATH_MAX], keep[PATH_MAX], empty[PATH_MAX], link[PATH_MAX], **names, *out;
	struct stat st;

	path_fmt(dir, sizeof(dir), "/tmp/snoop-capture-%d-used", getpid());
	path_fmt(keep, sizeof(keep), "%s/keep", dir);
	ASSERT_EQ(0, mkdir_parents(keep));
	ASSERT_EQ(0, write_file_atomic(keep, "mine\n", 5));
	EXPECT_EQ(2, capture_into(dir, &out));
	EXPECT_NE(NULL, strstr(out, "already exists and is not empty")) TH_LOG("%s", out);
	free(out);
	EXPECT_EQ(1, sysfs_list(dir, &names));
	sysfs_list_free(names);

	path_fmt(empty, sizeof(empty), "/tmp/snoop-capture-%d-empty", getpid());
	path_fmt(link, sizeof(link), "/tmp/snoop-capture-%d-link", getpid());
	ASSERT_EQ(0, mkdir(empty, 0700));
	ASSERT_EQ(0, symlink(empty, link));
	EXPECT_EQ(2, capture_into(link, &out));
	EXPECT_NE(NULL, strstr(out, "is a symbolic link")) TH_LOG("%s", out);
	free(out);
	EXPECT_EQ(0, sysfs_list(empty, &names));
	sysfs_list_free(names);
	ASSERT_EQ(0, lstat(link, &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));

	remove_tree(dir);
	unlink(link);
	rmdir(empty);
}

TEST_HARNESS_MAIN
