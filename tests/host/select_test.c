// SPDX-License-Identifier: GPL-2.0-only
/* Device selection: what is named, what the filters keep, what is refused. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "fakesys.h"
#include "host/select.h"

FIXTURE(lab) {
	struct fakesys f;
	struct select_opts o;
	struct selection s;
	char conf[PATH_MAX];
	char errbuf[1024];
	FILE *err;
};

FIXTURE_SETUP(lab)
{
	fake_init(&self->f);
	fake_device(&self->f, "0000:00:04.0", "0x1b36", "0x0010", "0x010802", "nvme", "nvme", 1, -1);
	fake_device(&self->f, "0000:00:05.0", "0x8086", "0x10d3", "0x020000", "e1000e", "e1000e", 2, -1);
	fake_device(&self->f, "0000:00:06.0", "0x1234", "0x11e8", "0x00ff00", "", "", 3, -1);
	fake_device(&self->f, "0000:00:1f.2", "0x8086", "0x2922", "0x010601", "ahci", "ahci", 4, -1);
	path_fmt(self->conf, sizeof(self->conf), "%s/lab.conf", self->f.root);
	memset(&self->o, 0, sizeof(self->o));
	self->err = fmemopen(self->errbuf, sizeof(self->errbuf), "w");
	ASSERT_NE(NULL, self->err);
}

FIXTURE_TEARDOWN(lab)
{
	selection_free(&self->s);
	fclose(self->err);
	fake_cleanup(&self->f);
}

/* What was said so far on the fixture's error stream. */
#define ERR() (fflush(self->err), self->errbuf)

TEST_F(lab, nothing_named_nothing_selected)
{
	ASSERT_EQ(0, select_devices(&self->s, &self->o, self->err));
	EXPECT_EQ(0, self->s.n);
	EXPECT_STREQ("nothing selected: name devices with --device BDF or --config FILE, or filter with --vendor/--class; nothing was touched\n",
		     ERR());
}

TEST_F(lab, devices_by_address_short_and_long)
{
	ASSERT_EQ(0, select_add_device(&self->o, "00:06.0", self->err));
	ASSERT_EQ(0, select_add_device(&self->o, "0000:00:04.0", self->err));
	ASSERT_EQ(0, select_add_device(&self->o, "0000:00:04.0", self->err));
	ASSERT_EQ(0, select_devices(&self->s, &self->o, self->err));
	ASSERT_EQ(2, self->s.n);
	EXPECT_STREQ("0000:00:06.0", self->s.v[0].bdf);
	EXPECT_STREQ("0000:00:04.0", self->s.v[1].bdf);
	EXPECT_EQ(NULL, self->s.v[0].lab);
}

TEST_F(lab, device_that_does_not_exist_is_bad_input)
{
	ASSERT_EQ(0, select_add_device(&self->o, "00:04.0", self->err));
	ASSERT_EQ(0, select_add_device(&self->o, "0000:00:1f.7", self->err));
	EXPECT_EQ(-ENODEV, select_devices(&self->s, &self->o, self->err));
	EXPECT_STREQ("--device 0000:00:1f.7: no such PCI device on this machine (/sys/bus/pci/devices/0000:00:1f.7 is missing)\n",
		     ERR());
	EXPECT_EQ(0, self->s.n);
}

TEST_F(lab, malformed_options)
{
	EXPECT_EQ(-EINVAL, select_add_device(&self->o, "4.0", self->err));
	EXPECT_EQ(-EINVAL, select_set_vendor(&self->o, "80861", self->err));
	EXPECT_EQ(-EINVAL, select_set_vendor(&self->o, "8086:", self->err));
	EXPECT_EQ(-EINVAL, select_set_class(&self->o, "010", self->err));
	EXPECT_STREQ("--device: expected a PCI address DDDD:BB:DD.F or BB:DD.F, got '4.0'\n"
		     "--vendor: expected VVVV or VVVV:DDDD in hex (e.g. 8086 or 1234:11e8), got '80861'\n"
		     "--vendor: expected VVVV or VVVV:DDDD in hex (e.g. 8086 or 1234:11e8), got '8086:'\n"
		     "--class: expected CC or CCSS in hex (e.g. 01 for storage, 0108 for NVMe), got '010'\n",
		     ERR());
}

TEST_F(lab, filters_alone_scan_every_device)
{
	ASSERT_EQ(0, select_set_class(&self->o, "01", self->err));
	ASSERT_EQ(0, select_devices(&self->s, &self->o, self->err));
	ASSERT_EQ(2, self->s.n);
	EXPECT_STREQ("0000:00:04.0", self->s.v[0].bdf);
	EXPECT_STREQ("0000:00:1f.2", self->s.v[1].bdf);
	selection_free(&self->s);

	ASSERT_EQ(0, select_set_class(&self->o, "0108", self->err));
	ASSERT_EQ(0, select_devices(&self->s, &self->o, self->err));
	ASSERT_EQ(1, self->s.n);
	EXPECT_STREQ("0000:00:04.0", self->s.v[0].bdf);
	selection_free(&self->s);

	memset(&self->o, 0, sizeof(self->o));
	ASSERT_EQ(0, select_set_vendor(&self->o, "1234:11E8", self->err));
	ASSERT_EQ(0, select_devices(&self->s, &self->o, self->err));
	ASSERT_EQ(1, self->s.n);
	EXPECT_STREQ("0000:00:06.0", self->s.v[0].bdf);
	selection_free(&self->s);

	ASSERT_EQ(0, select_set_vendor(&self->o, "8086", self->err));
	ASSERT_EQ(0, select_devices(&self->s, &self->o, self->err));
	EXPECT_EQ(2, self->s.n);	/* the NIC and the AHCI controller */
	selection_free(&self->s);

	ASSERT_EQ(0, select_set_vendor(&self->o, "abcd", self->err));
	ASSERT_EQ(0, select_devices(&self->s, &self->o, self->err));
	EXPECT_EQ(0, self->s.n);
	EXPECT_STREQ("nothing selected: none of the 4 PCI devices passes the --vendor/--class filters; nothing was touched\n",
		     ERR());
}

TEST_F(lab, config_names_devices_and_filters_narrow_them)
{
	fake_put(&self->f, "/lab.conf",
		 "device = 00:04.0\nid = 1b36:0010\nscratch_nsid = 1\nscratch_lba = 0+64\n"
		 "device = 00:05.0\nid = 8086:10d3\n");
	self->o.config = self->conf;
	ASSERT_EQ(0, select_add_device(&self->o, "00:06.0", self->err));
	ASSERT_EQ(0, select_devices(&self->s, &self->o, self->err));
	ASSERT_EQ(3, self->s.n);
	EXPECT_STREQ("0000:00:04.0", self->s.v[0].bdf);
	ASSERT_NE(NULL, self->s.v[0].lab);
	EXPECT_EQ(64, self->s.v[0].lab->scratch_lba_count);
	EXPECT_EQ(NULL, self->s.v[2].lab);	/* named only on the command line */
	selection_free(&self->s);

	ASSERT_EQ(0, select_set_class(&self->o, "02", self->err));
	ASSERT_EQ(0, select_devices(&self->s, &self->o, self->err));
	ASSERT_EQ(1, self->s.n);
	EXPECT_STREQ("0000:00:05.0", self->s.v[0].bdf);
}

TEST_F(lab, config_device_missing_is_file_line)
{
	char want[PATH_MAX + 200];

	fake_put(&self->f, "/lab.conf", "device = 00:04.0\nid = 1b36:0010\ndevice = 00:09.0\nid = 1b36:0010\n");
	self->o.config = self->conf;
	EXPECT_EQ(-ENODEV, select_devices(&self->s, &self->o, self->err));
	path_fmt(want, sizeof(want),
		 "%s:3: no PCI device 0000:00:09.0 on this machine (/sys/bus/pci/devices/0000:00:09.0 is missing)\n",
		 self->conf);
	EXPECT_STREQ(want, ERR());
}

/* A copied config: what sits at its addresses here is something else. */
TEST_F(lab, config_device_that_is_something_else_refuses_the_run)
{
	char want[2 * PATH_MAX + 512];

	fake_put(&self->f, "/lab.conf",
		 "device = 00:04.0\nid = 1af4:1053\n"		/* a virtio id */
		 "device = 00:05.0\nid = 8086:10d3\ndriver = e1000e\n"
		 "device = 00:06.0\nid = 1234:11e8\ndriver = edu\n");
	self->o.config = self->conf;
	EXPECT_EQ(-EINVAL, select_devices(&self->s, &self->o, self->err));
	EXPECT_EQ(0, self->s.n);
	snprintf(want, sizeof(want),
		 "%s:1: device 0000:00:04.0 is 1b36:0010 on nvme, expected 1af4:1053: refusing to touch anything; fix the config\n"
		 "%s:6: device 0000:00:06.0 is 1234:11e8 with no driver, expected 1234:11e8 on edu: refusing to touch anything; fix the config\n",
		 self->conf, self->conf);
	EXPECT_STREQ(want, ERR());
}

/* Every config device is checked before any verdict: missing and wrong alike. */
TEST_F(lab, every_wrong_config_device_is_reported)
{
	char want[3 * PATH_MAX + 512];

	fake_put(&self->f, "/lab.conf",
		 "device = 00:09.0\nid = 1b36:0010\n"
		 "device = 00:05.0\nid = 8086:10d3\ndriver = igb\n"
		 "device = 00:1f.2\nid = 8086:2922\n");
	self->o.config = self->conf;
	ASSERT_EQ(0, select_add_device(&self->o, "00:06.0", self->err));
	EXPECT_EQ(-ENODEV, select_devices(&self->s, &self->o, self->err));
	EXPECT_EQ(0, self->s.n);
	snprintf(want, sizeof(want),
		 "%s:1: no PCI device 0000:00:09.0 on this machine (/sys/bus/pci/devices/0000:00:09.0 is missing)\n"
		 "%s:3: device 0000:00:05.0 is 8086:10d3 on e1000e, expected 8086:10d3 on igb: refusing to touch anything; fix the config\n",
		 self->conf, self->conf);
	EXPECT_STREQ(want, ERR());
}

/* Left on vfio-pci by a run that died: say how to give it back. */
TEST_F(lab, config_device_left_on_vfio_says_restore)
{
	char want[PATH_MAX + 512];

	fake_device(&self->f, "0000:00:04.0", "0x1b36", "0x0010", "0x010802", "vfio-pci", "nvme", 1, -1);
	fake_put(&self->f, "/lab.conf", "device = 00:04.0\nid = 1b36:0010\ndriver = nvme\n");
	self->o.config = self->conf;
	EXPECT_EQ(-EINVAL, select_devices(&self->s, &self->o, self->err));
	snprintf(want, sizeof(want),
		 "%s:1: device 0000:00:04.0 is 1b36:0010 on vfio-pci, expected 1b36:0010 on nvme: refusing to touch anything; fix the config, or give it back with `runner restore` if an earlier run left it there\n",
		 self->conf);
	EXPECT_STREQ(want, ERR());
}

TEST_F(lab, config_device_whose_ids_cannot_be_read)
{
	char p[PATH_MAX], want[2 * PATH_MAX + 512];

	path_fmt(p, sizeof(p), "%s/sys/devices/pci0000:00/0000:00:06.0/device", self->f.root);
	ASSERT_EQ(0, unlink(p));
	fake_put(&self->f, "/lab.conf", "device = 00:06.0\nid = 1234:11e8\n");
	self->o.config = self->conf;
	EXPECT_EQ(-ENODEV, select_devices(&self->s, &self->o, self->err));
	snprintf(want, sizeof(want),
		 "%s:1: device 0000:00:06.0: cannot read its vendor and device IDs (/sys/bus/pci/devices/0000:00:06.0/vendor, device): No such file or directory; refusing to touch anything\n",
		 self->conf);
	EXPECT_STREQ(want, ERR());
}

/* The right ids and drivers: selected as before, in file order. */
TEST_F(lab, config_devices_that_are_what_it_says)
{
	fake_put(&self->f, "/lab.conf",
		 "device = 00:06.0\nid = 1234:11E8\n"
		 "device = 00:04.0\nid = 1b36:0010\ndriver = nvme\n");
	self->o.config = self->conf;
	ASSERT_EQ(0, select_devices(&self->s, &self->o, self->err));
	ASSERT_EQ(2, self->s.n);
	EXPECT_STREQ("0000:00:06.0", self->s.v[0].bdf);
	EXPECT_STREQ("0000:00:04.0", self->s.v[1].bdf);
	EXPECT_STREQ("", ERR());
}

/* A config that cannot be read is bad input like one that does not parse. */
TEST_F(lab, unreadable_config_is_bad_input)
{
	char want[PATH_MAX + 80];

	self->o.config = self->f.root;	/* a directory */
	EXPECT_EQ(-EINVAL, select_devices(&self->s, &self->o, self->err));
	path_fmt(want, sizeof(want), "%s: cannot read: Is a directory\n", self->f.root);
	EXPECT_STREQ(want, ERR());
	fclose(self->err);
	self->err = fmemopen(self->errbuf, sizeof(self->errbuf), "w");
	ASSERT_NE(NULL, self->err);
	self->o.config = "/nonexistent/lab.conf";
	EXPECT_EQ(-EINVAL, select_devices(&self->s, &self->o, self->err));
	EXPECT_STREQ("/nonexistent/lab.conf: cannot read: No such file or directory\n", ERR());
}

TEST_F(lab, bad_config_is_bad_input)
{
	fake_put(&self->f, "/lab.conf", "scratch_nsid = 1\n");
	self->o.config = self->conf;
	EXPECT_EQ(-EINVAL, select_devices(&self->s, &self->o, self->err));
}

TEST_F(lab, empty_config_selects_nothing)
{
	char want[PATH_MAX + 80];

	fake_put(&self->f, "/lab.conf", "# no devices yet\n");
	self->o.config = self->conf;
	ASSERT_EQ(0, select_devices(&self->s, &self->o, self->err));
	EXPECT_EQ(0, self->s.n);
	path_fmt(want, sizeof(want), "nothing selected: %s names no device; nothing was touched\n",
		 self->conf);
	EXPECT_STREQ(want, ERR());
}

TEST_HARNESS_MAIN
