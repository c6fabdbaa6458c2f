// SPDX-License-Identifier: GPL-2.0-only
/*
 * The attach suite in the virtual lab. The guest's own report decides:
 * every path must attach and report enforcement 1 behind a unit with Snoop
 * Control (vtd-sc, and vtd-sm in scalable mode) and 0 without (vtd-nosc),
 * with IOMMU_GET_HW_INFO agreeing with sysfs and the leaf PTE's SNP bit
 * agreeing with both; without an IOMMU every test must skip with a reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <json.h>
#include <kselftest_harness.h>

#define RUNNER "build/t/runner"
#define PATHS 5

FIXTURE(lab) {};
FIXTURE_SETUP(lab) {}
FIXTURE_TEARDOWN(lab) {}

FIXTURE_VARIANT(lab) {
	const char *platform;
	int enforced;		/* expected on every path; -1: all skip */
	bool scalable;		/* VT-d scalable mode: contexts point at PASID tables */
};
FIXTURE_VARIANT_ADD(lab, vtd_sc) { .platform = "vtd-sc", .enforced = 1 };
FIXTURE_VARIANT_ADD(lab, vtd_nosc) { .platform = "vtd-nosc", .enforced = 0 };
FIXTURE_VARIANT_ADD(lab, vtd_sm) { .platform = "vtd-sm", .enforced = 1, .scalable = true };
FIXTURE_VARIANT_ADD(lab, noiommu) { .platform = "noiommu", .enforced = -1 };

TEST_F_TIMEOUT(lab, every_path_reports_what_the_unit_can_do, 300)
{
	static char out[1 << 16];
	char cmd[256], *line, *save;
	int st, paths = 0, agree = 0, skips = 0, oks = 0, fails = 0, snp = 0, aperture = 0;
	int not_on_vfio = 0;
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd), RUNNER " vm --timeout 240 %s -- sh tests/vm/attach.sh 2>&1",
		 variant->platform);
	p = popen(cmd, "r");
	ASSERT_NE(NULL, p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	st = pclose(p);
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_object *ev, *v;

		if (!strncmp(line, "not ok ", 7))
			fails++;
		else if (!strncmp(line, "ok ", 3) && strstr(line, "# SKIP"))
			skips++;
		else if (!strncmp(line, "ok ", 3))
			oks++;
		if (strncmp(line, "# evidence: ", 12))
			continue;
		ev = json_tokener_parse(line + 12);
		ASSERT_NE(NULL, ev) TH_LOG("bad evidence line: %s", line);
		if (json_object_object_get_ex(ev, "stage", &v)) {
			/* The page tables themselves: SNP iff the unit enforces,
			 * in the mode and stage the platform implies. */
			EXPECT_STREQ("second", json_object_get_string(v)) TH_LOG("%s", line);
			ASSERT_TRUE(json_object_object_get_ex(ev, "scalable_mode", &v));
			EXPECT_EQ(variant->scalable, json_object_get_boolean(v)) TH_LOG("%s", line);
			ASSERT_TRUE(json_object_object_get_ex(ev, "leaf_pte_snp", &v)) TH_LOG("%s", line);
			EXPECT_EQ(variant->enforced, json_object_get_boolean(v)) TH_LOG("%s", line);
			snp++;
			json_object_put(ev);
			continue;
		}
		if (json_object_object_get_ex(ev, "device_not_on_vfio_pci", &v)) {
			/* The group refuses a device vfio-pci does not drive. */
			ASSERT_TRUE(json_object_object_get_ex(ev, "get_device_fd", &v));
			EXPECT_STREQ("ENODEV", json_object_get_string(v)) TH_LOG("%s", line);
			not_on_vfio++;
			json_object_put(ev);
			continue;
		}
		if (json_object_object_get_ex(ev, "map_outside_aperture", &v)) {
			EXPECT_STREQ("EINVAL", json_object_get_string(v)) TH_LOG("%s", line);
			aperture++;
			json_object_put(ev);
			continue;
		}
		ASSERT_TRUE(json_object_object_get_ex(ev, "enforced", &v)) TH_LOG("%s", line);
		EXPECT_EQ(variant->enforced, json_object_get_boolean(v)) TH_LOG("%s", line);
		paths++;
		if (json_object_object_get_ex(ev, "hw_info_agrees", &v) && json_object_get_boolean(v))
			agree++;
		json_object_put(ev);
	}
	EXPECT_EQ(0, fails);
	if (variant->enforced < 0) {
		EXPECT_EQ(0, paths);
		EXPECT_EQ(0, oks);
		EXPECT_LT(0, skips);
		return;
	}
	EXPECT_EQ(0, WEXITSTATUS(st));
	EXPECT_EQ(PATHS, paths) TH_LOG("every path must attach and report");
	EXPECT_EQ(2, agree) TH_LOG("both native iommufd paths read hw_info equal to sysfs");
	EXPECT_EQ(PATHS, snp) TH_LOG("every path's leaf PTE read from Intel IOMMU debugfs");
	EXPECT_EQ(PATHS, aperture) TH_LOG("every path refuses a mapping outside its IOVA ranges");
	EXPECT_EQ(1, not_on_vfio) TH_LOG("the group was asked for a device not on vfio-pci");
}

TEST_HARNESS_MAIN
