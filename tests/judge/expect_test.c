// SPDX-License-Identifier: GPL-2.0-only
/*
 * Expectations and the gate: the lab's own results/expectations cover the
 * amdvi platform's known failures in a recorded run
 * (tests/fixtures/results/lab-amdvi.json) and nothing on vtd-sc; the same
 * failures with no expectation are unexpected; an expectation whose failure
 * went away is stale; and a bad expectation file is refused with file:line
 * and what was expected.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/jsonfile.h"
#include "judge/expect.h"
#include "judge/gate.h"
#include "judge/rundoc.h"

#define FIX "tests/fixtures/results/"
#define EXP "tests/fixtures/expect/"
#define AMDVI_ID "qemu-standard-pc-q35-ich9-2009-4ea4803b"

/* Gate docs (files) with the expectations at exp. */
static int gate_files(struct gate *g, struct expectations *e, struct rundoc_set *s,
		      const char *exp, const char *const *files)
{
	struct rundoc *v[8];

	memset(s, 0, sizeof(*s));
	if (expect_load(e, exp, stderr))
		return -EINVAL;
	for (size_t i = 0; files[i]; i++)
		if (rundoc_set_add(s, files[i], stderr))
			return -EINVAL;
	for (size_t i = 0; i < s->n; i++)
		v[i] = &s->v[i];
	if (rundoc_headings(v, s->n))
		return -ENOMEM;
	return gate_run(g, e, v, s->n);
}

static void done(struct gate *g, struct expectations *e, struct rundoc_set *s)
{
	gate_free(g);
	expect_free(e);
	rundoc_set_free(s);
}

TEST(the_labs_expectations_cover_amdvis_known_failures)
{
	const char *files[] = { FIX "lab-amdvi.json", FIX "lab-vtd-sc.json", NULL };
	struct expectations e;
	struct rundoc_set s;
	struct gate g;
	int dma = 0;

	ASSERT_EQ(0, gate_files(&g, &e, &s, "results/expectations", files));
	EXPECT_EQ(0, g.unexpected);
	EXPECT_EQ(20, g.expected);
	EXPECT_EQ(0, (int)g.n_stale);
	for (size_t i = 0; i < g.n; i++) {
		const struct gate_item *it = &g.v[i];

		ASSERT_NE(NULL, it->x);
		EXPECT_STREQ(AMDVI_ID, rundoc_platform_id(it->doc));
		if (strcmp(jmember_str(it->entry, "suite"), "dma"))
			continue;
		dma++;
		EXPECT_NE(NULL, strstr(jmember_str(it->entry, "name"), "unmapped_"));
		EXPECT_NE(NULL, strstr(it->x->reason, "no IO_PAGE_FAULT event"));
		EXPECT_EQ(0, strncmp(it->x->url, "https://", 8));
	}
	/* Both directions, five paths, the NVMe and the edu. */
	EXPECT_EQ(20, dma);
	done(&g, &e, &s);
}

TEST(without_expectations_they_are_unexpected)
{
	const char *files[] = { FIX "lab-amdvi.json", NULL };
	struct expectations e;
	struct rundoc_set s;
	struct gate g;

	ASSERT_EQ(0, gate_files(&g, &e, &s, "tests/fixtures/bad/empty-dir", files));
	EXPECT_EQ(20, g.unexpected);
	EXPECT_EQ(0, g.expected);
	done(&g, &e, &s);
}

/* The amdvi run with its dma failures gone: that expectation is stale, nothing fails. */
TEST(an_expectation_that_covers_nothing_is_stale)
{
	char dir[] = "/tmp/snoop-expect-XXXXXX", path[PATH_MAX];
	json_object *doc = json_file_parse(FIX "lab-amdvi.json", stderr), *ts;
	const char *files[] = { path, NULL };
	struct expectations e;
	struct rundoc_set s;
	struct gate g;

	ASSERT_NE(NULL, doc);
	ASSERT_NE(NULL, mkdtemp(dir));
	ts = jmember(doc, "tests");
	for (size_t i = 0; i < jarray_len(ts); i++)
		if (!strcmp(jmember_str(jarray_at(ts, i), "suite"), "dma") &&
		    rundoc_test_fails(jarray_at(ts, i)))
			json_object_object_add(jarray_at(ts, i), "outcome", json_object_new_string("pass"));
	snprintf(path, sizeof(path), "%s/amdvi.json", dir);
	ASSERT_EQ(0, json_object_to_file(path, doc));
	json_object_put(doc);

	ASSERT_EQ(0, gate_files(&g, &e, &s, "results/expectations", files));
	EXPECT_EQ(0, g.unexpected);
	EXPECT_EQ(0, g.expected);
	ASSERT_EQ(1, (int)g.n_stale);
	EXPECT_STREQ("amdvi-unmapped-dma-no-fault-event", g.stale[0]->name);
	done(&g, &e, &s);
	unlink(path);
	rmdir(dir);
}

/* Keyed by PCI IDs alone; and a verdict expectation. */
TEST(pci_ids_and_verdicts_are_keys_too)
{
	char dir[] = "/tmp/snoop-expect-XXXXXX", path[PATH_MAX];
	json_object *doc = json_file_parse(FIX "lab-vtd-sc.json", stderr);
	const char *files[] = { FIX "lab-amdvi.json", path, NULL };
	struct expectations e;
	struct rundoc_set s;
	struct gate g;
	int verdicts = 0;

	ASSERT_NE(NULL, doc);
	ASSERT_NE(NULL, mkdtemp(dir));
	/* vtd-sc: the NVMe (1b36:0010) and e1000e (8086:10d3) misreported. */
	for (int i = 0; i < 2; i++)
		json_object_object_add(jarray_at(jmember(doc, "verdicts"), (size_t)i), "label",
				       json_object_new_string("cc-misreported"));
	snprintf(path, sizeof(path), "%s/vtd-sc.json", dir);
	ASSERT_EQ(0, json_object_to_file(path, doc));
	json_object_put(doc);

	ASSERT_EQ(0, gate_files(&g, &e, &s, EXP "pci-and-verdict.conf", files));
	/* amdvi's edu dma failures are covered, its NVMe's not. */
	EXPECT_EQ(10 + 1, g.expected);
	EXPECT_EQ(10 + 1, g.unexpected);
	for (size_t i = 0; i < g.n; i++) {
		if (!g.v[i].verdict)
			continue;
		verdicts++;
		if (!strcmp(jmember_str(g.v[i].entry, "device"), "0000:00:04.0")) {
			EXPECT_STREQ("nvme-misreported", g.v[i].x ? g.v[i].x->name : "(none)");
		} else {
			EXPECT_EQ(NULL, g.v[i].x);
		}
	}
	EXPECT_EQ(2, verdicts);
	EXPECT_EQ(0, (int)g.n_stale);
	done(&g, &e, &s);
	unlink(path);
	rmdir(dir);
}

FIXTURE(bad) {};
FIXTURE_SETUP(bad) {}
FIXTURE_TEARDOWN(bad) {}
FIXTURE_VARIANT(bad) {
	const char *file;
	const char *has;
};
FIXTURE_VARIANT_ADD(bad, key_before_block) {
	.file = "key-before-block.conf",
	.has = "key-before-block.conf:2: expected 'expect = NAME' to open a block before 'platform'",
};
FIXTURE_VARIANT_ADD(bad, unknown_key) {
	.file = "unknown-key.conf", .has = "unknown-key.conf:5: unknown key 'severity'",
};
FIXTURE_VARIANT_ADD(bad, bad_pci) {
	.file = "bad-pci.conf", .has = "bad-pci.conf:2: expected VVVV:DDDD or VVVV",
};
FIXTURE_VARIANT_ADD(bad, no_url) {
	.file = "no-url.conf",
	.has = "no-url.conf:1: expected url = https://... (where the reason is documented) in expectation 'x'",
};
FIXTURE_VARIANT_ADD(bad, bad_url) {
	.file = "bad-url.conf", .has = "bad-url.conf:6: expected a URL (https://...)",
};
FIXTURE_VARIANT_ADD(bad, passing_verdict) {
	.file = "passing-verdict.conf",
	.has = "passing-verdict.conf:3: expected a failing verdict label (cc-misreported, kvm-misinformed or restore-failed), got 'blocked-by-iommu'",
};
FIXTURE_VARIANT_ADD(bad, key_twice) {
	.file = "twice.conf", .has = "twice.conf:4: expected 'suite' once in expectation 'x' (already at line 3)",
};
FIXTURE_VARIANT_ADD(bad, no_platform_or_pci) {
	.file = "no-key.conf",
	.has = "no-key.conf:1: expected platform = PLATFORM_ID, pci = VVVV:DDDD or kernel = GLOB",
};
FIXTURE_VARIANT_ADD(bad, skip_without_its_reason) {
	.file = "skip-without-because.conf",
	.has = "skip-without-because.conf:1: expected because = GLOB with outcome = skip (which skip: its reason) in expectation 'x'",
};
FIXTURE_VARIANT_ADD(bad, because_without_skip) {
	.file = "because-without-skip.conf",
	.has = "because-without-skip.conf:1: expected outcome = skip with because",
};
FIXTURE_VARIANT_ADD(bad, bad_kernel) {
	.file = "bad-kernel.conf",
	.has = "bad-kernel.conf:2: expected a kernel release or glob (6.1.*, as uname -r prints it), got '6.1 and later'",
};
FIXTURE_VARIANT_ADD(bad, passing_outcome) {
	.file = "outcome-pass.conf", .has = "outcome-pass.conf:5: expected a failing outcome (fail, error or timeout) or skip, got 'pass'",
};
FIXTURE_VARIANT_ADD(bad, test_and_verdict) {
	.file = "test-and-verdict.conf", .has = "test-and-verdict.conf:1: expected a test (suite, test, outcome) or a verdict, not both in expectation 'x'",
};
FIXTURE_VARIANT_ADD(bad, same_name) {
	.file = "same-name.conf", .has = "same-name.conf:8: expected a new name: expectation 'x' is already at",
};
FIXTURE_VARIANT_ADD(bad, syntax) {
	.file = "no-equals.conf", .has = "no-equals.conf:2: expected 'key = value'",
};

TEST_F(bad, a_bad_expectation_names_file_and_line)
{
	char buf[4096] = "", path[PATH_MAX];
	FILE *err = fmemopen(buf, sizeof(buf) - 1, "w");
	struct expectations e;

	snprintf(path, sizeof(path), EXP "bad/%s", variant->file);
	EXPECT_EQ(-EINVAL, expect_load(&e, path, err));
	fclose(err);
	EXPECT_NE(NULL, strstr(buf, variant->has)) TH_LOG("got: %s", buf);
	expect_free(&e);
}

/* A directory with bad files: every one is reported, not only the first. */
TEST(every_bad_file_in_a_directory_is_reported)
{
	char buf[16384] = "";
	FILE *err = fmemopen(buf, sizeof(buf) - 1, "w");
	struct expectations e;

	EXPECT_EQ(-EINVAL, expect_load(&e, EXP "bad", err));
	fclose(err);
	EXPECT_NE(NULL, strstr(buf, "bad-pci.conf:2:"));
	EXPECT_NE(NULL, strstr(buf, "unknown-key.conf:5:"));
	expect_free(&e);
}

TEST(a_missing_directory_is_bad_input)
{
	char buf[1024] = "";
	FILE *err = fmemopen(buf, sizeof(buf) - 1, "w");
	struct expectations e;

	EXPECT_EQ(-EINVAL, expect_load(&e, "/nonexistent/expectations", err));
	fclose(err);
	EXPECT_NE(NULL, strstr(buf, "/nonexistent/expectations: cannot read"));
	expect_free(&e);
}

TEST_HARNESS_MAIN
