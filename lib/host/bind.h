/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Hand a PCI device to vfio-pci, with its IOMMU group, safely.
 *
 * VFIO only lets user space own a group when every device in it is either
 * unbound or on a driver that leaves DMA to its owner (driver_managed_dma:
 * vfio-pci and its variants, pcieport, pci-stub). So every other member is
 * moved to vfio-pci together with the selected device, or nothing is done.
 * Per member, each step is journalled (journal.h) before it is made:
 *
 *   sriov-off  write 0 to sriov_numvfs (a PF with VFs enabled)
 *   override   write "vfio-pci" to driver_override
 *   unbind     write the address to driver/unbind
 *   probe      write the address to /sys/bus/pci/drivers_probe
 *
 * Members in use (inuse.h) refuse the whole group unless forced.
 */
#ifndef SNOOP_BIND_H
#define SNOOP_BIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <json-c/json.h>

#include "base/bdf.h"
#include "host/devstate.h"
#include "host/journal.h"

#define BIND_MAX_MEMBERS 32

enum member_action {
	MEMBER_BOUND,		/* moved to vfio-pci by us */
	MEMBER_WOULD_BIND,	/* dry run: would be moved */
	MEMBER_ALREADY_VFIO,	/* on vfio-pci (or a variant) already */
	MEMBER_LEFT_VIABLE,	/* pcieport or pci-stub: the kernel allows it */
	MEMBER_LEFT_UNBOUND,	/* no driver: nothing to take it from */
	MEMBER_PENDING,		/* to be moved; not reached (refused, failed) */
};

struct bind_member {
	char bdf[BDF_LEN];
	struct dev_state orig;
	enum member_action action;
	bool forced;			/* in use, bound anyway (--force) */
	char inuse[512];		/* why it is in use, "" when free */
};

struct bind_result {
	char bdf[BDF_LEN];		/* the selected device */
	int group;			/* IOMMU group, -1 when none */
	struct bind_member member[BIND_MAX_MEMBERS];
	size_t n_members;
	bool refused;			/* nothing touched, see error */
	char error[1024];		/* why it was refused or failed */
};

struct bind_opts {
	bool force;			/* bind members that are in use */
	bool dry_run;			/* decide and report; write nothing */
	struct journal *journal;	/* where steps are recorded (not for dry runs) */
	long pid;			/* recorded with each step */
	int (*interrupted)(void);	/* nonzero: stop before the next step */
};

/*
 * Bind bdf's group. 0 bound (or nothing to do); -EBUSY refused because in
 * use; -EPERM refused because the group cannot be made viable; -EINTR
 * stopped by interrupted(); another -errno when a step failed. Refusals
 * touch nothing; after -EINTR or a failed step some members may be moved
 * and journalled: restore them (restore.h).
 */
int bind_device(const char *bdf, const struct bind_opts *o, struct bind_result *r);

const char *member_action_name(enum member_action a);
/* People: one line per device, one per member, the forced reasons. */
void bind_result_print(const struct bind_result *r, FILE *f);
/* Results: {"bdf", "iommu_group", "refused", "error", "members": [...]}. */
struct json_object *bind_result_json(const struct bind_result *r);

#endif
