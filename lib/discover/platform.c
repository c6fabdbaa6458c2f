// SPDX-License-Identifier: GPL-2.0-only
#include "discover/platform.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "discover/dumpcheck.h"
#include "discover/iommu.h"
#include "discover/kernelid.h"
#include "discover/pci.h"
#include "sysfs/sysroot.h"

static void read_or_empty(const char *path, char *buf, size_t len)
{
	if (sysfs_read(path, buf, len))
		buf[0] = '\0';
}

/* The words of the command line that change IOMMU or VFIO behaviour. */
static void iommu_args(const char *cmdline, char *out, size_t len)
{
	static const char *const prefixes[] = {
		"intel_iommu=", "amd_iommu=", "iommu=", "iommu.", "vfio",
		"vfio_iommu_type1.", "vfio-pci.", "intremap=", NULL
	};
	const char *p = cmdline;
	size_t used = 0;

	out[0] = '\0';
	while (*p) {
		size_t wl;

		while (*p == ' ')
			p++;
		wl = strcspn(p, " ");
		for (const char *const *pre = prefixes; wl && *pre; pre++) {
			if (strncmp(p, *pre, strlen(*pre)))
				continue;
			if (used + wl + 2 < len) {
				used += (size_t)snprintf(out + used, len - used, "%s%.*s",
							 used ? " " : "", (int)wl, p);
			}
			break;
		}
		p += wl;
	}
}

static void kernel_facts(struct kernel_facts *k)
{
	const char *cdev;

	read_or_empty("/proc/sys/kernel/osrelease", k->release, sizeof(k->release));
	read_or_empty("/proc/version", k->version, sizeof(k->version));
	read_or_empty("/proc/cmdline", k->cmdline, sizeof(k->cmdline));
	iommu_args(k->cmdline, k->iommu_args, sizeof(k->iommu_args));
	kernelid_read(&k->id, k->release);
	k->dev_iommu = sysfs_exists("/dev/iommu");
	k->dev_vfio = sysfs_exists("/dev/vfio/vfio");
	/* /sys/class/vfio-dev is there since 6.1, cdev or not: the option
	 * says, or without a known config the cdev directory does. */
	cdev = kernelid_option(&k->id, "CONFIG_VFIO_DEVICE_CDEV");
	k->vfio_cdev = *cdev ? !strcmp(cdev, "y") : sysfs_exists("/dev/vfio/devices");
	k->vfio_pci_driver = sysfs_exists("/sys/bus/pci/drivers/vfio-pci");
	k->intel_debugfs = sysfs_exists("/sys/kernel/debug/iommu/intel");
	/* debugfs is root-only; not seeing it as a user says nothing. */
	k->debugfs_readable = sysfs_exists("/sys/kernel/debug/iommu") ? FACT_YES :
			      sysroot_replay_dir() || geteuid() == 0 ? FACT_NO :
			      FACT_UNKNOWN;
}

static void dmi_ident(struct dmi_ident *d)
{
	read_or_empty("/sys/class/dmi/id/sys_vendor", d->sys_vendor, sizeof(d->sys_vendor));
	read_or_empty("/sys/class/dmi/id/product_name", d->product_name, sizeof(d->product_name));
	read_or_empty("/sys/class/dmi/id/board_vendor", d->board_vendor, sizeof(d->board_vendor));
	read_or_empty("/sys/class/dmi/id/board_name", d->board_name, sizeof(d->board_name));
	read_or_empty("/sys/class/dmi/id/bios_version", d->bios_version, sizeof(d->bios_version));
}

/* Driver, IOMMU group and unit: read at their canonical sysfs paths. */
static void device_sysfs(struct pci_device_info *dev)
{
	char path[256], name[64];

	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/driver", dev->bdf);
	if (sysfs_link_name(path, dev->driver, sizeof(dev->driver)))
		dev->driver[0] = '\0';
	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu", dev->bdf);
	if (sysfs_link_name(path, dev->iommu, sizeof(dev->iommu)))
		dev->iommu[0] = '\0';
	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", dev->bdf);
	if (!sysfs_link_name(path, name, sizeof(name))) {
		dev->iommu_group = atoi(name);
		path_fmt(path, sizeof(path), "/sys/kernel/iommu_groups/%d/type",
			 dev->iommu_group);
		read_or_empty(path, dev->group_type, sizeof(dev->group_type));
	}
}

/* FNV-1a: a short stable hash for the platform id. */
static uint32_t fnv1a(const char *s, uint32_t h)
{
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static void slug(char *out, size_t len, const char *in)
{
	size_t o = 0;

	for (; *in && o + 1 < len; in++) {
		char c = *in;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[o++] = c;
		else if (o && out[o - 1] != '-')
			out[o++] = '-';
	}
	while (o && out[o - 1] == '-')
		o--;
	out[o] = '\0';
}

/*
 * Hardware identity only (DMI and the sorted PCI IDs), never the kernel,
 * so the same machine keeps its id across kernels.
 */
static void platform_id(struct platform *p)
{
	char ident[300], s[49];
	uint32_t h = 2166136261u;

	snprintf(ident, sizeof(ident), "%s %s", p->dmi.sys_vendor,
		 p->dmi.product_name[0] ? p->dmi.product_name : p->dmi.board_name);
	slug(s, sizeof(s), ident);
	for (size_t i = 0; i < p->n_devs; i++) {
		char ids[16];

		snprintf(ids, sizeof(ids), "%04x:%04x ", p->devs[i].vendor, p->devs[i].device);
		h = fnv1a(ids, h);
	}
	snprintf(p->platform_id, sizeof(p->platform_id), "%s-%08x",
		 s[0] ? s : "unknown", h);
}

int platform_discover(struct platform *p, const char *from_dir,
		      const struct allowlist *allow)
{
	char dump[4096 + 32];
	struct pci_access *a;
	int ret;

	memset(p, 0, sizeof(*p));
	sysroot_replay_from(from_dir);
	snprintf(p->source, sizeof(p->source), "%s", from_dir ? from_dir : "live");
	if (from_dir) {
		snprintf(dump, sizeof(dump), "%s/lspci-xxxx.txt", from_dir);
		if (access(dump, R_OK)) {
			fprintf(stderr, "%s: cannot read: %s (expected a capture made by 'runner capture')\n",
				dump, strerror(errno));
			return -ENOENT;
		}
		if (dump_check(dump, stderr))
			return -EINVAL;
	}
	kernel_facts(&p->kernel);
	dmi_ident(&p->dmi);
	ret = iommu_units_discover(&p->units, &p->n_units, stderr);
	if (ret)
		return ret;
	a = pcidev_open(from_dir ? dump : NULL, stderr);
	if (!a)
		return -EINVAL;
	ret = pcidev_scan(a, &p->devs, &p->n_devs, stderr);
	pcidev_close(a);
	if (ret)
		return ret;
	p->is_root = from_dir ? true : geteuid() == 0;
	for (size_t i = 0; i < p->n_devs; i++) {
		struct pci_device_info *d = &p->devs[i];
		const struct allow_entry *e;

		device_sysfs(d);
		for (size_t u = 0; u < p->n_units; u++)
			if (!strcmp(p->units[u].name, d->iommu))
				p->units[u].n_devices++;
		e = allow ? allowlist_lookup(allow, d->driver, d->vendor, d->device) : NULL;
		d->allow = e ? e->cls : ALLOW_UNKNOWN;
		d->allow_evidence = e ? e->evidence : NULL;
	}
	platform_id(p);
	return 0;
}

void platform_free(struct platform *p)
{
	free(p->units);
	free(p->devs);
	p->units = NULL;
	p->devs = NULL;
	p->n_units = p->n_devs = 0;
}

const struct iommu_unit *platform_unit(const struct platform *p, const char *name)
{
	for (size_t i = 0; i < p->n_units; i++)
		if (!strcmp(p->units[i].name, name))
			return &p->units[i];
	return NULL;
}

const struct pci_device_info *platform_device(const struct platform *p,
					      const char *bdf)
{
	for (size_t i = 0; i < p->n_devs; i++)
		if (!strcmp(p->devs[i].bdf, bdf))
			return &p->devs[i];
	return NULL;
}
