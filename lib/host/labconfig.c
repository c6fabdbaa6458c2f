// SPDX-License-Identifier: GPL-2.0-only
#include "host/labconfig.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/kvconf.h"
#include "base/number.h"
#include "base/pciid.h"
#include "base/scratch.h"

/* Has this key already appeared in the current device block? */
static int seen_in_block(const struct kvconf *kv, size_t from, size_t upto)
{
	for (size_t i = from; i < upto; i++)
		if (!strcmp(kv->v[i].key, kv->v[upto].key))
			return kv->v[i].line;
	return 0;
}

/* Checks that need the whole block: scratch keys depend on scratch_nsid. */
static int check_block(const struct lab_config *c, const struct lab_device *d,
		       int lba_line, int mkfs_line, FILE *err)
{
	if (lba_line && !d->scratch_nsid) {
		fprintf(err, "%s:%d: expected scratch_nsid in the block of device %s: scratch_lba names LBAs of that namespace\n",
			c->path, lba_line, d->bdf);
		return -EINVAL;
	}
	if (mkfs_line && d->scratch_mkfs && !d->scratch_nsid) {
		fprintf(err, "%s:%d: expected scratch_nsid in the block of device %s: scratch_mkfs formats that namespace\n",
			c->path, mkfs_line, d->bdf);
		return -EINVAL;
	}
	return 0;
}

/*
 * Every block must say which device it expects (id =): without it a copied
 * config would bind whatever sits at its addresses. Checked once the file
 * has parsed, so line errors come first; every block without one is named.
 */
static int check_ids(const struct lab_config *c, FILE *err)
{
	int ret = 0;

	for (size_t i = 0; i < c->n; i++) {
		if (c->dev[i].id_line)
			continue;
		fprintf(err, "%s:%d: expected id = VVVV:DDDD in the block of device %s (its vendor:device in hex, as lspci -n shows them): the config must say what it expects there\n",
			c->path, c->dev[i].line, c->dev[i].bdf);
		ret = -EINVAL;
	}
	return ret;
}

/* A driver's name as /sys/bus/pci/drivers lists it. */
static bool driver_name_ok(const char *s, size_t max)
{
	if (!*s || strlen(s) >= max)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_-.", *s))
			return false;
	return true;
}

static int parse(struct lab_config *c, const struct kvconf *kv, FILE *err)
{
	static const char *const keys[] = {
		"device", "id", "driver", "label", "scratch_nsid", "scratch_lba",
		"scratch_mkfs", NULL
	};
	struct lab_device *d = NULL;
	size_t block = 0;
	int lba_line = 0, mkfs_line = 0;
	int ret = kvconf_check_keys(kv, keys, err);

	for (size_t i = 0; !ret && i < kv->n; i++) {
		const struct kv *e = &kv->v[i];
		uint64_t v;
		int prev;

		if (!strcmp(e->key, "device")) {
			struct lab_device *nd;
			char bdf[BDF_LEN];

			if (d && (ret = check_block(c, d, lba_line, mkfs_line, err)))
				break;
			if (!bdf_normalize(e->value, bdf)) {
				fprintf(err, "%s:%d: expected a PCI address DDDD:BB:DD.F or BB:DD.F, got '%s'\n",
					c->path, e->line, e->value);
				return -EINVAL;
			}
			if ((d = (struct lab_device *)labconfig_find(c, bdf))) {
				fprintf(err, "%s:%d: expected each device once; %s is already named on line %d\n",
					c->path, e->line, bdf, d->line);
				return -EINVAL;
			}
			nd = realloc(c->dev, (c->n + 1) * sizeof(*nd));
			if (!nd)
				return -ENOMEM;
			c->dev = nd;
			d = &c->dev[c->n++];
			memset(d, 0, sizeof(*d));
			strcpy(d->bdf, bdf);
			d->line = e->line;
			block = i;
			lba_line = mkfs_line = 0;
			continue;
		}
		if (!d) {
			fprintf(err, "%s:%d: expected 'device = BDF' before '%s': every other key describes a device\n",
				c->path, e->line, e->key);
			return -EINVAL;
		}
		if ((prev = seen_in_block(kv, block, i))) {
			fprintf(err, "%s:%d: expected '%s' once per device; it is already set on line %d\n",
				c->path, e->line, e->key, prev);
			return -EINVAL;
		}
		if (!strcmp(e->key, "id")) {
			int device;

			if (!pciid_parse(e->value, &d->vendor, &device) || device < 0) {
				fprintf(err, "%s:%d: expected id = VVVV:DDDD in hex (e.g. 1b36:0010), got '%s'\n",
					c->path, e->line, e->value);
				return -EINVAL;
			}
			d->device = (uint16_t)device;
			d->id_line = e->line;
		} else if (!strcmp(e->key, "driver")) {
			if (!driver_name_ok(e->value, sizeof(d->driver))) {
				fprintf(err, "%s:%d: expected a driver name as in /sys/bus/pci/drivers (e.g. nvme), got '%s'\n",
					c->path, e->line, e->value);
				return -EINVAL;
			}
			strcpy(d->driver, e->value);
		} else if (!strcmp(e->key, "label")) {
			if (strlen(e->value) >= sizeof(d->label)) {
				fprintf(err, "%s:%d: expected a label shorter than %zu bytes\n",
					c->path, e->line, sizeof(d->label));
				return -EINVAL;
			}
			strcpy(d->label, e->value);
		} else if (!strcmp(e->key, "scratch_nsid")) {
			if (number_parse_u64(e->value, &v) || v == 0 || v > 0xfffffffeull) {
				fprintf(err, "%s:%d: expected an NVMe namespace id 1..4294967294, got '%s'\n",
					c->path, e->line, e->value);
				return -EINVAL;
			}
			d->scratch_nsid = (uint32_t)v;
		} else if (!strcmp(e->key, "scratch_lba")) {
			struct scratch_range r;
			char why[160];

			if (scratch_parse(e->value, &r, why, sizeof(why))) {
				fprintf(err, "%s:%d: expected START+COUNT (COUNT > 0, no overflow), got '%s'\n",
					c->path, e->line, e->value);
				return -EINVAL;
			}
			d->scratch_lba_start = r.start;
			d->scratch_lba_count = r.count;
			lba_line = e->line;
		} else if (!strcmp(e->key, "scratch_mkfs")) {
			if (strcmp(e->value, "yes") && strcmp(e->value, "no")) {
				fprintf(err, "%s:%d: expected yes or no, got '%s'\n",
					c->path, e->line, e->value);
				return -EINVAL;
			}
			d->scratch_mkfs = !strcmp(e->value, "yes");
			mkfs_line = e->line;
		}
	}
	if (!ret && d)
		ret = check_block(c, d, lba_line, mkfs_line, err);
	if (!ret)
		ret = check_ids(c, err);
	return ret;
}

int labconfig_load(struct lab_config *c, const char *path, FILE *err)
{
	struct kvconf kv;
	int ret;

	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", path);
	ret = kvconf_load(&kv, path, err);
	if (ret)
		return ret;
	ret = parse(c, &kv, err);
	kvconf_free(&kv);
	if (ret)
		labconfig_free(c);
	return ret;
}

void labconfig_free(struct lab_config *c)
{
	free(c->dev);
	c->dev = NULL;
	c->n = 0;
}

const struct lab_device *labconfig_find(const struct lab_config *c,
					const char *bdf)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->dev[i].bdf, bdf))
			return &c->dev[i];
	return NULL;
}
