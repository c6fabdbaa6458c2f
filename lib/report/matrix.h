/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The report's model: a platform x device matrix built from documents
 * (judge/rundoc.h). Each platform (its platform id and its IOMMU units'
 * raw registers: the lab's vtd-sc and vtd-nosc share an id) has one row per
 * document, ordered by kernel release (version order: 6.1 before 6.12),
 * then run stamp, then path; so the same machine on two kernels is two
 * rows, one above the other. Each row after the first of its platform is
 * compared with the one above it by judge/compare (regression, fixed,
 * changed, added, removed), and with expectations the failures of every
 * row are judged by judge/gate (expected or UNEXPECTED). The columns are
 * the devices (BDFs) some results document gave a verdict for, or, when
 * only runner list documents are given, every device they list.
 *
 * A row whose results are an earlier row's of its platform (the same
 * digest, judge/docsum.h: only its run, kernel log and durations differ)
 * is "like" the first such row and stays a summary (rundoc.h): its cells
 * are that row's, its changes those between the rows its neighbours are
 * like, and it is not judged again but counted again. A tree of 10,000
 * daily runs reads whole one run per set of results.
 */
#ifndef SNOOP_REPORT_MATRIX_H
#define SNOOP_REPORT_MATRIX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json.h>

#include "judge/compare.h"
#include "judge/expect.h"
#include "judge/gate.h"
#include "judge/rundoc.h"

struct mx_cell {
	json_object *dev;	/* the platform's devices[] entry; NULL: not on it */
	json_object *verdict;	/* its verdicts[] entry; NULL: not run (or a list document) */
	int fails;		/* failing tests of the device, and its verdict if that fails */
	int expected, unexpected;	/* of those, covered by an expectation or not (gated) */
	int change;		/* worst mark (enum cmp_mark, REGRESSION worst) of the
				 * changes at this device or its unit; -1: none */
	json_object *before;	/* the verdict of the row above (same platform), if any */
};

struct mx_row {
	struct rundoc *doc;
	size_t platform;	/* index into mx.plats */
	long prev;		/* the row above on the same platform, -1: none */
	size_t like;		/* the row of its results, read whole: this one, or an earlier one */
	struct rundoc_set before, self;	/* one document each, for cmp */
	struct compare cmp;	/* prev -> this row; empty when prev < 0 */
	struct mx_cell *cells;	/* one per column */
	size_t gate_first, gate_end;	/* its gate items: mx.gate_by[first..end) */
};

struct mx_platform {
	const char *id;		/* its platform id */
	char *key;		/* the id and every unit's name, kind, cap, ecap */
	size_t first, n;	/* its rows */
};

struct mx {
	char **cols;		/* BDFs, sorted */
	size_t n_cols;
	struct mx_platform *plats;
	size_t n_plats;
	struct mx_row *rows;
	size_t n_rows;
	bool gated;		/* expectations given: gate holds the judgement */
	struct gate gate;
	size_t *gate_by;	/* gate.v's indices, by document, then in order */
	const struct expectations *e;
};

/*
 * Build the matrix of every document of s (kept, borrowed); e may be NULL.
 * Of documents that are only summaries, those the matrix needs whole (the
 * first row of each set of results) are read whole (rundoc_set_whole). 0,
 * -ENOMEM, or -EINVAL when one of them is now bad (said on err).
 */
int mx_build(struct mx *m, struct rundoc_set *s, const struct expectations *e, FILE *err);
void mx_free(struct mx *m);

/* Are r's results an earlier row's (r->like), its evidence shown there? */
bool mx_repeats(const struct mx *m, const struct mx_row *r);
/* The column of bdf, or -1. */
long mx_col(const struct mx *m, const char *bdf);
/* Does change ch of row r concern the device of cell col (its BDF, or its IOMMU unit)? */
bool mx_change_at(const struct mx *m, const struct mx_row *r, size_t col,
		  const struct cmp_change *ch);
/* The gate item for entry (a tests[] or verdicts[] entry of r's document), or NULL. */
const struct gate_item *mx_gate_item(const struct mx *m, const struct mx_row *r, json_object *entry);

#endif
