// SPDX-License-Identifier: GPL-2.0-only
/* kmsg: records as /dev/kmsg hands them out, read from a cursor on. */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "suite/kmsg.h"

TEST(record_text_drops_the_prefix_and_dictionary)
{
	const char rec[] = "3,1234,5678901,-;DMAR: [DMA Write NO_PASID] Request device [00:03.0] fault addr 0x100000\n SUBSYSTEM=pci\n DEVICE=+pci:0000:00:03.0\n";
	size_t n;
	const char *t = kmsg_record_text(rec, sizeof(rec) - 1, &n);

	ASSERT_EQ(0, strncmp(t, "DMAR: [DMA Write", 16));
	EXPECT_EQ(strlen("DMAR: [DMA Write NO_PASID] Request device [00:03.0] fault addr 0x100000"), n);
}

static int put(int fd, const char *s)
{
	return write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
}

/* A regular file stands in for /dev/kmsg: one record per read is not
 * guaranteed there, so write one record and collect after each. */
TEST(collects_only_what_came_after_the_cursor)
{
	char path[] = "/tmp/snoop-kmsg-XXXXXX";
	const char *const needles[] = { "fault addr", "[00:03.0]", NULL };
	const char *const other[] = { "[00:04.0]", NULL };
	struct kmsg_cursor c;
	int fd = mkstemp(path);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, put(fd, "6,1,1,-;old line [00:03.0] fault addr 0x1\n"));
	ASSERT_EQ(0, kmsg_open(&c, path));
	EXPECT_EQ(0, kmsg_collect(&c, needles, 20));
	EXPECT_EQ(0, c.len);
	ASSERT_EQ(0, put(fd, "3,2,2,-;DMAR: [DMA Read NO_PASID] Request device [00:03.0] fault addr 0x200000\n"));
	EXPECT_EQ(1, kmsg_collect(&c, needles, 20));
	EXPECT_NE(NULL, strstr(c.text, "0x200000"));
	EXPECT_EQ(NULL, strstr(c.text, "old line"));
	/* Already collected text is searched again without waiting. */
	EXPECT_EQ(1, kmsg_collect(&c, needles, 0));
	EXPECT_EQ(0, kmsg_collect(&c, other, 20));
	kmsg_close(&c);
	close(fd);
	unlink(path);
}

TEST(missing_log_is_an_error)
{
	struct kmsg_cursor c;

	EXPECT_EQ(-ENOENT, kmsg_open(&c, "/nonexistent/kmsg"));
}

TEST(fault_addresses_in_both_formats)
{
	uint64_t a = 0;

	ASSERT_EQ(0, kmsg_fault_addr("DMAR: [DMA Write NO_PASID] Request device [00:03.0] fault addr 0x102000 [fault reason 0x05] PTE Write access is not set", &a));
	EXPECT_EQ(0x102000, a);
	ASSERT_EQ(0, kmsg_fault_addr("AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:00:03.0 domain=0x0001 address=0xfffff000 flags=0x0000]", &a));
	EXPECT_EQ(0xfffff000, a);
	EXPECT_EQ(-ENOENT, kmsg_fault_addr("DMAR: DRHD: handling fault status reg 2", &a));
}

/*
 * The address through the one number reader (base/number.h), found by
 * tests/fuzz/number_fuzz.c: strtoull read past a blank or a newline, took
 * a sign and saturated, so garbage read as an address.
 */
TEST(a_fault_address_is_hex_digits_right_after_0x)
{
	uint64_t a = 7;

	EXPECT_EQ(-ENOENT, kmsg_fault_addr("DMAR: [DMA Read NO_PASID] fault addr 0x 102000", &a));
	EXPECT_EQ(-ENOENT, kmsg_fault_addr("DMAR: [DMA Read NO_PASID] fault addr 0x\n102000", &a));
	EXPECT_EQ(-ENOENT, kmsg_fault_addr("DMAR: [DMA Read NO_PASID] fault addr 0x-1000", &a));
	EXPECT_EQ(-ENOENT, kmsg_fault_addr("AMD-Vi: Event logged [IO_PAGE_FAULT address=0x1ffffffffffffffff]", &a));
	EXPECT_EQ(7, a);
	ASSERT_EQ(0, kmsg_fault_addr("AMD-Vi: Event logged [IO_PAGE_FAULT address=0xffffffffffffffff]", &a));
	EXPECT_EQ(UINT64_MAX, a);
}

TEST(record_headers_parse)
{
	const char rec[] = "3,1234,5678901,-;DMAR: DRHD: handling fault status reg 2\n SUBSYSTEM=pci\n";
	struct kmsg_record r;

	ASSERT_EQ(0, kmsg_record_parse(rec, sizeof(rec) - 1, &r));
	EXPECT_EQ(1234, r.seq);
	EXPECT_EQ(5678901, r.usec);
	EXPECT_EQ(strlen("DMAR: DRHD: handling fault status reg 2"), r.len);
	EXPECT_EQ(0, strncmp(r.text, "DMAR: DRHD", 10));
	/* later kernels add fields after FLAGS */
	EXPECT_EQ(0, kmsg_record_parse("6,7,8,-,caller=T1;x\n", 20, &r));
	EXPECT_EQ(8, r.usec);
	EXPECT_EQ(-EINVAL, kmsg_record_parse("no header\n", 10, &r));
	EXPECT_EQ(-EINVAL, kmsg_record_parse("6,x,8,-;y\n", 10, &r));
}

/* A regular file hands out many records per read; /dev/kmsg one. */
static int count_rec(void *ctx, const char *rec, size_t len)
{
	struct kmsg_record r;

	if (kmsg_record_parse(rec, len, &r))
		return -EINVAL;
	((int *)ctx)[r.seq]++;
	return 0;
}

TEST(read_each_splits_records_and_starts_where_asked)
{
	char path[] = "/tmp/snoop-kmsg-XXXXXX";
	int seen[4] = { 0 }, fd = mkstemp(path), rfd;

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, put(fd, "6,0,1,-;first\n"
			     "3,1,2,-;second\n SUBSYSTEM=pci\n DEVICE=+pci:0000:00:06.0\n"
			     "6,2,3,-;third\n"));
	rfd = kmsg_open_fd(path, true);
	ASSERT_LE(0, rfd);
	EXPECT_EQ(0, kmsg_read_each(rfd, count_rec, seen));
	EXPECT_EQ(1, seen[0]);
	EXPECT_EQ(1, seen[1]);
	EXPECT_EQ(1, seen[2]);
	close(rfd);
	/* from the end: only what comes next */
	rfd = kmsg_open_fd(path, false);
	ASSERT_LE(0, rfd);
	ASSERT_EQ(0, put(fd, "6,3,4,-;fourth\n"));
	EXPECT_EQ(0, kmsg_read_each(rfd, count_rec, seen));
	EXPECT_EQ(1, seen[0]);
	EXPECT_EQ(1, seen[3]);
	close(rfd);
	close(fd);
	unlink(path);
}

TEST_HARNESS_MAIN
