// SPDX-License-Identifier: GPL-2.0-only
/*
 * pcie: may the device emit No-Snoop at all? PCIe Device Control "Enable
 * No Snoop" read through libpci (the host's sysfs view) and through the
 * VFIO config region (the VFIO user's view) while the device is bound to
 * vfio-pci. Both must agree; clearing the bit through either view must
 * show in both and stick; the original value is put back and checked.
 * It is journalled before the first write (vfio/devctl.h), so a suite
 * killed mid-test leaves a record that `runner restore` puts back.
 *
 * The bit gates No-Snoop at the source for a discrete endpoint; an
 * integrated endpoint (an iGPU) sets cache attributes through its own page
 * tables, so the evidence says so and the verdict does not lean on it.
 *
 * usage: pcie [BDF] [harness options]   (or SNOOPCHECK_DEVICE=BDF)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suite/suite.h"
#include "vfio/devctl.h"

static char device_bdf[32];
static char no_device[256];

/* Any path gives us the device fd; DevCtl does not depend on which. */
static const enum attach_path paths[] = {
	ATTACH_IOMMUFD_IOAS, ATTACH_TYPE1V2, ATTACH_IOMMUFD_COMPAT, ATTACH_TYPE1,
};

FIXTURE(pcie) {
	struct attach a;
	bool attached;
	struct devctl_view orig;	/* through VFIO, at setup */
	bool touched;			/* DevCtl written: teardown restores */
	struct journal j;		/* where orig is recorded before a write */
};

FIXTURE_SETUP(pcie)
{
	char why[512], reasons[900] = "";
	int ret = -ENODEV;

	journal_init(&self->j, journal_default_dir());
	if (!device_bdf[0])
		SKIP(return, "%s", no_device);
	if (target_check_vfio(device_bdf, why, sizeof(why)))
		SKIP(return, "%s", why);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		ret = attach_open(&self->a, device_bdf, paths[i]);
		if (!ret)
			break;
		snprintf(reasons + strlen(reasons), sizeof(reasons) - strlen(reasons),
			 "%s%s: %s", reasons[0] ? "; " : "", attach_path_name(paths[i]),
			 self->a.reason);
	}
	if (ret)
		SKIP(return, "cannot open %s through any VFIO path: %s", device_bdf, reasons);
	self->attached = true;
	ret = devctl_read_vfio(self->a.device_fd, &self->orig);
	if (ret == -ENOTSUP) {
		attach_close(&self->a);
		SKIP(return, "%s has no PCIe capability (conventional PCI): no Device Control register",
		     device_bdf);
	}
	ASSERT_EQ(0, ret) TH_LOG("DevCtl through VFIO: %s", strerror(-ret));
}

FIXTURE_TEARDOWN(pcie)
{
	struct devctl_view now = { 0 };
	int ret;

	/* However the test ended, DevCtl goes back to what it was. */
	if (self->touched) {
		EXPECT_EQ(0, devctl_write_vfio(self->a.device_fd, self->orig.devctl));
		ret = devctl_read_libpci(device_bdf, &now);
		EXPECT_EQ(0, ret);
		EXPECT_EQ(self->orig.devctl, now.devctl)
			TH_LOG("restore-failed: DevCtl 0x%04x, was 0x%04x; the journal in %s keeps the original for `runner restore`",
			       now.devctl, self->orig.devctl, self->j.dir);
		if (!ret && now.devctl == self->orig.devctl)
			devctl_forget(&self->j, device_bdf);
	}
	journal_close(&self->j);
	if (self->attached)
		attach_close(&self->a);
}

static struct json_object *evidence(FIXTURE_DATA(pcie) *self, const char *test)
{
	struct json_object *o = json_object_new_object();

	json_object_object_add(o, "suite", json_object_new_string("pcie"));
	json_object_object_add(o, "test", json_object_new_string(test));
	json_object_object_add(o, "device", json_object_new_string(device_bdf));
	json_object_object_add(o, "path", json_object_new_string(attach_path_name(self->a.path)));
	json_object_object_add(o, "pcie_type", json_object_new_int(self->orig.pcie_type));
	json_object_object_add(o, "integrated", json_object_new_boolean(devctl_integrated(self->orig.pcie_type)));
	json_object_object_add(o, "devctl_original", json_object_new_int(self->orig.devctl));
	json_object_object_add(o, "ens_original", json_object_new_boolean(devctl_ens(self->orig.devctl)));
	return o;
}

/* Both views now; fails the test when they differ. */
static void read_both(struct __test_metadata *_metadata, FIXTURE_DATA(pcie) *self,
		      struct devctl_view *sys, struct devctl_view *vfio)
{
	ASSERT_EQ(0, devctl_read_libpci(device_bdf, sys))
		TH_LOG("DevCtl through libpci (sysfs) unreadable; run as root");
	ASSERT_EQ(0, devctl_read_vfio(self->a.device_fd, vfio));
	EXPECT_EQ(sys->cap, vfio->cap) TH_LOG("PCIe capability at 0x%x (libpci) vs 0x%x (VFIO)",
					      sys->cap, vfio->cap);
	EXPECT_EQ(sys->devctl, vfio->devctl)
		TH_LOG("the views disagree: DevCtl 0x%04x through libpci, 0x%04x through VFIO",
		       sys->devctl, vfio->devctl);
}

TEST_F(pcie, views_agree)
{
	struct devctl_view sys, vfio;
	struct json_object *ev = evidence(self, "views_agree");

	read_both(_metadata, self, &sys, &vfio);
	json_object_object_add(ev, "devctl_libpci", json_object_new_int(sys.devctl));
	json_object_object_add(ev, "devctl_vfio", json_object_new_int(vfio.devctl));
	json_object_object_add(ev, "agree", json_object_new_boolean(sys.devctl == vfio.devctl));
	evidence_emit(stdout, ev);
}

/*
 * Write DevCtl with ENS = on through one view and read both back. The
 * bit may be hardwired to 0 (a function that never sets No-Snoop), so
 * setting may not stick; clearing must.
 */
static void toggle(struct __test_metadata *_metadata, FIXTURE_DATA(pcie) *self,
		   bool through_vfio, const char *test)
{
	const uint16_t orig = self->orig.devctl;
	struct devctl_view sys_clear, vfio_clear, sys_set, vfio_set, sys_back, vfio_back;
	struct json_object *ev = evidence(self, test);
	int ret;

	ret = devctl_journal(&self->j, device_bdf, orig);
	if (ret)
		SKIP(return, "DevCtl is journalled before a change, for `runner restore`, and that failed: %.700s (run as root, or set SNOOPCHECK_RUNDIR to a directory of your own)",
		     self->j.why);
	self->touched = true;
	ret = through_vfio ? devctl_write_vfio(self->a.device_fd, devctl_with_ens(orig, false))
			   : devctl_write_libpci(device_bdf, devctl_with_ens(orig, false));
	ASSERT_EQ(0, ret) TH_LOG("clearing ENS: %s", strerror(-ret));
	read_both(_metadata, self, &sys_clear, &vfio_clear);

	ret = through_vfio ? devctl_write_vfio(self->a.device_fd, devctl_with_ens(orig, true))
			   : devctl_write_libpci(device_bdf, devctl_with_ens(orig, true));
	ASSERT_EQ(0, ret) TH_LOG("setting ENS: %s", strerror(-ret));
	read_both(_metadata, self, &sys_set, &vfio_set);

	ret = through_vfio ? devctl_write_vfio(self->a.device_fd, orig)
			   : devctl_write_libpci(device_bdf, orig);
	ASSERT_EQ(0, ret) TH_LOG("restoring DevCtl: %s", strerror(-ret));
	read_both(_metadata, self, &sys_back, &vfio_back);
	self->touched = sys_back.devctl != orig || vfio_back.devctl != orig;
	if (!self->touched)
		devctl_forget(&self->j, device_bdf);

	json_object_object_add(ev, "written_through", json_object_new_string(through_vfio ? "vfio" : "libpci"));
	json_object_object_add(ev, "cleared_libpci", json_object_new_int(sys_clear.devctl));
	json_object_object_add(ev, "cleared_vfio", json_object_new_int(vfio_clear.devctl));
	json_object_object_add(ev, "kept_clear", json_object_new_boolean(!devctl_ens(sys_clear.devctl) &&
									!devctl_ens(vfio_clear.devctl)));
	json_object_object_add(ev, "set_sticks", json_object_new_boolean(devctl_ens(sys_set.devctl) &&
									devctl_ens(vfio_set.devctl)));
	json_object_object_add(ev, "restored", json_object_new_boolean(!self->touched));
	evidence_emit(stdout, ev);

	EXPECT_FALSE(devctl_ens(sys_clear.devctl) || devctl_ens(vfio_clear.devctl))
		TH_LOG("the device does not keep Enable No Snoop clear: DevCtl 0x%04x (libpci) / 0x%04x (VFIO) after writing 0x%04x",
		       sys_clear.devctl, vfio_clear.devctl, devctl_with_ens(orig, false));
	/* Nothing but ENS may change. */
	EXPECT_EQ(devctl_with_ens(orig, false), sys_clear.devctl);
	if (!devctl_ens(sys_set.devctl))
		TH_LOG("note: Enable No Snoop does not stay set (hardwired to 0 is allowed for a function that never uses No-Snoop)");
	EXPECT_EQ(orig, sys_back.devctl) TH_LOG("restore-failed: DevCtl 0x%04x, was 0x%04x",
						sys_back.devctl, orig);
}

TEST_F(pcie, ens_round_trips_through_vfio)
{
	toggle(_metadata, self, true, "ens_round_trips_through_vfio");
}

TEST_F(pcie, ens_round_trips_through_libpci)
{
	toggle(_metadata, self, false, "ens_round_trips_through_libpci");
}

int main(int argc, char **argv)
{
	target_arg("pcie", &argc, argv, device_bdf, sizeof(device_bdf), no_device, sizeof(no_device));
	return test_harness_run(argc, argv);
}
