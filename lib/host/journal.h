/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The binding journal: one JSON line per change to a device's binding,
 * written and fsync'd before the change is made, so that whatever kills
 * the runner (SIGKILL, a crash, power loss), `runner restore` knows every
 * device it touched and the state to give back. Lines are only appended;
 * the file goes away when everything has been restored.
 *
 *   {"v":1,"pid":812,"bdf":"0000:00:04.0","step":"unbind",
 *    "driver":"nvme","driver_override":"","sriov_numvfs":null}
 *
 * driver, driver_override and sriov_numvfs are the device's state before
 * the runner first touched it (null numvfs: not an SR-IOV PF); step is the
 * change about to be made (see bind.h).
 *
 * Values are checked on the way in and out: driver names go into sysfs
 * paths, so they are one path component of [A-Za-z0-9_.-] (not . or ..).
 * The file lives in the run directory (rundir.h), and is never opened
 * through a link.
 */
#ifndef SNOOP_JOURNAL_H
#define SNOOP_JOURNAL_H

#include <stdio.h>
#include <sys/types.h>

#include "base/bdf.h"
#include "host/devstate.h"

#define JOURNAL_NAME "journal"

struct journal_rec {
	char bdf[BDF_LEN];
	char step[32];			/* bind.h's steps */
	struct dev_state orig;		/* the state to give back */
	long pid;
	int line;			/* line number, when loaded */
};

struct journal {
	int dirfd;			/* the run directory, -1 until the first record */
	char dir[4096];
	char path[4096];
	char why[1024];			/* why the last journal_append() failed */
};

/* $SNOOPCHECK_RUNDIR, else /run/snoopcheck: gone at reboot, as bindings are. */
const char *journal_default_dir(void);
/* Name dir/journal; nothing is created until the first record. */
void journal_init(struct journal *j, const char *dir);
/*
 * Append one record (creating dir and file, durably, the first time) and
 * fsync it; only then may its step be made. 0 or -errno with j->why (a
 * record that would not load back is -EINVAL, and not written).
 */
int journal_append(struct journal *j, const struct journal_rec *r);
void journal_close(struct journal *j);

/*
 * Read every record of dir/journal. -ENOENT when there is none (nor a
 * run directory: none is made). Each bad line prints "path:line:
 * expected ..." to err and is passed over; the load goes on and returns
 * -EINVAL, *recs holding every line it could read. An unterminated last
 * line that does not parse is what a crash during its write leaves: its
 * step was never made, so it is skipped with a note. On 0 and -EINVAL
 * the caller frees *recs; on other errors there are none.
 */
int journal_load(const char *dir, struct journal_rec **recs, size_t *n,
		 FILE *err);
/*
 * Copy dir/journal, byte for byte, to a new dir/journal.damaged-TIMESTAMP
 * (never over an existing file), its path in kept: a damaged journal is
 * kept for a person before it is rewritten. 0 or -errno with a message.
 */
int journal_keep_damaged(const char *dir, char *kept, size_t len, FILE *err);
/*
 * Replace dir/journal by recs (atomically: old or new, never torn); with
 * n == 0 remove it. Used once some devices are restored. 0 or -errno.
 */
int journal_rewrite(const char *dir, const struct journal_rec *recs, size_t n);

#endif
