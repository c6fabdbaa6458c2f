/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A document's summary, what base/filecache.h keeps of a results file so a
 * later runner compare need not parse it whole:
 *
 *   digest  SHA-256 of the document less what compare never reads and a
 *           run always changes (its "run" and "kernel_log", each test's
 *           "duration_s"): two documents of one digest compare with no
 *           change, so such a pair is never read whole
 *   head    what compare prints of a document it need not read, and a
 *           report's row whose results are an earlier row's shows: the
 *           run, the platform's id, kernel release and IOMMU units'
 *           registers; and the count of its kernel log's lines
 *   view    what the gate (judge/gate.h), expectations and compare's
 *           headings read: the run's id, the platform's id, kernel
 *           release and devices' BDF and PCI IDs, every test that did not
 *           pass and every verdict, each entry whole. judge/rundoc.c checks
 *           it when it is read back against docsum_view_schema(), made
 *           from the results schema, so code reading a view meets only the
 *           shapes a whole document has.
 *
 * Head and view are each checked against a schema made from the results
 * schema (docsum_head_schema, docsum_view_schema). A runner list
 * document's view is the document (nothing is left out). The summary's
 * text is "KIND DIGEST KERNEL_LOG_LINES\n" and the head, JSON on one
 * line; the view's text, kept apart (most commands never read it), is
 * JSON too.
 */
#ifndef SNOOP_DOCSUM_H
#define SNOOP_DOCSUM_H

#include <stdbool.h>
#include <stddef.h>

#include <json.h>

#include "base/sha256.h"

/* What a summary's record is salted with: its format and the schema checked against. */
const char *docsum_salt(void);
/*
 * The schema a results view is checked against: results_schema's own
 * definitions of what the view keeps (sharing its nodes: one per thread,
 * as results_schema is). The caller's; NULL if results_schema is NULL.
 */
json_object *docsum_view_schema(json_object *results_schema);
/* The digest of a whole document. 0 or -ENOMEM. */
int docsum_digest(json_object *doc, char hex[SHA256_HEX_LEN]);
/* The schema a head is checked against, made and shared as docsum_view_schema()'s. */
json_object *docsum_head_schema(json_object *results_schema);
/* The head of a whole document (sharing its nodes), as its summary's text holds it. */
json_object *docsum_head(json_object *doc, bool list);
/*
 * The summary's text of a whole document (a runner list one if list, else
 * results) and its head (docsum_head's), its digest to hex; malloc'd,
 * *len bytes, or NULL.
 */
char *docsum_text(json_object *doc, bool list, json_object *head, char hex[SHA256_HEX_LEN],
		  size_t *len);
/* The view's text of a whole document; malloc'd, *len bytes, or NULL. */
char *docsum_view_text(json_object *doc, bool list, size_t *len);

struct docsum {
	bool list;		/* a runner list document's, else a results file's */
	char digest[SHA256_HEX_LEN];
	size_t kernel_log_lines;	/* of a results file; 0 for a list document */
	json_object *head;	/* the caller's (an object, not yet checked against a schema) */
};

/*
 * Read a summary's text back (len bytes); 0, or -1 for anything that is
 * not "KIND DIGEST LINES\n" and a head object on one line (the fuzzed
 * reader).
 */
int docsum_parse(const char *text, size_t len, struct docsum *out);
/* The view's JSON object (the caller's, not yet checked against a schema), or NULL. */
json_object *docsum_view(const char *view, size_t len);

#endif
