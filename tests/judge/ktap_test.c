// SPDX-License-Identifier: GPL-2.0-only
/* ktap: real suite output recorded in the virtual lab, whole and cut. */
#include <string.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "judge/ktap.h"

#define FIX "tests/fixtures/ktap/"

static size_t count(const struct ktap *k, const char *outcome)
{
	size_t n = 0;

	for (size_t i = 0; i < k->n; i++)
		n += !strcmp(k->v[i].outcome, outcome);
	return n;
}

TEST(attach_suite_on_vtd_nosc)
{
	char *text = read_file(FIX "attach-vtd-nosc.ktap", NULL);
	struct ktap k;
	json_object *ev, *enforced;

	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, ktap_parse(text, &k));
	EXPECT_EQ(11, k.planned);
	ASSERT_EQ(11, k.n);
	EXPECT_EQ(11, count(&k, "pass"));
	EXPECT_STREQ("global.type1_cc_reads_zero_before_set_iommu", k.v[0].name);
	/* The evidence printed during a test belongs to that test. */
	EXPECT_EQ(0, json_object_array_length(k.v[1].evidence));
	ASSERT_EQ(1, json_object_array_length(k.v[2].evidence));
	EXPECT_STREQ("path.type1.enforcement_matches_the_unit", k.v[2].name);
	ev = json_object_array_get_idx(k.v[2].evidence, 0);
	ASSERT_TRUE(json_object_object_get_ex(ev, "enforced", &enforced));
	EXPECT_FALSE(json_object_get_boolean(enforced));
	ktap_free(&k);
	free(text);
}

TEST(a_cut_log_turns_missing_results_into_errors)
{
	char *text = read_file(FIX "attach-truncated.ktap", NULL);
	struct ktap k;

	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, ktap_parse(text, &k));
	EXPECT_EQ(11, k.n);
	EXPECT_LT(0, count(&k, "error"));
	EXPECT_STREQ("no result line (crashed or timed out?)", k.v[k.n - 1].reason);
	ktap_free(&k);
	free(text);
}

TEST(directives)
{
	struct ktap k;

	ASSERT_EQ(0, ktap_parse("TAP version 13\n1..3\n"
				"ok 1 a.b # SKIP no IOMMU serves 0000:00:06.0\n"
				"not ok 2 a.c\n"
				"ok 3 a.d # XFAIL known\n", &k));
	ASSERT_EQ(3, k.n);
	EXPECT_STREQ("skip", k.v[0].outcome);
	EXPECT_STREQ("no IOMMU serves 0000:00:06.0", k.v[0].reason);
	EXPECT_STREQ("a.b", k.v[0].name);
	EXPECT_STREQ("fail", k.v[1].outcome);
	EXPECT_STREQ("xfail", k.v[2].outcome);
	ktap_free(&k);
}

TEST_HARNESS_MAIN
