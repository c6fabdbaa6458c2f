// SPDX-License-Identifier: GPL-2.0-only
/*
 * A results file (or runner list --json output) through what runner
 * report runs on it: the loader runner compare shares (judge/rundoc: JSON,
 * schema), the matrix (report/matrix) and the page (report/page). Beyond
 * not crashing: whatever strings the document holds, the page has no
 * element they could create (no script, img, iframe, object, embed; no
 * matrix cell but the matrix's own), so outside input stays text.
 */
#include "fuzz.h"
#include "judge/rundoc.h"
#include "report/matrix.h"
#include "report/page.h"

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("results.json", data, size);
	static const char *const never[] = { "<script", "<img", "<iframe", "<object", "<embed" };
	struct rundoc_set s = { 0 };
	struct rundoc *one;
	struct mx m;
	char *page = NULL;
	size_t len = 0;
	FILE *f;

	if (rundoc_set_add_tree(&s, path, fuzz_null()) || s.n != 1) {
		rundoc_set_free(&s);
		return 0;
	}
	one = &s.v[0];
	if (rundoc_headings(&one, 1) || mx_build(&m, &s, NULL, fuzz_null()))
		fuzz_fail("out of memory building the matrix of a valid document");
	f = open_memstream(&page, &len);
	if (!f)
		fuzz_fail("open_memstream");
	page_render(f, &m, NULL, "/");
	fclose(f);
	for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
		FUZZ_CHECK(!strstr(page, never[i]), "the page holds %s, made from the document", never[i]);
	FUZZ_CHECK(count(page, "<td class=\"cell ") == m.n_rows * m.n_cols, "%zu cells for %zu",
		   count(page, "<td class=\"cell "), m.n_rows * m.n_cols);
	free(page);
	mx_free(&m);
	rundoc_set_free(&s);
	return 0;
}
