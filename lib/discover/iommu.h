/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * IOMMU units from /sys/class/iommu and the capability facts that decide
 * whether a unit can block PCIe No-Snoop. Decoders are pure functions over
 * the raw registers so recorded values test them.
 */
#ifndef SNOOP_IOMMU_H
#define SNOOP_IOMMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/fact.h"

enum iommu_kind {
	IOMMU_KIND_NONE,
	IOMMU_KIND_INTEL_VTD,
	IOMMU_KIND_AMD_VI,
	IOMMU_KIND_ARM_SMMUV3,
	IOMMU_KIND_OTHER,
};

struct iommu_unit {
	char name[64];			/* sysfs name: dmar0, ivhd0, ... */
	enum iommu_kind kind;
	bool have_regs;			/* cap/ecap (VT-d) or cap/features (AMD) read */
	uint64_t cap;			/* VT-d cap_reg; AMD-Vi capability header */
	uint64_t ecap;			/* VT-d ecap_reg; AMD-Vi extended features */
	enum fact enforces_coherency;	/* can this unit block No-Snoop? */
	size_t n_devices;		/* PCI devices it serves (from device links) */
};

const char *iommu_kind_name(enum iommu_kind kind);	/* "intel-vtd", ... */

/* VT-d, as drivers/iommu/intel/iommu.h's cap_* and ecap_* (vtd_regs.h). */
struct vtd_facts {
	bool snoop_control;	/* ecap_sc_support: bit 7, can force snoop */
	bool pass_through;	/* ecap_pass_through: bit 6 */
	bool coherent;		/* ecap_coherent: bit 0, walks snoop caches */
	bool nested;		/* ecap_nest: bit 26 */
	bool scalable_mode;	/* ecap_smts: bit 43 */
	bool second_level_ad;	/* ecap_slads: bit 45, dirty tracking */
	bool first_level;	/* ecap_flts: bit 47 */
	bool caching_mode;	/* cap_caching_mode: bit 7 (emulated units) */
	unsigned int mgaw;	/* cap_mgaw: max guest address width */
	unsigned int sagaw;	/* cap_sagaw: supported page-table levels */
};

/* AMD-Vi extended features, as amd_iommu_types.h's FEATURE_*. */
struct amdvi_facts {
	bool ppr, x2apic, nx, gt, ga, he, pc;
	unsigned int pasmax;
};

void vtd_decode(uint64_t cap, uint64_t ecap, struct vtd_facts *f);
void amdvi_decode(uint64_t features, struct amdvi_facts *f);

/*
 * Read one unit, named as under /sys/class/iommu (through sysroot): its
 * kind, raw registers and enforces_coherency. Registers that cannot be
 * parsed leave have_regs false and say so on err (NULL: silently).
 */
void iommu_unit_read(struct iommu_unit *u, const char *name, FILE *err);

/*
 * The one rule for whether a unit can block No-Snoop, from what
 * iommu_unit_read() found: VT-d by ECAP Snoop Control (unknown when its
 * registers were unreadable), AMD-Vi always (its page tables carry FC),
 * anything else unknown. Discovery and the suites both ask here.
 */
enum fact iommu_unit_can_enforce(const struct iommu_unit *u);

/*
 * Read every unit under /sys/class/iommu (through sysroot). 0 or -errno;
 * a unit whose registers cannot be read is kept with have_regs false.
 */
int iommu_units_discover(struct iommu_unit **units, size_t *n, FILE *err);

/* Print the decoded facts of one unit on one line, e.g. "SC=1 PT=1 ...". */
void iommu_print_facts(FILE *f, const struct iommu_unit *u);

#endif
