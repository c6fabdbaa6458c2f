// SPDX-License-Identifier: GPL-2.0-only
#include "judge/readback.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonfile.h"
#include "discover/allowlist.h"
#include "discover/iommu.h"
#include "discover/pci.h"


static enum fact fact_of(json_object *o, const char *key)
{
	json_object *v = jmember(o, key);

	if (!json_object_is_type(v, json_type_boolean))
		return FACT_UNKNOWN;
	return json_object_get_boolean(v) ? FACT_YES : FACT_NO;
}

/* Registers as unit_to_json() writes them: lower-case hex, no 0x. */
static int hex(const char *s, uint64_t *v)
{
	if (!s || !*s || strspn(s, "0123456789abcdef") != strlen(s) || strlen(s) > 16)
		return -EINVAL;
	*v = strtoull(s, NULL, 16);
	return 0;
}

/* The names below are the writers' own, so the reverse maps ask them. */
static int kind_of(const char *s, enum iommu_kind *k)
{
	static const enum iommu_kind kinds[] = {
		IOMMU_KIND_NONE, IOMMU_KIND_INTEL_VTD, IOMMU_KIND_AMD_VI,
		IOMMU_KIND_ARM_SMMUV3, IOMMU_KIND_OTHER,
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (s && !strcmp(s, iommu_kind_name(kinds[i]))) {
			*k = kinds[i];
			return 0;
		}
	}
	return -EINVAL;
}

/* Device/Port Type is 4 bits; PCIE_TYPE_NONE is "not PCIe". */
static int pcie_type_of(const char *s, int *type)
{
	for (int t = PCIE_TYPE_NONE; t < 16; t++) {
		if (s && !strcmp(s, pcie_type_name(t))) {
			*type = t;
			return 0;
		}
	}
	return -EINVAL;
}

static enum allow_class allow_of(const char *s)
{
	if (s && !strcmp(s, allow_class_name(ALLOW_NEVER)))
		return ALLOW_NEVER;
	if (s && !strcmp(s, allow_class_name(ALLOW_MAY)))
		return ALLOW_MAY;
	return ALLOW_UNKNOWN;
}

static int read_unit(json_object *o, size_t i, struct iommu_unit *u, const char *name, FILE *err)
{
	const char *cap, *regs2, *key;
	int bad = 0;

	memset(u, 0, sizeof(*u));
	snprintf(u->name, sizeof(u->name), "%s", jmember_str(o, "name"));
	if (kind_of(jmember_str(o, "kind"), &u->kind)) {
		fprintf(err, "%s: $.platform.iommu_units[%zu].kind: unknown kind\n", name, i);
		bad++;
	}
	key = u->kind == IOMMU_KIND_AMD_VI ? "features" : "ecap";
	cap = jmember_str(o, "cap");
	regs2 = jmember_str(o, key);
	if (cap && hex(cap, &u->cap)) {
		fprintf(err, "%s: $.platform.iommu_units[%zu].cap: expected lower-case hex, got '%s'\n",
			name, i, cap);
		bad++;
	}
	if (regs2 && hex(regs2, &u->ecap)) {
		fprintf(err, "%s: $.platform.iommu_units[%zu].%s: expected lower-case hex, got '%s'\n",
			name, i, key, regs2);
		bad++;
	}
	/* Discovery writes both registers or neither. */
	if (!cap != !regs2) {
		fprintf(err, "%s: $.platform.iommu_units[%zu]: cap and %s must both be set or both null\n",
			name, i, key);
		bad++;
	}
	u->have_regs = cap && regs2 && !bad;
	u->enforces_coherency = fact_of(o, "enforces_coherency");
	u->n_devices = (size_t)json_object_get_int(jmember(o, "devices"));
	return bad;
}

static int read_device(json_object *o, size_t i, struct pci_device_info *d, const char *name,
		       FILE *err)
{
	const char *type = jmember_str(o, "pcie_type");
	json_object *v;
	int bad = 0;

	memset(d, 0, sizeof(*d));
	snprintf(d->bdf, sizeof(d->bdf), "%s", jmember_str(o, "bdf"));
	snprintf(d->driver, sizeof(d->driver), "%s", jmember_str(o, "driver") ? jmember_str(o, "driver") : "");
	snprintf(d->iommu, sizeof(d->iommu), "%s",
		 jmember_str(o, "iommu_unit") ? jmember_str(o, "iommu_unit") : "");
	v = jmember(o, "iommu_group");
	d->iommu_group = v ? json_object_get_int(v) : -1;
	v = jmember(o, "config_size");
	d->config_size = v ? json_object_get_int(v) : 0;
	if (pcie_type_of(type, &d->pcie_type)) {
		fprintf(err, "%s: $.platform.devices[%zu].pcie_type: '%s' is not a type this runner names\n",
			name, i, type ? type : "");
		d->pcie_type = PCIE_TYPE_NONE;
		bad++;
	}
	/* Only whether the capability exists is recorded, not its offset. */
	d->pcie_cap = d->pcie_type != PCIE_TYPE_NONE;
	d->ens = fact_of(o, "enable_no_snoop");
	d->allow = allow_of(jmember_str(o, "allowlist"));
	return bad;
}

int readback_platform(json_object *plat, struct platform *p, const char *name, FILE *err)
{
	json_object *units = jmember(plat, "iommu_units"), *devs = jmember(plat, "devices");
	size_t nu = json_object_array_length(units), nd = json_object_array_length(devs);
	int bad = 0;

	memset(p, 0, sizeof(*p));
	snprintf(p->platform_id, sizeof(p->platform_id), "%s",
		 jmember_str(plat, "platform_id") ? jmember_str(plat, "platform_id") : "");
	p->units = calloc(nu ? nu : 1, sizeof(*p->units));
	p->devs = calloc(nd ? nd : 1, sizeof(*p->devs));
	if (!p->units || !p->devs)
		return -ENOMEM;
	for (size_t i = 0; i < nu; i++)
		bad += read_unit(json_object_array_get_idx(units, i), i, &p->units[i], name, err);
	p->n_units = nu;
	for (size_t i = 0; i < nd; i++)
		bad += read_device(json_object_array_get_idx(devs, i), i, &p->devs[i], name, err);
	p->n_devs = nd;
	return bad;
}
