// SPDX-License-Identifier: GPL-2.0-only
#include "judge/sidebyside.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonfile.h"

/*
 * Rows of cells, column 0 the label; every column as wide as its widest
 * cell, so nothing is cut (a cut platform id would lose the hash that
 * tells two machines apart).
 */
struct grid {
	size_t cols, rows;
	char **cell;		/* rows * cols */
	int err;
};

static void grid_row(struct grid *g, const char *label)
{
	char **nc;

	if (g->err)
		return;
	nc = realloc(g->cell, (g->rows + 1) * g->cols * sizeof(*nc));
	if (!nc) {
		g->err = -ENOMEM;
		return;
	}
	g->cell = nc;
	memset(&nc[g->rows * g->cols], 0, g->cols * sizeof(*nc));
	g->rows++;
	if (!(nc[(g->rows - 1) * g->cols] = strdup(label)))
		g->err = -ENOMEM;
}

/* Cell col (1..) of the last row. */
static void grid_set(struct grid *g, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void grid_set(struct grid *g, size_t col, const char *fmt, ...)
{
	char **c;
	va_list ap;

	if (g->err)
		return;
	c = &g->cell[(g->rows - 1) * g->cols + col];
	free(*c);
	va_start(ap, fmt);
	if (vasprintf(c, fmt, ap) < 0) {
		*c = NULL;
		g->err = -ENOMEM;
	}
	va_end(ap);
}

static void grid_print(const struct grid *g, FILE *out)
{
	size_t *w = calloc(g->cols, sizeof(*w));

	if (!w)
		return;
	for (size_t r = 0; r < g->rows; r++)
		for (size_t c = 0; c < g->cols; c++) {
			const char *s = g->cell[r * g->cols + c];

			if (s && strlen(s) > w[c])
				w[c] = strlen(s);
		}
	for (size_t r = 0; r < g->rows; r++) {
		for (size_t c = 0; c < g->cols; c++) {
			const char *s = g->cell[r * g->cols + c];

			/* The last column unpadded: no trailing blanks. */
			fprintf(out, "%s%-*s", c ? "  " : "", c + 1 < g->cols ? (int)w[c] : 0,
				s ? s : "");
		}
		fputc('\n', out);
	}
	free(w);
}

static void grid_free(struct grid *g)
{
	for (size_t i = 0; i < g->rows * g->cols; i++)
		free(g->cell[i]);
	free(g->cell);
}

static void heading(struct grid *g, struct rundoc *const *docs, size_t n)
{
	grid_row(g, "file");
	for (size_t c = 0; c < n; c++)
		grid_set(g, c + 1, "%s", docs[c]->heading);
	grid_row(g, "platform");
	for (size_t c = 0; c < n; c++)
		grid_set(g, c + 1, "%s", rundoc_platform_id(docs[c]));
	grid_row(g, "kernel");
	for (size_t c = 0; c < n; c++) {
		const char *k = rundoc_kernel(docs[c]);

		grid_set(g, c + 1, "%s", k && *k ? k : "?");
	}
	grid_row(g, "run");
	for (size_t c = 0; c < n; c++)
		grid_set(g, c + 1, "%s", rundoc_run_stamp(docs[c]) ? rundoc_run_stamp(docs[c]) :
			 "runner list");
}

static void units(struct grid *g, struct rundoc *const *docs, size_t n)
{
	for (size_t u = 0;; u++) {
		bool any = false;

		for (size_t c = 0; c < n; c++)
			any |= u < jarray_len(jmember(docs[c]->plat, "iommu_units"));
		if (!any && u)
			return;
		grid_row(g, u ? "" : "IOMMU units");
		for (size_t c = 0; c < n; c++) {
			json_object *un = jarray_at(jmember(docs[c]->plat, "iommu_units"), u);
			json_object *sc = jmember(jmember(un, "facts"), "snoop_control");

			if (!un)
				grid_set(g, c + 1, "%s", u ? "" : "no IOMMU");
			else if (sc)
				grid_set(g, c + 1, "%s %s SC=%d", jmember_str(un, "name"),
					 jmember_str(un, "kind"), json_object_get_boolean(sc));
			else
				grid_set(g, c + 1, "%s %s", jmember_str(un, "name"), jmember_str(un, "kind"));
		}
		if (!any)
			return;
	}
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_strv(char **v)
{
	for (size_t i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

/* Every distinct key of the entries of list(doc) that want, sorted; NULL-terminated. */
static char **distinct(struct rundoc *const *docs, size_t n, json_object *(*list)(const struct rundoc *),
		       bool (*want)(json_object *), void (*key)(json_object *, char *, size_t))
{
	char **v = calloc(1, sizeof(*v)), k[600];
	size_t cnt = 0;

	for (size_t c = 0; v && c < n; c++) {
		json_object *a = list(docs[c]);

		for (size_t i = 0; v && i < jarray_len(a); i++) {
			size_t j;
			char **nv;

			if (want && !want(jarray_at(a, i)))
				continue;
			key(jarray_at(a, i), k, sizeof(k));
			for (j = 0; j < cnt && strcmp(v[j], k); j++)
				;
			if (j < cnt)
				continue;
			nv = realloc(v, (cnt + 2) * sizeof(*nv));
			if (!nv || !(nv[cnt] = strdup(k))) {
				free_strv(nv ? nv : v);
				return NULL;
			}
			v = nv;
			v[++cnt] = NULL;
		}
	}
	if (v)
		qsort(v, cnt, sizeof(*v), by_str);
	return v;
}

static json_object *devices_of(const struct rundoc *d)
{
	return jmember(d->plat, "devices");
}

static void bdf_key(json_object *o, char *k, size_t len)
{
	snprintf(k, len, "%s", jmember_str(o, "bdf"));
}

static json_object *verdict_for(const struct rundoc *d, const char *bdf)
{
	json_object *vs = rundoc_verdicts(d);

	for (size_t i = 0; i < jarray_len(vs); i++) {
		const char *dev = jmember_str(jarray_at(vs, i), "device");

		if (dev && !strcmp(dev, bdf))
			return jarray_at(vs, i);
	}
	return NULL;
}

static void device_cell(struct grid *g, size_t col, const struct rundoc *d, const char *bdf,
			const struct expectations *e)
{
	json_object *dev = rundoc_device(d, bdf), *v = verdict_for(d, bdf), *en;
	const char *unit = jmember_str(dev, "iommu_unit");

	if (v) {
		const char *mark = !e || !rundoc_verdict_fails(v) ? "" :
				   expect_verdict(e, d, v) ? " (expected)" : " UNEXPECTED";

		grid_set(g, col, "%s%s", jmember_str(v, "label"), mark);
	} else if (!dev) {
		grid_set(g, col, "-");
	} else if (!unit) {
		grid_set(g, col, "no unit");
	} else {
		en = jmember(rundoc_unit(d, unit), "enforces_coherency");
		grid_set(g, col, "%s enforces=%s", unit,
			 !en ? "unknown" : json_object_get_boolean(en) ? "yes" : "no");
	}
}

/* Counts of tests matching (suite, device) (NULL: all), in words. */
static void count_cell(struct grid *g, size_t col, const struct rundoc *d, const char *suite,
		       const char *device, const struct expectations *e)
{
	json_object *ts = rundoc_tests(d);
	int pass = 0, fail = 0, xfail = 0, skip = 0, other = 0;
	char s[160] = "";
	size_t o = 0;

	if (d->kind != RUNDOC_RESULTS) {
		grid_set(g, col, "-");
		return;
	}
	for (size_t i = 0; i < jarray_len(ts); i++) {
		json_object *t = jarray_at(ts, i);
		const char *out = jmember_str(t, "outcome"), *dev = jmember_str(t, "device");

		if (suite && (strcmp(jmember_str(t, "suite"), suite) || !dev || strcmp(dev, device)))
			continue;
		if (rundoc_test_fails(t))
			*(e && expect_test(e, d, t) ? &xfail : &fail) += 1;
		else if (!strcmp(out, "pass") || !strcmp(out, "xfail"))
			pass++;
		else if (!strcmp(out, "skip"))
			skip++;
		else
			other++;
	}
#define PART(n, word) \
	if (n && o < sizeof(s)) \
		o += (size_t)snprintf(s + o, sizeof(s) - o, "%s%d %s", o ? ", " : "", n, word)
	PART(pass, "pass");
	PART(fail, "fail");
	PART(xfail, "expected-fail");
	PART(skip, "skip");
	PART(other, "other");
#undef PART
	grid_set(g, col, "%s", o ? s : "none");
}

static bool test_fails(json_object *t)
{
	return rundoc_test_fails(t) && jmember_str(t, "device");
}

/* "SUITE BDF" of a failing test (which has a device: test_fails). */
static void suite_dev_key(json_object *t, char *k, size_t len)
{
	snprintf(k, len, "%s %s", jmember_str(t, "suite"), jmember_str(t, "device"));
}

int sidebyside_print(struct rundoc *const *docs, size_t n, const struct expectations *e,
		     FILE *out)
{
	struct grid g = { .cols = n + 1 };
	char **bdfs = distinct(docs, n, devices_of, NULL, bdf_key);
	char **failing = distinct(docs, n, rundoc_tests, test_fails, suite_dev_key);
	bool any_results = false;

	if (!bdfs || !failing) {
		free_strv(bdfs);
		free_strv(failing);
		return -ENOMEM;
	}
	heading(&g, docs, n);
	units(&g, docs, n);
	for (size_t b = 0; bdfs[b]; b++) {
		grid_row(&g, bdfs[b]);
		for (size_t c = 0; c < n; c++)
			device_cell(&g, c + 1, docs[c], bdfs[b], e);
	}
	for (size_t c = 0; c < n; c++)
		any_results |= docs[c]->kind == RUNDOC_RESULTS;
	if (any_results) {
		grid_row(&g, "tests");
		for (size_t c = 0; c < n; c++)
			count_cell(&g, c + 1, docs[c], NULL, NULL, e);
	}
	for (size_t f = 0; failing[f]; f++) {
		char *sp = strchr(failing[f], ' ');

		grid_row(&g, failing[f]);
		*sp = '\0';
		for (size_t c = 0; c < n; c++)
			count_cell(&g, c + 1, docs[c], failing[f], sp + 1, e);
		*sp = ' ';
	}
	if (!g.err)
		grid_print(&g, out);
	grid_free(&g);
	free_strv(bdfs);
	free_strv(failing);
	return g.err;
}
