/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The structural proof on VT-d: the leaf page-table entry of a mapped IOVA,
 * from Intel IOMMU debugfs (CONFIG_INTEL_IOMMU_DEBUGFS,
 * /sys/kernel/debug/iommu/intel/BDF/domain_translation_struct). Second-stage
 * leaf PTEs of an enforcing domain carry SNP (bit 11). In scalable mode
 * the device's PASID entry (dmar_translation_struct) says which stage the
 * domain uses; a first-stage domain enforces through the entry's PGSNP
 * (bit 88) instead, as drivers/iommu/intel/pasid.c sets it.
 */
#ifndef SNOOP_VTD_PGTABLE_H
#define SNOOP_VTD_PGTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* VTD_PTE_SNP, VTD_PASID_PGTT(), VTD_PASID_PGSNP(): the fields read here. */
#include "discover/vtd_regs.h"

/*
 * Find the leaf entry for iova in the debugfs text (one line per mapped
 * page: "0x<IOVA_PFN> |<TAB>0x<PML5E><TAB>...<TAB>0x<leaf>"). 0, -ENOENT
 * when the page is not mapped, -EINVAL when the text is not that format.
 */
int vtd_leaf_pte(const char *text, uint64_t iova, uint64_t *pte);

/*
 * Older kernels (6.1) have one domain_translation_struct for all devices,
 * /sys/kernel/debug/iommu/intel/domain_translation_struct: per IOMMU group a
 * section "Device BDF @0xPGD", the table's header and lines, up to an empty
 * line, named after one device of the group (debugfs.c,
 * __show_device_domain_translation). The first section naming one of the
 * n members (the BDFs of the device's group) as a new string; NULL when no
 * section names one, or out of memory (errno says).
 */
char *vtd_group_section(const char *text, char *const members[], size_t n);

/*
 * The entry for PASID 0 (requests without a PASID) of bus/devfn, from the
 * dmar_translation_struct text, in the section of unit ("dmar0"): one line
 * per context, "BB:DD.F<TAB>root<TAB>context<TAB>PASID<TAB>0xV2:0xV1:0xV0"
 * (print_tbl_walk(), debugfs.c). 0; -ENOENT when the unit is in legacy
 * mode (PASID -1: no PASID entry) or the device has no context; -EINVAL
 * when the text is not that format.
 */
int vtd_rid_pasid_entry(const char *text, const char *unit, unsigned int bus,
			unsigned int devfn, uint64_t val[3]);

#endif
