// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner report DIR|FILE... [--expect DIR] -o PAGE.html: results files and
 * runner list --json output (files, or trees of them: every *.json below a
 * directory) as one static HTML page, a platform x device matrix
 * (results/README.md, "The report"). Documents are read and checked as
 * runner compare reads them (judge/rundoc); a bad one is bad input (exit
 * 2), and no page is written. The page is written atomically. It is a
 * view: the exit status is 0 whatever the verdicts; the gate is runner
 * compare --expect. The work is in lib/report (matrix, evidence, page).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fsutil.h"
#include "base/leakcheck.h"
#include "commands.h"
#include "judge/expect.h"
#include "judge/rundoc.h"
#include "report/matrix.h"
#include "report/page.h"

#define USAGE \
	"usage: runner report DOC... [--expect DIR] -o PAGE.html\n" \
	"DOC: a results file or runner list --json output, or a directory: every *.json below it\n" \
	"     (a results tree, results/<platform_id>/<kernel>-<date>.json)\n" \
	"--expect DIR: mark failures expected or UNEXPECTED, as runner compare --expect does\n" \
	"--no-cache: read every file whole, keeping no summary (base/filecache.h)\n"

static int nomem(void)
{
	fprintf(stderr, "runner report: %s\n", strerror(ENOMEM));
	return EXIT_TESTFAIL;
}

static int render(struct rundoc_set *s, const struct expectations *e, const char *expect_dir,
		  const char *out)
{
	struct mx m;
	int ret = 0;

	ret = mx_build(&m, s, e, stderr);
	if (ret) {
		mx_free(&m);
		return ret == -EINVAL ? EXIT_BADINPUT : nomem();
	}
	if (page_write(out, &m, expect_dir)) {
		fprintf(stderr, "runner report: %s: cannot write: %s\n", out, strerror(errno));
		ret = EXIT_BADINPUT;
	} else {
		printf("report: %s: %zu document%s, %zu platform%s, %zu device%s", out, m.n_rows,
		       m.n_rows == 1 ? "" : "s", m.n_plats, m.n_plats == 1 ? "" : "s", m.n_cols,
		       m.n_cols == 1 ? "" : "s");
		if (m.gated)
			printf("; %d unexpected, %d expected failure%s", m.gate.unexpected,
			       m.gate.expected, m.gate.expected == 1 ? "" : "s");
		putchar('\n');
	}
	mx_free(&m);
	return ret;
}

int cmd_report(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "expect", required_argument, NULL, 'e' },
		{ "output", required_argument, NULL, 'o' },
		{ "no-cache", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rundoc_set s = { 0 };
	struct expectations e = { 0 };
	struct rundoc **all = NULL;
	const char *expect = NULL, *out = NULL;
	bool bad = false;
	int c, ret;

	while ((c = getopt_long(argc, argv, "e:o:nh", opts, NULL)) != -1) {
		switch (c) {
		case 'e': expect = optarg; break;
		case 'o': out = optarg; break;
		case 'n': rundoc_no_summaries(); break;
		case 'h': printf(USAGE); return 0;
		default: fprintf(stderr, USAGE); return EXIT_BADINPUT;
		}
	}
	if (optind == argc || !out) {
		fprintf(stderr, "%s" USAGE, !out ? "runner report: -o PAGE.html is required\n" : "");
		return EXIT_BADINPUT;
	}
	if (!path_arg_ok("runner report", out, stderr))
		return EXIT_BADINPUT;
	/*
	 * A file kept a summary of is added as only that (judge/docsum.h);
	 * the matrix reads whole one row per set of results on a platform,
	 * and shows the rest from their heads.
	 */
	s.summaries = true;
	for (int i = optind; i < argc; i++) {
		int r = rundoc_set_add_tree(&s, argv[i], stderr);

		if (r == -ENOMEM) {
			ret = nomem();
			goto done;
		}
		bad |= r != 0;
	}
	if (expect && expect_load(&e, expect, stderr))
		bad = true;
	if (bad) {
		ret = EXIT_BADINPUT;
		goto done;
	}
	all = calloc(s.n + 1, sizeof(*all));
	if (!all) {
		ret = nomem();
		goto done;
	}
	for (size_t i = 0; i < s.n; i++)
		all[i] = &s.v[i];
	if (rundoc_headings(all, s.n)) {
		ret = nomem();
		goto done;
	}
	ret = render(&s, expect ? &e : NULL, expect, out);
done:
	free(all);
	if (expect)
		expect_free(&e);
	/* Held until exit, which hands it back at once (base/leakcheck.h). */
	if (free_before_exit())
		rundoc_set_free(&s);
	return ret;
}
