// SPDX-License-Identifier: GPL-2.0-only
#include "judge/gate.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonfile.h"

static int push(struct gate *g, const struct rundoc *d, json_object *entry, bool verdict,
		const struct expectation *x)
{
	struct gate_item *nv = realloc(g->v, (g->n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	g->v = nv;
	nv[g->n++] = (struct gate_item){ .doc = d, .entry = entry, .verdict = verdict, .x = x };
	if (x)
		g->expected++;
	else
		g->unexpected++;
	return 0;
}

static int judge_doc(struct gate *g, const struct expectations *e, const struct rundoc *d)
{
	json_object *ts = rundoc_tests(d), *vs = rundoc_verdicts(d);
	int ret = 0;

	for (size_t i = 0; !ret && i < jarray_len(ts); i++) {
		json_object *t = jarray_at(ts, i);

		if (rundoc_test_fails(t))
			ret = push(g, d, t, false, expect_test(e, d, t));
	}
	for (size_t i = 0; !ret && i < jarray_len(vs); i++) {
		json_object *v = jarray_at(vs, i);

		if (rundoc_verdict_fails(v))
			ret = push(g, d, v, true, expect_verdict(e, d, v));
	}
	return ret;
}

/* Does x hold on a results document given, yet cover nothing? */
static bool stale(const struct gate *g, const struct expectation *x, struct rundoc *const *docs,
		  size_t n)
{
	bool applies = false;

	for (size_t i = 0; i < g->n; i++)
		if (g->v[i].x == x)
			return false;
	for (size_t i = 0; i < n && !applies; i++)
		applies = docs[i]->kind == RUNDOC_RESULTS && expect_applies(x, docs[i]);
	/* The gate holds failures only; a known skip is stale if nothing skips so. */
	if (applies && x->outcome && !strcmp(x->outcome, "skip"))
		for (size_t i = 0; i < n; i++) {
			json_object *ts = rundoc_tests(docs[i]);

			for (size_t t = 0; t < jarray_len(ts); t++)
				if (expect_covers(x, docs[i], jarray_at(ts, t)))
					return false;
		}
	return applies;
}

int gate_run(struct gate *g, const struct expectations *e, struct rundoc *const *docs, size_t n)
{
	int ret = 0;

	memset(g, 0, sizeof(*g));
	for (size_t i = 0; !ret && i < n; i++)
		ret = judge_doc(g, e, docs[i]);
	for (size_t i = 0; !ret && i < e->n; i++) {
		const struct expectation **ns;

		if (!stale(g, &e->v[i], docs, n))
			continue;
		ns = realloc(g->stale, (g->n_stale + 1) * sizeof(*ns));
		if (!ns)
			return -ENOMEM;
		g->stale = ns;
		ns[g->n_stale++] = &e->v[i];
	}
	return ret;
}

void gate_count_again(struct gate *g, const struct gate_item *it)
{
	*(it->x ? &g->expected : &g->unexpected) += 1;
}

/* "dma dma.type1.unmapped_source_is_blocked @0000:00:04.0: fail", "verdict @BDF: LABEL". */
static void describe(FILE *out, const struct gate_item *it)
{
	json_object *en = it->entry;

	if (it->verdict)
		fprintf(out, "%s: verdict @%s: %s", it->doc->heading, jmember_str(en, "device"),
			jmember_str(en, "label"));
	else
		fprintf(out, "%s: %s %s @%s: %s", it->doc->heading, jmember_str(en, "suite"),
			jmember_str(en, "name"),
			jmember_str(en, "device") ? jmember_str(en, "device") : "-",
			jmember_str(en, "outcome"));
}

void gate_print(const struct gate *g, FILE *out)
{
	for (size_t i = 0; i < g->n; i++) {
		const struct gate_item *it = &g->v[i];
		const char *why = jmember_str(it->entry, it->verdict ? "why" : "reason");

		fprintf(out, "%s: ", it->x ? "expected-fail" : "UNEXPECTED");
		describe(out, it);
		if (it->x)
			fprintf(out, " (%s, %s)\n", it->x->reason, it->x->url);
		else
			fprintf(out, "%s%s%s\n", why ? " (" : "", why ? why : "", why ? ")" : "");
	}
	for (size_t i = 0; i < g->n_stale; i++)
		fprintf(out, "stale: %s:%d: expectation '%s' covered nothing on a platform it names: remove it if what it describes was fixed\n",
			g->stale[i]->file, g->stale[i]->line, g->stale[i]->name);
	fprintf(out, "gate: %d unexpected, %d expected failure%s, %zu stale expectation%s\n",
		g->unexpected, g->expected, g->expected == 1 ? "" : "s", g->n_stale,
		g->n_stale == 1 ? "" : "s");
}

static json_object *jstr_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

json_object *gate_to_json(const struct gate *g)
{
	json_object *root = json_object_new_object(), *items = json_object_new_array();
	json_object *st = json_object_new_array();

	for (size_t i = 0; i < g->n; i++) {
		const struct gate_item *it = &g->v[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "file", json_object_new_string(it->doc->path));
		json_object_object_add(o, "platform_id", jstr_or_null(rundoc_platform_id(it->doc)));
		json_object_object_add(o, "kind", json_object_new_string(it->verdict ? "verdict" : "test"));
		json_object_object_add(o, "entry", json_object_get(it->entry));
		json_object_object_add(o, "expected", json_object_new_boolean(it->x != NULL));
		json_object_object_add(o, "expectation", expect_to_json(it->x));
		json_object_array_add(items, o);
	}
	for (size_t i = 0; i < g->n_stale; i++)
		json_object_array_add(st, expect_to_json(g->stale[i]));
	json_object_object_add(root, "gate_version", json_object_new_int(1));
	json_object_object_add(root, "passed", json_object_new_boolean(g->unexpected == 0));
	json_object_object_add(root, "unexpected", json_object_new_int(g->unexpected));
	json_object_object_add(root, "expected", json_object_new_int(g->expected));
	json_object_object_add(root, "failures", items);
	json_object_object_add(root, "stale", st);
	return root;
}

void gate_free(struct gate *g)
{
	free(g->v);
	free(g->stale);
	memset(g, 0, sizeof(*g));
}
