/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The documents runner compare reads: a results file (results/schema.json)
 * or what `runner list --json` prints (the schema's "platform"), named on
 * the command line as files or as directories of *.json files. Each is
 * checked against the built-in schema when it is loaded, so what reads
 * them later meets only the shapes the schema allows: a malformed one is
 * bad input, named with its FILE:LINE:COL or JSON path, never a crash.
 */
#ifndef SNOOP_RUNDOC_H
#define SNOOP_RUNDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/stat.h>

#include <json.h>

#include "base/sha256.h"

enum rundoc_kind { RUNDOC_LIST, RUNDOC_RESULTS };

struct rundoc {
	char *path;		/* as named (DIR/NAME for one found in DIR) */
	char *heading;		/* unique among the documents compared: rundoc_headings() */
	/*
	 * Owned: the document; or, read from its summary (judge/docsum.h),
	 * its view once rundoc_set_views() parsed it, NULL before.
	 */
	json_object *doc;
	json_object *plat;	/* the platform: the list document, or results' "platform" */
	enum rundoc_kind kind;
	bool whole;		/* doc is the whole file */
	bool shared;		/* doc is the view of another of the same digest: not freed here */
	char digest[SHA256_HEX_LEN];	/* docsum_digest(); "" when not worked out */
	json_object *head;	/* from a summary (judge/docsum.h); owned */
	size_t kernel_log_lines;	/* from a summary */
	struct stat ident;	/* from a summary: the file as it was, its view kept under it */
};

struct rundoc_set {
	struct rundoc *v;
	size_t n;
	/*
	 * Set before adding: a file whose summary is kept (base/filecache.h)
	 * is added as only that (doc NULL: the headings' accessors below
	 * answer from its head), and every file read whole gets its summary
	 * kept. Then rundoc_set_views() or rundoc_set_whole() read what the
	 * command needs: views for the gate, whole documents for the pairs
	 * compare must walk.
	 */
	bool summaries;
};

/*
 * Add path: one file, or every *.json in a directory (sorted by name).
 * Every bad document is reported to err; -EINVAL if any was bad (or a
 * directory held none), -ENOMEM; 0 when all were good.
 */
int rundoc_set_add(struct rundoc_set *s, const char *path, FILE *err);
/*
 * The same, but a directory is a tree (results/PLATFORM_ID/NAME.json): every
 * *.json at any depth, each directory in name order; a JSON Schema met
 * there (results/schema.json) is skipped, saying so on err.
 */
int rundoc_set_add_tree(struct rundoc_set *s, const char *path, FILE *err);
void rundoc_set_free(struct rundoc_set *s);
/*
 * Read whole every document of s that want[i] asks for and is a view, on
 * every CPU, each checked as when first added (a file that changed since
 * and is now bad is said so on err). 0, -EINVAL if any was bad, -ENOMEM.
 */
int rundoc_set_whole(struct rundoc_set *s, const bool *want, FILE *err);
/*
 * Give every document of s that has only its summary its view (the rest
 * are whole), on every CPU; documents of one digest share one (read-only
 * from then on); a view that does not check is read whole instead. 0,
 * -EINVAL (a file that changed since and is now bad, said on err), -ENOMEM.
 */
int rundoc_set_views(struct rundoc_set *s, FILE *err);
/* Do a and b hold the same of what compare reads (both digests known and equal)? */
bool rundoc_same(const struct rundoc *a, const struct rundoc *b);
/* Never keep or use summaries in this process (runner compare --no-cache). */
void rundoc_no_summaries(void);

/*
 * Give each of docs[n] a heading that tells it from all the others: the
 * shortest tail of its path (whole components) that no other path shares,
 * so "a/6.12-20260101.json" and "b/6.12-20260101.json" differ; the same
 * file named twice gets "#2".
 */
int rundoc_headings(struct rundoc **docs, size_t n);

/*
 * These answer from a summary's head too (judge/docsum.h): the platform
 * (from a head: its id, kernel release and units' names, kinds and
 * registers), the run (NULL for a list), its kernel log's line count.
 */
json_object *rundoc_platform(const struct rundoc *d);
json_object *rundoc_run(const struct rundoc *d);
size_t rundoc_kernel_log_lines(const struct rundoc *d);
const char *rundoc_platform_id(const struct rundoc *d);
const char *rundoc_kernel(const struct rundoc *d);
/* The run: its id's UTC stamp (the part after the platform id), NULL for a list. */
const char *rundoc_run_stamp(const struct rundoc *d);
/* The results' tests[] and verdicts[] (NULL for a list document). */
json_object *rundoc_tests(const struct rundoc *d);
json_object *rundoc_verdicts(const struct rundoc *d);
/* The platform's devices[] entry for bdf, or NULL. */
json_object *rundoc_device(const struct rundoc *d, const char *bdf);
/* Its iommu_units[] entry called name, or NULL. */
json_object *rundoc_unit(const struct rundoc *d, const char *name);

/* A test outcome that fails the run: fail, error, timeout. */
bool rundoc_outcome_fails(const char *outcome);
/* Is test (a tests[] entry) failed, or verdict (a verdicts[] entry) a failing label? */
bool rundoc_test_fails(json_object *test);
bool rundoc_verdict_fails(json_object *verdict);

#endif
