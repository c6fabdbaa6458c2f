// SPDX-License-Identifier: GPL-2.0-only
#include "host/restore.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "discover/pci.h"
#include "host/journal.h"
#include "sysfs/sysfs_write.h"
#include "sysfs/sysroot.h"

/* Note the first failed write; carry on, the other steps may still help. */
static void attempt(const char *path, const char *val, int *first_err,
		    char *why, size_t len)
{
	int err = sysfs_write(path, val);

	if (err && !*first_err) {
		*first_err = err;
		snprintf(why, len, "writing '%s' to %s: %s", val[0] == '\n' ? "\\n" : val,
			 path, strerror(-err));
	}
}

static void bind_driver(const char *bdf, const char *driver, int *first_err,
			char *why, size_t len)
{
	char path[PATH_MAX];

	/* Ask the driver by name first: drivers_probe might pick another. */
	path_fmt(path, sizeof(path), "/sys/bus/pci/drivers/%s/bind", driver);
	if (sysfs_exists(path) && !sysfs_write(path, bdf))
		return;
	attempt("/sys/bus/pci/drivers_probe", bdf, first_err, why, len);
}

static void restore_numvfs(const char *bdf, int cur, int want, int *first_err,
			   char *why, size_t len)
{
	char path[PATH_MAX], val[16];

	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/sriov_numvfs", bdf);
	/* the kernel only changes a nonzero count through 0 */
	if (cur > 0)
		attempt(path, "0", first_err, why, len);
	if (want > 0) {
		snprintf(val, sizeof(val), "%d", want);
		attempt(path, val, first_err, why, len);
	}
}

int restore_device(const char *bdf, const struct dev_state *orig, char *why,
		   size_t len)
{
	struct dev_state cur;
	char path[PATH_MAX], have[160], want[160];
	int err, first_err = 0;

	why[0] = '\0';
	err = devstate_read(bdf, &cur, why, len);
	if (err)
		return err;
	if (devstate_equal(&cur, orig))
		return 0;
	if (strcmp(cur.driver, orig->driver) && cur.driver[0]) {
		path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/driver/unbind", bdf);
		attempt(path, bdf, &first_err, why, len);
	}
	if (strcmp(cur.override, orig->override)) {
		path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/driver_override", bdf);
		/* "\n" clears an override (drivers/base/driver.c) */
		attempt(path, orig->override[0] ? orig->override : "\n", &first_err,
			why, len);
	}
	if (strcmp(cur.driver, orig->driver) && orig->driver[0])
		bind_driver(bdf, orig->driver, &first_err, why, len);
	if (orig->sriov_numvfs >= 0 && cur.sriov_numvfs != orig->sriov_numvfs)
		restore_numvfs(bdf, cur.sriov_numvfs, orig->sriov_numvfs,
			       &first_err, why, len);

	err = devstate_read(bdf, &cur, why, len);
	if (err)
		return err;
	if (devstate_equal(&cur, orig))
		return 0;
	devstate_describe(&cur, have, sizeof(have));
	devstate_describe(orig, want, sizeof(want));
	if (first_err) {
		size_t used = strlen(why);

		snprintf(why + used, len - used, "; now %s, expected %s", have, want);
	} else {
		snprintf(why, len, "now %s, expected %s", have, want);
	}
	return first_err ? first_err : -EIO;
}

/*
 * Put Enable No Snoop back as it was before the first change: the one bit
 * a runner changes (vfio/devctl.h). The other bits are left as they are
 * now: whatever set them since (the kernel, a driver) owns them.
 */
static int restore_devctl(const char *bdf, uint16_t orig, uint16_t *now,
			  char *why, size_t len)
{
	struct devctl_view v;
	char msg[512];
	uint16_t want;
	int err = pcidev_devctl_read(bdf, &v, msg, sizeof(msg));

	if (err) {
		snprintf(why, len, "reading DevCtl through libpci: %s",
			 msg[0] ? msg : strerror(-err));
		return err;
	}
	*now = v.devctl;
	if (pcie_devctl_ens(v.devctl) == pcie_devctl_ens(orig))
		return 0;
	want = pcie_devctl_with_ens(v.devctl, pcie_devctl_ens(orig));
	err = pcidev_devctl_write(bdf, want, msg, sizeof(msg));
	if (!err)
		err = pcidev_devctl_read(bdf, &v, msg, sizeof(msg));
	if (err) {
		snprintf(why, len, "writing DevCtl 0x%04x through libpci: %s", want,
			 msg[0] ? msg : strerror(-err));
		return err;
	}
	*now = v.devctl;
	if (v.devctl != want) {
		snprintf(why, len, "wrote DevCtl 0x%04x, reads back 0x%04x", want, v.devctl);
		return -EIO;
	}
	return 0;
}

static bool is_devctl(const struct journal_rec *r)
{
	return !strcmp(r->step, JOURNAL_STEP_DEVCTL);
}

struct journalled {
	const char *bdf;
	const struct journal_rec *bind;		/* first binding record: the state to give back */
	const struct journal_rec *devctl;	/* first DevCtl record: the value before any change */
	bool bind_mine;				/* binding to restore in this replay */
	bool devctl_mine;			/* DevCtl to restore in this replay */
	bool bind_done, devctl_done;		/* back (or gone): those records leave */
};

/*
 * Devices in order of first appearance; what of them this replay owns. A
 * runner owns the binding it made, and any DevCtl change on a device it
 * bound (its suites made those, each with its own pid).
 */
static size_t devices_of(const struct journal_rec *recs, size_t n, long pid,
			 struct journalled *dev)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const struct journal_rec *r = &recs[i];
		bool mine = !pid || r->pid == pid;
		size_t j;

		for (j = 0; j < k && strcmp(dev[j].bdf, r->bdf); j++)
			;
		if (j == k)
			dev[k++].bdf = r->bdf;
		if (is_devctl(r)) {
			if (!dev[j].devctl)
				dev[j].devctl = r;
		} else {
			if (!dev[j].bind)
				dev[j].bind = r;
			dev[j].bind_mine |= mine;
		}
		dev[j].devctl_mine |= mine;	/* so far: any record of it is mine */
	}
	for (size_t j = 0; j < k; j++)
		dev[j].devctl_mine &= dev[j].devctl != NULL;
	return k;
}

static const struct journalled *device_of(const struct journalled *dev, size_t k,
					  const char *bdf)
{
	for (size_t i = 0; i < k; i++)
		if (!strcmp(dev[i].bdf, bdf))
			return &dev[i];
	return NULL;
}

/*
 * Gone from the machine (hot-removed, its PF's VFs disabled): nothing can
 * be given back, and a device that comes back is probed afresh. Only where
 * sysfs lists PCI devices at all: an unmounted /sys forgets nothing.
 */
static bool gone(const char *bdf)
{
	char path[PATH_MAX];

	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s", bdf);
	return sysfs_exists("/sys/bus/pci/devices") && !sysfs_exists(path);
}

static void say_gone(const struct journalled *d, FILE *out)
{
	char desc[160] = "", ctl[64] = "";

	if (d->bind_mine)
		devstate_describe(&d->bind->orig, desc, sizeof(desc));
	if (d->devctl_mine)
		snprintf(ctl, sizeof(ctl), "DevCtl 0x%04x", d->devctl->devctl);
	fprintf(out, "gone %s: no longer on the machine, so nothing can be restored; its records are dropped (it had %s%s%s)\n",
		d->bdf, desc, desc[0] && ctl[0] ? "; " : "", ctl);
}

/* Restore what of d this replay owns; false when something failed. */
static bool restore_one(struct journalled *d, FILE *out, FILE *err)
{
	char why[1024], desc[160];
	uint16_t now;
	bool ok = true;

	if (gone(d->bdf)) {
		say_gone(d, out);
		d->bind_done = d->bind_mine;
		d->devctl_done = d->devctl_mine;
		return true;
	}
	/* DevCtl first: changes are undone in reverse, and a driver bound
	 * again may set DevCtl itself when it probes */
	if (d->devctl_mine) {
		if (restore_devctl(d->bdf, d->devctl->devctl, &now, why, sizeof(why))) {
			fprintf(err, "restore-failed %s: %s\n", d->bdf, why);
			ok = false;
		} else {
			d->devctl_done = true;
			fprintf(out, "restored %s: DevCtl Enable No Snoop %s, as before the first change (DevCtl 0x%04x, journalled 0x%04x)\n",
				d->bdf, pcie_devctl_ens(now) ? "on" : "off", now,
				d->devctl->devctl);
		}
	}
	if (d->bind_mine) {
		if (restore_device(d->bdf, &d->bind->orig, why, sizeof(why))) {
			fprintf(err, "restore-failed %s: %s\n", d->bdf, why);
			ok = false;
		} else {
			d->bind_done = true;
			devstate_describe(&d->bind->orig, desc, sizeof(desc));
			fprintf(out, "restored %s: %s\n", d->bdf, desc);
		}
	}
	return ok;
}

int restore_journal(const char *dir, long pid, FILE *out, FILE *err)
{
	struct journal_rec *recs = NULL, *keep = NULL;
	struct journalled *dev = NULL;
	size_t n = 0, k, n_keep = 0, n_failed = 0;
	char kept[PATH_MAX];
	bool damaged, rewrite = true;
	int lock, ret;

	/* against a DevCtl change journalled meanwhile (they take no run lock) */
	lock = journal_lock(dir, err);
	if (lock < 0)
		return lock;
	ret = journal_load(dir, &recs, &n, err);
	damaged = ret == -EINVAL;
	if (ret && !damaged)
		goto out;
	/* the damaged lines leave the journal below: a person may need them */
	if (damaged) {
		if (journal_keep_damaged(dir, kept, sizeof(kept), err)) {
			rewrite = false;
			fprintf(err, "%s/%s: damaged; left as it is, since no copy could be kept; its readable records are replayed all the same\n",
				dir, JOURNAL_NAME);
		} else {
			fprintf(err, "%s/%s: damaged; kept byte for byte as %s; its readable records are replayed\n",
				dir, JOURNAL_NAME, kept);
		}
	}
	dev = calloc(n + 1, sizeof(*dev));
	keep = calloc(n + 1, sizeof(*keep));
	if (!dev || !keep) {
		ret = -ENOMEM;
		goto out;
	}
	k = devices_of(recs, n, pid, dev);
	for (size_t i = k; i-- > 0;)
		if ((dev[i].bind_mine || dev[i].devctl_mine) &&
		    !restore_one(&dev[i], out, err))
			n_failed++;
	/* The journal keeps every record of a change still to undo. */
	for (size_t r = 0; r < n; r++) {
		const struct journalled *d = device_of(dev, k, recs[r].bdf);

		if (!(is_devctl(&recs[r]) ? d->devctl_done : d->bind_done))
			keep[n_keep++] = recs[r];
	}
	ret = rewrite ? journal_rewrite(dir, keep, n_keep) : 0;
	if (ret)
		fprintf(err, "%s/%s: cannot update after restoring: %s\n", dir,
			JOURNAL_NAME, strerror(-ret));
	else if (damaged)
		ret = -EINVAL;
	else if (n_failed)
		ret = -EIO;
	else if (!k)
		ret = -ENOENT;	/* an empty journal: nothing was ever changed */
out:
	journal_unlock(lock);
	free(dev);
	free(keep);
	free(recs);
	return ret;
}
