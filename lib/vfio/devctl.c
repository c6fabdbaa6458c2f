// SPDX-License-Identifier: GPL-2.0-only
#include "vfio/devctl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pci/pci.h>

#include "vfio/vfio_region.h"

static struct pci_dev *open_dev(struct pci_access **acc, const char *bdf)
{
	struct pci_filter f;
	char slot[32];
	struct pci_dev *d;

	snprintf(slot, sizeof(slot), "%s", bdf);
	*acc = pci_alloc();
	pci_init(*acc);
	pci_filter_init(*acc, &f);
	if (pci_filter_parse_slot(&f, slot) || f.bus < 0 || f.slot < 0 || f.func < 0) {
		pci_cleanup(*acc);
		return NULL;
	}
	d = pci_get_dev(*acc, f.domain < 0 ? 0 : f.domain, f.bus, f.slot, f.func);
	/* A fresh device per call: no cached config from an earlier read. */
	if (d && (pci_fill_info(d, PCI_FILL_IDENT | PCI_FILL_CAPS) & PCI_FILL_IDENT) &&
	    d->vendor_id != 0xffff)
		return d;
	if (d)
		pci_free_dev(d);
	pci_cleanup(*acc);
	return NULL;
}

static void close_dev(struct pci_access *acc, struct pci_dev *d)
{
	pci_free_dev(d);
	pci_cleanup(acc);
}

int devctl_read_libpci(const char *bdf, struct devctl_view *v)
{
	struct pci_access *acc;
	struct pci_dev *d = open_dev(&acc, bdf);
	struct pci_cap *cap;

	memset(v, 0, sizeof(*v));
	if (!d)
		return -ENODEV;
	cap = pci_find_cap(d, PCI_CAP_ID_EXP, PCI_CAP_NORMAL);
	if (!cap) {
		close_dev(acc, d);
		return -ENOTSUP;
	}
	v->cap = cap->addr;
	v->pcie_type = (pci_read_word(d, cap->addr + PCI_EXP_FLAGS) & PCI_EXP_FLAGS_TYPE) >> 4;
	v->devctl = pci_read_word(d, cap->addr + PCI_EXP_DEVCTL);
	close_dev(acc, d);
	return 0;
}

int devctl_write_libpci(const char *bdf, uint16_t devctl)
{
	struct pci_access *acc;
	struct pci_dev *d = open_dev(&acc, bdf);
	struct pci_cap *cap;
	int ret = -ENOTSUP;

	if (!d)
		return -ENODEV;
	cap = pci_find_cap(d, PCI_CAP_ID_EXP, PCI_CAP_NORMAL);
	if (cap)
		ret = pci_write_word(d, cap->addr + PCI_EXP_DEVCTL, devctl) ? 0 : -EIO;
	close_dev(acc, d);
	return ret;
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
