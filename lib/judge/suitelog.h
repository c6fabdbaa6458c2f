/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One suite's run on one device, kept as it happens, in the habit of
 * blktests and igt: in the run's log directory, SUITE@BDF.ktap (its stdout,
 * the KTAP), SUITE@BDF.err (its stderr: the harness's failure messages)
 * and SUITE@BDF.kmsg (the kernel log lines printed while it ran), each
 * written line by line as it comes; and its KTAP parsed and timed as it
 * streams (judge/ktap.h), for the results. A directory of such files (a
 * recorded run, tests/fixtures/runs/) reads back into the same structure,
 * from the .ktap alone: no stderr messages, no durations.
 */
#ifndef SNOOP_SUITELOG_H
#define SNOOP_SUITELOG_H

#include <stdbool.h>
#include <stddef.h>

#include "base/bdf.h"
#include "judge/ktap.h"

#define SUITE_NAME_MAX 64

struct suite_log {
	char suite[SUITE_NAME_MAX];
	char bdf[BDF_LEN];
	char stem[SUITE_NAME_MAX + BDF_LEN];	/* "SUITE@BDF", the files' names */
	struct ktap k;
	bool has_err, has_kmsg;		/* SUITE@BDF.err / .kmsg exist */
	char ended[256];		/* how the suite ended, "" normally */
	double started, finished;	/* monotonic_s(), NAN when read back */
	int fd[2];			/* .ktap and .err while it runs, else -1 */
	int error;			/* the first write or parse failure (errno) */
};

/*
 * Start the parse and create DIR/SUITE@BDF.ktap and .err (they must not
 * exist yet). l must stay where it is until suitelog_close(). 0, or -errno
 * when a file could not be made: the parse goes on without it.
 */
int suitelog_open(struct suite_log *l, const char *dir, const char *suite, const char *bdf);
/* One line of the suite's output: spawn_opts.on_line, ctx the suite_log. */
void suitelog_line(void *ctx, int fd, const char *line, size_t len);
/* The kernel log lines printed while it ran, into DIR/SUITE@BDF.kmsg. */
int suitelog_kmsg(struct suite_log *l, const char *dir, const char *text, size_t len);
/*
 * It ended: ended (NULL or "": normally) says how, for the reasons of the
 * tests it never reported. Closes the files. 0, or the first failure.
 */
int suitelog_close(struct suite_log *l, const char *ended);
/* Every DIR/SUITE@BDF.ktap, in name order, read back. 0 or -errno. */
int suitelog_load_dir(const char *dir, struct suite_log **logs, size_t *n);
/* Free one log's parse (and close its files); the array too, for n logs. */
void suitelog_done(struct suite_log *l);
void suitelog_free(struct suite_log *logs, size_t n);

#endif
