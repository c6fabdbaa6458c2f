/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The CLI tests' way to run the sanitized runner: a shell command, its
 * stdout and stderr together in out, its exit status back.
 */
#ifndef SNOOP_TESTS_CLIRUN_H
#define SNOOP_TESTS_CLIRUN_H

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#define RUNNER "build/t/runner"

static char out[1 << 20];

/*
 * Run cmd with the shell; its stdout and stderr in out; the exit status
 * back (128 + the signal that killed it). A sanitizer's report is 99: a
 * leak also exits 1, and must not pass for a regression.
 */
static int __attribute__((unused)) run(const char *cmd)
{
	char full[PATH_MAX * 4];
	FILE *p;
	size_t n;
	int st;

	snprintf(full, sizeof(full), "%s 2>&1", cmd);
	p = popen(full, "r");
	if (!p)
		return -1;
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	st = pclose(p);
	if (strstr(out, "Sanitizer"))
		return 99;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

#endif
