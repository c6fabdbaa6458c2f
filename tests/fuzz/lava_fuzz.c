// SPDX-License-Identifier: GPL-2.0-only
/*
 * A results file through what runner export --lava runs on it: the loader
 * runner compare shares (judge/rundoc: JSON, schema) and export/lava.
 * Beyond not crashing: whatever the document's strings hold, every line
 * is one of the four forms report.sh reads (so no name or reason can
 * start a case of its own), every name is LAVA's [A-Za-z0-9._-], short
 * enough to be a directory and given once, every result one LAVA knows,
 * and there are exactly as many cases as results, verdicts and the run.
 */
#include "fuzz.h"
#include "base/jsonfile.h"
#include "export/lava.h"
#include "judge/rundoc.h"

#include <json.h>

static bool lava_name(const char *s, size_t n)
{
	if (!n || n > 255)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return false;
	return true;
}

static bool lava_result(const char *s)
{
	return !strcmp(s, "pass") || !strcmp(s, "fail") || !strcmp(s, "skip") ||
	       !strcmp(s, "unknown");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("results.json", data, size);
	struct rundoc_set s = { 0 };
	json_object *seen;
	size_t len = 0, n_cases = 0, want;
	char *text = NULL;
	FILE *f;

	if (rundoc_set_add(&s, path, fuzz_null()) || s.n != 1 || s.v[0].kind != RUNDOC_RESULTS) {
		rundoc_set_free(&s);
		return 0;
	}
	want = jarray_len(rundoc_tests(&s.v[0])) + jarray_len(rundoc_verdicts(&s.v[0])) + 1;
	f = open_memstream(&text, &len);
	if (!f)
		fuzz_fail("open_memstream");
	FUZZ_CHECK(lava_export(&s, f, fuzz_null()) == 0, "a valid results file refused");
	fclose(f);
	seen = json_object_new_object();
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char name[512], result[32];
		int k;

		if (!strncmp(line, "# ", 2) || !strcmp(line, "set stop"))
			continue;
		if (!strncmp(line, "set start ", 10)) {
			FUZZ_CHECK(lava_name(line + 10, strlen(line + 10)), "set name: %s", line);
			continue;
		}
		FUZZ_CHECK(!strncmp(line, "case ", 5), "a line of no form: %s", line);
		k = sscanf(line, "case %511s %31s", name, result);
		FUZZ_CHECK(k == 2 && lava_name(name, strlen(name)) && lava_result(result),
			   "bad case line: %s", line);
		FUZZ_CHECK(!json_object_object_get_ex(seen, name, NULL), "%s given twice", name);
		json_object_object_add(seen, name, NULL);
		n_cases++;
	}
	FUZZ_CHECK(n_cases == want, "%zu cases for %zu results, verdicts and the run", n_cases, want);
	json_object_put(seen);
	free(text);
	rundoc_set_free(&s);
	return 0;
}
