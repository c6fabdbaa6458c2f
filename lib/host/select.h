/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which devices a run may touch: the ones named by --device and in the lab
 * config, narrowed by --vendor and --class; with filters alone, every PCI
 * device that passes them. Nothing named, nothing selected, nothing touched.
 */
#ifndef SNOOP_SELECT_H
#define SNOOP_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/bdf.h"
#include "host/labconfig.h"

#define SELECT_MAX_NAMED 64

struct select_opts {
	const char *config;			/* --config FILE, NULL none */
	char named[SELECT_MAX_NAMED][BDF_LEN];	/* --device, normalized */
	size_t n_named;
	bool by_id;				/* --vendor VVVV[:DDDD] */
	uint16_t vendor;
	int device;				/* -1: any device id */
	bool by_class;				/* --class CC[SS] */
	uint32_t class_value;			/* CC or CCSS */
	int class_digits;			/* 2 or 4 */
};

struct selected {
	char bdf[BDF_LEN];
	const struct lab_device *lab;		/* its config block, or NULL */
};

struct selection {
	struct lab_config lab;
	struct selected *v;
	size_t n;
};

/* Option values; each prints what it expected and returns -EINVAL. */
int select_add_device(struct select_opts *o, const char *arg, FILE *err);
int select_set_vendor(struct select_opts *o, const char *arg, FILE *err);
int select_set_class(struct select_opts *o, const char *arg, FILE *err);

/*
 * Resolve o against sysfs (through sysroot, so captures work). Every device
 * the config names is checked first, all of them: it must exist and carry
 * the id (and driver, if given) its block expects, or nothing is selected.
 * Returns 0 (s->n may be 0: then a line saying why nothing was selected
 * went to err), -EINVAL for a config file that cannot be read, does not
 * parse or names a device that is something else, and -ENODEV for a named
 * device that does not exist (or whose IDs cannot be read), each with its
 * messages; all are bad input.
 */
int select_devices(struct selection *s, const struct select_opts *o, FILE *err);
void selection_free(struct selection *s);

#endif
