// SPDX-License-Identifier: GPL-2.0-only
#include "base/number.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

int number_scan_u64(const char *s, uint64_t *out, const char **end)
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

		if (d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - d) / base)
			return -ERANGE;
		v = v * base + d;
	}
	if (s == digits)
		return -EINVAL;
	*out = v;
	*end = s;
	return 0;
}

int number_parse_timeout(const char *s, int *seconds)
{
	uint64_t v;
	int ret = number_parse_u64(s, &v);

	if (ret)
		return ret;
	if (v == 0 || v > TIMEOUT_MAX_S)
		return -ERANGE;
	*seconds = (int)v;
	return 0;
}

int number_parse_u64(const char *s, uint64_t *out)
{
	const char *end;
	uint64_t v;
	int ret = number_scan_u64(s, &v, &end);

	if (ret)
		return ret;
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

void number_shortest(char *buf, size_t len, double d)
{
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, d);
		if (strtod(buf, NULL) == d)
			return;
	}
}
