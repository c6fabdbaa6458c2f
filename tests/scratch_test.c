// SPDX-License-Identifier: GPL-2.0-only
/* scratch: the lab config's scratch range, good and bad. */
#include <kselftest_harness.h>

#include "scratch.h"

TEST(parses_bytes_and_suffixes)
{
	struct scratch_range r;
	char err[256];

	ASSERT_EQ(0, scratch_parse("0:1M", &r, err, sizeof(err)));
	EXPECT_EQ(0, r.offset);
	EXPECT_EQ(1 << 20, r.length);
	ASSERT_EQ(0, scratch_parse("4k:8192", &r, err, sizeof(err)));
	EXPECT_EQ(4096, r.offset);
	EXPECT_EQ(8192, r.length);
	ASSERT_EQ(0, scratch_parse("2G:1G", &r, err, sizeof(err)));
	EXPECT_EQ(2ULL << 30, r.offset);
}

TEST(refuses_what_it_cannot_read)
{
	const char *bad[] = { "", "1M", "1M:", ":1M", "1M:0", "x:1", "1:2:3",
			      "1M:1T", "-1:4K", "99999999999999999999:1",
			      "18446744073709551615:2" };
	struct scratch_range r;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		EXPECT_EQ(-EINVAL, scratch_parse(bad[i], &r, err, sizeof(err)))
			TH_LOG("'%s' was accepted", bad[i]);
		EXPECT_NE('\0', err[0]);
	}
	EXPECT_EQ(-EINVAL, scratch_parse(NULL, &r, err, sizeof(err)));
}

TEST(contains_is_exact_at_the_edges)
{
	struct scratch_range r = { .offset = 4096, .length = 8192 };

	EXPECT_TRUE(scratch_contains(&r, 4096, 8192));
	EXPECT_TRUE(scratch_contains(&r, 8192, 4096));
	EXPECT_FALSE(scratch_contains(&r, 0, 4096));
	EXPECT_FALSE(scratch_contains(&r, 8192, 4097));
	EXPECT_FALSE(scratch_contains(&r, 12288, 1));
	EXPECT_FALSE(scratch_contains(&r, UINT64_MAX, 2));
}

TEST_HARNESS_MAIN
