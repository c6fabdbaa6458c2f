// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lab as a fleet sees it: the main job (runner run on lab.conf.example's
 * devices, as make check-vm runs it) on two platforms (vtd-sc, vtd-nosc)
 * and two kernels (6.12, and 6.1 which has no iommufd), then what
 * maintainers and fleets read of it, each from those four real runs:
 *   - each platform's 6.1 run held against its 6.12 run (runner compare
 *     --expect results/expectations --baseline): 0 with only the known
 *     difference (kernel-6.1.conf), 1 when that is not explained or when
 *     a regression is injected into a copy;
 *   - runner report rendered in headless Chromium, its matrix read back
 *     from the DOM, the screenshot kept in build/artifacts/ for CI;
 *   - runner export --kcidb, valid against kcidb-io's v5.3 schema.
 * Whichever test runs first boots the guests (two at a time) into
 * build/artifacts/lab-fleet/KERNEL/PLATFORM/; the others read that tree
 * (a marker names the harness process that wrote it).
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include <json.h>

#include "base/fsutil.h"
#include "base/jsonfile.h"
#include "clirun.h"
#include "browser.h"

#define FLEET "build/artifacts/lab-fleet"
#define MARKER FLEET "/.written-by"
#define SHOT "build/artifacts/report-lab-fleet.png"
#define PAGE "build/artifacts/report-lab-fleet.html"
#define KCIDB "build/artifacts/kcidb-lab-fleet.json"
#define IOMMUFD_GONE "predates CONFIG_IOMMUFD, new in 6.2"
#define VALIDATE "/usr/bin/python3 tests/kcidb/validate.py"

static const char *const kernels[] = { "6.12", "6.1" };
static const char *const platforms[] = { "vtd-sc", "vtd-nosc" };
#define N_RUNS 4

/* The shell's exit status of the command printf makes; output in out. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(cmd))
		return -1;
	return run(cmd);
}

static json_object *results_of(const char *kernel, const char *platform)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), FLEET "/%s/%s/results.json", kernel, platform);
	return json_object_from_file(path);
}

/*
 * The harness process itself: each test runs in a child of a child of it
 * (a process per test), so getppid() differs from test to test; this is
 * set before main() and inherited by every one of them.
 */
static pid_t harness_pid;
static void __attribute__((constructor)) remember_harness(void)
{
	harness_pid = getpid();
}

/* Whether this harness run wrote the tree. */
static int tree_is_ours(void)
{
	char want[32], *got;
	size_t len;
	int ours;

	snprintf(want, sizeof(want), "%d\n", (int)harness_pid);
	got = read_file(MARKER, &len);
	ours = got && !strcmp(got, want);
	free(got);
	return ours;
}

/* The label of bdf's verdict in doc, or "(none)". */
static const char *verdict_of(json_object *doc, const char *bdf)
{
	json_object *vs = jmember(doc, "verdicts");

	for (size_t i = 0; i < jarray_len(vs); i++)
		if (!strcmp(jmember_str(jarray_at(vs, i), "device"), bdf))
			return jmember_str(jarray_at(vs, i), "label");
	return "(none)";
}

/* Tests whose name has part, counted by outcome ("pass", "skip", ...). */
static int count(json_object *doc, const char *part, const char *outcome, const char *reason)
{
	json_object *ts = jmember(doc, "tests");
	int n = 0;

	for (size_t i = 0; i < jarray_len(ts); i++) {
		json_object *t = jarray_at(ts, i);
		const char *r = jmember_str(t, "reason");

		n += strstr(jmember_str(t, "name"), part) &&
		     !strcmp(jmember_str(t, "outcome"), outcome) &&
		     (!reason || (r && strstr(r, reason)));
	}
	return n;
}

/* How many distinct first fields the sorted lines of text have. */
static int distinct_runs(const char *text)
{
	const char *prev = NULL;
	size_t prev_len = 0;
	int n = 0;

	for (const char *l = text; *l;) {
		size_t len = strcspn(l, "\t\n");

		if (!prev || len != prev_len || strncmp(prev, l, len))
			n++;
		prev = l;
		prev_len = len;
		l = strchr(l, '\n');
		if (!l)
			break;
		l++;
	}
	return n;
}

/*
 * Run the four guests once per harness run, in whichever test comes first
 * (the harness does not promise an order): the marker names this harness
 * process, so the other tests find the tree written. A failed run leaves
 * the marker too, and every later test fails on it at once instead of
 * booting the guests again.
 */
static void ensure_fleet(struct __test_metadata *_metadata)
{
	char marker[32];

	if (tree_is_ours())
		return;
	remove_tree(FLEET);
	ASSERT_EQ(0, sh("mkdir -p " FLEET "/6.12 " FLEET "/6.1"));
	snprintf(marker, sizeof(marker), "%d\n", (int)harness_pid);
	/* As scripts/check-vm.sh runs the main job, two guests at a time. */
	sh("printf '%%s\\n' 6.12/vtd-sc 6.12/vtd-nosc 6.1/vtd-sc 6.1/vtd-nosc | "
	   "xargs -P 2 -I@ sh -c 'k=${1%%%%/*} p=${1#*/}; " RUNNER " vm --kernel $k "
	   "--timeout 900 --out " FLEET "/$1 $p -- ./runner run --config lab.conf.example "
	   "--out /run/out/results.json >" FLEET "/$1.log 2>&1 </dev/null; "
	   "echo $? >" FLEET "/$1.rc' _ @");
	ASSERT_EQ(0, write_file_atomic(MARKER, marker, strlen(marker)));
}

FIXTURE(fleet) {
	int unused;
};
/* Every test may be the one that boots the guests: each has their time. */
#define FLEET_TIMEOUT 1500
FIXTURE_SETUP(fleet)
{
	ensure_fleet(_metadata);
}
FIXTURE_TEARDOWN(fleet)
{
}

TEST_F_TIMEOUT(fleet, four_guest_runs_leave_valid_results, FLEET_TIMEOUT)
{
	for (int k = 0; k < 2; k++) {
		for (int p = 0; p < 2; p++) {
			json_object *doc;

			EXPECT_EQ(0, sh(RUNNER " validate " FLEET "/%s/%s/results.json", kernels[k],
					platforms[p])) TH_LOG("%s/%s: %s", kernels[k], platforms[p], out);
			doc = results_of(kernels[k], platforms[p]);
			ASSERT_NE(NULL, doc) {
				sh("tail -n 40 " FLEET "/%s/%s.log", kernels[k], platforms[p]);
				TH_LOG("%s on %s left no results:\n%s", platforms[p], kernels[k], out);
			}
			EXPECT_EQ(0, strncmp(kernels[k], jmember_str(jmember(jmember(doc, "platform"),
				"kernel"), "release"), strlen(kernels[k])));
			json_object_put(doc);
		}
	}
}

/*
 * What the kernels change: on 6.1 every iommufd path skips, saying why;
 * the legacy paths still decide, and every verdict is the one 6.12 gives.
 */
TEST_F_TIMEOUT(fleet, iommufd_skips_on_6_1_and_the_verdicts_hold, FLEET_TIMEOUT)
{
	for (int p = 0; p < 2; p++) {
		json_object *k612 = results_of("6.12", platforms[p]), *k61 = results_of("6.1", platforms[p]);
		json_object *vs = jmember(k612, "verdicts");

		ASSERT_NE(NULL, k612);
		ASSERT_NE(NULL, k61);
		EXPECT_LT(0, count(k612, "iommufd", "pass", NULL)) TH_LOG("%s", platforms[p]);
		EXPECT_EQ(0, count(k61, "iommufd", "pass", NULL)) TH_LOG("%s", platforms[p]);
		EXPECT_EQ(count(k61, "iommufd", "skip", NULL), count(k61, "iommufd", "skip", IOMMUFD_GONE))
			TH_LOG("%s: every iommufd skip on 6.1 should say why", platforms[p]);
		EXPECT_LT(0, count(k61, "iommufd", "skip", IOMMUFD_GONE)) TH_LOG("%s", platforms[p]);
		EXPECT_LT(0, count(k61, "type1", "pass", NULL)) TH_LOG("%s", platforms[p]);
		/* 6.1's one debugfs table still gives the SNP proof on the legacy paths */
		EXPECT_LT(0, count(k61, "type1.page_tables_carry_snp", "pass", NULL)) TH_LOG("%s", platforms[p]);
		EXPECT_LT(0, jarray_len(vs));
		EXPECT_EQ(jarray_len(vs), jarray_len(jmember(k61, "verdicts")));
		for (size_t i = 0; i < jarray_len(vs); i++) {
			const char *bdf = jmember_str(jarray_at(vs, i), "device");

			EXPECT_STREQ(verdict_of(k612, bdf), verdict_of(k61, bdf))
				TH_LOG("%s %s", platforms[p], bdf);
		}
		json_object_put(k612);
		json_object_put(k61);
	}
}

TEST_F_TIMEOUT(fleet, kernels_compare_clean_only_with_the_known_difference_expected, FLEET_TIMEOUT)
{
	char scratch[] = "/tmp/snoop-fleet-expect-XXXXXX", injected[PATH_MAX];
	json_object *doc, *ts;

	for (int p = 0; p < 2; p++) {
		EXPECT_EQ(0, sh(RUNNER " compare --expect results/expectations --baseline "
				FLEET "/6.12/%s/results.json " FLEET "/6.1/%s/results.json",
				platforms[p], platforms[p])) TH_LOG("%s", out);
		EXPECT_NE(NULL, strstr(out, "expect: 0 unexpected")) TH_LOG("%s", out);
	}
	/* Without kernel-6.1.conf each lost iommufd pass fails. */
	ASSERT_NE(NULL, mkdtemp(scratch));
	ASSERT_EQ(0, sh("cp results/expectations/*.conf %s && rm %s/kernel-6.1.conf", scratch, scratch));
	EXPECT_EQ(1, sh(RUNNER " compare --expect %s --baseline " FLEET "/6.12/vtd-sc/results.json "
			FLEET "/6.1/vtd-sc/results.json", scratch)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "  LOST  ")) TH_LOG("%s", out);
	/* A copy of the 6.1 run with a type1 pass turned into a failure: a regression. */
	doc = results_of("6.1", "vtd-sc");
	ASSERT_NE(NULL, doc);
	ts = jmember(doc, "tests");
	for (size_t i = 0; i < jarray_len(ts); i++) {
		json_object *t = jarray_at(ts, i);

		if (!strcmp(jmember_str(t, "name"), "path.type1.enforcement_matches_the_unit")) {
			json_object_object_add(t, "outcome", json_object_new_string("fail"));
			break;
		}
	}
	snprintf(injected, sizeof(injected), "%s/INJECTED-vtd-sc-6.1.json", scratch);
	ASSERT_EQ(0, json_object_to_file(injected, doc));
	json_object_put(doc);
	EXPECT_EQ(1, sh(RUNNER " compare --expect results/expectations --baseline "
			FLEET "/6.12/vtd-sc/results.json %s", injected)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "expect: 1 unexpected (1 regression, 0 lost)")) TH_LOG("%s", out);
	remove_tree(scratch);
}

TEST_F_TIMEOUT(fleet, report_renders_the_matrix_in_chromium, FLEET_TIMEOUT)
{
	char dir[] = "/tmp/snoop-fleet-report-XXXXXX", page[PATH_MAX];

	if (access(CHROMIUM, X_OK))
		SKIP(return, "no " CHROMIUM ": scripts/install-deps.sh installs chromium for make check");
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(page, sizeof(page), PAGE);
	ASSERT_EQ(0, sh(RUNNER " report --expect results/expectations " FLEET " -o %s", page))
		TH_LOG("%s", out);
	ASSERT_EQ(0, matrix_both_ways(dir, FLEET, page, SHOT));
	EXPECT_STREQ(expected, matrix_got);
	/* Four runs, each with its verdicts: lines are sorted, so count changes of RUN. */
	EXPECT_EQ(N_RUNS, distinct_runs(matrix_got)) TH_LOG("%s", matrix_got);
	remove_tree(dir);
}

TEST_F_TIMEOUT(fleet, kcidb_export_validates_with_every_test_and_verdict, FLEET_TIMEOUT)
{
	size_t want = 0;
	json_object *doc, *tests;
	int skips_with_reason = 0;

	ASSERT_EQ(0, sh(RUNNER " export --kcidb --lab virtual-lab -o " KCIDB " " FLEET))
		TH_LOG("%s", out);
	ASSERT_EQ(0, sh(VALIDATE " " KCIDB)) TH_LOG("%s", out);
	doc = json_object_from_file(KCIDB);
	ASSERT_NE(NULL, doc);
	for (int k = 0; k < 2; k++)
		for (int p = 0; p < 2; p++) {
			json_object *r = results_of(kernels[k], platforms[p]);

			want += jarray_len(jmember(r, "tests")) + jarray_len(jmember(r, "verdicts")) + 1;
			json_object_put(r);
		}
	tests = jmember(doc, "tests");
	EXPECT_EQ(want, jarray_len(tests));
	EXPECT_EQ(N_RUNS, jarray_len(jmember(doc, "builds")));
	for (size_t i = 0; i < jarray_len(tests); i++) {
		json_object *t = jarray_at(tests, i);
		const char *c = jmember_str(t, "comment");

		skips_with_reason += strstr(jmember_str(t, "path"), "iommufd") &&
				     !strcmp(jmember_str(t, "status"), "SKIP") && c &&
				     strstr(c, IOMMUFD_GONE);
	}
	EXPECT_LT(0, skips_with_reason);
	json_object_put(doc);
}

TEST_HARNESS_MAIN
