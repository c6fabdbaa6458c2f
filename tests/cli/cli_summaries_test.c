// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner compare from kept summaries (base/filecache.h, judge/docsum.h)
 * says byte for byte what it says reading every file whole (--no-cache):
 * the first run, which keeps the summaries, and the next, which reads
 * them, on the lab's two kernels (tests/fixtures/report/README.md) with a
 * rerun of one platform that differs only in its run and durations (its
 * pair is never read whole), as a two-sided compare, the gate (--json
 * --expect) and the kernels' baseline. A file written again after its
 * summary was kept is read afresh: a regression injected then is found,
 * and a bad document written there is bad input again.
 * runner report from summaries shows the matrix --no-cache shows. A
 * cache directory others can write to is not used, and why is said.
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
	/* The first run kept a summary and a view per file; --no-cache kept none. */
	EXPECT_EQ(8, records(self->cache));
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
	ASSERT_EQ(8, records(self->cache));

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

	/* Written again as a bad document: checked again, bad input, with its place. */
	{
		FILE *f = fopen(p, "w");

		ASSERT_NE(NULL, f);
		fputs("{\"schema_version\": 1}\n", f);
		fclose(f);
	}
	snprintf(cmd, sizeof(cmd), RUNNER " compare %s %s", self->old, self->new);
	EXPECT_EQ(2, run(cmd)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "vtd-nosc.json: $")) TH_LOG("%s", out);
}

/* A cache others may write to is not believed: no record is read or kept, and why is said. */
TEST_F(sums, a_cache_others_can_write_is_not_used)
{
	char cmd[PATH_MAX * 2];

	ASSERT_EQ(0, mkdir(self->cache, 0755));
	ASSERT_EQ(0, mkdir(strcat(strcpy(cmd, self->cache), "/summaries"), 0755));
	ASSERT_EQ(0, chmod(cmd, 0777));
	snprintf(cmd, sizeof(cmd), RUNNER " compare %s %s", self->old, self->new);
	EXPECT_EQ(0, run(cmd)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "no summaries kept, every file read whole: ")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "writable by its group or others")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "0 regressions")) TH_LOG("%s", out);
	EXPECT_EQ(0, records(self->cache));
}

/*
 * The page's matrix as a program reads it back: every row's and cell's
 * opening tag, less data-like (which row a repeating row points to), and
 * the summary and gate lines; malloc'd.
 */
static char *matrix_of(const char *page)
{
	static const char *const starts[] = {
		"<tr class=\"run\"", "<td class=\"cell", "<p class=\"summary\"", "<p class=\"gate\"",
	};
	char *html = NULL, *outp = NULL;
	size_t len = 0, n;
	FILE *f = fopen(page, "r"), *o;

	if (!f)
		return NULL;
	o = open_memstream(&html, &len);
	while (o && (n = fread(out, 1, sizeof(out), f)) > 0)
		fwrite(out, 1, n, o);
	fclose(f);
	if (!o || fclose(o))
		return NULL;
	o = open_memstream(&outp, &len);
	for (const char *p = html; o && *p; p++) {
		for (size_t k = 0; k < sizeof(starts) / sizeof(starts[0]); k++) {
			const char *end;

			if (strncmp(p, starts[k], strlen(starts[k])) || !(end = strchr(p, '>')))
				continue;
			for (const char *q = p; q <= end; q++) {
				if (!strncmp(q, " data-like=\"", 12)) {
					q = strchr(q + 12, '"');
					continue;
				}
				fputc(*q, o);
			}
			fputc('\n', o);
		}
	}
	free(html);
	if (o)
		fclose(o);
	return outp;
}

/*
 * A tree of one platform's runs A, B (a verdict regressed), A again, and
 * vtd-nosc on both kernels: with summaries kept, the rerun of A is shown
 * from its head and points to A's row; the matrix is --no-cache's.
 */
TEST_F(sums, a_report_from_summaries_shows_the_same_matrix)
{
	static const char *const gated[] = { "", "--expect results/expectations " };
	char tree[128], p[PATH_MAX], cmd[PATH_MAX * 2], page[PATH_MAX], *want, *got;
	json_object *doc;

	snprintf(tree, sizeof(tree), "%s/tree/vtd-sc", self->dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' '%s/tree/vtd-nosc'", tree, self->dir);
	ASSERT_EQ(0, system(cmd));
	snprintf(p, sizeof(p), "%s/1.json", tree);
	ASSERT_EQ(0, copy_doc(LAB "6.12/vtd-sc/results.json", p, "vtd-sc-20261201T000000Z"));
	snprintf(p, sizeof(p), "%s/3.json", tree);
	ASSERT_EQ(0, copy_doc(LAB "6.12/vtd-sc/results.json", p, "vtd-sc-20261203T000000Z"));
	doc = json_object_from_file(LAB "6.12/vtd-sc/results.json");
	ASSERT_NE(NULL, doc);
	json_object_object_add(json_object_object_get(doc, "run"), "id",
			       json_object_new_string("vtd-sc-20261202T000000Z"));
	json_object_object_add(json_object_array_get_idx(json_object_object_get(doc, "verdicts"), 0),
			       "label", json_object_new_string("cc-misreported"));
	snprintf(p, sizeof(p), "%s/2.json", tree);
	ASSERT_EQ(0, json_object_to_file_ext(p, doc, JSON_C_TO_STRING_PRETTY));
	json_object_put(doc);
	snprintf(p, sizeof(p), "%s/tree/vtd-nosc/6.12.json", self->dir);
	ASSERT_EQ(0, copy_doc(LAB "6.12/vtd-nosc/results.json", p, NULL));
	snprintf(p, sizeof(p), "%s/tree/vtd-nosc/6.1.json", self->dir);
	ASSERT_EQ(0, copy_doc(LAB "6.1/vtd-nosc/results.json", p, NULL));
	settle();

	snprintf(page, sizeof(page), "%s/page.html", self->dir);
	for (size_t g = 0; g < 2; g++) {
		/* --no-cache, then keeping the summaries, then reading them. */
		for (int i = 0; i < 3; i++) {
			snprintf(cmd, sizeof(cmd), RUNNER " report %s%s%s/tree -o %s",
				 i ? "" : "--no-cache ", gated[g], self->dir, page);
			ASSERT_EQ(0, run(cmd)) TH_LOG("%s", out);
			got = matrix_of(page);
			ASSERT_NE(NULL, got);
			if (!i)
				want = got;
			EXPECT_STREQ(want, got) TH_LOG("run %d, %s", i, gated[g]);
			if (i)
				free(got);
		}
		EXPECT_NE(NULL, strstr(want, "cc-misreported"));
		/* The third run of vtd-sc is the first's results: shown from its head. */
		snprintf(cmd, sizeof(cmd), "grep -o '<tr class=\"run\"[^>]*data-like=\"row-[0-9]*\"' %s", page);
		EXPECT_EQ(0, run(cmd));
		EXPECT_NE(NULL, strstr(out, "vtd-sc-20261203T000000Z")) TH_LOG("%s", out);
		EXPECT_EQ(NULL, strstr(out, "vtd-sc-20261202T000000Z")) TH_LOG("%s", out);
		free(want);
	}
}

TEST_HARNESS_MAIN
