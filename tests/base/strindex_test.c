// SPDX-License-Identifier: GPL-2.0-only
/*
 * The sorted index runner compare looks documents up by: the first match
 * is the one a scan in order finds first, NULL is a key of its own, and a
 * key nobody has is not found.
 */
#include <stdlib.h>

#include <kselftest_harness.h>

#include "base/strindex.h"

static const char *const keys[] = { "b", NULL, "a", "b", "c", NULL, "a", "b" };

static const char *key_at(void *ctx, size_t i)
{
	return ((const char *const *)ctx)[i];
}

/* What a scan in order gives: the first position with key, or n. */
static size_t scan(const char *key, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!str_index_cmp(keys[i], key))
			return i;
	return n;
}

TEST(first_match_is_the_first_in_order)
{
	static const char *const probes[] = { "a", "b", "c", NULL, "d", "" };
	size_t n = sizeof(keys) / sizeof(keys[0]);
	struct str_index x;

	ASSERT_EQ(0, str_index_build(&x, n, key_at, (void *)keys));
	for (size_t p = 0; p < sizeof(probes) / sizeof(probes[0]); p++) {
		size_t e = str_index_find(&x, probes[p]);

		EXPECT_EQ(scan(probes[p], n), e < x.n ? x.v[e].at : n) TH_LOG("probe %s",
									       probes[p] ? probes[p] : "NULL");
	}
	/* Every entry of a key follows its first, in position order. */
	for (size_t e = 1; e < x.n; e++)
		if (!str_index_cmp(x.v[e - 1].key, x.v[e].key))
			EXPECT_LT(x.v[e - 1].at, x.v[e].at);
	str_index_free(&x);
}

TEST(empty_index_finds_nothing)
{
	struct str_index x;

	ASSERT_EQ(0, str_index_build(&x, 0, key_at, (void *)keys));
	EXPECT_EQ(0, (int)str_index_find(&x, "a"));
	EXPECT_EQ(0, (int)str_index_find(&x, NULL));
	str_index_free(&x);
}

TEST_HARNESS_MAIN
