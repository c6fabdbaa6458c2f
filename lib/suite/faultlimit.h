/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel's rate limit on IOMMU fault reports, seen from the kernel
 * log. A suite that makes a device fault must see the fault's report; a
 * report the kernel suppressed proves nothing either way. Waiting a whole
 * rate-limit interval before every fault is safe and slow (it was 5.2 s
 * per blocked copy, on lab machines too), so instead this counts what
 * the kernel counted, from the lines it printed, and says how long to
 * wait for the next report to get through: often not at all.
 *
 * What the 6.12 kernel rate-limits (lib/ratelimit.c ___ratelimit(): at
 * most burst calls in a fixed window of interval jiffies that opens at
 * the first call after the last one closed; DEFAULT_RATELIMIT_INTERVAL is
 * 5 * HZ, DEFAULT_RATELIMIT_BURST 10; a call past the burst is dropped and
 * counted, and the first call after the window prints
 * "FUNC: N callbacks suppressed"):
 *
 * - Intel VT-d, drivers/iommu/intel/dmar.c dmar_fault(): one ratelimit
 *   state for the whole kernel (a static in the function, shared by every
 *   DMAR unit). Each call of the fault handler with a non-zero status
 *   calls __ratelimit() once for "DMAR: DRHD: handling fault status reg
 *   X"; when X has Primary Pending Fault (bit 1, DMA_FSTS_PPF) it then
 *   walks the fault records, calling __ratelimit() once per pass: once
 *   per record (printed by dmar_fault_do_one(): "DMAR: [DMA Read ...",
 *   "[DMA Write ...", "[INTR-REMAP] ...") and once more for the pass that
 *   finds no record left and ends the walk, which prints nothing. So one
 *   handler call with k records costs k + 2; a fault of ours is reported
 *   when the status call and its first record call both get through.
 *   (The "Dump ... table entries" lines of CONFIG_DMAR_DEBUG are not
 *   rate-limited.)
 * - AMD-Vi, drivers/iommu/amd/iommu.c amd_iommu_report_page_fault() (and
 *   the RMP event reporters): one ratelimit state per device
 *   (dev_data->rs), one call per event, printed by pci_err() as
 *   "<driver> <BDF>: Event logged [IO_PAGE_FAULT ...". Only our device's
 *   lines count.
 * - Anything else (SMMUv3, no IOMMU): not modelled; wait a whole interval.
 *
 * The rule kept here is stricter than the kernel's, so that no guess about
 * where its fixed windows begin matters: a fault is provoked only when the
 * calls seen in the last interval (and a margin) leave room for its
 * report. If no stretch of that length holds more than burst calls, no
 * fixed window can, and nothing of ours is suppressed.
 * Suppressed calls print nothing, but they only happen in a window whose
 * burst was used up by printed calls, which this sees.
 *
 * Time is the kernel's own, jiffies: the windows are counted in jiffies,
 * and times(2) returns them (jiffies_64_to_clock_t(), USER_HZ). The printk
 * timestamps of kmsg records are not used: they follow the clocksource,
 * which need not keep pace with jiffies (a guest whose TSC calibration went
 * wrong under load runs its printk clock 5 times faster than its ticks,
 * measured in the lab, and with periodic ticks a lost tick is a lost
 * jiffy). A call is taken to have happened when its record was read, which
 * is no earlier than it happened; so a record read late, or the history
 * read when counting starts, can only make a wait longer.
 */
#ifndef SNOOP_FAULTLIMIT_H
#define SNOOP_FAULTLIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/bdf.h"

#define FAULTLIMIT_INTERVAL_S	5.0	/* DEFAULT_RATELIMIT_INTERVAL, 5 * HZ */
#define FAULTLIMIT_BURST	10	/* DEFAULT_RATELIMIT_BURST */

enum faultlimit_kind {
	FAULTLIMIT_VTD,		/* one state per kernel */
	FAULTLIMIT_AMDVI,	/* one state per device */
	FAULTLIMIT_UNMODELLED,	/* always wait a whole interval */
};

/* SPAN: how far back calls are counted; the margin is slack on top of
 * what the rule needs (times() counts in 10 ms steps). */
#define FAULTLIMIT_MARGIN_S	0.25
#define FAULTLIMIT_SPAN_S	(FAULTLIMIT_INTERVAL_S + FAULTLIMIT_MARGIN_S)

/*
 * Plain data, so it can live in memory shared by a suite's forked tests:
 * the kernel's count runs across them.
 */
struct faultlimit {
	enum faultlimit_kind kind;
	char bdf[BDF_LEN];		/* the device whose reports we need */
	/* jiffies-clock seconds of the latest FAULTLIMIT_BURST calls, a ring */
	double call[FAULTLIMIT_BURST];
	size_t calls;			/* calls counted since init */
	double doubt_until;		/* until then, assume the burst in use */
	bool have_seq;
	uint64_t next_seq;		/* first record not yet counted */
	unsigned long suppressed;	/* N of every "N callbacks suppressed" */
	unsigned long alarms;		/* times a report may have been dropped */
};

/* Start counting for bdf ("0000:00:06.0") behind an IOMMU of kind. */
void faultlimit_init(struct faultlimit *l, enum faultlimit_kind kind, const char *bdf);

/* The kernel's jiffies, in seconds (times(2)): the clock of the windows. */
double faultlimit_now(void);

/*
 * Count one kmsg record (its sequence number and text) read at seen, a
 * faultlimit_now() time. A record already counted (seq below next_seq)
 * is skipped.
 */
void faultlimit_record(struct faultlimit *l, uint64_t seq, const char *text,
		       size_t len, double seen);

/*
 * Seconds (of faultlimit_now()) to wait, from now, before provoking one
 * fault whose report must be printed. 0 when it may go now; a whole span
 * for an unmodelled reporter.
 */
double faultlimit_wait_s(const struct faultlimit *l, double now);

/* Calls counted within the span before now: how full the kernel's window
 * may be. For evidence. */
int faultlimit_in_window(const struct faultlimit *l, double now);

/*
 * Count every record of the kernel log (or path, for tests) not counted
 * yet. 0, or -errno when it cannot be read: then l is unmodelled from
 * here on, and waits a whole span each time.
 */
int faultlimit_read(struct faultlimit *l, const char *path);

#endif
