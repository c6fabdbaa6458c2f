// SPDX-License-Identifier: GPL-2.0-only
/*
 * The key = value reader (base/kvconf.h). Beyond not crashing: keys are
 * what the format allows, values come trimmed, lines in order; what it
 * read, written back as "key=value" lines, reads back the same (not
 * "key = value": a value may start with '#', a comment after a blank); and a
 * comment the format allows (" # ..." after a value, lab.conf.example)
 * changes nothing.
 */
#include <ctype.h>

#include "fuzz.h"
#include "base/kvconf.h"

static void check_same(const struct kvconf *a, const struct kvconf *b, const char *what)
{
	FUZZ_CHECK(a->n == b->n, "%s: %zu entries, then %zu", what, a->n, b->n);
	for (size_t i = 0; i < a->n; i++)
		FUZZ_CHECK(!strcmp(a->v[i].key, b->v[i].key) && !strcmp(a->v[i].value, b->v[i].value),
			   "%s: entry %zu '%s = %s' became '%s = %s'", what, i, a->v[i].key,
			   a->v[i].value, b->v[i].key, b->v[i].value);
}

static void check_entries(const struct kvconf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		const char *k = c->v[i].key, *v = c->v[i].value;
		size_t vl = strlen(v);

		FUZZ_CHECK(*k, "line %d: empty key", c->v[i].line);
		for (const char *p = k; *p; p++)
			FUZZ_CHECK(isalnum((unsigned char)*p) || *p == '_' || *p == '-',
				   "line %d: key '%s'", c->v[i].line, k);
		FUZZ_CHECK(!vl || (!isspace((unsigned char)v[0]) && !isspace((unsigned char)v[vl - 1])),
			   "line %d: value '%s' not trimmed", c->v[i].line, v);
		FUZZ_CHECK(!strchr(v, '\n'), "line %d: newline in value", c->v[i].line);
		FUZZ_CHECK(!i || c->v[i].line > c->v[i - 1].line, "lines out of order");
		FUZZ_CHECK(kvconf_get(c, k) != NULL, "kvconf_get('%s') found nothing", k);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kvconf c, back;
	char *text = NULL, *s;
	size_t len = 0;
	FILE *f;

	if (kvconf_load(&c, fuzz_file("fuzz.conf", data, size), fuzz_null()))
		return 0;
	check_entries(&c);

	/* Written back, one entry a line: the same entries. */
	f = open_memstream(&text, &len);
	for (size_t i = 0; i < c.n; i++)
		fprintf(f, "%s=%s\n", c.v[i].key, c.v[i].value);
	fclose(f);
	FUZZ_CHECK(!kvconf_load(&back, fuzz_file("back.conf", text, len), fuzz_null()),
		   "written back, it does not load:\n%s", text);
	check_same(&c, &back, "written back");
	kvconf_free(&back);
	free(text);

	/* Every line of the input with a comment after it: the same entries. */
	s = fuzz_str(data, size);
	text = NULL;
	f = open_memstream(&text, &len);
	for (char *l = s, *nl; l; l = nl) {
		nl = strchr(l, '\n');
		if (nl)
			*nl++ = '\0';
		fprintf(f, "%s # a comment\n", l);
	}
	fclose(f);
	FUZZ_CHECK(!kvconf_load(&back, fuzz_file("commented.conf", text, len), fuzz_null()),
		   "with comments it does not load:\n%s", text);
	check_same(&c, &back, "with ' # a comment' after each line");
	kvconf_free(&back);
	free(text);
	free(s);
	kvconf_free(&c);
	return 0;
}
