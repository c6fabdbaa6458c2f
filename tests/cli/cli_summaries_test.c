// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner compare from kept summaries (base/filecache.h, judge/docsum.h)
 * says byte for byte what it says reading every file whole (--no-cache):
 * the first run, which keeps the summaries, and the next, which reads
 * them, on the lab's two kernels (tests/fixtures/report/README.md) with a
 * rerun of one platform that differs only in its run and durations (its
 * pair is never read whole), as a two-sided compare, the gate (--json
 * --expect) and the kernels' baseline. A file written again after its
 * summary was kept is read afresh: a regression injected then is found.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include <json.h>

#include "clirun.h"

#define LAB "tests/fixtures/report/lab-"

FIXTURE(sums) {
	char dir[64];
	char old[96], new[96], cache[96];
};

/* A copy of src at dst with its run renamed and every duration doubled, or the file as it is. */
static int copy_doc(const char *src, const char *dst, const char *run_id)
{
	json_object *doc = json_object_from_file(src), *ts;
	int r;

	if (!doc)
		return -1;
	if (run_id) {
		json_object_object_add(json_object_object_get(doc, "run"), "id",
				       json_object_new_string(run_id));
		ts = json_object_object_get(doc, "tests");
		for (size_t i = 0; i < json_object_array_length(ts); i++) {
			json_object *t = json_object_array_get_idx(ts, i);
			double d = json_object_get_double(json_object_object_get(t, "duration_s"));

			json_object_object_add(t, "duration_s", json_object_new_double(2 * d + 1));
		}
	}
	r = json_object_to_file_ext(dst, doc, JSON_C_TO_STRING_PRETTY);
	json_object_put(doc);
	return r;
}

/*
 * Wait until a file written now is past the window in which a second
 * write could keep its times (base/filecache.c keeps nothing younger).
 */
static void settle(void)
{
	usleep(2100 * 1000);
}

FIXTURE_SETUP(sums)
{
	char p[PATH_MAX];

	snprintf(self->dir, sizeof(self->dir), "/tmp/snoop-cli-sums-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->old, sizeof(self->old), "%s/old", self->dir);
	snprintf(self->new, sizeof(self->new), "%s/new", self->dir);
	snprintf(self->cache, sizeof(self->cache), "%s/cache", self->dir);
	ASSERT_EQ(0, mkdir(self->old, 0755));
	ASSERT_EQ(0, mkdir(self->new, 0755));
	ASSERT_EQ(0, setenv("SNOOPCHECK_CACHE_DIR", self->cache, 1));
	snprintf(p, sizeof(p), "%s/vtd-sc.json", self->old);
	ASSERT_EQ(0, copy_doc(LAB "6.12/vtd-sc/results.json", p, NULL));
	snprintf(p, sizeof(p), "%s/vtd-nosc.json", self->old);
	ASSERT_EQ(0, copy_doc(LAB "6.12/vtd-nosc/results.json", p, NULL));
	snprintf(p, sizeof(p), "%s/vtd-sc.json", self->new);
	ASSERT_EQ(0, copy_doc(LAB "6.1/vtd-sc/results.json", p, NULL));
	/* vtd-nosc run again on 6.12: nothing compare reads has changed. */
	snprintf(p, sizeof(p), "%s/vtd-nosc.json", self->new);
	ASSERT_EQ(0, copy_doc(LAB "6.12/vtd-nosc/results.json", p, "vtd-nosc-20261204T010000Z"));
	settle();
}

FIXTURE_TEARDOWN(sums)
{
	char cmd[PATH_MAX];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

/* Records kept under dir, at any depth. */
static int records(const char *dir)
{
	char cmd[PATH_MAX];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "find '%s' -type f 2>/dev/null | wc -l", dir);
	p = popen(cmd, "r");
	if (p) {
		if (fscanf(p, "%d", &n) != 1)
			n = -1;
		pclose(p);
	}
	return n;
}

/*
 * args run with --no-cache, then twice with the cache (keeping, then
 * reading): the same status and output each time; the status back.
 */
static int same_three_ways(struct __test_metadata *_metadata, const char *args)
{
	static char want[sizeof(out)];
	char cmd[PATH_MAX * 2];
	int rc, again;

	snprintf(cmd, sizeof(cmd), RUNNER " compare --no-cache %s", args);
	rc = run(cmd);
	memcpy(want, out, sizeof(out));
	for (int i = 0; i < 2; i++) {
		snprintf(cmd, sizeof(cmd), RUNNER " compare %s", args);
		again = run(cmd);
		EXPECT_EQ(rc, again) TH_LOG("run %d: %s", i + 1, out);
		EXPECT_STREQ(want, out) TH_LOG("run %d of: %s", i + 1, args);
	}
	return rc;
}

TEST_F(sums, kept_summaries_change_nothing_compare_says)
{
	char args[PATH_MAX];

	snprintf(args, sizeof(args), "%s %s", self->old, self->new);
	EXPECT_EQ(0, same_three_ways(_metadata, args));
	/* The first run kept one summary per file; --no-cache kept none. */
	EXPECT_EQ(4, records(self->cache));
	EXPECT_NE(NULL, strstr(out, "0 regressions"));
	EXPECT_NE(NULL, strstr(out, "cannot open /dev/iommu")) TH_LOG("%s", out);

	snprintf(args, sizeof(args), "--json --expect results/expectations %s %s", self->old,
		 self->new);
	same_three_ways(_metadata, args);
	snprintf(args, sizeof(args), "--expect results/expectations --baseline %s %s", self->old,
		 self->new);
	EXPECT_EQ(0, same_three_ways(_metadata, args));
	snprintf(args, sizeof(args), "--json --expect results/expectations --baseline %s %s",
		 self->old, self->new);
	EXPECT_EQ(0, same_three_ways(_metadata, args));
}

TEST_F(sums, a_file_written_again_is_read_afresh)
{
	char cmd[PATH_MAX * 2], p[PATH_MAX];
	json_object *doc, *vs;

	snprintf(cmd, sizeof(cmd), RUNNER " compare %s %s", self->old, self->new);
	ASSERT_EQ(0, run(cmd)) TH_LOG("%s", out);
	ASSERT_EQ(4, records(self->cache));

	/* The rerun's verdict regresses; the file is written again, the same size or not. */
	snprintf(p, sizeof(p), "%s/vtd-nosc.json", self->new);
	doc = json_object_from_file(p);
	ASSERT_NE(NULL, doc);
	vs = json_object_object_get(doc, "verdicts");
	ASSERT_LT(0, json_object_array_length(vs));
	json_object_object_add(json_object_array_get_idx(vs, 0), "label",
			       json_object_new_string("cc-misreported"));
	ASSERT_EQ(0, json_object_to_file_ext(p, doc, JSON_C_TO_STRING_PRETTY));
	json_object_put(doc);

	/* At once (too new to keep) and once settled (kept again): found both times. */
	EXPECT_EQ(1, run(cmd)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "cc-misreported")) TH_LOG("%s", out);
	settle();
	snprintf(cmd, sizeof(cmd), "%s %s", self->old, self->new);
	EXPECT_EQ(1, same_three_ways(_metadata, cmd));
	EXPECT_NE(NULL, strstr(out, "cc-misreported")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
