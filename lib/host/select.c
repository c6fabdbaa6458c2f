// SPDX-License-Identifier: GPL-2.0-only
#include "host/select.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/pciid.h"
#include "host/devstate.h"
#include "sysfs/sysroot.h"

int select_add_device(struct select_opts *o, const char *arg, FILE *err)
{
	char bdf[BDF_LEN];

	if (!bdf_normalize(arg, bdf)) {
		fprintf(err, "--device: expected a PCI address DDDD:BB:DD.F or BB:DD.F, got '%s'\n", arg);
		return -EINVAL;
	}
	if (o->n_named == SELECT_MAX_NAMED) {
		fprintf(err, "--device: expected at most %d devices; use --config for more\n",
			SELECT_MAX_NAMED);
		return -EINVAL;
	}
	strcpy(o->named[o->n_named++], bdf);
	return 0;
}

int select_set_vendor(struct select_opts *o, const char *arg, FILE *err)
{
	if (pciid_parse(arg, &o->vendor, &o->device)) {
		o->by_id = true;
		return 0;
	}
	fprintf(err, "--vendor: expected VVVV or VVVV:DDDD in hex (e.g. 8086 or 1234:11e8), got '%s'\n", arg);
	return -EINVAL;
}

int select_set_class(struct select_opts *o, const char *arg, FILE *err)
{
	uint32_t v;

	if (hex_fixed(arg, 2, &v) || hex_fixed(arg, 4, &v)) {
		o->by_class = true;
		o->class_value = v;
		o->class_digits = (int)strlen(arg);
		return 0;
	}
	fprintf(err, "--class: expected CC or CCSS in hex (e.g. 01 for storage, 0108 for NVMe), got '%s'\n", arg);
	return -EINVAL;
}

static int read_id(const char *bdf, const char *file, uint64_t *v)
{
	char path[PATH_MAX];

	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/%s", bdf, file);
	return sysfs_read_u64(path, 16, v);
}

/* Does bdf pass the filters? Unreadable IDs never match. */
static bool passes(const struct select_opts *o, const char *bdf)
{
	uint64_t vendor, device, class;

	if (o->by_id) {
		if (read_id(bdf, "vendor", &vendor) || vendor != o->vendor)
			return false;
		if (o->device >= 0 &&
		    (read_id(bdf, "device", &device) || device != (uint64_t)o->device))
			return false;
	}
	if (o->by_class) {
		if (read_id(bdf, "class", &class))
			return false;
		/* sysfs class is base << 16 | sub << 8 | prog-if */
		if ((class >> (o->class_digits == 2 ? 16 : 8)) != o->class_value)
			return false;
	}
	return true;
}

static int add(struct selection *s, const char *bdf)
{
	struct selected *nv;

	for (size_t i = 0; i < s->n; i++)
		if (!strcmp(s->v[i].bdf, bdf))
			return 0;
	nv = realloc(s->v, (s->n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	s->v = nv;
	strcpy(s->v[s->n].bdf, bdf);
	s->v[s->n].lab = labconfig_find(&s->lab, bdf);
	s->n++;
	return 0;
}

static bool exists(const char *bdf)
{
	char path[PATH_MAX];

	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s", bdf);
	return sysfs_exists(path);
}

/*
 * Is the device at d's address the one its block describes? A config
 * copied from another machine names addresses that hold something else
 * here, and binding that would take a stranger's disk or NIC. 0 when it
 * is; else says what is there and what was expected.
 */
static int check_identity(const struct lab_config *c, const struct lab_device *d,
			  FILE *err)
{
	struct dev_state st;
	uint64_t vendor, device;
	char why[PATH_MAX + 64], is[96], want[96];
	int ret;

	if ((ret = read_id(d->bdf, "vendor", &vendor)) ||
	    (ret = read_id(d->bdf, "device", &device))) {
		fprintf(err, "%s:%d: device %s: cannot read its vendor and device IDs (/sys/bus/pci/devices/%s/vendor, device): %s; refusing to touch anything\n",
			c->path, d->line, d->bdf, d->bdf, strerror(-ret));
		return -ENODEV;
	}
	if ((ret = devstate_read(d->bdf, &st, why, sizeof(why)))) {
		fprintf(err, "%s:%d: device %s: %s; refusing to touch anything\n",
			c->path, d->line, d->bdf, why);
		return -ENODEV;
	}
	if (vendor == d->vendor && device == d->device &&
	    (!d->driver[0] || !strcmp(st.driver, d->driver)))
		return 0;
	snprintf(is, sizeof(is), "%04x:%04x %s%s", (unsigned int)vendor,
		 (unsigned int)device, st.driver[0] ? "on " : "with no driver", st.driver);
	snprintf(want, sizeof(want), "%04x:%04x%s%s", d->vendor, d->device,
		 d->driver[0] ? " on " : "", d->driver);
	fprintf(err, "%s:%d: device %s is %s, expected %s: refusing to touch anything; fix the config%s\n",
		c->path, d->line, d->bdf, is, want,
		vendor == d->vendor && device == d->device && driver_is_vfio(st.driver) ?
		", or give it back with `runner restore` if an earlier run left it there" : "");
	return -EINVAL;
}

/*
 * Every device the config names, before any is selected: it must exist and
 * be what its block says. All are checked, so one try reports every wrong
 * block. 0, or the first problem: -ENODEV missing, -EINVAL something else.
 */
static int check_config(const struct lab_config *c, FILE *err)
{
	int ret = 0, r;

	for (size_t i = 0; i < c->n; i++) {
		const struct lab_device *d = &c->dev[i];

		if (!exists(d->bdf)) {
			fprintf(err, "%s:%d: no PCI device %s on this machine (/sys/bus/pci/devices/%s is missing)\n",
				c->path, d->line, d->bdf, d->bdf);
			r = -ENODEV;
		} else {
			r = check_identity(c, d, err);
		}
		if (r && !ret)
			ret = r;
	}
	return ret;
}

/* Named devices (config first, in file order, then --device), checked. */
static int add_named(struct selection *s, const struct select_opts *o,
		     size_t *n_named, FILE *err)
{
	int ret;

	*n_named = 0;
	if ((ret = check_config(&s->lab, err)))
		return ret;
	for (size_t i = 0; i < s->lab.n; i++) {
		(*n_named)++;
		if (passes(o, s->lab.dev[i].bdf) && (ret = add(s, s->lab.dev[i].bdf)))
			return ret;
	}
	for (size_t i = 0; i < o->n_named; i++) {
		if (!exists(o->named[i])) {
			fprintf(err, "--device %s: no such PCI device on this machine (/sys/bus/pci/devices/%s is missing)\n",
				o->named[i], o->named[i]);
			return -ENODEV;
		}
		(*n_named)++;
		if (passes(o, o->named[i]) && (ret = add(s, o->named[i])))
			return ret;
	}
	return 0;
}

static int add_filtered(struct selection *s, const struct select_opts *o,
			size_t *n_seen)
{
	char **names;
	int n, ret = 0;

	n = sysfs_list("/sys/bus/pci/devices", &names);
	if (n < 0)
		return n;
	*n_seen = (size_t)n;
	for (int i = 0; i < n && !ret; i++)
		if (passes(o, names[i]))
			ret = add(s, names[i]);
	sysfs_list_free(names);
	return ret;
}

int select_devices(struct selection *s, const struct select_opts *o, FILE *err)
{
	bool filters = o->by_id || o->by_class;
	size_t n_named = 0, n_seen = 0;
	int ret;

	memset(s, 0, sizeof(*s));
	/* A config that cannot be read (missing, a directory) is bad input
	 * like one that does not parse; its message is out already. */
	if (o->config && (ret = labconfig_load(&s->lab, o->config, err)))
		return ret == -ENOMEM ? ret : -EINVAL;
	if (o->config || o->n_named)
		ret = add_named(s, o, &n_named, err);
	else if (filters)
		ret = add_filtered(s, o, &n_seen);
	else
		ret = 0;
	if (ret == -ENOMEM || (ret < 0 && ret != -ENODEV && ret != -EINVAL))
		fprintf(err, "selecting devices: %s\n", strerror(-ret));
	if (ret) {
		selection_free(s);
		return ret;
	}
	if (s->n)
		return 0;
	if (!o->config && !o->n_named && !filters)
		fprintf(err, "nothing selected: name devices with --device BDF or --config FILE, or filter with --vendor/--class; nothing was touched\n");
	else if (o->config && !n_named)
		fprintf(err, "nothing selected: %s names no device; nothing was touched\n",
			o->config);
	else if (o->config || o->n_named)
		fprintf(err, "nothing selected: none of the %zu named devices passes the --vendor/--class filters; nothing was touched\n",
			n_named);
	else
		fprintf(err, "nothing selected: none of the %zu PCI devices passes the --vendor/--class filters; nothing was touched\n",
			n_seen);
	return 0;
}

void selection_free(struct selection *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
	labconfig_free(&s->lab);
}
