/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The suites' evidence, per device: the "# evidence:" lines of the attach
 * and kvm suites tallied into the facts a verdict is decided from. runner run
 * feeds it every suite's parsed KTAP; the unit tests feed it recorded KTAP,
 * so both take the same path from a log to a verdict.
 */
#ifndef SNOOP_TALLY_H
#define SNOOP_TALLY_H

#include <stdbool.h>
#include <stddef.h>

#include <json.h>

#include "judge/ktap.h"
#include "judge/verdict.h"

struct device_tally {
	char bdf[16];
	int paths_tried, paths_enforced;
	enum fact hw_info_agrees;
	enum fact snp_matches;
	bool shared_domain_misreported;
	bool reuse_corner_open;
	int kvm_paths;			/* suites/kvm: paths whose FILE_ADD was watched */
	int kvm_told;			/* of those, where KVM registered non-coherent DMA */
	int kvm_misinformed;		/* of those, where that was not !unit_can_enforce,
					 * or a registration was not undone on delete */
};

struct tally {
	struct device_tally *dev;
	size_t n, cap;
};

/* bdf's entry, created (all facts unknown) on first use; NULL on ENOMEM. */
struct device_tally *tally_for(struct tally *t, const char *bdf);

/*
 * One "# evidence:" object of suite's test on bdf. runner validate feeds a
 * results file's evidence here, the same way tally_suite() feeds a log's.
 * 0 or -ENOMEM.
 */
int tally_line(struct tally *t, const char *suite, const char *bdf, json_object *ev);

/* One suite's results for bdf. Returns how many failed or errored. */
int tally_suite(struct tally *t, const char *suite, const char *bdf, const struct ktap *k);

/*
 * Every DIR/SUITE@BDF.ktap (what runner run keeps, judge/suitelog.h)
 * through tally_suite; each, if not NULL, also sees every parsed log, in
 * name order. Returns how many tests failed or errored; -1 if dir or a log
 * in it is unreadable.
 */
typedef void (*tally_log_fn)(void *ctx, const char *suite, const char *bdf,
			     const struct ktap *k);
int tally_dir(struct tally *t, const char *dir, tally_log_fn each, void *ctx);

/* Copy the tallied facts into the evidence a verdict is decided from. */
void tally_evidence(const struct device_tally *d, struct verdict_evidence *e);

void tally_free(struct tally *t);

#endif
