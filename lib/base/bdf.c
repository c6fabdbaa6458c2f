// SPDX-License-Identifier: GPL-2.0-only
#include "base/bdf.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Exactly n hex digits at *s, then the separator sep ('\0' for the end). */
static bool hex_field(const char **s, int n, char sep, unsigned int *val)
{
	*val = 0;
	for (int i = 0; i < n; i++, (*s)++) {
		if (!isxdigit((unsigned char)**s))
			return false;
		*val = *val * 16 + (unsigned int)(isdigit((unsigned char)**s) ?
			**s - '0' : tolower((unsigned char)**s) - 'a' + 10);
	}
	if (**s != sep)
		return false;
	if (sep)
		(*s)++;
	return true;
}

bool bdf_normalize(const char *in, char out[BDF_LEN])
{
	unsigned int dom = 0, bus, dev, fn;
	const char *s = in;

	/* DDDD:BB:DD.F has its first ':' after four digits, BB:DD.F after two. */
	if (strlen(in) == 12 && !hex_field(&s, 4, ':', &dom))
		return false;
	if (!hex_field(&s, 2, ':', &bus) || !hex_field(&s, 2, '.', &dev) ||
	    !hex_field(&s, 1, '\0', &fn))
		return false;
	if (dev > 0x1f || fn > 7)
		return false;
	snprintf(out, BDF_LEN, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
	return true;
}

bool bdf_is_pci_name(const char *name)
{
	char norm[BDF_LEN];

	return strlen(name) == 12 && bdf_normalize(name, norm) &&
	       !strcmp(norm, name);
}
