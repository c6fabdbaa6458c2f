// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysroot: what discovery reads while capturing must read back identically
 * in replay, links and listings included; and neither replay nor capture
 * may reach outside the capture directory, hang on a FIFO or read without
 * bound.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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
	path_fmt(cmd, sizeof(cmd), "rm -rf %s %s-*", self->src, self->src);
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

/* Put text at src + rel, directories made. */
static void put(struct __test_metadata *_metadata, const char *root, const char *rel,
		const char *text)
{
	char p[PATH_MAX];

	path_fmt(p, sizeof(p), "%s%s", root, rel);
	ASSERT_EQ(0, mkdir_parents(p));
	ASSERT_EQ(0, write_file_atomic(p, text, strlen(text)));
}

static void put_link(struct __test_metadata *_metadata, const char *root, const char *rel,
		     const char *target)
{
	char p[PATH_MAX];

	path_fmt(p, sizeof(p), "%s%s", root, rel);
	ASSERT_EQ(0, mkdir_parents(p));
	ASSERT_EQ(0, symlink(target, p));
}

/* stderr into a file while a check runs; what it said comes back. */
struct said {
	char path[PATH_MAX];
	int saved;
};

static void said_begin(struct said *s, const char *dir)
{
	int fd;

	path_fmt(s->path, sizeof(s->path), "%s-stderr", dir);
	fflush(stderr);
	s->saved = dup(2);
	fd = open(s->path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, 2);
	close(fd);
}

static char *said_end(struct said *s)
{
	fflush(stderr);
	dup2(s->saved, 2);
	close(s->saved);
	return read_file(s->path, NULL);
}

/*
 * A capture is input: a link in it that leads out of it, by an absolute
 * target or by "..", must not be followed, whatever it points at (here a
 * file next to the capture, and /etc/hostname), and the message names it.
 * Reading where the link points (its target as text) is still fine.
 */
TEST_F(tree, replay_never_follows_a_link_out_of_the_capture)
{
	char buf[256], up[PATH_MAX], **names;
	const char *base = strrchr(self->src, '/') + 1;
	struct said said;
	char *msg;

	put(_metadata, self->src, "-secret/hostname", "secret\n");
	path_fmt(up, sizeof(up), "../../../../%s-secret", base);
	put_link(_metadata, self->src, "/sys/class/iommu/dmar1", up);
	put_link(_metadata, self->src, "/sys/class/net/eth0", "/etc");
	path_fmt(up, sizeof(up), "../../%s-secret/hostname", base);
	put_link(_metadata, self->src, "/sys/leak", up);
	put_link(_metadata, self->src, "/sys/hostname", "/etc/hostname");
	sysroot_replay_from(self->src);

	said_begin(&said, self->src);
	buf[0] = '\0';
	EXPECT_EQ(-EXDEV, sysfs_read("/sys/class/iommu/dmar1/hostname", buf, sizeof(buf)));
	EXPECT_EQ(-EXDEV, sysfs_list("/sys/class/iommu/dmar1", &names));
	EXPECT_EQ(0, sysfs_exists("/sys/class/iommu/dmar1/hostname"));
	EXPECT_EQ(-EXDEV, sysfs_read("/sys/class/net/eth0/hostname", buf, sizeof(buf)));
	/* a link as the last component is not read through, as live */
	EXPECT_EQ(-ELOOP, sysfs_read("/sys/leak", buf, sizeof(buf)));
	EXPECT_EQ(-ELOOP, sysfs_read("/sys/hostname", buf, sizeof(buf)));
	msg = said_end(&said);
	EXPECT_EQ(NULL, strstr(buf, "secret"));
	ASSERT_NE(NULL, msg);
	EXPECT_NE(NULL, strstr(msg, "/sys/class/iommu/dmar1: link to '../../../../")) TH_LOG("%s", msg);
	EXPECT_NE(NULL, strstr(msg, "/sys/class/net/eth0: link to '/etc' leads out of")) TH_LOG("%s", msg);
	free(msg);

	EXPECT_EQ(0, sysfs_link_name("/sys/class/iommu/dmar1", buf, sizeof(buf)));
	path_fmt(up, sizeof(up), "%s-secret", base);
	EXPECT_STREQ(up, buf);
	/* ".." that stays inside is followed as before */
	put_link(_metadata, self->src, "/sys/class/iommu/dmar2",
		 "../../../sys/./class/iommu/dmar0");
	EXPECT_EQ(0, sysfs_read("/sys/class/iommu/dmar2/intel-iommu/ecap", buf, sizeof(buf)));
	EXPECT_STREQ("f00fca", buf);
}

/*
 * A FIFO in a capture must not hang replay, and /dev/zero (through a link
 * out of it) must not be read; a regular file is read up to a bound.
 */
TEST_F(tree, replay_reads_regular_files_only_and_bounded)
{
	char p[PATH_MAX], small[64], *big;
	size_t big_len = 4 * SYSFS_READ_MAX;
	int fd;

	alarm(10);	/* a hang is a failure, not a stuck test run */
	path_fmt(p, sizeof(p), "%s/sys/fifo", self->src);
	ASSERT_EQ(0, mkfifo(p, 0600));
	path_fmt(p, sizeof(p), "%s/proc/self", self->src);
	ASSERT_EQ(0, mkdir_p(p));
	path_fmt(p, sizeof(p), "%s/proc/self/mountinfo", self->src);
	ASSERT_EQ(0, mkfifo(p, 0600));
	put_link(_metadata, self->src, "/sys/zero", "/dev/zero");
	put_link(_metadata, self->src, "/sys/up", "../../../dev");	/* = /dev */
	path_fmt(p, sizeof(p), "%s/sys/big", self->src);
	fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, (off_t)(2 * SYSFS_READ_MAX)));	/* sparse */
	close(fd);
	big = malloc(big_len);
	ASSERT_NE(NULL, big);
	sysroot_replay_from(self->src);

	EXPECT_EQ(-ENOTSUP, sysfs_read("/sys/fifo", small, sizeof(small)));
	EXPECT_EQ(-ENOTSUP, sysfs_read("/proc/self/mountinfo", big, big_len));
	EXPECT_EQ(-ELOOP, sysfs_read("/sys/zero", big, big_len));
	EXPECT_EQ(-EXDEV, sysfs_read("/sys/up/zero", big, big_len));
	EXPECT_EQ(-EFBIG, sysfs_read("/sys/big", big, big_len));
	/* cut at the buffer, as ever, when the buffer is the smaller */
	EXPECT_EQ(0, sysfs_read("/sys/big", small, sizeof(small)));
	free(big);
	alarm(0);
}

/*
 * The capture writes as root: only into a directory it made or an empty
 * one of its own user that others may not write, never through a link.
 */
TEST_F(tree, capture_refuses_a_directory_it_cannot_trust)
{
	char p[PATH_MAX], q[PATH_MAX];

	EXPECT_EQ(-EEXIST, sysroot_capture_to(self->src));	/* not empty */
	path_fmt(p, sizeof(p), "%s-empty", self->src);
	ASSERT_EQ(0, mkdir(p, 0700));
	path_fmt(q, sizeof(q), "%s-link", self->src);
	ASSERT_EQ(0, symlink(p, q));
	EXPECT_EQ(-ELOOP, sysroot_capture_to(q));
	path_fmt(q, sizeof(q), "%s-link/", self->src);
	EXPECT_EQ(-ELOOP, sysroot_capture_to(q));
	path_fmt(q, sizeof(q), "%s-open", self->src);
	ASSERT_EQ(0, mkdir(q, 0700));
	ASSERT_EQ(0, chmod(q, 0777));
	EXPECT_EQ(-EPERM, sysroot_capture_to(q));
	path_fmt(q, sizeof(q), "%s-new/deeper", self->src);
	EXPECT_EQ(0, sysroot_capture_to(q));	/* made here */
	EXPECT_EQ(0, sysroot_capture_to(p));	/* empty, ours: mktemp -d */
	EXPECT_EQ(0, sysroot_capture_to(NULL));
	path_fmt(q, sizeof(q), "%s/sys/class/iommu/dmar0/intel-iommu/ecap/x", self->src);
	EXPECT_EQ(-ENOTDIR, sysroot_capture_to(q));
}

/* Entries of dir other than "." and "..". */
static int entries(const char *dir)
{
	char **names;
	int n;

	sysroot_replay_from(NULL);
	n = sysfs_list(dir, &names);
	sysfs_list_free(n >= 0 ? names : NULL);
	return n;
}

/*
 * Links that appear in the capture after it was checked (planted by
 * someone racing it) or that the source holds, leading out, must not
 * carry a write out of it: the victim directory and file stay untouched.
 */
TEST_F(tree, capture_never_writes_through_a_link_out_of_it)
{
	char victim[PATH_MAX], vfile[PATH_MAX], p[PATH_MAX], t[PATH_MAX], buf[64], **names;
	const char *base = strrchr(self->src, '/') + 1;
	uint64_t ecap;
	int n;

	path_fmt(victim, sizeof(victim), "%s-victim", self->src);
	ASSERT_EQ(0, mkdir(victim, 0755));
	path_fmt(vfile, sizeof(vfile), "%s-vfile", self->src);
	ASSERT_EQ(0, write_file_atomic(vfile, "precious\n", 9));
	/* the source leads a listed link out: capture must not make its target */
	path_fmt(t, sizeof(t), "../../../%s-victim/made", base);
	put_link(_metadata, self->src, "/sys/block/evil", t);
	put(_metadata, self->src, "/sys/devices/virtual/dmi/id/sys_vendor", "QEMU\n");

	ASSERT_EQ(0, sysroot_capture_to(self->cap));
	/* planted after the check: sys/class leads out, absolute */
	put_link(_metadata, self->cap, "/sys/class", victim);
	/* and relative */
	path_fmt(t, sizeof(t), "../../%s-victim", base);
	put_link(_metadata, self->cap, "/sys/devices", t);
	/* and a file's own name */
	path_fmt(p, sizeof(p), "%s/sys/bus/pci/devices/0000:00:03.0", self->cap);
	ASSERT_EQ(0, mkdir_p(p));
	put_link(_metadata, self->cap, "/sys/bus/pci/devices/0000:00:03.0/vendor", vfile);
	put(_metadata, self->src, "/sys/bus/pci/devices/0000:00:03.0/vendor", "0x8086\n");

	sysroot_replay_from(self->src);
	/* the reads themselves succeed: a capture that fails does not stop discovery */
	EXPECT_EQ(0, sysfs_read_u64("/sys/class/iommu/dmar0/intel-iommu/ecap", 16, &ecap));
	EXPECT_EQ(0, sysfs_read("/sys/devices/virtual/dmi/id/sys_vendor", buf, sizeof(buf)));
	n = sysfs_list("/sys/block", &names);
	EXPECT_EQ(1, n);
	sysfs_list_free(n >= 0 ? names : NULL);
	EXPECT_EQ(0, sysfs_read("/sys/bus/pci/devices/0000:00:03.0/vendor", buf, sizeof(buf)));
	EXPECT_STREQ("0x8086", buf);
	sysroot_capture_to(NULL);

	EXPECT_EQ(0, entries(victim));
	{
		char *text = read_file(vfile, NULL);

		EXPECT_STREQ("precious\n", text);
		free(text);
	}
	/* the planted link at the file's name was replaced, not followed */
	sysroot_replay_from(self->cap);
	EXPECT_EQ(0, sysfs_read("/sys/bus/pci/devices/0000:00:03.0/vendor", buf, sizeof(buf)));
	EXPECT_STREQ("0x8086", buf);
}

TEST_HARNESS_MAIN
