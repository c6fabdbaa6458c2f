// SPDX-License-Identifier: GPL-2.0-only
#include "base/scratch.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include "base/number.h"

int scratch_parse(const char *text, struct scratch_range *r,
		  char *err, size_t errlen)
{
	const char *plus;
	bool ok = text && !number_scan_u64(text, &r->start, &plus) && *plus == '+' &&
		  !number_parse_u64(plus + 1, &r->count);

	if (!ok || !r->count || r->start > UINT64_MAX - r->count) {
		snprintf(err, errlen,
			 "expected START+COUNT in logical blocks (COUNT > 0, decimal or 0x hex, e.g. 0+2048), got '%s'",
			 text ? text : "");
		return -EINVAL;
	}
	return 0;
}

void scratch_format(const struct scratch_range *r, char *buf, size_t len)
{
	snprintf(buf, len, "%llu+%llu", (unsigned long long)r->start,
		 (unsigned long long)r->count);
}

int scratch_fits(const struct scratch_range *r, uint64_t nsze)
{
	return r->count && r->start < nsze && r->count <= nsze - r->start;
}

int scratch_bytes(const struct scratch_range *r, uint32_t lba_size,
		  uint64_t *offset, uint64_t *length)
{
	if (!lba_size || r->start > UINT64_MAX / lba_size ||
	    r->count > UINT64_MAX / lba_size ||
	    r->start * lba_size > UINT64_MAX - r->count * lba_size)
		return -EOVERFLOW;
	*offset = r->start * lba_size;
	*length = r->count * lba_size;
	return 0;
}
