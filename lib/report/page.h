/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * runner report's page: one self-contained static HTML file (inline CSS,
 * no script, nothing fetched: a Content-Security-Policy of default-src
 * 'none' says so to the browser too). A platform x device matrix (matrix.h),
 * each cell coloured by the device's verdict and opening (<details>) to its
 * evidence (evidence.h); changes since the row above marked; failures
 * marked expected or UNEXPECTED when gated. The facts a program may read
 * back from the DOM sit on each cell as data- attributes: data-platform,
 * data-kernel, data-run, data-file, data-device, data-verdict (absent: no
 * verdict), data-fails, data-expected and data-unexpected (gated only),
 * data-change and data-before (a row below another of its platform). Each
 * row is id row-N; one whose results are an earlier row's carries
 * data-like="row-M", the row whose evidence its cells point to.
 */
#ifndef SNOOP_REPORT_PAGE_H
#define SNOOP_REPORT_PAGE_H

#include <stdio.h>

#include "report/matrix.h"

/* The page to out; page_dir: the directory it will be in (realpath), for links. */
void page_render(FILE *out, const struct mx *m, const char *expect_dir, const char *page_dir);
/*
 * Render into memory, then write path atomically (base/fsutil.h); its
 * directory must exist. 0, or -1 with errno.
 */
int page_write(const char *path, const struct mx *m, const char *expect_dir);

#endif
