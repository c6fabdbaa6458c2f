// SPDX-License-Identifier: GPL-2.0-only
#include "report/matrix.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonfile.h"
#include "base/strindex.h"

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* NULL sorts first; then version order for kernels, byte order otherwise. */
static int cmp_str(const char *a, const char *b, bool version)
{
	if (!a || !b)
		return !!a - !!b;
	return version ? strverscmp(a, b) : strcmp(a, b);
}

/*
 * A platform's rows share its platform id and its IOMMU units' raw
 * registers: the virtual lab's vtd-sc and vtd-nosc have one platform id
 * (the same emulated board) but differ in Snoop Control, so they are two
 * platforms, while one machine on two kernels keeps its registers.
 */
static char *group_key(const struct rundoc *d)
{
	json_object *us = jmember(rundoc_platform(d), "iommu_units");
	char *key = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&key, &len);

	if (!f)
		return NULL;
	fprintf(f, "%s", rundoc_platform_id(d) ? rundoc_platform_id(d) : "");
	for (size_t i = 0; i < jarray_len(us); i++) {
		json_object *u = jarray_at(us, i);

		fprintf(f, " %s:%s:%s:%s", jmember_str(u, "name"), jmember_str(u, "kind"),
			jmember_str(u, "cap") ? jmember_str(u, "cap") : "-",
			jmember_str(u, "ecap") ? jmember_str(u, "ecap") : "-");
	}
	if (fclose(f)) {
		free(key);
		return NULL;
	}
	return key;
}

struct keyed {
	struct rundoc *doc;
	char *key;
};

static int by_row(const void *pa, const void *pb)
{
	const struct keyed *ka = pa, *kb = pb;
	const struct rundoc *a = ka->doc, *b = kb->doc;
	int c;

	if ((c = strcmp(ka->key, kb->key)))
		return c;
	if ((c = cmp_str(rundoc_kernel(a), rundoc_kernel(b), true)))
		return c;
	if ((c = cmp_str(rundoc_run_stamp(a), rundoc_run_stamp(b), false)))
		return c;
	return strcmp(a->path, b->path);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_col(struct mx *m, const char *bdf)
{
	char **nc;

	if (!bdf || mx_col(m, bdf) >= 0)
		return 0;
	nc = realloc(m->cols, (m->n_cols + 1) * sizeof(*nc));
	if (!nc)
		return -ENOMEM;
	m->cols = nc;
	if (!(nc[m->n_cols] = strdup(bdf)))
		return -ENOMEM;
	m->n_cols++;
	return 0;
}

/* The devices some verdict names; with no results document, every device listed. */
static int columns(struct mx *m, struct rundoc_set *s)
{
	bool any_results = false;
	int ret = 0;

	for (size_t i = 0; i < s->n; i++)
		any_results |= s->v[i].kind == RUNDOC_RESULTS;
	for (size_t i = 0; !ret && i < s->n; i++) {
		json_object *a = any_results ? rundoc_verdicts(&s->v[i]) : jmember(s->v[i].plat, "devices");

		for (size_t j = 0; !ret && j < jarray_len(a); j++)
			ret = add_col(m, jmember_str(jarray_at(a, j), any_results ? "device" : "bdf"));
	}
	if (!ret && m->n_cols)
		qsort(m->cols, m->n_cols, sizeof(*m->cols), by_name);
	return ret;
}

static json_object *verdict_for(const struct rundoc *d, const char *bdf)
{
	json_object *vs = rundoc_verdicts(d);

	for (size_t i = 0; i < jarray_len(vs); i++)
		if (same_str(jmember_str(jarray_at(vs, i), "device"), bdf))
			return jarray_at(vs, i);
	return NULL;
}

/* The worst of r's changes at the cell's device or its unit (-1: none). */
static void cell_changes(struct mx *m, struct mx_row *r, size_t col)
{
	struct mx_cell *c = &r->cells[col];

	c->change = -1;
	for (size_t i = 0; i < r->cmp.n; i++) {
		const struct cmp_change *ch = &r->cmp.v[i];

		if (mx_change_at(m, r, col, ch) && (c->change < 0 || (int)ch->mark < c->change))
			c->change = (int)ch->mark;
	}
}

/*
 * A cell of a row read whole: the device, its verdict, its failing tests
 * and their judgement; the verdict of the row above (as the row of its
 * results has it); the changes since.
 */
static void fill_cell(struct mx *m, struct mx_row *r, size_t col)
{
	struct mx_cell *c = &r->cells[col];
	const char *bdf = m->cols[col];
	json_object *ts = rundoc_tests(r->doc);

	c->dev = rundoc_device(r->doc, bdf);
	c->verdict = verdict_for(r->doc, bdf);
	if (r->prev >= 0)
		c->before = verdict_for(m->rows[m->rows[r->prev].like].doc, bdf);
	for (size_t i = 0; i < jarray_len(ts); i++) {
		json_object *t = jarray_at(ts, i);

		if (same_str(jmember_str(t, "device"), bdf) && rundoc_test_fails(t))
			c->fails++;
	}
	c->fails += c->verdict && rundoc_verdict_fails(c->verdict);
	for (size_t i = r->gate_first; i < r->gate_end; i++) {
		const struct gate_item *it = &m->gate.v[m->gate_by[i]];

		if (same_str(jmember_str(it->entry, "device"), bdf))
			*(it->x ? &c->expected : &c->unexpected) += 1;
	}
	cell_changes(m, r, col);
}

/* The same for a row like an earlier one: that row's cell, with r's own changes. */
static void fill_like(struct mx *m, struct mx_row *r, size_t col)
{
	struct mx_cell *c = &r->cells[col];

	*c = m->rows[r->like].cells[col];
	c->before = r->prev >= 0 ? m->rows[m->rows[r->prev].like].cells[col].verdict : NULL;
	cell_changes(m, r, col);
}

static int add_platform(struct mx *m, const struct keyed *k, size_t row)
{
	struct mx_platform *np;

	if (m->n_plats && !strcmp(m->plats[m->n_plats - 1].key, k->key)) {
		m->plats[m->n_plats - 1].n++;
		return 0;
	}
	np = realloc(m->plats, (m->n_plats + 1) * sizeof(*np));
	if (!np)
		return -ENOMEM;
	m->plats = np;
	np[m->n_plats] = (struct mx_platform){ .id = rundoc_platform_id(k->doc), .first = row, .n = 1 };
	if (!(np[m->n_plats].key = strdup(k->key)))
		return -ENOMEM;
	m->n_plats++;
	return 0;
}

/*
 * The gate's items grouped by document (s's), each group in the gate's
 * order: a row finds its own, not by a scan of every document's items
 * per cell and per failing test (rows x items). start[k]..start[k + 1]:
 * the items of s->v[k] in m->gate_by.
 */
static int gate_index(struct mx *m, const struct rundoc_set *s, size_t *start)
{
	size_t *at;

	m->gate_by = malloc((m->gate.n ? m->gate.n : 1) * sizeof(*m->gate_by));
	if (!m->gate_by)
		return -ENOMEM;
	memset(start, 0, (s->n + 1) * sizeof(*start));
	for (size_t i = 0; i < m->gate.n; i++)
		start[m->gate.v[i].doc - s->v + 1]++;
	for (size_t k = 0; k < s->n; k++)
		start[k + 1] += start[k];
	if (!(at = malloc((s->n + 1) * sizeof(*at))))
		return -ENOMEM;
	memcpy(at, start, (s->n + 1) * sizeof(*at));
	for (size_t i = 0; i < m->gate.n; i++)
		m->gate_by[at[m->gate.v[i].doc - s->v]++] = i;
	free(at);
	return 0;
}

/* The key of a row's results: its platform's key and its digest; NULL: none known. */
static char *results_key(const struct keyed *k)
{
	char *key;

	if (!k->doc->digest[0])
		return NULL;
	return asprintf(&key, "%s\n%s", k->key, k->doc->digest) < 0 ? NULL : key;
}

static const char *nth_key(void *ctx, size_t i)
{
	return ((char **)ctx)[i];
}

/*
 * Which row each row's results are (rows[i].like: the first row of the
 * platform with the same digest, judge/docsum.h), and so which documents
 * must be read whole: those first rows only.
 */
static int read_whole(struct mx *m, struct rundoc_set *s, struct rundoc **docs,
		      const struct keyed *ks, FILE *err)
{
	bool *want = calloc(s->n + 1, sizeof(*want));
	char **keys = calloc(s->n + 1, sizeof(*keys));
	struct str_index x = { 0 };
	int ret = want && keys ? 0 : -ENOMEM;

	for (size_t i = 0; !ret && i < s->n; i++)
		if (ks[i].doc->digest[0] && !(keys[i] = results_key(&ks[i])))
			ret = -ENOMEM;
	if (!ret)
		ret = str_index_build(&x, s->n, nth_key, keys);
	for (size_t i = 0; !ret && i < s->n; i++) {
		/* No digest known (--no-cache, a summary not made): a row of its own. */
		m->rows[i].like = keys[i] ? x.v[str_index_find(&x, keys[i])].at : i;
		want[docs[i] - s->v] |= m->rows[i].like == i;
	}
	if (!ret)
		ret = rundoc_set_whole(s, want, err);
	str_index_free(&x);
	for (size_t i = 0; keys && i < s->n; i++)
		free(keys[i]);
	free(keys);
	free(want);
	return ret;
}

int mx_build(struct mx *m, struct rundoc_set *s, const struct expectations *e, FILE *err)
{
	size_t *gate_start = calloc(s->n + 1, sizeof(*gate_start));
	struct keyed *ks = calloc(s->n + 1, sizeof(*ks));
	struct rundoc **docs = calloc(s->n + 1, sizeof(*docs));
	int ret = 0;

	memset(m, 0, sizeof(*m));
	m->e = e;
	m->rows = calloc(s->n + 1, sizeof(*m->rows));
	if (!ks || !docs || !m->rows || !gate_start)
		ret = -ENOMEM;
	for (size_t i = 0; !ret && i < s->n; i++) {
		ks[i].doc = &s->v[i];
		if (!(ks[i].key = group_key(&s->v[i])))
			ret = -ENOMEM;
	}
	if (!ret) {
		qsort(ks, s->n, sizeof(*ks), by_row);
		for (size_t i = 0; i < s->n; i++)
			docs[i] = ks[i].doc;
		ret = read_whole(m, s, docs, ks, err);
	}
	if (!ret)
		ret = columns(m, s);
	if (!ret && e) {
		/* The rows read whole are judged; a row like one counts its items again. */
		struct rundoc **whole = calloc(s->n + 1, sizeof(*whole));
		size_t n_whole = 0;

		for (size_t i = 0; whole && i < s->n; i++)
			if (m->rows[i].like == i)
				whole[n_whole++] = docs[i];
		m->gated = true;
		ret = whole ? gate_run(&m->gate, e, whole, n_whole) : -ENOMEM;
		if (!ret)
			ret = gate_index(m, s, gate_start);
		free(whole);
	}
	for (size_t i = 0; !ret && i < s->n; i++) {
		struct mx_row *r = &m->rows[m->n_rows++];

		r->doc = docs[i];
		r->prev = -1;
		r->gate_first = gate_start[docs[i] - s->v];
		r->gate_end = m->gated ? gate_start[docs[i] - s->v + 1] : r->gate_first;
		ret = add_platform(m, &ks[i], i);
		r->platform = m->n_plats - 1;
		if (!ret && m->plats[r->platform].first < i) {
			/*
			 * Two single documents always pair: the row above
			 * against this one, each as the row of its results
			 * (read whole; the same changes). The same results
			 * have none.
			 */
			r->prev = (long)i - 1;
			r->before = (struct rundoc_set){ .v = docs[m->rows[i - 1].like], .n = 1 };
			r->self = (struct rundoc_set){ .v = docs[r->like], .n = 1 };
			if (m->rows[i - 1].like != r->like)
				ret = compare_sets(&r->cmp, &r->before, &r->self);
		}
		if (!ret && !(r->cells = calloc(m->n_cols + 1, sizeof(*r->cells))))
			ret = -ENOMEM;
		for (size_t c = 0; !ret && c < m->n_cols; c++) {
			if (mx_repeats(m, r))
				fill_like(m, r, c);
			else
				fill_cell(m, r, c);
		}
		/* A row not judged counts the judgement of the row of its results again. */
		if (!ret && mx_repeats(m, r)) {
			const struct mx_row *like = &m->rows[r->like];

			for (size_t k = like->gate_first; k < like->gate_end; k++)
				gate_count_again(&m->gate, &m->gate.v[m->gate_by[k]]);
		}
	}
	for (size_t i = 0; ks && i < s->n; i++)
		free(ks[i].key);
	free(ks);
	free(docs);
	free(gate_start);
	return ret;
}

void mx_free(struct mx *m)
{
	for (size_t i = 0; i < m->n_cols; i++)
		free(m->cols[i]);
	for (size_t i = 0; i < m->n_rows; i++) {
		compare_free(&m->rows[i].cmp);
		free(m->rows[i].cells);
	}
	for (size_t i = 0; i < m->n_plats; i++)
		free(m->plats[i].key);
	if (m->gated)
		gate_free(&m->gate);
	free(m->gate_by);
	free(m->cols);
	free(m->plats);
	free(m->rows);
	memset(m, 0, sizeof(*m));
}

bool mx_repeats(const struct mx *m, const struct mx_row *r)
{
	return r->like != (size_t)(r - m->rows);
}

long mx_col(const struct mx *m, const char *bdf)
{
	for (size_t i = 0; bdf && i < m->n_cols; i++)
		if (!strcmp(m->cols[i], bdf))
			return (long)i;
	return -1;
}

bool mx_change_at(const struct mx *m, const struct mx_row *r, size_t col,
		  const struct cmp_change *ch)
{
	const char *unit = jmember_str(r->cells[col].dev, "iommu_unit");

	return !strcmp(ch->where, m->cols[col]) || (unit && !strcmp(ch->where, unit));
}

const struct gate_item *mx_gate_item(const struct mx *m, const struct mx_row *r, json_object *entry)
{
	for (size_t i = r->gate_first; i < r->gate_end; i++)
		if (m->gate.v[m->gate_by[i]].entry == entry)
			return &m->gate.v[m->gate_by[i]];
	return NULL;
}
