// SPDX-License-Identifier: GPL-2.0-only
/*
 * attach_pair: two devices on one iommufd sharing one domain, and the reuse
 * corner of DESIGN.md §1.
 *
 *   suites/attach_pair BDF [PARTNER]
 *
 * PARTNER defaults to $SNOOPCHECK_DEVICE2, else to another device of
 * $SNOOPCHECK_DEVICES (what runner run has bound) that is on vfio-pci behind
 * an IOMMU, preferring one whose unit differs from BDF's in Snoop Control.
 *
 * The kernel's rules (6.12):
 * - drivers/iommu/iommufd/hw_pagetable.c: a HWPT's cache coherency is fixed
 *   when it is allocated, by the device it is allocated for. A non-coherent
 *   HWPT may later take a device that could enforce; a coherent HWPT
 *   refuses a device whose unit cannot (VT-d: paging_domain_compatible()
 *   gives -EINVAL).
 * - drivers/iommu/iommufd/device.c: attaching to an IOAS first tries the
 *   IOAS's existing auto domains, skipping those that answer -EINVAL, and
 *   allocates a new one only when none fits. So the order of attach
 *   decides: the incapable device first, and the capable one lands on its
 *   non-coherent domain too.
 * In both corners the domain does not enforce although
 * vfio_file_enforced_coherent() still reports the capable device's
 * capability to KVM: that is what the corner tests record. Kernels before
 * 6.7 refused the join with -EINVAL, which closes the corner.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "base/bdf.h"
#include "host/plan.h"
#include "host/select.h"
#include "suite/suite.h"
#include "vfio/iommufd.h"
#include "vfio/vfio.h"

static const char *device_bdf, *partner_arg;

struct member {
	const char *bdf;
	char unit[64];
	uint64_t ecap;
	int capable;		/* 1, 0; -1 unknown */
};

/* Two devices bound to one iommufd and sharing its IOAS, neither attached. */
struct pair {
	struct member self, partner;
	struct attach a, b;	/* a: our device, owns the iommufd; b: joins it */
	bool open;
};

static void describe(struct member *m, const char *bdf)
{
	m->bdf = bdf;
	m->capable = devready_unit_can_enforce(bdf, m->unit, sizeof(m->unit), &m->ecap);
}

/*
 * The partner from $SNOOPCHECK_DEVICES: a ready device other than ours,
 * chosen by the runner's own rule (host/plan.h), so a suite run by hand
 * under `runner bind -- ...` pairs the devices as `runner run` does.
 */
static const char *pick_partner(const struct member *self)
{
	static char chosen[32];
	struct plan_candidate c[SELECT_MAX_NAMED];
	char *list, *bdf, *save, why[256];
	const char *devs = getenv("SNOOPCHECK_DEVICES");
	size_t n = 0;
	int k;

	if (!devs || !(list = strdup(devs)))
		return NULL;
	for (bdf = strtok_r(list, " ,", &save); bdf && n < SELECT_MAX_NAMED;
	     bdf = strtok_r(NULL, " ,", &save)) {
		struct member m;

		if (devready_vfio(bdf, why, sizeof(why)))
			continue;
		describe(&m, bdf);
		c[n].bdf = bdf;
		c[n++].capable = m.capable;
	}
	k = plan_pick_partner(self->bdf, self->capable, c, n);
	snprintf(chosen, sizeof(chosen), "%s", k >= 0 ? c[k].bdf : "");
	free(list);
	return chosen[0] ? chosen : NULL;
}

/* Every fixture's first step: both devices ready and described, or a skip. */
static void pair_pick(struct __test_metadata *_metadata, struct pair *st)
{
	char why[256];
	const char *skip = devready_vfio(device_bdf, why, sizeof(why));
	const char *partner;

	st->open = false;
	if (skip)
		SKIP(return, "%s", skip);
	describe(&st->self, device_bdf);
	if (st->self.capable < 0)
		SKIP(return, "no IOMMU unit serves %s (or its registers are unreadable)",
		     device_bdf);
	partner = partner_arg ? partner_arg : pick_partner(&st->self);
	if (!partner)
		SKIP(return, "needs a second device on vfio-pci behind an IOMMU: pass it as "
		     "suites/attach_pair %s PARTNER (or SNOOPCHECK_DEVICE2), or select two "
		     "devices for runner run", device_bdf);
	skip = devready_vfio(partner, why, sizeof(why));
	if (skip)
		SKIP(return, "partner: %s", skip);
	describe(&st->partner, partner);
	if (st->partner.capable < 0)
		SKIP(return, "no IOMMU unit serves the partner %s", partner);
}

/* The native fixtures' setup: both cdevs bound to one iommufd, st->open. */
static void pair_open(struct __test_metadata *_metadata, struct pair *st)
{
	int ret;

	pair_pick(_metadata, st);
	if (_metadata->exit_code)
		return;
	ret = iommufd_open_bound(&st->a, device_bdf);
	if (ret)
		attach_close(&st->a);
	if (ret == -EOPNOTSUPP)
		SKIP(return, "%s", st->a.reason);
	ASSERT_EQ(0, ret) TH_LOG("%s", st->a.reason);
	ret = iommufd_join(&st->b, &st->a, st->partner.bdf);
	if (ret) {
		attach_close(&st->b);
		attach_close(&st->a);
	}
	ASSERT_EQ(0, ret) TH_LOG("%s", st->b.reason);
	st->open = true;
}

static void pair_close(struct pair *st)
{
	if (st->open) {
		attach_close(&st->b);
		attach_close(&st->a);
	}
}

static json_object *member_json(const struct member *m)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "bdf", json_object_new_string(m->bdf));
	json_object_object_add(o, "unit", json_object_new_string(m->unit));
	json_object_object_add(o, "unit_can_enforce", json_object_new_boolean(m->capable));
	return o;
}

/*
 * One shared-domain fact for the runner (lib/judge/tally.c): the domain was made
 * for "first" and "second" tried to join it; "domain_can_enforce" is what
 * the units' registers allow it, "corner_open" that a capable device now
 * runs on a domain made for an incapable one. same_domain -1: not known.
 */
static void emit_shared(const char *how, const struct member *first, const struct member *second,
			int join, int same_domain, int enforced, bool can_enforce)
{
	json_object *ev = json_object_new_object();
	bool corner = second->capable && !first->capable;
	const char *outcome = join ? strerrorname_np(-join) : "ok";

	json_object_object_add(ev, "shared", json_object_new_string(how));
	json_object_object_add(ev, "first", member_json(first));
	json_object_object_add(ev, "second", member_json(second));
	json_object_object_add(ev, "join", json_object_new_string(outcome ? outcome : "unknown"));
	if (same_domain >= 0)	/* a container does not say which domain it used */
		json_object_object_add(ev, "same_domain", json_object_new_boolean(same_domain));
	json_object_object_add(ev, "domain_enforced", json_object_new_int(enforced));
	json_object_object_add(ev, "domain_can_enforce", json_object_new_boolean(can_enforce));
	json_object_object_add(ev, "reuse_corner", json_object_new_boolean(corner));
	json_object_object_add(ev, "corner_open",
			       json_object_new_boolean(corner && !join && same_domain == 1));
	evidence_emit(stdout, ev);
	if (corner && !join && same_domain == 1)
		ksft_print_msg("note: %s runs on a non-coherent domain although its unit %s can "
			       "enforce, while vfio_file_enforced_coherent() tells KVM it is coherent\n",
			       second->bdf, second->unit);
}

FIXTURE(hwpt) {
	struct pair st;
};
FIXTURE_SETUP(hwpt) { pair_open(_metadata, &self->st); }
FIXTURE_TEARDOWN(hwpt) { pair_close(&self->st); }

/*
 * A HWPT allocated for our device, the partner attached to it too: the
 * attach succeeds unless the HWPT enforces and the partner's unit cannot
 * (-EINVAL; also a kernel before 6.7 refusing a capable partner on a
 * non-coherent HWPT), and the HWPT enforces exactly what our unit can.
 */
TEST_F(hwpt, shared_hwpt_follows_the_allocating_device)
{
	struct pair *st = &self->st;
	bool refuse = st->self.capable && !st->partner.capable;
	bool may_refuse = !st->self.capable && st->partner.capable;
	uint32_t hwpt;
	int ret, enforced;

	ASSERT_EQ(0, iommufd_hwpt_alloc(&st->a, st->a.dev_id, &hwpt)) TH_LOG("%s", st->a.reason);
	ASSERT_EQ(0, iommufd_attach_pt(&st->a, hwpt)) TH_LOG("%s", st->a.reason);
	ret = iommufd_attach_pt(&st->b, hwpt);
	enforced = attach_enforced(&st->a);
	emit_shared("hwpt", &st->self, &st->partner, ret, !ret, enforced, st->self.capable);
	if (refuse || (may_refuse && ret == -EINVAL)) {
		EXPECT_EQ(-EINVAL, ret) TH_LOG("%s joined the coherent HWPT of %s although its "
					       "unit cannot enforce", st->partner.bdf, device_bdf);
	} else {
		EXPECT_EQ(0, ret) TH_LOG("%s", st->b.reason);
	}
	EXPECT_EQ(st->self.capable, enforced)
		TH_LOG("cc-misreported: the HWPT allocated for %s (unit can enforce: %d) reports "
		       "enforcement %d with %s attached", device_bdf, st->self.capable,
		       enforced, st->partner.bdf);
}

/*
 * The corner itself: a HWPT allocated for the device whose unit cannot
 * enforce, then the capable device attached to it. 6.7 on allow it and the
 * domain must still report no enforcement; earlier kernels refuse it.
 */
TEST_F(hwpt, reuse_corner_capable_device_on_a_non_coherent_hwpt)
{
	struct pair *st = &self->st;
	struct attach *weak, *strong;
	struct member *wm, *sm;
	uint32_t hwpt;
	int ret, enforced;

	if (st->self.capable == st->partner.capable)
		SKIP(return, "%s (%s) and %s (%s) are behind units that agree on Snoop Control "
		     "(%d): the corner needs two devices behind units that differ, such as an "
		     "Intel client's integrated GPU and a device behind the other DMAR unit; "
		     "select both for runner run", device_bdf, st->self.unit,
		     st->partner.bdf, st->partner.unit, st->self.capable);
	weak = st->self.capable ? &st->b : &st->a;
	strong = st->self.capable ? &st->a : &st->b;
	wm = st->self.capable ? &st->partner : &st->self;
	sm = st->self.capable ? &st->self : &st->partner;
	ASSERT_EQ(0, iommufd_hwpt_alloc(&st->a, weak->dev_id, &hwpt)) TH_LOG("%s", st->a.reason);
	ASSERT_EQ(0, iommufd_attach_pt(weak, hwpt)) TH_LOG("%s", weak->reason);
	ret = iommufd_attach_pt(strong, hwpt);
	enforced = attach_enforced(&st->a);
	emit_shared("hwpt", wm, sm, ret, !ret, enforced, false);
	if (ret == -EINVAL) {
		ksft_print_msg("note: the kernel refused %s on the non-coherent HWPT (the corner "
			       "is closed, as before 6.7)\n", sm->bdf);
	} else {
		EXPECT_EQ(0, ret) TH_LOG("%s", strong->reason);
	}
	EXPECT_EQ(0, enforced)
		TH_LOG("cc-misreported: the HWPT allocated for %s (no Snoop Control) reports "
		       "enforcement %d after %s tried to join it", wm->bdf, enforced, sm->bdf);
}

/*
 * Both devices attached to the one IOAS, as a VMM does with one address
 * space: the kernel picks the auto domains. Run in both orders.
 */
FIXTURE(ioas) {
	struct pair st;
};
FIXTURE_VARIANT(ioas) {
	bool partner_first;
};
FIXTURE_VARIANT_ADD(ioas, device_first) { .partner_first = false };
FIXTURE_VARIANT_ADD(ioas, partner_first) { .partner_first = true };
FIXTURE_SETUP(ioas) { pair_open(_metadata, &self->st); }
FIXTURE_TEARDOWN(ioas) { pair_close(&self->st); }

/*
 * The second device shares the first one's auto domain unless that domain
 * enforces and the second's unit cannot; behind one unit they always
 * share. The IOAS enforces only if every domain in it does.
 */
TEST_F(ioas, auto_domain_shared_when_compatible)
{
	struct pair *st = &self->st;
	struct attach *first = variant->partner_first ? &st->b : &st->a;
	struct attach *second = variant->partner_first ? &st->a : &st->b;
	struct member *fm = variant->partner_first ? &st->partner : &st->self;
	struct member *sm = variant->partner_first ? &st->self : &st->partner;
	bool one_unit = !strcmp(fm->unit, sm->unit);
	int ret, same, enforced;

	ASSERT_EQ(0, iommufd_attach_pt(first, st->a.ioas_id)) TH_LOG("%s", first->reason);
	ret = iommufd_attach_pt(second, st->a.ioas_id);
	same = !ret && first->hwpt_id == second->hwpt_id;
	enforced = attach_enforced(&st->a);
	emit_shared("ioas", fm, sm, ret, same, enforced, fm->capable && sm->capable);
	EXPECT_EQ(0, ret) TH_LOG("%s", second->reason);
	if (one_unit) {
		EXPECT_TRUE(same) TH_LOG("%s and %s, both behind %s, got different auto domains "
					 "(%u, %u)", fm->bdf, sm->bdf, fm->unit,
					 first->hwpt_id, second->hwpt_id);
	}
	if (fm->capable && !sm->capable) {
		EXPECT_FALSE(same) TH_LOG("%s (no Snoop Control) joined the coherent auto domain "
					  "%u of %s", sm->bdf, first->hwpt_id, fm->bdf);
	}
	EXPECT_EQ(fm->capable && sm->capable, enforced)
		TH_LOG("cc-misreported: the IOAS holding %s (can enforce: %d) and %s (%d) "
		       "reports enforcement %d", fm->bdf, fm->capable, sm->bdf, sm->capable,
		       enforced);
}

/*
 * Both devices' groups in one container, as QEMU's legacy VFIO backend keeps
 * one per address space: the container enforces only if both units can.
 * type1 never puts the two on one domain unless they agree on enforcement;
 * the iommufd container attaches each device to its IOAS as the native path
 * does, so the reuse corner can happen there too, though a container does
 * not say which domain a device landed on.
 */
FIXTURE(container) {
	struct pair st;
};
FIXTURE_VARIANT(container) {
	enum attach_path path;
	bool partner_first;
};
FIXTURE_VARIANT_ADD(container, type1v2_device_first) { ATTACH_TYPE1V2, false };
FIXTURE_VARIANT_ADD(container, type1v2_partner_first) { ATTACH_TYPE1V2, true };
FIXTURE_VARIANT_ADD(container, iommufd_compat_device_first) { ATTACH_IOMMUFD_COMPAT, false };
FIXTURE_VARIANT_ADD(container, iommufd_compat_partner_first) { ATTACH_IOMMUFD_COMPAT, true };
FIXTURE_SETUP(container)
{
	char g1[32], g2[32];

	pair_pick(_metadata, &self->st);
	if (_metadata->exit_code)
		return;
	/* One group cannot join a container twice. */
	if (vfio_group_viable(self->st.self.bdf, g1, sizeof(g1)) >= 0 &&
	    vfio_group_viable(self->st.partner.bdf, g2, sizeof(g2)) >= 0 && !strcmp(g1, g2))
		SKIP(return, "%s and %s share IOMMU group %s: a container holds a group once",
		     self->st.self.bdf, self->st.partner.bdf, g1);
}
FIXTURE_TEARDOWN(container) { pair_close(&self->st); }

TEST_F(container, shared_container_enforces_only_if_both_units_can)
{
	struct pair *st = &self->st;
	struct member *fm = variant->partner_first ? &st->partner : &st->self;
	struct member *sm = variant->partner_first ? &st->self : &st->partner;
	int ret, enforced;

	ret = attach_open(&st->a, fm->bdf, variant->path);
	if (ret == -EOPNOTSUPP)
		SKIP(return, "%s", st->a.reason);
	ASSERT_EQ(0, ret) TH_LOG("%s", st->a.reason);
	ret = vfio_group_join(&st->b, &st->a, sm->bdf);
	st->open = true;
	enforced = attach_enforced(&st->a);
	emit_shared(attach_path_name(variant->path), fm, sm, ret, -1, enforced,
		    fm->capable && sm->capable);
	EXPECT_EQ(0, ret) TH_LOG("%s", st->b.reason);
	EXPECT_EQ(fm->capable && sm->capable, enforced)
		TH_LOG("cc-misreported: the %s container holding %s (can enforce: %d) and %s "
		       "(%d) reports enforcement %d", attach_path_name(variant->path), fm->bdf,
		       fm->capable, sm->bdf, sm->capable, enforced);
}

/* A BDF from argv or the environment, normalized; exits 2 on a bad one. */
static const char *bdf_arg(const char *given, const char *what, char out[BDF_LEN])
{
	if (!given || !*given)
		return NULL;
	if (!bdf_normalize(given, out)) {
		fprintf(stderr, "attach_pair: %s '%s': expected a PCI address such as 0000:00:03.0\n",
			what, given);
		exit(2);
	}
	return out;
}

int main(int argc, char **argv)
{
	static char bdf[BDF_LEN], partner[BDF_LEN];
	int given = 0;

	/* Leading arguments that are not options are the BDFs; the harness
	 * parses the rest. */
	while (given < 2 && argc > 1 + given && argv[1 + given][0] != '-')
		given++;
	device_bdf = bdf_arg(given > 0 ? argv[1] : getenv("SNOOPCHECK_DEVICE"), "device", bdf);
	partner_arg = bdf_arg(given > 1 ? argv[2] : getenv("SNOOPCHECK_DEVICE2"), "partner",
			      partner);
	argv[given] = argv[0];
	return test_harness_run(argc - given, argv + given);
}
