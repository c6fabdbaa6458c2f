// SPDX-License-Identifier: GPL-2.0-only
#include "judge/rundoc.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/fsutil.h"
#include "base/jschema.h"
#include "base/jsonfile.h"
#include "base/strindex.h"
#include "judge/results.h"
#include "judge/verdict.h"
#include "sysfs/sysroot.h"

/*
 * A list document is the schema's "platform": validate it against that
 * definition, resolved in the same built-in schema results use, so list
 * output and a results file's platform can never be checked differently.
 */
static int validate_list(json_object *doc, const char *name, FILE *err)
{
	json_object *defs = jmember(results_schema(), "$defs"), *wrap;
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

static int load(struct rundoc *d, const char *path, bool in_tree, FILE *err)
{
	json_object *doc = json_file_parse(path, err);

	if (!doc)
		return -EINVAL;
	if (in_tree && jmember(doc, "$schema")) {
		fprintf(err, "%s: skipped: a JSON Schema, not a results file or runner list --json output\n",
			path);
		json_object_put(doc);
		return LOAD_SKIPPED;
	}
	if (jmember(doc, "schema_version")) {
		d->kind = RUNDOC_RESULTS;
		if (results_validate(doc, path, err))
			goto bad;
		d->plat = jmember(doc, "platform");
	} else if (jmember(doc, "platform_id")) {
		d->kind = RUNDOC_LIST;
		if (validate_list(doc, path, err))
			goto bad;
		d->plat = doc;
	} else {
		fprintf(err, "%s: $: expected a results file (an object with \"schema_version\") or runner list --json output (an object with \"platform_id\"), got %s\n",
			path, json_object_is_type(doc, json_type_object) ? "an object with neither" :
			json_type_to_name(json_object_get_type(doc)));
		goto bad;
	}
	d->doc = doc;
	d->path = strdup(path);
	return d->path ? 0 : -ENOMEM;
bad:
	json_object_put(doc);
	return -EINVAL;
}

static int add_one(struct rundoc_set *s, const char *path, bool in_tree, FILE *err)
{
	struct rundoc *nv = realloc(s->v, (s->n + 1) * sizeof(*nv));
	int ret;

	if (!nv)
		return -ENOMEM;
	s->v = nv;
	memset(&nv[s->n], 0, sizeof(nv[s->n]));
	ret = load(&nv[s->n], path, in_tree, err);
	if (ret == LOAD_SKIPPED)
		return 0;
	if (ret) {
		if (nv[s->n].doc)
			json_object_put(nv[s->n].doc);
		return ret;
	}
	s->n++;
	return 0;
}

static int add_path(void *ctx, const char *path, FILE *err)
{
	return add_one(ctx, path, false, err);
}

static int add_dir(struct rundoc_set *s, const char *dir, FILE *err)
{
	int n = dir_each(dir, ".json", add_path, s, err);

	if (!n) {
		fprintf(err, "%s: expected results files or runner list --json output (*.json) in the directory, found none\n",
			dir);
		return -EINVAL;
	}
	return n < 0 ? n : 0;
}

int rundoc_set_add(struct rundoc_set *s, const char *path, FILE *err)
{
	struct stat st;

	if (!path_arg_ok("runner compare", path, err))
		return -EINVAL;
	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		return add_dir(s, path, err);
	return add_one(s, path, false, err);
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
static int add_tree(struct rundoc_set *s, const char *dir, size_t *found, FILE *err)
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
			r = path_arg_ok("runner report", path, err) ? add_tree(s, path, found, err) : -EINVAL;
		} else if (is_json_name(name)) {
			size_t before = s->n;

			r = add_one(s, path, true, err);
			*found += s->n - before;
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

int rundoc_set_add_tree(struct rundoc_set *s, const char *path, FILE *err)
{
	struct stat st;
	size_t found = 0;
	int ret;

	if (!path_arg_ok("runner report", path, err))
		return -EINVAL;
	if (stat(path, &st) || !S_ISDIR(st.st_mode))
		return add_one(s, path, false, err);
	ret = add_tree(s, path, &found, err);
	if (!ret && !found) {
		fprintf(err, "%s: expected results files or runner list --json output (*.json) in the directory or below it, found none\n",
			path);
		return -EINVAL;
	}
	return ret;
}

void rundoc_set_free(struct rundoc_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		json_object_put(s->v[i].doc);
		free(s->v[i].path);
		free(s->v[i].heading);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
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

const char *rundoc_platform_id(const struct rundoc *d)
{
	return jmember_str(d->plat, "platform_id");
}

const char *rundoc_kernel(const struct rundoc *d)
{
	return jmember_str(jmember(d->plat, "kernel"), "release");
}

const char *rundoc_run_stamp(const struct rundoc *d)
{
	const char *id = jmember_str(jmember(d->doc, "run"), "id");
	const char *plat = rundoc_platform_id(d);
	size_t n = plat ? strlen(plat) : 0;

	if (d->kind != RUNDOC_RESULTS || !id)
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
