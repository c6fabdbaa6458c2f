/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI devices through libpci: the live machine (sysfs method) or an
 * `lspci -xxxx` file (libpci's dump method), read by the same code. Reads
 * never modify config space.
 */
#ifndef SNOOP_PCI_H
#define SNOOP_PCI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/fact.h"
#include "discover/allowlist.h"

/* PCIe Device/Port Type (PCIe cap + 2, bits 7:4), as libpci's header.h. */
#define PCIE_TYPE_NONE (-1)

struct pci_device_info {
	char bdf[16];			/* 0000:00:02.0 */
	uint16_t vendor, device;
	uint16_t subsys_vendor, subsys_device;	/* 0 when unknown */
	uint32_t class_code;		/* base << 16 | sub << 8 | prog-if */
	uint8_t revision;
	char vendor_name[128];
	char device_name[256];
	char class_name[128];
	char driver[64];		/* bound driver, "" if none or unknown */
	int iommu_group;		/* -1 when none */
	char group_type[32];		/* DMA, DMA-FQ, identity, blocked, ... */
	char iommu[64];			/* name of the unit serving it, "" none */
	int config_size;		/* bytes of config space readable */
	int pcie_cap;			/* offset of the PCIe capability, 0 none */
	int pcie_type;			/* PCIE_TYPE_NONE if not PCIe */
	enum fact ens;			/* DevCtl Enable No Snoop */
	enum allow_class allow;		/* drivers-allowlist/ classification */
	const char *allow_evidence;	/* points into the loaded allowlist */
};

struct pci_access;

/*
 * dump NULL: the live machine; else an lspci -x/-xxx/-xxxx file. Returns
 * NULL after printing libpci's complaint, prefixed with the file, to err.
 */
struct pci_access *pcidev_open(const char *dump, FILE *err);
void pcidev_close(struct pci_access *a);

/*
 * libpci's default error callback prints and exits the process, which a
 * caller that has changed the machine (DevCtl written, to be put back)
 * cannot afford. pcidev_guarded() makes a live pci_access (pci_init done)
 * whose error callback jumps back here, runs fn on it and cleans up: fn's
 * result, -ENOMEM, or -EIO with libpci's complaint in msg (else msg is "").
 * What fn allocated from libpci when the jump came is not freed. Not
 * reentrant: one libpci call chain at a time, as everywhere in this file.
 */
int pcidev_guarded(int (*fn)(struct pci_access *a, void *arg), void *arg,
		   char *msg, size_t len);

/*
 * PCIe Device Control of one live function, through pcidev_guarded() and
 * libpci's sysfs method (the kernel's config file; under sysroot's replay
 * directory when there is one, as sysfs_write() writes there): the one
 * libpci DevCtl access that both lib/vfio (the host's view in a test) and
 * lib/host (restore putting a journalled value back) use.
 */
struct devctl_view {
	int cap;		/* offset of the PCIe capability, 0: none */
	int pcie_type;		/* Device/Port Type (PCI_EXP_FLAGS_TYPE >> 4) */
	uint16_t devctl;
};

/*
 * 0; -ENODEV no such device; -ENOTSUP not PCIe; -EIO when libpci itself
 * gave up, its complaint in msg (else msg is "").
 */
int pcidev_devctl_read(const char *bdf, struct devctl_view *v, char *msg, size_t len);
int pcidev_devctl_write(const char *bdf, uint16_t devctl, char *msg, size_t len);

/* DevCtl Enable No Snoop (bit 11), the one bit the runner ever changes. */
bool pcie_devctl_ens(uint16_t devctl);
uint16_t pcie_devctl_with_ens(uint16_t devctl, bool on);

/*
 * Fill *devs (sorted by BDF) with IDs, names, class, readable config size,
 * the PCIe capability, its Device/Port type and DevCtl Enable No Snoop.
 * Sysfs facts (driver, group, unit) are left for platform.c. 0 or -errno.
 */
int pcidev_scan(struct pci_access *a, struct pci_device_info **devs,
		size_t *n, FILE *err);

/* Write every device's readable config space in lspci -xxxx format. */
int pcidev_write_dump(struct pci_access *a, FILE *out, FILE *err);

/* "integrated endpoint", "endpoint", "root port", ... or "not PCIe". */
const char *pcie_type_name(int type);
/* An integrated endpoint sets cache attributes through its own page
 * tables, whatever DevCtl says; the verdict must know. */
int pcie_is_integrated(int type);

#endif
