// SPDX-License-Identifier: GPL-2.0-only
#include "judge/verdict.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	const char *advice;
} labels[] = {
	[VERDICT_BLOCKED_BY_IOMMU] = { "blocked-by-iommu",
		"The IOMMU blocks No-Snoop on every path tried: KVM may ignore the "
		"guest's WBINVD and memory types for this device." },
	[VERDICT_HWPT_REUSE_NON_COHERENT] = { "hwpt-reuse-non-coherent",
		"Alone, the IOMMU blocks No-Snoop for this device on every path. But "
		"iommufd let it join a domain allocated for a device whose unit cannot "
		"enforce (a shared HWPT, or the IOAS's auto domain when the incapable "
		"device attached first), and that domain does not enforce, while "
		"vfio_file_enforced_coherent() still reports this device coherent to "
		"KVM. A VMM that puts devices behind units that differ in Snoop Control "
		"on one IOAS must give this device its own HWPT, or keep the VM "
		"non-coherent for as long as the shared domain lives (also after the "
		"incapable device is unplugged). Where the kvm suite ran, KVM's side is "
		"observed, not inferred: FILE_ADD did not register non-coherent DMA." },
	[VERDICT_NOT_EMITTED_ENS_OFF] = { "not-emitted-ens-off",
		"The IOMMU cannot block No-Snoop, but DevCtl Enable No Snoop is clear. "
		"vfio-pci lets a guest set it, so a VM owning this device must still be "
		"treated as non-coherent unless the bit is kept clear." },
	[VERDICT_NOT_EMITTED_DRIVER] = { "not-emitted-driver",
		"The IOMMU cannot block No-Snoop; the host driver never emits it (see "
		"drivers-allowlist). In a VM the guest's driver decides: treat the VM "
		"as non-coherent unless its driver is known too." },
	[VERDICT_NON_COHERENT_KVM_MUST_KNOW] = { "non-coherent-kvm-must-know",
		"The IOMMU cannot block No-Snoop and the device may emit it: KVM must "
		"treat a VM owning it as having non-coherent DMA (honour WBINVD and "
		"guest PAT). kvm_arch_register_noncoherent_dma must be reached; where "
		"the kvm suite ran, it was (see its evidence)." },
	[VERDICT_KVM_MISINFORMED] = { "kvm-misinformed",
		"Observed with kprobes (suites/kvm): adding this device's VFIO file to "
		"a VM did not tell KVM what the IOMMU enforces. Either KVM was not told "
		"the VM has non-coherent DMA although the unit cannot block No-Snoop "
		"(the guest's WBINVD and memory types are ignored while the device "
		"snoops nothing), or it was told although the unit enforces, or the "
		"registration was not undone when the file was deleted. Report it with "
		"this results file to the KVM and VFIO maintainers." },
	[VERDICT_CC_MISREPORTED] = { "cc-misreported",
		"The kernel's report of cache-coherency enforcement disagrees with the "
		"IOMMU's capability or page tables. Report it with this results file "
		"to the IOMMU and VFIO maintainers." },
	[VERDICT_RESTORE_FAILED] = { "restore-failed",
		"The device could not be given back to its driver. Run `runner "
		"restore`; if that fails, rebind it by hand or reboot." },
	[VERDICT_NO_IOMMU] = { "no-iommu",
		"No IOMMU serves this device: VFIO can only use no-IOMMU mode, which "
		"offers no isolation and no coherency enforcement." },
	[VERDICT_INCONCLUSIVE] = { "inconclusive",
		"Not enough evidence: no attach path ran. See the skip reasons of the "
		"attach suite." },
};

const char *verdict_label_name(enum verdict_label l)
{
	return labels[l].name;
}

int verdict_label_from_name(const char *s)
{
	for (size_t i = 0; s && i < sizeof(labels) / sizeof(labels[0]); i++)
		if (!strcmp(labels[i].name, s))
			return (int)i;
	return -1;
}

bool verdict_label_fails(enum verdict_label l)
{
	return l == VERDICT_CC_MISREPORTED || l == VERDICT_KVM_MISINFORMED ||
	       l == VERDICT_RESTORE_FAILED;
}

static void set(struct verdict *v, enum verdict_label l, const char *why)
{
	v->label = l;
	v->advice = labels[l].advice;
	snprintf(v->why, sizeof(v->why), "%s", why);
}

void verdict_decide(const struct verdict_evidence *e, struct verdict *v)
{
	if (e->restore_failed)
		return set(v, VERDICT_RESTORE_FAILED, "restoring the original binding failed");
	if (!e->has_unit)
		return set(v, VERDICT_NO_IOMMU, "no IOMMU unit serves the device");
	if (e->hw_info_agrees == FACT_NO)
		return set(v, VERDICT_CC_MISREPORTED,
			   "IOMMU_GET_HW_INFO and sysfs disagree on the unit's registers");
	if (e->snp_matches == FACT_NO)
		return set(v, VERDICT_CC_MISREPORTED,
			   "page-table SNP bits disagree with the reported enforcement");
	if (e->shared_domain_misreported)
		return set(v, VERDICT_CC_MISREPORTED, "a HWPT shared by two devices reported "
			   "enforcement other than its allocating device's unit can provide");
	if (e->kvm_misinformed) {
		char why[sizeof(v->why)];

		snprintf(why, sizeof(why), "on %d of %d paths KVM was told other than the "
			 "unit's capability (told non-coherent on %d), or not untold on delete",
			 e->kvm_misinformed, e->kvm_paths, e->kvm_told);
		return set(v, VERDICT_KVM_MISINFORMED, why);
	}
	if (!e->paths_tried)
		return set(v, VERDICT_INCONCLUSIVE, "no attach path ran");
	if (e->unit_can_enforce != FACT_UNKNOWN &&
	    (e->unit_can_enforce == FACT_YES) != (e->paths_enforced == e->paths_tried))
		return set(v, VERDICT_CC_MISREPORTED, e->unit_can_enforce == FACT_YES ?
			   "the unit can enforce but a path reported no enforcement" :
			   "a path reported enforcement the unit cannot provide");
	if (e->paths_enforced && e->paths_enforced != e->paths_tried)
		return set(v, VERDICT_CC_MISREPORTED, "paths disagree on enforcement");
	if (e->paths_enforced == e->paths_tried && e->reuse_corner_open)
		return set(v, VERDICT_HWPT_REUSE_NON_COHERENT, "every path enforced alone, but the "
			   "device joined a non-coherent domain allocated for another device");
	if (e->paths_enforced == e->paths_tried)
		return set(v, VERDICT_BLOCKED_BY_IOMMU, "every path reported enforcement");
	/* From here the IOMMU cannot block No-Snoop. DevCtl means little on an
	 * integrated endpoint, which picks cache attributes in its own tables. */
	if (e->conventional_pci)
		return set(v, VERDICT_NOT_EMITTED_ENS_OFF,
			   "conventional PCI: no PCIe capability, no No-Snoop attribute to set");
	if (e->ens == FACT_NO && !e->integrated)
		return set(v, VERDICT_NOT_EMITTED_ENS_OFF, "DevCtl Enable No Snoop is clear");
	if (e->driver_class == ALLOW_NEVER)
		return set(v, VERDICT_NOT_EMITTED_DRIVER, "the host driver never emits No-Snoop");
	return set(v, VERDICT_NON_COHERENT_KVM_MUST_KNOW,
		   e->integrated ? "integrated endpoint behind a unit without Snoop Control" :
		   "the device may emit No-Snoop and the unit cannot block it");
}
