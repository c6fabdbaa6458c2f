/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Intel VT-d register and table-entry fields this suite reads, in one
 * place (as pciutils keeps its config-space constants in lib/header.h), so
 * the capability decoder and the page-table proof cannot disagree on a bit.
 * Names and positions follow drivers/iommu/intel/iommu.h and pasid.h (6.12).
 */
#ifndef SNOOP_VTD_REGS_H
#define SNOOP_VTD_REGS_H

/* Extended capability register (ecap_reg): bit positions. */
#define VTD_ECAP_C		0	/* ecap_coherent: walks snoop caches */
#define VTD_ECAP_PT		6	/* ecap_pass_through */
#define VTD_ECAP_SC		7	/* ecap_sc_support: can force snoop */
#define VTD_ECAP_NEST		26	/* ecap_nest */
#define VTD_ECAP_SMTS		43	/* ecap_smts: scalable mode */
#define VTD_ECAP_SLADS		45	/* ecap_slads: second-level A/D, dirty tracking */
#define VTD_ECAP_FLTS		47	/* ecap_flts: first-level translation */

/* Capability register (cap_reg). */
#define VTD_CAP_CM		7	/* cap_caching_mode: emulated units */
#define VTD_CAP_SAGAW_SHIFT	8	/* cap_sagaw: page-table levels, 5 bits */
#define VTD_CAP_SAGAW_MASK	0x1f
#define VTD_CAP_MGAW_SHIFT	16	/* cap_mgaw: max guest address width - 1 */
#define VTD_CAP_MGAW_MASK	0x3f

/* Second-stage page-table entries. */
#define VTD_PAGE_SHIFT		12	/* VTD_PAGE_SHIFT: 4 KiB pages */
#define VTD_PTE_SNP_BIT		11
#define VTD_PTE_SNP		(1ULL << VTD_PTE_SNP_BIT)	/* DMA_PTE_SNP */

/* Scalable-mode PASID entry; val[0] holds bits 63:0, val[1] bits 127:64. */
#define VTD_PASID_PGTT_SHIFT	6	/* bits 8:6, the translation type */
#define VTD_PASID_PGTT_MASK	7
#define VTD_PGTT_FIRST_STAGE	1	/* PASID_ENTRY_PGTT_FL_ONLY */
#define VTD_PASID_PGSNP_BIT	88	/* page snoop, set by pasid_set_pgsnp() */
#define VTD_PASID_PGTT(val)	(((val)[0] >> VTD_PASID_PGTT_SHIFT) & VTD_PASID_PGTT_MASK)
#define VTD_PASID_PGSNP(val)	(((val)[1] >> (VTD_PASID_PGSNP_BIT - 64)) & 1)

#endif
