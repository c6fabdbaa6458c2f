/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCI devices through libpci: the live machine (sysfs method) or an
 * `lspci -xxxx` file (libpci's dump method), read by the same code. Reads
 * never modify config space.
 */
#ifndef SNOOP_PCI_H
#define SNOOP_PCI_H

#include <stddef.h>
#include <stdio.h>

#include "discover/platform.h"

struct pci_access;

/*
 * dump NULL: the live machine; else an lspci -x/-xxx/-xxxx file. Returns
 * NULL after printing libpci's complaint, prefixed with the file, to err.
 */
struct pci_access *pcidev_open(const char *dump, FILE *err);
void pcidev_close(struct pci_access *a);

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
