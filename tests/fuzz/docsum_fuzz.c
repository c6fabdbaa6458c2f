// SPDX-License-Identifier: GPL-2.0-only
/*
 * Summaries (judge/docsum.h), in three ways chosen by the first byte.
 *
 * 0: the input is a summary's text as read back from the cache:
 * docsum_parse, then its head checked against the heads' schema. Beyond
 * not crashing: what it accepts has a head object and a 64-digit digest.
 * 2: the input is a view's text: parsed and checked against the views'
 * schema.
 *
 * 1: the input is a results file: one the schema accepts is summarized,
 * and the summary must parse back with the document's digest, a head
 * holding its run and the heads' schema accepts, and a view the views'
 * schema accepts (both made from the results schema): else compare would
 * read every kept summary of such a file as bad and fall back on it, or
 * worse.
 */
#include "fuzz.h"
#include "base/jschema.h"
#include "base/jsonfile.h"
#include "judge/docsum.h"
#include "judge/results.h"

/* A schema made from the results schema once, kept in *slot. */
static json_object *made(json_object **slot, json_object *(*make)(json_object *))
{
	if (!*slot)
		*slot = make(results_schema());
	if (!*slot)
		fuzz_fail("no schema made from the results schema");
	return *slot;
}

static json_object *view_schema(void)
{
	static json_object *s;

	return made(&s, docsum_view_schema);
}

static json_object *head_schema(void)
{
	static json_object *s;

	return made(&s, docsum_head_schema);
}

/* A summary read back: what it accepts is what docsum.h says it is. */
static void read_back(const char *text, size_t len, struct docsum *sum)
{
	if (docsum_parse(text, len, sum))
		return;
	FUZZ_CHECK(sum->head && json_object_is_type(sum->head, json_type_object), "no head");
	jschema_validate(head_schema(), sum->head, "head", fuzz_null());
	FUZZ_CHECK(strlen(sum->digest) == 64, "digest of %zu digits", strlen(sum->digest));
	FUZZ_CHECK(sum->kernel_log_lines < 1000000000, "a count of %zu lines", sum->kernel_log_lines);
}

/* A view read back and checked, as rundoc.c does before the gate reads it. */
static void view_back(const char *text, size_t len)
{
	json_object *view = docsum_view(text, len);

	if (view)
		jschema_validate(view_schema(), view, "view", fuzz_null());
	json_object_put(view);
}

static void summarize(const uint8_t *data, size_t size)
{
	json_object *doc = json_file_parse(fuzz_file("results.json", data, size), fuzz_null());
	json_object *view, *head;
	char hex[SHA256_HEX_LEN], again[SHA256_HEX_LEN];
	struct docsum sum;
	size_t len;
	char *text;

	if (!doc || results_validate(doc, "fuzz", fuzz_null())) {
		json_object_put(doc);
		return;
	}
	head = docsum_head(doc, false);
	text = docsum_text(doc, false, head, hex, &len);
	json_object_put(head);
	FUZZ_CHECK(text, "a valid document has no summary");
	FUZZ_CHECK(!docsum_digest(doc, again) && !strcmp(hex, again), "digest not stable");
	FUZZ_CHECK(!docsum_parse(text, len, &sum), "its own summary does not parse back");
	FUZZ_CHECK(!sum.list && !strcmp(sum.digest, hex), "summary of another kind or digest");
	FUZZ_CHECK(sum.kernel_log_lines == jarray_len(jmember(doc, "kernel_log")),
		   "kernel log of %zu lines counted %zu", jarray_len(jmember(doc, "kernel_log")),
		   sum.kernel_log_lines);
	FUZZ_CHECK(json_object_equal(jmember(sum.head, "run"), jmember(doc, "run")),
		   "head lost its run");
	free(text);
	text = docsum_view_text(doc, false, &len);
	FUZZ_CHECK(text && !memchr(text, '\n', len), "a view not of one line");
	FUZZ_CHECK(!jschema_validate(head_schema(), sum.head, "head", fuzz_null()),
		   "the head of a valid document fails the heads' schema");
	view = docsum_view(text, len);
	FUZZ_CHECK(view, "its view does not parse");
	FUZZ_CHECK(!jschema_validate(view_schema(), view, "view", fuzz_null()),
		   "the view of a valid document fails the views' schema");
	json_object_put(view);
	json_object_put(sum.head);
	free(text);
	json_object_put(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct docsum sum = { 0 };

	if (size < 1)
		return 0;
	if (data[0] == 1) {
		summarize(data + 1, size - 1);
		return 0;
	}
	if (data[0] == 2) {
		view_back((const char *)data + 1, size - 1);
		return 0;
	}
	read_back((const char *)data + 1, size - 1, &sum);
	json_object_put(sum.head);
	return 0;
}
