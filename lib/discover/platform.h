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

#include "base/fact.h"
#include "discover/allowlist.h"
#include "discover/iommu.h"
#include "discover/kernelid.h"
#include "discover/pci.h"

struct kernel_facts {
	char release[128];		/* /proc/sys/kernel/osrelease */
	char version[512];		/* /proc/version */
	char cmdline[2048];		/* /proc/cmdline */
	char iommu_args[512];		/* the IOMMU-related words of cmdline */
	bool dev_iommu;			/* /dev/iommu (iommufd) */
	bool dev_vfio;			/* /dev/vfio/vfio (group container) */
	bool vfio_cdev;			/* CONFIG_VFIO_DEVICE_CDEV, else /dev/vfio/devices */
	bool vfio_pci_driver;		/* /sys/bus/pci/drivers/vfio-pci */
	bool intel_debugfs;		/* /sys/kernel/debug/iommu/intel */
	enum fact debugfs_readable;	/* unknown when not root */
	struct kernel_identity id;	/* build-id, config, arch, git commit */
};

struct dmi_ident {			/* /sys/class/dmi/id; "" when absent */
	char sys_vendor[128];
	char product_name[128];
	char board_vendor[128];
	char board_name[128];
	char bios_version[128];
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

#endif
