/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One KTAP v1 document for a whole run (Documentation/dev-tools/ktap.rst):
 * every suite log nested as a subtest, indented four spaces, so kunit.py,
 * LAVA and KernelCI read the run as one. Each suite's lines are copied as
 * it printed them (its "TAP version 13" becomes the subtest's "KTAP
 * version 1" and "# Subtest: SUITE@BDF"); tests it planned and never
 * reported are added as "not ok" with their reason, so the document is
 * whole even when a suite was killed. A suite's line is "not ok" when any
 * of its tests failed or errored.
 */
#ifndef SNOOP_RUNKTAP_H
#define SNOOP_RUNKTAP_H

#include <stddef.h>

#include "judge/suitelog.h"

/* From dir's STEM.ktap files, logs[n] their parses; path written atomically. 0 or -errno. */
int runktap_write(const char *path, const char *dir, const struct suite_log *logs, size_t n);

#endif
