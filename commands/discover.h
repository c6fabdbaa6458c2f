/* SPDX-License-Identifier: GPL-2.0-only */
/* Discovery as list and capture run it: allowlist loaded, platform read. */
#ifndef SNOOP_DISCOVER_OPTS_H
#define SNOOP_DISCOVER_OPTS_H

#include "discover/allowlist.h"
#include "discover/platform.h"

/*
 * Load the allowlist (dir NULL: the source tree's drivers-allowlist/) and
 * discover the platform (from_dir NULL: live). Returns 0, or the exit
 * status to use: 2 for bad input, 1 otherwise. On success free both with
 * discover_done().
 */
int discover(struct platform *p, struct allowlist *a, const char *from_dir,
	     const char *allow_dir);
void discover_done(struct platform *p, struct allowlist *a);

#endif
