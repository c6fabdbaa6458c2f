// SPDX-License-Identifier: GPL-2.0-only
/* number: config values and options, decimal or 0x hex, never octal. */
#include <errno.h>
#include <stdint.h>

#include <kselftest_harness.h>

#include "base/number.h"

TEST(decimal_and_hex)
{
	uint64_t v;

	ASSERT_EQ(0, number_parse_u64("0", &v));
	EXPECT_EQ(0, v);
	ASSERT_EQ(0, number_parse_u64("2048", &v));
	EXPECT_EQ(2048, v);
	ASSERT_EQ(0, number_parse_u64("0x800", &v));
	EXPECT_EQ(2048, v);
	ASSERT_EQ(0, number_parse_u64("0X80a", &v));
	EXPECT_EQ(0x80a, v);
	ASSERT_EQ(0, number_parse_u64("0xFFff", &v));
	EXPECT_EQ(0xffff, v);
	ASSERT_EQ(0, number_parse_u64("18446744073709551615", &v));
	EXPECT_EQ(UINT64_MAX, v);
	ASSERT_EQ(0, number_parse_u64("0xffffffffffffffff", &v));
	EXPECT_EQ(UINT64_MAX, v);
}

TEST(a_leading_zero_is_decimal_not_octal)
{
	uint64_t v;

	ASSERT_EQ(0, number_parse_u64("010", &v));
	EXPECT_EQ(10, v);
	ASSERT_EQ(0, number_parse_u64("08", &v));	/* not an octal digit: still fine */
	EXPECT_EQ(8, v);
	ASSERT_EQ(0, number_parse_u64("0009", &v));
	EXPECT_EQ(9, v);
	ASSERT_EQ(0, number_parse_u64("0x010", &v));
	EXPECT_EQ(16, v);
}

TEST(overflow_is_erange)
{
	uint64_t v = 7;

	EXPECT_EQ(-ERANGE, number_parse_u64("18446744073709551616", &v));
	EXPECT_EQ(-ERANGE, number_parse_u64("99999999999999999999", &v));
	EXPECT_EQ(-ERANGE, number_parse_u64("0x10000000000000000", &v));
	EXPECT_EQ(7, v);	/* untouched on failure */
}

TEST(empty_junk_and_signs_are_einval)
{
	static const char *const bad[] = {
		"", "0x", "0X", "x10", "12a", "1 ", " 1", "1.5", "-1", "+1", "1e3",
		"0o17", "0b101", "0x1g", "1+2", "ten",
	};
	uint64_t v = 7;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-EINVAL, number_parse_u64(bad[i], &v)) TH_LOG("'%s' taken", bad[i]);
	}
	EXPECT_EQ(7, v);
}

TEST(scan_stops_at_a_delimiter)
{
	const char *s = "010+0x8", *end = NULL;
	uint64_t v;

	ASSERT_EQ(0, number_scan_u64(s, &v, &end));
	EXPECT_EQ(10, v);
	EXPECT_EQ(s + 3, end);
	ASSERT_EQ(0, number_scan_u64(end + 1, &v, &end));
	EXPECT_EQ(8, v);
	EXPECT_EQ('\0', *end);
	ASSERT_EQ(0, number_scan_u64("0x1f:rest", &v, &end));
	EXPECT_EQ(0x1f, v);
	EXPECT_STREQ(":rest", end);
	/* a hex letter after decimal digits is junk, not where it stops */
	EXPECT_EQ(-EINVAL, number_scan_u64("12a+1", &v, &end));
	EXPECT_EQ(-EINVAL, number_scan_u64("+1", &v, &end));
	EXPECT_EQ(-ERANGE, number_scan_u64("99999999999999999999+1", &v, &end));
}

/* --timeout: atoi() read "10x" as 10 and "abc" as 0 (the default). */
TEST(timeout_is_checked_seconds)
{
	int s = -1;

	ASSERT_EQ(0, number_parse_timeout("240", &s));
	EXPECT_EQ(240, s);
	ASSERT_EQ(0, number_parse_timeout("0x10", &s));
	EXPECT_EQ(16, s);
	ASSERT_EQ(0, number_parse_timeout("604800", &s));
	EXPECT_EQ(TIMEOUT_MAX_S, s);
	s = -1;
	EXPECT_EQ(-EINVAL, number_parse_timeout("abc", &s));
	EXPECT_EQ(-EINVAL, number_parse_timeout("10x", &s));
	EXPECT_EQ(-EINVAL, number_parse_timeout("-5", &s));
	EXPECT_EQ(-EINVAL, number_parse_timeout("", &s));
	EXPECT_EQ(-ERANGE, number_parse_timeout("0", &s));
	EXPECT_EQ(-ERANGE, number_parse_timeout("604801", &s));
	EXPECT_EQ(-ERANGE, number_parse_timeout("99999999999999999999", &s));
	EXPECT_EQ(-1, s);	/* untouched on failure */
}

/* The fewest digits that read back as the same double: no digit json-c's %.17g invents. */
TEST(shortest_reads_back_the_same)
{
	static const struct { double d; const char *text; } cases[] = {
		{ 132.114857845, "132.114857845" }, { 0.1, "0.1" }, { 0, "0" },
		{ 1e-05, "1e-05" }, { 232.419591257, "232.419591257" }, { 1.0 / 3, "0.3333333333333333" },
	};
	char buf[32];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		number_shortest(buf, sizeof(buf), cases[i].d);
		EXPECT_STREQ(cases[i].text, buf);
	}
}

TEST_HARNESS_MAIN
