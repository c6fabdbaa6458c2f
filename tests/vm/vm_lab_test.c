// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual lab, end to end: boot each platform with the real lab kernel,
 * run `runner list --json` inside the guest, and check what the guest's
 * kernel reported. Nothing is read from the platform files: the Snoop
 * Control difference must come from the emulated hardware.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>
#include <kselftest_harness.h>

#include "base/subprocess.h"

#define RUNNER "build/t/runner"
#define NVME "0000:00:04.0"
#define E1000E "0000:00:05.0"
#define EDU "0000:00:06.0"

FIXTURE(guest) {
	json_object *list;
	char skip[256];
};

FIXTURE_VARIANT(guest) {
	const char *platform;
	const char *kind;	/* expected unit kind, NULL: no unit */
	int snoop_control;	/* VT-d ECAP.SC, -1: not VT-d */
};

FIXTURE_VARIANT_ADD(guest, vtd_sc) { .platform = "vtd-sc", .kind = "intel-vtd", .snoop_control = 1 };
FIXTURE_VARIANT_ADD(guest, vtd_nosc) { .platform = "vtd-nosc", .kind = "intel-vtd", .snoop_control = 0 };
FIXTURE_VARIANT_ADD(guest, vtd_sm) { .platform = "vtd-sm", .kind = "intel-vtd", .snoop_control = 1 };
FIXTURE_VARIANT_ADD(guest, amdvi) { .platform = "amdvi", .kind = "amd-vi", .snoop_control = -1 };
FIXTURE_VARIANT_ADD(guest, noiommu) { .platform = "noiommu", .kind = NULL, .snoop_control = -1 };

FIXTURE_SETUP(guest)
{
	char cmd[512], *out;
	int st;

	snprintf(cmd, sizeof(cmd), RUNNER " vm --timeout 180 %s -- ./runner list --json",
		 variant->platform);
	out = run_capture(cmd, &st);
	ASSERT_NE(NULL, out);
	self->list = NULL;
	self->skip[0] = '\0';
	if (WIFEXITED(st) && WEXITSTATUS(st) == 4) {
		snprintf(self->skip, sizeof(self->skip), "%s", out);
		free(out);
		return;
	}
	ASSERT_EQ(0, st) TH_LOG("%s failed; output:\n%s", cmd, out);
	self->list = json_tokener_parse(out);
	ASSERT_NE(NULL, self->list) TH_LOG("not JSON:\n%s", out);
	free(out);
}

FIXTURE_TEARDOWN(guest)
{
	if (self->list)
		json_object_put(self->list);
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return v;
}

static json_object *device(json_object *list, const char *bdf)
{
	json_object *devs = get(list, "devices");

	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		json_object *d = json_object_array_get_idx(devs, i);

		if (!strcmp(json_object_get_string(get(d, "bdf")), bdf))
			return d;
	}
	return NULL;
}

/* A cold guest takes 5-15 s under TCG; the harness default (30 s) is too
 * tight on a loaded 2-core machine. */
TEST_F_TIMEOUT(guest, kernel_reports_the_emulated_iommu, 300)
{
	json_object *units, *unit, *kernel;
	static const char *const lab_devices[] = { NVME, E1000E, EDU };

	if (self->skip[0])
		SKIP(return, "%s", self->skip);
	units = get(self->list, "iommu_units");
	kernel = get(self->list, "kernel");
	ASSERT_NE(NULL, units);
	/* The lab kernel always has both VFIO front ends. */
	EXPECT_TRUE(json_object_get_boolean(get(kernel, "dev_iommu")));
	EXPECT_TRUE(json_object_get_boolean(get(kernel, "dev_vfio")));
	for (size_t k = 0; k < 3; k++) {
		ASSERT_NE(NULL, device(self->list, lab_devices[k]))
			TH_LOG("%s missing", lab_devices[k]);
	}

	if (!variant->kind) {
		EXPECT_EQ(0, json_object_array_length(units));
		for (size_t k = 0; k < 3; k++) {
			EXPECT_EQ(NULL, get(device(self->list, lab_devices[k]), "iommu_group"));
		}
		return;
	}
	ASSERT_EQ(1, json_object_array_length(units));
	unit = json_object_array_get_idx(units, 0);
	EXPECT_STREQ(variant->kind, json_object_get_string(get(unit, "kind")));
	for (size_t k = 0; k < 3; k++) {
		json_object *d = device(self->list, lab_devices[k]);

		EXPECT_STREQ(json_object_get_string(get(unit, "name")),
			     json_object_get_string(get(d, "iommu_unit")))
			TH_LOG("%s is not served by the unit", lab_devices[k]);
		EXPECT_NE(NULL, get(d, "iommu_group"));
	}
	if (variant->snoop_control >= 0) {
		EXPECT_EQ(variant->snoop_control,
			  json_object_get_boolean(get(get(unit, "facts"), "snoop_control")));
		EXPECT_EQ(variant->snoop_control,
			  json_object_get_boolean(get(unit, "enforces_coherency")));
	} else {
		EXPECT_TRUE(json_object_get_boolean(get(unit, "enforces_coherency")));
	}
}

TEST_HARNESS_MAIN
