/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PCIe Device Control, the register whose "Enable No Snoop" bit (bit 11)
 * lets a device set the No-Snoop attribute on its requests at all. Two
 * views of the same register: libpci (the kernel's sysfs config file, the
 * host's view; lib/discover/pci.c) and the VFIO config region (what a VFIO
 * user sees and writes). vfio-pci passes this register through, so both
 * must agree.
 *
 * Whoever changes it journals the original first (devctl_journal()), as
 * binding steps are journalled: a kill or a libpci error then leaves a
 * record that `runner restore` puts back.
 */
#ifndef SNOOP_DEVCTL_H
#define SNOOP_DEVCTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "discover/pci.h"
#include "host/journal.h"

/*
 * Read through libpci. 0; -ENODEV no such device; -ENOTSUP not PCIe; -EIO
 * when libpci itself gave up (its complaint on stderr; the process goes on).
 */
int devctl_read_libpci(const char *bdf, struct devctl_view *v);
/* Write DevCtl through libpci. 0 or -errno, as above. */
int devctl_write_libpci(const char *bdf, uint16_t devctl);

/* The same through the VFIO config region of an open device. */
int devctl_read_vfio(int device_fd, struct devctl_view *v);
int devctl_write_vfio(int device_fd, uint16_t devctl);

/*
 * Before the first change of bdf's DevCtl: journal its original value
 * (step "devctl", this process's pid) in j, fsync'd. Change nothing when
 * this fails: 0, or -errno with j->why saying why.
 */
int devctl_journal(struct journal *j, const char *bdf, uint16_t orig);
/*
 * bdf's DevCtl is back and checked: its record leaves the journal. 0 or
 * -errno (the record stays; `runner restore` then finds nothing to do).
 */
int devctl_forget(struct journal *j, const char *bdf);

bool devctl_ens(uint16_t devctl);
uint16_t devctl_with_ens(uint16_t devctl, bool on);
/* Root Complex Integrated Endpoint: DevCtl ENS is not what decides there. */
bool devctl_integrated(int pcie_type);

#endif
