// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner validate re-judges: the lab's own results (a virtual-lab run,
 * tests/fixtures/results/README.md) validate untouched, and each way of
 * editing them that keeps the schema happy (a verdict edited, dropped or
 * doubled, the evidence or the registers tampered with) exits 1 naming the
 * JSON path. A capture replays to the file's platform, or the difference
 * is named.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json.h>
#include <kselftest_harness.h>

#include "base/fsutil.h"

#define RUNNER "build/t/runner"
#define LAB "tests/fixtures/results/lab-vtd-sc.json"
#define PLATFORMS "tests/fixtures/platforms/"

static int run(const char *cmd, char *out, size_t len)
{
	FILE *p = popen(cmd, "r");
	size_t n;

	if (!p)
		return -1;
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	return pclose(p);
}

static json_object *at(json_object *o, const char *key, int idx)
{
	json_object *v = NULL;

	json_object_object_get_ex(o, key, &v);
	return idx < 0 ? v : json_object_array_get_idx(v, (size_t)idx);
}

static void set_str(json_object *o, const char *key, const char *val)
{
	json_object_object_add(o, key, val ? json_object_new_string(val) : NULL);
}

static void untouched(json_object *doc)
{
	(void)doc;
}

static void edit_label(json_object *doc)
{
	set_str(at(doc, "verdicts", 1), "label", "cc-misreported");
}

/* Every attach path's evidence says "not enforced"; the verdicts stay. */
static void no_path_enforced(json_object *doc)
{
	json_object *tests = at(doc, "tests", -1);

	for (size_t i = 0; i < json_object_array_length(tests); i++) {
		json_object *evs = at(json_object_array_get_idx(tests, i), "evidence", -1);

		for (size_t j = 0; j < json_object_array_length(evs); j++) {
			json_object *ev = json_object_array_get_idx(evs, j);

			if (json_object_object_get_ex(ev, "enforced", NULL))
				json_object_object_add(ev, "enforced", json_object_new_boolean(0));
		}
	}
}

/* ECAP bit 7 (Snoop Control) cleared, the decoded facts left as they were. */
static void ecap_sc_cleared(json_object *doc)
{
	set_str(at(at(doc, "platform", -1), "iommu_units", 0), "ecap", "f00f4a");
}

/* The same, with facts and enforcement edited to agree: the verdicts do not. */
static void unit_made_incapable(json_object *doc)
{
	json_object *u = at(at(doc, "platform", -1), "iommu_units", 0);

	set_str(u, "ecap", "f00f4a");
	json_object_object_add(u, "enforces_coherency", json_object_new_boolean(0));
	json_object_object_add(at(u, "facts", -1), "snoop_control", json_object_new_boolean(0));
}

static void ecap_not_hex(json_object *doc)
{
	set_str(at(at(doc, "platform", -1), "iommu_units", 0), "ecap", "0xf00fca");
}

static void integrated_flipped(json_object *doc)
{
	json_object_object_add(at(at(doc, "platform", -1), "devices", 3), "integrated_endpoint",
			       json_object_new_boolean(0));
}

static void verdict_dropped(json_object *doc)
{
	json_object_array_del_idx(at(doc, "verdicts", -1), 2, 1);
}

/* Its devices[] entry gone too: its tests still call for a verdict. */
static void verdict_and_device_dropped(json_object *doc)
{
	json_object_array_del_idx(at(doc, "verdicts", -1), 2, 1);
	json_object_array_del_idx(at(doc, "devices", -1), 2, 1);
}

static void verdict_contradicted(json_object *doc)
{
	json_object *copy = NULL;

	json_object_deep_copy(at(doc, "verdicts", 0), &copy, NULL);
	set_str(copy, "label", "non-coherent-kvm-must-know");
	json_object_array_add(at(doc, "verdicts", -1), copy);
}

static void verdict_for_a_device_not_run(json_object *doc)
{
	json_object *copy = NULL;

	json_object_deep_copy(at(doc, "verdicts", 0), &copy, NULL);
	set_str(copy, "device", "0000:00:07.0");
	json_object_array_add(at(doc, "verdicts", -1), copy);
}

static void left_off_its_driver(json_object *doc)
{
	set_str(at(doc, "devices", 0), "driver_after", NULL);
}

static void driver_before_edited(json_object *doc)
{
	set_str(at(doc, "devices", 1), "driver_before", "igb");
}

FIXTURE(lab) {
	char path[PATH_MAX];
	char out[16384];
	int status;
};

FIXTURE_VARIANT(lab) {
	void (*edit)(json_object *doc);
	int exit_status;
	const char *has[3];
};

FIXTURE_VARIANT_ADD(lab, untouched) {
	.edit = untouched, .exit_status = 0,
	.has = { ": valid, every verdict re-judged" },
};
FIXTURE_VARIANT_ADD(lab, edited_label) {
	.edit = edit_label, .exit_status = 1,
	.has = { "$.verdicts[1].label: recorded cc-misreported, the evidence gives blocked-by-iommu",
		 "not valid: 1 mismatch" },
};
FIXTURE_VARIANT_ADD(lab, no_path_enforced) {
	.edit = no_path_enforced, .exit_status = 1,
	.has = { "$.verdicts[0].label: recorded blocked-by-iommu, the evidence gives cc-misreported",
		 "$.verdicts[2].label: recorded blocked-by-iommu, the evidence gives cc-misreported",
		 "the unit can enforce but a path reported no enforcement" },
};
FIXTURE_VARIANT_ADD(lab, ecap_sc_cleared) {
	.edit = ecap_sc_cleared, .exit_status = 1,
	.has = { "$.platform.iommu_units[0].facts.snoop_control: recorded true, the registers "
		 "(cap d2008c22260286, ecap f00f4a) give false",
		 "$.platform.iommu_units[0].enforces_coherency: recorded true" },
};
FIXTURE_VARIANT_ADD(lab, unit_made_incapable) {
	.edit = unit_made_incapable, .exit_status = 1,
	.has = { "$.verdicts[1].label: recorded blocked-by-iommu, the evidence gives cc-misreported",
		 "a path reported enforcement the unit cannot provide" },
};
FIXTURE_VARIANT_ADD(lab, ecap_not_hex) {
	.edit = ecap_not_hex, .exit_status = 1,
	.has = { "$.platform.iommu_units[0].ecap: expected lower-case hex, got '0xf00fca'" },
};
FIXTURE_VARIANT_ADD(lab, integrated_flipped) {
	.edit = integrated_flipped, .exit_status = 1,
	.has = { "$.platform.devices[3].integrated_endpoint: recorded false, pcie_type "
		 "integrated endpoint gives true" },
};
FIXTURE_VARIANT_ADD(lab, verdict_dropped) {
	.edit = verdict_dropped, .exit_status = 1,
	.has = { "$.verdicts: no verdict for 0000:00:06.0, which has a devices[] entry ($.devices[2])" },
};
FIXTURE_VARIANT_ADD(lab, verdict_and_device_dropped) {
	.edit = verdict_and_device_dropped, .exit_status = 1,
	.has = { "$.verdicts: no verdict for 0000:00:06.0, which has tests ($.tests[" },
};
FIXTURE_VARIANT_ADD(lab, verdict_contradicted) {
	.edit = verdict_contradicted, .exit_status = 1,
	.has = { "$.verdicts[3]: a second verdict for 0000:00:04.0, non-coherent-kvm-must-know, "
		 "contradicts $.verdicts[0], blocked-by-iommu",
		 "$.verdicts[3].label: recorded non-coherent-kvm-must-know, the evidence gives "
		 "blocked-by-iommu" },
};
FIXTURE_VARIANT_ADD(lab, verdict_for_a_device_not_run) {
	.edit = verdict_for_a_device_not_run, .exit_status = 1,
	.has = { "$.verdicts[3].device: 0000:00:07.0 was not run" },
};
FIXTURE_VARIANT_ADD(lab, left_off_its_driver) {
	.edit = left_off_its_driver, .exit_status = 1,
	.has = { "$.verdicts[0].label: recorded blocked-by-iommu, the evidence gives restore-failed" },
};
FIXTURE_VARIANT_ADD(lab, driver_before_edited) {
	.edit = driver_before_edited, .exit_status = 1,
	.has = { "$.devices[1].driver_before: recorded igb, the platform says e1000e" },
};

FIXTURE_SETUP(lab)
{
	json_object *doc = json_object_from_file(LAB);
	char cmd[PATH_MAX + 64];

	ASSERT_NE(NULL, doc);
	variant->edit(doc);
	snprintf(self->path, sizeof(self->path), "/tmp/snoop-rejudge-%d.json", getpid());
	ASSERT_EQ(0, json_object_to_file_ext(self->path, doc, JSON_C_TO_STRING_PRETTY));
	json_object_put(doc);
	snprintf(cmd, sizeof(cmd), RUNNER " validate %s 2>&1", self->path);
	self->status = run(cmd, self->out, sizeof(self->out));
}

FIXTURE_TEARDOWN(lab)
{
	unlink(self->path);
}

TEST_F(lab, validate_names_every_mismatch)
{
	ASSERT_TRUE(WIFEXITED(self->status));
	EXPECT_EQ(variant->exit_status, WEXITSTATUS(self->status)) TH_LOG("%s", self->out);
	for (int i = 0; i < 3 && variant->has[i]; i++) {
		EXPECT_NE(NULL, strstr(self->out, variant->has[i]))
			TH_LOG("missing '%s' in:\n%s", variant->has[i], self->out);
	}
}

/* Cut inside the document: bad input, named by line and column. */
TEST(a_truncated_lab_file_is_bad_input)
{
	char path[PATH_MAX], cmd[PATH_MAX + 64], out[4096];
	size_t len;
	char *text = read_file(LAB, &len);
	int st;

	ASSERT_NE(NULL, text);
	snprintf(path, sizeof(path), "/tmp/snoop-rejudge-cut-%d.json", getpid());
	ASSERT_EQ(0, write_file_atomic(path, text, len / 2));
	free(text);
	snprintf(cmd, sizeof(cmd), RUNNER " validate %s 2>&1", path);
	st = run(cmd, out, sizeof(out));
	EXPECT_EQ(2, WEXITSTATUS(st)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "unexpected end of file (truncated?)")) TH_LOG("%s", out);
	unlink(path);
}

/*
 * A results file whose platform is what runner run would have recorded on
 * a fixture platform (the same platform_to_json as list --json), with no
 * device run: the capture reproduces it; an edited fact does not.
 */
static int write_replay_doc(const char *fixture, const char *path,
			    void (*edit)(json_object *plat))
{
	char cmd[PATH_MAX * 3], list[PATH_MAX + 8];
	json_object *doc, *plat;
	int st;

	snprintf(list, sizeof(list), "%s.list", path);
	snprintf(cmd, sizeof(cmd), RUNNER " list --json --from " PLATFORMS "%s > %s", fixture,
		 list);
	st = system(cmd);
	if (st)
		return -1;
	doc = json_object_from_file(LAB);
	plat = json_object_from_file(list);
	unlink(list);
	if (!doc || !plat)
		return -1;
	json_object_object_add(plat, "virtual", json_object_new_boolean(0));
	if (edit)
		edit(plat);
	json_object_object_add(doc, "platform", plat);
	json_object_object_add(doc, "devices", json_object_new_array());
	json_object_object_add(doc, "tests", json_object_new_array());
	json_object_object_add(doc, "verdicts", json_object_new_array());
	st = json_object_to_file(path, doc);
	json_object_put(doc);
	return st;
}

static void no_snoop_flipped(json_object *plat)
{
	json_object *d = at(plat, "devices", 2);
	json_object *v = at(d, "enable_no_snoop", -1);

	json_object_object_add(d, "enable_no_snoop",
			       json_object_new_boolean(!json_object_get_boolean(v)));
}

/* Names come from the reader's pci.ids: never a mismatch. */
static void renamed(json_object *plat)
{
	set_str(at(plat, "devices", 2), "device_name", "something else");
}

static void device_removed(json_object *plat)
{
	json_object_array_del_idx(at(plat, "devices", -1), 4, 1);
}

FIXTURE(replay) {
	char path[PATH_MAX];
	char out[16384];
	int status;
};

FIXTURE_VARIANT(replay) {
	const char *recorded_on, *capture;
	void (*edit)(json_object *plat);
	int exit_status;
	const char *has[2];
};

FIXTURE_VARIANT_ADD(replay, same_machine) {
	.recorded_on = "intel-x99-xeon-e5v3", .capture = PLATFORMS "intel-x99-xeon-e5v3",
	.exit_status = 0, .has = { ": valid, every verdict re-judged, platform reproduced by the capture" },
};
FIXTURE_VARIANT_ADD(replay, names_are_not_compared) {
	.recorded_on = "intel-x99-xeon-e5v3", .capture = PLATFORMS "intel-x99-xeon-e5v3",
	.edit = renamed, .exit_status = 0, .has = { "platform reproduced by the capture" },
};
FIXTURE_VARIANT_ADD(replay, a_fact_edited) {
	.recorded_on = "intel-x99-xeon-e5v3", .capture = PLATFORMS "intel-x99-xeon-e5v3",
	.edit = no_snoop_flipped, .exit_status = 1,
	.has = { "$.platform.devices[2].enable_no_snoop: recorded true, the capture gives false" },
};
FIXTURE_VARIANT_ADD(replay, a_device_left_out) {
	.recorded_on = "intel-x99-xeon-e5v3", .capture = PLATFORMS "intel-x99-xeon-e5v3",
	.edit = device_removed, .exit_status = 1,
	.has = { "$.platform.devices: the capture has bdf 0000:00:1a.0, the file does not" },
};
FIXTURE_VARIANT_ADD(replay, another_machine) {
	.recorded_on = "intel-x99-xeon-e5v3", .capture = PLATFORMS "intel-h310-coffeelake-dgpu",
	.exit_status = 1,
	.has = { "$.platform.platform_id: recorded \"huananzhi-x99-qd4-89247701\", the capture is "
		 "of another machine, \"ecs-h310ch5-m2-6a686701\"" },
};
FIXTURE_VARIANT_ADD(replay, no_such_capture) {
	.recorded_on = "intel-x99-xeon-e5v3", .capture = "/nonexistent/capture",
	.exit_status = 2, .has = { "/nonexistent/capture: not a capture directory" },
};

FIXTURE_SETUP(replay)
{
	char cmd[PATH_MAX * 2];

	snprintf(self->path, sizeof(self->path), "/tmp/snoop-replay-%d.json", getpid());
	ASSERT_EQ(0, write_replay_doc(variant->recorded_on, self->path, variant->edit));
	snprintf(cmd, sizeof(cmd), RUNNER " validate --capture %s %s 2>&1", variant->capture,
		 self->path);
	self->status = run(cmd, self->out, sizeof(self->out));
}

FIXTURE_TEARDOWN(replay)
{
	unlink(self->path);
}

TEST_F(replay, the_capture_reproduces_the_platform)
{
	ASSERT_TRUE(WIFEXITED(self->status));
	EXPECT_EQ(variant->exit_status, WEXITSTATUS(self->status)) TH_LOG("%s", self->out);
	for (int i = 0; i < 2 && variant->has[i]; i++) {
		EXPECT_NE(NULL, strstr(self->out, variant->has[i]))
			TH_LOG("missing '%s' in:\n%s", variant->has[i], self->out);
	}
}

TEST_HARNESS_MAIN
