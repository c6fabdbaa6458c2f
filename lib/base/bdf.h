/* SPDX-License-Identifier: GPL-2.0-only */
/* PCI addresses as people type them and as sysfs names them. */
#ifndef SNOOP_BDF_H
#define SNOOP_BDF_H

#include <stdbool.h>
#include <stddef.h>

#define BDF_LEN 16	/* "0000:00:02.0" and its NUL, with room */

/*
 * Accept DDDD:BB:DD.F or BB:DD.F (domain 0), hex in either case, and write
 * the sysfs spelling (lower case, 4-digit domain) to out. false on garbage.
 */
bool bdf_normalize(const char *in, char out[BDF_LEN]);
/*
 * Does s start with a PCI address, as lspci and libpci's dump reader write
 * one: BB:DD.F or DDDD:BB:DD.F, fixed widths, and a 5-digit domain past
 * ffff (VMD)? *len is its length; what follows is the caller's business.
 */
bool bdf_prefix(const char *s, size_t *len);
/* The numbers of an address bdf_normalize() accepts: devfn is dev << 3 | fn. */
bool bdf_split(const char *in, unsigned int *domain, unsigned int *bus,
	       unsigned int *devfn);
/* Is this exactly a sysfs PCI device name? (Group members may be other buses.) */
bool bdf_is_pci_name(const char *name);

#endif
