/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Platforms side by side, one column per document, for people (runner
 * compare FILE..., make check-vm): which file, platform, kernel and run it
 * is; the IOMMU units with their Snoop Control; per device the verdict (or,
 * from a list document, its unit and whether that enforces); the test
 * counts, and per suite and device where anything failed. Given
 * expectations, a covered failure shows as expected-fail, an uncovered one
 * as fail (or, for a verdict, UNEXPECTED).
 */
#ifndef SNOOP_SIDEBYSIDE_H
#define SNOOP_SIDEBYSIDE_H

#include <stddef.h>
#include <stdio.h>

#include "judge/expect.h"
#include "judge/rundoc.h"

/* e may be NULL. 0 or -ENOMEM. */
int sidebyside_print(struct rundoc *const *docs, size_t n, const struct expectations *e,
		     FILE *out);

#endif
