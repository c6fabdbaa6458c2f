// SPDX-License-Identifier: GPL-2.0-only
/* dump_check: which lines open a device in an lspci -x file. */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "discover/dumpcheck.h"

/* The 64 bytes lspci -x prints of a device: four whole rows. */
#define ROW " 00 00 00 00 00 00 00 00 00 00 00 00 00 00\n"
#define ROWS "00: 86 80" ROW "10: 00 00" ROW "20: 00 00" ROW "30: 00 00" ROW

static int check(const char *text, char *msg, size_t len)
{
	char path[64];
	FILE *f, *err = fmemopen(msg, len, "w");
	int ret;

	snprintf(path, sizeof(path), "/tmp/snoop-dumpcheck-%d.txt", getpid());
	f = fopen(path, "w");
	if (!f || !err)
		return -99;
	fputs(text, f);
	fclose(f);
	ret = dump_check(path, err);
	fclose(err);
	unlink(path);
	return ret;
}

TEST(device_lines_in_every_domain_width)
{
	char msg[512] = "";

	EXPECT_EQ(0, check("00:00.0 Host bridge: Intel\n" ROWS "\n"
			   "0000:00:1f.3 Audio\n" ROWS "\n"
			   "10000:e0:17.0 RAID bus controller\n" ROWS "", msg, sizeof(msg)))
		TH_LOG("%s", msg);
	/* A header at the very end of a line counts, as before. */
	EXPECT_EQ(0, check("00:02.0\n" ROWS "", msg, sizeof(msg))) TH_LOG("%s", msg);
}

TEST(a_loose_address_is_not_a_device_line)
{
	char msg[512] = "";

	EXPECT_EQ(-EINVAL, check("0:2.0 VGA\n" ROWS "", msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, ":1: expected a device line")) TH_LOG("%s", msg);
	EXPECT_EQ(-EINVAL, check("00:02.0VGA\n" ROWS "", msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, ":1: expected a device line")) TH_LOG("%s", msg);
}

/*
 * A capture's dump must be its own regular file: a link to a file outside
 * the capture is not read (its first line would land in the message), a
 * FIFO does not hang the check, /dev/zero is not read forever.
 */
TEST(only_a_regular_file_of_its_own_is_read)
{
	char good[64], path[64], msg[512];
	const char *targets[] = { good, "/dev/zero" };
	FILE *err, *f;

	alarm(10);	/* a hang is a failure, not a stuck test run */
	snprintf(good, sizeof(good), "/tmp/snoop-dumpcheck-%d-good.txt", getpid());
	snprintf(path, sizeof(path), "/tmp/snoop-dumpcheck-%d-link.txt", getpid());
	f = fopen(good, "w");
	ASSERT_NE(NULL, f);
	fputs("00:00.0 Host bridge: Intel\n" ROWS "", f);
	fclose(f);
	for (size_t i = 0; i < 2; i++) {
		err = fmemopen(msg, sizeof(msg), "w");
		ASSERT_NE(NULL, err);
		ASSERT_EQ(0, symlink(targets[i], path));
		EXPECT_EQ(-ELOOP, dump_check(path, err));
		fclose(err);
		EXPECT_NE(NULL, strstr(msg, "cannot read: a symbolic link, not followed"))
			TH_LOG("%s", msg);
		unlink(path);
	}
	ASSERT_EQ(0, mkfifo(path, 0600));
	err = fmemopen(msg, sizeof(msg), "w");
	ASSERT_NE(NULL, err);
	EXPECT_EQ(-ENOTSUP, dump_check(path, err));
	fclose(err);
	EXPECT_NE(NULL, strstr(msg, "cannot read: not a regular file")) TH_LOG("%s", msg);
	unlink(path);
	unlink(good);
	alarm(0);
}

/*
 * A device once, and with rows (tests/fuzz/dump_fuzz.c): libpci makes two
 * devices of one address named twice, and a phantom of a bare header
 * line, and replay would show either.
 */
TEST(each_device_once_and_with_rows)
{
	char msg[512] = "";

	EXPECT_EQ(-EINVAL, check("00:02.0 VGA\n" ROWS "\n00:1f.3 Audio\n" ROWS "\n"
				 "0000:00:02.0 VGA again\n" ROWS "", msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, ":13: expected each device once; 0000:00:02.0 is already on line 1\n"))
		TH_LOG("%s", msg);
	EXPECT_EQ(-EINVAL, check("10000:e0:17.0 RAID\n" ROWS "\n10000:E0:17.0 RAID\n" ROWS "",
				 msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, ":7: expected each device once; 10000:e0:17.0 is already on line 1\n"))
		TH_LOG("%s", msg);
	EXPECT_EQ(-EINVAL, check("00:02.0 VGA\n\n00:1f.3 Audio\n" ROWS "", msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, ":1: expected hex rows 'NN: xx xx ...' after the device line"))
		TH_LOG("%s", msg);
	EXPECT_EQ(-EINVAL, check("00:02.0 VGA\n" ROWS "\n00:1f.3 Audio\n", msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, ":7: expected hex rows 'NN: xx xx ...' after the device line"))
		TH_LOG("%s", msg);
	/* lspci -v detail lines are no rows, but rows may follow them. */
	EXPECT_EQ(0, check("00:02.0 VGA\n\tSubsystem: Lenovo\n" ROWS "", msg, sizeof(msg)))
		TH_LOG("%s", msg);
}

/*
 * Rows as lspci prints them, ending at a standard size: a shorter row, or
 * rows that end elsewhere, would replay differently from what was read
 * (a capture writes back whole sizes). Found by tests/fuzz/dump_fuzz.c.
 */
TEST(rows_end_where_lspci_ends_them)
{
	char msg[512];

	EXPECT_EQ(-EINVAL, check("00:02.0 VGA\n00: 86 80\n", msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, "16 bytes")) TH_LOG("%s", msg);
	EXPECT_EQ(-EINVAL, check("00:02.0 VGA\n" ROWS "40: 00 00" ROW, msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, "end at 0x50")) TH_LOG("%s", msg);
	EXPECT_EQ(-EINVAL, check("00:02.0 VGA\n08: 86 80" ROW, msg, sizeof(msg)));
}

TEST_HARNESS_MAIN
