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
 * change about to be made (see bind.h). A change of PCIe Device Control
 * (vfio/devctl.h) is journalled the same way, with the register's value
 * before the first change instead of the binding state:
 *
 *   {"v":1,"pid":813,"bdf":"0000:00:04.0","step":"devctl","devctl":10256}
 *
 * Values are checked on the way in and out: driver names go into sysfs
 * paths, so they are one path component of [A-Za-z0-9_.-] (not . or ..).
 * The file lives in the run directory (rundir.h) and is never opened
 * through a link; every writer holds flock() on that directory while it
 * appends or rewrites (DevCtl changes are journalled without the run
 * lock, by processes that a runner may have started).
 */
#ifndef SNOOP_JOURNAL_H
#define SNOOP_JOURNAL_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "base/bdf.h"
#include "host/devstate.h"

#define JOURNAL_NAME "journal"
#define JOURNAL_STEP_DEVCTL "devctl"

struct journal_rec {
	char bdf[BDF_LEN];
	char step[32];			/* bind.h's steps, or JOURNAL_STEP_DEVCTL */
	struct dev_state orig;		/* binding steps: the state to give back */
	uint16_t devctl;		/* devctl: DevCtl before the first change */
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

/*
 * Hold dir's journal against every other writer, for a load-and-rewrite
 * (restore.h). The lock's fd; -ENOENT when there is no run directory
 * (nothing to hold, and none is made); another -errno with a message.
 */
int journal_lock(const char *dir, FILE *err);
void journal_unlock(int fd);

/*
 * Drop pid's records of bdf with this step (a change its maker undid and
 * checked), under journal_lock(); the file goes when empty. A damaged
 * journal is left as it is for `runner restore` (-EINVAL). 0 or -errno.
 */
int journal_forget(const char *dir, long pid, const char *bdf, const char *step,
		   FILE *err);

#endif
