// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI addresses (base/bdf.h): one grammar read four ways. bdf_normalize
 * must be idempotent and its output a sysfs name; bdf_split must give the
 * numbers the normalized text spells; bdf_prefix must find the whole
 * address in what bdf_normalize accepts; bdf_is_pci_name must accept
 * exactly the strings that are already normalized.
 */
#include "fuzz.h"
#include "base/bdf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), norm[BDF_LEN], again[BDF_LEN], spelled[BDF_LEN];
	unsigned int dom, bus, devfn;
	bool ok = bdf_normalize(s, norm);
	size_t len;

	FUZZ_CHECK(bdf_split(s, &dom, &bus, &devfn) == ok, "bdf_split and bdf_normalize disagree on '%s'", s);
	FUZZ_CHECK(bdf_is_pci_name(s) == (ok && !strcmp(s, norm)),
		   "bdf_is_pci_name('%s') is not 'normalized already'", s);
	if (ok) {
		FUZZ_CHECK(strlen(norm) == 12, "normalized '%s' to '%s'", s, norm);
		FUZZ_CHECK(bdf_normalize(norm, again) && !strcmp(norm, again),
			   "not idempotent: '%s' -> '%s' -> '%s'", s, norm, again);
		FUZZ_CHECK(bdf_is_pci_name(norm), "'%s' (from '%s') is not a PCI name", norm, s);
		snprintf(spelled, sizeof(spelled), "%04x:%02x:%02x.%x", dom, bus, devfn >> 3, devfn & 7);
		FUZZ_CHECK(!strcmp(spelled, norm), "bdf_split('%s') spells '%s', normalize '%s'",
			   s, spelled, norm);
		FUZZ_CHECK(bdf_prefix(s, &len) && len == strlen(s),
			   "bdf_prefix does not take all of '%s'", s);
	}
	if (bdf_prefix(s, &len))
		FUZZ_CHECK(len >= 7 && len <= strlen(s), "bdf_prefix('%s') length %zu", s, len);
	free(s);
	return 0;
}
