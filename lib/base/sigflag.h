/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SIGINT, SIGTERM and SIGHUP turned into a flag and a readable fd (self-
 * pipe), so the work they trigger (restoring bindings) runs in normal
 * context, never inside a signal handler.
 */
#ifndef SNOOP_SIGFLAG_H
#define SNOOP_SIGFLAG_H

/* Install the handlers. Returns the pipe's read end (poll it) or -errno. */
int sigflag_install(void);
/* The first signal caught since install, 0 if none. */
int sigflag_caught(void);
/* Restore the default handlers and close the pipe. */
void sigflag_remove(void);

#endif
