/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The lab config (lab.conf.example documents it): the devices under test
 * and, per device, the scratch resources a test may destroy.
 */
#ifndef SNOOP_LABCONFIG_H
#define SNOOP_LABCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/bdf.h"

struct lab_device {
	char bdf[BDF_LEN];
	char label[128];
	int line;			/* of its `device =` line */
	/*
	 * What the config says sits at bdf: a config copied from another
	 * machine names addresses that hold something else there, and
	 * selection refuses the run when the device differs.
	 */
	uint16_t vendor, device;	/* id = VVVV:DDDD, required */
	int id_line;			/* of its `id =` line */
	char driver[64];		/* driver = NAME bound now; "" unchecked */
	uint32_t scratch_nsid;		/* 0: no namespace may be written */
	uint64_t scratch_lba_start;
	uint64_t scratch_lba_count;	/* 0: no LBA range */
	bool scratch_mkfs;		/* may format and mount scratch_nsid */
};

struct lab_config {
	char path[4096];
	struct lab_device *dev;
	size_t n;
};

/*
 * Load path. Bad input prints "path:line: expected ..." to err and returns
 * -EINVAL; -errno when the file cannot be read. Does not look at sysfs:
 * whether the devices exist and are what the config says is the
 * selection's business.
 */
int labconfig_load(struct lab_config *c, const char *path, FILE *err);
void labconfig_free(struct lab_config *c);
/* The block for bdf (sysfs spelling), or NULL. */
const struct lab_device *labconfig_find(const struct lab_config *c,
					const char *bdf);

#endif
