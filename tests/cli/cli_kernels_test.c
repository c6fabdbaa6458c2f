// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lab's two kernels compared as a maintainer does before a merge:
 * runner compare --expect results/expectations --baseline OLD NEW on the
 * recorded runs of vtd-sc and vtd-nosc under 6.12 and 6.1
 * (tests/fixtures/report/README.md). The known difference, every iommufd
 * path skipping on 6.1 for its reason, is expected (kernel-6.1.conf) and
 * exits 0; without that file each lost pass fails; an injected regression,
 * or an iommufd skip for another reason, fails beside the expected skips.
 * The count of expected changes comes from the files, not from the runner.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include <json.h>

#include "clirun.h"

#define LAB "tests/fixtures/report/lab-"

FIXTURE(kernels) {
	char dir[64];
	char old[PATH_MAX], new[PATH_MAX];
};

FIXTURE_VARIANT(kernels) {
	const char *platform;
};
FIXTURE_VARIANT_ADD(kernels, vtd_sc) { .platform = "vtd-sc" };
FIXTURE_VARIANT_ADD(kernels, vtd_nosc) { .platform = "vtd-nosc" };

FIXTURE_SETUP(kernels)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/snoop-cli-kernels-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->old, sizeof(self->old), LAB "6.12/%s/results.json", variant->platform);
	snprintf(self->new, sizeof(self->new), LAB "6.1/%s/results.json", variant->platform);
}

FIXTURE_TEARDOWN(kernels)
{
	char cmd[PATH_MAX];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

static const char *str(json_object *o, const char *key)
{
	const char *s = json_object_get_string(json_object_object_get(o, key));

	return s ? s : "";
}

/* Tests that pass in OLD and skip in NEW because 6.1 has no /dev/iommu. */
static int lost_to_no_iommufd(const char *old, const char *new)
{
	json_object *o = json_object_from_file(old), *n = json_object_from_file(new);
	json_object *ot = json_object_object_get(o, "tests"), *nt = json_object_object_get(n, "tests");
	int lost = 0;

	for (size_t i = 0; i < json_object_array_length(nt); i++) {
		json_object *b = json_object_array_get_idx(nt, i);

		if (strcmp(str(b, "outcome"), "skip") || !strstr(str(b, "reason"), "/dev/iommu"))
			continue;
		for (size_t j = 0; j < json_object_array_length(ot); j++) {
			json_object *a = json_object_array_get_idx(ot, j);

			if (!strcmp(str(a, "suite"), str(b, "suite")) &&
			    !strcmp(str(a, "name"), str(b, "name")) &&
			    !strcmp(str(a, "device"), str(b, "device"))) {
				lost += !strcmp(str(a, "outcome"), "pass");
				break;
			}
		}
	}
	json_object_put(o);
	json_object_put(n);
	return lost;
}

/*
 * NEW with one test changed: the first whose name has match, on the
 * first device, to outcome and reason; written to the scratch folder.
 */
static void edit_new(struct _test_data_kernels *self, const char *match, const char *outcome,
		     const char *reason, char *path, size_t len)
{
	json_object *doc = json_object_from_file(self->new);
	json_object *ts = json_object_object_get(doc, "tests");

	for (size_t i = 0; i < json_object_array_length(ts); i++) {
		json_object *t = json_object_array_get_idx(ts, i);

		if (!strstr(str(t, "name"), match) || strcmp(str(t, "device"), "0000:00:04.0"))
			continue;
		json_object_object_add(t, "outcome", json_object_new_string(outcome));
		json_object_object_add(t, "reason", json_object_new_string(reason));
		break;
	}
	snprintf(path, len, "%s/results.json", self->dir);
	json_object_to_file(path, doc);
	json_object_put(doc);
}

TEST_F(kernels, the_known_kernel_difference_is_expected)
{
	int lost = lost_to_no_iommufd(self->old, self->new);
	char cmd[PATH_MAX * 3], want[128];

	ASSERT_LT(20, lost) TH_LOG("the fixtures should lose the iommufd paths on 6.1");
	snprintf(cmd, sizeof(cmd), RUNNER " compare --expect results/expectations --baseline %s %s",
		 self->old, self->new);
	EXPECT_EQ(0, run(cmd)) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "expect: 0 unexpected (0 regressions, 0 lost), %d expected\n", lost);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("want %s in:\n%s", want, out);
	EXPECT_NE(NULL, strstr(out, "changed     platform      kernel CONFIG_IOMMUFD: y -> n"));
	EXPECT_NE(NULL, strstr(out, "  expected    0000:00:04.0  test attach path.iommufd_hwpt.enforcement_matches_the_unit: pass -> skip"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "[kernel-6.1-no-iommufd-attach: iommufd"));
	/* The verdicts are the kernels' common ground: none changed. */
	EXPECT_EQ(NULL, strstr(out, "verdict:")) TH_LOG("%s", out);

	snprintf(cmd, sizeof(cmd), RUNNER " compare --json --expect results/expectations --baseline %s %s",
		 self->old, self->new);
	EXPECT_EQ(0, run(cmd)) TH_LOG("%s", out);
	{
		json_object *doc = json_tokener_parse(out), *sum = json_object_object_get(doc, "summary");

		ASSERT_NE(NULL, doc) TH_LOG("%s", out);
		EXPECT_EQ(0, json_object_get_int(json_object_object_get(sum, "unexpected")));
		EXPECT_EQ(lost, json_object_get_int(json_object_object_get(sum, "expected")));
		EXPECT_EQ(lost, json_object_get_int(json_object_object_get(sum, "lost")));
		json_object_put(doc);
	}
}

TEST_F(kernels, without_the_kernel_expectations_each_lost_pass_fails)
{
	int lost = lost_to_no_iommufd(self->old, self->new);
	char cmd[PATH_MAX * 3], want[128];

	snprintf(cmd, sizeof(cmd), "cp results/expectations/*.conf %s && rm %s/kernel-6.1.conf",
		 self->dir, self->dir);
	ASSERT_EQ(0, system(cmd));
	snprintf(cmd, sizeof(cmd), RUNNER " compare --expect %s --baseline %s %s", self->dir,
		 self->old, self->new);
	EXPECT_EQ(1, run(cmd)) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "expect: %d unexpected (0 regressions, %d lost), 0 expected\n",
		 lost, lost);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("want %s in:\n%s", want, out);
	EXPECT_NE(NULL, strstr(out, "  LOST        0000:00:04.0  test dma dma.iommufd_ioas.copy_lands_where_mapped: pass -> skip"))
		TH_LOG("%s", out);
	/* Plain compare still calls a lost pass a change, not a regression. */
	snprintf(cmd, sizeof(cmd), RUNNER " compare %s %s", self->old, self->new);
	EXPECT_EQ(0, run(cmd)) TH_LOG("%s", out);
}

/*
 * Compare OLD against NEW with one test edited (edit_new()): exit 1, the
 * change printed as line, and the closing count as want.
 */
static void held_against(struct __test_metadata *_metadata, struct _test_data_kernels *self,
			 const char *match, const char *outcome, const char *reason,
			 const char *line, const char *want)
{
	char cmd[PATH_MAX * 3], path[PATH_MAX];

	edit_new(self, match, outcome, reason, path, sizeof(path));
	snprintf(cmd, sizeof(cmd), RUNNER " compare --expect results/expectations --baseline %s %s",
		 self->old, path);
	EXPECT_EQ(1, run(cmd)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, line)) TH_LOG("want %s in:\n%s", line, out);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("want %s in:\n%s", want, out);
}

TEST_F(kernels, an_injected_regression_fails_beside_the_expected_skips)
{
	char want[128];

	snprintf(want, sizeof(want), "expect: 1 unexpected (1 regression, 0 lost), %d expected\n",
		 lost_to_no_iommufd(self->old, self->new));
	held_against(_metadata, self, "path.type1.enforcement_matches_the_unit", "fail",
		     "injected: VFIO_CHECK_EXTENSION said 0",
		     "  REGRESSION  0000:00:04.0  test attach path.type1.enforcement_matches_the_unit: pass -> fail (injected",
		     want);
}

TEST_F(kernels, an_iommufd_skip_for_another_reason_is_not_expected)
{
	char want[128];

	snprintf(want, sizeof(want), "expect: 1 unexpected (0 regressions, 1 lost), %d expected\n",
		 lost_to_no_iommufd(self->old, self->new) - 1);
	held_against(_metadata, self, "path.iommufd_hwpt.map_and_unmap_a_buffer", "skip",
		     "iommufd-hwpt: IOMMU_HWPT_ALLOC: Operation not supported",
		     "  LOST        0000:00:04.0  test attach path.iommufd_hwpt.map_and_unmap_a_buffer: pass -> skip (iommufd-hwpt: IOMMU_HWPT_ALLOC",
		     want);
}

TEST(baseline_needs_expectations_and_one_new)
{
	EXPECT_EQ(2, run(RUNNER " compare --baseline " LAB "6.12/vtd-sc/results.json "
			 LAB "6.1/vtd-sc/results.json")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "--baseline OLD needs --expect DIR and one NEW"));
	EXPECT_EQ(2, run(RUNNER " compare --expect results/expectations --baseline "
			 LAB "6.12/vtd-sc/results.json " LAB "6.1/vtd-sc/results.json "
			 LAB "6.1/vtd-nosc/results.json")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
