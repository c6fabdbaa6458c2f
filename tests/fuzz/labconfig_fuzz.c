// SPDX-License-Identifier: GPL-2.0-only
/*
 * The lab config (host/labconfig.h, lab.conf.example) through
 * labconfig_load. Beyond not crashing: every device it accepts has a
 * sysfs-spelled address found by labconfig_find and an id, scratch
 * resources only with a namespace and a range that does not overflow;
 * and the config written back in the documented keys (scratch_lba
 * through scratch_format) loads back equal.
 */
#include "fuzz.h"
#include "base/bdf.h"
#include "base/scratch.h"
#include "host/labconfig.h"

static void check_device(const struct lab_config *c, const struct lab_device *d)
{
	FUZZ_CHECK(bdf_is_pci_name(d->bdf), "line %d: address '%s'", d->line, d->bdf);
	FUZZ_CHECK(labconfig_find(c, d->bdf) == d, "line %d: %s found elsewhere", d->line, d->bdf);
	FUZZ_CHECK(d->id_line > d->line, "line %d: no id line after the device line", d->line);
	FUZZ_CHECK(d->scratch_nsid <= 0xfffffffeu, "line %d: nsid %u", d->line, d->scratch_nsid);
	FUZZ_CHECK(!d->scratch_lba_count || d->scratch_nsid, "line %d: LBAs without a namespace", d->line);
	FUZZ_CHECK(!d->scratch_mkfs || d->scratch_nsid, "line %d: mkfs without a namespace", d->line);
	FUZZ_CHECK(d->scratch_lba_start <= UINT64_MAX - d->scratch_lba_count,
		   "line %d: range overflows", d->line);
	FUZZ_CHECK(strlen(d->label) < sizeof(d->label), "line %d: label", d->line);
}

static void write_back(const struct lab_config *c, FILE *f)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct lab_device *d = &c->dev[i];

		fprintf(f, "device = %s\nid = %04x:%04x\n", d->bdf, d->vendor, d->device);
		if (d->driver[0])
			fprintf(f, "driver = %s\n", d->driver);
		if (d->label[0])
			fprintf(f, "label=%s\n", d->label);
		if (d->scratch_nsid)
			fprintf(f, "scratch_nsid = %u\n", d->scratch_nsid);
		if (d->scratch_lba_count) {
			struct scratch_range r = { d->scratch_lba_start, d->scratch_lba_count };
			char text[64];

			scratch_format(&r, text, sizeof(text));
			fprintf(f, "scratch_lba = %s\n", text);
		}
		fprintf(f, "scratch_mkfs = %s\n\n", d->scratch_mkfs ? "yes" : "no");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct lab_config c, back;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (labconfig_load(&c, fuzz_file("lab.conf", data, size), fuzz_null()))
		return 0;
	for (size_t i = 0; i < c.n; i++)
		check_device(&c, &c.dev[i]);

	f = open_memstream(&text, &len);
	write_back(&c, f);
	fclose(f);
	FUZZ_CHECK(!labconfig_load(&back, fuzz_file("back.conf", text, len), fuzz_null()),
		   "written back, it does not load:\n%s", text);
	FUZZ_CHECK(back.n == c.n, "%zu devices, written back %zu", c.n, back.n);
	for (size_t i = 0; i < c.n; i++) {
		const struct lab_device *a = &c.dev[i], *b = &back.dev[i];

		FUZZ_CHECK(!strcmp(a->bdf, b->bdf) && !strcmp(a->label, b->label) &&
			   a->vendor == b->vendor && a->device == b->device &&
			   !strcmp(a->driver, b->driver) &&
			   a->scratch_nsid == b->scratch_nsid &&
			   a->scratch_lba_start == b->scratch_lba_start &&
			   a->scratch_lba_count == b->scratch_lba_count &&
			   a->scratch_mkfs == b->scratch_mkfs,
			   "device %zu (%s) changed when written back:\n%s", i, a->bdf, text);
	}
	labconfig_free(&back);
	labconfig_free(&c);
	free(text);
	return 0;
}
