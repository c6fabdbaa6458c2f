// SPDX-License-Identifier: GPL-2.0-only
#include "vtd_pgtable.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The format is dump_page_info() in drivers/iommu/intel/debugfs.c (6.12). */
int vtd_leaf_pte(const char *text, uint64_t iova, uint64_t *pte)
{
	const char *line = strstr(text, "IOVA_PFN");
	uint64_t pfn = iova >> 12;

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
