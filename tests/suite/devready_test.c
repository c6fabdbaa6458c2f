// SPDX-License-Identifier: GPL-2.0-only
/*
 * devready: what the suites ask of a device before they touch it. The
 * suites and discovery must agree on what a device's IOMMU unit can
 * enforce, so devready's answer is checked against the platform record
 * for every device of every recorded platform.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kselftest_harness.h>

#include "discover/iommu.h"
#include "suite/devready.h"
#include "sysfs/sysroot.h"

#define PLATFORMS "tests/fixtures/platforms"

static const struct iommu_unit *unit_named(const struct iommu_unit *u, size_t n,
					   const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(u[i].name, name))
			return &u[i];
	return NULL;
}

TEST(unit_can_enforce_agrees_with_discovery)
{
	struct dirent **list;
	int n = scandir(PLATFORMS, &list, NULL, alphasort), seen[3] = { 0 };
	FILE *quiet = fopen("/dev/null", "w");

	ASSERT_LT(0, n);
	ASSERT_NE(NULL, quiet);
	for (int i = 0; i < n; i++) {
		char dir[PATH_MAX], **devs;
		struct iommu_unit *units;
		size_t n_units;
		int n_devs;

		path_fmt(dir, sizeof(dir), PLATFORMS "/%s", list[i]->d_name);
		free(list[i]);
		sysroot_replay_from(dir);
		n_devs = sysfs_list("/sys/bus/pci/devices", &devs);
		if (n_devs <= 0) {
			if (!n_devs)
				sysfs_list_free(devs);
			continue;
		}
		ASSERT_EQ(0, iommu_units_discover(&units, &n_units, quiet));
		for (int d = 0; d < n_devs; d++) {
			char name[64];
			uint64_t ecap;
			int can = devready_unit_can_enforce(devs[d], name, sizeof(name), &ecap);
			const struct iommu_unit *u = unit_named(units, n_units, name);
			struct iommu_unit mine;
			int have = devready_unit(devs[d], &mine);

			seen[can + 1]++;
			if (!name[0]) {
				EXPECT_EQ(-1, can) TH_LOG("%s %s", dir, devs[d]);
				EXPECT_EQ(-ENOENT, have) TH_LOG("%s %s", dir, devs[d]);
				continue;
			}
			/* the suites' own reading of the unit (its kind tells the dma
			 * suite whose fault-report rate limit applies) */
			ASSERT_EQ(0, have) TH_LOG("%s %s", dir, devs[d]);
			EXPECT_STREQ(name, mine.name);
			ASSERT_NE(NULL, u) TH_LOG("%s %s: unit %s", dir, devs[d], name);
			EXPECT_EQ(u->enforces_coherency == FACT_UNKNOWN ? -1 :
				  u->enforces_coherency == FACT_YES, can)
				TH_LOG("%s %s on %s", dir, devs[d], name);
			EXPECT_EQ(u->kind == IOMMU_KIND_INTEL_VTD ? u->ecap : 0, ecap);
			EXPECT_EQ(u->kind, mine.kind) TH_LOG("%s %s on %s", dir, devs[d], name);
		}
		sysfs_list_free(devs);
		free(units);
	}
	free(list);
	fclose(quiet);
	sysroot_replay_from(NULL);
	/* The recorded platforms hold enforcing, non-enforcing and unit-less
	 * devices; a fixture change that loses one should be noticed. */
	EXPECT_LT(0, seen[0]);
	EXPECT_LT(0, seen[1]);
	EXPECT_LT(0, seen[2]);
}

TEST_HARNESS_MAIN
