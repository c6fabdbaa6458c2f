// SPDX-License-Identifier: GPL-2.0-only
/* target: which device a suite runs on, and why it may not be testable. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "sysfs/sysroot.h"
#include "suite/target.h"

TEST(bdf_from_argv_is_taken_out_of_argv)
{
	char a0[] = "dma", a1[] = "00:03.0", a2[] = "-v", a3[] = "edu";
	char *argv[] = { a0, a1, a2, a3, NULL };
	int argc = 4;
	char bdf[16], msg[256];

	ASSERT_EQ(0, target_bdf(&argc, argv, bdf, sizeof(bdf), msg, sizeof(msg)));
	EXPECT_STREQ("0000:00:03.0", bdf);
	EXPECT_EQ(3, argc);
	EXPECT_STREQ("-v", argv[1]);
	EXPECT_EQ(NULL, argv[3]);
}

TEST(bdf_from_environment_or_a_reason)
{
	char a0[] = "dma", a1[] = "-l";
	char *argv[] = { a0, a1, NULL };
	int argc = 2;
	char bdf[16], msg[256];

	setenv("SNOOPCHECK_DEVICE", "0001:02:1f.7", 1);
	ASSERT_EQ(0, target_bdf(&argc, argv, bdf, sizeof(bdf), msg, sizeof(msg)));
	EXPECT_STREQ("0001:02:1f.7", bdf);
	EXPECT_EQ(2, argc);
	setenv("SNOOPCHECK_DEVICE", "nvme0", 1);
	EXPECT_EQ(-EINVAL, target_bdf(&argc, argv, bdf, sizeof(bdf), msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, "SNOOPCHECK_DEVICE='nvme0'"));
	unsetenv("SNOOPCHECK_DEVICE");
	EXPECT_EQ(-ENOENT, target_bdf(&argc, argv, bdf, sizeof(bdf), msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, "no device given"));
}

/* A suite's main(): the BDF, NULL with the reason, or exit 2 on a bad one. */
TEST(suite_argument_or_bad_input)
{
	char bdf[32] = "x", msg[256], *ok[] = { "suite", "00:04.0", NULL }, *none[] = { "suite", NULL };
	char *bad[] = { "suite", "nvme0", NULL };
	int argc = 2, st;
	pid_t pid;

	unsetenv("SNOOPCHECK_DEVICE");
	EXPECT_STREQ("0000:00:04.0", target_arg("t", &argc, ok, bdf, sizeof(bdf), msg, sizeof(msg)));
	EXPECT_EQ(1, argc);
	argc = 1;
	EXPECT_EQ(NULL, target_arg("t", &argc, none, bdf, sizeof(bdf), msg, sizeof(msg)));
	EXPECT_STREQ("", bdf);
	EXPECT_NE(NULL, strstr(msg, "no device given"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		argc = 2;
		target_arg("t", &argc, bad, bdf, sizeof(bdf), msg, sizeof(msg));
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFEXITED(st));
	EXPECT_EQ(2, WEXITSTATUS(st));
}

TEST(short_bdf_is_what_dmar_prints)
{
	char s[16];

	target_short_bdf("0000:00:03.0", s, sizeof(s));
	EXPECT_STREQ("00:03.0", s);
	target_short_bdf("00:03.0", s, sizeof(s));
	EXPECT_STREQ("00:03.0", s);
}

/* A fake sysfs, replayed through the same reader discovery uses. */
FIXTURE(fake_sysfs) {
	char root[64];
};

FIXTURE_SETUP(fake_sysfs)
{
	char p[PATH_MAX];

	path_fmt(self->root, sizeof(self->root), "/tmp/snoop-target-%d", getpid());
	path_fmt(p, sizeof(p), "%s/sys/bus/pci/drivers/vfio-pci", self->root);
	ASSERT_EQ(0, mkdir_p(p));
	path_fmt(p, sizeof(p), "%s/sys/bus/pci/drivers/nvme", self->root);
	ASSERT_EQ(0, mkdir_p(p));
	path_fmt(p, sizeof(p), "%s/sys/class/iommu/dmar0", self->root);
	ASSERT_EQ(0, mkdir_p(p));
	path_fmt(p, sizeof(p), "%s/sys/kernel/iommu_groups/5", self->root);
	ASSERT_EQ(0, mkdir_p(p));
	sysroot_replay_from(self->root);
}

FIXTURE_TEARDOWN(fake_sysfs)
{
	char cmd[128];

	sysroot_replay_from(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->root);
	system(cmd);
}

static void device(struct __test_metadata *_metadata, const char *root,
		   const char *bdf, const char *driver, bool iommu)
{
	char p[PATH_MAX], t[PATH_MAX];

	path_fmt(p, sizeof(p), "%s/sys/bus/pci/devices/%s", root, bdf);
	ASSERT_EQ(0, mkdir_p(p));
	if (driver) {
		path_fmt(p, sizeof(p), "%s/sys/bus/pci/devices/%s/driver", root, bdf);
		path_fmt(t, sizeof(t), "%s/sys/bus/pci/drivers/%s", root, driver);
		ASSERT_EQ(0, symlink(t, p));
	}
	path_fmt(p, sizeof(p), "%s/sys/bus/pci/devices/%s/iommu_group", root, bdf);
	path_fmt(t, sizeof(t), "%s/sys/kernel/iommu_groups/5", root);
	ASSERT_EQ(0, symlink(t, p));
	if (iommu) {
		path_fmt(p, sizeof(p), "%s/sys/bus/pci/devices/%s/iommu", root, bdf);
		path_fmt(t, sizeof(t), "%s/sys/class/iommu/dmar0", root);
		ASSERT_EQ(0, symlink(t, p));
	}
}

TEST_F(fake_sysfs, each_reason)
{
	char why[512];

	device(_metadata, self->root, "0000:00:03.0", "vfio-pci", true);
	device(_metadata, self->root, "0000:00:04.0", "nvme", true);
	device(_metadata, self->root, "0000:00:05.0", NULL, true);
	device(_metadata, self->root, "0000:00:06.0", "vfio-pci", false);

	EXPECT_EQ(0, target_check_vfio("0000:00:03.0", why, sizeof(why)));
	EXPECT_EQ(-EBUSY, target_check_vfio("0000:00:04.0", why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "bound to nvme, not vfio-pci"));
	EXPECT_EQ(-EBUSY, target_check_vfio("0000:00:05.0", why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "bound to no driver"));
	EXPECT_EQ(-ENXIO, target_check_vfio("0000:00:06.0", why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "noiommu"));
	EXPECT_EQ(-ENODEV, target_check_vfio("0000:00:07.0", why, sizeof(why)));
}

TEST_HARNESS_MAIN
