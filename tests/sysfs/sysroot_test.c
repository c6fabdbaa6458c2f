// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysroot: what discovery reads while capturing must read back identically
 * in replay, links and listings included.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "sysfs/sysroot.h"

FIXTURE(tree) {
	char src[PATH_MAX];
	char cap[PATH_MAX];
};

FIXTURE_SETUP(tree)
{
	char p[PATH_MAX];

	path_fmt(self->src, sizeof(self->src), "/tmp/snoop-sysroot-%d", getpid());
	path_fmt(self->cap, sizeof(self->cap), "%s-cap", self->src);
	path_fmt(p, sizeof(p), "%s/sys/class/iommu/dmar0/intel-iommu/ecap", self->src);
	ASSERT_EQ(0, mkdir_parents(p));
	ASSERT_EQ(0, write_file_atomic(p, "f00fca\n", 7));
	path_fmt(p, sizeof(p), "%s/sys/bus/pci/devices/0000:00:03.0/iommu", self->src);
	ASSERT_EQ(0, mkdir_parents(p));
	ASSERT_EQ(0, symlink("../../../devices/virtual/iommu/dmar0", p));
}

FIXTURE_TEARDOWN(tree)
{
	char cmd[2 * PATH_MAX + 16];

	sysroot_replay_from(NULL);
	sysroot_capture_to(NULL);
	path_fmt(cmd, sizeof(cmd), "rm -rf %s %s", self->src, self->cap);
	if (system(cmd))
		TH_LOG("cleanup failed");
}

static void read_all(struct __test_metadata *_metadata, char *unit, size_t len,
		     uint64_t *ecap, int *n_units)
{
	char **names;

	*n_units = sysfs_list("/sys/class/iommu", &names);
	ASSERT_EQ(1, *n_units);
	ASSERT_STREQ("dmar0", names[0]);
	sysfs_list_free(names);
	ASSERT_EQ(0, sysfs_read_u64("/sys/class/iommu/dmar0/intel-iommu/ecap", 16, ecap));
	ASSERT_EQ(0, sysfs_link_name("/sys/bus/pci/devices/0000:00:03.0/iommu", unit, len));
}

TEST_F(tree, capture_then_replay_reads_the_same)
{
	char unit[64];
	uint64_t ecap;
	int n;

	sysroot_replay_from(self->src);
	ASSERT_EQ(0, sysroot_capture_to(self->cap));
	read_all(_metadata, unit, sizeof(unit), &ecap, &n);
	EXPECT_EQ(0xf00fcaULL, ecap);
	EXPECT_STREQ("dmar0", unit);

	sysroot_capture_to(NULL);
	sysroot_replay_from(self->cap);
	unit[0] = '\0';
	ecap = 0;
	read_all(_metadata, unit, sizeof(unit), &ecap, &n);
	EXPECT_EQ(0xf00fcaULL, ecap);
	EXPECT_STREQ("dmar0", unit);
}

TEST_F(tree, missing_files_are_errors_not_crashes)
{
	char buf[16];
	uint64_t v;

	sysroot_replay_from(self->src);
	EXPECT_GT(0, sysfs_read("/sys/class/iommu/dmar9/intel-iommu/cap", buf, sizeof(buf)));
	EXPECT_GT(0, sysfs_read_u64("/sys/nothing", 16, &v));
	EXPECT_EQ(0, sysfs_exists("/dev/iommu"));
}

TEST_F(tree, garbage_numbers_are_rejected)
{
	char p[PATH_MAX];
	uint64_t v;

	path_fmt(p, sizeof(p), "%s/sys/junk", self->src);
	ASSERT_EQ(0, write_file_atomic(p, "zz12\n", 5));
	sysroot_replay_from(self->src);
	EXPECT_GT(0, sysfs_read_u64("/sys/junk", 16, &v));
}

/*
 * Class directories hold links to kobject directories: a listed link must
 * come back as the same link, and files read through it must be found
 * through it in replay (the in-use guard reads class/block/NAME/dev).
 */
TEST_F(tree, listed_links_replay_as_links)
{
	char p[PATH_MAX], target[PATH_MAX], dev[16];
	char **names;

	path_fmt(p, sizeof(p), "%s/sys/devices/pci0000:00/0000:00:04.0/nvme/nvme0/nvme0n1/dev",
		 self->src);
	ASSERT_EQ(0, mkdir_parents(p));
	ASSERT_EQ(0, write_file_atomic(p, "259:0\n", 6));
	path_fmt(p, sizeof(p), "%s/sys/class/block/nvme0n1", self->src);
	ASSERT_EQ(0, mkdir_parents(p));
	ASSERT_EQ(0, symlink("../../devices/pci0000:00/0000:00:04.0/nvme/nvme0/nvme0n1", p));
	path_fmt(p, sizeof(p), "%s/sys/bus/pci/devices/0000:00:04.0", self->src);
	ASSERT_EQ(0, mkdir_parents(p));
	ASSERT_EQ(0, symlink("../../../devices/pci0000:00/0000:00:04.0", p));

	for (int pass = 0; pass < 2; pass++) {
		sysroot_replay_from(pass ? self->cap : self->src);
		sysroot_capture_to(pass ? NULL : self->cap);
		ASSERT_EQ(1, sysfs_list("/sys/class/block", &names));
		EXPECT_STREQ("nvme0n1", names[0]);
		sysfs_list_free(names);
		ASSERT_EQ(0, sysfs_link_target("/sys/class/block/nvme0n1", target, sizeof(target)));
		EXPECT_STREQ("../../devices/pci0000:00/0000:00:04.0/nvme/nvme0/nvme0n1", target);
		ASSERT_EQ(0, sysfs_read("/sys/class/block/nvme0n1/dev", dev, sizeof(dev)));
		EXPECT_STREQ("259:0", dev);
		/* an existence check on a link must not hide what lies below it */
		EXPECT_EQ(1, sysfs_exists("/sys/bus/pci/devices/0000:00:04.0"));
		ASSERT_EQ(0, sysfs_read("/sys/bus/pci/devices/0000:00:04.0/nvme/nvme0/nvme0n1/dev",
					dev, sizeof(dev)));
		EXPECT_STREQ("259:0", dev);
	}
}

TEST_HARNESS_MAIN
