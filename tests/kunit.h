/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's own KTAP parser for the tests: tools/testing/kunit/kunit.py
 * from the kernel source the build uses (build/config.mk's KSRC).
 */
#ifndef SNOOP_TESTS_KUNIT_H
#define SNOOP_TESTS_KUNIT_H

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fsutil.h"

/* The kernel source the build uses, from build/config.mk. */
static int __attribute__((unused)) ksrc(char *buf, size_t len)
{
	char *mk = read_file("build/config.mk", NULL), *p, *e;

	if (!mk || !(p = strstr(mk, "KSRC := "))) {
		free(mk);
		return -1;
	}
	p += strlen("KSRC := ");
	e = strchr(p, '\n');
	snprintf(buf, len, "%.*s", (int)(e ? e - p : (long)strlen(p)), p);
	free(mk);
	return 0;
}

/* kunit.py parse FILE: its exit status, its output in out. */
static int __attribute__((unused)) kunit_parse(const char *file, char *out, size_t len)
{
	char src[PATH_MAX], cmd[2 * PATH_MAX + 64];
	FILE *p;
	size_t n;

	if (ksrc(src, sizeof(src)))
		return -1;
	snprintf(cmd, sizeof(cmd), "python3 %s/tools/testing/kunit/kunit.py parse %s 2>&1",
		 src, file);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	return pclose(p);
}

#endif
