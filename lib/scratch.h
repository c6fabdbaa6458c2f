/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scratch range of a storage device under test: the only bytes a test
 * may overwrite (the userspace NVMe driver and fio both stay inside it).
 * The lab config names it per device as "OFFSET:LENGTH" in bytes, with an
 * optional K, M or G suffix (powers of 1024), e.g. "1M:4M". There is no
 * default: without a range, nothing is written.
 */
#ifndef SNOOP_SCRATCH_H
#define SNOOP_SCRATCH_H

#include <stddef.h>
#include <stdint.h>

struct scratch_range {
	uint64_t offset;	/* first byte */
	uint64_t length;	/* bytes, > 0 */
};

/*
 * Parse text into r. Returns 0, or -EINVAL with err saying what was
 * expected (the caller adds where the text came from).
 */
int scratch_parse(const char *text, struct scratch_range *r,
		  char *err, size_t errlen);

/* Is [offset, offset + length) inside r? Overflow-safe. */
int scratch_contains(const struct scratch_range *r, uint64_t offset,
		     uint64_t length);

#endif
