/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One verdict per device from the evidence a run gathered: a stable label
 * (the fwts habit) and advice a lab engineer or a KVM maintainer can act
 * on. Pure: the same evidence always gives the same verdict.
 */
#ifndef SNOOP_VERDICT_H
#define SNOOP_VERDICT_H

#include <stdbool.h>

#include "discover/allowlist.h"
#include "discover/platform.h"

enum verdict_label {
	VERDICT_BLOCKED_BY_IOMMU,
	VERDICT_HWPT_REUSE_NON_COHERENT,
	VERDICT_NOT_EMITTED_ENS_OFF,
	VERDICT_NOT_EMITTED_DRIVER,
	VERDICT_NON_COHERENT_KVM_MUST_KNOW,
	VERDICT_CC_MISREPORTED,
	VERDICT_KVM_MISINFORMED,
	VERDICT_RESTORE_FAILED,
	VERDICT_NO_IOMMU,
	VERDICT_INCONCLUSIVE,
};

struct verdict_evidence {
	bool has_unit;			/* an IOMMU unit serves the device */
	enum fact unit_can_enforce;	/* from the unit's capability (sysfs) */
	enum fact hw_info_agrees;	/* IOMMU_GET_HW_INFO == sysfs, if read */
	int paths_tried;		/* attach paths that ran (not skipped) */
	int paths_enforced;		/* of those, where the kernel said enforced */
	enum fact snp_matches;		/* page-table SNP == enforcement, if read */
	bool shared_domain_misreported;	/* attach_pair: a shared domain's enforcement
					 * is not what the units' registers allow */
	bool reuse_corner_open;		/* attach_pair: the kernel put this device on a
					 * domain allocated for one whose unit cannot
					 * enforce (DESIGN.md §1, the reuse corner) */
	enum fact ens;			/* DevCtl Enable No Snoop */
	bool integrated;		/* integrated endpoint: DevCtl means little */
	bool conventional_pci;		/* no PCIe capability: no No-Snoop attribute */
	enum allow_class driver_class;	/* the host driver's allowlist class */
	bool restore_failed;
	int kvm_paths;			/* suites/kvm: paths whose FILE_ADD was watched */
	int kvm_told;			/* of those, where KVM registered non-coherent DMA */
	int kvm_misinformed;		/* of those, where KVM was told other than
					 * !unit_can_enforce, or not untold on delete */
};

struct verdict {
	enum verdict_label label;
	const char *advice;
	char why[256];			/* the deciding evidence, in words */
};

void verdict_decide(const struct verdict_evidence *e, struct verdict *v);
const char *verdict_label_name(enum verdict_label l);
/* The label named s (as verdict_label_name() spells it), or -1. */
int verdict_label_from_name(const char *s);
/*
 * Is a device with this label a failure of the run (exit status 1, a
 * regression in runner compare)? Only kernel bugs (cc-misreported,
 * kvm-misinformed) and a device not given back (restore-failed) are: every other label is a fact
 * about the platform, reported, not a failure.
 */
bool verdict_label_fails(enum verdict_label l);

#endif
