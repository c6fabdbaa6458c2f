/* SPDX-License-Identifier: GPL-2.0-only */
/* Run a shell command and keep what it printed: tests and tools alike. */
#ifndef SNOOP_SUBPROCESS_H
#define SNOOP_SUBPROCESS_H

/*
 * Run cmd with sh -c; return its stdout, NUL-terminated (free() it), or
 * NULL if it could not be started. *status gets pclose()'s wait status.
 */
char *run_capture(const char *cmd, int *status);

#endif
