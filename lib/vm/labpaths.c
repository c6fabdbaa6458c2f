// SPDX-License-Identifier: GPL-2.0-only
#include "vm/labpaths.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "base/spawn.h"
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
	char script[4096], out[] = "/tmp/snoopcheck-kernel-XXXXXX", *text, *last;
	int fd, ret;

	if (env && *env) {
		if (access(env, R_OK)) {
			fprintf(stderr, "runner: KERNEL=%s is not readable\n", env);
			return -1;
		}
		path_fmt(buf, len, "%s", env);
		return 0;
	}
	/* The script logs to stderr and prints the bzImage path last. */
	path_fmt(script, sizeof(script), "%s/vm/build-kernel.sh", lab_srcdir());
	fd = mkstemp(out);
	if (fd < 0) {
		perror("runner: mkstemp");
		return -1;
	}
	close(fd);
	{
		char *argv[] = { script, NULL };
		/* In our process group: Ctrl-C stops the kernel build too. */
		struct spawn_opts o = { .stdout_path = out, .same_group = true };
		struct spawn_result r;

		ret = spawn_run(argv, &o, &r);
		text = ret || r.exit_status ? NULL : read_file(out, NULL);
	}
	unlink(out);
	for (size_t n = text ? strlen(text) : 0; n && text[n - 1] == '\n'; n--)
		text[n - 1] = '\0';
	last = text && strrchr(text, '\n') ? strrchr(text, '\n') + 1 : text;
	if (!last || !*last) {
		fprintf(stderr, "runner: vm/build-kernel.sh failed; see its log above\n");
		free(text);
		return -1;
	}
	path_fmt(buf, len, "%s", last);
	free(text);
	return 0;
}
