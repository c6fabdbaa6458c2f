// SPDX-License-Identifier: GPL-2.0-only
#include "base/jschema.h"

#include <pthread.h>
#include <stdarg.h>
#include <regex.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct ctx {
	json_object *root;	/* the schema, for $ref */
	const char *prefix;
	FILE *err;
	int problems;
};

/*
 * Where a value is: its parent's place and its member or index there (the
 * root: no parent, "$"). The JSON path is written out only for a problem,
 * not for each of a file's thousands of values checked.
 */
struct place {
	const struct place *up;
	const char *key;	/* NULL: index idx of an array */
	size_t idx;
};

#define PATH_LEN 1024	/* longer paths are cut short */

static size_t place_fmt(const struct place *p, char *buf)
{
	size_t n = p->up ? place_fmt(p->up, buf) : 0;
	int w;

	if (!p->up)
		w = snprintf(buf, PATH_LEN, "$");
	else if (p->key)
		w = snprintf(buf + n, PATH_LEN - n, ".%s", p->key);
	else
		w = snprintf(buf + n, PATH_LEN - n, "[%zu]", p->idx);
	n += w < 0 ? 0 : (size_t)w;
	return n < PATH_LEN ? n : PATH_LEN - 1;
}

static void say_where(struct ctx *c, const struct place *where)
{
	char path[PATH_LEN];

	place_fmt(where, path);
	fprintf(c->err, "%s: %s: ", c->prefix, path);
}

static void problem(struct ctx *c, const struct place *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void problem(struct ctx *c, const struct place *where, const char *fmt, ...)
{
	va_list ap;

	say_where(c, where);
	va_start(ap, fmt);
	vfprintf(c->err, fmt, ap);
	va_end(ap);
	fputc('\n', c->err);
	c->problems++;
}

static json_object *member(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (o && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, key, &v);
	return v;
}

static const char *type_of(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return "null";
	case json_type_boolean: return "boolean";
	case json_type_double: return "number";
	case json_type_int: return "integer";
	case json_type_object: return "object";
	case json_type_array: return "array";
	case json_type_string: return "string";
	}
	return "unknown";
}

static bool type_is(json_object *v, const char *want)
{
	const char *got = type_of(v);

	return !strcmp(got, want) || (!strcmp(want, "number") && !strcmp(got, "integer"));
}

static bool type_ok(json_object *v, json_object *type)
{
	if (json_object_is_type(type, json_type_string))
		return type_is(v, json_object_get_string(type));
	for (size_t i = 0; i < json_object_array_length(type); i++)
		if (type_is(v, json_object_get_string(json_object_array_get_idx(type, i))))
			return true;
	return false;
}

/*
 * A pattern compiled once per process, not once per string checked (a
 * results file has thousands): the few a schema holds are kept, looked up
 * by their text. Past the cache's room each use compiles its own. Files
 * are checked on several threads at once (base/parallel.h): the cache is
 * theirs together, under a lock; regexec() itself may share a pattern.
 */
struct compiled {
	char *pattern;
	regex_t re;
};

static regex_t *compiled_pattern(const char *pattern, regex_t *own)
{
	static struct compiled cache[32];
	static size_t n;
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	regex_t *re = own;

	pthread_mutex_lock(&lock);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cache[i].pattern, pattern)) {
			re = &cache[i].re;
			goto out;
		}
	if (regcomp(own, pattern, REG_EXTENDED | REG_NOSUB)) {
		re = NULL;
		goto out;
	}
	if (n < sizeof(cache) / sizeof(cache[0]) && (cache[n].pattern = strdup(pattern))) {
		cache[n].re = *own;
		re = &cache[n++].re;
	}
out:
	pthread_mutex_unlock(&lock);
	return re;
}

/*
 * What check() reads of a schema object, looked up once per object and
 * kept on it (json-c's userdata), not once per value checked against it:
 * a results file has thousands of values, a schema a few hundred objects.
 */
struct node {
	json_object *ref, *type, *cnst, *enm, *minimum, *pattern, *required, *props, *extra,
		    *items;
	regex_t *re;		/* pattern compiled, from the process's cache; NULL: not yet */
};

static void node_fill(json_object *s, struct node *n)
{
	*n = (struct node){
		.ref = member(s, "$ref"), .type = member(s, "type"), .cnst = member(s, "const"),
		.enm = member(s, "enum"), .minimum = member(s, "minimum"),
		.pattern = member(s, "pattern"), .required = member(s, "required"),
		.props = member(s, "properties"), .extra = member(s, "additionalProperties"),
		.items = member(s, "items"),
	};
}

static void node_free(json_object *s, void *n)
{
	(void)s;
	free(n);
}

/* s's node: kept on s when s is an object (and there is memory), else filled into own. */
static const struct node *node_of(json_object *s, struct node *own)
{
	struct node *n;

	if (!s || !json_object_is_type(s, json_type_object)) {
		node_fill(s, own);
		return own;
	}
	if ((n = json_object_get_userdata(s)))
		return n;
	if (!(n = malloc(sizeof(*n)))) {
		node_fill(s, own);
		return own;
	}
	node_fill(s, n);
	json_object_set_userdata(s, n, node_free);
	return n;
}

/* n's pattern compiled, kept on n when it came from the process's cache. */
static regex_t *node_pattern(const struct node *n, regex_t *own)
{
	regex_t *re = n->re;

	if (!re) {
		re = compiled_pattern(json_object_get_string(n->pattern), own);
		if (re && re != own)
			((struct node *)n)->re = re;
	}
	return re;
}

static void check(struct ctx *c, json_object *s, json_object *v, const struct place *path);

static void check_object(struct ctx *c, const struct node *n, json_object *v,
			 const struct place *path)
{
	json_object *req = n->required, *props = n->props, *extra = n->extra;

	for (size_t i = 0; req && i < json_object_array_length(req); i++) {
		const char *k = json_object_get_string(json_object_array_get_idx(req, i));

		if (!member(v, k) && !json_object_object_get_ex(v, k, NULL))
			problem(c, path, "missing required member \"%s\"", k);
	}
	json_object_object_foreach(v, key, val) {
		json_object *ps = member(props, key);
		struct place sub = { path, key, 0 };

		if (ps)
			check(c, ps, val, &sub);
		else if (extra && !json_object_get_boolean(extra))
			problem(c, &sub, "unexpected member (not in the schema)");
	}
}

static void check(struct ctx *c, json_object *s, json_object *v, const struct place *path)
{
	struct node own_node;
	const struct node *n = node_of(s, &own_node);
	json_object *e;

	if (n->ref) {
		const char *r = json_object_get_string(n->ref);

		if (strncmp(r, "#/$defs/", 8) || !(s = member(member(c->root, "$defs"), r + 8))) {
			problem(c, path, "schema error: unresolvable $ref %s", r);
			return;
		}
		n = node_of(s, &own_node);
	}
	if (n->type && !type_ok(v, n->type)) {
		problem(c, path, "expected %s, got %s", json_object_get_string(n->type), type_of(v));
		return;
	}
	if ((e = n->cnst) && !json_object_equal(e, v))
		problem(c, path, "expected %s", json_object_to_json_string(e));
	if ((e = n->enm)) {
		bool found = false;

		for (size_t i = 0; i < json_object_array_length(e) && !found; i++)
			found = json_object_equal(json_object_array_get_idx(e, i), v);
		if (!found) {
			say_where(c, path);
			fputs("expected one of", c->err);
			for (size_t i = 0; i < json_object_array_length(e); i++)
				fprintf(c->err, "%s %s", i ? "," : "",
					json_object_to_json_string(json_object_array_get_idx(e, i)));
			fprintf(c->err, "; got %s\n", json_object_to_json_string(v));
			c->problems++;
		}
	}
	if ((e = n->minimum) && (json_object_is_type(v, json_type_int) ||
				 json_object_is_type(v, json_type_double)) &&
	    json_object_get_double(v) < json_object_get_double(e))
		problem(c, path, "expected at least %g, got %g", json_object_get_double(e),
			json_object_get_double(v));
	if ((e = n->pattern) && json_object_is_type(v, json_type_string)) {
		const char *str = json_object_get_string(v);
		/* regexec stops at a NUL ("\u0000" in the file): what follows
		 * it is unseen, so such a string matches no pattern. */
		bool nul = strlen(str) != (size_t)json_object_get_string_len(v);
		regex_t own, *re = node_pattern(n, &own);

		if (!re) {
			problem(c, path, "schema error: bad pattern %s", json_object_get_string(e));
		} else {
			if (nul || regexec(re, str, 0, NULL, 0))
				problem(c, path, "\"%s\"%s does not match %s", str,
					nul ? " (then a NUL byte)" : "", json_object_get_string(e));
			if (re == &own)
				regfree(&own);
		}
	}
	if (json_object_is_type(v, json_type_object))
		check_object(c, n, v, path);
	if (json_object_is_type(v, json_type_array) && (e = n->items)) {
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			struct place sub = { path, NULL, i };

			check(c, e, json_object_array_get_idx(v, i), &sub);
		}
	}
}

int jschema_validate(json_object *schema, json_object *doc, const char *prefix, FILE *err)
{
	struct ctx c = { .root = schema, .prefix = prefix, .err = err };

	check(&c, schema, doc, &(struct place){ NULL, NULL, 0 });
	return c.problems;
}
