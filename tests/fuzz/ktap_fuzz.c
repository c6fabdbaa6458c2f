// SPDX-License-Identifier: GPL-2.0-only
/*
 * A suite's KTAP, as runner run judges it: the log is written where the
 * suites' logs go (SUITE@BDF.ktap) and judge_run takes it through
 * ktap_parse, tally_suite, verdict_decide and the results writer, for a
 * real platform capture (two units that differ in Snoop Control). The
 * first byte picks the suite and the device, the rest is the log.
 * Oracles: outcomes in the results vocabulary, one result per planned
 * test at least; the document the writer built is one `runner validate`
 * accepts: it matches the schema (results_finish refuses to write one
 * that does not, so the run's results would be lost) and every verdict
 * re-judged from the file's own evidence (judge/rejudge.h) is the one
 * recorded.
 */
#include "fuzz.h"
#include "base/fsutil.h"
#include "discover/platform.h"
#include "host/bind.h"
#include "judge/judge.h"
#include "judge/ktap.h"
#include "judge/rejudge.h"
#include "judge/results.h"

#define CAPTURE SNOOP_SRCDIR "/tests/fixtures/platforms/composite-kabylake-igpu-nosc"

static const char *const suites[] = { "attach", "attach_pair", "dma" };
static const char *const bdfs[] = { "0000:00:02.0", "0000:02:00.0" };

static struct platform plat;
static struct bind_result res[2];

static void setup(void)
{
	static int done;

	if (done++)
		return;
	/* Replay stays on: judge reads each device's driver from the capture. */
	if (platform_discover(&plat, CAPTURE, NULL))
		abort();
	for (size_t i = 0; i < 2; i++) {
		snprintf(res[i].bdf, sizeof(res[i].bdf), "%s", bdfs[i]);
		res[i].group = -1;
	}
}

static void check_ktap(const char *text)
{
	static const char *const outcomes[] = { "pass", "fail", "skip", "xfail", "error" };
	struct ktap k;

	if (ktap_parse(text, &k))
		return;
	FUZZ_CHECK(k.planned < 0 || (size_t)k.planned <= k.n, "planned %d, %zu results", k.planned, k.n);
	for (size_t i = 0; i < k.n; i++) {
		size_t j;

		for (j = 0; j < 5 && strcmp(k.v[i].outcome, outcomes[j]); j++)
			;
		FUZZ_CHECK(j < 5, "result %zu: outcome '%s'", i, k.v[i].outcome);
		FUZZ_CHECK(json_object_is_type(k.v[i].evidence, json_type_array),
			   "result %zu: evidence is not an array", i);
	}
	ktap_free(&k);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[] = { "runner", "run" };
	char dir[PATH_MAX], name[PATH_MAX], *text, *errs = NULL;
	struct results r;
	size_t errlen = 0;
	FILE *err;

	if (!size)
		return 0;
	setup();
	text = fuzz_str(data + 1, size - 1);
	check_ktap(text);
	free(text);

	snprintf(dir, sizeof(dir), "%s/logs", fuzz_dir());
	remove_tree(dir);
	mkdir_p(dir);
	snprintf(name, sizeof(name), "logs/%s@%s.ktap", suites[data[0] % 3], bdfs[data[0] / 3 % 2]);
	fuzz_file(name, data + 1, size - 1);

	results_start(&r, &plat, false, 2, argv);
	judge_run(&r, &plat, dir, res, 2, fuzz_null());
	err = open_memstream(&errs, &errlen);
	if (results_validate(r.doc, "results", err)) {
		fclose(err);
		fuzz_fail("the results writer built a document its schema refuses:\n%s", errs);
	}
	if (rejudge_results(r.doc, "results", err)) {
		fclose(err);
		fuzz_fail("re-judged, the writer's document gives other verdicts:\n%s", errs);
	}
	fclose(err);
	free(errs);
	results_free(&r);
	return 0;
}
