/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Expectations: known, documented failures of a platform, so a gate fails
 * only on a change. One block per expectation in a "key = value" file
 * (base/kvconf.h; results/README.md, "Expectations"):
 *
 *   expect = NAME              opens a block; a name for messages
 *   platform = PLATFORM_ID     the platform it holds on (runner list)
 *   pci = VVVV:DDDD            and/or the failing device's PCI IDs (or VVVV)
 *   kernel = GLOB              and/or the kernel release (fnmatch: 6.1.*)
 *   suite = SUITE              a test expectation: its suite,
 *   test = GLOB                its name (fnmatch: dma.*.unmapped_*),
 *   outcome = fail|error|timeout   optional: any failing outcome without it;
 *   outcome = skip             or a known skip (coverage the kernel lacks),
 *   because = GLOB             with its reason (fnmatch: *predates CONFIG_IOMMUFD*)
 *   verdict = LABEL            or a verdict expectation: a failing label
 *   reason = TEXT              why it fails (required)
 *   url = https://...          where that is documented (required)
 *
 * Errors name file:line and what was expected.
 */
#ifndef SNOOP_EXPECT_H
#define SNOOP_EXPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json.h>

#include "base/kvconf.h"
#include "judge/rundoc.h"

struct expectation {
	const char *file;	/* where it is written */
	int line;		/* of its "expect =" */
	const char *name;
	const char *platform;	/* NULL: any */
	const char *kernel;	/* release glob, NULL: any */
	int vendor, device;	/* -1: any */
	const char *suite, *test, *outcome;	/* test expectation (outcome may be NULL) */
	const char *because;	/* outcome "skip": the reason's glob */
	int verdict;		/* verdict expectation: its label, else -1 */
	const char *reason, *url;
};

struct expectations {
	struct kvconf **files;	/* the strings above point into these */
	size_t n_files;
	struct expectation *v;
	size_t n;
};

/*
 * Load path: one file, or every *.conf in a directory (sorted). Every bad
 * block is reported to err; -EINVAL then (also for a path that cannot be
 * read), -ENOMEM; 0 when all are good.
 */
int expect_load(struct expectations *e, const char *path, FILE *err);
void expect_free(struct expectations *e);

/* Does x hold on d's platform (its platform id, and a device with its PCI IDs)? */
bool expect_applies(const struct expectation *x, const struct rundoc *d);
/* Does x cover tests[] entry test of d: a failure, or a skip it names? */
bool expect_covers(const struct expectation *x, const struct rundoc *d, json_object *test);
/*
 * The first expectation covering a failing (or skipped) tests[] entry or a
 * failing verdicts[] entry of d, or NULL.
 */
const struct expectation *expect_test(const struct expectations *e, const struct rundoc *d,
				      json_object *test);
const struct expectation *expect_verdict(const struct expectations *e, const struct rundoc *d,
					 json_object *verdict);

/* x as JSON (name, file, line, reason, url), as the gate and compare --json print it; NULL for NULL. */
json_object *expect_to_json(const struct expectation *x);

#endif
