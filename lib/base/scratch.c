// SPDX-License-Identifier: GPL-2.0-only
#include "base/scratch.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>

/* Decimal or 0x hex digits up to a stop character. NULL on junk/overflow. */
static const char *parse_u64(const char *s, uint64_t *out)
{
	unsigned int base = 10;
	uint64_t v = 0;
	const char *digits;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	digits = s;
	for (; isxdigit((unsigned char)*s); s++) {
		unsigned int d = isdigit((unsigned char)*s) ? (unsigned int)(*s - '0')
				 : (unsigned int)(tolower((unsigned char)*s) - 'a' + 10);

		if (d >= base || v > (UINT64_MAX - d) / base)
			return NULL;
		v = v * base + d;
	}
	if (s == digits)
		return NULL;
	*out = v;
	return s;
}

int scratch_parse(const char *text, struct scratch_range *r,
		  char *err, size_t errlen)
{
	const char *s = text ? parse_u64(text, &r->start) : NULL;

	if (s && *s == '+')
		s = parse_u64(s + 1, &r->count);
	else
		s = NULL;
	if (!s || *s || !r->count || r->start > UINT64_MAX - r->count) {
		snprintf(err, errlen,
			 "expected START+COUNT in logical blocks (COUNT > 0, decimal or 0x hex, e.g. 0+2048), got '%s'",
			 text ? text : "");
		return -EINVAL;
	}
	return 0;
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
