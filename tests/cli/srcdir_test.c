// SPDX-License-Identifier: GPL-2.0-only
/*
 * SNOOPCHECK_SRCDIR picks the suites runner run starts and the rules
 * (drivers-allowlist/) discovery judges by. As root it must not hand that
 * choice to whoever can write the named tree: such a tree is ignored,
 * stderr says why, and the build tree is used. Shown through runner list,
 * whose allowlist comes from that tree: a planted bad list there is read
 * (exit 2) only when the tree is trusted.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "base/subprocess.h"
#include "sysfs/sysroot.h"

#define RUNNER "build/t/runner"
#define CAPTURE "tests/fixtures/platforms/intel-h310-coffeelake-dgpu"

FIXTURE(srcdir) {
	char dir[64];		/* the other tree: mkdtemp, ours */
	char allow[96];
	char *err;
	int status;
};

FIXTURE_SETUP(srcdir)
{
	char list[128], *text = read_file("tests/fixtures/allowlist/bad-class.list", NULL);

	ASSERT_NE(NULL, text);
	path_fmt(self->dir, sizeof(self->dir), "/tmp/snoop-srcdir-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, chmod(self->dir, 0755));
	path_fmt(self->allow, sizeof(self->allow), "%s/drivers-allowlist", self->dir);
	ASSERT_EQ(0, mkdir(self->allow, 0755));
	ASSERT_EQ(0, chmod(self->allow, 0755));
	path_fmt(list, sizeof(list), "%s/planted.list", self->allow);
	ASSERT_EQ(0, write_file_atomic(list, text, strlen(text)));
	free(text);
}

FIXTURE_TEARDOWN(srcdir)
{
	free(self->err);
	chmod(self->dir, 0700);
	remove_tree(self->dir);
}

/* runner list on a recorded machine with SNOOPCHECK_SRCDIR=dir; stderr kept. */
static void list_with(struct __test_metadata *_metadata, FIXTURE_DATA(srcdir) *self,
		      const char *dir)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "SNOOPCHECK_SRCDIR='%s' " RUNNER " list --from " CAPTURE
		 " 2>&1 >/dev/null", dir);
	free(self->err);
	self->err = run_capture(cmd, &self->status);
	ASSERT_NE(NULL, self->err);
	ASSERT_TRUE(WIFEXITED(self->status));
}

TEST_F(srcdir, a_trusted_tree_is_honoured)
{
	list_with(_metadata, self, self->dir);
	EXPECT_EQ(2, WEXITSTATUS(self->status)) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "/drivers-allowlist/planted.list:4: expected CLASS"))
		TH_LOG("%s", self->err);
	EXPECT_EQ(NULL, strstr(self->err, "ignoring")) TH_LOG("%s", self->err);
}

TEST_F(srcdir, a_tree_others_can_write_is_not_roots_to_follow)
{
	char *again;

	ASSERT_EQ(0, chmod(self->allow, 0777));
	list_with(_metadata, self, self->dir);
	if (geteuid() != 0) {
		/* a user's run can harm only what the user owns: honoured */
		EXPECT_EQ(2, WEXITSTATUS(self->status)) TH_LOG("%s", self->err);
		SKIP(return, "the rule is root's; run the tests as root to see it");
	}
	EXPECT_EQ(0, WEXITSTATUS(self->status)) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "runner: ignoring SNOOPCHECK_SRCDIR="))
		TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "drivers-allowlist is writable by its group or others"))
		TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "; using " SNOOP_SRCDIR "\n")) TH_LOG("%s", self->err);
	again = strstr(self->err, "ignoring");
	if (again)
		EXPECT_EQ(NULL, strstr(again + 1, "ignoring")) TH_LOG("said twice: %s", self->err);
	EXPECT_EQ(NULL, strstr(self->err, "planted.list")) TH_LOG("%s", self->err);
}

TEST_F(srcdir, a_tree_behind_a_symbolic_link_is_not_followed)
{
	char link[96];

	if (geteuid() != 0)
		SKIP(return, "the rule is root's; run the tests as root to see it");
	path_fmt(link, sizeof(link), "%s/link", self->dir);
	ASSERT_EQ(0, symlink(self->dir, link));
	list_with(_metadata, self, link);
	EXPECT_EQ(0, WEXITSTATUS(self->status)) TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "is a symbolic link")) TH_LOG("%s", self->err);
}

TEST_HARNESS_MAIN
