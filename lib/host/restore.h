/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Give devices back: to their original driver, driver_override and
 * sriov_numvfs, and DevCtl Enable No Snoop, as the journal recorded them
 * before the first change. Each step is made only where the state
 * differs, so restoring twice, or after a restore that was itself killed,
 * is harmless.
 */
#ifndef SNOOP_RESTORE_H
#define SNOOP_RESTORE_H

#include <stddef.h>
#include <stdio.h>

#include "host/devstate.h"

/* 0 when bdf matches orig afterwards; else -errno and why says what differs. */
int restore_device(const char *bdf, const struct dev_state *orig, char *why,
		   size_t len);

/*
 * Replay dir's journal, under journal_lock(): restore each device in it,
 * the last touched first, with the state its first record holds (DevCtl
 * first, then the binding). pid > 0 restores only what that runner
 * changed (a run's own exit: its bindings, and DevCtl changes on devices
 * it bound), 0 everything (`runner restore`). Restored devices leave the
 * journal, and so do devices gone from the machine (said on out: nothing
 * can be restored there); it is removed when empty. One line per device
 * to out, "restore-failed BDF: why" per failure to err.
 *
 * A damaged journal (bad lines, each reported with file:line) is first
 * copied byte for byte to DIR/journal.damaged-TIMESTAMP (journal.h), then
 * every record that could be read is replayed as above.
 *
 * Returns 0 restored, -ENOENT nothing to restore (no run directory, no
 * journal: none is created), -EINVAL the journal was damaged (whatever
 * could be read was restored), -EIO when a device could not be restored
 * (the journal keeps it).
 */
int restore_journal(const char *dir, long pid, FILE *out, FILE *err);

#endif
