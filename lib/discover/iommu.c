// SPDX-License-Identifier: GPL-2.0-only
#include "discover/iommu.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "discover/vtd_regs.h"
#include "sysfs/sysroot.h"

#define BIT(e, n) ((bool)(((e) >> (n)) & 1))

void vtd_decode(uint64_t cap, uint64_t ecap, struct vtd_facts *f)
{
	f->coherent = BIT(ecap, VTD_ECAP_C);
	f->pass_through = BIT(ecap, VTD_ECAP_PT);
	f->snoop_control = BIT(ecap, VTD_ECAP_SC);
	f->nested = BIT(ecap, VTD_ECAP_NEST);
	f->scalable_mode = BIT(ecap, VTD_ECAP_SMTS);
	f->second_level_ad = BIT(ecap, VTD_ECAP_SLADS);
	f->first_level = BIT(ecap, VTD_ECAP_FLTS);
	f->caching_mode = BIT(cap, VTD_CAP_CM);
	f->mgaw = (unsigned int)((cap >> VTD_CAP_MGAW_SHIFT) & VTD_CAP_MGAW_MASK) + 1;
	f->sagaw = (unsigned int)((cap >> VTD_CAP_SAGAW_SHIFT) & VTD_CAP_SAGAW_MASK);
}

void amdvi_decode(uint64_t features, struct amdvi_facts *f)
{
	f->ppr = BIT(features, 1);
	f->x2apic = BIT(features, 2);
	f->nx = BIT(features, 3);
	f->gt = BIT(features, 4);
	f->ga = BIT(features, 7);
	f->he = BIT(features, 8);
	f->pc = BIT(features, 9);
	f->pasmax = (unsigned int)((features >> 32) & 0x1f);
}

/* 6.12 prints "efr:efr2"; kernels before 6.7 print only "efr". */
static int read_amd_features(const char *path, uint64_t *efr)
{
	char buf[64], *end;

	if (sysfs_read(path, buf, sizeof(buf)))
		return -ENOENT;
	errno = 0;
	*efr = strtoull(buf, &end, 16);
	if (errno || end == buf || (*end && *end != ':'))
		return -EINVAL;
	return 0;
}

enum fact iommu_unit_can_enforce(const struct iommu_unit *u)
{
	struct vtd_facts f;

	switch (u->kind) {
	case IOMMU_KIND_INTEL_VTD:
		if (!u->have_regs)
			return FACT_UNKNOWN;
		vtd_decode(u->cap, u->ecap, &f);
		return f.snoop_control ? FACT_YES : FACT_NO;
	case IOMMU_KIND_AMD_VI:
		/* AMD-Vi page tables always carry FC (force coherent). */
		return FACT_YES;
	default:
		/* SMMUv3 exposes no registers; enforcement depends on IORT CANWBS. */
		return FACT_UNKNOWN;
	}
}

/* The registers of a VT-d (ecap, cap) or AMD-Vi (features, cap) unit. */
static int read_vtd(struct iommu_unit *u, const char *ecap, const char *cap)
{
	u->kind = IOMMU_KIND_INTEL_VTD;
	if (sysfs_read_u64(ecap, 16, &u->ecap) || sysfs_read_u64(cap, 16, &u->cap))
		return -EINVAL;
	u->have_regs = true;
	return 0;
}

static int read_amdvi(struct iommu_unit *u, const char *features, const char *cap)
{
	u->kind = IOMMU_KIND_AMD_VI;
	if (read_amd_features(features, &u->ecap))
		return -EINVAL;
	/* cap is optional in captures: public logs never print it. */
	if (sysfs_read_u64(cap, 16, &u->cap))
		u->cap = 0;
	u->have_regs = true;
	return 0;
}

void iommu_unit_read(struct iommu_unit *u, const char *name, FILE *err)
{
	char path[512], path2[512];

	memset(u, 0, sizeof(*u));
	snprintf(u->name, sizeof(u->name), "%s", name);
	u->kind = IOMMU_KIND_OTHER;
	path_fmt(path, sizeof(path), "/sys/class/iommu/%s/intel-iommu/ecap", name);
	path_fmt(path2, sizeof(path2), "/sys/class/iommu/%s/intel-iommu/cap", name);
	if (sysfs_exists(path)) {
		if (read_vtd(u, path, path2) && err)
			fprintf(err, "snoopcheck: %s: cannot parse VT-d cap/ecap\n", name);
	} else {
		path_fmt(path, sizeof(path), "/sys/class/iommu/%s/amd-iommu/features", name);
		path_fmt(path2, sizeof(path2), "/sys/class/iommu/%s/amd-iommu/cap", name);
		if (sysfs_exists(path)) {
			if (read_amdvi(u, path, path2) && err)
				fprintf(err, "snoopcheck: %s: cannot parse AMD-Vi features\n",
					name);
		} else if (!strncmp(name, "smmu3.", 6)) {
			u->kind = IOMMU_KIND_ARM_SMMUV3;
		}
	}
	u->enforces_coherency = iommu_unit_can_enforce(u);
}

int iommu_units_discover(struct iommu_unit **units, size_t *n, FILE *err)
{
	char **names;
	int cnt = sysfs_list("/sys/class/iommu", &names);

	*units = NULL;
	*n = 0;
	if (cnt == -ENOENT)
		return 0;
	if (cnt < 0)
		return cnt;
	if (cnt) {
		*units = calloc((size_t)cnt, sizeof(**units));
		if (!*units) {
			sysfs_list_free(names);
			return -ENOMEM;
		}
	}
	for (int i = 0; i < cnt; i++)
		iommu_unit_read(&(*units)[i], names[i], err);
	*n = (size_t)cnt;
	sysfs_list_free(names);
	return 0;
}

void iommu_print_facts(FILE *f, const struct iommu_unit *u)
{
	if (!u->have_regs) {
		fprintf(f, u->kind == IOMMU_KIND_ARM_SMMUV3 ?
			"no registers in sysfs; coherency depends on IORT CANWBS" :
			"registers not readable");
		return;
	}
	if (u->kind == IOMMU_KIND_INTEL_VTD) {
		struct vtd_facts v;

		vtd_decode(u->cap, u->ecap, &v);
		fprintf(f, "SC=%d PT=%d C=%d NEST=%d SMTS=%d SLADS=%d FLTS=%d CM=%d MGAW=%u",
			v.snoop_control, v.pass_through, v.coherent, v.nested,
			v.scalable_mode, v.second_level_ad, v.first_level,
			v.caching_mode, v.mgaw);
	} else if (u->kind == IOMMU_KIND_AMD_VI) {
		struct amdvi_facts a;

		amdvi_decode(u->ecap, &a);
		fprintf(f, "always coherent (PTE FC) PPR=%d X2APIC=%d NX=%d GT=%d GA=%d HE=%d PC=%d PASMAX=%u",
			a.ppr, a.x2apic, a.nx, a.gt, a.ga, a.he, a.pc, a.pasmax);
	}
}

const char *iommu_kind_name(enum iommu_kind kind)
{
	switch (kind) {
	case IOMMU_KIND_NONE: return "none";
	case IOMMU_KIND_INTEL_VTD: return "intel-vtd";
	case IOMMU_KIND_AMD_VI: return "amd-vi";
	case IOMMU_KIND_ARM_SMMUV3: return "arm-smmuv3";
	case IOMMU_KIND_OTHER: return "other";
	}
	return "other";
}
