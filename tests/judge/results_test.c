// SPDX-License-Identifier: GPL-2.0-only
/*
 * Results: a document built from a real platform capture validates, is
 * written atomically, and `runner validate` reports every kind of bad
 * input with its place (FILE:LINE:COL for syntax, the JSON path for
 * schema problems) and exit status 2.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "base/jsonfile.h"
#include "discover/platform.h"
#include "judge/results.h"
#include "sysfs/sysroot.h"

#define RUNNER "build/t/runner"
#define FIX "tests/fixtures/results/"

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

TEST(a_run_of_a_real_platform_writes_a_valid_file)
{
	char path[PATH_MAX], cmd[PATH_MAX + 64], out[4096];
	struct klog_findings f = { 0 };
	struct results r = { 0 };
	struct platform p;
	struct verdict v;
	/* The evidence the type1 test below records: validate re-judges it. */
	struct verdict_evidence e = { .has_unit = true, .unit_can_enforce = FACT_NO,
				      .hw_info_agrees = FACT_UNKNOWN, .snp_matches = FACT_UNKNOWN,
				      .paths_tried = 1, .integrated = true };
	json_object *dev = json_object_new_object();
	char *argv[] = { "runner", "run", "--device", "0000:00:02.0" };
	int st;

	ASSERT_EQ(0, platform_discover(&p, "tests/fixtures/platforms/composite-kabylake-igpu-nosc", NULL));
	sysroot_replay_from(NULL);
	ASSERT_EQ(0, results_start(&r, &p, false, 4, argv));
	results_add_test(&r, "attach", "path.type1.enforcement_matches_the_unit", "0000:00:02.0",
			 "pass", NULL, 0.25, json_tokener_parse(
			 "[{\"path\": \"type1\", \"unit\": \"dmar0\", "
			 "\"unit_can_enforce\": false, \"enforced\": false}]"));
	results_add_test(&r, "attach", "path.iommufd_ioas.enforcement_matches_the_unit",
			 "0000:00:02.0", "skip", "kernel without CONFIG_IOMMUFD", 0, NULL);
	verdict_decide(&e, &v);
	results_add_verdict(&r, "0000:00:02.0", &v);
	json_object_object_add(dev, "bdf", json_object_new_string("0000:00:02.0"));
	json_object_object_add(dev, "selected", json_object_new_boolean(1));
	json_object_object_add(dev, "forced", json_object_new_boolean(0));
	json_object_object_add(dev, "driver_before", json_object_new_string("i915"));
	json_object_object_add(dev, "driver_after", json_object_new_string("i915"));
	results_add_device(&r, dev);
	ASSERT_EQ(0, klog_scan("DMAR: DRHD: handling fault status reg 2\n", &f));
	results_add_klog(&r, &f);
	results_add_note(&r, "recorded evidence, not a live run");
	path_fmt(path, sizeof(path), "/tmp/snoop-results-%d/r.json", getpid());
	ASSERT_EQ(0, results_finish(&r, path, stderr));
	path_fmt(cmd, sizeof(cmd), RUNNER " validate %s 2>&1", path);
	st = run(cmd, out, sizeof(out));
	EXPECT_EQ(0, WEXITSTATUS(st)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, ": valid"));
	unlink(path);
	*strrchr(path, '/') = '\0';
	rmdir(path);
	klog_findings_free(&f);
	results_free(&r);
	platform_free(&p);
}

TEST(an_invalid_document_is_refused_and_nothing_written)
{
	struct results r = { 0 };
	struct platform p;
	char path[PATH_MAX], buf[4096] = "";
	FILE *err = fmemopen(buf, sizeof(buf), "w");

	ASSERT_EQ(0, platform_discover(&p, "tests/fixtures/platforms/devbox-noiommu", NULL));
	sysroot_replay_from(NULL);
	ASSERT_EQ(0, results_start(&r, &p, false, 0, NULL));
	results_add_test(&r, "attach", "x", NULL, "passed", NULL, 0, NULL);
	path_fmt(path, sizeof(path), "/tmp/snoop-results-bad-%d.json", getpid());
	EXPECT_EQ(-EINVAL, results_finish(&r, path, err));
	fclose(err);
	EXPECT_NE(NULL, strstr(buf, "$.tests[0].outcome: expected one of \"pass\""));
	EXPECT_NE(0, access(path, F_OK));
	results_free(&r);
	platform_free(&p);
}

/* Every duration_s was a made-up 0; an unknown one is null. */
TEST(unknown_durations_are_null_and_each_test_names_its_log)
{
	struct results r = { 0 };
	struct platform p;
	json_object *t, *run, *v, *log;

	ASSERT_EQ(0, platform_discover(&p, "tests/fixtures/platforms/devbox-noiommu", NULL));
	sysroot_replay_from(NULL);
	ASSERT_EQ(0, results_start(&r, &p, false, 0, NULL));
	/* A new document is complete until said otherwise. */
	json_object_object_get_ex(r.doc, "run", &run);
	ASSERT_TRUE(json_object_object_get_ex(run, "complete", &v));
	EXPECT_TRUE(json_object_get_boolean(v));
	t = results_add_test(&r, "attach", "a.b", "0000:00:04.0", "fail", "Expected 1 == 0",
			     NAN, NULL);
	ASSERT_NE(NULL, t);
	results_set_test_log(t, "attach@0000:00:04.0.ktap", 12, "attach@0000:00:04.0.err", NULL);
	results_add_test(&r, "attach", "a.c", "0000:00:04.0", "pass", NULL, 0.5, NULL);
	results_set_logs_dir(&r, "run-1");
	results_set_incomplete(&r, "interrupted by SIGINT after 1 of 4 suite runs");
	EXPECT_EQ(0, results_validate(r.doc, "doc", stderr));

	ASSERT_TRUE(json_object_object_get_ex(t, "duration_s", &v));
	EXPECT_EQ(NULL, v);
	ASSERT_TRUE(json_object_object_get_ex(t, "log", &log));
	ASSERT_TRUE(json_object_object_get_ex(log, "line", &v));
	EXPECT_EQ(12, json_object_get_int(v));
	ASSERT_TRUE(json_object_object_get_ex(log, "kmsg", &v));
	EXPECT_EQ(NULL, v);
	ASSERT_TRUE(json_object_object_get_ex(run, "complete", &v));
	EXPECT_FALSE(json_object_get_boolean(v));
	ASSERT_TRUE(json_object_object_get_ex(run, "incomplete_reason", &v));
	EXPECT_STREQ("interrupted by SIGINT after 1 of 4 suite runs", json_object_get_string(v));
	ASSERT_TRUE(json_object_object_get_ex(run, "logs_dir", &v));
	EXPECT_STREQ("run-1", json_object_get_string(v));
	results_free(&r);
	platform_free(&p);
}

/* Validate doc with $.platform.devices[0].bdf set to bdf; problems in buf. */
static int with_bdf(json_object *doc, json_object *bdf, char *buf, size_t len)
{
	json_object *devs, *dev;
	FILE *err = fmemopen(buf, len, "w");
	int n;

	memset(buf, 0, len);
	json_object_object_get_ex(doc, "platform", &devs);
	json_object_object_get_ex(devs, "devices", &devs);
	dev = json_object_array_get_idx(devs, 0);
	json_object_object_add(dev, "bdf", bdf);
	n = results_validate(doc, "r.json", err);
	fclose(err);
	return n;
}

/*
 * The schema's BDF is one the project's reader (base/bdf.h) takes, whole
 * (tests/fuzz/results_fuzz.c): the pattern let device 0x2c through, and
 * regexec stopped at a NUL ("\u0000" in the file), so
 * "0000:00:02.0\u0000x" passed as 0000:00:02.0.
 */
TEST(a_bdf_is_valid_only_as_a_whole_pci_address)
{
	json_object *doc = json_file_parse(FIX "valid.json", stderr);
	char buf[1024];

	ASSERT_NE(NULL, doc);
	EXPECT_EQ(0, with_bdf(doc, json_object_new_string("0000:00:1f.7"), buf, sizeof(buf)))
		TH_LOG("%s", buf);
	EXPECT_EQ(1, with_bdf(doc, json_object_new_string("0000:00:2c.0"), buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "r.json: $.platform.devices[0].bdf: \"0000:00:2c.0\" does not match"))
		TH_LOG("%s", buf);
	EXPECT_EQ(1, with_bdf(doc, json_object_new_string_len("0000:00:02.0\0x", 14), buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "\"0000:00:02.0\" (then a NUL byte) does not match")) TH_LOG("%s", buf);
	json_object_put(doc);
}

FIXTURE(bad) {};
FIXTURE_SETUP(bad) {}
FIXTURE_TEARDOWN(bad) {}
FIXTURE_VARIANT(bad) {
	const char *file;
	const char *has[3];
};
FIXTURE_VARIANT_ADD(bad, garbage) {
	.file = FIX "garbage.json",
	.has = { FIX "garbage.json:1:", "expected JSON" },
};
FIXTURE_VARIANT_ADD(bad, truncated) {
	.file = FIX "truncated.json",
	.has = { FIX "truncated.json:", "unexpected end of file (truncated?)" },
};
FIXTURE_VARIANT_ADD(bad, wrong_types_and_enum) {
	.file = FIX "wrong.json",
	.has = { "$.tests[0].outcome: expected one of",
		 "$.run.duration_s: expected number, got string",
		 "$.verdicts[0].label: expected one of" },
};
FIXTURE_VARIANT_ADD(bad, missing_members) {
	.file = FIX "missing.json",
	.has = { "$.run: missing required member \"id\"",
		 "$: missing required member \"verdicts\"",
		 "$.platform.devices[0].bdf: \"00:02.0\" does not match" },
};
FIXTURE_VARIANT_ADD(bad, absent) {
	.file = FIX "absent.json",
	.has = { FIX "absent.json: cannot read: No such file or directory" },
};

TEST_F(bad, every_problem_is_named_and_exit_is_2)
{
	char cmd[512], out[8192];
	int st;

	snprintf(cmd, sizeof(cmd), RUNNER " validate %s 2>&1", variant->file);
	st = run(cmd, out, sizeof(out));
	EXPECT_EQ(2, WEXITSTATUS(st));
	for (int i = 0; i < 3 && variant->has[i]; i++) {
		EXPECT_NE(NULL, strstr(out, variant->has[i]))
			TH_LOG("missing '%s' in:\n%s", variant->has[i], out);
	}
}

TEST_HARNESS_MAIN
