// SPDX-License-Identifier: GPL-2.0-only
/* dump_check: which lines open a device in an lspci -x file. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "discover/dumpcheck.h"

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

	EXPECT_EQ(0, check("00:00.0 Host bridge: Intel\n00: 86 80 00 00\n\n"
			   "0000:00:1f.3 Audio\n00: 86 80\n\n"
			   "10000:e0:17.0 RAID bus controller\n00: 86 80\n", msg, sizeof(msg)))
		TH_LOG("%s", msg);
	/* A header at the very end of a line counts, as before. */
	EXPECT_EQ(0, check("00:02.0\n00: 86 80\n", msg, sizeof(msg))) TH_LOG("%s", msg);
}

TEST(a_loose_address_is_not_a_device_line)
{
	char msg[512] = "";

	EXPECT_EQ(-EINVAL, check("0:2.0 VGA\n00: 86 80\n", msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, ":1: expected a device line")) TH_LOG("%s", msg);
	EXPECT_EQ(-EINVAL, check("00:02.0VGA\n00: 86 80\n", msg, sizeof(msg)));
	EXPECT_NE(NULL, strstr(msg, ":1: expected a device line")) TH_LOG("%s", msg);
}

TEST_HARNESS_MAIN
