// SPDX-License-Identifier: GPL-2.0-only
/*
 * docsum: the digest of a recorded lab run (tests/fixtures/report/) does
 * not move with what every rerun changes (its run, kernel log, durations)
 * and moves with anything compare reads (an outcome, a verdict, a
 * register); the view keeps every test that did not pass and every
 * verdict, whole, and no pass; it checks against the views' schema, which
 * refuses what a view does not keep; the head keeps the run whole and the
 * platform's id and units' registers, and checks against the heads'
 * schema; the kernel log is counted, not kept; a summary's text reads
 * back, and a text of any other shape is refused; a view is one line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kselftest_harness.h>

#include <json.h>

#include "base/jschema.h"
#include "base/jsonfile.h"
#include "judge/docsum.h"
#include "judge/results.h"

#define RUN "tests/fixtures/report/lab-6.1/vtd-sc/results.json"

static json_object *load(void)
{
	return json_object_from_file(RUN);
}

static void digest_of(json_object *doc, char hex[SHA256_HEX_LEN])
{
	if (docsum_digest(doc, hex))
		abort();
}

/* The first test of doc whose outcome is outcome, or NULL. */
static json_object *first(json_object *doc, const char *outcome)
{
	json_object *ts = jmember(doc, "tests");

	for (size_t i = 0; i < jarray_len(ts); i++)
		if (!strcmp(jmember_str(jarray_at(ts, i), "outcome"), outcome))
			return jarray_at(ts, i);
	return NULL;
}

static size_t count(json_object *tests, const char *outcome, bool other)
{
	size_t n = 0;

	for (size_t i = 0; i < jarray_len(tests); i++)
		n += !strcmp(jmember_str(jarray_at(tests, i), "outcome"), outcome) != other;
	return n;
}

TEST(a_rerun_keeps_the_digest_a_change_moves_it)
{
	json_object *doc = load(), *t;
	char was[SHA256_HEX_LEN], now[SHA256_HEX_LEN];

	ASSERT_NE(NULL, doc);
	digest_of(doc, was);
	json_object_object_add(jmember(doc, "run"), "id",
			       json_object_new_string("other-20261204T000000Z"));
	json_object_object_add(doc, "kernel_log", json_object_new_string("other lines"));
	t = first(doc, "pass");
	ASSERT_NE(NULL, t);
	json_object_object_add(t, "duration_s", json_object_new_double(99.5));
	digest_of(doc, now);
	EXPECT_STREQ(was, now);

	json_object_object_add(t, "outcome", json_object_new_string("fail"));
	digest_of(doc, now);
	EXPECT_STRNE(was, now);
	json_object_object_add(t, "outcome", json_object_new_string("pass"));
	digest_of(doc, now);
	EXPECT_STREQ(was, now);

	json_object_object_add(jarray_at(jmember(doc, "verdicts"), 0), "label",
			       json_object_new_string("cc-misreported"));
	digest_of(doc, now);
	EXPECT_STRNE(was, now);
	json_object_put(doc);
}

TEST(the_view_keeps_what_did_not_pass_and_checks)
{
	json_object *doc = load(), *view, *schema, *head_schema, *head;
	FILE *quiet = fopen("/dev/null", "w");
	char hex[SHA256_HEX_LEN];
	struct docsum sum;
	size_t len;
	char *text;

	ASSERT_NE(NULL, doc);
	/* The fixture has passes and skips (the iommufd paths on 6.1). */
	ASSERT_LT(0, count(jmember(doc, "tests"), "pass", false));
	ASSERT_LT(0, count(jmember(doc, "tests"), "pass", true));
	head = docsum_head(doc, false);
	text = docsum_text(doc, false, head, hex, &len);
	json_object_put(head);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, docsum_parse(text, len, &sum));
	EXPECT_FALSE(sum.list);
	EXPECT_STREQ(hex, sum.digest);

	/* The head: the run whole, the platform's id, kernel and units' registers; the log's count. */
	EXPECT_STREQ(json_object_to_json_string(jmember(doc, "run")),
		     json_object_to_json_string(jmember(sum.head, "run")));
	EXPECT_STREQ(jmember_str(jmember(doc, "platform"), "platform_id"),
		     jmember_str(jmember(sum.head, "platform"), "platform_id"));
	EXPECT_STREQ(jmember_str(jarray_at(jmember(jmember(doc, "platform"), "iommu_units"), 0), "cap"),
		     jmember_str(jarray_at(jmember(jmember(sum.head, "platform"), "iommu_units"), 0), "cap"));
	EXPECT_LT(0, jarray_len(jmember(doc, "kernel_log")));
	EXPECT_EQ(jarray_len(jmember(doc, "kernel_log")), sum.kernel_log_lines);
	EXPECT_EQ(NULL, jmember(sum.head, "kernel_log"));
	head_schema = docsum_head_schema(results_schema());
	ASSERT_NE(NULL, head_schema);
	EXPECT_EQ(0, jschema_validate(head_schema, sum.head, "head", stderr));
	json_object_object_add(sum.head, "devices", json_object_new_array());
	EXPECT_LT(0, jschema_validate(head_schema, sum.head, "head", quiet));
	json_object_put(head_schema);

	free(text);
	text = docsum_view_text(doc, false, &len);
	ASSERT_NE(NULL, text);
	EXPECT_EQ(NULL, memchr(text, '\n', len));
	view = docsum_view(text, len);
	ASSERT_NE(NULL, view);
	EXPECT_EQ(0, count(jmember(view, "tests"), "pass", false));
	EXPECT_EQ(count(jmember(doc, "tests"), "pass", true),
		  count(jmember(view, "tests"), "pass", true));
	EXPECT_EQ(jarray_len(jmember(doc, "verdicts")), jarray_len(jmember(view, "verdicts")));
	EXPECT_STREQ(json_object_to_json_string(jmember(doc, "verdicts")),
		     json_object_to_json_string(jmember(view, "verdicts")));
	EXPECT_EQ(NULL, jmember(view, "kernel_log"));
	EXPECT_EQ(NULL, jmember(view, "devices"));

	schema = docsum_view_schema(results_schema());
	ASSERT_NE(NULL, schema);
	EXPECT_EQ(0, jschema_validate(schema, view, "view", stderr));
	/* What a view does not keep is refused: a record made by hand, not by docsum. */
	json_object_object_add(view, "kernel_log", json_object_new_array());
	EXPECT_LT(0, jschema_validate(schema, view, "view", quiet));
	json_object_object_del(view, "kernel_log");
	json_object_object_add(jarray_at(jmember(view, "verdicts"), 0), "label",
			       json_object_new_string("no-such-label"));
	EXPECT_LT(0, jschema_validate(schema, view, "view", quiet));

	fclose(quiet);
	json_object_put(schema);
	json_object_put(view);
	json_object_put(sum.head);
	free(text);
	json_object_put(doc);
}

TEST(a_text_of_another_shape_is_refused)
{
	static const char digest[] = "ed1cd2f3686916c74c7f071fd36adb612b217d4aa1b6b7bc23d0b0c2ab0e3c7a";
	static const char *const bad[] = {
		"",
		"results\n",
		"summary %s 0\n{}\n{}\n",		/* no such kind */
		"results %.63s 0\n{}\n{}\n",		/* short digest */
		"results %s\n{}\n{}\n",			/* no line count */
		"results %s 01\n{}\n{}\n",		/* a leading zero */
		"results %s 1x\n{}\n{}\n",		/* not a number */
		"results %s 1234567890\n{}\n{}\n",	/* too many digits */
		"results %s 0\n{}",			/* head line not ended */
		"results %s 0\n{}\n{}\n",		/* a line more */
		"results %s 0\n[]\n",			/* head not an object */
	};
	char text[256];
	struct docsum sum;

	snprintf(text, sizeof(text), "list %s 0\n{\"platform\": {}}\n", digest);
	ASSERT_EQ(0, docsum_parse(text, strlen(text), &sum));
	EXPECT_TRUE(sum.list);
	json_object_put(sum.head);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), bad[i], digest);
		EXPECT_EQ(-1, docsum_parse(text, strlen(text), &sum)) TH_LOG("taken: %s", text);
		EXPECT_EQ(NULL, sum.head);
	}
}

TEST_HARNESS_MAIN
