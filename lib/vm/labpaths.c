// SPDX-License-Identifier: GPL-2.0-only
#include "vm/labpaths.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "base/spawn.h"
#include "base/trust.h"
#include "sysfs/sysroot.h"

#ifndef SNOOP_SRCDIR
#error "SNOOP_SRCDIR must name the source tree (the Makefile sets it)"
#endif

/*
 * May root take SNOOPCHECK_SRCDIR? Only a tree nobody untrusted can change:
 * it and the folders the runner executes or reads rules from.
 */
static int srcdir_trusted(const char *dir, char *why, size_t len)
{
	static const char *const parts[] = { "suites", "vm", "drivers-allowlist" };
	char sub[4096];
	struct stat st;
	int ret = trust_dir_chain(dir, why, len);

	for (size_t i = 0; !ret && i < sizeof(parts) / sizeof(parts[0]); i++) {
		path_fmt(sub, sizeof(sub), "%s/%s", dir, parts[i]);
		if (lstat(sub, &st) && errno == ENOENT)
			continue;	/* what is missing is reported where it is needed */
		ret = trust_dir_chain(sub, why, len);
	}
	return ret;
}

const char *lab_srcdir(void)
{
	static const char *dir;
	const char *env;
	char why[4096 + 128];

	if (dir)
		return dir;
	env = getenv("SNOOPCHECK_SRCDIR");
	dir = env && *env ? env : SNOOP_SRCDIR;
	/* As root, a variable must not choose what root executes. */
	if (dir == env && geteuid() == 0 && srcdir_trusted(env, why, sizeof(why))) {
		fprintf(stderr, "runner: ignoring SNOOPCHECK_SRCDIR=%s as root: %s; using %s\n",
			env, why, SNOOP_SRCDIR);
		dir = SNOOP_SRCDIR;
	}
	return dir;
}

bool lab_kernel_series_ok(const char *s)
{
	bool dot = false;

	if (!isdigit((unsigned char)*s))
		return false;
	for (; *s; s++) {
		if (*s == '.' && !dot && isdigit((unsigned char)s[1]))
			dot = true;
		else if (!isdigit((unsigned char)*s))
			return false;
	}
	return dot;
}

int lab_kernel(const char *series, char *buf, size_t len)
{
	const char *env = getenv("KERNEL");
	char script[4096], out[] = "/tmp/snoopcheck-kernel-XXXXXX", *text, *last;
	int fd, ret;

	/* KERNEL is the default series' kernel; KERNEL_6_1 and the like are
	 * build-kernel.sh's to honour, for the series named. */
	if (!series && env && *env) {
		if (access(env, R_OK)) {
			fprintf(stderr, "runner: KERNEL=%s is not readable\n", env);
			return -1;
		}
		path_fmt(buf, len, "%s", env);
		return 0;
	}
	/* The script logs to stderr and prints the bzImage path last. */
	path_fmt(script, sizeof(script), "%s/vm/build-kernel.sh", lab_srcdir());
	if (geteuid() == 0) {
		char dir[4096], why[4096 + 128];

		path_fmt(dir, sizeof(dir), "%s/vm", lab_srcdir());
		if (trust_dir_chain(dir, why, sizeof(why)) ||
		    trust_path(script, S_IFREG, why, sizeof(why))) {
			fprintf(stderr, "runner: not running %s as root: %s\n", script, why);
			return -1;
		}
	}
	fd = mkstemp(out);
	if (fd < 0) {
		perror("runner: mkstemp");
		return -1;
	}
	close(fd);
	{
		char *argv[] = { script, (char *)series, NULL };
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
		fprintf(stderr, "runner: vm/build-kernel.sh%s%s failed; see its log above\n",
			series ? " " : "", series ? series : "");
		free(text);
		return -1;
	}
	path_fmt(buf, len, "%s", last);
	free(text);
	return 0;
}
