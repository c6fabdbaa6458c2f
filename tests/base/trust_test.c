// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a root run may execute: a regular file or directory, never a
 * symbolic link, owned by root, the real uid or the runner's owner, and
 * writable by nobody else; a directory only when nothing above it can be
 * swapped either (a sticky ancestor such as /tmp is fine).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "base/trust.h"
#include "sysfs/sysroot.h"

FIXTURE(tree) {
	char dir[64];		/* mkdtemp under /tmp: ours, mode 0700 */
	char sub[96], exe[96], link[96];
	char why[512];
};

FIXTURE_SETUP(tree)
{
	int fd;

	path_fmt(self->dir, sizeof(self->dir), "/tmp/snoop-trust-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	path_fmt(self->sub, sizeof(self->sub), "%s/suites", self->dir);
	path_fmt(self->exe, sizeof(self->exe), "%s/suites/attach", self->dir);
	path_fmt(self->link, sizeof(self->link), "%s/link", self->dir);
	ASSERT_EQ(0, mkdir(self->sub, 0755));
	fd = open(self->exe, O_CREAT | O_WRONLY | O_CLOEXEC, 0755);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, chmod(self->exe, 0755));	/* whatever the umask */
}

FIXTURE_TEARDOWN(tree)
{
	chmod(self->dir, 0700);
	remove_tree(self->dir);
}

TEST_F(tree, own_files_under_tmp_are_trusted)
{
	EXPECT_EQ(0, trust_dir_chain(self->sub, self->why, sizeof(self->why))) TH_LOG("%s", self->why);
	EXPECT_EQ(0, trust_dir_chain("/", self->why, sizeof(self->why))) TH_LOG("%s", self->why);
	EXPECT_EQ(0, trust_path(self->exe, S_IFREG, self->why, sizeof(self->why))) TH_LOG("%s", self->why);
	/* a trailing slash and a doubled one name the same directory */
	strcat(self->sub, "/");
	EXPECT_EQ(0, trust_dir_chain(self->sub, self->why, sizeof(self->why))) TH_LOG("%s", self->why);
}

TEST_F(tree, writable_by_others_is_refused)
{
	ASSERT_EQ(0, chmod(self->exe, 0775));
	EXPECT_EQ(-EPERM, trust_path(self->exe, S_IFREG, self->why, sizeof(self->why)));
	EXPECT_NE(NULL, strstr(self->why, "writable by its group or others (mode 0775"))
		TH_LOG("%s", self->why);
	ASSERT_EQ(0, chmod(self->exe, 0757));
	EXPECT_EQ(-EPERM, trust_path(self->exe, S_IFREG, self->why, sizeof(self->why)));
	ASSERT_EQ(0, chmod(self->exe, 0755));

	ASSERT_EQ(0, chmod(self->sub, 0777));
	EXPECT_EQ(-EPERM, trust_dir_chain(self->sub, self->why, sizeof(self->why)));
	EXPECT_NE(NULL, strstr(self->why, self->sub)) TH_LOG("%s", self->why);
	/* sticky is enough for an ancestor, never for the directory itself */
	ASSERT_EQ(0, chmod(self->sub, 01777));
	EXPECT_EQ(-EPERM, trust_dir_chain(self->sub, self->why, sizeof(self->why)));
	ASSERT_EQ(0, chmod(self->sub, 0755));
}

TEST_F(tree, an_ancestor_others_can_write_to_is_refused_unless_sticky)
{
	char deep[128];

	ASSERT_EQ(0, chmod(self->dir, 0777));
	EXPECT_EQ(-EPERM, trust_dir_chain(self->sub, self->why, sizeof(self->why)));
	EXPECT_NE(NULL, strstr(self->why, "mode 0777")) TH_LOG("%s", self->why);
	/* the same through "//" and "./": no spelling slips past a part */
	path_fmt(deep, sizeof(deep), "%s//suites", self->dir);
	EXPECT_EQ(-EPERM, trust_dir_chain(deep, self->why, sizeof(self->why)));
	path_fmt(deep, sizeof(deep), "%s/./suites", self->dir);
	EXPECT_EQ(-EINVAL, trust_dir_chain(deep, self->why, sizeof(self->why)));
	path_fmt(deep, sizeof(deep), "%s/suites/../suites", self->dir);
	EXPECT_EQ(-EINVAL, trust_dir_chain(deep, self->why, sizeof(self->why)));
	ASSERT_EQ(0, chmod(self->dir, 01777));
	EXPECT_EQ(0, trust_dir_chain(self->sub, self->why, sizeof(self->why))) TH_LOG("%s", self->why);
}

TEST_F(tree, symbolic_links_and_wrong_types_are_refused)
{
	ASSERT_EQ(0, symlink(self->exe, self->link));
	EXPECT_EQ(-EPERM, trust_path(self->link, S_IFREG, self->why, sizeof(self->why)));
	EXPECT_NE(NULL, strstr(self->why, "symbolic link")) TH_LOG("%s", self->why);
	unlink(self->link);
	ASSERT_EQ(0, symlink(self->sub, self->link));
	EXPECT_EQ(-EPERM, trust_dir_chain(self->link, self->why, sizeof(self->why)));
	EXPECT_NE(NULL, strstr(self->why, "symbolic link")) TH_LOG("%s", self->why);

	EXPECT_EQ(-EPERM, trust_path(self->sub, S_IFREG, self->why, sizeof(self->why)));
	EXPECT_NE(NULL, strstr(self->why, "not a regular file")) TH_LOG("%s", self->why);
	EXPECT_EQ(-EPERM, trust_dir_chain(self->exe, self->why, sizeof(self->why)));
	EXPECT_NE(NULL, strstr(self->why, "not a directory")) TH_LOG("%s", self->why);
	strcat(self->exe, "-missing");
	EXPECT_EQ(-ENOENT, trust_path(self->exe, S_IFREG, self->why, sizeof(self->why)));
	EXPECT_EQ(-EINVAL, trust_dir_chain("suites", self->why, sizeof(self->why)));
	EXPECT_NE(NULL, strstr(self->why, "expected an absolute path")) TH_LOG("%s", self->why);
}

/* What runner run asks before it executes a suite. */
TEST_F(tree, an_executable_needs_itself_and_its_directories_trusted)
{
	EXPECT_EQ(0, trust_exec(self->exe, self->why, sizeof(self->why))) TH_LOG("%s", self->why);
	ASSERT_EQ(0, chmod(self->exe, 0777));
	EXPECT_EQ(-EPERM, trust_exec(self->exe, self->why, sizeof(self->why)));
	ASSERT_EQ(0, chmod(self->exe, 0755));
	/* the file is fine, but anyone could rename another one over it */
	ASSERT_EQ(0, chmod(self->sub, 0777));
	EXPECT_EQ(-EPERM, trust_exec(self->exe, self->why, sizeof(self->why)));
	EXPECT_NE(NULL, strstr(self->why, self->sub)) TH_LOG("%s", self->why);
	ASSERT_EQ(0, chmod(self->sub, 0755));
	EXPECT_EQ(-EINVAL, trust_exec("attach", self->why, sizeof(self->why)));
}

TEST_F(tree, another_users_file_is_refused)
{
	struct stat st;

	if (geteuid() != 0)
		SKIP(return, "giving a file to another uid needs root");
	ASSERT_EQ(0, stat("/proc/self/exe", &st));
	/* neither root, nor us, nor this program's owner */
	ASSERT_EQ(0, chown(self->exe, 54321, 54321));
	ASSERT_NE(54321, st.st_uid);
	EXPECT_EQ(-EPERM, trust_path(self->exe, S_IFREG, self->why, sizeof(self->why)));
	EXPECT_NE(NULL, strstr(self->why, "owned by uid 54321")) TH_LOG("%s", self->why);
	ASSERT_EQ(0, chown(self->sub, 54321, 54321));
	EXPECT_EQ(-EPERM, trust_dir_chain(self->sub, self->why, sizeof(self->why)));
}

TEST_HARNESS_MAIN
