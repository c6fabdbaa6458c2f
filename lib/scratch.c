// SPDX-License-Identifier: GPL-2.0-only
#include "scratch.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* One size: decimal digits, then an optional K/M/G (powers of 1024). */
static const char *parse_size(const char *s, uint64_t *out)
{
	uint64_t v = 0, mul = 1;

	if (!isdigit((unsigned char)*s))
		return NULL;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return NULL;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	switch (toupper((unsigned char)*s)) {
	case 'K': mul = 1ULL << 10; s++; break;
	case 'M': mul = 1ULL << 20; s++; break;
	case 'G': mul = 1ULL << 30; s++; break;
	}
	if (v > UINT64_MAX / mul)
		return NULL;
	*out = v * mul;
	return s;
}

int scratch_parse(const char *text, struct scratch_range *r,
		  char *err, size_t errlen)
{
	const char *s = text ? parse_size(text, &r->offset) : NULL;

	if (s && *s == ':')
		s = parse_size(s + 1, &r->length);
	else
		s = NULL;
	if (!s || *s) {
		snprintf(err, errlen,
			 "expected OFFSET:LENGTH in bytes with optional K/M/G (e.g. 0:1M), got '%s'",
			 text ? text : "");
		return -EINVAL;
	}
	if (!r->length || r->offset > UINT64_MAX - r->length) {
		snprintf(err, errlen,
			 "scratch range '%s' is empty or runs past 2^64", text);
		return -EINVAL;
	}
	return 0;
}

int scratch_contains(const struct scratch_range *r, uint64_t offset,
		     uint64_t length)
{
	return offset >= r->offset && length <= r->length &&
	       offset - r->offset <= r->length - length;
}
