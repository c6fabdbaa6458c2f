// SPDX-License-Identifier: GPL-2.0-only
#include "base/bdf.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Exactly n hex digits at *s (moved past them). */
static bool hex_digits(const char **s, size_t n, unsigned int *val)
{
	*val = 0;
	for (size_t i = 0; i < n; i++, (*s)++) {
		if (!isxdigit((unsigned char)**s))
			return false;
		*val = *val * 16 + (unsigned int)(isdigit((unsigned char)**s) ?
			**s - '0' : tolower((unsigned char)**s) - 'a' + 10);
	}
	return true;
}

/* The one BDF grammar: the length of the address at in, 0 if none. */
static size_t parse(const char *in, unsigned int *dom, unsigned int *bus,
		    unsigned int *dev, unsigned int *fn)
{
	const char *s = in;
	size_t k = 0;

	/* A domain is the run of hex digits before the first ':', if 4 or 5 long. */
	while (isxdigit((unsigned char)s[k]))
		k++;
	*dom = 0;
	if ((k == 4 || k == 5) && s[k] == ':') {
		hex_digits(&s, k, dom);
		s++;
	}
	if (!hex_digits(&s, 2, bus) || *s++ != ':' ||
	    !hex_digits(&s, 2, dev) || *s++ != '.' ||
	    !hex_digits(&s, 1, fn) || *dev > 0x1f || *fn > 7)
		return 0;
	return (size_t)(s - in);
}

bool bdf_prefix(const char *s, size_t *len)
{
	unsigned int dom, bus, dev, fn;

	*len = parse(s, &dom, &bus, &dev, &fn);
	return *len != 0;
}

bool bdf_normalize(const char *in, char out[BDF_LEN])
{
	unsigned int dom, bus, dev, fn;
	size_t n = parse(in, &dom, &bus, &dev, &fn);

	/* The whole string, and only the two forms people type: no 5-digit domain. */
	if (!n || in[n] || (n != 7 && n != 12))
		return false;
	snprintf(out, BDF_LEN, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
	return true;
}

bool bdf_split(const char *in, unsigned int *domain, unsigned int *bus,
	       unsigned int *devfn)
{
	char norm[BDF_LEN];
	unsigned int dev, fn;

	if (!bdf_normalize(in, norm))
		return false;
	parse(norm, domain, bus, &dev, &fn);
	*devfn = dev << 3 | fn;
	return true;
}

bool bdf_is_pci_name(const char *name)
{
	char norm[BDF_LEN];

	return strlen(name) == 12 && bdf_normalize(name, norm) &&
	       !strcmp(norm, name);
}
