// SPDX-License-Identifier: GPL-2.0-only
/* verdict: every branch of the decision, from evidence to a stable label. */
#include <kselftest_harness.h>

#include "judge/verdict.h"

FIXTURE(v) {};
FIXTURE_SETUP(v) {}
FIXTURE_TEARDOWN(v) {}

FIXTURE_VARIANT(v) {
	struct verdict_evidence e;
	const char *label;
};

#define SC_UNIT .has_unit = true, .unit_can_enforce = FACT_YES, .hw_info_agrees = FACT_YES, \
	.snp_matches = FACT_YES
#define NOSC_UNIT .has_unit = true, .unit_can_enforce = FACT_NO, .hw_info_agrees = FACT_YES, \
	.snp_matches = FACT_YES

FIXTURE_VARIANT_ADD(v, enforcing_unit_every_path) {
	.e = { SC_UNIT, .paths_tried = 5, .paths_enforced = 5, .ens = FACT_YES },
	.label = "blocked-by-iommu",
};
FIXTURE_VARIANT_ADD(v, enforcing_unit_but_joined_a_non_coherent_domain) {
	.e = { SC_UNIT, .paths_tried = 5, .paths_enforced = 5, .ens = FACT_YES,
	       .reuse_corner_open = true },
	.label = "hwpt-reuse-non-coherent",
};
FIXTURE_VARIANT_ADD(v, igpu_without_snoop_control) {
	.e = { NOSC_UNIT, .paths_tried = 5, .ens = FACT_NO, .integrated = true,
	       .driver_class = ALLOW_MAY },
	.label = "non-coherent-kvm-must-know",
};
FIXTURE_VARIANT_ADD(v, dgpu_without_snoop_control) {
	.e = { NOSC_UNIT, .paths_tried = 3, .ens = FACT_YES, .driver_class = ALLOW_MAY },
	.label = "non-coherent-kvm-must-know",
};
FIXTURE_VARIANT_ADD(v, ens_clear_endpoint) {
	.e = { NOSC_UNIT, .paths_tried = 3, .ens = FACT_NO, .driver_class = ALLOW_MAY },
	.label = "not-emitted-ens-off",
};
FIXTURE_VARIANT_ADD(v, conventional_pci_device) {
	.e = { NOSC_UNIT, .paths_tried = 5, .conventional_pci = true, .ens = FACT_NO },
	.label = "not-emitted-ens-off",
};
FIXTURE_VARIANT_ADD(v, mlx5_without_snoop_control) {
	.e = { NOSC_UNIT, .paths_tried = 3, .ens = FACT_YES, .driver_class = ALLOW_NEVER },
	.label = "not-emitted-driver",
};
FIXTURE_VARIANT_ADD(v, kernel_claims_enforcement_unit_lacks) {
	.e = { NOSC_UNIT, .paths_tried = 3, .paths_enforced = 3 },
	.label = "cc-misreported",
};
FIXTURE_VARIANT_ADD(v, capable_unit_not_enforced) {
	.e = { SC_UNIT, .paths_tried = 3, .paths_enforced = 0 },
	.label = "cc-misreported",
};
FIXTURE_VARIANT_ADD(v, paths_disagree_unknown_unit) {
	.e = { .has_unit = true, .unit_can_enforce = FACT_UNKNOWN, .paths_tried = 3,
	       .paths_enforced = 1 },
	.label = "cc-misreported",
};
FIXTURE_VARIANT_ADD(v, snp_disagrees) {
	.e = { .has_unit = true, .unit_can_enforce = FACT_YES, .snp_matches = FACT_NO,
	       .paths_tried = 3, .paths_enforced = 3 },
	.label = "cc-misreported",
};
FIXTURE_VARIANT_ADD(v, shared_hwpt_disagrees) {
	.e = { SC_UNIT, .paths_tried = 5, .paths_enforced = 5, .ens = FACT_YES,
	       .shared_domain_misreported = true },
	.label = "cc-misreported",
};
FIXTURE_VARIANT_ADD(v, hw_info_disagrees) {
	.e = { .has_unit = true, .unit_can_enforce = FACT_YES, .hw_info_agrees = FACT_NO,
	       .paths_tried = 3, .paths_enforced = 3 },
	.label = "cc-misreported",
};
/* suites/kvm observed KVM's decision: matching the unit is no finding... */
FIXTURE_VARIANT_ADD(v, kvm_told_where_the_unit_cannot_enforce) {
	.e = { NOSC_UNIT, .paths_tried = 5, .ens = FACT_NO, .kvm_paths = 4, .kvm_told = 4 },
	.label = "not-emitted-ens-off",
};
FIXTURE_VARIANT_ADD(v, kvm_not_told_where_the_unit_enforces) {
	.e = { SC_UNIT, .paths_tried = 5, .paths_enforced = 5, .kvm_paths = 4 },
	.label = "blocked-by-iommu",
};
/* ...any path that told KVM otherwise fails the run. */
FIXTURE_VARIANT_ADD(v, kvm_not_told_although_the_unit_cannot_enforce) {
	.e = { NOSC_UNIT, .paths_tried = 5, .ens = FACT_YES, .driver_class = ALLOW_MAY,
	       .kvm_paths = 4, .kvm_told = 3, .kvm_misinformed = 1 },
	.label = "kvm-misinformed",
};
FIXTURE_VARIANT_ADD(v, kvm_told_although_the_unit_enforces) {
	.e = { SC_UNIT, .paths_tried = 5, .paths_enforced = 5, .kvm_paths = 4,
	       .kvm_told = 4, .kvm_misinformed = 4 },
	.label = "kvm-misinformed",
};
FIXTURE_VARIANT_ADD(v, no_unit) {
	.e = { .has_unit = false, .paths_tried = 0 },
	.label = "no-iommu",
};
FIXTURE_VARIANT_ADD(v, nothing_ran) {
	.e = { SC_UNIT, .paths_tried = 0 },
	.label = "inconclusive",
};
FIXTURE_VARIANT_ADD(v, restore_failed_wins) {
	.e = { SC_UNIT, .paths_tried = 5, .paths_enforced = 5, .restore_failed = true },
	.label = "restore-failed",
};

TEST_F(v, label)
{
	struct verdict out;

	verdict_decide(&variant->e, &out);
	EXPECT_STREQ(variant->label, verdict_label_name(out.label));
	EXPECT_NE(NULL, out.advice);
	EXPECT_NE(0, out.why[0]);
}

/* runner compare and the expectations read labels back from results files. */
TEST(labels_read_back_and_only_kernel_bugs_and_restore_fail)
{
	int failing = 0;

	for (int l = VERDICT_BLOCKED_BY_IOMMU; l <= VERDICT_INCONCLUSIVE; l++) {
		EXPECT_EQ(l, verdict_label_from_name(verdict_label_name((enum verdict_label)l)));
		failing += verdict_label_fails((enum verdict_label)l);
	}
	EXPECT_EQ(3, failing);
	EXPECT_TRUE(verdict_label_fails(VERDICT_CC_MISREPORTED));
	EXPECT_TRUE(verdict_label_fails(VERDICT_KVM_MISINFORMED));
	EXPECT_TRUE(verdict_label_fails(VERDICT_RESTORE_FAILED));
	EXPECT_EQ(-1, verdict_label_from_name("fine"));
	EXPECT_EQ(-1, verdict_label_from_name(NULL));
}

TEST_HARNESS_MAIN
