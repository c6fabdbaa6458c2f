/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Run a program with a deadline and stop it, and everything it started,
 * when the deadline passes or the caller is interrupted. The child leads a
 * process group of its own (unless same_group), so a suite's helper
 * processes (fio, a shell pipeline) die with it instead of holding a
 * device open past restore.
 * The program is run by path, never through a shell.
 *
 * Its output goes to files, or (on_line) through pipes read here, line by
 * line as it comes, so the caller can keep it and timestamp it.
 */
#ifndef SNOOP_SPAWN_H
#define SNOOP_SPAWN_H

#include <stdbool.h>
#include <stddef.h>

/* A longer line than this reaches on_line in pieces of this size. */
#define SPAWN_LINE_MAX (1024 * 1024)

struct spawn_opts {
	const char *stdin_path;		/* NULL: inherit */
	const char *stdout_path;	/* NULL: inherit; created or truncated */
	const char *stderr_path;	/* NULL: inherit; == stdout_path: one file */
	char *const *env;		/* "NAME=VALUE" set in the child, NULL-ended */
	/* Inherited variables whose names start so are removed before env
	 * is set, so the child sees only the values the caller chose. */
	const char *unset_prefix;
	double timeout_s;		/* 0: no deadline */
	/* Polled while waiting: nonzero sends SIGTERM to the group, then
	 * SIGKILL after grace_s. The same happens at the deadline. */
	int (*interrupted)(void);
	double grace_s;
	int wake_fd;			/* > 0: polled and drained (a signalfd) */
	bool search_path;		/* argv[0] through PATH (execvp) */
	bool die_with_parent;		/* SIGKILL when the caller dies */
	/* Stay in the caller's process group, so a command typed at a
	 * terminal keeps it (and its Ctrl-C); only the child is signalled. */
	bool same_group;
	/*
	 * Set: stdout and stderr go to pipes (stdout_path and stderr_path
	 * must be NULL) and every line reaches on_line as it arrives, with
	 * fd 1 or 2 and its '\n' (a last line without one, or a piece of one
	 * longer than SPAWN_LINE_MAX, comes without). When both pipes have
	 * data at once stderr is read first: a program that flushes stdout
	 * before each step and writes its diagnostics unbuffered (the
	 * kselftest harness) keeps its order.
	 */
	void (*on_line)(void *ctx, int fd, const char *line, size_t len);
	void *line_ctx;
	/*
	 * Stop everything below the child too, not only its process group:
	 * the kselftest harness runs each test in a group of its own, out of
	 * reach of a signal to the suite's, and a test left running holds
	 * the device open against the restore. The caller (which must have
	 * no other children) is their subreaper while the child runs; at the
	 * deadline or interrupt every process below it gets SIGTERM, after
	 * grace_s SIGKILL, and at the end whatever is left is killed and
	 * reaped.
	 */
	bool whole_tree;
};

struct spawn_result {
	int exit_status;		/* exit code, -1 when killed or not started */
	int term_signal;		/* the signal that ended it, 0 none */
	bool timed_out;			/* stopped at the deadline */
	bool interrupted;		/* stopped because interrupted() said so */
	int exec_errno;			/* could not be started: why (127 exit) */
};

/*
 * Run argv[0] with o (NULL: defaults) and wait for it. 0 when it ran (r
 * says how it ended), -errno when it could not be forked (-EINVAL: on_line
 * with a stdout or stderr file).
 */
int spawn_run(char *const argv[], const struct spawn_opts *o, struct spawn_result *r);

#endif
