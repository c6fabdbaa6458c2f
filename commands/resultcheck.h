/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A results file checked as runner validate checks it, shared with runner
 * bundle, which refuses to pack a file that would not validate.
 */
#ifndef SNOOP_RESULTCHECK_H
#define SNOOP_RESULTCHECK_H

#include <stddef.h>

#include <json.h>

/*
 * Read and parse path; messages name shown (NULL: path), JSON syntax as
 * SHOWN:LINE:COL. NULL after saying why. With text, the bytes read are
 * handed back there, for the caller to free.
 */
json_object *resultcheck_load(const char *path, const char *shown, char **text, size_t *len);

/*
 * The schema, then the re-judging (judge/rejudge.h), then, if replayed is
 * not NULL, the platform against it. 0 valid, 1 a mismatch, 2 bad input.
 */
int resultcheck(json_object *doc, const char *shown, json_object *replayed);

/* The capture's platform, as runner list --from DIR --json prints it. 0 or the exit status. */
int resultcheck_replay(const char *capture, const char *allow_dir, json_object **replayed);

#endif
