// SPDX-License-Identifier: GPL-2.0-only
/*
 * The report's matrix on recorded runs: platforms that share a platform id
 * but differ in their units (the lab's vtd-sc and vtd-nosc) are two
 * platforms; cells carry the recorded verdicts; with expectations amdvi's
 * known failures are expected and an extra one UNEXPECTED; and one
 * platform on two kernels is two rows in version order, the later marked
 * with judge/compare's changes. The lab's real 6.1 runs (lab-6.1/) change
 * no verdict, so to have one to mark the second kernel here is a
 * test-local copy of vtd-sc's run whose kernel release and one verdict
 * are edited, named as such.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "base/jsonfile.h"
#include "judge/expect.h"
#include "report/matrix.h"

#define TREE "tests/fixtures/report/lab-6.12"
#define AMDVI "tests/fixtures/results/lab-amdvi.json"
#define VTD_SC TREE "/vtd-sc/results.json"

/* The row of a kernel release, or of the results file whose path ends so. */
static const struct mx_row *row_of(const struct mx *m, const char *which)
{
	for (size_t i = 0; i < m->n_rows; i++) {
		const char *path = m->rows[i].doc->path;
		const char *k = jmember_str(jmember(m->rows[i].doc->plat, "kernel"), "release");

		if (!strcmp(which, k) || (strlen(path) >= strlen(which) &&
		    !strcmp(path + strlen(path) - strlen(which), which)))
			return &m->rows[i];
	}
	return NULL;
}

static const struct mx_cell *cell(const struct mx *m, const struct mx_row *r, const char *bdf)
{
	long c = mx_col(m, bdf);

	return c < 0 || !r ? NULL : &r->cells[c];
}

static const char *label(const struct mx_cell *c)
{
	return c ? jmember_str(c->verdict, "label") : NULL;
}

TEST(one_platform_id_two_platforms_by_their_units)
{
	struct rundoc_set s = { 0 };
	struct mx m;

	ASSERT_EQ(0, rundoc_set_add_tree(&s, TREE, stderr));
	ASSERT_EQ(2, s.n);
	ASSERT_EQ(0, mx_build(&m, &s, NULL, stderr));
	ASSERT_EQ(2, m.n_plats);
	ASSERT_STREQ(m.plats[0].id, m.plats[1].id);
	ASSERT_EQ(3, m.n_cols);
	ASSERT_STREQ("0000:00:04.0", m.cols[0]);
	ASSERT_STREQ("blocked-by-iommu", label(cell(&m, row_of(&m, "vtd-sc/results.json"), "0000:00:06.0")));
	ASSERT_STREQ("non-coherent-kvm-must-know",
		     label(cell(&m, row_of(&m, "vtd-nosc/results.json"), "0000:00:04.0")));
	ASSERT_STREQ("not-emitted-ens-off", label(cell(&m, row_of(&m, "vtd-nosc/results.json"), "0000:00:06.0")));
	for (size_t i = 0; i < m.n_rows; i++) {
		ASSERT_EQ(-1, m.rows[i].prev);
		ASSERT_FALSE(m.gated);
	}
	mx_free(&m);
	rundoc_set_free(&s);
}

TEST(expectations_mark_expected_and_unexpected)
{
	struct rundoc_set s = { 0 };
	struct expectations e;
	const struct mx_cell *c4, *c5, *c6;
	struct mx m;

	ASSERT_EQ(0, rundoc_set_add_tree(&s, AMDVI, stderr));
	ASSERT_EQ(0, expect_load(&e, "results/expectations", stderr));
	ASSERT_EQ(0, mx_build(&m, &s, &e, stderr));
	ASSERT_TRUE(m.gated);
	c4 = cell(&m, &m.rows[0], "0000:00:04.0");
	c5 = cell(&m, &m.rows[0], "0000:00:05.0");
	c6 = cell(&m, &m.rows[0], "0000:00:06.0");
	ASSERT_EQ(10, c4->fails);
	ASSERT_EQ(10, c4->expected);
	ASSERT_EQ(0, c4->unexpected);
	ASSERT_EQ(0, c5->fails);
	ASSERT_EQ(10, c6->expected);
	ASSERT_EQ(20, m.gate.expected);
	mx_free(&m);
	expect_free(&e);

	/* Expectations of another platform cover none of it: all unexpected. */
	ASSERT_EQ(0, expect_load(&e, "tests/fixtures/expect/pci-and-verdict.conf", stderr));
	ASSERT_EQ(0, mx_build(&m, &s, &e, stderr));
	c4 = cell(&m, &m.rows[0], "0000:00:04.0");
	ASSERT_EQ(0, c4->expected);
	ASSERT_EQ(10, c4->unexpected);
	mx_free(&m);
	expect_free(&e);
	rundoc_set_free(&s);
}

FIXTURE(kernels) {
	char dir[64];
	struct rundoc_set s;
	struct mx m;
};

/*
 * dir/vtd-sc-6.12.json: vtd-sc's recorded run as it is. dir/EDITED-COPY..:
 * the same run with its kernel release set to 6.1.0-edited-copy and edu's
 * verdict set to cc-misreported, a verdict change no real 6.1 run has:
 * not a real run.
 */
FIXTURE_SETUP(kernels)
{
	json_object *doc = json_object_from_file(VTD_SC);
	char path[PATH_MAX];

	ASSERT_NE(NULL, doc);
	snprintf(self->dir, sizeof(self->dir), "/tmp/snoop-report-kernels-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(path, sizeof(path), "%s/vtd-sc-6.12.json", self->dir);
	ASSERT_EQ(0, json_object_to_file(path, doc));
	json_object_object_add(jmember(jmember(doc, "platform"), "kernel"), "release",
			       json_object_new_string("6.1.0-edited-copy"));
	json_object_object_add(jarray_at(jmember(doc, "verdicts"), 2), "label",
			       json_object_new_string("cc-misreported"));
	snprintf(path, sizeof(path), "%s/EDITED-COPY-vtd-sc-kernel-6.1.json", self->dir);
	ASSERT_EQ(0, json_object_to_file(path, doc));
	json_object_put(doc);
	memset(&self->s, 0, sizeof(self->s));
	ASSERT_EQ(0, rundoc_set_add_tree(&self->s, self->dir, stderr));
	ASSERT_EQ(0, mx_build(&self->m, &self->s, NULL, stderr));
}

FIXTURE_TEARDOWN(kernels)
{
	mx_free(&self->m);
	rundoc_set_free(&self->s);
	remove_tree(self->dir);
}

TEST_F(kernels, one_platform_two_rows_in_version_order)
{
	ASSERT_EQ(1, self->m.n_plats);
	ASSERT_EQ(2, self->m.plats[0].n);
	/* 6.1 before 6.12, whatever the file names say. */
	ASSERT_NE(NULL, strstr(self->m.rows[0].doc->path, "EDITED-COPY"));
	ASSERT_EQ(-1, self->m.rows[0].prev);
	ASSERT_EQ(0, self->m.rows[1].prev);
}

TEST_F(kernels, the_later_kernel_is_marked_by_compare)
{
	const struct mx_row *r = &self->m.rows[1];
	const struct mx_cell *edu = cell(&self->m, r, "0000:00:06.0");
	const struct mx_cell *nvme = cell(&self->m, r, "0000:00:04.0");

	ASSERT_EQ(CMP_FIXED, edu->change);
	ASSERT_STREQ("cc-misreported", jmember_str(edu->before, "label"));
	ASSERT_STREQ("blocked-by-iommu", label(edu));
	ASSERT_EQ(-1, nvme->change);
	ASSERT_STREQ("blocked-by-iommu", jmember_str(nvme->before, "label"));
	/* The kernel itself changed: a platform change, on the row. */
	ASSERT_EQ(2, r->cmp.n);
	ASSERT_EQ(1, r->cmp.count[CMP_FIXED]);
	ASSERT_EQ(1, r->cmp.count[CMP_CHANGED]);
}

TEST_HARNESS_MAIN
