// SPDX-License-Identifier: GPL-2.0-only
/*
 * tally: a run's raw suite logs (SUITE@BDF.ktap, as runner run-suites
 * writes them) through tally_dir and verdict_decide, the path runner run
 * takes. vtd-sc and vtd-nosc were recorded in the virtual lab;
 * client-igpu-reuse is built from them for a platform the lab cannot
 * emulate (tests/fixtures/runs/README.md).
 */
#include <dirent.h>
#include <limits.h>
#include <string.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "sysfs/sysroot.h"
#include "judge/tally.h"

#define RUNS "tests/fixtures/runs/"

/*
 * The run's folder through tally_dir, as runner run reads it. With an edit,
 * a copy of the folder in which the first occurrence of from in each log
 * becomes to (same length). Returns tally_dir's count of failed tests.
 */
static int feed_run(struct tally *t, const char *dir, const char *from, const char *to)
{
	char src[PATH_MAX], tmp[] = "/tmp/snoopcheck-tally-XXXXXX", path[PATH_MAX];
	struct dirent **files;
	int n, ret;

	path_fmt(src, sizeof(src), RUNS "%s", dir);
	if (!from)
		return tally_dir(t, src, NULL, NULL);
	if (strlen(from) != strlen(to) || !mkdtemp(tmp))
		return -1;
	n = scandir(src, &files, NULL, alphasort);
	for (int i = 0; i < n; i++) {
		char *text, *hit;

		path_fmt(path, sizeof(path), "%s/%s", src, files[i]->d_name);
		text = files[i]->d_name[0] != '.' ? read_file(path, NULL) : NULL;
		if (text) {
			if ((hit = strstr(text, from)))
				memcpy(hit, to, strlen(to));
			path_fmt(path, sizeof(path), "%s/%s", tmp, files[i]->d_name);
			write_file_atomic(path, text, strlen(text));
			free(text);
		}
		free(files[i]);
	}
	free(files);
	ret = tally_dir(t, tmp, NULL, NULL);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmp);
	if (system(path))
		return -1;
	return ret;
}

/* What discovery knows of a device; the rest comes from the tally. */
struct known {
	const char *bdf;
	enum fact unit_can_enforce;
	bool integrated, conventional_pci;
	enum fact ens;
	enum allow_class driver_class;
	int paths_enforced;		/* of the 5 the attach suite tries */
	bool corner;
	const char *label;
};

FIXTURE(run) {
	struct tally t;
};
FIXTURE_VARIANT(run) {
	const char *dir;
	const char *from, *to;		/* an edit to the first log that has it */
	struct known dev[2];
};

#define EDU(unit, enforced, l) { "0000:00:06.0", unit, false, true, FACT_NO, ALLOW_UNKNOWN, \
				  enforced, false, l }
#define LAB_NVME(unit, enforced, l) { "0000:00:04.0", unit, true, false, FACT_YES, \
				       ALLOW_UNKNOWN, enforced, false, l }

FIXTURE_VARIANT_ADD(run, lab_vtd_sc) {
	.dir = "vtd-sc",
	.dev = { EDU(FACT_YES, 5, "blocked-by-iommu"),
		 LAB_NVME(FACT_YES, 5, "blocked-by-iommu") },
};
FIXTURE_VARIANT_ADD(run, lab_vtd_nosc) {
	.dir = "vtd-nosc",
	.dev = { EDU(FACT_NO, 0, "not-emitted-ens-off"),
		 LAB_NVME(FACT_NO, 0, "non-coherent-kvm-must-know") },
};
/* The integrated GPU behind dmar0 (no Snoop Control), an NVMe behind dmar1:
 * alone the NVMe is blocked, but it joined the GPU's domain. */
FIXTURE_VARIANT_ADD(run, client_igpu_reuse_corner) {
	.dir = "client-igpu-reuse",
	.dev = { { "0000:00:02.0", FACT_NO, true, false, FACT_YES, ALLOW_MAY, 0, false,
		   "non-coherent-kvm-must-know" },
		 { "0000:01:00.0", FACT_YES, false, false, FACT_YES, ALLOW_UNKNOWN, 5, true,
		   "hwpt-reuse-non-coherent" } },
};
/* The same logs with the NVMe's own HWPT (allocated for it, refusing the
 * GPU) reporting no enforcement: the kernel misreports. */
FIXTURE_VARIANT_ADD(run, shared_hwpt_misreports) {
	.dir = "client-igpu-reuse",
	.from = "\"join\":\"EINVAL\",\"same_domain\":false,\"domain_enforced\":1",
	.to =   "\"join\":\"EINVAL\",\"same_domain\":false,\"domain_enforced\":0",
	.dev = { { "0000:00:02.0", FACT_NO, true, false, FACT_YES, ALLOW_MAY, 0, false,
		   "non-coherent-kvm-must-know" },
		 { "0000:01:00.0", FACT_YES, false, false, FACT_YES, ALLOW_UNKNOWN, 5, true,
		   "cc-misreported" } },
};

FIXTURE_SETUP(run)
{
	memset(&self->t, 0, sizeof(self->t));
	/* Recorded runs passed every test: nothing in them failed. */
	ASSERT_EQ(0, feed_run(&self->t, variant->dir, variant->from, variant->to));
}

FIXTURE_TEARDOWN(run)
{
	tally_free(&self->t);
}

TEST_F(run, logs_give_the_expected_facts_and_verdicts)
{
	for (int i = 0; i < 2; i++) {
		const struct known *k = &variant->dev[i];
		struct device_tally *d = tally_for(&self->t, k->bdf);
		struct verdict_evidence e = {
			.has_unit = true, .unit_can_enforce = k->unit_can_enforce,
			.integrated = k->integrated, .conventional_pci = k->conventional_pci,
			.ens = k->ens, .driver_class = k->driver_class,
		};
		struct verdict v;

		ASSERT_NE(NULL, d);
		EXPECT_EQ(5, d->paths_tried) TH_LOG("%s", k->bdf);
		EXPECT_EQ(k->paths_enforced, d->paths_enforced) TH_LOG("%s", k->bdf);
		EXPECT_EQ(FACT_YES, d->hw_info_agrees) TH_LOG("%s", k->bdf);
		EXPECT_EQ(FACT_YES, d->snp_matches) TH_LOG("%s", k->bdf);
		EXPECT_EQ(k->corner, d->reuse_corner_open) TH_LOG("%s", k->bdf);
		tally_evidence(d, &e);
		verdict_decide(&e, &v);
		EXPECT_STREQ(k->label, verdict_label_name(v.label)) TH_LOG("%s: %s", k->bdf, v.why);
	}
	/* No device beyond the two the run was for. */
	EXPECT_EQ(2, self->t.n);
}

/* A cut log: the planned tests that never reported are failures. */
TEST(a_truncated_log_counts_its_missing_results)
{
	struct tally t = { 0 };
	struct ktap k;
	char *text = read_file("tests/fixtures/ktap/attach-truncated.ktap", NULL);

	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, ktap_parse(text, &k));
	EXPECT_LT(0, tally_suite(&t, "attach", "0000:00:06.0", &k));
	ktap_free(&k);
	free(text);
	tally_free(&t);
}

/*
 * attach_pair evidence whose joiner has no name (tests/fuzz/ktap_fuzz.c:
 * "second": {"bdf": null} passed NULL to strcmp in tally_for).
 */
TEST(a_joiner_without_a_name_is_ignored)
{
	struct tally t = { 0 };
	struct ktap k;

	ASSERT_EQ(0, ktap_parse("1..2\n"
				"# evidence: {\"corner_open\":true,\"second\":{\"bdf\":null}}\nok 1 a\n"
				"# evidence: {\"corner_open\":true,\"second\":{\"bdf\":7}}\nok 2 b\n", &k));
	EXPECT_EQ(0, tally_suite(&t, "attach_pair", "0000:00:04.0", &k));
	ASSERT_EQ(1, t.n);
	EXPECT_FALSE(t.dev[0].reuse_corner_open);
	ktap_free(&k);
	tally_free(&t);
}

/*
 * suites/kvm evidence, one line per path as the suite prints it. On a unit
 * without Snoop Control every path must have told KVM and been untold on
 * delete; on one with it no path may tell KVM. Anything else is counted
 * as misinformed, and the verdict fails.
 */
/* The failed tests in lines (-1: unparsable). */
static int kvm_run(struct tally *t, const char *bdf, const char *lines)
{
	struct ktap k;
	int failed;

	if (ktap_parse(lines, &k))
		return -1;
	failed = tally_suite(t, "kvm", bdf, &k);
	ktap_free(&k);
	return failed;
}

#define KVM_EV(path, can, told, unreg) \
	"# evidence: {\"suite\":\"kvm\",\"path\":\"" path "\",\"unit\":\"dmar0\"," \
	"\"unit_can_enforce\":" can ",\"kvm_told_noncoherent\":" told "," \
	"\"unregistered_on_delete\":" unreg "," \
	"\"probes\":[\"snoopcheck/kvm_reg_7\",\"snoopcheck/kvm_unreg_7\"]}\n"

static enum verdict_label kvm_verdict(struct device_tally *d, enum fact can)
{
	struct verdict_evidence e = {
		.has_unit = true, .unit_can_enforce = can, .hw_info_agrees = FACT_YES,
		.snp_matches = FACT_YES, .ens = FACT_NO,
	};
	struct verdict v;

	tally_evidence(d, &e);
	/* What the attach suite would have found for this unit. */
	e.paths_tried = 5;
	e.paths_enforced = can == FACT_YES ? 5 : 0;
	verdict_decide(&e, &v);
	return v.label;
}

TEST(kvm_told_as_the_unit_says_is_no_finding)
{
	struct tally t = { 0 };
	struct device_tally *d;

	ASSERT_EQ(0, kvm_run(&t, "0000:00:06.0", "1..2\n"
		KVM_EV("type1", "false", "true", "true") "ok 1 path.type1.kvm\n"
		KVM_EV("iommufd_ioas", "false", "true", "true") "ok 2 path.iommufd_ioas.kvm\n"));
	ASSERT_EQ(0, kvm_run(&t, "0000:00:04.0", "1..1\n"
		KVM_EV("type1", "true", "false", "false") "ok 1 path.type1.kvm\n"));
	d = tally_for(&t, "0000:00:06.0");
	EXPECT_EQ(2, d->kvm_paths);
	EXPECT_EQ(2, d->kvm_told);
	EXPECT_EQ(0, d->kvm_misinformed);
	EXPECT_EQ(VERDICT_NOT_EMITTED_ENS_OFF, kvm_verdict(d, FACT_NO));
	d = tally_for(&t, "0000:00:04.0");
	EXPECT_EQ(1, d->kvm_paths);
	EXPECT_EQ(0, d->kvm_told);
	EXPECT_EQ(VERDICT_BLOCKED_BY_IOMMU, kvm_verdict(d, FACT_YES));
	tally_free(&t);
}

TEST(kvm_not_told_told_wrongly_or_not_untold_fails)
{
	static const char *const runs[] = {
		KVM_EV("type1v2", "false", "false", "false"),	/* not told */
		KVM_EV("type1v2", "true", "true", "true"),	/* told, unit enforces */
		KVM_EV("type1v2", "false", "true", "false"),	/* never untold */
	};

	for (size_t i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		struct tally t = { 0 };
		char log[1024];
		struct device_tally *d;

		snprintf(log, sizeof(log), "1..1\n%sok 1 path.type1v2.kvm\n", runs[i]);
		ASSERT_EQ(0, kvm_run(&t, "0000:00:06.0", log));
		d = tally_for(&t, "0000:00:06.0");
		EXPECT_EQ(1, d->kvm_misinformed) TH_LOG("%s", runs[i]);
		EXPECT_EQ(VERDICT_KVM_MISINFORMED,
			  kvm_verdict(d, strstr(runs[i], "enforce\":true") ? FACT_YES : FACT_NO))
			TH_LOG("%s", runs[i]);
		EXPECT_TRUE(verdict_label_fails(VERDICT_KVM_MISINFORMED));
		tally_free(&t);
	}
}

TEST_HARNESS_MAIN
