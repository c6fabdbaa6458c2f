// SPDX-License-Identifier: GPL-2.0-only
#include "vm/labpaths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sysfs/sysroot.h"

#ifndef SNOOP_SRCDIR
#error "SNOOP_SRCDIR must name the source tree (the Makefile sets it)"
#endif

const char *lab_srcdir(void)
{
	const char *env = getenv("SNOOPCHECK_SRCDIR");

	return env && *env ? env : SNOOP_SRCDIR;
}

int lab_kernel(char *buf, size_t len)
{
	const char *env = getenv("KERNEL");
	char cmd[4096], line[4096] = "";
	FILE *p;

	if (env && *env) {
		if (access(env, R_OK)) {
			fprintf(stderr, "runner: KERNEL=%s is not readable\n", env);
			return -1;
		}
		path_fmt(buf, len, "%s", env);
		return 0;
	}
	/* The script logs to stderr and prints the bzImage path last. */
	path_fmt(cmd, sizeof(cmd), "'%s/vm/build-kernel.sh'", lab_srcdir());
	p = popen(cmd, "r");
	if (!p) {
		perror("runner: vm/build-kernel.sh");
		return -1;
	}
	while (fgets(line, sizeof(line), p))
		;
	if (pclose(p) != 0 || !line[0]) {
		fprintf(stderr, "runner: vm/build-kernel.sh failed; see its log above\n");
		return -1;
	}
	line[strcspn(line, "\n")] = '\0';
	path_fmt(buf, len, "%s", line);
	return 0;
}
