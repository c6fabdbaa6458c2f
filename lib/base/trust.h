/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What a root run may execute, or take its instructions from: a path that
 * nobody but a trusted owner can change. Every check uses lstat(), so a
 * symbolic link is refused, never followed. The trusted owners are root,
 * the real uid, and the owner of the running executable: whoever owns the
 * runner could replace the runner itself, so trusting their files gives
 * them nothing new (this is what lets a tree built by a user run as root
 * under sudo, or in the virtual lab's guest, where the tree keeps the
 * host user's uid).
 */
#ifndef SNOOP_TRUST_H
#define SNOOP_TRUST_H

#include <stddef.h>
#include <sys/types.h>

/*
 * path is of type (S_IFREG or S_IFDIR), not a symbolic link, owned by a
 * trusted owner, and writable by neither its group nor others. 0, or
 * -errno (-EPERM when it exists but fails) with why saying which and why.
 */
int trust_path(const char *path, mode_t type, char *why, size_t len);
/*
 * dir is absolute, without "." or ".." parts, and it and every directory
 * above it pass trust_path; an ancestor may be writable by others only
 * with the sticky bit (/tmp: nobody can rename what a trusted owner made
 * there). Then nothing below dir can be swapped by anyone untrusted, and
 * what was checked is what gets run. 0 or -errno with why.
 */
int trust_dir_chain(const char *dir, char *why, size_t len);
/* path is a regular file passing trust_path in a directory passing trust_dir_chain. */
int trust_exec(const char *path, char *why, size_t len);

#endif
