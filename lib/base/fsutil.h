/* SPDX-License-Identifier: GPL-2.0-only */
/* Small file-system helpers shared by capture, journal and results. */
#ifndef SNOOP_FSUTIL_H
#define SNOOP_FSUTIL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

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
 * The one way this project opens a file to read it: only a regular file is
 * opened, whatever sits at the name. It is looked at first, so a device
 * node is never opened (opening one can act: a watchdog starts counting);
 * the open is O_NONBLOCK, so a FIFO cannot hang it, and is checked again
 * against a swap in between. Errors: EISDIR for a directory, ENOTSUP for
 * anything else that is not a regular file, EAGAIN for a file replaced
 * while being opened, ELOOP for a link with RD_NOFOLLOW. dirfd and path as
 * openat(); how: RD_ flags. fd or -1 with errno.
 */
#define RD_NOFOLLOW	1	/* a link as the last component is refused */
#define RD_PIPE		2	/* a pipe is read too: input given as <(...) */
int open_regular(int dirfd, const char *path, int how);
/* read() until len bytes or the end of the file; the count or -1 with errno. */
ssize_t read_upto(int fd, void *buf, size_t len);
/*
 * Why a reader failed, for messages: "not a regular file" (ENOTSUP), "a
 * symbolic link, not followed" (ELOOP), "too large" (EFBIG); strerror()
 * for the others.
 */
const char *read_file_strerror(int err);

/*
 * The most read_file() reads: far above any journal, results file, fio
 * output or config dump this project handles, far below what a runaway
 * file or pipe would cost. More is refused (EFBIG), never cut short.
 */
#define READ_FILE_MAX ((size_t)64 << 20)
/*
 * A whole regular file or pipe (see open_regular(); links followed), at
 * most READ_FILE_MAX bytes, NUL-terminated; NULL with errno on failure.
 */
char *read_file(const char *path, size_t *len);
/*
 * read_file() of a regular file only, refusing a link as the last
 * component: for a file of a directory given as input (a capture), which
 * must not lead out of it.
 */
char *read_file_nofollow(const char *path, size_t *len);
/*
 * rm -rf dir without a shell: files and directories below it, links
 * removed, never followed. 0 or -1 with errno (the first failure).
 */
int remove_tree(const char *dir);

/*
 * Call fn(ctx, DIR/NAME, err) for every NAME in dir that ends in suffix
 * and does not start with '.', in name order. A -EINVAL from fn is
 * remembered and the others still run; -ENOMEM stops. Returns how many
 * were found, or -EINVAL (dir unreadable, said on err; or an fn said so),
 * or -ENOMEM.
 */
int dir_each(const char *dir, const char *suffix,
	     int (*fn)(void *ctx, const char *path, FILE *err), void *ctx, FILE *err);

#endif
