/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The gate make check-hw and check-vm pass through (runner compare
 * --expect): every failed, errored or timed-out test and every failing
 * verdict of the results must be covered by an expectation (judge/expect.h),
 * else it is unexpected and the gate fails. An expectation that holds on a
 * platform given but covers nothing there is stale: a warning, so a fixed
 * bug's entry gets removed, but never a failure.
 */
#ifndef SNOOP_GATE_H
#define SNOOP_GATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json.h>

#include "judge/expect.h"
#include "judge/rundoc.h"

struct gate_item {
	const struct rundoc *doc;
	json_object *entry;		/* its tests[] or verdicts[] entry, borrowed */
	bool verdict;			/* a verdict, else a test */
	const struct expectation *x;	/* what covers it; NULL: unexpected */
};

struct gate {
	struct gate_item *v;
	size_t n;
	int expected, unexpected;
	const struct expectation **stale;
	size_t n_stale;
};

/* Judge every results document of docs[n]. 0 or -ENOMEM. */
int gate_run(struct gate *g, const struct expectations *e, struct rundoc *const *docs, size_t n);
/*
 * Count it once more in g's totals, for a document not judged that has the
 * same results as its (the same digest, judge/docsum.h: runner report's
 * rows like an earlier row).
 */
void gate_count_again(struct gate *g, const struct gate_item *it);
/* "expected-fail: ... (reason, URL)" and "UNEXPECTED: ..." lines, stale warnings, a count. */
void gate_print(const struct gate *g, FILE *out);
json_object *gate_to_json(const struct gate *g);
void gate_free(struct gate *g);

#endif
