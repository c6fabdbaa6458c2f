/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The structural proof on VT-d: the leaf page-table entry of a mapped IOVA,
 * from Intel IOMMU debugfs (CONFIG_INTEL_IOMMU_DEBUGFS,
 * /sys/kernel/debug/iommu/intel/BDF/domain_translation_struct). Second-stage
 * leaf PTEs of an enforcing domain carry SNP (bit 11).
 */
#ifndef SNOOP_VTD_PGTABLE_H
#define SNOOP_VTD_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

#define VTD_PTE_SNP (1ULL << 11)	/* DMA_PTE_SNP, drivers/iommu/intel/iommu.h */

/*
 * Find the leaf entry for iova in the debugfs text (one line per mapped
 * page: "0x<IOVA_PFN> |<TAB>0x<PML5E><TAB>...<TAB>0x<leaf>"). 0, -ENOENT
 * when the page is not mapped, -EINVAL when the text is not that format.
 */
int vtd_leaf_pte(const char *text, uint64_t iova, uint64_t *pte);

#endif
