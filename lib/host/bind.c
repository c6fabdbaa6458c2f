// SPDX-License-Identifier: GPL-2.0-only
#include "host/bind.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host/inuse.h"
#include "sysfs/sysfs_write.h"
#include "sysfs/sysroot.h"

#define VFIO_PCI "vfio-pci"

/* Messages may be cut at the buffer's end; they are for people. */
static void say_error(struct bind_result *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void say_error(struct bind_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
}

const char *member_action_name(enum member_action a)
{
	switch (a) {
	case MEMBER_BOUND:		return "bound";
	case MEMBER_WOULD_BIND:		return "would-bind";
	case MEMBER_ALREADY_VFIO:	return "already-vfio";
	case MEMBER_LEFT_VIABLE:	return "left-viable";
	case MEMBER_LEFT_UNBOUND:	return "left-unbound";
	case MEMBER_PENDING:		return "not-bound";
	}
	return "?";
}

/* The group's members, sorted; a device without a group is alone. */
static int read_group(const char *bdf, struct bind_result *r)
{
	char path[PATH_MAX], group[32];
	char **names;
	int n;

	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	if (sysfs_link_name(path, group, sizeof(group))) {
		r->group = -1;
		r->n_members = 1;
		strcpy(r->member[0].bdf, bdf);
		return 0;
	}
	r->group = atoi(group);
	path_fmt(path, sizeof(path), "/sys/kernel/iommu_groups/%s/devices", group);
	n = sysfs_list(path, &names);
	if (n <= 0) {
		say_error(r, "cannot list %s: %s", path,
			 n ? strerror(-n) : "empty");
		return n ? n : -ENOENT;
	}
	if (n > BIND_MAX_MEMBERS) {
		say_error(r, "IOMMU group %d has %d devices, more than the %d this runner handles",
			 r->group, n, BIND_MAX_MEMBERS);
		sysfs_list_free(names);
		return -EPERM;
	}
	for (int i = 0; i < n; i++) {
		if (!bdf_is_pci_name(names[i])) {
			say_error(r, "IOMMU group %d holds %s, which is not a PCI device: vfio-pci cannot take it, so the group cannot be made viable",
				 r->group, names[i]);
			sysfs_list_free(names);
			return -EPERM;
		}
		strcpy(r->member[i].bdf, names[i]);
	}
	r->n_members = (size_t)n;
	sysfs_list_free(names);
	return 0;
}

/* vfio-pci only drives normal (type 0 header) functions, never bridges. */
static bool is_bridge(const char *bdf)
{
	char path[PATH_MAX];
	uint64_t class;

	path_fmt(path, sizeof(path), "/sys/bus/pci/devices/%s/class", bdf);
	if (sysfs_read_u64(path, 16, &class))
		return false;
	return (class >> 8) == 0x0604 || (class >> 8) == 0x0607 ||
	       (class >> 8) == 0x0609;
}

/* Decide each member's fate from its current driver. */
static int classify(struct bind_result *r, bool dry_run)
{
	for (size_t i = 0; i < r->n_members; i++) {
		struct bind_member *m = &r->member[i];
		char why[512];
		int err = devstate_read(m->bdf, &m->orig, why, sizeof(why));

		if (err) {
			say_error(r, "%s: %s", m->bdf, why);
			return err;
		}
		if (!m->orig.driver[0]) {
			m->action = MEMBER_LEFT_UNBOUND;
		} else if (driver_is_vfio(m->orig.driver)) {
			m->action = MEMBER_ALREADY_VFIO;
		} else if (driver_keeps_group_viable(m->orig.driver)) {
			m->action = MEMBER_LEFT_VIABLE;
		} else if (is_bridge(m->bdf)) {
			say_error(r, "%s is a bridge on %s, which vfio-pci cannot replace (it drives normal functions only): IOMMU group %d cannot be made viable",
				 m->bdf, m->orig.driver, r->group);
			return -EPERM;
		} else {
			m->action = dry_run ? MEMBER_WOULD_BIND : MEMBER_PENDING;
		}
	}
	/* The selected device itself must end on vfio-pci even if unbound. */
	for (size_t i = 0; i < r->n_members; i++)
		if (!strcmp(r->member[i].bdf, r->bdf) &&
		    r->member[i].action == MEMBER_LEFT_UNBOUND)
			r->member[i].action = dry_run ? MEMBER_WOULD_BIND : MEMBER_PENDING;
	return 0;
}

static bool to_move(const struct bind_member *m)
{
	return m->action == MEMBER_PENDING || m->action == MEMBER_WOULD_BIND;
}

/* In-use guard over every member that would leave its driver. */
static int guard(struct bind_result *r, bool force)
{
	int busy = 0;

	for (size_t i = 0; i < r->n_members; i++) {
		struct bind_member *m = &r->member[i];

		if (!to_move(m) || !m->orig.driver[0])
			continue;	/* an unbound device serves no one */
		if (!inuse_check(m->bdf, m->inuse, sizeof(m->inuse)))
			continue;
		if (force) {
			m->forced = true;
			continue;
		}
		if (!busy)
			say_error(r, "in use: %s: %s",
				 m->bdf, m->inuse);
		busy = 1;
	}
	if (busy)
		strncat(r->error, " (--force overrides)",
			sizeof(r->error) - strlen(r->error) - 1);
	return busy ? -EBUSY : 0;
}

struct step {
	const char *name;
	char path[PATH_MAX];
	const char *val;
};

/* Journal the step, then make it. */
static int do_step(const struct bind_opts *o, struct bind_result *r,
		   const struct bind_member *m, const struct step *s)
{
	struct journal_rec rec;
	int err;

	if (o->interrupted && o->interrupted()) {
		say_error(r, "interrupted before %s of %s",
			 s->name, m->bdf);
		return -EINTR;
	}
	memset(&rec, 0, sizeof(rec));
	strcpy(rec.bdf, m->bdf);
	snprintf(rec.step, sizeof(rec.step), "%s", s->name);
	rec.orig = m->orig;
	rec.pid = o->pid;
	err = journal_append(o->journal, &rec);
	if (err) {
		say_error(r, "cannot journal %s of %s in %s: %s; not made", s->name,
			 m->bdf, o->journal->path, strerror(-err));
		return err;
	}
	err = sysfs_write(s->path, s->val);
	if (err)
		say_error(r, "%s of %s: writing '%s' to %s: %s",
			 s->name, m->bdf, s->val, s->path, strerror(-err));
	return err;
}

static int move_member(const struct bind_opts *o, struct bind_result *r,
		       struct bind_member *m)
{
	struct step steps[4];
	char now[64];
	size_t n = 0;
	int err;

	if (m->orig.sriov_numvfs > 0) {
		/* VFs would outlive their PF's driver; restore brings them back */
		steps[n] = (struct step){ "sriov-off", "", "0" };
		path_fmt(steps[n++].path, PATH_MAX,
			 "/sys/bus/pci/devices/%s/sriov_numvfs", m->bdf);
	}
	steps[n] = (struct step){ "override", "", VFIO_PCI };
	path_fmt(steps[n++].path, PATH_MAX, "/sys/bus/pci/devices/%s/driver_override", m->bdf);
	if (m->orig.driver[0]) {
		steps[n] = (struct step){ "unbind", "", m->bdf };
		path_fmt(steps[n++].path, PATH_MAX, "/sys/bus/pci/devices/%s/driver/unbind", m->bdf);
	}
	steps[n] = (struct step){ "probe", "", m->bdf };
	path_fmt(steps[n++].path, PATH_MAX, "/sys/bus/pci/drivers_probe");

	for (size_t i = 0; i < n; i++)
		if ((err = do_step(o, r, m, &steps[i])))
			return err;
	path_fmt(steps[0].path, PATH_MAX, "/sys/bus/pci/devices/%s/driver", m->bdf);
	if (sysfs_link_name(steps[0].path, now, sizeof(now)))
		strcpy(now, "none");
	if (strcmp(now, VFIO_PCI)) {
		/* vfio_group_find_or_alloc() wants a group unless in noiommu mode */
		say_error(r, "vfio-pci did not take %s (its driver is now %s)%s; see the kernel log",
			  m->bdf, now, r->group < 0 ?
			  ": it has no IOMMU group, and VFIO needs one (or vfio's enable_unsafe_noiommu_mode)" : "");
		return -EIO;
	}
	m->action = MEMBER_BOUND;
	return 0;
}

/*
 * vfio-pci takes a device without an IOMMU group only in vfio's unsafe
 * no-IOMMU mode (vfio_group_find_or_alloc()); otherwise its probe fails
 * after the driver was already taken away. Say so before touching it.
 */
static int need_group(struct bind_result *r)
{
	char mode[8];

	if (r->group >= 0)
		return 0;
	if (sysfs_read("/sys/module/vfio/parameters/enable_unsafe_noiommu_mode",
		       mode, sizeof(mode)) >= 0 && mode[0] == 'Y')
		return 0;
	say_error(r, "it has no IOMMU group, and VFIO needs one: enable the IOMMU "
		  "(intel_iommu=on / amd_iommu=on), or vfio's enable_unsafe_noiommu_mode, "
		  "which enforces nothing");
	return -ENXIO;
}

int bind_device(const char *bdf, const struct bind_opts *o, struct bind_result *r)
{
	int err;

	memset(r, 0, sizeof(*r));
	snprintf(r->bdf, sizeof(r->bdf), "%s", bdf);
	err = read_group(bdf, r);
	if (!err)
		err = classify(r, o->dry_run);
	/* in use first: that is the reason that protects someone's work */
	if (!err)
		err = guard(r, o->force);
	if (!err)
		err = need_group(r);
	if (!err && !o->dry_run && !sysfs_exists("/sys/bus/pci/drivers/" VFIO_PCI)) {
		say_error(r, "the vfio-pci driver is not loaded (modprobe vfio-pci)");
		err = -ENOENT;
	}
	if (err) {
		r->refused = true;
		return err;
	}
	if (o->dry_run)
		return 0;
	for (size_t i = 0; i < r->n_members; i++)
		if (to_move(&r->member[i]) &&
		    (err = move_member(o, r, &r->member[i])))
			return err;
	return 0;
}

static bool dry_run(const struct bind_result *r)
{
	for (size_t i = 0; i < r->n_members; i++)
		if (r->member[i].action == MEMBER_WOULD_BIND)
			return true;
	return false;
}

void bind_result_print(const struct bind_result *r, FILE *f)
{
	char group[32] = "no IOMMU group";

	if (r->group >= 0)
		snprintf(group, sizeof(group), "IOMMU group %d", r->group);
	if (r->refused)
		fprintf(f, "%s: refused, nothing touched: %s\n", r->bdf, r->error);
	else if (r->error[0])
		fprintf(f, "%s: failed: %s\n", r->bdf, r->error);
	else
		fprintf(f, "%s: %s vfio-pci (%s, %zu device%s)\n", r->bdf,
			dry_run(r) ? "dry run, would go to" : "on", group,
			r->n_members, r->n_members == 1 ? "" : "s");
	for (size_t i = 0; i < r->n_members; i++) {
		const struct bind_member *m = &r->member[i];

		fprintf(f, "  %s %-12s was %s\n", m->bdf, member_action_name(m->action),
			m->orig.driver[0] ? m->orig.driver : "unbound");
		if (m->forced)
			fprintf(f, "    forced although in use: %s\n", m->inuse);
	}
}

struct json_object *bind_result_json(const struct bind_result *r)
{
	struct json_object *o = json_object_new_object();
	struct json_object *members = json_object_new_array();

	json_object_object_add(o, "bdf", json_object_new_string(r->bdf));
	json_object_object_add(o, "iommu_group",
			       r->group >= 0 ? json_object_new_int(r->group) : NULL);
	json_object_object_add(o, "refused", json_object_new_boolean(r->refused));
	json_object_object_add(o, "error", r->error[0] ?
			       json_object_new_string(r->error) : NULL);
	for (size_t i = 0; i < r->n_members; i++) {
		const struct bind_member *m = &r->member[i];
		struct json_object *j = json_object_new_object();

		json_object_object_add(j, "bdf", json_object_new_string(m->bdf));
		json_object_object_add(j, "action",
				       json_object_new_string(member_action_name(m->action)));
		json_object_object_add(j, "original_driver", m->orig.driver[0] ?
				       json_object_new_string(m->orig.driver) : NULL);
		json_object_object_add(j, "forced", json_object_new_boolean(m->forced));
		json_object_object_add(j, "in_use", m->inuse[0] ?
				       json_object_new_string(m->inuse) : NULL);
		json_object_array_add(members, j);
	}
	json_object_object_add(o, "members", members);
	return o;
}
