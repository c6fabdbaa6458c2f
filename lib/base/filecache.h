/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What was worked out from a file, kept so the next run need not work it
 * out again: runner compare reads 10,000 results files in seconds only by
 * not parsing each one every time. A record is found by the file's
 * identity (device, inode, size, modification and change times to the
 * nanosecond) and a salt naming how the record was made (a format version,
 * the schema it was checked against): a file written again, or a
 * different snoopcheck, finds nothing. A record is a speed-up only: one
 * that is missing, torn, corrupt or for another key is a miss, never an
 * error, and the caller reads the file itself.
 *
 * Records live in $SNOOPCHECK_CACHE_DIR/WHAT, else $XDG_CACHE_HOME/snoopcheck/WHAT,
 * else $HOME/.cache/snoopcheck/WHAT, as KEY[0..2]/KEY, each written to a
 * temporary file and renamed into place. The directory must be its
 * user's own: a record is believed as the file it stands for.
 */
#ifndef SNOOP_FILECACHE_H
#define SNOOP_FILECACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "base/sha256.h"

struct filecache {
	char *dir;		/* NULL: no cache (none could be placed, or turned off) */
	char salt[SHA256_HEX_LEN];
	char why[512];		/* dir NULL though one was named: why ("" when none was) */
};

/*
 * The cache of WHAT ("summaries"), its records made as salt says; made if
 * missing. Its directory must pass trust_path (base/trust.h: owned by a
 * trusted owner, writable by no group or others, not a link), or there
 * is no cache and why says so. 0 or -ENOMEM.
 */
int filecache_open(struct filecache *fc, const char *what, const char *salt);
void filecache_close(struct filecache *fc);

/* The key of a file of identity st: hex. */
void filecache_key(const struct filecache *fc, const struct stat *st, char key[SHA256_HEX_LEN]);
/* The record for the file of identity st (malloc'd, NUL-terminated, *len bytes), or NULL. */
char *filecache_get(const struct filecache *fc, const struct stat *st, size_t *len);
/*
 * Keep data as the record of path, whose identity was before when it was
 * read: unless path has changed since (stat differs), or was changed so
 * lately that a second write could still keep the same times (the file
 * system's clock is coarser than its nanoseconds). Whether it was kept
 * back; failing to is never an error.
 */
bool filecache_put(const struct filecache *fc, const char *path, const struct stat *before,
		   const char *data, size_t len);

/*
 * Do a and b name one file as it was (the identity a record is kept
 * under)? The same bytes, but for a write that keeps size and times to the
 * nanosecond, which filecache_put's racy check leaves no record of.
 */
bool filecache_same_file(const struct stat *a, const struct stat *b);

/*
 * A record's own check: rec (n bytes) holds key and a payload whose length
 * and SHA-256 it states. The payload's place and length, true; false for
 * anything else (the fuzzed reader).
 */
bool filecache_record_parse(const char *rec, size_t n, const char *key, const char **data,
			    size_t *len);

#endif
