/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The in-use guard: is something on this machine using a PCI device that a
 * run would take away from its driver? Each check writes its reasons to
 * why ("" when none) and returns 1 in use, 0 not. A check that cannot see
 * enough to tell says so and returns 1: not knowing is not "free".
 * All reads go through sysroot, so recorded trees replay the same checks.
 */
#ifndef SNOOP_INUSE_H
#define SNOOP_INUSE_H

#include <stddef.h>

/* A block device under it (partitions, NVMe multipath heads included)
 * with a mounted filesystem, active swap, a holder (dm, md), or a process
 * that has it open (a VM's disk, dd). */
int inuse_block(const char *bdf, char *why, size_t len);
/* An NVMe controller or generic namespace character device under it
 * (/dev/nvme0, /dev/ng0n1) that a process has open. */
int inuse_nvme_char(const char *bdf, char *why, size_t len);
/* A network interface that is up with an address or a route, its own or
 * one on a device stacked on it: the bridge, bond or team it is enslaved
 * to, a VLAN (IPv6 link-local and multicast ones do not count: every up
 * link has them). */
int inuse_net(const char *bdf, char *why, size_t len);
/* A DRM card/render node some process has open, or the console on it
 * (boot VGA with a driver bound, or a framebuffer). */
int inuse_drm(const char *bdf, char *why, size_t len);
/* A virtio vsock device under it (virtio-pci) with its transport driver
 * bound: a VM's control channel (the cloud agent) runs over it. */
int inuse_vsock(const char *bdf, char *why, size_t len);
/* All of the above; reasons joined with "; ". */
int inuse_check(const char *bdf, char *why, size_t len);

#endif
