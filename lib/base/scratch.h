/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scratch range of an NVMe namespace: the only blocks a test may
 * overwrite (the user-space NVMe driver and fio both stay inside it). The
 * lab config names it per device as scratch_nsid = N and scratch_lba =
 * START+COUNT, in logical blocks of that namespace, each decimal or 0x
 * hex (base/number.h: "010" is ten). There is no default: without a range,
 * nothing is written. scratch_parse() is the one reader of the form: the
 * lab config (host/labconfig.c), runner fio and the dma suite use it.
 */
#ifndef SNOOP_SCRATCH_H
#define SNOOP_SCRATCH_H

#include <stddef.h>
#include <stdint.h>

struct scratch_range {
	uint64_t start;		/* first LBA */
	uint64_t count;		/* LBAs, > 0 */
};

/*
 * Parse "START+COUNT" into r. 0, or -EINVAL with err saying what was
 * expected (the caller adds where the text came from).
 */
int scratch_parse(const char *text, struct scratch_range *r,
		  char *err, size_t errlen);

/* r as scratch_parse() reads it back ("START+COUNT", decimal) into buf. */
void scratch_format(const struct scratch_range *r, char *buf, size_t len);

/* Does r fit in a namespace of nsze blocks? Overflow-safe. */
int scratch_fits(const struct scratch_range *r, uint64_t nsze);

/* r in bytes for blocks of lba_size. 0, or -EOVERFLOW. */
int scratch_bytes(const struct scratch_range *r, uint32_t lba_size,
		  uint64_t *offset, uint64_t *length);

#endif
