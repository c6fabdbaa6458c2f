// SPDX-License-Identifier: GPL-2.0-only
/* The lab config: the shipped example, and every kind of bad input. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "host/labconfig.h"
#include "sysfs/sysroot.h"

TEST(example_parses)
{
	struct lab_config c;
	const struct lab_device *d;
	char path[PATH_MAX];

	path_fmt(path, sizeof(path), "%s/lab.conf.example", SNOOP_SRCDIR);
	ASSERT_EQ(0, labconfig_load(&c, path, stderr));
	ASSERT_EQ(3, c.n);
	d = labconfig_find(&c, "0000:00:04.0");
	ASSERT_NE(NULL, d);
	EXPECT_EQ(1, d->scratch_nsid);
	EXPECT_EQ(0, d->scratch_lba_start);
	EXPECT_EQ(2048, d->scratch_lba_count);
	EXPECT_TRUE(d->scratch_mkfs);
	EXPECT_STREQ("QEMU NVMe, 64 MiB scratch image", d->label);
	/* the lab's own devices (vm/README.md), or check-vm refuses to run */
	EXPECT_EQ(0x1b36, d->vendor);
	EXPECT_EQ(0x0010, d->device);
	EXPECT_STREQ("nvme", d->driver);
	d = labconfig_find(&c, "0000:00:05.0");
	ASSERT_NE(NULL, d);
	EXPECT_EQ(0x8086, d->vendor);
	EXPECT_EQ(0x10d3, d->device);
	EXPECT_STREQ("e1000e", d->driver);
	d = labconfig_find(&c, "0000:00:06.0");	/* written 00:06.0 */
	ASSERT_NE(NULL, d);
	EXPECT_EQ(0, d->scratch_nsid);
	EXPECT_FALSE(d->scratch_mkfs);
	EXPECT_EQ(0x1234, d->vendor);
	EXPECT_EQ(0x11e8, d->device);
	EXPECT_STREQ("", d->driver);	/* the edu is unbound: any driver or none */
	EXPECT_EQ(NULL, labconfig_find(&c, "0000:00:07.0"));
	labconfig_free(&c);
}

/* Numbers are decimal or 0x hex: a leading zero does not make them octal. */
TEST(leading_zero_is_decimal)
{
	static const char text[] = "device = 00:04.0\nid = 1b36:0010\nscratch_nsid = 010\nscratch_lba = 010+8\n"
				   "device = 00:05.0\nid = 1b36:0010\nscratch_nsid = 0x10\nscratch_lba = 08+0X10\n";
	struct lab_config c;
	const struct lab_device *d;
	char path[PATH_MAX];

	path_fmt(path, sizeof(path), "/tmp/snoop-lab-zero-%d.conf", getpid());
	ASSERT_EQ(0, write_file_atomic(path, text, strlen(text)));
	ASSERT_EQ(0, labconfig_load(&c, path, stderr));
	unlink(path);
	d = labconfig_find(&c, "0000:00:04.0");
	ASSERT_NE(NULL, d);
	EXPECT_EQ(10, d->scratch_nsid);
	EXPECT_EQ(10, d->scratch_lba_start);
	EXPECT_EQ(8, d->scratch_lba_count);
	d = labconfig_find(&c, "0000:00:05.0");
	ASSERT_NE(NULL, d);
	EXPECT_EQ(16, d->scratch_nsid);
	EXPECT_EQ(8, d->scratch_lba_start);	/* "08" was refused as bad octal */
	EXPECT_EQ(16, d->scratch_lba_count);
	labconfig_free(&c);
}

FIXTURE(bad) {
	char path[PATH_MAX];
	char errbuf[1024];
	FILE *err;
};

FIXTURE_VARIANT(bad) {
	const char *text;
	const char *msg;	/* after "PATH:" */
};

FIXTURE_VARIANT_ADD(bad, key_before_device) {
	.text = "# lab\nscratch_nsid = 1\ndevice = 00:04.0\n",
	.msg = "2: expected 'device = BDF' before 'scratch_nsid': every other key describes a device\n",
};
FIXTURE_VARIANT_ADD(bad, not_an_address) {
	.text = "device = 00:04\n",
	.msg = "1: expected a PCI address DDDD:BB:DD.F or BB:DD.F, got '00:04'\n",
};
FIXTURE_VARIANT_ADD(bad, function_out_of_range) {
	.text = "device = 0000:00:04.8\n",
	.msg = "1: expected a PCI address DDDD:BB:DD.F or BB:DD.F, got '0000:00:04.8'\n",
};
FIXTURE_VARIANT_ADD(bad, device_twice) {
	.text = "device = 00:04.0\nlabel = a\n\ndevice = 0000:00:04.0\n",
	.msg = "4: expected each device once; 0000:00:04.0 is already named on line 1\n",
};
FIXTURE_VARIANT_ADD(bad, key_twice_in_a_block) {
	.text = "device = 00:04.0\nscratch_nsid = 1\nscratch_nsid = 2\n",
	.msg = "3: expected 'scratch_nsid' once per device; it is already set on line 2\n",
};
FIXTURE_VARIANT_ADD(bad, lba_without_nsid) {
	.text = "device = 00:04.0\nscratch_lba = 0+8\ndevice = 00:05.0\n",
	.msg = "2: expected scratch_nsid in the block of device 0000:00:04.0: scratch_lba names LBAs of that namespace\n",
};
FIXTURE_VARIANT_ADD(bad, mkfs_without_nsid_last_block) {
	.text = "device = 00:04.0\nscratch_mkfs = yes\n",
	.msg = "2: expected scratch_nsid in the block of device 0000:00:04.0: scratch_mkfs formats that namespace\n",
};
FIXTURE_VARIANT_ADD(bad, lba_zero_count) {
	.text = "device = 00:04.0\nscratch_nsid = 1\nscratch_lba = 16+0\n",
	.msg = "3: expected START+COUNT (COUNT > 0, no overflow), got '16+0'\n",
};
FIXTURE_VARIANT_ADD(bad, lba_overflow) {
	.text = "device = 00:04.0\nscratch_nsid = 1\nscratch_lba = 0xffffffffffffffff+2\n",
	.msg = "3: expected START+COUNT (COUNT > 0, no overflow), got '0xffffffffffffffff+2'\n",
};
FIXTURE_VARIANT_ADD(bad, lba_negative) {
	.text = "device = 00:04.0\nscratch_nsid = 1\nscratch_lba = -1+2\n",
	.msg = "3: expected START+COUNT (COUNT > 0, no overflow), got '-1+2'\n",
};
FIXTURE_VARIANT_ADD(bad, lba_junk_after_a_number) {
	.text = "device = 00:04.0\nscratch_nsid = 1\nscratch_lba = 0+8k\n",
	.msg = "3: expected START+COUNT (COUNT > 0, no overflow), got '0+8k'\n",
};
FIXTURE_VARIANT_ADD(bad, nsid_zero) {
	.text = "device = 00:04.0\nscratch_nsid = 0\n",
	.msg = "2: expected an NVMe namespace id 1..4294967294, got '0'\n",
};
FIXTURE_VARIANT_ADD(bad, mkfs_not_yes_no) {
	.text = "device = 00:04.0\nscratch_nsid = 1\nscratch_mkfs = true\n",
	.msg = "3: expected yes or no, got 'true'\n",
};
FIXTURE_VARIANT_ADD(bad, unknown_key) {
	.text = "device = 00:04.0\nscratch_lbas = 0+8\n",
	.msg = "2: unknown key 'scratch_lbas' (expected one of: device id driver label scratch_nsid scratch_lba scratch_mkfs)\n",
};
/* A copied config must not bind whatever sits at its addresses. */
FIXTURE_VARIANT_ADD(bad, id_missing) {
	.text = "device = 00:04.0\nlabel = disk\n",
	.msg = "1: expected id = VVVV:DDDD in the block of device 0000:00:04.0 (its vendor:device in hex, as lspci -n shows them): the config must say what it expects there\n",
};
FIXTURE_VARIANT_ADD(bad, id_vendor_alone) {
	.text = "device = 00:04.0\nid = 1b36\n",
	.msg = "2: expected id = VVVV:DDDD in hex (e.g. 1b36:0010), got '1b36'\n",
};
FIXTURE_VARIANT_ADD(bad, id_with_0x) {
	.text = "device = 00:04.0\nid = 0x1b36:0x0010\n",
	.msg = "2: expected id = VVVV:DDDD in hex (e.g. 1b36:0010), got '0x1b36:0x0010'\n",
};
FIXTURE_VARIANT_ADD(bad, id_short_device) {
	.text = "device = 00:04.0\nid = 1b36:10\n",
	.msg = "2: expected id = VVVV:DDDD in hex (e.g. 1b36:0010), got '1b36:10'\n",
};
FIXTURE_VARIANT_ADD(bad, id_junk_after) {
	.text = "device = 00:04.0\nid = 1b36:0010:0\n",
	.msg = "2: expected id = VVVV:DDDD in hex (e.g. 1b36:0010), got '1b36:0010:0'\n",
};
FIXTURE_VARIANT_ADD(bad, id_twice) {
	.text = "device = 00:04.0\nid = 1b36:0010\nid = 8086:10d3\n",
	.msg = "3: expected 'id' once per device; it is already set on line 2\n",
};
FIXTURE_VARIANT_ADD(bad, driver_not_a_name) {
	.text = "device = 00:04.0\nid = 1b36:0010\ndriver = nvme e1000e\n",
	.msg = "3: expected a driver name as in /sys/bus/pci/drivers (e.g. nvme), got 'nvme e1000e'\n",
};
FIXTURE_VARIANT_ADD(bad, driver_empty) {
	.text = "device = 00:04.0\nid = 1b36:0010\ndriver =\n",
	.msg = "3: expected a driver name as in /sys/bus/pci/drivers (e.g. nvme), got ''\n",
};
FIXTURE_VARIANT_ADD(bad, no_equals) {
	.text = "device = 00:04.0\nTEST_DEVS=(00:04.0)\nlabel\n",
	.msg = "3: expected 'key = value', got 'label'\n",
};

FIXTURE_SETUP(bad)
{
	path_fmt(self->path, sizeof(self->path), "/tmp/snoop-lab-%d.conf", getpid());
	ASSERT_EQ(0, write_file_atomic(self->path, variant->text, strlen(variant->text)));
	self->err = fmemopen(self->errbuf, sizeof(self->errbuf), "w");
	ASSERT_NE(NULL, self->err);
}

FIXTURE_TEARDOWN(bad)
{
	fclose(self->err);
	unlink(self->path);
}

TEST_F(bad, names_file_line_and_what_was_expected)
{
	struct lab_config c;
	char want[PATH_MAX + 256];

	EXPECT_EQ(-EINVAL, labconfig_load(&c, self->path, self->err));
	fflush(self->err);
	path_fmt(want, sizeof(want), "%s:%s", self->path, variant->msg);
	EXPECT_STREQ(want, self->errbuf);
	EXPECT_EQ(NULL, c.dev);
}

/* Every block without an id is named at once, not one per try. */
TEST(every_block_without_an_id_is_named)
{
	static const char text[] = "device = 00:04.0\n\ndevice = 00:05.0\nid = 8086:10d3\n"
				   "device = 00:06.0\nlabel = edu\n";
	struct lab_config c;
	char path[PATH_MAX], want[2 * PATH_MAX + 512], buf[2048] = "";
	FILE *err = fmemopen(buf, sizeof(buf), "w");

	ASSERT_NE(NULL, err);
	path_fmt(path, sizeof(path), "/tmp/snoop-lab-ids-%d.conf", getpid());
	ASSERT_EQ(0, write_file_atomic(path, text, strlen(text)));
	EXPECT_EQ(-EINVAL, labconfig_load(&c, path, err));
	unlink(path);
	fclose(err);
	snprintf(want, sizeof(want),
		 "%s:1: expected id = VVVV:DDDD in the block of device 0000:00:04.0 (its vendor:device in hex, as lspci -n shows them): the config must say what it expects there\n"
		 "%s:5: expected id = VVVV:DDDD in the block of device 0000:00:06.0 (its vendor:device in hex, as lspci -n shows them): the config must say what it expects there\n",
		 path, path);
	EXPECT_STREQ(want, buf);
	EXPECT_EQ(NULL, c.dev);
}

TEST(id_and_driver_in_either_case)
{
	static const char text[] = "device = 00:04.0\nid = 1B36:00aF\ndriver = mlx5_core\n";
	struct lab_config c;
	const struct lab_device *d;
	char path[PATH_MAX];

	path_fmt(path, sizeof(path), "/tmp/snoop-lab-id-%d.conf", getpid());
	ASSERT_EQ(0, write_file_atomic(path, text, strlen(text)));
	ASSERT_EQ(0, labconfig_load(&c, path, stderr));
	unlink(path);
	d = labconfig_find(&c, "0000:00:04.0");
	ASSERT_NE(NULL, d);
	EXPECT_EQ(0x1b36, d->vendor);
	EXPECT_EQ(0x00af, d->device);
	EXPECT_EQ(2, d->id_line);
	EXPECT_STREQ("mlx5_core", d->driver);
	labconfig_free(&c);
}

TEST(missing_file)
{
	struct lab_config c;
	char buf[512] = "";
	FILE *err = fmemopen(buf, sizeof(buf), "w");

	ASSERT_NE(NULL, err);
	EXPECT_EQ(-ENOENT, labconfig_load(&c, "/nonexistent/lab.conf", err));
	fclose(err);
	EXPECT_STREQ("/nonexistent/lab.conf: cannot read: No such file or directory\n", buf);
}

TEST_HARNESS_MAIN
