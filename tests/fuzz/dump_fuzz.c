// SPDX-License-Identifier: GPL-2.0-only
/*
 * A config-space dump (lspci -x/-xxx/-xxxx, what `runner capture` saves
 * and `runner list --from` replays): dump_check first, and only when it
 * passes, libpci's dump method through pcidev_open and pcidev_scan, as
 * discovery does. Beyond not crashing: what libpci read, written back by
 * pcidev_write_dump (as runner capture writes it), passes dump_check and
 * reads back as the same devices (those with a readable header: the
 * writer leaves out the others, as it must on a live machine), and every
 * device libpci found has an address our BDF reader takes whole.
 */
#include "fuzz.h"
#include "base/bdf.h"
#include "discover/dumpcheck.h"
#include "discover/pci.h"

static int scan(const char *path, struct pci_device_info **devs, size_t *n)
{
	struct pci_access *a = pcidev_open(path, fuzz_null());
	int ret;

	if (!a)
		return -1;
	ret = pcidev_scan(a, devs, n, fuzz_null());
	pcidev_close(a);
	return ret;
}

static int same(const struct pci_device_info *a, const struct pci_device_info *b)
{
	return !strcmp(a->bdf, b->bdf) && a->vendor == b->vendor && a->device == b->device &&
	       a->subsys_vendor == b->subsys_vendor && a->subsys_device == b->subsys_device &&
	       a->class_code == b->class_code && a->revision == b->revision &&
	       a->config_size == b->config_size && a->pcie_cap == b->pcie_cap &&
	       a->pcie_type == b->pcie_type && a->ens == b->ens;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("lspci-xxxx.txt", data, size);
	struct pci_device_info *devs = NULL, *back = NULL;
	struct pci_access *a;
	char *text = NULL;
	size_t n, n2, kept = 0, len = 0;
	FILE *f;

	if (dump_check(path, fuzz_null()))
		return 0;
	if (scan(path, &devs, &n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		size_t l;

		FUZZ_CHECK(bdf_prefix(devs[i].bdf, &l) && l == strlen(devs[i].bdf),
			   "libpci found device '%s', which is no PCI address", devs[i].bdf);
	}

	/* What runner capture would write of it. */
	a = pcidev_open(path, fuzz_null());
	FUZZ_CHECK(a, "it opened once, not twice");
	f = open_memstream(&text, &len);
	pcidev_write_dump(a, f, fuzz_null());
	fclose(f);
	pcidev_close(a);
	path = fuzz_file("written.txt", text, len);
	/* Those the writer keeps: their config space is readable. */
	for (size_t i = 0; i < n; i++)
		if (devs[i].config_size)
			devs[kept++] = devs[i];
	if (kept) {
		FUZZ_CHECK(!dump_check(path, stderr), "pcidev_write_dump wrote what dump_check refuses:\n%s",
			   text);
		FUZZ_CHECK(!scan(path, &back, &n2), "pcidev_write_dump wrote what libpci refuses:\n%s", text);
		FUZZ_CHECK(n2 == kept, "%zu readable devices, written back %zu", kept, n2);
		for (size_t i = 0; i < kept; i++)
			FUZZ_CHECK(same(&devs[i], &back[i]), "device %s changed when written back:\n%s",
				   devs[i].bdf, text);
	}
	free(back);
	free(devs);
	free(text);
	return 0;
}
