// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner compare as maintainers and make check-vm run it (the sanitized
 * build, so a leak or an abort fails the test): exit 0 for an identical
 * rerun, 1 with the change marked for a regression (text and --json), 2
 * with the place for a bad document; runner list --json output of every
 * fixture platform compares (it aborted with SIGABRT); the gate passes
 * amdvi's known failures as expected-fail with their reason and URL and
 * fails without the expectations.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include <json.h>

#include "clirun.h"

#define FIX "tests/fixtures/results/"

FIXTURE(cmp) {
	char dir[64];
	char regressed[PATH_MAX];
};

/* A scratch folder holding vtd-sc's run with one verdict and one test regressed. */
FIXTURE_SETUP(cmp)
{
	json_object *doc = json_object_from_file(FIX "lab-vtd-sc.json"), *ts, *vs;

	snprintf(self->dir, sizeof(self->dir), "/tmp/snoop-cli-compare-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_NE(NULL, doc);
	vs = json_object_object_get(doc, "verdicts");
	json_object_object_add(json_object_array_get_idx(vs, 2), "label",
			       json_object_new_string("cc-misreported"));
	ts = json_object_object_get(doc, "tests");
	for (size_t i = 0; i < json_object_array_length(ts); i++) {
		json_object *t = json_object_array_get_idx(ts, i);

		if (!strcmp(json_object_get_string(json_object_object_get(t, "name")),
			    "path.type1.enforcement_matches_the_unit") &&
		    !strcmp(json_object_get_string(json_object_object_get(t, "device")), "0000:00:04.0"))
			json_object_object_add(t, "outcome", json_object_new_string("fail"));
	}
	snprintf(self->regressed, sizeof(self->regressed), "%s/lab-vtd-sc.json", self->dir);
	ASSERT_EQ(0, json_object_to_file(self->regressed, doc));
	json_object_put(doc);
}

FIXTURE_TEARDOWN(cmp)
{
	char cmd[PATH_MAX];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

TEST_F(cmp, an_identical_rerun_exits_0)
{
	EXPECT_EQ(0, run(RUNNER " compare " FIX "lab-vtd-sc.json " FIX "lab-vtd-sc.json")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "no changes"));
	EXPECT_NE(NULL, strstr(out, "compare: 0 regressions"));
	EXPECT_EQ(0, run(RUNNER " compare --json " FIX "lab-amdvi.json " FIX "lab-amdvi.json")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"regressed\": false"));
}

TEST_F(cmp, an_injected_regression_exits_1_marked)
{
	char cmd[PATH_MAX * 2];

	snprintf(cmd, sizeof(cmd), RUNNER " compare " FIX "lab-vtd-sc.json %s", self->regressed);
	EXPECT_EQ(1, run(cmd)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "REGRESSION  0000:00:06.0  verdict: blocked-by-iommu -> cc-misreported"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "REGRESSION  0000:00:04.0  test attach path.type1.enforcement_matches_the_unit: pass -> fail"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "compare: 2 regressions"));
	/* The two files share a name: the headings still tell them apart. */
	EXPECT_NE(NULL, strstr(out, "OLD: results/lab-vtd-sc.json")) TH_LOG("%s", out);

	snprintf(cmd, sizeof(cmd), RUNNER " compare --json " FIX "lab-vtd-sc.json %s", self->regressed);
	EXPECT_EQ(1, run(cmd)) TH_LOG("%s", out);
	{
		json_object *doc = json_tokener_parse(out), *chs, *ch;

		ASSERT_NE(NULL, doc) TH_LOG("%s", out);
		EXPECT_TRUE(json_object_get_boolean(json_object_object_get(doc, "regressed")));
		chs = json_object_object_get(json_object_array_get_idx(json_object_object_get(doc, "pairs"), 0),
					     "changes");
		ASSERT_EQ(2, (int)json_object_array_length(chs));
		ch = json_object_array_get_idx(chs, 0);
		EXPECT_STREQ("regression", json_object_get_string(json_object_object_get(ch, "mark")));
		EXPECT_STREQ("verdict", json_object_get_string(json_object_object_get(ch, "what")));
		EXPECT_STREQ("cc-misreported", json_object_get_string(json_object_object_get(ch, "new")));
		json_object_put(doc);
	}
}

/* Before: SIGABRT (exit 134) on the first list document, json-c's assertion. */
TEST_F(cmp, list_documents_of_every_fixture_platform_compare)
{
	DIR *d = opendir("tests/fixtures/platforms");
	char cmd[PATH_MAX * 5], all[PATH_MAX * 4] = "";
	struct dirent *e;
	int n = 0;

	ASSERT_NE(NULL, d);
	while ((e = readdir(d))) {
		char doc[PATH_MAX];

		if (e->d_name[0] == '.' || !strchr(e->d_name, '-'))
			continue;
		snprintf(doc, sizeof(doc), "%s/%s.json", self->dir, e->d_name);
		snprintf(cmd, sizeof(cmd), RUNNER " list --json --from tests/fixtures/platforms/%s > %s",
			 e->d_name, doc);
		ASSERT_EQ(0, run(cmd)) TH_LOG("%s", out);
		snprintf(cmd, sizeof(cmd), RUNNER " compare %s %s", doc, doc);
		EXPECT_EQ(0, run(cmd)) TH_LOG("%s: %s", e->d_name, out);
		EXPECT_NE(NULL, strstr(out, "no changes"));
		if (strlen(all) + strlen(doc) + 2 < sizeof(all)) {
			strcat(all, " ");
			strcat(all, doc);
		}
		n++;
	}
	closedir(d);
	EXPECT_EQ(8, n);
	snprintf(cmd, sizeof(cmd), RUNNER " compare%s " FIX "lab-amdvi.json", all);
	EXPECT_EQ(0, run(cmd)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "amd-raven-ideacentre510a-amdvi.json"));
	/* A list document against a results file: platforms only. */
	snprintf(cmd, sizeof(cmd), RUNNER " compare %s/devbox-noiommu.json " FIX "lab-amdvi.json", self->dir);
	EXPECT_EQ(0, run(cmd)) TH_LOG("%s", out);
	/* A directory of them against itself. */
	snprintf(cmd, sizeof(cmd), RUNNER " compare %s %s", self->dir, self->dir);
	EXPECT_EQ(0, run(cmd)) TH_LOG("%s", out);
}

TEST_F(cmp, the_gate_expects_amdvis_known_failures)
{
	EXPECT_EQ(0, run(RUNNER " compare --expect results/expectations " FIX "lab-amdvi.json "
			 FIX "lab-vtd-sc.json")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "expected-fail: lab-amdvi.json: dma dma.type1.unmapped_source_is_blocked @0000:00:06.0: fail (QEMU 7.2's amd-iommu blocks a DMA to an unmapped IOVA but delivers no IO_PAGE_FAULT event, https://"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "gate: 0 unexpected, 20 expected failures, 0 stale"));
	/* And the table says so. */
	EXPECT_NE(NULL, strstr(out, "5 pass, 10 expected-fail")) TH_LOG("%s", out);

	EXPECT_EQ(1, run(RUNNER " compare --expect tests/fixtures/bad/empty-dir " FIX "lab-amdvi.json"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "UNEXPECTED: lab-amdvi.json: dma dma.type1.unmapped_source_is_blocked @0000:00:06.0: fail"));
	EXPECT_NE(NULL, strstr(out, "gate: 20 unexpected"));

	EXPECT_EQ(0, run(RUNNER " compare --json --expect results/expectations " FIX "lab-amdvi.json"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"passed\": true"));
}

FIXTURE(bad) {};
FIXTURE_SETUP(bad) {}
FIXTURE_TEARDOWN(bad) {}
FIXTURE_VARIANT(bad) {
	const char *args;
	const char *has;
};
FIXTURE_VARIANT_ADD(bad, syntax) {
	.args = FIX "lab-vtd-sc.json " FIX "truncated.json",
	.has = FIX "truncated.json:107:26: expected JSON: unexpected end of file (truncated?)",
};
FIXTURE_VARIANT_ADD(bad, shape) {
	.args = FIX "wrong.json " FIX "lab-vtd-sc.json",
	.has = FIX "wrong.json: $.tests[0].outcome: expected one of",
};
FIXTURE_VARIANT_ADD(bad, not_a_document) {
	.args = FIX "garbage.json", .has = FIX "garbage.json:1:2: expected JSON",
};
FIXTURE_VARIANT_ADD(bad, expectations) {
	.args = "--expect tests/fixtures/expect/bad " FIX "lab-amdvi.json",
	.has = "tests/fixtures/expect/bad/bad-pci.conf:2: expected VVVV:DDDD or VVVV",
};
FIXTURE_VARIANT_ADD(bad, json_with_a_table) {
	.args = "--json " FIX "valid.json " FIX "valid.json " FIX "valid.json",
	.has = "--json needs OLD NEW or --expect DIR",
};
FIXTURE_VARIANT_ADD(bad, nothing) {
	.args = "", .has = "usage: runner compare",
};

TEST_F(bad, exits_2_naming_the_place)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), RUNNER " compare %s", variant->args);
	EXPECT_EQ(2, run(cmd)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, variant->has)) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
