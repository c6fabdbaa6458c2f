// SPDX-License-Identifier: GPL-2.0-only
#include "vfio/devctl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <pci/pci.h>

#include "vfio/vfio_region.h"

/* libpci's complaint, if any, on stderr: the caller says what it was doing. */
static int said(int ret, const char *msg)
{
	if (msg[0])
		fprintf(stderr, "pcilib: %s\n", msg);
	return ret;
}

int devctl_read_libpci(const char *bdf, struct devctl_view *v)
{
	char msg[512];

	return said(pcidev_devctl_read(bdf, v, msg, sizeof(msg)), msg);
}

int devctl_write_libpci(const char *bdf, uint16_t devctl)
{
	char msg[512];

	return said(pcidev_devctl_write(bdf, devctl, msg, sizeof(msg)), msg);
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

int devctl_journal(struct journal *j, const char *bdf, uint16_t orig)
{
	struct journal_rec r;

	memset(&r, 0, sizeof(r));
	snprintf(r.bdf, sizeof(r.bdf), "%s", bdf);
	snprintf(r.step, sizeof(r.step), "%s", JOURNAL_STEP_DEVCTL);
	r.pid = (long)getpid();
	r.devctl = orig;
	r.orig.sriov_numvfs = -1;
	return journal_append(j, &r);
}

int devctl_forget(struct journal *j, const char *bdf)
{
	return journal_forget(j->dir, (long)getpid(), bdf, JOURNAL_STEP_DEVCTL, stderr);
}

bool devctl_ens(uint16_t devctl)
{
	return pcie_devctl_ens(devctl);
}

uint16_t devctl_with_ens(uint16_t devctl, bool on)
{
	return pcie_devctl_with_ens(devctl, on);
}

bool devctl_integrated(int pcie_type)
{
	return pcie_type == PCI_EXP_TYPE_ROOT_INT_EP;
}
