/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Evidence a suite hands to the runner: one KTAP diagnostic line
 * "# evidence: {json}" per fact, flushed at once so it survives a crash
 * and keeps its place among the harness's own lines.
 */
#ifndef SNOOP_EVIDENCE_H
#define SNOOP_EVIDENCE_H

#include <stdio.h>

#include <json-c/json.h>

#define EVIDENCE_PREFIX "# evidence: "

/* Print o as one evidence line on f and release it (o may be NULL). */
void evidence_emit(FILE *f, struct json_object *o);

#endif
