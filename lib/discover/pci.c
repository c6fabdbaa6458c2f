// SPDX-License-Identifier: GPL-2.0-only
#include "discover/pci.h"

#include <errno.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <pci/pci.h>

#include "base/bdf.h"
#include "sysfs/sysroot.h"

/*
 * libpci's error callback must not return. We jump back to the call that
 * reached it, so bad input becomes an error return with libpci's own words
 * (for a dump, "dump: Malformed line N" and the like).
 */
static jmp_buf pci_jmp;
static char pci_msg[512];
static char pci_src[4096];

static void PCI_NONRET on_pci_error(char *msg, ...)
{
	va_list ap;

	va_start(ap, msg);
	vsnprintf(pci_msg, sizeof(pci_msg), msg, ap);
	va_end(ap);
	longjmp(pci_jmp, 1);
}

static void on_pci_warning(char *msg, ...)
{
	(void)msg;	/* libpci warns about things we report ourselves */
}

/* Every pci_access we make reports libpci's errors through on_pci_error. */
static struct pci_access *alloc_guarded(void)
{
	struct pci_access *a = pci_alloc();

	if (a)
		a->error = on_pci_error;
	return a;
}

int pcidev_guarded(int (*fn)(struct pci_access *a, void *arg), void *arg,
		   char *msg, size_t len)
{
	struct pci_access *volatile a = alloc_guarded();
	int ret;

	msg[0] = '\0';
	if (!a)
		return -ENOMEM;
	if (setjmp(pci_jmp)) {
		snprintf(msg, len, "%s", pci_msg);
		pci_cleanup(a);
		return -EIO;
	}
	if (sysroot_replay_dir()) {
		char path[PATH_MAX];

		/* the tree sysfs_write() writes into: a test's fake /sys */
		path_fmt(path, sizeof(path), "%s/sys/bus/pci", sysroot_replay_dir());
		a->method = PCI_ACCESS_SYS_BUS_PCI;
		pci_set_param(a, "sysfs.path", path);
	}
	pci_init(a);
	ret = fn(a, arg);
	pci_cleanup(a);
	return ret;
}

/* One DevCtl access through libpci: read into v, or write devctl. */
struct devctl_op {
	const char *bdf;
	struct devctl_view *v;	/* NULL: write */
	uint16_t devctl;
};

/* bdf on acc, or NULL when there is no such function. */
static struct pci_dev *find_dev(struct pci_access *acc, const char *bdf)
{
	struct pci_filter f;
	char slot[32];
	struct pci_dev *d;

	snprintf(slot, sizeof(slot), "%s", bdf);
	pci_filter_init(acc, &f);
	if (pci_filter_parse_slot(&f, slot) || f.bus < 0 || f.slot < 0 || f.func < 0)
		return NULL;
	d = pci_get_dev(acc, f.domain < 0 ? 0 : f.domain, f.bus, f.slot, f.func);
	/* A fresh device per call: no cached config from an earlier read. */
	if (d && (pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_CAPS) & PCI_FILL_IDENT) &&
	    d->vendor_id != 0xffff)
		return d;
	if (d)
		pci_free_dev(d);
	return NULL;
}

static int devctl_op_on(struct pci_access *acc, void *arg)
{
	struct devctl_op *op = arg;
	struct pci_dev *d;
	struct pci_cap *cap;
	char bdf[BDF_LEN], path[PATH_MAX];
	int ret = -ENOTSUP;

	/* libpci calls a missing device an error (no vendor file): say which */
	if (!bdf_normalize(op->bdf, bdf))
		return -ENODEV;
	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s", bdf);
	if (!sysfs_exists(path))
		return -ENODEV;
	d = find_dev(acc, bdf);
	if (!d)
		return -ENODEV;
	cap = pci_find_cap(d, PCI_CAP_ID_EXP, PCI_CAP_NORMAL);
	if (cap && op->v) {
		op->v->cap = cap->addr;
		op->v->pcie_type = (pci_read_word(d, cap->addr + PCI_EXP_FLAGS) &
				    PCI_EXP_FLAGS_TYPE) >> 4;
		op->v->devctl = pci_read_word(d, cap->addr + PCI_EXP_DEVCTL);
		ret = 0;
	} else if (cap) {
		ret = pci_write_word(d, cap->addr + PCI_EXP_DEVCTL, op->devctl) ? 0 : -EIO;
	}
	pci_free_dev(d);
	return ret;
}

/*
 * Through pcidev_guarded(): a libpci error (the device gone from sysfs
 * mid-test, say) must come back as an error return, not exit the process
 * while DevCtl is still modified; the caller then puts it back.
 */
int pcidev_devctl_read(const char *bdf, struct devctl_view *v, char *msg, size_t len)
{
	struct devctl_op op = { .bdf = bdf, .v = v };

	memset(v, 0, sizeof(*v));
	return pcidev_guarded(devctl_op_on, &op, msg, len);
}

int pcidev_devctl_write(const char *bdf, uint16_t devctl, char *msg, size_t len)
{
	struct devctl_op op = { .bdf = bdf, .devctl = devctl };

	return pcidev_guarded(devctl_op_on, &op, msg, len);
}

bool pcie_devctl_ens(uint16_t devctl)
{
	return devctl & PCI_EXP_DEVCTL_NOSNOOP;
}

uint16_t pcie_devctl_with_ens(uint16_t devctl, bool on)
{
	return on ? (devctl | PCI_EXP_DEVCTL_NOSNOOP)
		  : (devctl & (uint16_t)~PCI_EXP_DEVCTL_NOSNOOP);
}

struct pci_access *pcidev_open(const char *dump, FILE *err)
{
	struct pci_access *volatile a = alloc_guarded();

	if (!a)
		return NULL;
	a->warning = on_pci_warning;
	/* pci.ids only, no udev hwdb: names must not depend on the machine. */
	a->id_lookup_mode = PCI_LOOKUP_NO_HWDB;
	snprintf(pci_src, sizeof(pci_src), "%s", dump ? dump : "live sysfs");
	if (setjmp(pci_jmp)) {
		fprintf(err, "%s: %s\n", pci_src, pci_msg);
		pci_cleanup(a);
		return NULL;
	}
	if (dump) {
		a->method = PCI_ACCESS_DUMP;
		pci_set_param(a, "dump.name", (char *)dump);
	}
	pci_init(a);
	pci_scan_bus(a);
	return a;
}

void pcidev_close(struct pci_access *a)
{
	if (a)
		pci_cleanup(a);
}

/* How much config space is readable: 4096, 256, 64, or 0. */
static int config_size(struct pci_dev *d)
{
	static const int sizes[] = { 4096, 256, 64 };
	u8 byte;

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (pci_read_block(d, sizes[i] - 1, &byte, 1))
			return sizes[i];
	return 0;
}

static void fill_pcie(struct pci_dev *d, struct pci_device_info *info)
{
	struct pci_cap *cap;
	u16 flags, devctl;

	info->pcie_cap = 0;
	info->pcie_type = PCIE_TYPE_NONE;
	info->ens = FACT_UNKNOWN;
	if (info->config_size < 256)
		return;	/* capabilities live past 64 bytes: needs root */
	cap = pci_find_cap(d, PCI_CAP_ID_EXP, PCI_CAP_NORMAL);
	if (!cap) {
		info->ens = FACT_NO;	/* conventional PCI: no DevCtl at all */
		return;
	}
	info->pcie_cap = cap->addr;
	flags = pci_read_word(d, cap->addr + PCI_EXP_FLAGS);
	info->pcie_type = (flags & PCI_EXP_FLAGS_TYPE) >> 4;
	devctl = pci_read_word(d, cap->addr + PCI_EXP_DEVCTL);
	info->ens = (devctl & PCI_EXP_DEVCTL_NOSNOOP) ? FACT_YES : FACT_NO;
}

/* Names from pci.ids only; "" where the database has none. */
static void lookup(struct pci_access *a, char *buf, size_t len, int flags,
		   int id1, int id2)
{
	if (!pci_lookup_name(a, buf, (int)len, PCI_LOOKUP_NO_NUMBERS | flags, id1, id2))
		buf[0] = '\0';
}

static void fill_names(struct pci_access *a, struct pci_dev *d,
		       struct pci_device_info *info)
{
	lookup(a, info->vendor_name, sizeof(info->vendor_name), PCI_LOOKUP_VENDOR,
	       d->vendor_id, 0);
	lookup(a, info->device_name, sizeof(info->device_name), PCI_LOOKUP_DEVICE,
	       d->vendor_id, d->device_id);
	lookup(a, info->class_name, sizeof(info->class_name), PCI_LOOKUP_CLASS,
	       (int)(info->class_code >> 8), 0);
}

static int cmp_bdf(const void *x, const void *y)
{
	const struct pci_device_info *a = x, *b = y;

	return strcmp(a->bdf, b->bdf);
}

int pcidev_scan(struct pci_access *a, struct pci_device_info **devs,
		size_t *n, FILE *err)
{
	struct pci_device_info *volatile v = NULL;
	volatile size_t cnt = 0;
	struct pci_dev *d;

	if (setjmp(pci_jmp)) {
		fprintf(err, "%s: %s\n", pci_src, pci_msg);
		free(v);
		return -EINVAL;
	}
	for (d = a->devices; d; d = d->next)
		cnt++;
	v = calloc(cnt ? cnt : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	cnt = 0;
	for (d = a->devices; d; d = d->next) {
		struct pci_device_info *info = &v[cnt++];

		pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_CLASS | PCI_FILL_CLASS_EXT |
			      PCI_FILL_SUBSYS | PCI_FILL_CAPS);
		snprintf(info->bdf, sizeof(info->bdf), "%04x:%02x:%02x.%d",
			 d->domain, d->bus, d->dev, d->func);
		info->vendor = d->vendor_id;
		info->device = d->device_id;
		info->subsys_vendor = d->subsys_vendor_id == 0xffff ? 0 : d->subsys_vendor_id;
		info->subsys_device = d->subsys_id == 0xffff ? 0 : d->subsys_id;
		info->class_code = (uint32_t)d->device_class << 8 | d->prog_if;
		info->revision = d->rev_id;
		info->iommu_group = -1;
		info->config_size = config_size(d);
		fill_names(a, d, info);
		fill_pcie(d, info);
	}
	qsort(v, cnt, sizeof(*v), cmp_bdf);
	*devs = v;
	*n = cnt;
	return 0;
}

static int cmp_dev(const void *x, const void *y)
{
	struct pci_dev *const *a = x, *const *b = y;

	if ((*a)->domain != (*b)->domain)
		return (*a)->domain < (*b)->domain ? -1 : 1;
	if ((*a)->bus != (*b)->bus)
		return (*a)->bus - (*b)->bus;
	if ((*a)->dev != (*b)->dev)
		return (*a)->dev - (*b)->dev;
	return (*a)->func - (*b)->func;
}

int pcidev_write_dump(struct pci_access *a, FILE *out, FILE *err)
{
	struct pci_dev **sorted, *d;
	size_t cnt = 0, i = 0;
	u8 *cfg = malloc(4096);

	for (d = a->devices; d; d = d->next)
		cnt++;
	sorted = calloc(cnt ? cnt : 1, sizeof(*sorted));
	if (!sorted || !cfg) {
		free(sorted);
		free(cfg);
		return -ENOMEM;
	}
	for (d = a->devices; d; d = d->next)
		sorted[i++] = d;
	qsort(sorted, cnt, sizeof(*sorted), cmp_dev);
	for (i = 0; i < cnt; i++) {
		char cls[128], name[256];
		int size;

		d = sorted[i];
		pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_CLASS);
		size = config_size(d);
		if (!size || !pci_read_block(d, 0, cfg, size)) {
			fprintf(err, "%04x:%02x:%02x.%d: config space not readable\n",
				d->domain, d->bus, d->dev, d->func);
			continue;
		}
		/* The header line lspci prints; the dump reader needs only the BDF. */
		fprintf(out, "%04x:%02x:%02x.%d %s: %s\n", d->domain, d->bus, d->dev,
			d->func,
			pci_lookup_name(a, cls, sizeof(cls), PCI_LOOKUP_CLASS, d->device_class),
			pci_lookup_name(a, name, sizeof(name),
					PCI_LOOKUP_VENDOR | PCI_LOOKUP_DEVICE,
					d->vendor_id, d->device_id));
		for (int off = 0; off < size; off += 16) {
			fprintf(out, off < 256 ? "%02x:" : "%03x:", off);
			for (int b = 0; b < 16; b++)
				fprintf(out, " %02x", cfg[off + b]);
			fputc('\n', out);
		}
		fputc('\n', out);
	}
	free(sorted);
	free(cfg);
	return ferror(out) ? -EIO : 0;
}

const char *pcie_type_name(int type)
{
	switch (type) {
	case PCI_EXP_TYPE_ENDPOINT: return "endpoint";
	case PCI_EXP_TYPE_LEG_END: return "legacy endpoint";
	case PCI_EXP_TYPE_ROOT_PORT: return "root port";
	case PCI_EXP_TYPE_UPSTREAM: return "switch upstream";
	case PCI_EXP_TYPE_DOWNSTREAM: return "switch downstream";
	case PCI_EXP_TYPE_PCI_BRIDGE: return "pcie-to-pci bridge";
	case PCI_EXP_TYPE_PCIE_BRIDGE: return "pci-to-pcie bridge";
	case PCI_EXP_TYPE_ROOT_INT_EP: return "integrated endpoint";
	case PCI_EXP_TYPE_ROOT_EC: return "root complex event collector";
	case PCIE_TYPE_NONE: return "not PCIe";
	default: return "unknown";
	}
}

int pcie_is_integrated(int type)
{
	return type == PCI_EXP_TYPE_ROOT_INT_EP;
}
