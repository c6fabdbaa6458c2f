/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What opens under a cell and under a row heading of the report: the
 * evidence behind a verdict, as the results file holds it. For a device:
 * its verdict and why, what changed since the row above, its IOMMU unit's
 * registers (cap, ecap, Snoop Control), DevCtl Enable No Snoop, the attach
 * suite's per-path enforcement, IOMMU_GET_HW_INFO and page-table (SNP)
 * evidence, every test that did not pass with its reason (expected or
 * UNEXPECTED when gated), and links to its raw logs. For a row: the file,
 * the run, the kernel, the units and the changes at the platform.
 */
#ifndef SNOOP_REPORT_EVIDENCE_H
#define SNOOP_REPORT_EVIDENCE_H

#include <stdio.h>

#include "report/matrix.h"

/* page_dir: the page's directory (realpath), for relative links. */
void evidence_cell(FILE *out, const struct mx *m, const struct mx_row *r, size_t col,
		   const char *page_dir);
void evidence_row(FILE *out, const struct mx *m, const struct mx_row *r, const char *page_dir);

#endif
