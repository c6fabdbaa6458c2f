/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What `runner run` gives each device's suites, decided once in the parent
 * from one reading of the lab config: the address, the scratch namespace
 * and LBA range the lab config allows to be destroyed, and the partner for
 * the two-device suite. The suites read it from their environment (their
 * standalone interface, so `suites/dma BDF` by hand takes the same).
 */
#ifndef SNOOP_PLAN_H
#define SNOOP_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "base/bdf.h"
#include "host/labconfig.h"

#define PLAN_ENV_MAX 4

struct device_plan {
	char bdf[BDF_LEN];
	uint32_t scratch_nsid;		/* 0: nothing may be written */
	uint64_t scratch_lba_start;
	uint64_t scratch_lba_count;	/* 0: no LBA range */
	char partner[BDF_LEN];		/* "" when there is none */
	/* "NAME=VALUE" strings for the suites, NULL-ended */
	char env_buf[PLAN_ENV_MAX][BDF_LEN * 64];
	char *env[PLAN_ENV_MAX + 1];
};

/* A device the partner may be chosen from; capable: 1, 0, -1 no unit. */
struct plan_candidate {
	const char *bdf;
	int capable;
};

/*
 * Self's partner among c: never self, never a device with no unit; the
 * first whose unit differs from self's in what it can enforce (that is
 * where the two-unit corners live), else the first. Index, or -1.
 */
int plan_pick_partner(const char *self, int self_capable,
		      const struct plan_candidate *c, size_t n);

/*
 * Fill p for bdf: lab (NULL: none) gives the scratch resources, partner
 * ("" or NULL: none) the second device; devices is every address the run
 * has on vfio-pci (space separated), for suites run by hand alike.
 */
void plan_device(struct device_plan *p, const char *bdf, const struct lab_device *lab,
		 const char *partner, const char *devices);

#endif
