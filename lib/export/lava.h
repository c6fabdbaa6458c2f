/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Results files as the lines lava/report.sh turns into LAVA's test-shell
 * helpers (lava-test-set, lava-test-case), one a line:
 *
 *   set start NAME                        lava-test-set start NAME
 *   set stop                              lava-test-set stop
 *   case NAME RESULT [MEASUREMENT UNITS]  lava-test-case NAME --result RESULT
 *                                         [--measurement MEASUREMENT --units UNITS]
 *   # TEXT                                a note for the job's log
 *
 * Every KTAP result (a tests[] entry) is one case SUITE.DEVICE.TEST, in a
 * set SUITE.DEVICE; every verdict one case verdict.DEVICE; every run one
 * case run.complete. RESULT is pass, fail, skip or unknown; MEASUREMENT
 * the seconds the results recorded (absent when they are null). Names
 * are [A-Za-z0-9._-], at most 200 bytes, each given once: a second one
 * gets "-2", and a note says so. results/README.md "LAVA" has the mapping.
 */
#ifndef SNOOP_LAVA_H
#define SNOOP_LAVA_H

#include <stdio.h>

#include "judge/rundoc.h"

/*
 * The lines for every results document of s to out; -EINVAL after saying
 * why on err (a list document: it has no run), 0 otherwise.
 */
int lava_export(const struct rundoc_set *s, FILE *out, FILE *err);

#endif
