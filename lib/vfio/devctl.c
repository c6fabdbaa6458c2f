// SPDX-License-Identifier: GPL-2.0-only
#include "vfio/devctl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pci/pci.h>

#include "discover/pci.h"
#include "vfio/vfio_region.h"

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
	struct pci_dev *d = find_dev(acc, op->bdf);
	struct pci_cap *cap;
	int ret = -ENOTSUP;

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
static int run_libpci(struct devctl_op *op)
{
	char msg[512];
	int ret = pcidev_guarded(devctl_op_on, op, msg, sizeof(msg));

	if (msg[0])
		fprintf(stderr, "pcilib: %s\n", msg);
	return ret;
}

int devctl_read_libpci(const char *bdf, struct devctl_view *v)
{
	struct devctl_op op = { .bdf = bdf, .v = v };

	memset(v, 0, sizeof(*v));
	return run_libpci(&op);
}

int devctl_write_libpci(const char *bdf, uint16_t devctl)
{
	struct devctl_op op = { .bdf = bdf, .devctl = devctl };

	return run_libpci(&op);
}

int devctl_read_vfio(int device_fd, struct devctl_view *v)
{
	uint16_t flags;
	int ret;

	memset(v, 0, sizeof(*v));
	ret = vfio_config_find_cap(device_fd, PCI_CAP_ID_EXP);
	if (ret <= 0)
		return ret ? ret : -ENOTSUP;
	v->cap = ret;
	ret = vfio_config_read16(device_fd, (uint32_t)v->cap + PCI_EXP_FLAGS, &flags);
	if (!ret)
		ret = vfio_config_read16(device_fd, (uint32_t)v->cap + PCI_EXP_DEVCTL,
					 &v->devctl);
	v->pcie_type = (flags & PCI_EXP_FLAGS_TYPE) >> 4;
	return ret;
}

int devctl_write_vfio(int device_fd, uint16_t devctl)
{
	int cap = vfio_config_find_cap(device_fd, PCI_CAP_ID_EXP);

	if (cap <= 0)
		return cap ? cap : -ENOTSUP;
	return vfio_config_write16(device_fd, (uint32_t)cap + PCI_EXP_DEVCTL, devctl);
}

bool devctl_ens(uint16_t devctl)
{
	return devctl & PCI_EXP_DEVCTL_NOSNOOP;
}

uint16_t devctl_with_ens(uint16_t devctl, bool on)
{
	return on ? (devctl | PCI_EXP_DEVCTL_NOSNOOP)
		  : (devctl & (uint16_t)~PCI_EXP_DEVCTL_NOSNOOP);
}

bool devctl_integrated(int pcie_type)
{
	return pcie_type == PCI_EXP_TYPE_ROOT_INT_EP;
}
