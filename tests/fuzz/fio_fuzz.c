// SPDX-License-Identifier: GPL-2.0-only
/*
 * fio's output as runner fio reads it (workload/fio.h): the JSON report
 * through fio_parse_json, the stderr through fio_parse_stderr, then the
 * verdict and the evidence JSON for each pass. The input is both: the
 * report, then (after the first NUL byte, if any) the stderr. Beyond not
 * crashing: the evidence fio_result_json makes is JSON that reads back
 * equal (no NaN or Infinity leaks into a results file), a failing verdict
 * says why, and every bad block comes from a line that names it.
 */
#include "fuzz.h"
#include "workload/fio.h"

static void check_pass(const struct fio_result *r, enum fio_pass pass)
{
	struct fio_job j = { .filename = "/dev/fuzz", .offset = 65536, .length = 262144,
			     .pass = pass };
	struct json_object *o = fio_result_json(&j, r), *back;
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	char why[512] = "";
	int v = fio_verdict(&j, r, why, sizeof(why));

	FUZZ_CHECK(v == 0 || (v == 1 && why[0]), "fio_verdict %d, why '%s'", v, why);
	back = json_tokener_parse(text);
	FUZZ_CHECK(back && json_object_equal(o, back), "fio_result_json does not read back: %s", text);
	json_object_put(back);
	json_object_put(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *report = fuzz_str(data, size);
	const char *err_text = report + strlen(report) < report + size ?
			       report + strlen(report) + 1 : "";
	struct fio_result r;

	memset(&r, 0, sizeof(r));
	if (!fio_parse_json(report, "fuzz.json", &r, fuzz_null()) &&
	    !fio_parse_stderr(err_text, &r)) {
		for (size_t i = 0; i < r.n_bad; i++)
			FUZZ_CHECK(strstr(err_text, r.bad[i].what), "bad block %zu: '%s' not in the input",
				   i, r.bad[i].what);
		check_pass(&r, FIO_WRITE);
		check_pass(&r, FIO_VERIFY);
		check_pass(&r, FIO_MEASURE);
	}
	fio_result_free(&r);
	free(report);
	return 0;
}
