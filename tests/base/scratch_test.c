// SPDX-License-Identifier: GPL-2.0-only
/* scratch: the lab config's scratch LBA range, good and bad. */
#include <kselftest_harness.h>

#include "base/scratch.h"

TEST(parses_decimal_and_hex)
{
	struct scratch_range r;
	char err[256];

	ASSERT_EQ(0, scratch_parse("0+2048", &r, err, sizeof(err)));
	EXPECT_EQ(0, r.start);
	EXPECT_EQ(2048, r.count);
	ASSERT_EQ(0, scratch_parse("0x800+0X10", &r, err, sizeof(err)));
	EXPECT_EQ(2048, r.start);
	EXPECT_EQ(16, r.count);
	/* a leading zero is decimal, not octal */
	ASSERT_EQ(0, scratch_parse("010+1", &r, err, sizeof(err)));
	EXPECT_EQ(10, r.start);
}

TEST(refuses_what_it_cannot_read)
{
	const char *bad[] = { "", "2048", "1+", "+1", "1+0", "x+1", "1+2+3",
			      "1 + 2", "-1+4", "0x+1", "1a+1", "99999999999999999999+1",
			      "18446744073709551615+1", "0:2048" };
	struct scratch_range r;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		EXPECT_EQ(-EINVAL, scratch_parse(bad[i], &r, err, sizeof(err)))
			TH_LOG("'%s' was accepted", bad[i]);
		EXPECT_NE(NULL, strstr(err, "START+COUNT"));
	}
	EXPECT_EQ(-EINVAL, scratch_parse(NULL, &r, err, sizeof(err)));
}

TEST(fits_is_exact_at_the_end)
{
	struct scratch_range r = { .start = 2048, .count = 2048 };

	EXPECT_TRUE(scratch_fits(&r, 4096));
	EXPECT_FALSE(scratch_fits(&r, 4095));
	EXPECT_FALSE(scratch_fits(&r, 2048));
	r = (struct scratch_range){ UINT64_MAX - 1, 2 };
	EXPECT_FALSE(scratch_fits(&r, UINT64_MAX));
}

TEST(bytes_for_a_block_size)
{
	struct scratch_range r = { .start = 16, .count = 2048 };
	uint64_t off, len;

	ASSERT_EQ(0, scratch_bytes(&r, 512, &off, &len));
	EXPECT_EQ(8192, off);
	EXPECT_EQ(1 << 20, len);
	r.start = UINT64_MAX / 512;
	EXPECT_EQ(-EOVERFLOW, scratch_bytes(&r, 512, &off, &len));
	EXPECT_EQ(-EOVERFLOW, scratch_bytes(&r, 0, &off, &len));
}

TEST_HARNESS_MAIN
