/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A whole run judged from what it left: every suite log's tests into the
 * results, the KTAP tallied into facts, and one verdict and one devices[]
 * entry per selected device, from those facts, discovery and what binding
 * did. The same path judges a live run and recorded logs.
 */
#ifndef SNOOP_JUDGE_H
#define SNOOP_JUDGE_H

#include <stddef.h>
#include <stdio.h>

#include "discover/platform.h"
#include "host/bind.h"
#include "judge/results.h"
#include "judge/suitelog.h"

/*
 * logs[nlogs]: every suite run, as runner run kept them (judge/suitelog.h);
 * res[n] is what bind did for each selected device. One "BDF: label (why)"
 * line per verdict to out. Returns how many tests failed plus how many
 * verdicts are failures.
 */
int judge_logs(struct results *r, const struct platform *p, const struct suite_log *logs,
	       size_t nlogs, const struct bind_result *res, size_t n, FILE *out);
/*
 * The same from a directory of SUITE@BDF.ktap files (a recorded run): a
 * directory that cannot be read counts as one failure.
 */
int judge_run(struct results *r, const struct platform *p, const char *ktap_dir,
	      const struct bind_result *res, size_t n, FILE *out);

#endif
