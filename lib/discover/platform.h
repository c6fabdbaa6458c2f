/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What discovery found on one machine (live or from a capture): kernel
 * facts, IOMMU units and PCI devices. Filled by platform_discover(), read by
 * the list/JSON/results writers and by the verdict code. Read-only: nothing
 * here changes the machine.
 */
#ifndef SNOOP_PLATFORM_H
#define SNOOP_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "discover/allowlist.h"

enum iommu_kind {
	IOMMU_KIND_NONE,
	IOMMU_KIND_INTEL_VTD,
	IOMMU_KIND_AMD_VI,
	IOMMU_KIND_ARM_SMMUV3,
	IOMMU_KIND_OTHER,
};

/* A tri-state fact: known true, known false, or not known (with a reason). */
enum fact { FACT_UNKNOWN = -1, FACT_NO = 0, FACT_YES = 1 };

struct iommu_unit {
	char name[64];			/* sysfs name: dmar0, ivhd0, ... */
	enum iommu_kind kind;
	bool have_regs;			/* cap/ecap (VT-d) or cap/features (AMD) read */
	uint64_t cap;			/* VT-d cap_reg; AMD-Vi capability header */
	uint64_t ecap;			/* VT-d ecap_reg; AMD-Vi extended features */
	enum fact enforces_coherency;	/* can this unit block No-Snoop? */
	size_t n_devices;		/* PCI devices it serves (from device links) */
};

struct kernel_facts {
	char release[128];		/* /proc/sys/kernel/osrelease */
	char version[512];		/* /proc/version */
	char cmdline[2048];		/* /proc/cmdline */
	char iommu_args[512];		/* the IOMMU-related words of cmdline */
	bool dev_iommu;			/* /dev/iommu (iommufd) */
	bool dev_vfio;			/* /dev/vfio/vfio (group container) */
	bool vfio_cdev;			/* /sys/class/vfio-dev (device cdev) */
	bool vfio_pci_driver;		/* /sys/bus/pci/drivers/vfio-pci */
	bool intel_debugfs;		/* /sys/kernel/debug/iommu/intel */
	enum fact debugfs_readable;	/* unknown when not root */
};

struct dmi_ident {			/* /sys/class/dmi/id; "" when absent */
	char sys_vendor[128];
	char product_name[128];
	char board_vendor[128];
	char board_name[128];
	char bios_version[128];
};

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

struct platform {
	char source[4096];		/* "live" or the capture directory */
	bool is_root;			/* config space past 64 bytes readable */
	struct kernel_facts kernel;
	struct dmi_ident dmi;
	char platform_id[80];		/* stable, from hardware identity */
	struct iommu_unit *units;
	size_t n_units;
	struct pci_device_info *devs;
	size_t n_devs;
};

/*
 * Discover the platform. from_dir NULL: the live machine; else a capture
 * directory (sysfs under it, config space from its lspci-xxxx.txt through
 * libpci's dump method). allow may be NULL. Returns 0, or -errno with a
 * message printed (file and line for bad input).
 */
int platform_discover(struct platform *p, const char *from_dir,
		      const struct allowlist *allow);
void platform_free(struct platform *p);

const struct iommu_unit *platform_unit(const struct platform *p,
				       const char *name);
const struct pci_device_info *platform_device(const struct platform *p,
					      const char *bdf);
const char *iommu_kind_name(enum iommu_kind kind);
const char *fact_name(enum fact f);	/* "yes", "no", "unknown" */

#endif
