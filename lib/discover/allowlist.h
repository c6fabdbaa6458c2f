/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * drivers-allowlist/: which drivers (optionally narrowed to vendor:device
 * IDs) never emit PCIe No-Snoop, and which may, each with its evidence.
 * See drivers-allowlist/README.md for the format.
 */
#ifndef SNOOP_ALLOWLIST_H
#define SNOOP_ALLOWLIST_H

#include <stdint.h>
#include <stdio.h>

enum allow_class {
	ALLOW_UNKNOWN,		/* no entry, or an entry that says "unknown" */
	ALLOW_NEVER,		/* the driver never sets the No-Snoop attribute */
	ALLOW_MAY,		/* the driver may emit No-Snoop */
};

struct allow_entry {
	char driver[64];
	int vendor, device;	/* -1 = any */
	enum allow_class cls;
	char evidence[512];
	char file[256];
	int line;
};

struct allowlist {
	struct allow_entry *e;
	size_t n;
};

/*
 * Load every *.list file in dir (sorted). On bad input prints
 * "file:line: expected ..." to err and returns -EINVAL; -errno otherwise.
 */
int allowlist_load_dir(struct allowlist *a, const char *dir, FILE *err);
int allowlist_load_file(struct allowlist *a, const char *path, FILE *err);
void allowlist_free(struct allowlist *a);
/* Most specific match (vendor:device beats vendor:* beats *); NULL if none. */
const struct allow_entry *allowlist_lookup(const struct allowlist *a,
					   const char *driver,
					   uint16_t vendor, uint16_t device);
const char *allow_class_name(enum allow_class c);

#endif
