/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The virtual lab: boot a platform (vm/platforms/NAME.conf) under QEMU with
 * the lab kernel, share the host's root read-only over 9p, run one command
 * in the guest, power off, and hand back its exit status, the serial
 * console log and whatever it wrote to the results share.
 */
#ifndef SNOOP_VM_H
#define SNOOP_VM_H

#include <stdbool.h>
#include <stdio.h>

#include "suite/klog.h"

struct vm_platform {
	char name[64];
	char path[4096];
	char description[256];
	char machine[256];		/* -M */
	char iommu[256];		/* -device before any PCI device, "" none */
	char append[512];		/* extra kernel command line */
	char skip[512];			/* non-empty: platform cannot run, why */
};

struct vm_run {
	const char *kernel;		/* bzImage */
	const char *outdir;		/* host dir shared as the guest's "out" */
	const char *srcdir;		/* repository root as seen in the guest */
	int timeout_s;			/* kill the guest after this */
	/* results */
	int status;			/* guest command's exit status, -1 unknown */
	bool timed_out;
	double seconds;
	char console[4096];		/* path of the console log */
	struct klog_findings findings;
};

/* Load vm/platforms/NAME.conf (or a path). Errors print file:line; -EINVAL. */
int vm_platform_load(struct vm_platform *p, const char *dir, const char *name,
		     FILE *err);
/*
 * Boot p and run argv (NULL-terminated) in the guest, cwd = r->srcdir.
 * Returns 0 when the guest ran and powered off (see r->status), -errno when
 * it could not be started; r->timed_out when it was killed.
 */
int vm_run(const struct vm_platform *p, char *const argv[], struct vm_run *r,
	   FILE *err);
void vm_run_free(struct vm_run *r);

#endif
