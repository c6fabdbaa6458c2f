// SPDX-License-Identifier: GPL-2.0-only
#include "vfio/vtd_pgtable.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The format is dump_page_info() in drivers/iommu/intel/debugfs.c (6.12). */
int vtd_leaf_pte(const char *text, uint64_t iova, uint64_t *pte)
{
	const char *line = strstr(text, "IOVA_PFN");
	uint64_t pfn = iova >> VTD_PAGE_SHIFT;

	if (!line)
		return -EINVAL;
	for (line = strchr(line, '\n'); line && *++line; line = strchr(line, '\n')) {
		char *end;
		uint64_t v, last = 0;
		const char *p;

		if (strtoull(line, &end, 16) != pfn || strncmp(end, " |", 2))
			continue;
		/* The last hex column on the line is the leaf (PTE or superpage). */
		for (p = end + 2; *p && *p != '\n';) {
			v = strtoull(p, &end, 16);
			if (end == p)
				break;
			last = v;
			p = end;
		}
		*pte = last;
		return last ? 0 : -EINVAL;
	}
	return -ENOENT;
}

char *vtd_group_section(const char *text, char *const members[], size_t n)
{
	static const char head[] = "Device ";

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		const char *end;

		if (strncmp(l, head, sizeof(head) - 1))
			continue;
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(members[i]);

			if (strncmp(l + sizeof(head) - 1, members[i], len) ||
			    strncmp(l + sizeof(head) - 1 + len, " @", 2))
				continue;
			/* the section ends at an empty line, or with the text */
			end = strstr(l, "\n\n");
			end = end ? end + 1 : l + strlen(l);
			return strndup(l, (size_t)(end - l));
		}
	}
	errno = ENOENT;
	return NULL;
}

/* Where unit's section starts: after its "IOMMU dmarN: ..." header line. */
static const char *unit_section(const char *text, const char *unit)
{
	char head[80];
	size_t n = (size_t)snprintf(head, sizeof(head), "IOMMU %s:", unit);

	for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
		if (!strncmp(l, head, n))
			return strchr(l, '\n');
	return NULL;
}

int vtd_rid_pasid_entry(const char *text, const char *unit, unsigned int bus,
			unsigned int devfn, uint64_t val[3])
{
	const char *line = unit_section(text, unit);

	if (!line)
		return -EINVAL;
	/* Up to the next unit's header, one context (and PASID) a line. */
	while ((line = strchr(line, '\n')) && *++line && strncmp(line, "IOMMU ", 6)) {
		char root[48], ctx[48];
		unsigned int b, d, f;
		unsigned long long v2, v1, v0;
		int pasid, n = 0;

		if (sscanf(line, "%x:%x.%x %47s %47s %d %n", &b, &d, &f, root, ctx, &pasid,
			   &n) != 6 || !n || b != bus || ((d << 3) | f) != devfn)
			continue;
		if (pasid < 0)
			return -ENOENT;	/* legacy mode: no PASID table */
		if (pasid != 0)
			continue;
		if (sscanf(line + n, "0x%llx:0x%llx:0x%llx", &v2, &v1, &v0) != 3)
			return -EINVAL;
		val[0] = v0;
		val[1] = v1;
		val[2] = v2;
		return 0;
	}
	return -ENOENT;
}
