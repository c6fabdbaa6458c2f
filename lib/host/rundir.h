/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The run directory (journal.h's journal_default_dir()) holds the lock and
 * the journal that root acts on: whoever can write there can make
 * `runner restore` bind a driver of their choosing to any device, or write
 * config space. So it is used only when it is a directory itself (not a
 * link to one), owned by this runner's uid and writable by no one else; a
 * missing one is made 0700, and files in it are opened without following
 * links. (Its parents are not checked: /run, the default's, is root's.)
 */
#ifndef SNOOP_RUNDIR_H
#define SNOOP_RUNDIR_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The directory's fd (O_DIRECTORY, O_NOFOLLOW), after those checks. With
 * create, a missing dir is made first (missing parents 0755 as mkdir -p,
 * dir itself 0700). -ENOENT when it is missing and !create; else -errno:
 * -ELOOP a link, -ENOTDIR not a directory, -EPERM someone else's or
 * writable by others. why says "DIR: ..." on any failure.
 */
int rundir_open(const char *dir, bool create, char *why, size_t len);

/*
 * name in the run directory dirfd, never through a link: made (O_EXCL,
 * mode 0600) when missing, then *created is true; a regular file or
 * -errno (-EINVAL: not a regular file).
 */
int rundir_open_file(int dirfd, const char *name, int flags, bool *created);

#endif
