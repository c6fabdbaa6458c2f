// SPDX-License-Identifier: GPL-2.0-only
#include "base/subprocess.h"

#include <stdio.h>
#include <stdlib.h>

char *run_capture(const char *cmd, int *status)
{
	FILE *p = popen(cmd, "r");
	char chunk[4096], *buf = NULL;
	size_t len = 0, n;
	FILE *m;

	if (!p)
		return NULL;
	m = open_memstream(&buf, &len);
	if (!m) {
		*status = pclose(p);
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		fwrite(chunk, 1, n, m);
	fclose(m);
	*status = pclose(p);
	return buf;
}
