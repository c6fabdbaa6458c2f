// SPDX-License-Identifier: GPL-2.0-only
#include "discover.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "vm/labpaths.h"
#include "sysfs/sysroot.h"

int discover(struct platform *p, struct allowlist *a, const char *from_dir,
	     const char *allow_dir)
{
	char dir[4096];
	struct stat st;
	int ret;

	memset(a, 0, sizeof(*a));
	if (from_dir && (stat(from_dir, &st) || !S_ISDIR(st.st_mode))) {
		fprintf(stderr, "%s: not a capture directory: %s\n", from_dir,
			errno ? strerror(errno) : "not a directory");
		return EXIT_BADINPUT;
	}
	if (allow_dir)
		path_fmt(dir, sizeof(dir), "%s", allow_dir);
	else
		path_fmt(dir, sizeof(dir), "%s/drivers-allowlist", lab_srcdir());
	if (allowlist_load_dir(a, dir, stderr)) {
		allowlist_free(a);
		return EXIT_BADINPUT;
	}
	ret = platform_discover(p, from_dir, a);
	if (ret) {
		allowlist_free(a);
		platform_free(p);
		return ret == -ENOMEM ? EXIT_TESTFAIL : EXIT_BADINPUT;
	}
	return 0;
}

void discover_done(struct platform *p, struct allowlist *a)
{
	platform_free(p);
	allowlist_free(a);
	sysroot_replay_from(NULL);
}
