/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What changed between two sets of documents (runner compare OLD NEW), per
 * platform, device and test, and whether any of it is a regression:
 *
 *   regression  a test that passed (or is new) now fails, errors or times
 *               out; a verdict turned into a failing label (cc-misreported,
 *               restore-failed); enforcement lost: an attach path that
 *               enforced no longer does, a unit that could enforce cannot,
 *               a device moved to a unit that does not enforce
 *   fixed       a failing test now passes; a failing verdict no longer fails
 *   changed     any other difference in outcome, verdict or evidence
 *               (Snoop Control, raw cap/ecap, IOMMU_GET_HW_INFO, Enable No
 *               Snoop, PCI ID, unit, kernel)
 *   added, removed
 *               a test, verdict, device, unit or whole document on one side only
 *
 * Documents pair up by file name, then by platform id; two single files
 * always pair, whatever they hold.
 */
#ifndef SNOOP_COMPARE_H
#define SNOOP_COMPARE_H

#include <stdbool.h>
#include <stdio.h>

#include <json.h>

#include "judge/expect.h"
#include "judge/rundoc.h"

enum cmp_mark { CMP_REGRESSION, CMP_FIXED, CMP_CHANGED, CMP_ADDED, CMP_REMOVED, CMP_NMARKS };

struct cmp_change {
	enum cmp_mark mark;
	size_t pair;		/* index into compare.pairs */
	char *where;		/* a device's BDF, a unit's name, "" for the platform */
	char *what;		/* "verdict", "test SUITE NAME", "enforced (PATH)", ... */
	json_object *was, *now;	/* owned; NULL: absent (or JSON null) */
	char *note;		/* a failing test's reason, a verdict's why; may be NULL */
	json_object *entry;	/* the NEW test or verdict it is about (borrowed), or NULL */
	bool lost;		/* a test that passed now skips (coverage lost) */
	const struct expectation *expected;	/* compare_expect(): what explains it */
};

struct cmp_pair {
	const struct rundoc *old, *new;
};

struct compare {
	const struct rundoc_set *old, *new;
	struct cmp_pair *pairs;
	size_t n_pairs;
	struct cmp_change *v;
	size_t n;
	int count[CMP_NMARKS];
	/* compare_expect() */
	bool expecting;
	int lost, expected, unexpected;
};

/* Pair the documents and find every change. 0 or -ENOMEM. */
int compare_sets(struct compare *c, const struct rundoc_set *old, const struct rundoc_set *new);
/*
 * The same in two steps, for sets of views (rundoc_set.summaries): pair
 * up; read whole the documents of every pair compare_pair_needs_whole()
 * (both sides there, digests not the same); then walk. A pair of one
 * digest has no change, so its views suffice.
 */
int compare_pair_up(struct compare *c, const struct rundoc_set *old, const struct rundoc_set *new);
bool compare_pair_needs_whole(const struct cmp_pair *p);
int compare_walk(struct compare *c);
/*
 * Hold every regression, and every pass that now skips (lost), against e
 * (judge/expect.h) on the NEW document's side: a failure a test or verdict
 * expectation covers, a skip an "outcome = skip" one does, is expected;
 * the rest is unexpected, c->unexpected of them. Printing and the JSON say
 * which from then on. A regression of evidence (enforcement lost, a unit
 * that can no longer enforce) has no test to expect: it stays unexpected.
 */
void compare_expect(struct compare *c, const struct expectations *e);
/* One line per change, grouped by pair, and a closing count. */
void compare_print(const struct compare *c, FILE *out);
/* The same as a document (results/README.md, "runner compare --json"). */
json_object *compare_to_json(const struct compare *c);
void compare_free(struct compare *c);

const char *cmp_mark_name(enum cmp_mark m);

#endif
