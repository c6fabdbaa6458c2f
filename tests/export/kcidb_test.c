// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner export --kcidb on recorded lab runs (tests/fixtures/results/),
 * checked against kcidb-io's own v5.3 schema (tests/kcidb/, validated by
 * Debian's python3-jsonschema): paths, statuses and durations as the
 * results give them, ids that are stable and never collide, and a document
 * with a broken field that the check refuses, so the check can fail.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include <json.h>

#include "base/fsutil.h"
#include "base/jsonfile.h"

#define RUNNER "build/t/runner"
#define VALIDATE "/usr/bin/python3 tests/kcidb/validate.py"
#define FIX "tests/fixtures/results/"
#define VTD_SC_RUN "qemu-standard-pc-q35-ich9-2009-b6e967b0-20261202T142135Z"

FIXTURE(kcidb) {
	char dir[64];
	char path[PATH_MAX];	/* scratch: a file name in dir */
};

FIXTURE_SETUP(kcidb)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/snoop-kcidb-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
}

FIXTURE_TEARDOWN(kcidb)
{
	remove_tree(self->dir);
}

/* dir/name, in the fixture's scratch buffer. */
static const char *in(struct _test_data_kcidb *self, const char *name)
{
	snprintf(self->path, sizeof(self->path), "%s/%s", self->dir, name);
	return self->path;
}

/* The shell's exit status of cmd, its output kept in dir/cmd.log. */
static int sh(struct _test_data_kcidb *self, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int sh(struct _test_data_kcidb *self, const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int n, st;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n + 200 >= sizeof(cmd))
		return -1;
	snprintf(cmd + n, sizeof(cmd) - (size_t)n, " >%s/cmd.log 2>&1", self->dir);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static char *log_text(struct _test_data_kcidb *self)
{
	size_t len;

	return read_file(in(self, "cmd.log"), &len);
}

/* The tests[] entry with that id, or NULL. */
static json_object *test_by_id(json_object *doc, const char *id)
{
	json_object *tests = jmember(doc, "tests");
	size_t i = 0;

	while (i < jarray_len(tests) && strcmp(jmember_str(jarray_at(tests, i), "id"), id))
		i++;
	return jarray_at(tests, i);
}

static const char *str(json_object *o, const char *key)
{
	return json_object_get_string(json_object_object_get(o, key));
}

TEST_F(kcidb, a_lab_run_exports_valid_with_its_paths_statuses_and_durations)
{
	json_object *doc, *t, *misc;

	ASSERT_EQ(0, sh(self, RUNNER " export --kcidb -o %s " FIX "lab-vtd-sc.json",
			in(self, "k.json")));
	ASSERT_EQ(0, sh(self, VALIDATE " %s", in(self, "k.json"))) {
		TH_LOG("%s", log_text(self));
	}
	doc = json_object_from_file(in(self, "k.json"));
	ASSERT_NE(NULL, doc);
	/* 147 suite tests, the run, 3 verdicts */
	EXPECT_EQ(151, json_object_array_length(json_object_object_get(doc, "tests")));
	t = test_by_id(doc, "snoopcheck:" VTD_SC_RUN
		       "/attach@0000:00:06.0/path.iommufd_hwpt.enforcement_matches_the_unit");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("snoopcheck.attach.path.iommufd_hwpt.enforcement_matches_the_unit",
		     str(t, "path"));
	EXPECT_STREQ("PASS", str(t, "status"));
	EXPECT_STREQ("snoopcheck:" VTD_SC_RUN, str(t, "build_id"));
	misc = json_object_object_get(json_object_object_get(t, "environment"), "misc");
	EXPECT_STREQ("0000:00:06.0", str(misc, "device"));
	EXPECT_STREQ("qemu-standard-pc-q35-ich9-2009-b6e967b0", str(misc, "platform_id"));
	EXPECT_STREQ("1234:11e8", str(misc, "pci_id"));
	/* a skip keeps its reason */
	t = test_by_id(doc, "snoopcheck:" VTD_SC_RUN
		       "/attach@0000:00:04.0/global.non_viable_group_is_refused_on_every_path");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("SKIP", str(t, "status"));
	EXPECT_NE(NULL, strstr(str(t, "comment"), "is viable"));
	/* the run: the one real start time, its duration as the file has it */
	t = test_by_id(doc, "snoopcheck:" VTD_SC_RUN);
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("snoopcheck", str(t, "path"));
	EXPECT_STREQ("2026-12-02T14:21:35Z", str(t, "start_time"));
	EXPECT_STREQ("132.114857845", json_object_to_json_string(json_object_object_get(t, "duration")));
	/* a verdict */
	t = test_by_id(doc, "snoopcheck:" VTD_SC_RUN "/verdict@0000:00:05.0");
	ASSERT_NE(NULL, t);
	EXPECT_STREQ("snoopcheck.verdict", str(t, "path"));
	EXPECT_STREQ("PASS", str(t, "status"));
	EXPECT_STREQ("blocked-by-iommu", str(json_object_object_get(t, "misc"), "label"));
	json_object_put(doc);
}

TEST_F(kcidb, failures_map_to_fail_and_ids_never_collide_across_runs)
{
	json_object *doc, *tests, *ids = json_object_new_object(), *t;
	int fails = 0;

	ASSERT_EQ(0, sh(self, RUNNER " export --kcidb --origin lab_x -o %s " FIX "lab-vtd-sc.json "
			FIX "lab-amdvi.json", in(self, "two.json")));
	ASSERT_EQ(0, sh(self, VALIDATE " %s", in(self, "two.json")));
	doc = json_object_from_file(in(self, "two.json"));
	ASSERT_NE(NULL, doc);
	tests = json_object_object_get(doc, "tests");
	EXPECT_EQ(2, json_object_array_length(json_object_object_get(doc, "builds")));
	for (size_t i = 0; i < json_object_array_length(tests); i++) {
		const char *id;

		t = json_object_array_get_idx(tests, i);
		id = str(t, "id");
		EXPECT_EQ(0, strncmp(id, "lab_x:", 6));
		EXPECT_FALSE(json_object_object_get_ex(ids, id, NULL)) TH_LOG("%s twice", id);
		json_object_object_add(ids, id, NULL);
		fails += !strcmp(str(t, "status"), "FAIL");
	}
	/* amdvi's 20 known dma failures, and its run as a whole */
	EXPECT_EQ(21, fails);
	json_object_put(ids);
	json_object_put(doc);
}

TEST_F(kcidb, the_same_run_exports_the_same_bytes_but_only_once_a_document)
{
	char *a, *b;
	size_t la, lb;

	ASSERT_EQ(0, sh(self, RUNNER " export --kcidb -o %s " FIX "lab-amdvi.json", in(self, "a")));
	ASSERT_EQ(0, sh(self, RUNNER " export --kcidb " FIX "lab-amdvi.json | tee %s", in(self, "b")));
	a = read_file(in(self, "a"), &la);
	b = read_file(in(self, "b"), &lb);
	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	EXPECT_EQ(la, lb);
	EXPECT_EQ(0, memcmp(a, b, la < lb ? la : lb));
	free(a);
	free(b);
	EXPECT_EQ(2, sh(self, RUNNER " export --kcidb " FIX "lab-amdvi.json " FIX "lab-amdvi.json"));
	a = log_text(self);
	EXPECT_NE(NULL, strstr(a, "each run is exported once")) TH_LOG("%s", a);
	free(a);
}

/* A copy of vtd-sc's results with the members a newer runner writes. */
static int newer_results(const char *path)
{
	json_object *doc = json_object_from_file(FIX "lab-vtd-sc.json"), *k, *log, *cfg, *opts;
	int n;

	if (!doc)
		return -1;
	k = json_object_object_get(json_object_object_get(doc, "platform"), "kernel");
	json_object_object_add(k, "arch", json_object_new_string("x86_64"));
	json_object_object_add(k, "build_id",
			       json_object_new_string("101ab6e3d5f53bc0865c1d94a477176448a261a6"));
	json_object_object_add(k, "git_commit",
			       json_object_new_string("0123456789abcdef0123456789abcdef01234567"));
	cfg = json_object_new_object();
	opts = json_object_new_object();
	json_object_object_add(opts, "CONFIG_IOMMUFD", json_object_new_string("y"));
	json_object_object_add(opts, "CONFIG_KVM", NULL);
	json_object_object_add(cfg, "source", json_object_new_string("/proc/config.gz"));
	json_object_object_add(cfg, "options", opts);
	json_object_object_add(k, "config", cfg);
	json_object_object_add(json_object_object_get(doc, "run"), "logs_dir",
			       json_object_new_string(VTD_SC_RUN));
	log = json_object_new_object();
	json_object_object_add(log, "ktap", json_object_new_string("attach@0000:00:04.0.ktap"));
	json_object_object_add(log, "line", json_object_new_int(3));
	json_object_object_add(json_object_array_get_idx(json_object_object_get(doc, "tests"), 0),
			       "log", log);
	n = json_object_to_file(path, doc);
	json_object_put(doc);
	return n;
}

TEST_F(kcidb, kernel_identity_and_logs_go_where_kcidb_has_fields)
{
	json_object *doc, *b, *c, *t, *misc;
	char results[PATH_MAX];

	snprintf(results, sizeof(results), "%s", in(self, "newer.json"));
	ASSERT_EQ(0, newer_results(results));
	ASSERT_EQ(0, sh(self, RUNNER " export --kcidb --lab rack_3 --log-base https://lab.example/r "
			"-o %s %s", in(self, "k.json"), results)) {
		TH_LOG("%s", log_text(self));
	}
	ASSERT_EQ(0, sh(self, VALIDATE " %s", in(self, "k.json")));
	doc = json_object_from_file(in(self, "k.json"));
	ASSERT_NE(NULL, doc);
	c = json_object_array_get_idx(json_object_object_get(doc, "checkouts"), 0);
	EXPECT_STREQ("0123456789abcdef0123456789abcdef01234567", str(c, "git_commit_hash"));
	b = json_object_array_get_idx(json_object_object_get(doc, "builds"), 0);
	EXPECT_STREQ("x86_64", str(b, "architecture"));
	misc = json_object_object_get(b, "misc");
	EXPECT_STREQ("101ab6e3d5f53bc0865c1d94a477176448a261a6", str(misc, "build_id"));
	EXPECT_STREQ("y", str(json_object_object_get(misc, "config"), "CONFIG_IOMMUFD"));
	/* unknown is left out: KCIDB has no null */
	EXPECT_FALSE(json_object_object_get_ex(json_object_object_get(misc, "config"), "CONFIG_KVM",
					       NULL));
	t = json_object_array_get_idx(json_object_object_get(doc, "tests"), 1);
	EXPECT_STREQ("https://lab.example/r/" VTD_SC_RUN "/attach@0000:00:04.0.ktap",
		     str(t, "log_url"));
	EXPECT_STREQ(VTD_SC_RUN "/attach@0000:00:04.0.ktap",
		     str(json_object_object_get(t, "misc"), "log"));
	EXPECT_STREQ("rack_3", str(json_object_object_get(json_object_object_get(t, "environment"),
							  "misc"), "lab"));
	json_object_put(doc);
}

TEST_F(kcidb, a_broken_field_fails_the_schema_check)
{
	json_object *doc, *t;

	ASSERT_EQ(0, sh(self, RUNNER " export --kcidb -o %s " FIX "lab-vtd-sc.json",
			in(self, "k.json")));
	doc = json_object_from_file(in(self, "k.json"));
	ASSERT_NE(NULL, doc);
	t = json_object_array_get_idx(json_object_object_get(doc, "tests"), 2);
	json_object_object_add(t, "status", json_object_new_string("XFAIL"));
	ASSERT_EQ(0, json_object_to_file(in(self, "status.json"), doc));
	EXPECT_EQ(1, sh(self, VALIDATE " %s", in(self, "status.json")));
	json_object_object_add(t, "status", json_object_new_string("PASS"));
	/* a log_url relative to the results file is not a URI */
	json_object_object_add(t, "log_url", json_object_new_string("run/attach@0000:00:04.0.ktap"));
	ASSERT_EQ(0, json_object_to_file(in(self, "url.json"), doc));
	EXPECT_EQ(1, sh(self, VALIDATE " %s", in(self, "url.json")));
	json_object_object_del(t, "log_url");
	json_object_object_add(t, "duration", NULL);
	ASSERT_EQ(0, json_object_to_file(in(self, "null.json"), doc));
	EXPECT_EQ(1, sh(self, VALIDATE " %s", in(self, "null.json")));
	json_object_put(doc);
}

TEST_F(kcidb, bad_options_and_inputs_are_exit_2)
{
	EXPECT_EQ(2, sh(self, RUNNER " export --kcidb --origin Snoop-Check " FIX "lab-amdvi.json"));
	EXPECT_EQ(2, sh(self, RUNNER " export --kcidb --log-base lab.example/r " FIX "lab-amdvi.json"));
	EXPECT_EQ(2, sh(self, RUNNER " export " FIX "lab-amdvi.json"));
	EXPECT_EQ(2, sh(self, RUNNER " export --kcidb " FIX "wrong.json"));
	EXPECT_EQ(2, sh(self, RUNNER " export --kcidb tests/fixtures/platforms/devbox-noiommu/"
			"expected-list.json"));
	EXPECT_EQ(2, sh(self, RUNNER " export --kcidb -o %s " FIX "truncated.json", in(self, "no")));
	EXPECT_NE(0, access(in(self, "no"), F_OK));
}

TEST_HARNESS_MAIN
