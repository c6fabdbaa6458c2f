// SPDX-License-Identifier: GPL-2.0-only
/*
 * Binding and restoring against a temp tree shaped like /sys, with the PCI
 * core's answers played by tests/fakesys.h: the sequence of writes, IOMMU
 * groups, the in-use guard, a runner killed between any two steps, replay
 * twice, a restore that cannot succeed, and a corrupt journal.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "host/bind.h"
#include "fakesys.h"
#include "host/journal.h"
#include "host/restore.h"

#define NVME "0000:00:04.0"
#define NIC0 "0000:00:05.0"
#define NIC1 "0000:00:05.1"
#define PORT "0000:00:1c.0"
#define EDU  "0000:00:06.0"
#define PF   "0000:00:07.0"
#define LONE "0000:00:08.0"

FIXTURE(lab) {
	struct fakesys f;
	char run[PATH_MAX];
	struct journal j;
	struct bind_opts o;
	struct bind_result r;
	char out[4096], err[4096];
	FILE *outf, *errf;
};

FIXTURE_SETUP(lab)
{
	fake_init(&self->f);
	/* group 1: an NVMe alone; group 2: a two-function NIC and its port;
	 * group 3: edu, no driver; group 4: an SR-IOV PF with 2 VFs. */
	fake_device(&self->f, NVME, "0x1b36", "0x0010", "0x010802", "nvme", "nvme", 1, -1);
	fake_device(&self->f, NIC0, "0x8086", "0x10d3", "0x020000", "e1000e", "e1000e", 2, -1);
	fake_device(&self->f, NIC1, "0x8086", "0x10d3", "0x020000", "e1000e", "e1000e", 2, -1);
	fake_device(&self->f, PORT, "0x8086", "0xa110", "0x060400", "pcieport", "pcieport", 2, -1);
	fake_device(&self->f, EDU, "0x1234", "0x11e8", "0x00ff00", "", "", 3, -1);
	fake_device(&self->f, PF, "0x15b3", "0x1017", "0x020000", "mlx5_core", "mlx5_core", 4, 2);
	/* no IOMMU group: the IOMMU is off for it */
	fake_device(&self->f, LONE, "0x8086", "0x10d3", "0x020000", "e1000e", "e1000e", -1, -1);
	fake_kernel_on(&self->f);
	path_fmt(self->run, sizeof(self->run), "%s/run/snoopcheck", self->f.root);
	journal_init(&self->j, self->run);
	self->o = (struct bind_opts){ .journal = &self->j, .pid = 4242 };
	self->outf = fmemopen(self->out, sizeof(self->out), "w");
	self->errf = fmemopen(self->err, sizeof(self->err), "w");
	ASSERT_NE(NULL, self->outf);
	ASSERT_NE(NULL, self->errf);
}

FIXTURE_TEARDOWN(lab)
{
	journal_close(&self->j);
	fclose(self->outf);
	fclose(self->errf);
	fake_cleanup(&self->f);
}

static void expect_writes(struct __test_metadata *_metadata,
			  const struct fakesys *f, const char *const *want)
{
	int n = 0;

	for (; want[n]; n++) {
		ASSERT_LT(n, f->n_writes) TH_LOG("missing write %d: %s", n, want[n]);
		EXPECT_STREQ(want[n], f->log[n]);
	}
	EXPECT_EQ(n, f->n_writes) TH_LOG("extra write: %s", f->log[n]);
}

static void expect_driver(struct __test_metadata *_metadata, const char *bdf,
			  const char *drv)
{
	char cur[64];

	fake_get(bdf, "driver", cur, sizeof(cur));
	EXPECT_STREQ(drv, cur) TH_LOG("%s", bdf);
}

static int journal_lines(const char *run, struct journal_rec **recs)
{
	size_t n;

	if (journal_load(run, recs, &n, stderr))
		return -1;
	return (int)n;
}

TEST_F(lab, nvme_alone_override_unbind_probe)
{
	static const char *const want[] = {
		"/sys/bus/pci/devices/" NVME "/driver_override=vfio-pci",
		"/sys/bus/pci/devices/" NVME "/driver/unbind=" NVME,
		"/sys/bus/pci/drivers_probe=" NVME,
		NULL,
	};
	struct journal_rec *recs;
	char ov[64];

	ASSERT_EQ(0, bind_device(NVME, &self->o, &self->r));
	expect_writes(_metadata, &self->f, want);
	expect_driver(_metadata, NVME, "vfio-pci");
	fake_get(NVME, "driver_override", ov, sizeof(ov));
	EXPECT_STREQ("vfio-pci", ov);
	EXPECT_EQ(1, self->r.group);
	ASSERT_EQ(1, self->r.n_members);
	EXPECT_EQ(MEMBER_BOUND, self->r.member[0].action);
	EXPECT_STREQ("nvme", self->r.member[0].orig.driver);

	ASSERT_EQ(3, journal_lines(self->run, &recs));
	EXPECT_STREQ("override", recs[0].step);
	EXPECT_STREQ("unbind", recs[1].step);
	EXPECT_STREQ("probe", recs[2].step);
	for (int i = 0; i < 3; i++) {
		EXPECT_STREQ(NVME, recs[i].bdf);
		EXPECT_STREQ("nvme", recs[i].orig.driver);
		EXPECT_STREQ("", recs[i].orig.override);
		EXPECT_EQ(-1, recs[i].orig.sriov_numvfs);
		EXPECT_EQ(4242, recs[i].pid);
	}
	free(recs);
}

TEST_F(lab, group_moves_together_and_leaves_the_port)
{
	ASSERT_EQ(0, bind_device(NIC1, &self->o, &self->r));
	EXPECT_EQ(2, self->r.group);
	ASSERT_EQ(3, self->r.n_members);
	/* sorted: 00:05.0, 00:05.1, 00:1c.0 */
	EXPECT_STREQ(NIC0, self->r.member[0].bdf);
	EXPECT_EQ(MEMBER_BOUND, self->r.member[0].action);
	EXPECT_EQ(MEMBER_BOUND, self->r.member[1].action);
	EXPECT_EQ(MEMBER_LEFT_VIABLE, self->r.member[2].action);
	expect_driver(_metadata, NIC0, "vfio-pci");
	expect_driver(_metadata, NIC1, "vfio-pci");
	expect_driver(_metadata, PORT, "pcieport");
	EXPECT_EQ(6, self->f.n_writes);
}

TEST_F(lab, bridge_on_another_driver_makes_the_group_unviable)
{
	fake_set_driver(&self->f, PORT, "shpchp");
	EXPECT_EQ(-EPERM, bind_device(NIC0, &self->o, &self->r));
	EXPECT_TRUE(self->r.refused);
	EXPECT_STREQ(PORT " is a bridge on shpchp, which vfio-pci cannot replace (it drives normal functions only): IOMMU group 2 cannot be made viable",
		     self->r.error);
	EXPECT_EQ(0, self->f.n_writes);
	EXPECT_EQ(-ENOENT, restore_journal(self->run, 0, self->outf, self->errf));
}

TEST_F(lab, unbound_device_gets_override_and_probe_only)
{
	static const char *const want[] = {
		"/sys/bus/pci/devices/" EDU "/driver_override=vfio-pci",
		"/sys/bus/pci/drivers_probe=" EDU,
		"/sys/bus/pci/devices/" EDU "/driver/unbind=" EDU,
		"/sys/bus/pci/devices/" EDU "/driver_override=\\n",
		NULL,
	};

	ASSERT_EQ(0, bind_device(EDU, &self->o, &self->r));
	expect_driver(_metadata, EDU, "vfio-pci");
	ASSERT_EQ(0, restore_journal(self->run, 0, self->outf, self->errf));
	expect_writes(_metadata, &self->f, want);	/* no bind: it had no driver */
	expect_driver(_metadata, EDU, "");
}

TEST_F(lab, in_use_refuses_unless_forced)
{
	fake_put(&self->f, "/sys/devices/pci0000:00/" NVME "/nvme/nvme0/nvme0n1/dev", "259:0\n");
	fake_link(&self->f, "/sys/class/block/nvme0n1",
		  "../../devices/pci0000:00/" NVME "/nvme/nvme0/nvme0n1");
	fake_put(&self->f, "/proc/self/mountinfo",
		 "40 1 259:0 / /mnt/scratch rw - ext4 /dev/nvme0n1 rw\n");

	EXPECT_EQ(-EBUSY, bind_device(NVME, &self->o, &self->r));
	EXPECT_TRUE(self->r.refused);
	EXPECT_STREQ("in use: " NVME ": nvme0n1 has a filesystem mounted on /mnt/scratch (--force overrides)",
		     self->r.error);
	EXPECT_EQ(0, self->f.n_writes);
	expect_driver(_metadata, NVME, "nvme");

	self->o.force = true;
	ASSERT_EQ(0, bind_device(NVME, &self->o, &self->r));
	EXPECT_TRUE(self->r.member[0].forced);
	EXPECT_STREQ("nvme0n1 has a filesystem mounted on /mnt/scratch", self->r.member[0].inuse);
	expect_driver(_metadata, NVME, "vfio-pci");
}

/* vfio-pci would fail its probe after the driver was gone: refuse first. */
TEST_F(lab, no_iommu_group_is_refused_before_anything_is_touched)
{
	EXPECT_EQ(-ENXIO, bind_device(LONE, &self->o, &self->r));
	EXPECT_TRUE(self->r.refused);
	EXPECT_NE(NULL, strstr(self->r.error, "it has no IOMMU group, and VFIO needs one"));
	EXPECT_EQ(0, self->f.n_writes);
	expect_driver(_metadata, LONE, "e1000e");
}

TEST_F(lab, no_iommu_group_binds_in_unsafe_noiommu_mode)
{
	char p[PATH_MAX];

	path_fmt(p, sizeof(p), "/sys/module/vfio/parameters/enable_unsafe_noiommu_mode");
	fake_put(&self->f, p, "Y\n");
	self->o.dry_run = true;
	self->o.journal = NULL;
	EXPECT_EQ(0, bind_device(LONE, &self->o, &self->r));
	EXPECT_FALSE(self->r.refused);
}

TEST_F(lab, dry_run_writes_nothing)
{
	self->o.dry_run = true;
	self->o.journal = NULL;
	ASSERT_EQ(0, bind_device(NIC0, &self->o, &self->r));
	EXPECT_EQ(MEMBER_WOULD_BIND, self->r.member[0].action);
	EXPECT_EQ(MEMBER_WOULD_BIND, self->r.member[1].action);
	EXPECT_EQ(0, self->f.n_writes);
	expect_driver(_metadata, NIC0, "e1000e");
}

TEST_F(lab, restore_gives_back_then_replay_again_is_harmless)
{
	static const char *const want[] = {
		"/sys/bus/pci/devices/" NVME "/driver/unbind=" NVME,
		"/sys/bus/pci/devices/" NVME "/driver_override=\\n",
		"/sys/bus/pci/drivers/nvme/bind=" NVME,
		NULL,
	};
	struct dev_state orig = { .driver = "nvme", .sriov_numvfs = -1 };
	char why[256], ov[64];

	ASSERT_EQ(0, bind_device(NVME, &self->o, &self->r));
	self->f.n_writes = 0;
	ASSERT_EQ(0, restore_journal(self->run, 0, self->outf, self->errf));
	expect_writes(_metadata, &self->f, want);
	expect_driver(_metadata, NVME, "nvme");
	fake_get(NVME, "driver_override", ov, sizeof(ov));
	EXPECT_STREQ("(null)", ov);
	fflush(self->outf);
	EXPECT_STREQ("restored " NVME ": driver nvme, override (none), no SR-IOV\n", self->out);

	/* the journal is gone; a second replay has nothing to do */
	EXPECT_EQ(-ENOENT, restore_journal(self->run, 0, self->outf, self->errf));
	/* and restoring a device already as it was writes nothing */
	self->f.n_writes = 0;
	EXPECT_EQ(0, restore_device(NVME, &orig, why, sizeof(why)));
	EXPECT_EQ(0, self->f.n_writes);
}

TEST_F(lab, sriov_vfs_off_first_back_last)
{
	static const char *const want[] = {
		"/sys/bus/pci/devices/" PF "/sriov_numvfs=0",
		"/sys/bus/pci/devices/" PF "/driver_override=vfio-pci",
		"/sys/bus/pci/devices/" PF "/driver/unbind=" PF,
		"/sys/bus/pci/drivers_probe=" PF,
		"/sys/bus/pci/devices/" PF "/driver/unbind=" PF,
		"/sys/bus/pci/devices/" PF "/driver_override=\\n",
		"/sys/bus/pci/drivers/mlx5_core/bind=" PF,
		"/sys/bus/pci/devices/" PF "/sriov_numvfs=2",
		NULL,
	};
	char vfs[16];

	ASSERT_EQ(0, bind_device(PF, &self->o, &self->r));
	fake_get(PF, "sriov_numvfs", vfs, sizeof(vfs));
	EXPECT_STREQ("0", vfs);
	ASSERT_EQ(0, restore_journal(self->run, 0, self->outf, self->errf));
	expect_writes(_metadata, &self->f, want);
	fake_get(PF, "sriov_numvfs", vfs, sizeof(vfs));
	EXPECT_STREQ("2", vfs);
	expect_driver(_metadata, PF, "mlx5_core");
}

static int stop_now(void)
{
	return 1;
}

TEST_F(lab, interrupted_before_a_step_stops_and_restores)
{
	self->o.interrupted = stop_now;
	EXPECT_EQ(-EINTR, bind_device(NVME, &self->o, &self->r));
	EXPECT_STREQ("interrupted before override of " NVME, self->r.error);
	EXPECT_EQ(0, self->f.n_writes);
	EXPECT_EQ(-ENOENT, restore_journal(self->run, 0, self->outf, self->errf));
}

TEST_F(lab, restore_failure_is_reported_and_journal_kept)
{
	char path[PATH_MAX];

	ASSERT_EQ(0, bind_device(NVME, &self->o, &self->r));
	/* the nvme driver went away meanwhile (module unloaded) */
	path_fmt(path, sizeof(path), "rm -rf %s/sys/bus/pci/drivers/nvme", self->f.root);
	ASSERT_EQ(0, system(path));
	EXPECT_EQ(-EIO, restore_journal(self->run, 0, self->outf, self->errf));
	fflush(self->errf);
	EXPECT_STREQ("restore-failed " NVME ": now driver (none), override (none), no SR-IOV, expected driver nvme, override (none), no SR-IOV\n",
		     self->err);
	path_fmt(path, sizeof(path), "%s/journal", self->run);
	EXPECT_EQ(0, access(path, F_OK));
	/* the driver is back: the kept journal finishes the job */
	fake_driver(&self->f, "nvme");
	EXPECT_EQ(0, restore_journal(self->run, 0, self->outf, self->errf));
	expect_driver(_metadata, NVME, "nvme");
	EXPECT_NE(0, access(path, F_OK));
}

TEST_F(lab, only_this_runners_devices_at_its_exit)
{
	struct journal_rec *recs;

	ASSERT_EQ(0, bind_device(EDU, &self->o, &self->r));	/* pid 4242 */
	self->o.pid = 5151;
	ASSERT_EQ(0, bind_device(NVME, &self->o, &self->r));
	ASSERT_EQ(0, restore_journal(self->run, 5151, self->outf, self->errf));
	expect_driver(_metadata, NVME, "nvme");
	expect_driver(_metadata, EDU, "vfio-pci");
	ASSERT_EQ(2, journal_lines(self->run, &recs));
	EXPECT_STREQ(EDU, recs[0].bdf);
	EXPECT_EQ(4242, recs[0].pid);
	free(recs);
}

/*
 * A damaged journal used to stop restore cold, every time. Now its bytes
 * are kept aside, and what can still be read is restored.
 */
TEST_F(lab, corrupt_journal_is_kept_aside_and_the_rest_restored)
{
	char path[PATH_MAX], kept[PATH_MAX], *before, *after, *at;

	ASSERT_EQ(0, bind_device(NVME, &self->o, &self->r));
	path_fmt(path, sizeof(path), "%s/journal", self->run);
	before = read_file(path, NULL);
	ASSERT_NE(NULL, before);
	/* a line mangled in the middle (not a torn tail) */
	before[strchr(before, '\n') - before + 3] = '#';
	ASSERT_EQ(0, write_file_atomic(path, before, strlen(before)));
	self->f.n_writes = 0;
	EXPECT_EQ(-EINVAL, restore_journal(self->run, 0, self->outf, self->errf));
	fflush(self->errf);
	EXPECT_NE(NULL, strstr(self->err, "/journal:2: expected a journal record with \"v\": 1\n"))
		TH_LOG("%s", self->err);
	/* its bytes, kept before anything was touched */
	at = strstr(self->err, "kept byte for byte as ");
	ASSERT_NE(NULL, at) TH_LOG("%s", self->err);
	snprintf(kept, sizeof(kept), "%s", at + strlen("kept byte for byte as "));
	kept[strcspn(kept, ";")] = '\0';
	after = read_file(kept, NULL);
	ASSERT_NE(NULL, after) TH_LOG("%s", kept);
	EXPECT_STREQ(before, after);
	/* lines 1 and 3 hold the original state: the device is back */
	expect_driver(_metadata, NVME, "nvme");
	EXPECT_EQ(3, self->f.n_writes);
	EXPECT_NE(0, access(path, F_OK));
	free(before);
	free(after);
}

/* Kill the "runner" at each write of the NIC group's bind in turn. */
FIXTURE(crash) {
	struct fakesys f;
	char run[PATH_MAX];
};

FIXTURE_VARIANT(crash) {
	int die_at;
};

FIXTURE_VARIANT_ADD(crash, at_1_override) { .die_at = 1 };
FIXTURE_VARIANT_ADD(crash, at_2_unbind) { .die_at = 2 };
FIXTURE_VARIANT_ADD(crash, at_3_probe) { .die_at = 3 };
FIXTURE_VARIANT_ADD(crash, at_4_second_function_override) { .die_at = 4 };
FIXTURE_VARIANT_ADD(crash, at_5_second_function_unbind) { .die_at = 5 };
FIXTURE_VARIANT_ADD(crash, at_6_second_function_probe) { .die_at = 6 };
FIXTURE_VARIANT_ADD(crash, never) { .die_at = 0 };

FIXTURE_SETUP(crash)
{
	fake_init(&self->f);
	fake_device(&self->f, NIC0, "0x8086", "0x10d3", "0x020000", "e1000e", "e1000e", 2, -1);
	fake_device(&self->f, NIC1, "0x8086", "0x10d3", "0x020000", "e1000e", "e1000e", 2, -1);
	fake_device(&self->f, PORT, "0x8086", "0xa110", "0x060400", "pcieport", "pcieport", 2, -1);
	path_fmt(self->run, sizeof(self->run), "%s/run/snoopcheck", self->f.root);
}

FIXTURE_TEARDOWN(crash)
{
	fake_cleanup(&self->f);
}

TEST_F(crash, restore_brings_every_device_back)
{
	struct journal_rec *recs;
	size_t n;
	int st, writes_before;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct journal j;
		struct bind_opts o = { .journal = &j, .pid = (long)getpid() };
		struct bind_result r;

		journal_init(&j, self->run);
		self->f.die_at = variant->die_at;
		fake_kernel_on(&self->f);
		_exit(bind_device(NIC0, &o, &r) ? 1 : 0);
	}
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	ASSERT_TRUE(WIFEXITED(st));
	EXPECT_EQ(variant->die_at ? 137 : 0, WEXITSTATUS(st));

	/* the step it died in was journalled first */
	ASSERT_EQ(0, journal_load(self->run, &recs, &n, stderr));
	EXPECT_EQ(variant->die_at ? (size_t)variant->die_at : 6, n);
	free(recs);

	fake_kernel_on(&self->f);
	ASSERT_EQ(0, restore_journal(self->run, 0, stdout, stderr));
	expect_driver(_metadata, NIC0, "e1000e");
	expect_driver(_metadata, NIC1, "e1000e");
	expect_driver(_metadata, PORT, "pcieport");
	for (int i = 0; i < 2; i++) {
		char ov[64];

		fake_get(i ? NIC1 : NIC0, "driver_override", ov, sizeof(ov));
		EXPECT_STREQ("(null)", ov);
	}
	/* replay again, as after a restore that was itself killed: nothing */
	writes_before = self->f.n_writes;
	EXPECT_EQ(-ENOENT, restore_journal(self->run, 0, stdout, stderr));
	EXPECT_EQ(writes_before, self->f.n_writes);
}

TEST_HARNESS_MAIN
