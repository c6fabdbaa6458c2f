// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner report in a real browser: the page is rendered by headless
 * Chromium (Debian's chromium), screenshotted to build/artifacts/report.png
 * (CI keeps it), and its DOM dumped and read back with Python's
 * html.parser (tests/report/readdom.py); the matrix read back must equal
 * the one this test derives on its own from the results files' verdicts[]
 * (json-c). The results tree is data: tests/fixtures/report/ unless
 * REPORT_RESULTS=DIR names another. Also: hostile strings in a results file
 * render as text (no element is created from them), one platform on two
 * kernels is marked from judge/compare, --expect marks amdvi's known
 * failures, nightly reruns shown from kept summaries read back as their
 * files say, and bad input is exit 2 with its place and no page.
 */
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include <json.h>

#include "clirun.h"
#include "browser.h"

#define SCREENSHOT "build/artifacts/report.png"

FIXTURE(page) {
	char dir[64];
	char page[PATH_MAX];
};

FIXTURE_SETUP(page)
{
	if (access(CHROMIUM, X_OK))
		SKIP(return, "no " CHROMIUM ": apt-get install chromium (scripts/install-deps.sh installs it for make check)");
	snprintf(self->dir, sizeof(self->dir), "/tmp/snoop-cli-report-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->page, sizeof(self->page), "%s/report.html", self->dir);
}

FIXTURE_TEARDOWN(page)
{
	char cmd[128];

	if (self->dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
		if (system(cmd))
			fprintf(stderr, "# could not remove %s\n", self->dir);
	}
}

TEST_F(page, matrix_read_back_from_the_rendered_dom_equals_the_files)
{
	const char *data = getenv("REPORT_RESULTS") ? getenv("REPORT_RESULTS") : "tests/fixtures/report";
	char cmd[PATH_MAX * 2];

	snprintf(cmd, sizeof(cmd), RUNNER " report %s -o %s", data, self->page);
	ASSERT_EQ(0, run(cmd)) TH_LOG("%s", out);
	ASSERT_EQ(0, mkdir("build/artifacts", 0755) && access("build/artifacts", W_OK));
	ASSERT_EQ(0, matrix_both_ways(self->dir, data, self->page, SCREENSHOT));
	ASSERT_STREQ(expected, matrix_got);
}

/* A copy of a recorded run, edited by edit(), written as dir/name. */
static int edited_copy(const char *dir, const char *name, void (*edit)(json_object *))
{
	json_object *doc = json_object_from_file("tests/fixtures/report/lab-6.12/vtd-sc/results.json");
	char path[PATH_MAX];
	int ret;

	if (!doc)
		return -1;
	if (edit)
		edit(doc);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	ret = json_object_to_file(path, doc);
	json_object_put(doc);
	return ret;
}

/* No single quote: it goes to readdom.py in one. */
#define HOSTILE "<script>document.title=\"pwned\"</script><img src=x onerror=alert(1)>"

static void hostile(json_object *doc)
{
	json_object *v = json_object_array_get_idx(json_object_object_get(doc, "verdicts"), 0);
	json_object *t = json_object_array_get_idx(json_object_object_get(doc, "tests"), 0);
	json_object *devs = json_object_object_get(json_object_object_get(doc, "platform"), "devices");

	json_object_object_add(v, "why", json_object_new_string(HOSTILE));
	json_object_object_add(t, "outcome", json_object_new_string("fail"));
	json_object_object_add(t, "reason", json_object_new_string("\"></td><iframe src=x>" HOSTILE));
	for (size_t i = 0; i < json_object_array_length(devs); i++)
		json_object_object_add(json_object_array_get_idx(devs, i), "device_name",
				       json_object_new_string("</small></summary><link rel=stylesheet href=http://x>"));
}

TEST_F(page, hostile_strings_render_as_text)
{
	char cmd[PATH_MAX * 2];

	/* Not a real run: vtd-sc's, with markup put into its why, a reason and the device names. */
	ASSERT_EQ(0, edited_copy(self->dir, "EDITED-COPY-hostile.json", hostile));
	snprintf(cmd, sizeof(cmd), RUNNER " report %s/EDITED-COPY-hostile.json -o %s", self->dir, self->page);
	ASSERT_EQ(0, run(cmd)) TH_LOG("%s", out);
	ASSERT_EQ(0, read_back(self->dir, self->page, HOSTILE)) TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, "elements script 0\nelements img 0\nelements iframe 0\nelements object 0\nelements embed 0\nelements link 0\n")) TH_LOG("%s", out);
	/* The why and the reason, each shown as text. */
	ASSERT_EQ(NULL, strstr(out, "text 0\n")) TH_LOG("%s", out);
}

static void kernel_6_1_with_edu_misreported(json_object *doc)
{
	json_object_object_add(json_object_object_get(json_object_object_get(doc, "platform"), "kernel"),
			       "release", json_object_new_string("6.1.0-edited-copy"));
	json_object_object_add(json_object_array_get_idx(json_object_object_get(doc, "verdicts"), 2),
			       "label", json_object_new_string("cc-misreported"));
}

/* The run part of a results file's run id (after its platform id), as the page shows it. */
static void run_stamp(const char *path, char *buf, size_t len)
{
	json_object *doc = json_object_from_file(path);
	const char *id = json_object_get_string(json_object_object_get(json_object_object_get(doc, "run"), "id"));
	const char *plat = json_object_get_string(json_object_object_get(
		json_object_object_get(doc, "platform"), "platform_id"));

	snprintf(buf, len, "%s", id && plat && strlen(id) > strlen(plat) ? id + strlen(plat) + 1 : "?");
	json_object_put(doc);
}

/* "STAMP\tREST" in a static buffer: one row of the read-back matrix. */
static const char *row(const char *stamp, const char *rest)
{
	static char buf[512];

	snprintf(buf, sizeof(buf), "%s\t%s", stamp, rest);
	return buf;
}

TEST_F(page, kernels_before_and_after_and_expectations_in_the_dom)
{
	char cmd[PATH_MAX * 3], stamp[64];

	/* Not a real run: vtd-sc's with kernel 6.1.0-edited-copy and edu cc-misreported. */
	ASSERT_EQ(0, edited_copy(self->dir, "EDITED-COPY-vtd-sc-kernel-6.1.json",
				 kernel_6_1_with_edu_misreported));
	ASSERT_EQ(0, edited_copy(self->dir, "vtd-sc-6.12.json", NULL));
	run_stamp("tests/fixtures/report/lab-6.12/vtd-sc/results.json", stamp, sizeof(stamp));
	snprintf(cmd, sizeof(cmd), RUNNER " report --expect results/expectations %s"
		 " tests/fixtures/results/lab-amdvi.json -o %s", self->dir, self->page);
	ASSERT_EQ(0, run(cmd)) TH_LOG("%s", out);
	/* amdvi's 20 known failures, and the edited copy's cc-misreported edu. */
	ASSERT_NE(NULL, strstr(out, "1 unexpected, 20 expected failures")) TH_LOG("%s", out);
	ASSERT_EQ(0, read_back(self->dir, self->page, NULL)) TH_LOG("%s", out);
	/* The 6.12 row against the 6.1 one above it; the 6.1 row has none above. */
	ASSERT_NE(NULL, strstr(out, row(stamp, "0000:00:06.0\tblocked-by-iommu\tfixed\tcc-misreported\t0\t0\n"))) TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, row(stamp, "0000:00:04.0\tblocked-by-iommu\tnone\tblocked-by-iommu\t0\t0\n"))) TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, row(stamp, "0000:00:06.0\tcc-misreported\t-\t-\t0\t1\n"))) TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, "20261202T145313Z\t0000:00:04.0\tblocked-by-iommu\t-\t-\t10\t0\n")) TH_LOG("%s", out);
}

/* The night edit_night() makes of vtd-sc's run, and whether edu then misreports. */
static int night;
static bool night_misreports;

/* vtd-sc's run again on night N (its run id and durations), edu cc-misreported if asked. */
static void edit_night(json_object *doc)
{
	json_object *run = json_object_object_get(doc, "run"), *ts = json_object_object_get(doc, "tests");
	const char *plat = json_object_get_string(json_object_object_get(
		json_object_object_get(doc, "platform"), "platform_id"));
	char id[128];

	snprintf(id, sizeof(id), "%s-202612%02dT000000Z", plat, night);
	json_object_object_add(run, "id", json_object_new_string(id));
	for (size_t i = 0; i < json_object_array_length(ts); i++)
		json_object_object_add(json_object_array_get_idx(ts, i), "duration_s",
				       json_object_new_double(night + 0.5));
	if (night_misreports)
		json_object_object_add(json_object_array_get_idx(json_object_object_get(doc, "verdicts"), 2),
				       "label", json_object_new_string("cc-misreported"));
}

/*
 * Four nights of one platform, the third one's edu misreported, the report
 * made twice with the summaries kept (base/filecache.h): the second shows
 * the nights whose results are an earlier night's from their summaries.
 * The matrix in the DOM is still the files', and the fourth night, like
 * the first, is marked fixed against the third above it.
 */
TEST_F(page, nightly_reruns_from_summaries_read_back_from_the_dom)
{
	char tree[128], cache[128], cmd[PATH_MAX * 2], shot[PATH_MAX], name[32];

	snprintf(tree, sizeof(tree), "%s/tree", self->dir);
	snprintf(cache, sizeof(cache), "%s/cache", self->dir);
	ASSERT_EQ(0, mkdir(tree, 0755));
	for (night = 1; night <= 4; night++) {
		night_misreports = night == 3;
		snprintf(name, sizeof(name), "night-%d.json", night);
		ASSERT_EQ(0, edited_copy(tree, name, edit_night));
	}
	/* Past the window in which a file is too new for a summary to be kept of it. */
	usleep(2100 * 1000);
	ASSERT_EQ(0, setenv("SNOOPCHECK_CACHE_DIR", cache, 1));
	snprintf(cmd, sizeof(cmd), RUNNER " report --expect results/expectations %s -o %s", tree,
		 self->page);
	ASSERT_EQ(0, run(cmd)) TH_LOG("%s", out);
	ASSERT_EQ(0, run(cmd)) TH_LOG("%s", out);
	snprintf(cmd, sizeof(cmd), "grep -c 'class=\"run\" id=\"row-[0-9]*\"[^>]*data-like=' %s", self->page);
	ASSERT_EQ(0, run(cmd)) TH_LOG("%s", out);
	EXPECT_STREQ("2\n", out);	/* nights 2 and 4 are night 1's results */

	snprintf(shot, sizeof(shot), "%s/nights.png", self->dir);
	ASSERT_EQ(0, matrix_both_ways(self->dir, tree, self->page, shot));
	ASSERT_STREQ(expected, matrix_got);
	ASSERT_EQ(0, read_back(self->dir, self->page, NULL)) TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, "20261204T000000Z\t0000:00:06.0\tblocked-by-iommu\tfixed\tcc-misreported\t0\t0\n")) TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, "20261202T000000Z\t0000:00:06.0\tblocked-by-iommu\tnone\tblocked-by-iommu\t0\t0\n")) TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, "20261203T000000Z\t0000:00:06.0\tcc-misreported\tregression\tblocked-by-iommu\t0\t1\n")) TH_LOG("%s", out);
}

TEST(bad_input_names_its_place_and_writes_nothing)
{
	char page[] = "/tmp/snoop-cli-report-bad-XXXXXX", cmd[PATH_MAX * 2];
	int fd = mkstemp(page);

	ASSERT_LE(0, fd);
	close(fd);
	unlink(page);
	snprintf(cmd, sizeof(cmd), RUNNER " report tests/fixtures/report tests/fixtures/results/truncated.json -o %s", page);
	ASSERT_EQ(2, run(cmd)) TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, "tests/fixtures/results/truncated.json:")) TH_LOG("%s", out);
	ASSERT_NE(0, access(page, F_OK));
	snprintf(cmd, sizeof(cmd), RUNNER " report tests/fixtures/results/wrong.json -o %s", page);
	ASSERT_EQ(2, run(cmd));
	ASSERT_NE(NULL, strstr(out, "wrong.json: $.")) TH_LOG("%s", out);
	ASSERT_EQ(2, run(RUNNER " report tests/fixtures/report"));
	ASSERT_NE(NULL, strstr(out, "-o PAGE.html is required"));
	/* A tree holding results/schema.json: the schema is skipped, saying so. */
	snprintf(cmd, sizeof(cmd), RUNNER " report results -o %s", page);
	ASSERT_EQ(2, run(cmd)) TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, "results/schema.json: skipped: a JSON Schema")) TH_LOG("%s", out);
	ASSERT_NE(NULL, strstr(out, "found none")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
