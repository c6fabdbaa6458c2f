/* SPDX-License-Identifier: GPL-2.0-only */
/* Small file-system helpers shared by capture, journal and results. */
#ifndef SNOOP_FSUTIL_H
#define SNOOP_FSUTIL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * The longest path a person may give for a file or directory the runner
 * builds further paths from (run directory, capture, replay root, results,
 * lab config): room is kept for what is appended, so path_fmt() never meets
 * a path it cannot hold. A longer one is bad input, not a bug.
 */
#define PATH_ARG_MAX (PATH_MAX - 512)
/* Is path shorter than PATH_ARG_MAX? Else says so to err, naming what. */
bool path_arg_ok(const char *what, const char *path, FILE *err);

/* mkdir -p; 0 or -1 with errno. */
int mkdir_p(const char *dir);
/* mkdir -p of the directory that will hold path. */
int mkdir_parents(const char *path);
/*
 * Write a file so that readers see the old or the new content, never a
 * torn one: temp file in the same directory, fsync, rename, fsync the
 * directory. 0 or -1 with errno; the temp file is gone either way. A
 * failed directory fsync is an error even though the new content is then
 * already in place: it may not survive a crash.
 *
 * The temp file is ".NAME.tmp.PID.N", created with O_EXCL|O_NOFOLLOW so
 * that nothing already at that name (a link planted by someone else) is
 * ever written through; whatever sits at NAME itself is replaced, not
 * followed. A writer killed mid-way leaves its temp file behind; the next
 * successful write of NAME removes those of processes that are gone.
 */
int write_file_atomic(const char *path, const void *data, size_t len);
/* The same with path relative to the directory dirfd, as openat(). */
int write_file_atomic_at(int dirfd, const char *path, const void *data, size_t len);

/*
 * Read a whole regular file (or pipe), NUL-terminated; NULL with errno on
 * failure: EISDIR for a directory, ENOTSUP for a device or socket.
 */
char *read_file(const char *path, size_t *len);
/* Why read_file() failed, for messages: strerror(), with ENOTSUP told as
 * "not a regular file". */
const char *read_file_strerror(int err);
/*
 * rm -rf dir without a shell: files and directories below it, links
 * removed, never followed. 0 or -1 with errno (the first failure).
 */
int remove_tree(const char *dir);

#endif
