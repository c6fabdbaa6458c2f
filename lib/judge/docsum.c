// SPDX-License-Identifier: GPL-2.0-only
#include "judge/docsum.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonfile.h"
#include "judge/schema_data.h"

/* Raise when the digest's or the view's content or the text's form changes. */
#define DOCSUM_FORMAT 6

static json_object *keep_tree(void);
static json_object *head_tree(void);

const char *docsum_salt(void)
{
	static char salt[32 + SHA256_HEX_LEN];

	/* Once, before any thread: the schema's own hash names the checks a view passed. */
	if (!salt[0]) {
		char h[SHA256_HEX_LEN];

		if (sha256_hex(results_schema_json, strlen(results_schema_json), h))
			return "docsum unsalted";
		snprintf(salt, sizeof(salt), "docsum %d %s", DOCSUM_FORMAT, h);
		keep_tree();
		head_tree();
	}
	return salt;
}

/* A new object holding doc's members but those named in skip (NULL-ended), shared. */
static json_object *without(json_object *doc, const char *const *skip)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_foreach(doc, key, val) {
		bool drop = false;

		for (const char *const *s = skip; *s && !drop; s++)
			drop = !strcmp(key, *s);
		if (!drop)
			json_object_object_add(o, key, json_object_get(val));
	}
	return o;
}

int docsum_digest(json_object *doc, char hex[SHA256_HEX_LEN])
{
	static const char *const top[] = { "run", "kernel_log", "tests", NULL };
	static const char *const per_test[] = { "duration_s", NULL };
	json_object *o, *ts = jmember(doc, "tests"), *nts;
	const char *text;
	int ret;

	if (!json_object_is_type(doc, json_type_object))
		return sha256_hex("", 0, hex);
	o = without(doc, top);
	nts = ts ? json_object_new_array() : NULL;
	if (!o || (ts && !nts)) {
		json_object_put(o);
		json_object_put(nts);
		return -ENOMEM;
	}
	for (size_t i = 0; i < jarray_len(ts); i++) {
		json_object *t = jarray_at(ts, i);

		json_object_array_add(nts, json_object_is_type(t, json_type_object) ?
				      without(t, per_test) : json_object_get(t));
	}
	if (nts)
		json_object_object_add(o, "tests", nts);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	ret = text ? sha256_hex(text, strlen(text), hex) : -ENOMEM;
	json_object_put(o);
	return ret;
}

/*
 * What a results view keeps, as a tree: true keeps a member whole, an
 * object keeps those of its members, [X] keeps each item as X says; the
 * tests keep only those that did not pass. The view and the schema it is
 * checked against are both made from this, so they cannot disagree.
 */
static const char view_keep[] =
	"{\"schema_version\": true, \"run\": {\"id\": true},"
	" \"platform\": {\"platform_id\": true, \"kernel\": {\"release\": true},"
	"  \"devices\": [{\"bdf\": true, \"vendor\": true, \"device\": true}]},"
	" \"tests\": true, \"verdicts\": true}";

/*
 * What the head keeps, the same way: what compare prints of a document and
 * a report's row shows of a run whose results are an earlier row's
 * (its run, the platform's id, kernel and units as rows are grouped and
 * ordered by). A list document's head is {"platform": its platform as
 * "platform" here keeps it}.
 */
static const char head_keep[] =
	"{\"platform\": {\"platform_id\": true, \"kernel\": {\"release\": true},"
	"  \"iommu_units\": [{\"name\": true, \"kind\": true, \"cap\": true, \"ecap\": true}]},"
	" \"run\": true}";

/* Once, before any thread (docsum_salt() is called first), never freed. */
static json_object *tree_of(const char *text, json_object **slot)
{
	if (!*slot)
		*slot = json_tokener_parse(text);
	return *slot;
}

static json_object *keep_tree(void)
{
	static json_object *tree;

	return tree_of(view_keep, &tree);
}

static json_object *head_tree(void)
{
	static json_object *tree;

	return tree_of(head_keep, &tree);
}

static bool passed(json_object *test)
{
	const char *outcome = jmember_str(test, "outcome");

	return outcome && !strcmp(outcome, "pass");
}

/* v as keep says (a keep_tree() node); NULL: nothing (or no memory). */
static json_object *project(json_object *v, json_object *keep, bool tests)
{
	json_object *o;

	if (json_object_is_type(keep, json_type_boolean) && !tests)
		return json_object_get(v);
	if (tests || json_object_is_type(keep, json_type_array)) {
		if (!json_object_is_type(v, json_type_array))
			return json_object_get(v);
		o = json_object_new_array();
		for (size_t i = 0; o && i < jarray_len(v); i++)
			if (!tests || !passed(jarray_at(v, i)))
				json_object_array_add(o, tests ? json_object_get(jarray_at(v, i)) :
						      project(jarray_at(v, i), jarray_at(keep, 0), false));
		return o;
	}
	if (!json_object_is_type(v, json_type_object))
		return json_object_get(v);
	o = json_object_new_object();
	json_object_object_foreach(keep, key, sub) {
		json_object *m = jmember(v, key);

		if (o && m)
			json_object_object_add(o, key, project(m, sub, false));
	}
	return o;
}

/* What keep keeps of doc, its "tests" only those that did not pass (views). */
static json_object *kept(json_object *doc, json_object *keep)
{
	json_object *o;

	if (!keep)
		return NULL;
	o = json_object_new_object();
	json_object_object_foreach(keep, key, sub) {
		json_object *m = jmember(doc, key);

		if (o && m)
			json_object_object_add(o, key, project(m, sub, !strcmp(key, "tests")));
	}
	return o;
}

static json_object *view_of(json_object *doc, bool list)
{
	return list ? json_object_get(doc) : kept(doc, keep_tree());
}

json_object *docsum_head(json_object *doc, bool list)
{
	json_object *h;

	if (!list)
		return kept(doc, head_tree());
	h = json_object_new_object();
	if (h && head_tree())
		json_object_object_add(h, "platform", project(doc, jmember(head_tree(), "platform"), false));
	return h;
}

/* s, or what its "$ref": "#/$defs/NAME" names in root. */
static json_object *deref(json_object *root, json_object *s)
{
	const char *ref = jmember_str(s, "$ref");

	if (ref && !strncmp(ref, "#/$defs/", 8))
		return jmember(jmember(root, "$defs"), ref + 8);
	return s;
}

/* The schema of what keep keeps of a value of schema s (in root). */
static json_object *schema_of(json_object *root, json_object *s, json_object *keep)
{
	json_object *o, *props, *req, *oreq;

	if (json_object_is_type(keep, json_type_boolean))
		return json_object_get(s);
	s = deref(root, s);
	o = json_object_new_object();
	if (json_object_is_type(keep, json_type_array)) {
		json_object_object_add(o, "type", json_object_new_string("array"));
		json_object_object_add(o, "items", schema_of(root, jmember(s, "items"),
							     jarray_at(keep, 0)));
		return o;
	}
	props = json_object_new_object();
	req = json_object_new_array();
	oreq = jmember(s, "required");
	json_object_object_foreach(keep, key, sub) {
		json_object_object_add(props, key, schema_of(root, jmember(jmember(s, "properties"), key), sub));
		for (size_t i = 0; i < jarray_len(oreq); i++)
			if (!strcmp(json_object_get_string(jarray_at(oreq, i)), key))
				json_object_array_add(req, json_object_new_string(key));
	}
	json_object_object_add(o, "type", json_object_new_string("object"));
	json_object_object_add(o, "required", req);
	json_object_object_add(o, "additionalProperties", json_object_new_boolean(0));
	json_object_object_add(o, "properties", props);
	return o;
}

/* The schema of what keep keeps of a results document, its $defs with it. */
static json_object *kept_schema(json_object *results_schema, json_object *keep)
{
	json_object *o;

	if (!keep || !results_schema)
		return NULL;
	o = schema_of(results_schema, results_schema, keep);
	json_object_object_add(o, "$defs", json_object_get(jmember(results_schema, "$defs")));
	return o;
}

json_object *docsum_view_schema(json_object *results_schema)
{
	return kept_schema(results_schema, keep_tree());
}

json_object *docsum_head_schema(json_object *results_schema)
{
	json_object *o = kept_schema(results_schema, head_tree());

	/* A list document's head has only "platform": nothing is required at the top. */
	if (o)
		json_object_object_add(o, "required", json_object_new_array());
	return o;
}

static const char *plain(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* o as one line of JSON (json-c escapes a newline in a string), malloc'd. */
static char *line_of(json_object *o, size_t *len)
{
	const char *t = o ? plain(o) : NULL;
	char *out = t ? strdup(t) : NULL;

	if (out)
		*len = strlen(out);
	return out;
}

char *docsum_text(json_object *doc, bool list, json_object *head, char hex[SHA256_HEX_LEN],
		  size_t *len)
{
	const char *ht;
	char *out = NULL;
	int n = -1;

	if (docsum_digest(doc, hex))
		return NULL;
	ht = head ? plain(head) : NULL;
	if (ht)
		n = asprintf(&out, "%s %s %zu\n%s\n", list ? "list" : "results", hex,
			     jarray_len(jmember(doc, "kernel_log")), ht);
	if (n < 0)
		return NULL;
	*len = (size_t)n;
	return out;
}

char *docsum_view_text(json_object *doc, bool list, size_t *len)
{
	json_object *v = view_of(doc, list);
	char *out = line_of(v, len);

	json_object_put(v);
	return out;
}

static bool is_hex64(const char *s)
{
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* One JSON object in text[0..len), or NULL; what is wrong is not said (a miss). */
static json_object *object_of(const char *text, size_t len)
{
	char *copy = strndup(text, len), *quiet_text = NULL;
	size_t quiet_len;
	json_object *v = NULL;
	FILE *quiet = copy ? open_memstream(&quiet_text, &quiet_len) : NULL;

	if (quiet) {
		v = json_text_parse(copy, len, "summary", quiet);
		fclose(quiet);
	}
	free(quiet_text);
	free(copy);
	if (v && !json_object_is_type(v, json_type_object)) {
		json_object_put(v);
		v = NULL;
	}
	return v;
}

int docsum_parse(const char *text, size_t len, struct docsum *out)
{
	const char *sp = memchr(text, ' ', len < 8 ? len : 8), *head, *nl;
	size_t lines = 0;

	memset(out, 0, sizeof(*out));
	if (!sp || (size_t)(sp - text) + 68 > len || sp[65] != ' ' || !is_hex64(sp + 1))
		return -1;
	/* The kernel log's line count: 1 to 9 decimal digits, no leading zero but "0". */
	for (head = sp + 66; head < text + len && *head >= '0' && *head <= '9'; head++)
		lines = lines * 10 + (size_t)(*head - '0');
	if (head == sp + 66 || head - (sp + 66) > 9 || (sp[66] == '0' && head - (sp + 66) > 1) ||
	    head == text + len || *head != '\n')
		return -1;
	out->kernel_log_lines = lines;
	head++;
	if (sp - text == 7 && !memcmp(text, "results", 7))
		out->list = false;
	else if (sp - text == 4 && !memcmp(text, "list", 4))
		out->list = true;
	else
		return -1;
	memcpy(out->digest, sp + 1, 64);
	out->digest[64] = '\0';
	nl = memchr(head, '\n', len - (size_t)(head - text));
	if (!nl || nl != text + len - 1)
		return -1;
	out->head = object_of(head, (size_t)(nl - head));
	return out->head ? 0 : -1;
}

json_object *docsum_view(const char *view, size_t len)
{
	return object_of(view, len);
}
