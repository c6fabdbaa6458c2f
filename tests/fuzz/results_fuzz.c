// SPDX-License-Identifier: GPL-2.0-only
/*
 * A results file through what `runner validate` runs on it: the JSON
 * parser (base/jsonfile.h, FILE:LINE:COL), the schema (results_validate
 * over base/jschema.c) and, for a document the schema accepts, the
 * re-judging of every verdict from the file's own evidence
 * (judge/rejudge.h). Beyond not crashing: a document the schema accepts,
 * written back the way results_finish writes it, parses back equal,
 * validates again and re-judges alike; and every address the schema's
 * "bdf" pattern let through is one the project's own reader
 * (base/bdf.h) calls a PCI device name, whole, with no NUL inside.
 */
#include "fuzz.h"
#include "base/bdf.h"
#include "base/jsonfile.h"
#include "judge/rejudge.h"
#include "judge/results.h"

/* members holding a "#/$defs/bdf": devices[].bdf, verdicts[].device, platform.devices[].bdf */
static void check_bdfs(json_object *doc, const char *list, const char *key)
{
	json_object *arr = doc, *v;
	char path[64];

	snprintf(path, sizeof(path), "%s", list);
	for (char *p = strtok(path, "."); p; p = strtok(NULL, "."))
		if (!json_object_object_get_ex(arr, p, &arr))
			return;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		const char *s;

		if (!json_object_object_get_ex(json_object_array_get_idx(arr, i), key, &v))
			continue;
		s = json_object_get_string(v);
		FUZZ_CHECK(strlen(s) == (size_t)json_object_get_string_len(v) && bdf_is_pci_name(s),
			   "valid document, but $.%s[%zu].%s \"%s\" (%d bytes) is not a PCI name",
			   list, i, key, s, json_object_get_string_len(v));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *doc = json_file_parse(fuzz_file("results.json", data, size), fuzz_null()), *back;
	const char *text;
	int problems;

	if (!doc)
		return 0;
	if (results_validate(doc, "fuzz", fuzz_null())) {
		json_object_put(doc);
		return 0;
	}
	check_bdfs(doc, "devices", "bdf");
	check_bdfs(doc, "verdicts", "device");
	check_bdfs(doc, "platform.devices", "bdf");
	problems = rejudge_results(doc, "fuzz", fuzz_null());

	/* results_finish's spelling of it. */
	text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
	back = json_file_parse(fuzz_file("back.json", text, strlen(text)), fuzz_null());
	FUZZ_CHECK(back, "valid, but written back it does not parse:\n%s", text);
	FUZZ_CHECK(json_object_equal(doc, back), "written back it parses as another document:\n%s", text);
	FUZZ_CHECK(!results_validate(back, "fuzz", fuzz_null()), "valid, written back invalid:\n%s", text);
	FUZZ_CHECK(rejudge_results(back, "fuzz", fuzz_null()) == problems,
		   "written back it re-judges otherwise:\n%s", text);
	json_object_put(back);
	json_object_put(doc);
	return 0;
}
