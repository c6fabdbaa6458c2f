// SPDX-License-Identifier: GPL-2.0-only
#include "judge/rundoc.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/filecache.h"
#include "base/fsutil.h"
#include "base/jschema.h"
#include "base/jsonfile.h"
#include "base/parallel.h"
#include "base/strindex.h"
#include "judge/docsum.h"
#include "judge/results.h"
#include "judge/verdict.h"
#include "sysfs/sysroot.h"

/*
 * A list document is the schema's "platform": validate it against that
 * definition, resolved in the same built-in schema results use, so list
 * output and a results file's platform can never be checked differently.
 */
static int validate_list(json_object *schema, json_object *doc, const char *name, FILE *err)
{
	json_object *defs = jmember(schema, "$defs"), *wrap;
	int n;

	if (!defs) {
		fprintf(err, "%s: the built-in schema does not parse (build error)\n", name);
		return 1;
	}
	wrap = json_object_new_object();
	json_object_object_add(wrap, "$defs", json_object_get(defs));
	json_object_object_add(wrap, "$ref", json_object_new_string("#/$defs/platform"));
	n = jschema_validate(wrap, doc, name, err);
	json_object_put(wrap);
	return n;
}

/* A JSON Schema (results/schema.json) met in a tree: no document, said so. */
#define LOAD_SKIPPED 1

/* Everything d owns. */
static void doc_clear(struct rundoc *d)
{
	if (!d->shared)
		json_object_put(d->doc);
	json_object_put(d->head);
	free(d->path);
	free(d->heading);
	memset(d, 0, sizeof(*d));
}

/* Per worker but the first: base/parallel.c's most. */
#define WORKER_SCHEMAS 8

struct schema_pair {
	json_object *results;	/* the results schema */
	json_object *view, *head;	/* docsum_view_schema() and docsum_head_schema() of it */
};

struct schemas {
	struct schema_pair v[WORKER_SCHEMAS];
};

/*
 * doc checked as what it is, a results file or list output, and taken into
 * d (kind, plat); 0, or -EINVAL (said on err) with doc left to the caller.
 */
static int check(struct rundoc *d, json_object *doc, const char *path, json_object *schema,
		 FILE *err)
{
	/* schema NULL: the very bytes were checked before (load()'s checked) */
	if (jmember(doc, "schema_version")) {
		d->kind = RUNDOC_RESULTS;
		if (schema && results_validate_with(schema, doc, path, err))
			return -EINVAL;
		d->plat = jmember(doc, "platform");
	} else if (jmember(doc, "platform_id")) {
		d->kind = RUNDOC_LIST;
		if (schema && validate_list(schema, doc, path, err))
			return -EINVAL;
		d->plat = doc;
	} else {
		fprintf(err, "%s: $: expected a results file (an object with \"schema_version\") or runner list --json output (an object with \"platform_id\"), got %s\n",
			path, json_object_is_type(doc, json_type_object) ? "an object with neither" :
			json_type_to_name(json_object_get_type(doc)));
		return -EINVAL;
	}
	d->doc = doc;
	return 0;
}

/* The built-in schema and the views' and heads' made from it, for the first thread. */
static const struct schema_pair *main_schemas(void)
{
	static struct schema_pair sp;

	if (!sp.results && (sp.results = results_schema())) {
		sp.view = docsum_view_schema(sp.results);
		sp.head = docsum_head_schema(sp.results);
	}
	return &sp;
}

static bool summaries_off;
static struct filecache summaries, views;

void rundoc_no_summaries(void)
{
	summaries_off = true;
}

/* The summaries' cache, opened once, before any thread reads it; NULL: none. */
static const struct filecache *summary_cache(void)
{
	static bool opened;

	if (!opened) {
		opened = true;
		if (!summaries_off && filecache_open(&summaries, "summaries", docsum_salt()))
			summaries.dir = NULL;
		/* Apart: what most commands read is the summaries only. */
		if (!summaries_off && filecache_open(&views, "views", docsum_salt()))
			views.dir = NULL;
	}
	return summaries.dir && views.dir ? &summaries : NULL;
}

/* Say once why no summaries are kept, where a cache was named but refused. */
static void say_no_summaries(const struct rundoc_set *s, FILE *err)
{
	static bool said;
	const char *why;

	if (!s->summaries || summary_cache() || said)
		return;
	why = summaries.why[0] ? summaries.why : views.why;
	if (why[0])
		fprintf(err, "runner: no summaries kept, every file read whole: %s\n", why);
	said = true;
}

/* The views' cache: opened with the summaries'. */
static const struct filecache *view_cache(void)
{
	return views.dir ? &views : NULL;
}

/* Does head check against the heads' schema? Said nowhere: a miss. */
static bool head_checks(json_object *head, const char *path, const struct schema_pair *sp)
{
	char *quiet_text = NULL;
	size_t quiet_len;
	FILE *quiet = sp->head ? open_memstream(&quiet_text, &quiet_len) : NULL;
	bool ok = quiet && !jschema_validate(sp->head, head, path, quiet);

	if (quiet)
		fclose(quiet);
	free(quiet_text);
	return ok;
}

/* path's kept summary into d: its head, digest and identity; false: none. */
static bool load_summary(struct rundoc *d, const char *path, const struct stat *st,
			 const struct schema_pair *sp)
{
	struct docsum sum;
	size_t len;
	char *text = filecache_get(summary_cache(), st, &len);
	bool ok = text && !docsum_parse(text, len, &sum);

	if (ok && !head_checks(sum.head, path, sp)) {
		json_object_put(sum.head);
		ok = false;
	}
	if (ok) {
		d->ident = *st;
		d->kind = sum.list ? RUNDOC_LIST : RUNDOC_RESULTS;
		d->head = sum.head;
		d->kernel_log_lines = sum.kernel_log_lines;
		memcpy(d->digest, sum.digest, sizeof(d->digest));
	} else if (text) {
		json_object_put(sum.head);
	}
	free(text);
	return ok;
}

/*
 * d's kept view parsed and checked as a whole document is: against the
 * schema for a list, against the views' schema for results; false if none
 * is kept or it does not check (a record someone wrote by hand): then the
 * file is read instead.
 */
static bool parse_view(struct rundoc *d, const struct schema_pair *sp)
{
	size_t len;
	char *text = view_cache() ? filecache_get(view_cache(), &d->ident, &len) : NULL;
	json_object *view = text ? docsum_view(text, len) : NULL;
	enum rundoc_kind kind = d->kind;
	char *quiet_text = NULL;
	size_t quiet_len;
	FILE *quiet = view ? open_memstream(&quiet_text, &quiet_len) : NULL;
	bool ok = false;

	if (quiet && kind == RUNDOC_LIST) {
		ok = !check(d, view, d->path, sp->results, quiet) && d->kind == kind;
	} else if (quiet && sp->view && !jschema_validate(sp->view, view, d->path, quiet)) {
		d->doc = view;
		d->plat = jmember(view, "platform");
		ok = true;
	}
	if (quiet)
		fclose(quiet);
	free(quiet_text);
	free(text);
	if (!ok) {
		json_object_put(view);
		d->doc = d->plat = NULL;
		d->kind = kind;
	}
	return ok;
}

/*
 * Keep doc's summary and view (the file of identity st, read whole), its
 * digest into d. Once both are kept d holds only the summary, as if it had
 * been found: what the command needs whole it reads again (most of 10,000
 * files it never needs), so memory holds heads, not documents.
 */
static void keep_summary(struct rundoc *d, const char *path, const struct stat *st)
{
	bool list = d->kind == RUNDOC_LIST;
	json_object *head = docsum_head(d->doc, list);
	size_t len, vlen;
	char *text = head ? docsum_text(d->doc, list, head, d->digest, &len) : NULL;
	char *view = text && view_cache() ? docsum_view_text(d->doc, list, &vlen) : NULL;

	/* The view first: a summary found is a view found, but for a torn or lost record. */
	if (view && filecache_put(view_cache(), path, st, view, vlen) &&
	    filecache_put(summary_cache(), path, st, text, len)) {
		d->kernel_log_lines = jarray_len(jmember(d->doc, "kernel_log"));
		d->head = head;
		d->ident = *st;
		json_object_put(d->doc);
		d->doc = d->plat = NULL;
		d->whole = false;
	} else {
		json_object_put(head);
	}
	if (!text)
		d->digest[0] = '\0';
	free(view);
	free(text);
}

/*
 * schema: the built-in one, or a copy of it a thread of its own checks
 * against. With summaries, a regular file's kept summary stands in for it.
 * checked: the file's identity when it was last read and found good (its
 * summary's), or NULL; a file that still has it, before and after it is
 * read, holds the bytes checked then (base/filecache.h) and is not
 * checked again.
 */
static int load(struct rundoc *d, const char *path, bool in_tree, bool with_summaries,
		const struct stat *checked, const struct schema_pair *sp, FILE *err)
{
	struct stat st, now;
	bool cached = with_summaries && summary_cache() && !stat(path, &st) && S_ISREG(st.st_mode);
	json_object *doc, *schema = sp->results;

	if (cached && load_summary(d, path, &st, sp)) {
		d->path = strdup(path);
		return d->path ? 0 : -ENOMEM;
	}
	doc = json_file_parse(path, err);
	if (!doc)
		return -EINVAL;
	if (in_tree && jmember(doc, "$schema")) {
		fprintf(err, "%s: skipped: a JSON Schema, not a results file or runner list --json output\n",
			path);
		json_object_put(doc);
		return LOAD_SKIPPED;
	}
	if (checked && !stat(path, &now) && filecache_same_file(checked, &now))
		schema = NULL;
	if (check(d, doc, path, schema, err)) {
		json_object_put(doc);
		return -EINVAL;
	}
	d->whole = true;
	if (cached)
		keep_summary(d, path, &st);
	d->path = strdup(path);
	return d->path ? 0 : -ENOMEM;
}

/*
 * A directory's documents are loaded ahead, on every CPU (base/parallel.h):
 * a first walk only lists the files, they are loaded, each one's messages
 * kept; then the walk that adds them takes each load in its turn, printing
 * its messages then, so what is said and in what order is as if loaded one
 * by one. A file the first walk did not list (the directory changed
 * between the walks) is loaded in its turn.
 */
struct ahead_item {
	char *path;
	bool in_tree, done;
	struct rundoc d;
	int ret;
	char *msgs;
	size_t len;
};

struct ahead {
	bool summaries;
	struct ahead_item *v;
	size_t n, cap, used;
	struct schemas schemas;
};

/* Where documents go: the set, and the loads done ahead (NULL: none). */
struct loader {
	struct rundoc_set *s;
	struct ahead *ahead;
	bool listing;		/* the first walk: only list the files in ahead */
};

static void list_ahead(struct ahead *a, const char *path, bool in_tree)
{
	struct ahead_item *nv = a->v;

	if (a->n == a->cap) {
		nv = realloc(a->v, (a->cap ? 2 * a->cap : 64) * sizeof(*nv));
		if (!nv)
			return;		/* not listed: loaded in its turn */
		a->v = nv;
		a->cap = a->cap ? 2 * a->cap : 64;
	}
	nv[a->n] = (struct ahead_item){ .path = strdup(path), .in_tree = in_tree };
	if (nv[a->n].path)
		a->n++;
}

/*
 * What worker checks against: the built-in schema and the views' made from
 * it, or its own copies of them in c; false: none.
 */
static bool worker_schemas(struct schemas *c, size_t worker, struct schema_pair *out)
{
	if (!worker) {
		*out = *main_schemas();
		return out->results != NULL;
	}
	if (worker >= WORKER_SCHEMAS)
		return false;
	if (!c->v[worker].results) {
		c->v[worker].results = results_schema_copy();
		c->v[worker].view = docsum_view_schema(c->v[worker].results);
		c->v[worker].head = docsum_head_schema(c->v[worker].results);
	}
	*out = c->v[worker];
	return out->results != NULL;
}

static void schemas_free(struct schemas *c)
{
	for (size_t k = 0; k < WORKER_SCHEMAS; k++) {
		json_object_put(c->v[k].view);
		json_object_put(c->v[k].head);
		json_object_put(c->v[k].results);
	}
}

static void load_ahead(void *ctx, size_t worker, size_t i)
{
	struct ahead *a = ctx;
	struct ahead_item *it = &a->v[i];
	struct schema_pair sp;
	FILE *f;

	if (!worker_schemas(&a->schemas, worker, &sp))
		return;		/* no schema of its own: loaded in its turn */
	f = open_memstream(&it->msgs, &it->len);
	if (!f)
		return;
	it->ret = load(&it->d, it->path, it->in_tree, a->summaries, NULL, &sp, f);
	it->done = !fclose(f) && it->ret != -ENOMEM;
}

/* The load of path done ahead, if it is the next one: taken into d. */
static bool take_ahead(struct ahead *a, const char *path, bool in_tree, struct rundoc *d,
		       int *ret, FILE *err)
{
	struct ahead_item *it = a && a->used < a->n ? &a->v[a->used] : NULL;

	if (!it || it->in_tree != in_tree || strcmp(it->path, path))
		return false;
	a->used++;
	if (!it->done)
		return false;
	fwrite(it->msgs, 1, it->len, err);
	*d = it->d;
	*ret = it->ret;
	memset(&it->d, 0, sizeof(it->d));
	return true;
}

static void ahead_free(struct ahead *a)
{
	for (size_t i = 0; i < a->n; i++) {
		doc_clear(&a->v[i].d);
		free(a->v[i].path);
		free(a->v[i].msgs);
	}
	schemas_free(&a->schemas);
	free(a->v);
}

static int add_one(struct loader *l, const char *path, bool in_tree, FILE *err)
{
	struct rundoc_set *s = l->s;
	struct rundoc *nv;
	int ret;

	if (l->listing) {
		list_ahead(l->ahead, path, in_tree);
		return 0;
	}
	nv = realloc(s->v, (s->n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	s->v = nv;
	memset(&nv[s->n], 0, sizeof(nv[s->n]));
	if (!take_ahead(l->ahead, path, in_tree, &nv[s->n], &ret, err))
		ret = load(&nv[s->n], path, in_tree, s->summaries, NULL, main_schemas(), err);
	if (ret == LOAD_SKIPPED)
		return 0;
	if (ret) {
		doc_clear(&nv[s->n]);
		return ret;
	}
	s->n++;
	return 0;
}

static int add_path(void *ctx, const char *path, FILE *err)
{
	return add_one(ctx, path, false, err);
}

static int add_dir(struct loader *l, const char *dir, FILE *err)
{
	int n = dir_each(dir, ".json", add_path, l, err);

	if (!n) {
		fprintf(err, "%s: expected results files or runner list --json output (*.json) in the directory, found none\n",
			dir);
		return -EINVAL;
	}
	return n < 0 ? n : 0;
}

/* walk(l, path, err) twice: listing, then adding what was loaded ahead. */
static int add_ahead(struct rundoc_set *s, const char *path,
		     int (*walk)(struct loader *l, const char *path, FILE *err), FILE *err)
{
	struct ahead a = { .summaries = s->summaries };
	struct loader l = { s, &a, true };
	char *quiet_text = NULL;
	size_t quiet_len;
	/* The first walk's messages are the second's: said once, by the second. */
	FILE *quiet = open_memstream(&quiet_text, &quiet_len);
	int ret;

	if (quiet) {
		walk(&l, path, quiet);
		fclose(quiet);
	}
	free(quiet_text);
	main_schemas();		/* made before the threads start, by this one */
	if (s->summaries)
		summary_cache();
	parallel_for(a.n, load_ahead, &a);
	l.listing = false;
	ret = walk(&l, path, err);
	ahead_free(&a);
	return ret;
}

int rundoc_set_add(struct rundoc_set *s, const char *path, FILE *err)
{
	struct stat st;

	if (!path_arg_ok("runner compare", path, err))
		return -EINVAL;
	say_no_summaries(s, err);
	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		return add_ahead(s, path, add_dir, err);
	return add_one(&(struct loader){ s, NULL, false }, path, false, err);
}

static bool is_json_name(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && !strcmp(name + n - 5, ".json");
}

/*
 * Every *.json below dir, depth first, each directory in name order;
 * names starting with '.' left out, as dir_each() does, and links to
 * directories not followed (a loop would never end), said so. found
 * counts the documents; -EINVAL is remembered, -ENOMEM stops.
 */
static int add_tree(struct loader *l, const char *dir, size_t *found, FILE *err)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort), ret = 0;

	if (n < 0) {
		fprintf(err, "%s: cannot read the directory: %s\n", dir, strerror(errno));
		return -EINVAL;
	}
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		struct stat lst, st;
		char *path = NULL;
		int r = 0;

		if (name[0] == '.' || ret == -ENOMEM)
			goto next;
		if (asprintf(&path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name) < 0) {
			path = NULL;
			ret = -ENOMEM;
			goto next;
		}
		if (lstat(path, &lst) || stat(path, &st)) {
			fprintf(err, "%s: cannot read: %s\n", path, strerror(errno));
			r = -EINVAL;
		} else if (S_ISDIR(st.st_mode) && S_ISLNK(lst.st_mode)) {
			fprintf(err, "%s: skipped: a link to a directory, not followed\n", path);
		} else if (S_ISDIR(st.st_mode)) {
			r = path_arg_ok("runner report", path, err) ? add_tree(l, path, found, err) : -EINVAL;
		} else if (is_json_name(name)) {
			size_t before = l->s->n;

			r = add_one(l, path, true, err);
			*found += l->s->n - before;
		}
		if (r && ret != -ENOMEM)
			ret = r;
next:
		free(path);
		free(names[i]);
	}
	free(names);
	return ret;
}

static int add_tree_top(struct loader *l, const char *path, FILE *err)
{
	size_t found = 0;
	int ret = add_tree(l, path, &found, err);

	if (!ret && !found && !l->listing) {
		fprintf(err, "%s: expected results files or runner list --json output (*.json) in the directory or below it, found none\n",
			path);
		return -EINVAL;
	}
	return ret;
}

int rundoc_set_add_tree(struct rundoc_set *s, const char *path, FILE *err)
{
	struct stat st;

	if (!path_arg_ok("runner report", path, err))
		return -EINVAL;
	say_no_summaries(s, err);
	if (stat(path, &st) || !S_ISDIR(st.st_mode))
		return add_one(&(struct loader){ s, NULL, false }, path, false, err);
	return add_ahead(s, path, add_tree_top, err);
}

static void free_one(void *ctx, size_t worker, size_t i)
{
	struct rundoc *d = &((struct rundoc_set *)ctx)->v[i];

	(void)worker;
	doc_clear(d);
}

/* Thousands of documents are freed as they were loaded: on every CPU. */
void rundoc_set_free(struct rundoc_set *s)
{
	parallel_for(s->n, free_one, s);
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

/* d, from a summary, takes the whole document read into got. */
static void take_whole(struct rundoc *d, struct rundoc *got)
{
	/* The summary's digest is the file's: it is the same file, unchanged. */
	if (!d->shared)
		json_object_put(d->doc);
	json_object_put(d->head);
	d->head = NULL;
	d->shared = false;
	d->doc = got->doc;
	d->plat = got->plat;
	d->kind = got->kind;
	d->whole = true;
	got->doc = NULL;
}

/*
 * rundoc_set_whole() and rundoc_set_views(): the documents read again,
 * each whole into got[i] with its messages, or (views) given its view.
 */
struct reread {
	struct rundoc_set *s;
	const bool *want;	/* NULL: views */
	struct ahead_item *got;
	struct schemas schemas;
	size_t *first;		/* views: the first document of each one's digest */
};

static bool wanted(const struct reread *w, size_t i)
{
	const struct rundoc *d = &w->s->v[i];

	return w->want ? w->want[i] && !d->whole : !d->doc && w->first[i] == i;
}

static const char *view_digest(void *ctx, size_t i)
{
	const struct rundoc *d = &((const struct rundoc_set *)ctx)->v[i];

	return !d->doc && d->digest[0] ? d->digest : NULL;
}

/*
 * Views: the first document that wants one of each digest (first[i]); the
 * rest share its view (they hold the same of what a view keeps).
 */
static int first_of_digests(struct rundoc_set *s, size_t *first)
{
	struct str_index x = { 0 };
	int ret = str_index_build(&x, s->n, view_digest, s);

	for (size_t i = 0; !ret && i < s->n; i++) {
		const char *key = view_digest(s, i);

		first[i] = key ? x.v[str_index_find(&x, key)].at : i;
	}
	str_index_free(&x);
	return ret;
}

/* d's view parsed (views), else the whole file read into it; its messages to f. */
static void reread(const struct reread *w, struct rundoc *d, struct ahead_item *it,
		   const struct schema_pair *sp, FILE *f)
{
	if (!w->want && parse_view(d, sp)) {
		it->done = true;	/* it->ret 0, it->d empty: nothing to take */
		return;
	}
	it->ret = load(&it->d, d->path, false, false, d->head ? &d->ident : NULL, sp, f);
	it->done = it->ret != -ENOMEM;
}

static void reread_one(void *ctx, size_t worker, size_t i)
{
	struct reread *w = ctx;
	struct ahead_item *it = &w->got[i];
	struct schema_pair sp;
	FILE *f;

	if (!wanted(w, i))
		return;
	f = worker_schemas(&w->schemas, worker, &sp) ? open_memstream(&it->msgs, &it->len) : NULL;
	if (!f)
		return;		/* read in the caller's turn below */
	reread(w, &w->s->v[i], it, &sp, f);
	if (fclose(f))
		it->done = false;
}

static int reread_set(struct rundoc_set *s, const bool *want, FILE *err)
{
	struct reread w = { s, want, calloc(s->n ? s->n : 1, sizeof(*w.got)), { { { 0 } } },
			    want ? NULL : calloc(s->n ? s->n : 1, sizeof(*w.first)) };
	int ret = w.got && (want || w.first) ? 0 : -ENOMEM;

	if (!ret && !want)
		ret = first_of_digests(s, w.first);
	main_schemas();		/* made before the threads start, by this one */
	if (!ret)
		parallel_for(s->n, reread_one, &w);
	for (size_t i = 0; ret != -ENOMEM && i < s->n; i++) {
		struct ahead_item *it = &w.got[i];
		struct rundoc *d = &s->v[i];

		if (!wanted(&w, i) && !it->done)
			continue;
		if (it->done)
			fwrite(it->msgs, 1, it->len, err);
		else
			reread(&w, d, it, main_schemas(), err);
		if (!it->done)		/* only no memory leaves one undone */
			ret = -ENOMEM;
		else if (it->ret)
			ret = -EINVAL;	/* LOAD_SKIPPED too: it was a document when added */
		else if (it->d.doc)
			take_whole(d, &it->d);
	}
	for (size_t i = 0; !ret && w.first && i < s->n; i++) {
		struct rundoc *d = &s->v[i], *f = &s->v[w.first[i]];

		if (w.first[i] != i && !d->doc && f->doc) {
			d->doc = f->doc;
			d->plat = f->plat;
			d->shared = true;
		}
	}
	for (size_t i = 0; w.got && i < s->n; i++) {
		doc_clear(&w.got[i].d);
		free(w.got[i].msgs);
	}
	schemas_free(&w.schemas);
	free(w.first);
	free(w.got);
	return ret;
}

int rundoc_set_whole(struct rundoc_set *s, const bool *want, FILE *err)
{
	return reread_set(s, want, err);
}

int rundoc_set_views(struct rundoc_set *s, FILE *err)
{
	return reread_set(s, NULL, err);
}

bool rundoc_same(const struct rundoc *a, const struct rundoc *b)
{
	return a->digest[0] && !strcmp(a->digest, b->digest);
}

/* The last k components of path ("" when it has fewer than k). */
static const char *tail(const char *path, int k)
{
	const char *p = path + strlen(path);

	while (p > path && p[-1] == '/')
		p--;
	for (int seen = 0; p > path; p--) {
		if (p[-1] == '/' && ++seen == k)
			return p;
	}
	return path;
}

static const char *path_of(void *ctx, size_t i)
{
	return ((struct rundoc **)ctx)[i]->path;
}

static const char *tail_of(void *ctx, size_t i)
{
	return ((const char **)ctx)[i];
}

/*
 * Each round k gives the documents still without a heading their tail of
 * k components if no other path ends in the same k components, or if that
 * tail is already the whole path. A sorted index per round, so thousands
 * of documents cost rounds (path depth) x n log n, not n^2 comparisons.
 */
static int unique_tails(struct rundoc **docs, size_t n, const char **head)
{
	const char **t = calloc(n ? n : 1, sizeof(*t));
	size_t left = n;
	int ret = t ? 0 : -ENOMEM;

	for (int k = 1; !ret && left; k++) {
		struct str_index x;

		for (size_t i = 0; i < n; i++)
			t[i] = tail(docs[i]->path, k);
		if ((ret = str_index_build(&x, n, tail_of, t)))
			break;
		for (size_t i = 0; i < n; i++) {
			size_t at = str_index_find(&x, t[i]);
			bool unique = at + 1 == x.n || strcmp(x.v[at + 1].key, t[i]);

			if (!head[i] && (unique || t[i] == docs[i]->path)) {
				head[i] = t[i];
				left--;
			}
		}
		str_index_free(&x);
	}
	free(t);
	return ret;
}

int rundoc_headings(struct rundoc **docs, size_t n)
{
	const char **head = calloc(n ? n : 1, sizeof(*head));
	struct str_index byp = { 0 };
	int ret = head ? unique_tails(docs, n, head) : -ENOMEM;

	if (!ret)
		ret = str_index_build(&byp, n, path_of, docs);
	/* Only the same path named twice is left alike: number the twins in order. */
	for (size_t e = 0, twin = 1; !ret && e < byp.n; e++) {
		struct rundoc *d = docs[byp.v[e].at];
		int r;

		twin = e && !strcmp(byp.v[e - 1].key, byp.v[e].key) ? twin + 1 : 1;
		free(d->heading);
		if (twin > 1)
			r = asprintf(&d->heading, "%s#%zu", head[byp.v[e].at], twin);
		else
			r = (d->heading = strdup(head[byp.v[e].at])) ? 0 : -1;
		if (r < 0) {
			d->heading = NULL;
			ret = -ENOMEM;
		}
	}
	str_index_free(&byp);
	free(head);
	return ret;
}

json_object *rundoc_platform(const struct rundoc *d)
{
	/* A view's platform has no units: the head's has. */
	return d->whole || !d->head ? d->plat : jmember(d->head, "platform");
}

json_object *rundoc_run(const struct rundoc *d)
{
	return d->kind != RUNDOC_RESULTS ? NULL :
	       d->head ? jmember(d->head, "run") : jmember(d->doc, "run");
}

size_t rundoc_kernel_log_lines(const struct rundoc *d)
{
	return d->head ? d->kernel_log_lines : jarray_len(jmember(d->doc, "kernel_log"));
}

const char *rundoc_platform_id(const struct rundoc *d)
{
	return jmember_str(rundoc_platform(d), "platform_id");
}

const char *rundoc_kernel(const struct rundoc *d)
{
	return jmember_str(jmember(rundoc_platform(d), "kernel"), "release");
}

const char *rundoc_run_stamp(const struct rundoc *d)
{
	const char *id = jmember_str(rundoc_run(d), "id");
	const char *plat = rundoc_platform_id(d);
	size_t n = plat ? strlen(plat) : 0;

	if (!id)
		return NULL;
	return n && !strncmp(id, plat, n) && id[n] == '-' ? id + n + 1 : id;
}

json_object *rundoc_tests(const struct rundoc *d)
{
	return d->kind == RUNDOC_RESULTS ? jmember(d->doc, "tests") : NULL;
}

json_object *rundoc_verdicts(const struct rundoc *d)
{
	return d->kind == RUNDOC_RESULTS ? jmember(d->doc, "verdicts") : NULL;
}

static json_object *find(json_object *arr, const char *key, const char *want)
{
	for (size_t i = 0; want && i < jarray_len(arr); i++) {
		const char *v = jmember_str(jarray_at(arr, i), key);

		if (v && !strcmp(v, want))
			return jarray_at(arr, i);
	}
	return NULL;
}

json_object *rundoc_device(const struct rundoc *d, const char *bdf)
{
	return find(jmember(d->plat, "devices"), "bdf", bdf);
}

json_object *rundoc_unit(const struct rundoc *d, const char *name)
{
	return find(jmember(d->plat, "iommu_units"), "name", name);
}

bool rundoc_outcome_fails(const char *outcome)
{
	return outcome && (!strcmp(outcome, "fail") || !strcmp(outcome, "error") ||
			   !strcmp(outcome, "timeout"));
}

bool rundoc_test_fails(json_object *test)
{
	return rundoc_outcome_fails(jmember_str(test, "outcome"));
}

bool rundoc_verdict_fails(json_object *verdict)
{
	int l = verdict_label_from_name(jmember_str(verdict, "label"));

	return l >= 0 && verdict_label_fails((enum verdict_label)l);
}
