/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where the page links to: the results files and the raw logs kept beside
 * each (results/README.md, "Raw logs": run.logs_dir, tests[].log), as
 * paths relative to the page's own directory, so the page and the tree it
 * was built from can move together. Only what exists when the page is
 * built gets a link, and only inside the results file's own directory: a
 * logs_dir or log name that leads out of it (absolute, "..") is outside
 * input the page does not follow.
 */
#ifndef SNOOP_REPORT_LINKS_H
#define SNOOP_REPORT_LINKS_H

#include <stdbool.h>

#include "judge/rundoc.h"

/*
 * The path of target relative to the directory from (an absolute path
 * without links: realpath()), or NULL with errno (ENOENT: target is not
 * there; ENOMEM).
 */
char *link_rel(const char *from, const char *target);

/* Is name a relative path that stays where it starts (no "..", not absolute)? */
bool link_name_stays(const char *name);

/*
 * d's logs directory (name NULL) or the file name in it, relative to from;
 * NULL with errno: ENOENT (no run.logs_dir, or nothing there), EPERM (it
 * leads out of the results file's directory), ENOMEM.
 */
char *link_log(const char *from, const struct rundoc *d, const char *name);

#endif
