// SPDX-License-Identifier: GPL-2.0-only
#include "judge/compare.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonfile.h"
#include "base/strindex.h"

static const char *const mark_names[CMP_NMARKS] = {
	[CMP_REGRESSION] = "regression", [CMP_FIXED] = "fixed", [CMP_CHANGED] = "changed",
	[CMP_ADDED] = "added", [CMP_REMOVED] = "removed",
};

const char *cmp_mark_name(enum cmp_mark m)
{
	return mark_names[m];
}

/* Where the finding of changes is: the result and the pair under study. */
struct walk {
	struct compare *c;
	size_t pair;
	const struct rundoc *o, *n;
	int err;
};

/* Record a change; was and now are borrowed (a reference is taken). */
static void add(struct walk *w, enum cmp_mark m, const char *where, const char *what,
		json_object *was, json_object *now, const char *note)
{
	struct compare *c = w->c;
	struct cmp_change *nv, *ch;

	if (w->err)
		return;
	nv = realloc(c->v, (c->n + 1) * sizeof(*nv));
	if (!nv) {
		w->err = -ENOMEM;
		return;
	}
	c->v = nv;
	ch = &nv[c->n];
	*ch = (struct cmp_change){ .mark = m, .pair = w->pair };
	ch->where = strdup(where ? where : "");
	ch->what = strdup(what);
	ch->note = note ? strdup(note) : NULL;
	if (!ch->where || !ch->what || (note && !ch->note)) {
		free(ch->where);
		free(ch->what);
		free(ch->note);
		w->err = -ENOMEM;
		return;
	}
	ch->was = json_object_get(was);
	ch->now = json_object_get(now);
	c->n++;
	c->count[m]++;
}

/*
 * The change just recorded is about entry, a test or verdict of the NEW
 * document (borrowed: the document outlives the comparison); lost: a test
 * that passed and now skips, coverage an expectation may explain.
 */
static void subject(struct walk *w, json_object *entry, bool lost)
{
	if (w->err)
		return;
	w->c->v[w->c->n - 1].entry = entry;
	w->c->v[w->c->n - 1].lost = lost;
}

/* The same, for values built here: they are handed over. */
static void add_own(struct walk *w, enum cmp_mark m, const char *where, const char *what,
		    json_object *was, json_object *now, const char *note)
{
	add(w, m, where, what, was, now, note);
	json_object_put(was);
	json_object_put(now);
}

static bool is_true(json_object *v)
{
	return v && json_object_is_type(v, json_type_boolean) && json_object_get_boolean(v);
}

/* A member that differs is "changed"; one that was true and is not, lost. */
static void member(struct walk *w, const char *where, const char *what, json_object *o,
		   json_object *n, const char *key, bool loss_regresses)
{
	json_object *a = jmember(o, key), *b = jmember(n, key);

	if (json_object_equal(a, b))
		return;
	add(w, loss_regresses && is_true(a) && !is_true(b) ? CMP_REGRESSION : CMP_CHANGED,
	    where, what, a, b, NULL);
}

/*
 * The kernel build's identity, where both documents record it (files
 * older than it lack every member: nothing to compare, not a change).
 */
static void kernel_identity(struct walk *w, json_object *ok, json_object *nk)
{
	json_object *oc = jmember(ok, "config"), *nc = jmember(nk, "config");
	json_object *oo = jmember(oc, "options"), *no = jmember(nc, "options");
	char what[96];

	if (!oc || !nc)
		return;
	member(w, "", "kernel arch", ok, nk, "arch", false);
	member(w, "", "kernel build-id", ok, nk, "build_id", false);
	member(w, "", "kernel git commit", ok, nk, "git_commit", false);
	member(w, "", "kernel config source", oc, nc, "source", false);
	json_object_object_foreach(oo, key, val) {
		(void)val;
		snprintf(what, sizeof(what), "kernel %s", key);
		member(w, "", what, oo, no, key, false);
	}
	json_object_object_foreach(no, nkey, nval) {
		(void)nval;
		if (json_object_object_get_ex(oo, nkey, NULL))
			continue;
		snprintf(what, sizeof(what), "kernel %s", nkey);
		member(w, "", what, oo, no, nkey, false);
	}
}

static void platform(struct walk *w)
{
	json_object *ok = jmember(w->o->plat, "kernel"), *nk = jmember(w->n->plat, "kernel");

	member(w, "", "platform id", w->o->plat, w->n->plat, "platform_id", false);
	member(w, "", "kernel", ok, nk, "release", false);
	kernel_identity(w, ok, nk);
}

static void units(struct walk *w)
{
	json_object *ou = jmember(w->o->plat, "iommu_units"), *nu = jmember(w->n->plat, "iommu_units");

	for (size_t i = 0; i < jarray_len(ou); i++) {
		json_object *a = jarray_at(ou, i);
		const char *name = jmember_str(a, "name");
		json_object *b = rundoc_unit(w->n, name);

		if (!b) {
			add(w, CMP_REMOVED, name, "IOMMU unit", jmember(a, "kind"), NULL, NULL);
			continue;
		}
		member(w, name, "kind", a, b, "kind", false);
		member(w, name, "cap", a, b, "cap", false);
		member(w, name, "ecap", a, b, "ecap", false);
		member(w, name, "Snoop Control", jmember(a, "facts"), jmember(b, "facts"),
		       "snoop_control", false);
		member(w, name, "can enforce coherency", a, b, "enforces_coherency", true);
	}
	for (size_t i = 0; i < jarray_len(nu); i++) {
		json_object *b = jarray_at(nu, i);
		const char *name = jmember_str(b, "name");

		if (!rundoc_unit(w->o, name))
			add(w, CMP_ADDED, name, "IOMMU unit", NULL, jmember(b, "kind"), NULL);
	}
}

static json_object *pci_id(json_object *dev)
{
	char id[32];

	snprintf(id, sizeof(id), "%s:%s", jmember_str(dev, "vendor") ? jmember_str(dev, "vendor") : "?",
		 jmember_str(dev, "device") ? jmember_str(dev, "device") : "?");
	return json_object_new_string(id);
}

/* "dmar1 (enforces)", "dmar0 (does not enforce)", "none": a device's unit, in words. */
static json_object *unit_of(const struct rundoc *d, json_object *dev, bool *enforces)
{
	const char *name = jmember_str(dev, "iommu_unit");
	json_object *e = jmember(rundoc_unit(d, name), "enforces_coherency");
	char s[128];

	*enforces = is_true(e);
	if (!name)
		return json_object_new_string("none");
	snprintf(s, sizeof(s), "%s (%s)", name, !e ? "enforcement unknown" :
		 *enforces ? "enforces" : "does not enforce");
	return json_object_new_string(s);
}

static void devices(struct walk *w)
{
	json_object *od = jmember(w->o->plat, "devices"), *nd = jmember(w->n->plat, "devices");

	for (size_t i = 0; i < jarray_len(od); i++) {
		json_object *a = jarray_at(od, i), *b, *ua, *ub;
		const char *bdf = jmember_str(a, "bdf");
		bool ea, eb;

		if (!(b = rundoc_device(w->n, bdf))) {
			add_own(w, CMP_REMOVED, bdf, "device", pci_id(a), NULL, NULL);
			continue;
		}
		if (!json_object_equal(jmember(a, "vendor"), jmember(b, "vendor")) ||
		    !json_object_equal(jmember(a, "device"), jmember(b, "device")))
			add_own(w, CMP_CHANGED, bdf, "PCI ID", pci_id(a), pci_id(b), NULL);
		member(w, bdf, "Enable No Snoop", a, b, "enable_no_snoop", false);
		/* A unit's own loss is reported once, on the unit; here only a move. */
		if (json_object_equal(jmember(a, "iommu_unit"), jmember(b, "iommu_unit")))
			continue;
		ua = unit_of(w->o, a, &ea);
		ub = unit_of(w->n, b, &eb);
		add_own(w, ea && !eb ? CMP_REGRESSION : CMP_CHANGED, bdf, "IOMMU unit", ua, ub, NULL);
	}
	for (size_t i = 0; i < jarray_len(nd); i++) {
		json_object *b = jarray_at(nd, i);

		if (!rundoc_device(w->o, jmember_str(b, "bdf")))
			add_own(w, CMP_ADDED, jmember_str(b, "bdf"), "device", NULL, pci_id(b), NULL);
	}
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static json_object *verdict_for(const struct rundoc *d, const char *bdf)
{
	json_object *vs = rundoc_verdicts(d);

	for (size_t i = 0; bdf && i < jarray_len(vs); i++)
		if (same_str(jmember_str(jarray_at(vs, i), "device"), bdf))
			return jarray_at(vs, i);
	return NULL;
}

static void verdicts(struct walk *w)
{
	json_object *ov = rundoc_verdicts(w->o), *nv = rundoc_verdicts(w->n);

	for (size_t i = 0; i < jarray_len(ov); i++) {
		json_object *a = jarray_at(ov, i);
		const char *bdf = jmember_str(a, "device");
		json_object *b = verdict_for(w->n, bdf);
		bool fa = rundoc_verdict_fails(a), fb = rundoc_verdict_fails(b);

		if (!b)
			add(w, CMP_REMOVED, bdf, "verdict", jmember(a, "label"), NULL, NULL);
		else if (!json_object_equal(jmember(a, "label"), jmember(b, "label"))) {
			add(w, fb && !fa ? CMP_REGRESSION : fa && !fb ? CMP_FIXED : CMP_CHANGED,
			    bdf, "verdict", jmember(a, "label"), jmember(b, "label"),
			    jmember_str(b, "why"));
			subject(w, b, false);
		}
	}
	for (size_t i = 0; i < jarray_len(nv); i++) {
		json_object *b = jarray_at(nv, i);
		const char *bdf = jmember_str(b, "device");

		if (!verdict_for(w->o, bdf)) {
			add(w, rundoc_verdict_fails(b) ? CMP_REGRESSION : CMP_ADDED, bdf, "verdict",
			    NULL, jmember(b, "label"), jmember_str(b, "why"));
			subject(w, b, false);
		}
	}
}

/*
 * A document's tests sorted by (suite, name, device), then position: a
 * pair's tests meet their counterparts by binary search, not by a scan
 * of the other side's tests per test (tests x tests per pair).
 */
struct test_key {
	const char *suite, *name, *device;
	size_t at;
};

struct test_index {
	struct test_key *v;
	size_t n;
	json_object *tests;
};

static int key_cmp(const void *pa, const void *pb)
{
	const struct test_key *a = pa, *b = pb;
	int c = str_index_cmp(a->suite, b->suite);

	if (!c)
		c = str_index_cmp(a->name, b->name);
	return c ? c : str_index_cmp(a->device, b->device);
}

static int by_test_then_at(const void *pa, const void *pb)
{
	const struct test_key *a = pa, *b = pb;
	int c = key_cmp(a, b);

	return c ? c : (a->at > b->at) - (a->at < b->at);
}

static struct test_key key_of(json_object *t, size_t at)
{
	return (struct test_key){ jmember_str(t, "suite"), jmember_str(t, "name"),
				  jmember_str(t, "device"), at };
}

static int test_index_build(struct test_index *x, const struct rundoc *d)
{
	x->tests = rundoc_tests(d);
	x->n = jarray_len(x->tests);
	x->v = malloc((x->n ? x->n : 1) * sizeof(*x->v));
	if (!x->v)
		return -ENOMEM;
	for (size_t i = 0; i < x->n; i++)
		x->v[i] = key_of(jarray_at(x->tests, i), i);
	qsort(x->v, x->n, sizeof(*x->v), by_test_then_at);
	return 0;
}

/* The first test of x with t's suite, name and device, or NULL. */
static json_object *test_like(const struct test_index *x, json_object *t)
{
	struct test_key k = key_of(t, 0);
	size_t lo = sorted_lower_bound(x->v, x->n, sizeof(*x->v), &k, key_cmp);

	return lo < x->n && !key_cmp(&x->v[lo], &k) ? jarray_at(x->tests, x->v[lo].at) : NULL;
}

static void test_what(char *buf, size_t len, json_object *t)
{
	snprintf(buf, len, "test %s %s", jmember_str(t, "suite"), jmember_str(t, "name"));
}

static bool passes(json_object *t)
{
	const char *o = jmember_str(t, "outcome");

	return o && (!strcmp(o, "pass") || !strcmp(o, "xfail"));
}

static void tests(struct walk *w)
{
	json_object *ot = rundoc_tests(w->o), *nt = rundoc_tests(w->n);
	struct test_index xo = { 0 }, xn = { 0 };
	char what[600];

	if (test_index_build(&xo, w->o) || test_index_build(&xn, w->n)) {
		w->err = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < jarray_len(ot); i++) {
		json_object *a = jarray_at(ot, i), *b = test_like(&xn, a);
		bool fa = rundoc_test_fails(a), fb = rundoc_test_fails(b);
		enum cmp_mark m;

		if (!b) {
			test_what(what, sizeof(what), a);
			add(w, CMP_REMOVED, jmember_str(a, "device"), what, jmember(a, "outcome"),
			    NULL, NULL);
			continue;
		}
		if (json_object_equal(jmember(a, "outcome"), jmember(b, "outcome")))
			continue;
		m = fb && !fa ? CMP_REGRESSION : fa && passes(b) ? CMP_FIXED : CMP_CHANGED;
		test_what(what, sizeof(what), a);
		add(w, m, jmember_str(b, "device"), what, jmember(a, "outcome"),
		    jmember(b, "outcome"), jmember_str(b, "reason"));
		subject(w, b, passes(a) && jmember_str(b, "outcome") &&
			!strcmp(jmember_str(b, "outcome"), "skip"));
	}
	for (size_t i = 0; i < jarray_len(nt); i++) {
		json_object *b = jarray_at(nt, i);

		if (test_like(&xo, b))
			continue;
		test_what(what, sizeof(what), b);
		add(w, rundoc_test_fails(b) ? CMP_REGRESSION : CMP_ADDED, jmember_str(b, "device"),
		    what, NULL, jmember(b, "outcome"), jmember_str(b, "reason"));
		subject(w, b, false);
	}
out:
	free(xo.v);
	free(xn.v);
}

/* "enforced" first: its loss is a regression. */
static const char *const ev_keys[] = { "enforced", "hw_info_ecap" };
#define N_EV_KEYS (sizeof(ev_keys) / sizeof(ev_keys[0]))

/*
 * A document's attach evidence objects that carry one of ev_keys (not
 * null), sorted by (device, path, key), then position: the first holder of
 * a (device, path, key) is found by binary search, not by a scan of every
 * test per evidence object (tests x tests per pair).
 */
struct ev_key {
	const char *device, *path;
	size_t key, at;
	json_object *e;
};

struct ev_index {
	struct ev_key *v;
	size_t n;
	size_t *order;	/* order[at]: where the at'th in document order sorted to */
};

static int ev_cmp(const void *pa, const void *pb)
{
	const struct ev_key *a = pa, *b = pb;
	int c = str_index_cmp(a->device, b->device);

	if (!c)
		c = strcmp(a->path, b->path);
	return c ? c : (a->key > b->key) - (a->key < b->key);
}

static int by_ev_then_at(const void *pa, const void *pb)
{
	const struct ev_key *a = pa, *b = pb;
	int c = ev_cmp(a, b);

	return c ? c : (a->at > b->at) - (a->at < b->at);
}

/* Count them (x->v NULL) or fill x->v, in document order. */
static void ev_scan(struct ev_index *x, json_object *ts)
{
	x->n = 0;
	for (size_t i = 0; i < jarray_len(ts); i++) {
		json_object *t = jarray_at(ts, i), *ev = jmember(t, "evidence");

		if (!same_str(jmember_str(t, "suite"), "attach"))
			continue;
		for (size_t j = 0; j < jarray_len(ev); j++) {
			json_object *a = jarray_at(ev, j);
			const char *path = jmember_str(a, "path");

			for (size_t k = 0; path && k < N_EV_KEYS; k++) {
				if (!jmember(a, ev_keys[k]))
					continue;
				if (x->v)
					x->v[x->n] = (struct ev_key){ jmember_str(t, "device"), path,
								      k, x->n, a };
				x->n++;
			}
		}
	}
}

static int ev_index_build(struct ev_index *x, const struct rundoc *d)
{
	ev_scan(x, rundoc_tests(d));
	x->v = malloc((x->n ? x->n : 1) * sizeof(*x->v));
	x->order = malloc((x->n ? x->n : 1) * sizeof(*x->order));
	if (!x->v || !x->order)
		return -ENOMEM;
	ev_scan(x, rundoc_tests(d));
	qsort(x->v, x->n, sizeof(*x->v), by_ev_then_at);
	for (size_t i = 0; i < x->n; i++)
		x->order[x->v[i].at] = i;
	return 0;
}

/* The first evidence object of x for device and path carrying key k, or NULL. */
static json_object *ev_first(const struct ev_index *x, const char *device, const char *path,
			     size_t k)
{
	struct ev_key want = { device, path, k, 0, NULL };
	size_t lo = sorted_lower_bound(x->v, x->n, sizeof(*x->v), &want, ev_cmp);

	return lo < x->n && !ev_cmp(&x->v[lo], &want) ? x->v[lo].e : NULL;
}

/*
 * Per attach path, what the kernel reported: "enforced" (lost is a
 * regression) and IOMMU_GET_HW_INFO's raw ECAP. A path on one side only
 * is already told by its tests.
 */
static void evidence(struct walk *w)
{
	struct ev_index xo = { 0 }, xn = { 0 };
	char what[300];

	if (ev_index_build(&xo, w->o) || ev_index_build(&xn, w->n)) {
		w->err = -ENOMEM;
		goto out;
	}
	/* The old side in document order; each (device, path, key) once: at its first holder. */
	for (size_t i = 0; i < xo.n; i++) {
		size_t s = xo.order[i];
		const struct ev_key *a = &xo.v[s];
		json_object *b;

		if (s && !ev_cmp(&xo.v[s - 1], a))
			continue;
		b = ev_first(&xn, a->device, a->path, a->key);
		if (!b)
			continue;
		snprintf(what, sizeof(what), "%s (%s)", ev_keys[a->key], a->path);
		member(w, a->device, what, a->e, b, ev_keys[a->key], a->key == 0);
	}
out:
	free(xo.v);
	free(xo.order);
	free(xn.v);
	free(xn.order);
}

static int walk_pair(struct compare *c, size_t p)
{
	struct walk w = { .c = c, .pair = p, .o = c->pairs[p].old, .n = c->pairs[p].new };

	if (!w.o || !w.n) {
		const struct rundoc *d = w.o ? w.o : w.n;
		json_object *id = json_object_new_string(rundoc_platform_id(d));

		add_own(&w, w.o ? CMP_REMOVED : CMP_ADDED, "", "document",
			w.o ? id : NULL, w.o ? NULL : id, d->path);
		return w.err;
	}
	/* One digest: nothing compare reads differs (judge/docsum.h). */
	if (rundoc_same(w.o, w.n))
		return 0;
	platform(&w);
	units(&w);
	devices(&w);
	/* A list document has no outcomes: only the platform compares. */
	if (w.o->kind == RUNDOC_RESULTS && w.n->kind == RUNDOC_RESULTS) {
		verdicts(&w);
		tests(&w);
		evidence(&w);
	}
	return w.err;
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static int pair(struct compare *c, const struct rundoc *o, const struct rundoc *n)
{
	struct cmp_pair *np = realloc(c->pairs, (c->n_pairs + 1) * sizeof(*np));

	if (!np)
		return -ENOMEM;
	c->pairs = np;
	np[c->n_pairs++] = (struct cmp_pair){ o, n };
	return 0;
}

static const char *base_of(void *ctx, size_t i)
{
	return base(((const struct rundoc_set *)ctx)->v[i].path);
}

static const char *id_of(void *ctx, size_t i)
{
	return rundoc_platform_id(&((const struct rundoc_set *)ctx)->v[i]);
}

/* s's first document not yet taken with key in x (x->n: none). */
static size_t first_free(const struct str_index *x, const bool *taken, const char *key)
{
	size_t e = str_index_find(x, key);

	while (e < x->n && taken[x->v[e].at] && !str_index_cmp(x->v[e].key, key))
		e++;
	return e < x->n && !str_index_cmp(x->v[e].key, key) ? x->v[e].at : x->n;
}

/* How many of x's documents not yet taken have key? */
static size_t count_free(const struct str_index *x, const bool *taken, const char *key)
{
	size_t k = 0;

	for (size_t e = str_index_find(x, key); e < x->n && !str_index_cmp(x->v[e].key, key); e++)
		k += !taken[x->v[e].at];
	return k;
}

/*
 * Same file name first (build/vm/amdvi.json against build/vm/amdvi.json,
 * where several virtual platforms share a platform id), then a platform id
 * only one document on each side has. The new side is looked up through
 * sorted indexes (strindex.h), so thousands of files pair in n log n.
 * Pairing by id takes only documents whose id no other free one has, so
 * it never changes another id's count: counting once per document holds.
 */
static int pair_up(struct compare *c, const struct rundoc_set *o, const struct rundoc_set *n)
{
	bool *to = calloc(o->n + 1, 1), *tn = calloc(n->n + 1, 1);
	struct str_index nb = { 0 }, oi = { 0 }, ni = { 0 };
	int ret = to && tn ? 0 : -ENOMEM;

	if (!ret && o->n == 1 && n->n == 1) {
		ret = pair(c, &o->v[0], &n->v[0]);
		to[0] = tn[0] = true;
	}
	if (!ret)
		ret = str_index_build(&nb, n->n, base_of, (void *)n);
	for (size_t i = 0; !ret && i < o->n; i++) {
		size_t j = to[i] ? nb.n : first_free(&nb, tn, base(o->v[i].path));

		if (j < nb.n) {
			ret = pair(c, &o->v[i], &n->v[j]);
			to[i] = tn[j] = true;
		}
	}
	if (!ret)
		ret = str_index_build(&oi, o->n, id_of, (void *)o);
	if (!ret)
		ret = str_index_build(&ni, n->n, id_of, (void *)n);
	for (size_t i = 0; !ret && i < o->n; i++) {
		const char *id = rundoc_platform_id(&o->v[i]);

		if (!to[i] && count_free(&oi, to, id) == 1 && count_free(&ni, tn, id) == 1) {
			size_t j = first_free(&ni, tn, id);

			ret = pair(c, &o->v[i], &n->v[j]);
			to[i] = tn[j] = true;
		}
	}
	for (size_t i = 0; !ret && i < o->n; i++)
		if (!to[i])
			ret = pair(c, &o->v[i], NULL);
	for (size_t j = 0; !ret && j < n->n; j++)
		if (!tn[j])
			ret = pair(c, NULL, &n->v[j]);
	str_index_free(&nb);
	str_index_free(&oi);
	str_index_free(&ni);
	free(to);
	free(tn);
	return ret;
}

int compare_pair_up(struct compare *c, const struct rundoc_set *old, const struct rundoc_set *new)
{
	memset(c, 0, sizeof(*c));
	c->old = old;
	c->new = new;
	return pair_up(c, old, new);
}

bool compare_pair_needs_whole(const struct cmp_pair *p)
{
	return p->old && p->new && !rundoc_same(p->old, p->new);
}

int compare_walk(struct compare *c)
{
	int ret = 0;

	for (size_t p = 0; !ret && p < c->n_pairs; p++) {
		const struct cmp_pair *pr = &c->pairs[p];

		/* A view in a pair that needs the documents: the caller's bug, not a change. */
		if (compare_pair_needs_whole(pr) && !(pr->old->whole && pr->new->whole))
			return -EINVAL;
		ret = walk_pair(c, p);
	}
	return ret;
}

int compare_sets(struct compare *c, const struct rundoc_set *old, const struct rundoc_set *new)
{
	int ret = compare_pair_up(c, old, new);

	return ret ? ret : compare_walk(c);
}

static const char *text(json_object *v)
{
	return v ? json_object_get_string(v) : "absent";
}

static void print_doc(FILE *out, const char *side, const struct rundoc *d)
{
	const char *run;

	if (!d) {
		fprintf(out, "%s: -\n", side);
		return;
	}
	run = rundoc_run_stamp(d);
	fprintf(out, "%s: %s (platform %s, kernel %s, %s%s)\n", side, d->heading,
		rundoc_platform_id(d), rundoc_kernel(d), run ? "run " : "runner list",
		run ? run : "");
}

void compare_expect(struct compare *c, const struct expectations *e)
{
	c->expecting = true;
	for (size_t i = 0; i < c->n; i++) {
		struct cmp_change *ch = &c->v[i];
		const struct rundoc *d = c->pairs[ch->pair].new;

		if (ch->mark != CMP_REGRESSION && !ch->lost)
			continue;
		c->lost += ch->lost;
		if (ch->entry && d)
			ch->expected = strcmp(ch->what, "verdict") ?
				       expect_test(e, d, ch->entry) : expect_verdict(e, d, ch->entry);
		if (ch->expected)
			c->expected++;
		else
			c->unexpected++;
	}
}

/* Expected changes that were lost coverage (lost) or regressions (!lost). */
static int count_expected(const struct compare *c, bool lost)
{
	int n = 0;

	for (size_t i = 0; i < c->n; i++)
		n += c->v[i].expected && c->v[i].lost == lost;
	return n;
}

/* What a change is, as printed: its mark, or what compare_expect() made of it. */
static const char *shown_mark(const struct compare *c, const struct cmp_change *ch)
{
	static const char *const shown[CMP_NMARKS] = {
		[CMP_REGRESSION] = "REGRESSION", [CMP_FIXED] = "fixed", [CMP_CHANGED] = "changed",
		[CMP_ADDED] = "added", [CMP_REMOVED] = "removed",
	};

	if (c->expecting && ch->expected)
		return "expected";
	if (c->expecting && ch->lost)
		return "LOST";
	return shown[ch->mark];
}

void compare_print(const struct compare *c, FILE *out)
{
	/* compare_sets() records the changes pair by pair, in order. */
	for (size_t p = 0, i = 0; p < c->n_pairs; p++) {
		int shown_any = 0;

		if (p)
			fputc('\n', out);
		print_doc(out, "OLD", c->pairs[p].old);
		print_doc(out, "NEW", c->pairs[p].new);
		for (; i < c->n && c->v[i].pair == p; i++) {
			const struct cmp_change *ch = &c->v[i];

			shown_any = 1;
			fprintf(out, "  %-10s  %-12s  %s: %s -> %s", shown_mark(c, ch),
				ch->where[0] ? ch->where : "platform", ch->what, text(ch->was),
				text(ch->now));
			if (ch->note)
				fprintf(out, " (%s)", ch->note);
			if (c->expecting && ch->expected)
				fprintf(out, " [%s: %s, %s]", ch->expected->name, ch->expected->reason,
					ch->expected->url);
			fputc('\n', out);
		}
		if (!shown_any)
			fprintf(out, "  no changes\n");
	}
	fprintf(out, "compare: %d regression%s, %d fixed, %d changed, %d added, %d removed\n",
		c->count[CMP_REGRESSION], c->count[CMP_REGRESSION] == 1 ? "" : "s",
		c->count[CMP_FIXED], c->count[CMP_CHANGED], c->count[CMP_ADDED],
		c->count[CMP_REMOVED]);
	if (c->expecting)
		fprintf(out, "expect: %d unexpected (%d regression%s, %d lost), %d expected\n",
			c->unexpected, c->count[CMP_REGRESSION] - count_expected(c, false),
			c->count[CMP_REGRESSION] - count_expected(c, false) == 1 ? "" : "s",
			c->lost - count_expected(c, true), c->expected);
}

static json_object *jstr_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *doc_json(const struct rundoc *d)
{
	json_object *o;

	if (!d)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "file", json_object_new_string(d->path));
	json_object_object_add(o, "heading", jstr_or_null(d->heading));
	json_object_object_add(o, "kind", json_object_new_string(
				       d->kind == RUNDOC_RESULTS ? "results" : "list"));
	json_object_object_add(o, "platform_id", jstr_or_null(rundoc_platform_id(d)));
	json_object_object_add(o, "kernel", jstr_or_null(rundoc_kernel(d)));
	json_object_object_add(o, "run", jstr_or_null(rundoc_run_stamp(d)));
	return o;
}

json_object *compare_to_json(const struct compare *c)
{
	json_object *root = json_object_new_object(), *pairs = json_object_new_array();
	json_object *sum = json_object_new_object();

	for (size_t p = 0, i = 0; p < c->n_pairs; p++) {
		json_object *o = json_object_new_object(), *chs = json_object_new_array();

		json_object_object_add(o, "old", doc_json(c->pairs[p].old));
		json_object_object_add(o, "new", doc_json(c->pairs[p].new));
		for (; i < c->n && c->v[i].pair == p; i++) {
			const struct cmp_change *ch = &c->v[i];
			json_object *x;

			x = json_object_new_object();
			json_object_object_add(x, "mark", json_object_new_string(cmp_mark_name(ch->mark)));
			json_object_object_add(x, "where", json_object_new_string(ch->where));
			json_object_object_add(x, "what", json_object_new_string(ch->what));
			json_object_object_add(x, "old", json_object_get(ch->was));
			json_object_object_add(x, "new", json_object_get(ch->now));
			json_object_object_add(x, "note", jstr_or_null(ch->note));
			if (c->expecting) {
				json_object_object_add(x, "lost", json_object_new_boolean(ch->lost));
				json_object_object_add(x, "expected", expect_to_json(ch->expected));
			}
			json_object_array_add(chs, x);
		}
		json_object_object_add(o, "changes", chs);
		json_object_array_add(pairs, o);
	}
	for (int m = 0; m < CMP_NMARKS; m++)
		json_object_object_add(sum, cmp_mark_name((enum cmp_mark)m),
				       json_object_new_int(c->count[m]));
	json_object_object_add(root, "compare_version", json_object_new_int(1));
	json_object_object_add(root, "regressed", json_object_new_boolean(c->count[CMP_REGRESSION] > 0));
	if (c->expecting) {
		json_object_object_add(sum, "lost", json_object_new_int(c->lost));
		json_object_object_add(sum, "expected", json_object_new_int(c->expected));
		json_object_object_add(sum, "unexpected", json_object_new_int(c->unexpected));
	}
	json_object_object_add(root, "summary", sum);
	json_object_object_add(root, "pairs", pairs);
	return root;
}

void compare_free(struct compare *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].where);
		free(c->v[i].what);
		free(c->v[i].note);
		json_object_put(c->v[i].was);
		json_object_put(c->v[i].now);
	}
	free(c->v);
	free(c->pairs);
	memset(c, 0, sizeof(*c));
}
