// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner run, end to end in the virtual lab: the guest binds the edu and
 * the NVMe, runs every suite, gives them back and writes a results file.
 * The host then checks that file: it validates, both devices are back on
 * their drivers, and the verdicts are the ones the emulated hardware
 * implies (vtd-sc: blocked; vtd-nosc: the NVMe, an integrated endpoint
 * that may emit No-Snoop, needs KVM to know; the conventional-PCI edu has
 * no No-Snoop attribute). With two devices bound, attach_pair puts each on
 * the other's HWPT. suites/kvm watches KVM's decision: told of non-coherent
 * DMA on every path where the unit lacks Snoop Control (vtd-nosc), on none
 * where it has it (vtd-sc).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json.h>
#include <kselftest_harness.h>

#include "base/subprocess.h"

#include "sysfs/sysroot.h"
#include "kunit.h"

#define RUNNER "build/t/runner"
#define EDU "0000:00:06.0"
#define NVME "0000:00:04.0"

FIXTURE(lab) {
	char out[PATH_MAX];
};
FIXTURE_SETUP(lab)
{
	path_fmt(self->out, sizeof(self->out), "/tmp/snoop-vmrun-%d", getpid());
}
FIXTURE_TEARDOWN(lab)
{
	char cmd[PATH_MAX + 16];

	path_fmt(cmd, sizeof(cmd), "rm -rf %s", self->out);
	if (system(cmd))
		TH_LOG("cleanup failed");
}

FIXTURE_VARIANT(lab) {
	const char *platform;
	const char *edu_verdict;
	const char *nvme_verdict;
	bool kvm_told;		/* what suites/kvm must see on every path */
};
FIXTURE_VARIANT_ADD(lab, vtd_sc) {
	.platform = "vtd-sc", .edu_verdict = "blocked-by-iommu", .nvme_verdict = "blocked-by-iommu",
};
FIXTURE_VARIANT_ADD(lab, vtd_nosc) {
	.platform = "vtd-nosc", .edu_verdict = "not-emitted-ens-off",
	.nvme_verdict = "non-coherent-kvm-must-know", .kvm_told = true,
};

static json_object *get(json_object *o, const char *k)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, k, &v);
	return v;
}

static const char *verdict_of(json_object *doc, const char *bdf)
{
	json_object *vs = get(doc, "verdicts");

	for (size_t i = 0; i < json_object_array_length(vs); i++) {
		json_object *v = json_object_array_get_idx(vs, i);

		if (!strcmp(json_object_get_string(get(v, "device")), bdf))
			return json_object_get_string(get(v, "label"));
	}
	return "(none)";
}

/* How many results of suite/test (name contains test) have this outcome. */
static int count_outcome(json_object *doc, const char *suite, const char *test,
			 const char *outcome)
{
	json_object *ts = get(doc, "tests");
	int n = 0;

	for (size_t i = 0; i < json_object_array_length(ts); i++) {
		json_object *t = json_object_array_get_idx(ts, i);

		n += !strcmp(json_object_get_string(get(t, "suite")), suite) &&
		     strstr(json_object_get_string(get(t, "name")), test) &&
		     !strcmp(json_object_get_string(get(t, "outcome")), outcome);
	}
	return n;
}

/*
 * suites/kvm's evidence for bdf: how many paths were watched, and how many
 * of them told KVM (non-coherent) and untold it on delete.
 */
static int kvm_paths(json_object *doc, const char *bdf, int *told, int *untold)
{
	json_object *ts = get(doc, "tests");
	int n = 0;

	*told = *untold = 0;
	for (size_t i = 0; i < json_object_array_length(ts); i++) {
		json_object *t = json_object_array_get_idx(ts, i), *evs = get(t, "evidence");

		if (strcmp(json_object_get_string(get(t, "suite")), "kvm") ||
		    strcmp(json_object_get_string(get(t, "device")), bdf))
			continue;
		for (size_t j = 0; j < json_object_array_length(evs); j++) {
			json_object *ev = json_object_array_get_idx(evs, j);

			if (!get(ev, "kvm_told_noncoherent"))
				continue;
			n++;
			*told += json_object_get_boolean(get(ev, "kvm_told_noncoherent"));
			*untold += json_object_get_boolean(get(ev, "unregistered_on_delete"));
		}
	}
	return n;
}

TEST_F_TIMEOUT(lab, run_writes_valid_results_with_the_expected_verdicts, 300)
{
	char cmd[PATH_MAX + 256], file[PATH_MAX], *log;
	json_object *doc, *devs;
	int st;

	snprintf(cmd, sizeof(cmd), RUNNER " vm --timeout 240 --out %s %s -- ./runner run "
		 "--device " EDU " --device " NVME " --out /run/out/results.json 2>&1",
		 self->out, variant->platform);
	log = run_capture(cmd, &st);
	ASSERT_NE(NULL, log);
	EXPECT_EQ(0, WEXITSTATUS(st)) TH_LOG("%s", log);
	path_fmt(file, sizeof(file), "%s/results.json", self->out);
	snprintf(cmd, sizeof(cmd), RUNNER " validate %s >/dev/null", file);
	EXPECT_EQ(0, system(cmd));
	doc = json_object_from_file(file);
	ASSERT_NE(NULL, doc) TH_LOG("no results file; guest said:\n%s", log);
	EXPECT_STREQ(variant->edu_verdict, verdict_of(doc, EDU));
	EXPECT_STREQ(variant->nvme_verdict, verdict_of(doc, NVME));
	devs = get(doc, "devices");
	ASSERT_EQ(2, json_object_array_length(devs));
	for (size_t i = 0; i < 2; i++) {
		json_object *d = json_object_array_get_idx(devs, i);
		const char *before = json_object_get_string(get(d, "driver_before"));
		const char *after = json_object_get_string(get(d, "driver_after"));

		EXPECT_STREQ(before ? before : "(none)", after ? after : "(none)");
	}
	EXPECT_LT(0, json_object_array_length(get(doc, "tests")));
	/* Each device took the other onto the HWPT allocated for it. */
	EXPECT_EQ(2, count_outcome(doc, "attach_pair", "shared_hwpt", "pass"));
	/* And both, in either order, shared one auto domain on one IOAS. */
	EXPECT_EQ(4, count_outcome(doc, "attach_pair", "ioas.", "pass"));
	/* And one container, type1v2 or iommufd's, held both groups. */
	EXPECT_EQ(8, count_outcome(doc, "attach_pair", "container.", "pass"));
	EXPECT_TRUE(json_object_get_boolean(get(get(doc, "platform"), "virtual")));
	/* KVM observed on all five paths of both devices, and with QEMU as
	 * the VMM, as the unit says. */
	EXPECT_EQ(10, count_outcome(doc, "kvm", "path.", "pass"));
	EXPECT_EQ(2, count_outcome(doc, "kvm", "qemu.", "pass"));
	for (size_t i = 0; i < 2; i++) {
		const char *bdf = i ? NVME : EDU;
		int told, untold;

		EXPECT_EQ(6, kvm_paths(doc, bdf, &told, &untold)) TH_LOG("%s", bdf);
		EXPECT_EQ(variant->kvm_told ? 6 : 0, told) TH_LOG("%s", bdf);
		EXPECT_EQ(variant->kvm_told ? 6 : 0, untold) TH_LOG("%s", bdf);
	}
	json_object_put(doc);
	free(log);
	{
		/* Every suite's raw output and stderr kept beside the results,
		 * and the whole run one KTAP document the kernel's parser reads. */
		static const char *const suites[] = { "attach", "attach_pair", "dma", "kvm", "pcie" };
		static const char *const bdfs[] = { EDU, NVME };
		char kout[65536];

		for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
			for (size_t j = 0; j < 2; j++) {
				path_fmt(file, sizeof(file), "%s/results/%s@%s.ktap", self->out,
					 suites[i], bdfs[j]);
				EXPECT_EQ(0, access(file, R_OK)) TH_LOG("%s", file);
				path_fmt(file, sizeof(file), "%s/results/%s@%s.err", self->out,
					 suites[i], bdfs[j]);
				EXPECT_EQ(0, access(file, R_OK)) TH_LOG("%s", file);
			}
		}
		path_fmt(file, sizeof(file), "%s/results/run.ktap", self->out);
		st = kunit_parse(file, kout, sizeof(kout));
		EXPECT_EQ(0, st) TH_LOG("kunit.py parse %s:\n%s", file, kout);
		EXPECT_EQ(NULL, strstr(kout, "[ERROR]")) TH_LOG("%s", kout);
	}
}

TEST_HARNESS_MAIN
