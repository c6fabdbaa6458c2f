// SPDX-License-Identifier: GPL-2.0-only
/*
 * ktap: real suite output recorded in the virtual lab, whole and cut; and
 * streams as runner run feeds them, both of a suite's outputs, timed.
 */
#include <math.h>
#include <stdio.h>
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

/* Lines of (stream, time, text), as runner run hands them over. */
struct fed {
	int stream;
	double t;
	const char *text;
};

static int feed(struct ktap *k, const char *log, const struct fed *f, size_t n)
{
	ktap_init(k, log);
	for (size_t i = 0; i < n; i++) {
		int ret = ktap_line(k, f[i].stream, f[i].text, strlen(f[i].text), f[i].t);

		if (ret)
			return ret;
	}
	return ktap_end(k, NULL);
}

/* The harness's failure messages (stderr, between RUN and FAIL) are the reason. */
TEST(a_failure_message_becomes_the_reason)
{
	static const struct fed f[] = {
		{ 1, 10.0, "TAP version 13\n" }, { 1, 10.0, "1..2\n" },
		{ 1, 10.0, "# Starting 2 tests from 1 test cases.\n" },
		{ 1, 10.0, "#  RUN           path.type1.enforcement_matches_the_unit ...\n" },
		{ 1, 10.5, "# evidence: {\"path\":\"type1\",\"enforced\":false}\n" },
		{ 2, 10.6, "# attach.c:93:enforcement_matches_the_unit:Expected can (1) == enforced (0)\n" },
		{ 2, 10.6, "# enforcement_matches_the_unit: Test terminated by assertion\n" },
		{ 1, 10.75, "#          FAIL  path.type1.enforcement_matches_the_unit\n" },
		{ 1, 10.75, "not ok 1 path.type1.enforcement_matches_the_unit\n" },
		{ 1, 10.75, "#  RUN           path.type1.map_and_unmap_a_buffer ...\n" },
		{ 2, 10.8, "# a note a passing test printed\n" },
		{ 1, 11.0, "#            OK  path.type1.map_and_unmap_a_buffer\n" },
		{ 1, 11.0, "ok 2 path.type1.map_and_unmap_a_buffer\n" },
	};
	struct ktap k;

	ASSERT_EQ(0, feed(&k, "attach@0000:00:04.0", f, sizeof(f) / sizeof(f[0])));
	ASSERT_EQ(2, k.n);
	EXPECT_STREQ("fail", k.v[0].outcome);
	EXPECT_STREQ("attach.c:93:enforcement_matches_the_unit:Expected can (1) == enforced (0)\n"
		     "enforcement_matches_the_unit: Test terminated by assertion", k.v[0].reason);
	EXPECT_EQ(1, json_object_array_length(k.v[0].evidence));
	EXPECT_EQ(7, k.v[0].line);	/* its line in stdout alone */
	/* Timed from its RUN line to its FAIL line. */
	EXPECT_GT(1e-9, fabs(0.75 - k.v[0].duration_s));
	EXPECT_STREQ("pass", k.v[1].outcome);
	EXPECT_EQ(NULL, k.v[1].reason);
	EXPECT_GT(1e-9, fabs(0.25 - k.v[1].duration_s));
	ktap_free(&k);
}

/* A recorded log has no times: the duration is unknown, never 0. */
TEST(an_untimed_log_has_no_durations)
{
	char *text = read_file(FIX "attach-vtd-nosc.ktap", NULL);
	struct ktap k;

	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, ktap_parse(text, &k));
	for (size_t i = 0; i < k.n; i++) {
		EXPECT_TRUE(isnan(k.v[i].duration_s)) TH_LOG("%s", k.v[i].name);
	}
	ktap_free(&k);
	free(text);
}

/* Reasons were cut at 255 bytes. */
TEST(a_long_reason_is_kept_whole)
{
	char line[2200], msg[2000];
	struct fed f[5] = {
		{ 1, NAN, "1..2\n" }, { 1, NAN, line },
		{ 1, NAN, "#  RUN           global.b ...\n" }, { 2, NAN, msg },
		{ 1, NAN, "not ok 2 global.b\n" },
	};
	struct ktap k;

	memset(msg, 'm', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	snprintf(line, sizeof(line), "ok 1 global.a # SKIP %.1500s\n", msg);
	ASSERT_EQ(0, feed(&k, NULL, f, 5));
	ASSERT_EQ(2, k.n);
	EXPECT_STREQ("skip", k.v[0].outcome);
	EXPECT_EQ(1500, strlen(k.v[0].reason));
	EXPECT_STREQ(msg, k.v[1].reason);
	ktap_free(&k);
}

/* Past KTAP_REASON_MAX the reason says how much more and where it is. */
TEST(a_flood_of_messages_is_cut_with_a_pointer_to_the_log)
{
	static char msg[1025];
	struct ktap k;

	memset(msg, 'x', sizeof(msg) - 1);
	ktap_init(&k, "dma@0000:00:04.0");
	ASSERT_EQ(0, ktap_line(&k, 1, "1..1", 4, NAN));
	ASSERT_EQ(0, ktap_line(&k, 1, "#  RUN           global.a ...", 29, NAN));
	for (int i = 0; i < 100; i++)
		ASSERT_EQ(0, ktap_line(&k, 2, msg, 1024, NAN));
	ASSERT_EQ(0, ktap_line(&k, 1, "not ok 1 global.a", 17, NAN));
	ASSERT_EQ(0, ktap_end(&k, NULL));
	ASSERT_EQ(1, k.n);
	EXPECT_GT(KTAP_REASON_MAX + 200, strlen(k.v[0].reason));
	EXPECT_NE(NULL, strstr(k.v[0].reason, "... (cut: "));
	EXPECT_NE(NULL, strstr(k.v[0].reason, " bytes more; all of it is in dma@0000:00:04.0.err)"));
	ktap_free(&k);
}

/* An evidence line of 5 KiB (the old limit was 4 KiB) is kept intact. */
TEST(a_5k_evidence_line_is_kept)
{
	char *log = malloc(8192), pad[5121];
	json_object *ev, *v;
	struct ktap k;

	ASSERT_NE(NULL, log);
	memset(pad, 'p', sizeof(pad) - 1);
	pad[sizeof(pad) - 1] = '\0';
	snprintf(log, 8192, "1..1\n# evidence: {\"path\":\"type1\",\"pad\":\"%s\"}\nok 1 a.b\n", pad);
	ASSERT_EQ(0, ktap_parse(log, &k));
	ASSERT_EQ(1, k.n);
	EXPECT_STREQ("pass", k.v[0].outcome);
	ASSERT_EQ(1, json_object_array_length(k.v[0].evidence));
	ev = json_object_array_get_idx(k.v[0].evidence, 0);
	ASSERT_TRUE(json_object_object_get_ex(ev, "pad", &v));
	EXPECT_EQ(5120, strlen(json_object_get_string(v)));
	ktap_free(&k);
	free(log);
}

FIXTURE(bad_evidence) {
	struct ktap k;
};
FIXTURE_VARIANT(bad_evidence) {
	const char *json;	/* NULL: one over KTAP_EVIDENCE_MAX */
	const char *reason_has;
};
FIXTURE_VARIANT_ADD(bad_evidence, not_json) {
	.json = "{\"path\":\"type1\",\"enforced\":tru}", .reason_has = "is not a JSON object (",
};
FIXTURE_VARIANT_ADD(bad_evidence, cut_short) {
	.json = "{\"path\":\"type1\",\"enf", .reason_has = "(it ends before the JSON does)",
};
FIXTURE_VARIANT_ADD(bad_evidence, not_an_object) {
	.json = "[1, 2]", .reason_has = "(it is JSON but not an object)",
};
FIXTURE_VARIANT_ADD(bad_evidence, junk_after_it) {
	.json = "{\"enforced\":true} {\"enforced\":false}",
	.reason_has = "(there is more after the JSON object)",
};
FIXTURE_VARIANT_ADD(bad_evidence, too_long) {
	.json = NULL, .reason_has = "bytes, over the 65536-byte limit: not kept",
};
FIXTURE_SETUP(bad_evidence)
{
	size_t len = variant->json ? strlen(variant->json) : KTAP_EVIDENCE_MAX + 100;
	char *log = malloc(len + 200);

	ASSERT_NE(NULL, log);
	if (variant->json) {
		sprintf(log, "1..2\n# evidence: %s\nok 1 a.good_one_after\n", variant->json);
	} else {
		char *p = log + sprintf(log, "1..2\n# evidence: {\"pad\":\"");

		memset(p, 'p', len);
		sprintf(p + len, "\"}\nok 1 a.good_one_after\n");
	}
	/* The test that printed it passed; the next one is not touched. */
	strcat(log, "# evidence: {\"enforced\":true}\nok 2 a.next\n");
	ASSERT_EQ(0, ktap_parse(log, &self->k));
	free(log);
}
FIXTURE_TEARDOWN(bad_evidence)
{
	ktap_free(&self->k);
}

/* Such a line vanished, and its test still passed. */
TEST_F(bad_evidence, turns_its_test_into_an_error_that_says_why)
{
	ASSERT_EQ(2, self->k.n);
	EXPECT_STREQ("error", self->k.v[0].outcome);
	ASSERT_NE(NULL, self->k.v[0].reason);
	EXPECT_NE(NULL, strstr(self->k.v[0].reason, "evidence line 2 of the suite's output "))
		TH_LOG("%s", self->k.v[0].reason);
	EXPECT_NE(NULL, strstr(self->k.v[0].reason, variant->reason_has))
		TH_LOG("%s", self->k.v[0].reason);
	EXPECT_EQ(0, json_object_array_length(self->k.v[0].evidence));
	EXPECT_STREQ("pass", self->k.v[1].outcome);
	EXPECT_EQ(1, json_object_array_length(self->k.v[1].evidence));
}

/*
 * A suite killed in the middle of a test: that test keeps its name, what
 * it printed and its evidence; the reason says how the suite ended.
 */
TEST(the_test_running_when_the_output_ended_keeps_its_name_and_evidence)
{
	char *text = read_file(FIX "attach-truncated.ktap", NULL);
	struct ktap k;
	int i;

	ASSERT_NE(NULL, text);
	ktap_init(&k, "attach@0000:00:06.0");
	for (char *l = text, *e; l && *l; l = e ? e + 1 : NULL) {
		e = strchr(l, '\n');
		ASSERT_EQ(0, ktap_line(&k, 1, l, e ? (size_t)(e - l) : strlen(l), NAN));
	}
	ASSERT_EQ(0, ktap_end(&k, "stopped at its 600 s deadline"));
	free(text);
	ASSERT_EQ(11, k.n);
	EXPECT_EQ(6, k.reported);
	i = 6;
	EXPECT_STREQ("path.iommufd_compat.enforcement_matches_the_unit", k.v[i].name);
	EXPECT_STREQ("error", k.v[i].outcome);
	EXPECT_STREQ("no result line (stopped at its 600 s deadline); it was running when the "
		     "output ended", k.v[i].reason);
	EXPECT_EQ(1, json_object_array_length(k.v[i].evidence));
	EXPECT_EQ(0, k.v[i].line);
	EXPECT_STREQ("planned test 8", k.v[7].name);
	EXPECT_STREQ("no result line (stopped at its 600 s deadline)", k.v[7].reason);
	ktap_free(&k);
}

TEST(evidence_after_the_last_result_is_not_dropped)
{
	struct ktap k;

	ASSERT_EQ(0, ktap_parse("1..1\nok 1 a.b\n# evidence: {\"enforced\":false}\n", &k));
	ASSERT_EQ(2, k.n);
	EXPECT_STREQ("error", k.v[1].outcome);
	EXPECT_STREQ("(evidence after the last result line)", k.v[1].name);
	EXPECT_EQ(1, json_object_array_length(k.v[1].evidence));
	ktap_free(&k);
}

TEST(counts)
{
	struct ktap_counts c;
	struct ktap k;

	ASSERT_EQ(0, ktap_parse("1..5\nok 1 a\nnot ok 2 b\nok 3 c # SKIP why\n"
				"ok 4 d # XFAIL known\n", &k));
	ktap_count(&k, &c);
	EXPECT_EQ(1, c.pass);
	EXPECT_EQ(1, c.fail);
	EXPECT_EQ(1, c.skip);
	EXPECT_EQ(1, c.xfail);
	EXPECT_EQ(1, c.error);
	ktap_free(&k);
}

/*
 * A plan no suite has is a garbled log, one error, not millions of
 * missing results to fill in (tests/fuzz/ktap_fuzz.c: "1..100000000"
 * kept the judge busy for minutes; atoi wrapped past INT_MAX).
 */
TEST(an_impossible_plan_is_one_error)
{
	struct ktap k;

	ASSERT_EQ(0, ktap_parse("1..100000000\nok 1 a\n", &k));
	ASSERT_EQ(2, k.n);
	EXPECT_EQ(-1, k.planned);
	EXPECT_STREQ("plan", k.v[0].name);
	EXPECT_STREQ("error", k.v[0].outcome);
	EXPECT_NE(NULL, strstr(k.v[0].reason, "100000000 tests")) TH_LOG("%s", k.v[0].reason);
	EXPECT_STREQ("pass", k.v[1].outcome);
	ktap_free(&k);
	ASSERT_EQ(0, ktap_parse("1..99999999999999999999\n", &k));
	ASSERT_EQ(1, k.n);
	EXPECT_STREQ("error", k.v[0].outcome);
	ktap_free(&k);
	/* The largest plan believed is still filled in. */
	ASSERT_EQ(0, ktap_parse("1..4096\n", &k));
	EXPECT_EQ(4096, k.planned);
	EXPECT_EQ(4096, k.n);
	ktap_free(&k);
}

TEST_HARNESS_MAIN
