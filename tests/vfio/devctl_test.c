// SPDX-License-Identifier: GPL-2.0-only
/*
 * A DevCtl change the way `runner fio measure --bdf` and suites/pcie make
 * one: journalled first, forgotten once put back; killed in between, it
 * is `runner restore`'s to undo. libpci's sysfs method on tests/fakesys.h's
 * tree, with a fake config space.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "fakesys.h"
#include "host/journal.h"
#include "host/restore.h"
#include "vfio/devctl.h"

#define NVME "0000:00:04.0"

FIXTURE(lab) {
	struct fakesys f;
	char run[PATH_MAX], path[PATH_MAX];
	struct journal j;
};

FIXTURE_SETUP(lab)
{
	fake_init(&self->f);
	fake_device(&self->f, NVME, "0x1b36", "0x0010", "0x010802", "nvme", "nvme", 1, -1);
	fake_config(&self->f, NVME, 0x2810);
	path_fmt(self->run, sizeof(self->run), "%s/run/snoopcheck", self->f.root);
	path_fmt(self->path, sizeof(self->path), "%s/journal", self->run);
	journal_init(&self->j, self->run);
}

FIXTURE_TEARDOWN(lab)
{
	journal_close(&self->j);
	fake_cleanup(&self->f);
}

/* The clean run: the record is there while DevCtl is changed, gone after. */
TEST_F(lab, journalled_before_the_write_forgotten_after)
{
	struct journal_rec *r;
	struct devctl_view v;
	size_t n;

	ASSERT_EQ(0, devctl_read_libpci(NVME, &v));
	ASSERT_EQ(0, devctl_journal(&self->j, NVME, v.devctl)) TH_LOG("%s", self->j.why);
	ASSERT_EQ(0, journal_load(self->run, &r, &n, stderr));
	ASSERT_EQ(1, n);
	EXPECT_STREQ("devctl", r[0].step);
	EXPECT_EQ(0x2810, r[0].devctl);
	EXPECT_EQ((long)getpid(), r[0].pid);
	free(r);
	ASSERT_EQ(0, devctl_write_libpci(NVME, devctl_with_ens(v.devctl, false)));
	EXPECT_EQ(0x2010, fake_devctl(&self->f, NVME));
	ASSERT_EQ(0, devctl_write_libpci(NVME, v.devctl));
	ASSERT_EQ(0, devctl_forget(&self->j, NVME));
	EXPECT_NE(0, access(self->path, F_OK));
}

/* Killed with Enable No Snoop cleared: `runner restore` sets it again. */
TEST_F(lab, killed_mid_change_is_restored)
{
	int st;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct devctl_view v;

		if (devctl_read_libpci(NVME, &v) || devctl_journal(&self->j, NVME, v.devctl) ||
		    devctl_write_libpci(NVME, devctl_with_ens(v.devctl, false)))
			_exit(1);
		_exit(137);	/* as SIGKILL would: no write-back */
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_EQ(137, WEXITSTATUS(st));
	EXPECT_EQ(0x2010, fake_devctl(&self->f, NVME));
	ASSERT_EQ(0, restore_journal(self->run, 0, stdout, stderr));
	EXPECT_EQ(0x2810, fake_devctl(&self->f, NVME));
	EXPECT_NE(0, access(self->path, F_OK));
}

/* A run directory that cannot be trusted: nothing journalled, so nothing may change. */
TEST_F(lab, no_journal_no_change)
{
	struct journal j;

	ASSERT_EQ(0, mkdir_p(self->run));
	ASSERT_EQ(0, chmod(self->run, 0777));
	journal_init(&j, self->run);
	EXPECT_EQ(-EPERM, devctl_journal(&j, NVME, 0x2810));
	EXPECT_EQ(0, strncmp(j.why, self->run, strlen(self->run))) TH_LOG("%s", j.why);
	journal_close(&j);
}

TEST_HARNESS_MAIN
