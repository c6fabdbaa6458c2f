// SPDX-License-Identifier: GPL-2.0-only
#include "suite/klog.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * Substrings, as printed by the 6.x kernels: drivers/iommu/intel/dmar.c
 * ("DRHD: handling fault status", "[DMA Read NO_PASID] Request device"),
 * drivers/iommu/amd/iommu.c ("Event logged [IO_PAGE_FAULT"),
 * arm-smmu-v3 ("event 0x"), kernel/panic.c and lib/bug.c.
 */
static const struct {
	enum klog_kind kind;
	const char *needle;
} patterns[] = {
	{ KLOG_IOMMU_FAULT, "DMAR: DRHD: handling fault" },
	{ KLOG_IOMMU_FAULT, "DMAR: [DMA Read" },
	{ KLOG_IOMMU_FAULT, "DMAR: [DMA Write" },
	{ KLOG_IOMMU_FAULT, "DMAR: [INTR-REMAP" },
	{ KLOG_IOMMU_FAULT, "IO_PAGE_FAULT" },
	{ KLOG_IOMMU_FAULT, "arm-smmu-v3" },
	{ KLOG_WARN, "WARNING: CPU:" },
	{ KLOG_WARN, "------------[ cut here ]" },
	{ KLOG_BUG, "BUG:" },
	{ KLOG_BUG, "Oops:" },
	{ KLOG_BUG, "Kernel panic" },
	{ KLOG_TAINT, "Tainted: " },
	{ KLOG_UNSAFE, "allow_unsafe_interrupts" },
};

static const char *const kind_names[KLOG_NR_KINDS] = {
	[KLOG_IOMMU_FAULT] = "iommu-fault",
	[KLOG_WARN] = "warn",
	[KLOG_BUG] = "bug",
	[KLOG_TAINT] = "taint",
	[KLOG_UNSAFE] = "unsafe-interrupts",
};

const char *klog_kind_name(enum klog_kind kind)
{
	return kind < KLOG_NR_KINDS ? kind_names[kind] : "unknown";
}

static int add(struct klog_findings *f, enum klog_kind kind,
	       const char *line, size_t len)
{
	struct klog_finding *nv = realloc(f->v, (f->n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	f->v = nv;
	nv[f->n].kind = kind;
	if (len >= sizeof(nv[f->n].line))
		len = sizeof(nv[f->n].line) - 1;
	memcpy(nv[f->n].line, line, len);
	nv[f->n].line[len] = '\0';
	f->n++;
	return 0;
}

/* strstr bounded to one line (the text is not split in place). */
static int line_has(const char *line, size_t len, const char *needle)
{
	size_t nl = strlen(needle);

	for (size_t i = 0; i + nl <= len; i++)
		if (!memcmp(line + i, needle, nl))
			return 1;
	return 0;
}

int klog_scan(const char *text, struct klog_findings *f)
{
	const char *line = text;

	while (line && *line) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		if (len && line[len - 1] == '\r')
			len--;
		for (size_t i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++) {
			if (!line_has(line, len, patterns[i].needle))
				continue;
			if (add(f, patterns[i].kind, line, len))
				return -ENOMEM;
			break;	/* one finding per line */
		}
		line = end ? end + 1 : NULL;
	}
	return 0;
}

void klog_findings_free(struct klog_findings *f)
{
	free(f->v);
	f->v = NULL;
	f->n = 0;
}

size_t klog_count(const struct klog_findings *f, enum klog_kind kind,
		  const char *needle)
{
	size_t n = 0;

	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].kind == kind && strstr(f->v[i].line, needle))
			n++;
	return n;
}
