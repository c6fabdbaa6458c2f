// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner compare: results files and `runner list --json` output (files,
 * or directories of *.json), three ways (results/README.md, "Comparing"):
 *
 *   compare OLD NEW            what changed, marked; exit 1 on a regression
 *   compare [--table] DOC...   side by side, for people (one, or three and more)
 *   compare --expect DIR DOC...
 *                              side by side, then the gate: exit 1 on any
 *                              failure no expectation in DIR covers
 *   compare --expect DIR --baseline OLD NEW
 *                              what changed, held against DIR: exit 1 on a
 *                              regression or a lost pass (now a skip) that
 *                              no expectation covers (a kernel without
 *                              iommufd: results/expectations/kernel-6.1.conf)
 *
 * --json prints the change list or the gate as a document instead. A
 * document that does not parse or match the schema is bad input (exit 2).
 * The work is in lib/judge (compare, sidebyside, expect, gate).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "base/leakcheck.h"
#include "commands.h"
#include "judge/compare.h"
#include "judge/expect.h"
#include "judge/gate.h"
#include "judge/rundoc.h"
#include "judge/sidebyside.h"

#define USAGE \
	"usage: runner compare [--json] OLD NEW             what changed; exit 1 on a regression\n" \
	"       runner compare [--table] DOC...             platforms side by side\n" \
	"       runner compare [--json] --expect DIR DOC... side by side, then exit 1 on an\n" \
	"                                                   unexpected failure\n" \
	"       runner compare [--json] --expect DIR --baseline OLD NEW\n" \
	"                                                   what changed; exit 1 on a regression\n" \
	"                                                   or lost pass DIR does not expect\n" \
	"DOC, OLD, NEW: a results file or runner list --json output, or a directory of them (*.json)\n" \
	"--no-cache: read every file whole, keeping no summary (base/filecache.h)\n"

static void emit(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
}

static int nomem(void)
{
	fprintf(stderr, "runner compare: %s\n", strerror(ENOMEM));
	return EXIT_TESTFAIL;
}

/*
 * Views (rundoc_set.summaries) stand in for unchanged documents: those of
 * every pair whose digests differ are read whole before the walk.
 */
static int read_whole(const struct compare *c, struct rundoc_set *old, struct rundoc_set *new)
{
	bool *wo = calloc(old->n + 1, sizeof(*wo)), *wn = calloc(new->n + 1, sizeof(*wn));
	int ret = wo && wn ? 0 : -ENOMEM;

	for (size_t p = 0; !ret && p < c->n_pairs; p++)
		if (compare_pair_needs_whole(&c->pairs[p])) {
			wo[c->pairs[p].old - old->v] = true;
			wn[c->pairs[p].new - new->v] = true;
		}
	if (!ret)
		ret = rundoc_set_whole(old, wo, stderr);
	if (!ret)
		ret = rundoc_set_whole(new, wn, stderr);
	free(wo);
	free(wn);
	return ret;
}

/* OLD NEW; with expectations (dir), held against them. */
static int diff(struct rundoc_set *old, struct rundoc_set *new, const char *dir, bool json)
{
	struct expectations e = { 0 };
	struct compare c;
	int ret;

	if (dir && expect_load(&e, dir, stderr)) {
		expect_free(&e);
		return EXIT_BADINPUT;
	}
	ret = compare_pair_up(&c, old, new);
	if (!ret)
		ret = read_whole(&c, old, new);
	if (!ret)
		ret = compare_walk(&c);
	if (ret) {
		compare_free(&c);
		expect_free(&e);
		return ret == -ENOMEM ? nomem() : EXIT_BADINPUT;
	}
	if (dir)
		compare_expect(&c, &e);
	if (json)
		emit(compare_to_json(&c));
	else
		compare_print(&c, stdout);
	ret = (dir ? c.unexpected : c.count[CMP_REGRESSION]) ? EXIT_TESTFAIL : 0;
	compare_free(&c);
	expect_free(&e);
	return ret;
}

/* set: documents added from summaries, given their views first (or NULL). */
static int gate(struct rundoc_set *set, struct rundoc **docs, size_t n, const char *dir, bool json)
{
	struct expectations e;
	struct gate g;
	int ret;

	if (expect_load(&e, dir, stderr)) {
		expect_free(&e);
		return EXIT_BADINPUT;
	}
	if (set && (ret = rundoc_set_views(set, stderr))) {
		expect_free(&e);
		return ret == -ENOMEM ? nomem() : EXIT_BADINPUT;
	}
	if (!json && sidebyside_print(docs, n, &e, stdout)) {
		expect_free(&e);
		return nomem();
	}
	if (gate_run(&g, &e, docs, n)) {
		ret = nomem();
	} else {
		if (json) {
			emit(gate_to_json(&g));
		} else {
			putchar('\n');
			gate_print(&g, stdout);
		}
		ret = g.unexpected ? EXIT_TESTFAIL : 0;
	}
	gate_free(&g);
	expect_free(&e);
	return ret;
}

int cmd_compare(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "table", no_argument, NULL, 't' },
		{ "expect", required_argument, NULL, 'e' },
		{ "baseline", required_argument, NULL, 'b' },
		{ "no-cache", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct rundoc_set sets[2] = { { 0 } };
	struct rundoc **all = NULL;
	const char *expect = NULL, *baseline = NULL;
	bool json = false, table = false, bad = false, two;
	size_t n = 0, nargs;
	int c, ret;

	while ((c = getopt_long(argc, argv, "jte:b:nh", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 't': table = true; break;
		case 'e': expect = optarg; break;
		case 'b': baseline = optarg; break;
		case 'n': rundoc_no_summaries(); break;
		case 'h': printf(USAGE); return 0;
		default: fprintf(stderr, USAGE); return EXIT_BADINPUT;
		}
	}
	nargs = (size_t)(argc - optind);
	if (baseline && (!expect || nargs != 1)) {
		fprintf(stderr, "runner compare: --baseline OLD needs --expect DIR and one NEW\n%s", USAGE);
		return EXIT_BADINPUT;
	}
	if (!nargs || (json && table) || (expect && table) || (json && !expect && nargs != 2)) {
		fprintf(stderr, "%s%s", json && !expect && nargs != 2 ?
			"runner compare: --json needs OLD NEW or --expect DIR\n" : "", USAGE);
		return EXIT_BADINPUT;
	}
	/* OLD NEW: two sides. Otherwise every document is one column. */
	two = (nargs == 2 && !table && !expect) || baseline;
	/* What only views need: what changed, and the gate's JSON (the table reads all). */
	sets[0].summaries = sets[1].summaries = two || json;

	if (baseline) {
		int r = rundoc_set_add(&sets[0], baseline, stderr);

		if (r == -ENOMEM) {
			ret = nomem();
			goto out;
		}
		bad |= r != 0;
	}
	for (int i = optind; i < argc; i++) {
		int r = rundoc_set_add(&sets[two && (baseline || i > optind)], argv[i], stderr);

		if (r == -ENOMEM) {
			ret = nomem();
			goto out;
		}
		bad |= r != 0;
	}
	if (bad) {
		ret = EXIT_BADINPUT;
		goto out;
	}
	all = calloc(sets[0].n + sets[1].n + 1, sizeof(*all));
	if (!all) {
		ret = nomem();
		goto out;
	}
	for (int s = 0; s < 2; s++)
		for (size_t i = 0; i < sets[s].n; i++)
			all[n++] = &sets[s].v[i];
	if (rundoc_headings(all, n)) {
		ret = nomem();
		goto out;
	}
	if (two)
		ret = diff(&sets[0], &sets[1], baseline ? expect : NULL, json);
	else if (expect)
		ret = gate(json ? &sets[0] : NULL, all, n, expect, json);
	else
		ret = sidebyside_print(all, n, NULL, stdout) ? nomem() : 0;
out:
	free(all);
	/* Held until exit, which hands it back at once (base/leakcheck.h). */
	if (free_before_exit()) {
		rundoc_set_free(&sets[0]);
		rundoc_set_free(&sets[1]);
	}
	return ret;
}
