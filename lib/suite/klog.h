/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kernel log lines that signal trouble during a run: IOMMU faults (the
 * evidence that a blocked DMA was caught), WARN, BUG/Oops/panic, taint. One
 * scanner serves the serial console log of a virtual-lab guest and
 * /dev/kmsg on a live machine.
 */
#ifndef SNOOP_KLOG_H
#define SNOOP_KLOG_H

#include <stddef.h>

enum klog_kind {
	KLOG_IOMMU_FAULT,	/* DMAR fault, AMD-Vi IO_PAGE_FAULT, SMMU event */
	KLOG_WARN,		/* WARNING: at ... */
	KLOG_BUG,		/* BUG:, Oops, Kernel panic */
	KLOG_TAINT,		/* Tainted: */
	KLOG_UNSAFE,		/* allow_unsafe_interrupts in use */
	KLOG_NR_KINDS,
};

struct klog_finding {
	enum klog_kind kind;
	char line[256];		/* the log line, truncated */
};

struct klog_findings {
	struct klog_finding *v;
	size_t n;
};

/* Append the trouble lines of text (many lines) to f. 0 or -ENOMEM. */
int klog_scan(const char *text, struct klog_findings *f);
void klog_findings_free(struct klog_findings *f);
const char *klog_kind_name(enum klog_kind kind);
/* Number of findings of kind that mention needle ("" for all). */
size_t klog_count(const struct klog_findings *f, enum klog_kind kind,
		  const char *needle);

#endif
