// SPDX-License-Identifier: GPL-2.0-only
#include "discover/report.h"

#include <inttypes.h>
#include <string.h>

#include "discover/iommu.h"
#include "discover/pci.h"

static const char *or_unknown(const char *s)
{
	return s && *s ? s : "unknown";
}

static void print_units(FILE *f, const struct platform *p)
{
	if (!p->n_units) {
		fprintf(f, "IOMMU: none. No IOMMU unit is registered with this kernel\n"
			   "       (none in hardware, disabled in firmware, or off on the\n"
			   "       command line); VFIO can only use no-IOMMU mode here.\n");
		return;
	}
	fprintf(f, "IOMMU units:\n");
	fprintf(f, "  %-10s %-10s %-18s %-18s %-9s %-7s %s\n", "UNIT", "KIND", "CAP",
		"ECAP/FEATURES", "ENFORCES", "DEVICES", "FACTS");
	for (size_t i = 0; i < p->n_units; i++) {
		const struct iommu_unit *u = &p->units[i];
		char cap[20] = "-", ecap[20] = "-";

		if (u->have_regs) {
			snprintf(cap, sizeof(cap), "%" PRIx64, u->cap);
			snprintf(ecap, sizeof(ecap), "%" PRIx64, u->ecap);
		}
		fprintf(f, "  %-10s %-10s %-18s %-18s %-9s %-7zu ", u->name,
			iommu_kind_name(u->kind), cap, ecap,
			fact_name(u->enforces_coherency), u->n_devices);
		iommu_print_facts(f, u);
		fputc('\n', f);
	}
}

/* Names are long; a table cell keeps the start, which identifies. */
static void cell(FILE *f, const char *s, int width)
{
	int n = (int)strlen(s);

	if (n <= width)
		fprintf(f, "%-*s ", width, s);
	else
		fprintf(f, "%.*s~ ", width - 1, s);
}

static void print_devices(FILE *f, const struct platform *p)
{
	fprintf(f, "PCI devices:\n");
	fprintf(f, "  %-12s %-9s %-30s %-12s %-5s %-7s %-20s %-7s %s\n", "BDF", "ID",
		"NAME", "DRIVER", "GROUP", "UNIT", "PCIE TYPE", "NOSNOOP", "ALLOWLIST");
	for (size_t i = 0; i < p->n_devs; i++) {
		const struct pci_device_info *d = &p->devs[i];
		char id[10], grp[12], name[400];

		snprintf(id, sizeof(id), "%04x:%04x", d->vendor, d->device);
		if (d->iommu_group >= 0)
			snprintf(grp, sizeof(grp), "%d", d->iommu_group);
		else
			strcpy(grp, "-");
		snprintf(name, sizeof(name), "%s%s%s", d->vendor_name,
			 d->vendor_name[0] ? " " : "", d->device_name);
		fprintf(f, "  %-12s %-9s ", d->bdf, id);
		cell(f, name[0] ? name : "(not in pci.ids)", 30);
		cell(f, d->driver[0] ? d->driver : "-", 12);
		fprintf(f, "%-5s ", grp);
		cell(f, d->iommu[0] ? d->iommu : "-", 7);
		cell(f, pcie_type_name(d->pcie_type), 20);
		fprintf(f, "%-7s %s\n", fact_name(d->ens), allow_class_name(d->allow));
	}
	if (!p->is_root)
		fprintf(f, "  (not root: config space past 64 bytes is unreadable, so PCIe\n"
			   "   type and NoSnoop show as unknown; run as root to read them)\n");
}

/* The build's identity; the options only when a config was read. */
static void print_identity(FILE *f, const struct kernel_identity *id)
{
	fprintf(f, "  arch: %s  build-id: %s  git commit: %s\n", or_unknown(id->arch),
		or_unknown(id->build_id), or_unknown(id->git_commit));
	if (!id->config_source[0]) {
		fprintf(f, "  config: unknown (no /proc/config.gz, no /boot/config-RELEASE)\n");
		return;
	}
	fprintf(f, "  config (%s):", id->config_source);
	for (size_t i = 0; i < KERNELID_N_OPTIONS; i++)
		fprintf(f, " %s=%s", kernelid_option_name(i) + strlen("CONFIG_"),
			or_unknown(id->options[i]));
	fputc('\n', f);
}

void platform_print_table(FILE *f, const struct platform *p)
{
	const struct kernel_facts *k = &p->kernel;

	fprintf(f, "Platform: %s (source: %s)\n", p->platform_id, p->source);
	fprintf(f, "  DMI: %s / %s (board %s %s, BIOS %s)\n", or_unknown(p->dmi.sys_vendor),
		or_unknown(p->dmi.product_name), or_unknown(p->dmi.board_vendor),
		or_unknown(p->dmi.board_name), or_unknown(p->dmi.bios_version));
	fprintf(f, "Kernel: %s\n", or_unknown(k->release));
	print_identity(f, &k->id);
	fprintf(f, "  IOMMU command line: %s\n", k->iommu_args[0] ? k->iommu_args : "(none)");
	fprintf(f, "  /dev/iommu: %s  /dev/vfio/vfio: %s  vfio cdev: %s  vfio-pci: %s  intel debugfs: %s\n",
		k->dev_iommu ? "yes" : "no", k->dev_vfio ? "yes" : "no",
		k->vfio_cdev ? "yes" : "no", k->vfio_pci_driver ? "yes" : "no",
		k->intel_debugfs ? "yes" : fact_name(k->debugfs_readable == FACT_UNKNOWN ?
						     FACT_UNKNOWN : FACT_NO));
	print_units(f, p);
	print_devices(f, p);
}

static json_object *jstr(const char *s)
{
	return json_object_new_string(s ? s : "");
}

static json_object *jfact(enum fact v)
{
	return v == FACT_UNKNOWN ? NULL : json_object_new_boolean(v == FACT_YES);
}

static json_object *jhex(uint64_t v, int width)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%0*" PRIx64, width, v);
	return json_object_new_string(buf);
}

static json_object *jstr_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

/*
 * The kernel build's identity (results/schema.json "kernel"): unknown is
 * null, and "options" holds every option kernelid.c names, null each when
 * no config was read.
 */
static void identity_to_json(json_object *kern, const struct kernel_identity *id)
{
	json_object *config = json_object_new_object(), *opts = json_object_new_object();

	json_object_object_add(kern, "arch", jstr_or_null(id->arch));
	json_object_object_add(kern, "build_id", jstr_or_null(id->build_id));
	json_object_object_add(kern, "git_commit", jstr_or_null(id->git_commit));
	json_object_object_add(config, "source", jstr_or_null(id->config_source));
	for (size_t i = 0; i < KERNELID_N_OPTIONS; i++)
		json_object_object_add(opts, kernelid_option_name(i), jstr_or_null(id->options[i]));
	json_object_object_add(config, "options", opts);
	json_object_object_add(kern, "config", config);
}

json_object *unit_to_json(const struct iommu_unit *u)
{
	json_object *o = json_object_new_object();
	json_object *facts = json_object_new_object();

	json_object_object_add(o, "name", jstr(u->name));
	json_object_object_add(o, "kind", jstr(iommu_kind_name(u->kind)));
	json_object_object_add(o, "cap", u->have_regs ? jhex(u->cap, 1) : NULL);
	json_object_object_add(o, u->kind == IOMMU_KIND_AMD_VI ? "features" : "ecap",
			       u->have_regs ? jhex(u->ecap, 1) : NULL);
	json_object_object_add(o, "enforces_coherency", jfact(u->enforces_coherency));
	json_object_object_add(o, "devices", json_object_new_int((int)u->n_devices));
	if (u->have_regs && u->kind == IOMMU_KIND_INTEL_VTD) {
		struct vtd_facts v;

		vtd_decode(u->cap, u->ecap, &v);
		json_object_object_add(facts, "snoop_control", json_object_new_boolean(v.snoop_control));
		json_object_object_add(facts, "pass_through", json_object_new_boolean(v.pass_through));
		json_object_object_add(facts, "coherent_walks", json_object_new_boolean(v.coherent));
		json_object_object_add(facts, "nested", json_object_new_boolean(v.nested));
		json_object_object_add(facts, "scalable_mode", json_object_new_boolean(v.scalable_mode));
		json_object_object_add(facts, "second_level_dirty", json_object_new_boolean(v.second_level_ad));
		json_object_object_add(facts, "first_level", json_object_new_boolean(v.first_level));
		json_object_object_add(facts, "caching_mode", json_object_new_boolean(v.caching_mode));
		json_object_object_add(facts, "mgaw", json_object_new_int((int)v.mgaw));
	} else if (u->have_regs && u->kind == IOMMU_KIND_AMD_VI) {
		struct amdvi_facts a;

		amdvi_decode(u->ecap, &a);
		json_object_object_add(facts, "always_coherent", json_object_new_boolean(1));
		json_object_object_add(facts, "ppr", json_object_new_boolean(a.ppr));
		json_object_object_add(facts, "guest_translation", json_object_new_boolean(a.gt));
		json_object_object_add(facts, "pasmax", json_object_new_int((int)a.pasmax));
	}
	json_object_object_add(o, "facts", facts);
	return o;
}

json_object *device_to_json(const struct pci_device_info *d)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "bdf", jstr(d->bdf));
	json_object_object_add(o, "vendor", jhex(d->vendor, 4));
	json_object_object_add(o, "device", jhex(d->device, 4));
	json_object_object_add(o, "subsystem_vendor", jhex(d->subsys_vendor, 4));
	json_object_object_add(o, "subsystem_device", jhex(d->subsys_device, 4));
	json_object_object_add(o, "class", jhex(d->class_code, 6));
	json_object_object_add(o, "vendor_name", jstr(d->vendor_name));
	json_object_object_add(o, "device_name", jstr(d->device_name));
	json_object_object_add(o, "class_name", jstr(d->class_name));
	json_object_object_add(o, "driver", d->driver[0] ? jstr(d->driver) : NULL);
	json_object_object_add(o, "iommu_group", d->iommu_group >= 0 ?
			       json_object_new_int(d->iommu_group) : NULL);
	json_object_object_add(o, "group_type", d->group_type[0] ? jstr(d->group_type) : NULL);
	json_object_object_add(o, "iommu_unit", d->iommu[0] ? jstr(d->iommu) : NULL);
	json_object_object_add(o, "config_size", json_object_new_int(d->config_size));
	json_object_object_add(o, "pcie_type", jstr(pcie_type_name(d->pcie_type)));
	json_object_object_add(o, "integrated_endpoint",
			       json_object_new_boolean(pcie_is_integrated(d->pcie_type)));
	json_object_object_add(o, "enable_no_snoop", jfact(d->ens));
	json_object_object_add(o, "allowlist", jstr(allow_class_name(d->allow)));
	json_object_object_add(o, "allowlist_evidence",
			       d->allow_evidence ? jstr(d->allow_evidence) : NULL);
	return o;
}

json_object *platform_to_json(const struct platform *p)
{
	const struct kernel_facts *k = &p->kernel;
	json_object *o = json_object_new_object();
	json_object *kern = json_object_new_object();
	json_object *dmi = json_object_new_object();
	json_object *units = json_object_new_array();
	json_object *devs = json_object_new_array();

	json_object_object_add(o, "platform_id", jstr(p->platform_id));
	json_object_object_add(o, "source", jstr(p->source));
	json_object_object_add(dmi, "sys_vendor", jstr(p->dmi.sys_vendor));
	json_object_object_add(dmi, "product_name", jstr(p->dmi.product_name));
	json_object_object_add(dmi, "board_vendor", jstr(p->dmi.board_vendor));
	json_object_object_add(dmi, "board_name", jstr(p->dmi.board_name));
	json_object_object_add(dmi, "bios_version", jstr(p->dmi.bios_version));
	json_object_object_add(o, "dmi", dmi);
	json_object_object_add(kern, "release", jstr(k->release));
	json_object_object_add(kern, "version", jstr(k->version));
	json_object_object_add(kern, "cmdline", jstr(k->cmdline));
	json_object_object_add(kern, "iommu_args", jstr(k->iommu_args));
	json_object_object_add(kern, "dev_iommu", json_object_new_boolean(k->dev_iommu));
	json_object_object_add(kern, "dev_vfio", json_object_new_boolean(k->dev_vfio));
	json_object_object_add(kern, "vfio_cdev", json_object_new_boolean(k->vfio_cdev));
	json_object_object_add(kern, "vfio_pci_driver", json_object_new_boolean(k->vfio_pci_driver));
	json_object_object_add(kern, "intel_iommu_debugfs", json_object_new_boolean(k->intel_debugfs));
	identity_to_json(kern, &k->id);
	json_object_object_add(o, "kernel", kern);
	for (size_t i = 0; i < p->n_units; i++)
		json_object_array_add(units, unit_to_json(&p->units[i]));
	json_object_object_add(o, "iommu_units", units);
	for (size_t i = 0; i < p->n_devs; i++)
		json_object_array_add(devs, device_to_json(&p->devs[i]));
	json_object_object_add(o, "devices", devs);
	return o;
}
