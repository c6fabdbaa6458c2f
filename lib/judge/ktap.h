/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KTAP / kselftest TAP, as the kselftest harness prints it, turned into
 * test outcomes in the results vocabulary: line by line while a suite runs
 * (ktap_line, both of its streams, timed), or from a whole recorded log
 * (ktap_parse, stdout only, untimed). Nothing is cut or dropped silently:
 *
 * - "# evidence: {json}" lines (stdout) belong to the next result line.
 *   One that is not a JSON object, or is longer than KTAP_EVIDENCE_MAX,
 *   turns that test into an "error" whose reason says which line and why.
 * - What a test prints while it runs, from its "#  RUN" line to its result
 *   line (the harness's "# file.c:123:test:Expected ..." on stderr, "# ..."
 *   on stdout), is the reason of a test that fails. Past KTAP_REASON_MAX
 *   bytes the reason says how much more there was and where it is.
 * - "#  RUN" and "#  OK"/"#  FAIL" timed as they arrive give a test's
 *   duration; when either time is unknown, so is the duration (NAN).
 * - A planned test with no result line (the suite crashed or was killed)
 *   becomes an "error"; the one that was running keeps its name, and any
 *   evidence it printed. A plan of more than KTAP_MAX_PLANNED tests is a
 *   garbled log: one "error" named "plan" instead.
 */
#ifndef SNOOP_KTAP_H
#define SNOOP_KTAP_H

#include <stddef.h>

#include <json.h>

#define KTAP_EVIDENCE_MAX 65536		/* bytes of one evidence object */
#define KTAP_REASON_MAX 65536		/* bytes of messages kept in a reason */
#define KTAP_MAX_PLANNED 4096		/* tests a plan may announce */

struct ktap_result {
	char *name;		/* as the result line gives it */
	char outcome[8];	/* pass, fail, skip, xfail, error */
	char *reason;		/* NULL: none */
	json_object *evidence;	/* array of objects, owned */
	double duration_s;	/* NAN: unknown */
	int line;		/* its result line in stdout (from 1), 0: it had none */
};

/* What a test that is still running has shown so far. */
struct ktap_pending {
	json_object *evidence;	/* for the next result line, NULL: none yet */
	char *bad_evidence;	/* why some of it was refused, NULL: none */
	char *running;		/* the name its "#  RUN" line gave, NULL: none */
	double run_t, end_t;	/* when "#  RUN" and "#  OK/FAIL" came, NAN */
	char *messages;		/* what it printed, "# " taken off */
	size_t messages_cut;	/* bytes past KTAP_REASON_MAX, not kept */
	int lines[2];		/* lines seen on stdout and stderr */
};

struct ktap {
	struct ktap_result *v;
	size_t n;
	int planned;		/* from "1..N", -1 when absent */
	int reported;		/* result lines seen */
	/* "SUITE@BDF", the stem of the log files reasons point to; NULL none */
	const char *log;
	struct ktap_pending p;
};

struct ktap_counts {
	int pass, fail, skip, xfail, error;
};

/* Start a parse; log (kept, not copied) names the files in reasons. */
void ktap_init(struct ktap *k, const char *log);
/*
 * One line (its '\n' may be there) of stream 1 (stdout, the KTAP) or 2
 * (stderr), t when it arrived (monotonic seconds, NAN unknown). 0 or
 * -ENOMEM.
 */
int ktap_line(struct ktap *k, int stream, const char *line, size_t len, double t);
/*
 * The log ended: planned tests without a result line become errors, why
 * (NULL: not known) saying how the suite ended. 0 or -ENOMEM.
 */
int ktap_end(struct ktap *k, const char *why);
/* A whole log (stdout, untimed): init, every line, end. 0 or -ENOMEM. */
int ktap_parse(const char *text, struct ktap *k);
void ktap_count(const struct ktap *k, struct ktap_counts *c);
void ktap_free(struct ktap *k);

#endif
