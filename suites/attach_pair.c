// SPDX-License-Identifier: GPL-2.0-only
/*
 * attach_pair: two devices on one iommufd sharing one HWPT, and the reuse
 * corner of DESIGN.md §1.
 *
 *   suites/attach_pair BDF [PARTNER]
 *
 * PARTNER defaults to $SNOOPCHECK_DEVICE2, else to another device of
 * $SNOOPCHECK_DEVICES (what runner run has bound) that is on vfio-pci behind
 * an IOMMU, preferring one whose unit differs from BDF's in Snoop Control.
 *
 * The kernel's rule (drivers/iommu/iommufd/hw_pagetable.c, 6.12): a HWPT's
 * cache coherency is fixed when it is allocated, by the device it is
 * allocated for. A non-coherent HWPT may later take a device that could
 * enforce; a coherent HWPT refuses a device whose unit cannot (VT-d:
 * paging_domain_compatible() gives -EINVAL). In the first case the domain
 * does not enforce although vfio_file_enforced_coherent() still reports the
 * device's capability to KVM: that is the corner to record.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>
#include <kselftest_harness.h>

#include "attach.h"
#include "devready.h"
#include "iommufd.h"

static const char *device_bdf, *partner_arg;

struct member {
	const char *bdf;
	char unit[64];
	uint64_t ecap;
	int capable;		/* 1, 0; -1 unknown */
};

static void describe(struct member *m, const char *bdf)
{
	m->bdf = bdf;
	m->capable = devready_unit_can_enforce(bdf, m->unit, sizeof(m->unit), &m->ecap);
}

/*
 * The partner from $SNOOPCHECK_DEVICES: a ready device other than ours,
 * the first whose unit differs from ours in Snoop Control if there is one.
 */
static const char *pick_partner(const struct member *self)
{
	static char chosen[32];
	const char *devs = getenv("SNOOPCHECK_DEVICES");
	char *list, *bdf, *save, why[256];

	if (!devs)
		return NULL;
	chosen[0] = '\0';
	list = strdup(devs);
	for (bdf = strtok_r(list, " ,", &save); bdf; bdf = strtok_r(NULL, " ,", &save)) {
		struct member m;

		if (!strcmp(bdf, self->bdf) || devready_vfio(bdf, why, sizeof(why)))
			continue;
		describe(&m, bdf);
		if (m.capable < 0)
			continue;
		if (!chosen[0] || m.capable != self->capable)
			snprintf(chosen, sizeof(chosen), "%s", bdf);
		if (m.capable != self->capable)
			break;
	}
	free(list);
	return chosen[0] ? chosen : NULL;
}

static void evidence(json_object *o)
{
	printf("# evidence: %s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
	fflush(stdout);
	json_object_put(o);
}

static json_object *member_json(const struct member *m)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "bdf", json_object_new_string(m->bdf));
	json_object_object_add(o, "unit", json_object_new_string(m->unit));
	json_object_object_add(o, "unit_can_enforce", json_object_new_boolean(m->capable));
	return o;
}

static json_object *outcome(int ret)
{
	return json_object_new_string(ret ? strerrorname_np(-ret) : "ok");
}

FIXTURE(pair) {
	struct member self, partner;
	struct attach a, b;	/* a: our device, owns the iommufd; b: joins it */
	bool open;
};

FIXTURE_SETUP(pair)
{
	char why[256];
	const char *skip = devready_vfio(device_bdf, why, sizeof(why));
	const char *partner;
	int ret;

	self->open = false;
	if (skip)
		SKIP(return, "%s", skip);
	describe(&self->self, device_bdf);
	if (self->self.capable < 0)
		SKIP(return, "no IOMMU unit serves %s (or its registers are unreadable)",
		     device_bdf);
	partner = partner_arg ? partner_arg : pick_partner(&self->self);
	if (!partner)
		SKIP(return, "needs a second device on vfio-pci behind an IOMMU: pass it as "
		     "suites/attach_pair %s PARTNER (or SNOOPCHECK_DEVICE2), or select two "
		     "devices for runner run", device_bdf);
	skip = devready_vfio(partner, why, sizeof(why));
	if (skip)
		SKIP(return, "partner: %s", skip);
	describe(&self->partner, partner);
	if (self->partner.capable < 0)
		SKIP(return, "no IOMMU unit serves the partner %s", partner);
	ret = iommufd_open_bound(&self->a, device_bdf);
	if (ret)
		attach_close(&self->a);
	if (ret == -EOPNOTSUPP)
		SKIP(return, "%s", self->a.reason);
	ASSERT_EQ(0, ret) TH_LOG("%s", self->a.reason);
	ret = iommufd_join(&self->b, &self->a, partner);
	if (ret) {
		attach_close(&self->b);
		attach_close(&self->a);
	}
	ASSERT_EQ(0, ret) TH_LOG("%s", self->b.reason);
	self->open = true;
}

FIXTURE_TEARDOWN(pair)
{
	if (self->open) {
		attach_close(&self->b);
		attach_close(&self->a);
	}
}

/*
 * A HWPT allocated for our device, the partner attached to it too: the
 * attach succeeds unless the HWPT enforces and the partner's unit cannot,
 * and the IOAS then enforces exactly what our device's unit can.
 */
TEST_F(pair, shared_hwpt_follows_the_allocating_device)
{
	int want_attach = self->self.capable && !self->partner.capable ? -EINVAL : 0;
	uint32_t hwpt;
	int ret, enforced;
	json_object *ev;

	ASSERT_EQ(0, iommufd_hwpt_alloc(&self->a, self->a.dev_id, &hwpt)) TH_LOG("%s",
										  self->a.reason);
	ASSERT_EQ(0, iommufd_attach_pt(&self->a, hwpt)) TH_LOG("%s", self->a.reason);
	ret = iommufd_attach_pt(&self->b, hwpt);
	enforced = attach_enforced(&self->a);
	ev = json_object_new_object();
	json_object_object_add(ev, "hwpt_for", member_json(&self->self));
	json_object_object_add(ev, "joined_by", member_json(&self->partner));
	json_object_object_add(ev, "join", outcome(ret));
	json_object_object_add(ev, "domain_enforced", json_object_new_int(enforced));
	evidence(ev);
	EXPECT_EQ(want_attach, ret) TH_LOG("attaching %s to the HWPT of %s gave %d, the kernel's "
					   "rule says %d: %s", self->partner.bdf, device_bdf,
					   ret, want_attach, self->b.reason);
	EXPECT_EQ(self->self.capable, enforced)
		TH_LOG("cc-misreported: the HWPT allocated for %s (unit can enforce: %d) reports "
		       "enforcement %d with %s attached", device_bdf, self->self.capable,
		       enforced, self->partner.bdf);
}

/*
 * The corner itself: a HWPT allocated for the device whose unit cannot
 * enforce, then the capable device attached to it. The kernel allows it
 * (6.7 on) and the domain must still report no enforcement: a VM given the
 * capable device through this HWPT is non-coherent.
 */
TEST_F(pair, reuse_corner_capable_device_on_a_non_coherent_hwpt)
{
	struct attach *weak, *strong;
	struct member *wm, *sm;
	uint32_t hwpt;
	int ret, enforced;
	json_object *ev;

	if (self->self.capable == self->partner.capable)
		SKIP(return, "%s (%s) and %s (%s) are behind units that agree on Snoop Control "
		     "(%d): the corner needs two devices behind units that differ, such as an "
		     "Intel client's integrated GPU and a device behind the other DMAR unit; "
		     "select both for runner run", device_bdf, self->self.unit,
		     self->partner.bdf, self->partner.unit, self->self.capable);
	weak = self->self.capable ? &self->b : &self->a;
	strong = self->self.capable ? &self->a : &self->b;
	wm = self->self.capable ? &self->partner : &self->self;
	sm = self->self.capable ? &self->self : &self->partner;
	ASSERT_EQ(0, iommufd_hwpt_alloc(&self->a, weak->dev_id, &hwpt)) TH_LOG("%s",
									      self->a.reason);
	ASSERT_EQ(0, iommufd_attach_pt(weak, hwpt)) TH_LOG("%s", weak->reason);
	ret = iommufd_attach_pt(strong, hwpt);
	enforced = attach_enforced(&self->a);
	ev = json_object_new_object();
	json_object_object_add(ev, "reuse_corner", json_object_new_boolean(true));
	json_object_object_add(ev, "hwpt_for", member_json(wm));
	json_object_object_add(ev, "joined_by", member_json(sm));
	json_object_object_add(ev, "join", outcome(ret));
	json_object_object_add(ev, "domain_enforced", json_object_new_int(enforced));
	evidence(ev);
	EXPECT_EQ(0, ret) TH_LOG("%s", strong->reason);
	EXPECT_EQ(0, enforced)
		TH_LOG("cc-misreported: the HWPT allocated for %s (no Snoop Control) reports "
		       "enforcement %d after %s joined it", wm->bdf, enforced, sm->bdf);
	if (!ret)
		ksft_print_msg("note: %s runs on a non-coherent domain although its unit %s can "
			       "enforce; KVM must treat a VM given it this way as non-coherent\n",
			       sm->bdf, sm->unit);
}

int main(int argc, char **argv)
{
	int given = 0;

	/* Leading arguments that are not options are the BDFs; the harness
	 * parses the rest. */
	while (given < 2 && argc > 1 + given && argv[1 + given][0] != '-')
		given++;
	device_bdf = given > 0 ? argv[1] : getenv("SNOOPCHECK_DEVICE");
	partner_arg = given > 1 ? argv[2] : getenv("SNOOPCHECK_DEVICE2");
	argv[given] = argv[0];
	return test_harness_run(argc - given, argv + given);
}
