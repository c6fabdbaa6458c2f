// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner compare's library: two lab results files (vtd-sc and amdvi,
 * recorded: tests/fixtures/results/README.md) and every fixture platform's
 * list document, compared as they are and with one change injected each
 * time. An identical rerun has no change; a verdict turned cc-misreported,
 * a test turned fail and enforcement lost are regressions; the reverse is
 * fixed; evidence that differs is changed. A malformed document is refused
 * with its place; none of a valid one's shapes crashes the side-by-side
 * table (a list document's missing "verdicts" aborted it: json-c asserts).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "base/jsonfile.h"
#include "discover/platform.h"
#include "discover/report.h"
#include "judge/compare.h"
#include "judge/rundoc.h"
#include "judge/sidebyside.h"
#include "sysfs/sysroot.h"

#define FIX "tests/fixtures/results/"
#define PLATFORMS "tests/fixtures/platforms/"

/* A scratch directory for the documents a test writes. */
static void scratch(char *dir, size_t len)
{
	snprintf(dir, len, "/tmp/snoop-compare-XXXXXX");
	if (!mkdtemp(dir))
		abort();
}

/* doc (taken over) written as dir/name; its path back in path. */
static int write_doc(json_object *doc, const char *dir, const char *name, char *path, size_t len)
{
	int ret;

	snprintf(path, len, "%s/%s", dir, name);
	ret = json_object_to_file_ext(path, doc, JSON_C_TO_STRING_PRETTY);
	json_object_put(doc);
	return ret;
}

/* Load old and new (one file each) and compare them. */
static int compare_files(struct compare *c, struct rundoc_set *o, struct rundoc_set *n,
			 const char *old, const char *new)
{
	struct rundoc *all[2];

	memset(o, 0, sizeof(*o));
	memset(n, 0, sizeof(*n));
	if (rundoc_set_add(o, old, stderr) || rundoc_set_add(n, new, stderr))
		return -EINVAL;
	all[0] = &o->v[0];
	all[1] = &n->v[0];
	if (rundoc_headings(all, 2))
		return -ENOMEM;
	return compare_sets(c, o, n);
}

static void done(struct compare *c, struct rundoc_set *o, struct rundoc_set *n)
{
	compare_free(c);
	rundoc_set_free(o);
	rundoc_set_free(n);
}

/* The change marked m at where whose "what" starts with what, or NULL. */
static const struct cmp_change *find(const struct compare *c, enum cmp_mark m, const char *where,
				     const char *what)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].mark == m && !strcmp(c->v[i].where, where) &&
		    !strncmp(c->v[i].what, what, strlen(what)))
			return &c->v[i];
	return NULL;
}

static json_object *test_named(json_object *doc, const char *suite, const char *name,
			       const char *device)
{
	json_object *ts = jmember(doc, "tests");

	for (size_t i = 0; i < jarray_len(ts); i++) {
		json_object *t = jarray_at(ts, i);

		if (!strcmp(jmember_str(t, "suite"), suite) && !strcmp(jmember_str(t, "name"), name) &&
		    !strcmp(jmember_str(t, "device"), device))
			return t;
	}
	return NULL;
}

static void set_str(json_object *o, const char *key, const char *v)
{
	json_object_object_add(o, key, json_object_new_string(v));
}

TEST(an_identical_rerun_has_no_change)
{
	static const char *const files[] = { FIX "lab-vtd-sc.json", FIX "lab-amdvi.json",
					     FIX "valid.json" };

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct rundoc_set o, n;
		struct compare c;

		ASSERT_EQ(0, compare_files(&c, &o, &n, files[i], files[i]));
		EXPECT_EQ(1, (int)c.n_pairs);
		EXPECT_EQ(0, (int)c.n) TH_LOG("%s: %s %s", files[i], c.n ? c.v[0].where : "",
					      c.n ? c.v[0].what : "");
		done(&c, &o, &n);
	}
}

/*
 * The Done-when case: the same run, one verdict turned cc-misreported and
 * one passing test turned fail. Before, compare printed the label in a
 * column, unmarked, and exited 0; the test outcome it ignored altogether.
 */
TEST(an_injected_regression_is_marked)
{
	char dir[64], path[PATH_MAX];
	json_object *doc = json_file_parse(FIX "lab-vtd-sc.json", stderr), *t;
	const struct cmp_change *ch;
	struct rundoc_set o, n;
	struct compare c;

	ASSERT_NE(NULL, doc);
	scratch(dir, sizeof(dir));
	set_str(jarray_at(jmember(doc, "verdicts"), 2), "label", "cc-misreported");
	t = test_named(doc, "dma", "dma.type1.unmapped_source_is_blocked", "0000:00:06.0");
	ASSERT_NE(NULL, t);
	set_str(t, "outcome", "fail");
	set_str(t, "reason", "no IOMMU fault");
	ASSERT_EQ(0, write_doc(doc, dir, "lab-vtd-sc.json", path, sizeof(path)));

	ASSERT_EQ(0, compare_files(&c, &o, &n, FIX "lab-vtd-sc.json", path));
	EXPECT_EQ(2, c.count[CMP_REGRESSION]);
	EXPECT_EQ(2, (int)c.n);
	ch = find(&c, CMP_REGRESSION, "0000:00:06.0", "verdict");
	ASSERT_NE(NULL, ch);
	EXPECT_STREQ("blocked-by-iommu", json_object_get_string(ch->was));
	EXPECT_STREQ("cc-misreported", json_object_get_string(ch->now));
	ch = find(&c, CMP_REGRESSION, "0000:00:06.0", "test dma dma.type1.unmapped_source_is_blocked");
	ASSERT_NE(NULL, ch);
	EXPECT_STREQ("pass", json_object_get_string(ch->was));
	EXPECT_STREQ("fail", json_object_get_string(ch->now));
	EXPECT_STREQ("no IOMMU fault", ch->note);
	done(&c, &o, &n);

	/* The other way round it is a fix, not a regression. */
	ASSERT_EQ(0, compare_files(&c, &o, &n, path, FIX "lab-vtd-sc.json"));
	EXPECT_EQ(0, c.count[CMP_REGRESSION]);
	EXPECT_EQ(2, c.count[CMP_FIXED]);
	EXPECT_NE(NULL, find(&c, CMP_FIXED, "0000:00:06.0", "verdict"));
	EXPECT_NE(NULL, find(&c, CMP_FIXED, "0000:00:06.0", "test dma"));
	done(&c, &o, &n);
	unlink(path);
	rmdir(dir);
}

/* Enforcement lost on one attach path; the unit's raw ECAP and SC changed. */
TEST(evidence_that_changes_is_marked)
{
	char dir[64], path[PATH_MAX];
	json_object *doc = json_file_parse(FIX "lab-vtd-sc.json", stderr), *t, *unit;
	const struct cmp_change *ch;
	struct rundoc_set o, n;
	struct compare c;

	ASSERT_NE(NULL, doc);
	scratch(dir, sizeof(dir));
	t = test_named(doc, "attach", "path.iommufd_hwpt.enforcement_matches_the_unit", "0000:00:04.0");
	ASSERT_NE(NULL, t);
	json_object_object_add(jarray_at(jmember(t, "evidence"), 0), "enforced",
			       json_object_new_boolean(0));
	unit = jarray_at(jmember(jmember(doc, "platform"), "iommu_units"), 0);
	set_str(unit, "ecap", "f00f4a");
	json_object_object_add(jmember(unit, "facts"), "snoop_control", json_object_new_boolean(0));
	json_object_object_add(jarray_at(jmember(jmember(doc, "platform"), "devices"), 3),
			       "enable_no_snoop", json_object_new_boolean(1));
	ASSERT_STREQ("0000:00:04.0",
		     jmember_str(jarray_at(jmember(jmember(doc, "platform"), "devices"), 3), "bdf"));
	ASSERT_EQ(0, write_doc(doc, dir, "x.json", path, sizeof(path)));

	ASSERT_EQ(0, compare_files(&c, &o, &n, FIX "lab-vtd-sc.json", path));
	ch = find(&c, CMP_REGRESSION, "0000:00:04.0", "enforced (iommufd-hwpt)");
	ASSERT_NE(NULL, ch);
	EXPECT_TRUE(json_object_get_boolean(ch->was));
	EXPECT_FALSE(json_object_get_boolean(ch->now));
	EXPECT_EQ(1, c.count[CMP_REGRESSION]);
	ch = find(&c, CMP_CHANGED, "dmar0", "ecap");
	ASSERT_NE(NULL, ch);
	EXPECT_STREQ("f00fca", json_object_get_string(ch->was));
	EXPECT_NE(NULL, find(&c, CMP_CHANGED, "dmar0", "Snoop Control"));
	EXPECT_NE(NULL, find(&c, CMP_CHANGED, "0000:00:04.0", "Enable No Snoop"));
	done(&c, &o, &n);
	unlink(path);
	rmdir(dir);
}

/* A unit that could enforce and no longer can: every device behind it loses. */
TEST(a_unit_that_stops_enforcing_regresses)
{
	char dir[64], path[PATH_MAX];
	json_object *doc = json_file_parse(FIX "lab-amdvi.json", stderr);
	struct rundoc_set o, n;
	struct compare c;

	ASSERT_NE(NULL, doc);
	scratch(dir, sizeof(dir));
	json_object_object_add(jarray_at(jmember(jmember(doc, "platform"), "iommu_units"), 0),
			       "enforces_coherency", json_object_new_boolean(0));
	ASSERT_EQ(0, write_doc(doc, dir, "x.json", path, sizeof(path)));
	ASSERT_EQ(0, compare_files(&c, &o, &n, FIX "lab-amdvi.json", path));
	EXPECT_NE(NULL, find(&c, CMP_REGRESSION, "ivhd0", "can enforce coherency"));
	EXPECT_EQ(1, c.count[CMP_REGRESSION]);
	done(&c, &o, &n);
	unlink(path);
	rmdir(dir);
}

/*
 * The devbox capture (its kernel identity recorded) against itself with
 * another build-id and CONFIG_IOMMUFD turned on: both are changed, not
 * regressions; and an older file without the identity shows no change.
 */
TEST(a_changed_kernel_build_and_config_are_changed)
{
	#define DEVBOX "tests/fixtures/platforms/devbox-noiommu/expected-list.json"
	char dir[64], path[PATH_MAX], older[PATH_MAX];
	json_object *doc = json_file_parse(DEVBOX, stderr), *k;
	struct rundoc_set o, n;
	struct compare c;

	ASSERT_NE(NULL, doc);
	scratch(dir, sizeof(dir));
	k = jmember(doc, "kernel");
	set_str(k, "build_id", "00112233445566778899aabbccddeeff00112233");
	set_str(jmember(jmember(k, "config"), "options"), "CONFIG_IOMMUFD", "y");
	ASSERT_EQ(0, write_doc(doc, dir, "x.json", path, sizeof(path)));
	ASSERT_EQ(0, compare_files(&c, &o, &n, DEVBOX, path));
	EXPECT_NE(NULL, find(&c, CMP_CHANGED, "", "kernel build-id"));
	EXPECT_NE(NULL, find(&c, CMP_CHANGED, "", "kernel CONFIG_IOMMUFD"));
	EXPECT_EQ(2, c.count[CMP_CHANGED]);
	EXPECT_EQ(0, c.count[CMP_REGRESSION]);
	done(&c, &o, &n);
	doc = json_file_parse(DEVBOX, stderr);
	ASSERT_NE(NULL, doc);
	k = jmember(doc, "kernel");
	json_object_object_del(k, "arch");
	json_object_object_del(k, "build_id");
	json_object_object_del(k, "git_commit");
	json_object_object_del(k, "config");
	ASSERT_EQ(0, write_doc(doc, dir, "older.json", older, sizeof(older)));
	ASSERT_EQ(0, compare_files(&c, &o, &n, older, DEVBOX));
	EXPECT_EQ(0, (int)c.n) TH_LOG("%s", c.n ? c.v[0].what : "");
	done(&c, &o, &n);
	unlink(path);
	unlink(older);
	rmdir(dir);
	#undef DEVBOX
}

/* Every fixture platform's runner list --json output, written to dir; count back. */
static int list_documents(const char *dir, char paths[][PATH_MAX], int max)
{
	DIR *d = opendir(PLATFORMS);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)) && n < max) {
		char from[PATH_MAX], name[300];
		struct platform p;

		if (e->d_name[0] == '.' || !strstr(e->d_name, "-"))
			continue;
		snprintf(from, sizeof(from), PLATFORMS "%s", e->d_name);
		if (platform_discover(&p, from, NULL))
			continue;
		sysroot_replay_from(NULL);
		snprintf(name, sizeof(name), "%s.json", e->d_name);
		if (!write_doc(platform_to_json(&p), dir, name, paths[n], sizeof(paths[n])))
			n++;
		platform_free(&p);
	}
	closedir(d);
	return n;
}

/*
 * runner list --json output, every fixture platform: against itself no
 * change, against every other no crash, and all of them side by side with
 * both lab results files. The table aborted on the first list document.
 */
TEST(list_documents_of_every_fixture_platform_compare)
{
	static char paths[16][PATH_MAX];
	struct rundoc_set all = { 0 };
	struct rundoc *cols[18];
	char dir[64], *buf = NULL;
	size_t len = 0;
	FILE *out;
	int n;

	scratch(dir, sizeof(dir));
	n = list_documents(dir, paths, 16);
	ASSERT_EQ(8, n);
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < n; j++) {
			struct rundoc_set o, s;
			struct compare c;

			ASSERT_EQ(0, compare_files(&c, &o, &s, paths[i], paths[j]));
			if (i == j) {
				EXPECT_EQ(0, (int)c.n) TH_LOG("%s", paths[i]);
			} else {
				EXPECT_NE(0, (int)c.n);
			}
			done(&c, &o, &s);
		}
		ASSERT_EQ(0, rundoc_set_add(&all, paths[i], stderr));
	}
	ASSERT_EQ(0, rundoc_set_add(&all, FIX "lab-vtd-sc.json", stderr));
	ASSERT_EQ(0, rundoc_set_add(&all, FIX "lab-amdvi.json", stderr));
	for (size_t i = 0; i < all.n; i++)
		cols[i] = &all.v[i];
	ASSERT_EQ(0, rundoc_headings(cols, all.n));
	out = open_memstream(&buf, &len);
	ASSERT_EQ(0, sidebyside_print(cols, all.n, NULL, out));
	fclose(out);
	EXPECT_NE(NULL, strstr(buf, "qemu-standard-pc-q35-ich9-2009-4ea4803b"));
	EXPECT_NE(NULL, strstr(buf, "intel-x99-xeon-e5v3.json"));
	EXPECT_NE(NULL, strstr(buf, "dma 0000:00:06.0"));
	free(buf);
	rundoc_set_free(&all);
	for (int i = 0; i < n; i++)
		unlink(paths[i]);
	rmdir(dir);
}

/*
 * results/README.md names a submission results/<platform_id>/<kernel>-<date>.json:
 * two platforms' files share the file name, and their headings did too.
 */
TEST(headings_tell_every_file_apart)
{
	static const char *const paths[] = {
		"results/a-1/6.12-20261201.json", "results/b-2/6.12-20261201.json",
		"x/amdvi.json", "x/amdvi.json",
	};
	struct rundoc d[4] = { { 0 } }, *v[4];

	for (int i = 0; i < 4; i++) {
		d[i].path = (char *)paths[i];
		v[i] = &d[i];
	}
	ASSERT_EQ(0, rundoc_headings(v, 4));
	EXPECT_STREQ("a-1/6.12-20261201.json", d[0].heading);
	EXPECT_STREQ("b-2/6.12-20261201.json", d[1].heading);
	EXPECT_STREQ("x/amdvi.json", d[2].heading);
	EXPECT_STREQ("x/amdvi.json#2", d[3].heading);
	for (int i = 0; i < 4; i++)
		free(d[i].heading);
}

/*
 * The k-th shortest tail of whole components of p (len long): found
 * going forwards, so it shares no code with rundoc.c's tail().
 */
static const char *candidate(const char *p, size_t len, size_t k)
{
	size_t end = len, starts = 0;
	const char *found = p;

	while (end > 0 && p[end - 1] == '/')
		end--;
	/* Count the component starts after a '/' before end; take the k-th last. */
	for (size_t i = 1; i < end; i++)
		starts += p[i - 1] == '/';
	for (size_t i = 1, seen = 0; i < end; i++) {
		if (p[i - 1] != '/')
			continue;
		if (++seen == starts - k + 1 && k <= starts)
			found = p + i;
	}
	return found;
}

/*
 * The rule, as rundoc.h states it, read the slow way: a path's candidate
 * headings are its tails of whole components, shortest first (the k-th
 * starts after the k-th '/' from the end, trailing '/' not counted, else
 * it is the whole path); the heading is the first that no other path's
 * tail of as many components equals, or the whole path. Twins get #2, #3.
 */
static char *slow_heading(const char *const *paths, size_t n, size_t i)
{
	const char *p = paths[i], *h = p;
	size_t len = strlen(p), twin = 1;
	char *out;

	for (size_t k = 1;; k++) {
		bool alike = false;

		h = candidate(p, len, k);
		for (size_t j = 0; j < n && !alike; j++)
			alike = j != i && !strcmp(candidate(paths[j], strlen(paths[j]), k), h);
		if (!alike || h == p)
			break;
	}
	for (size_t j = 0; j < i; j++)
		twin += !strcmp(paths[j], p);
	if (twin > 1 ? asprintf(&out, "%s#%zu", h, twin) < 0 : !(out = strdup(h)))
		abort();
	return out;
}

/* Many submissions (results/<platform_id>/<kernel>-<date>.json and odd shapes): the same headings. */
TEST(headings_on_many_paths_follow_the_rule)
{
	static const char *const top[] = { "", "results/", "/srv/lab/results/", "old/results/" };
	static const char *const plat[] = { "a-1/", "b-2/", "c-3/", "", "a-1//" };
	static const char *const file[] = { "6.12-20261201.json", "6.1-20261201.json",
					    "amdvi.json", "6.12-20261201.json/" };
	enum { N = 4 * 5 * 4 * 3 };
	char *paths[N];
	struct rundoc *d = calloc(N, sizeof(*d)), *v[N];
	size_t n = 0;

	ASSERT_NE(NULL, d);
	/* Each shape three times over, so twins are numbered too. */
	for (int r = 0; r < 3; r++)
		for (size_t a = 0; a < 4; a++)
			for (size_t b = 0; b < 5; b++)
				for (size_t c = 0; c < 4; c++) {
					ASSERT_LE(0, asprintf(&paths[n], "%s%s%s", top[a], plat[b], file[c]));
					d[n].path = paths[n];
					v[n] = &d[n];
					n++;
				}
	/* Some named once only: a twin is not the only way to share a tail. */
	n -= 7;
	ASSERT_EQ(0, rundoc_headings(v, n));
	for (size_t i = 0; i < n; i++) {
		char *want = slow_heading((const char *const *)paths, n, i);

		EXPECT_STREQ(want, d[i].heading) TH_LOG("%s", paths[i]);
		free(want);
	}
	for (size_t i = 0; i < N; i++) {
		free(d[i].heading);
		free(paths[i]);
	}
	free(d);
}

/* Directories pair by file name first: vtd-sc, vtd-nosc and vtd-sm share a platform id. */
TEST(directories_pair_by_file_name_then_platform)
{
	char a[64], b[64], p[PATH_MAX];
	struct rundoc_set o = { 0 }, n = { 0 };
	struct compare c;

	scratch(a, sizeof(a));
	scratch(b, sizeof(b));
	ASSERT_EQ(0, write_doc(json_file_parse(FIX "lab-vtd-sc.json", stderr), a, "vtd-sc.json", p, sizeof(p)));
	ASSERT_EQ(0, write_doc(json_file_parse(FIX "lab-amdvi.json", stderr), a, "amdvi.json", p, sizeof(p)));
	ASSERT_EQ(0, write_doc(json_file_parse(FIX "lab-vtd-sc.json", stderr), b, "vtd-sc.json", p, sizeof(p)));
	/* Renamed: found by its platform id. */
	ASSERT_EQ(0, write_doc(json_file_parse(FIX "lab-amdvi.json", stderr), b, "amd.json", p, sizeof(p)));
	ASSERT_EQ(0, write_doc(json_file_parse(FIX "valid.json", stderr), b, "kabylake.json", p, sizeof(p)));
	ASSERT_EQ(0, rundoc_set_add(&o, a, stderr));
	ASSERT_EQ(0, rundoc_set_add(&n, b, stderr));
	ASSERT_EQ(0, compare_sets(&c, &o, &n));
	EXPECT_EQ(3, (int)c.n_pairs);
	EXPECT_EQ(1, (int)c.n);
	EXPECT_EQ(1, c.count[CMP_ADDED]);
	EXPECT_EQ(NULL, c.pairs[2].old);
	done(&c, &o, &n);
	for (const char *const *f = (const char *const[]){ "vtd-sc.json", "amdvi.json", NULL }; *f; f++) {
		snprintf(p, sizeof(p), "%s/%s", a, *f);
		unlink(p);
	}
	for (const char *const *f = (const char *const[]){ "vtd-sc.json", "amd.json", "kabylake.json", NULL }; *f; f++) {
		snprintf(p, sizeof(p), "%s/%s", b, *f);
		unlink(p);
	}
	rmdir(a);
	rmdir(b);
}

FIXTURE(bad) {};
FIXTURE_SETUP(bad) {}
FIXTURE_TEARDOWN(bad) {}
FIXTURE_VARIANT(bad) {
	const char *text;	/* written to a file; NULL: use file */
	const char *file;
	const char *has;
};
FIXTURE_VARIANT_ADD(bad, syntax) {
	.file = FIX "garbage.json", .has = FIX "garbage.json:1:2: expected JSON",
};
FIXTURE_VARIANT_ADD(bad, truncated) {
	.file = FIX "truncated.json", .has = "unexpected end of file (truncated?)",
};
FIXTURE_VARIANT_ADD(bad, results_shape) {
	.file = FIX "wrong.json", .has = "$.tests[0].outcome: expected one of",
};
FIXTURE_VARIANT_ADD(bad, neither_kind) {
	.text = "[1, 2]", .has = "$: expected a results file (an object with \"schema_version\") or runner list --json output",
};
/* The list document's shape is the schema's "platform": json-c asserted on it. */
FIXTURE_VARIANT_ADD(bad, list_units_not_an_array) {
	.text = "{\"platform_id\": \"x-1\", \"source\": \"live\", \"dmi\": {\"sys_vendor\": \"\", "
		"\"product_name\": \"\", \"board_vendor\": \"\", \"board_name\": \"\", \"bios_version\": \"\"}, "
		"\"kernel\": {}, \"iommu_units\": {}, \"devices\": []}",
	.has = "$.iommu_units: expected array, got object",
};
FIXTURE_VARIANT_ADD(bad, empty_directory) {
	.file = "tests/fixtures/bad/empty-dir", .has = "found none",
};
FIXTURE_VARIANT_ADD(bad, absent) {
	.file = FIX "absent.json", .has = FIX "absent.json: cannot read: No such file or directory",
};

TEST_F(bad, a_malformed_document_is_refused_with_its_place)
{
	char buf[8192] = "", path[PATH_MAX], dir[64] = "";
	struct rundoc_set s = { 0 };
	FILE *err = fmemopen(buf, sizeof(buf) - 1, "w");
	const char *file = variant->file;

	if (variant->text) {
		scratch(dir, sizeof(dir));
		snprintf(path, sizeof(path), "%s/doc.json", dir);
		FILE *f = fopen(path, "w");

		ASSERT_NE(NULL, f);
		fputs(variant->text, f);
		fclose(f);
		file = path;
	}
	EXPECT_EQ(-EINVAL, rundoc_set_add(&s, file, err));
	fclose(err);
	EXPECT_EQ(0, (int)s.n);
	EXPECT_NE(NULL, strstr(buf, variant->has)) TH_LOG("got: %s", buf);
	rundoc_set_free(&s);
	if (variant->text) {
		unlink(path);
		rmdir(dir);
	}
}

TEST_HARNESS_MAIN
