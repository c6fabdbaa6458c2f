// SPDX-License-Identifier: GPL-2.0-only
#include "base/pciid.h"

#include <ctype.h>
#include <string.h>

bool hex_fixed(const char *s, size_t n, uint32_t *v)
{
	if (strlen(s) != n)
		return false;
	*v = 0;
	for (; *s; s++) {
		if (!isxdigit((unsigned char)*s))
			return false;
		*v = *v * 16 + (uint32_t)(isdigit((unsigned char)*s) ? *s - '0' :
					  tolower((unsigned char)*s) - 'a' + 10);
	}
	return true;
}

bool pciid_parse(const char *s, uint16_t *vendor, int *device)
{
	char buf[16];
	char *colon;
	uint32_t v, d;

	if (strlen(s) >= sizeof(buf))
		return false;
	strcpy(buf, s);
	colon = strchr(buf, ':');
	if (colon)
		*colon = '\0';
	if (!hex_fixed(buf, 4, &v) || (colon && !hex_fixed(colon + 1, 4, &d)))
		return false;
	*vendor = (uint16_t)v;
	*device = colon ? (int)d : -1;
	return true;
}
