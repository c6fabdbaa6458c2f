// SPDX-License-Identifier: GPL-2.0-only
/*
 * restore_journal() when the journal is not what a clean run leaves: bad
 * lines (NUL bytes, unknown steps, driver names that would be paths,
 * negative counts) between good ones, a device gone from the machine, and
 * DevCtl records, against tests/fakesys.h's tree. What can be read is
 * restored; what cannot is reported and kept aside, byte for byte.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "fakesys.h"
#include "host/bind.h"
#include "host/journal.h"
#include "host/restore.h"

#define NVME "0000:00:04.0"
#define NIC0 "0000:00:05.0"
#define NIC1 "0000:00:05.1"
#define PORT "0000:00:1c.0"
#define PF   "0000:00:07.0"

FIXTURE(lab) {
	struct fakesys f;
	char run[PATH_MAX], path[PATH_MAX];
	struct journal j;
	struct bind_opts o;
	struct bind_result r;
	char out[4096], err[4096];
	FILE *outf, *errf;
};

FIXTURE_SETUP(lab)
{
	fake_init(&self->f);
	fake_device(&self->f, NVME, "0x1b36", "0x0010", "0x010802", "nvme", "nvme", 1, -1);
	fake_device(&self->f, NIC0, "0x8086", "0x10d3", "0x020000", "e1000e", "e1000e", 2, -1);
	fake_device(&self->f, NIC1, "0x8086", "0x10d3", "0x020000", "e1000e", "e1000e", 2, -1);
	fake_device(&self->f, PORT, "0x8086", "0xa110", "0x060400", "pcieport", "pcieport", 2, -1);
	fake_device(&self->f, PF, "0x15b3", "0x1017", "0x020000", "mlx5_core", "mlx5_core", 4, 2);
	fake_kernel_on(&self->f);
	path_fmt(self->run, sizeof(self->run), "%s/run/snoopcheck", self->f.root);
	path_fmt(self->path, sizeof(self->path), "%s/journal", self->run);
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

static void expect_driver(struct __test_metadata *_metadata, const char *bdf,
			  const char *drv)
{
	char cur[64];

	fake_get(bdf, "driver", cur, sizeof(cur));
	EXPECT_STREQ(drv, cur) TH_LOG("%s", bdf);
}

/* The journal's bytes, NULs and all; the caller frees. */
static char *journal_bytes(struct __test_metadata *_metadata, const char *path,
			   size_t *len)
{
	char *text = read_file(path, len);

	EXPECT_NE(NULL, text) TH_LOG("%s", path);
	return text;
}

/* Replace every occurrence of from by to in the journal (no NULs in it). */
static void mangle(struct __test_metadata *_metadata, const char *path,
		   const char *from, const char *to)
{
	char *text = journal_bytes(_metadata, path, NULL), *buf, *at, *rest;
	int n = 0;

	ASSERT_NE(NULL, text);
	buf = calloc(1, strlen(text) * (strlen(to) + 1) + 1);
	ASSERT_NE(NULL, buf);
	for (rest = text; (at = strstr(rest, from)); rest = at + strlen(from), n++) {
		strncat(buf, rest, (size_t)(at - rest));
		strcat(buf, to);
	}
	strcat(buf, rest);
	ASSERT_LT(0, n) TH_LOG("no %s in the journal", from);
	ASSERT_EQ(0, write_file_atomic(path, buf, strlen(buf)));
	free(buf);
	free(text);
}

/* Replace line lineno (1-based) by text, "\n" included. */
static void replace_line(struct __test_metadata *_metadata, const char *path,
			 int lineno, const char *text)
{
	size_t len;
	char *old = journal_bytes(_metadata, path, &len), *start, *end, *buf;

	ASSERT_NE(NULL, old);
	start = old;
	for (int i = 1; i < lineno; i++)
		start = strchr(start, '\n') + 1;
	end = strchr(start, '\n') + 1;
	buf = malloc(len + strlen(text) + 1);
	ASSERT_NE(NULL, buf);
	memcpy(buf, old, (size_t)(start - old));
	strcpy(buf + (start - old), text);
	strcat(buf, end);
	ASSERT_EQ(0, write_file_atomic(path, buf, strlen(buf)));
	free(buf);
	free(old);
}

/* The copy restore says it kept, compared byte for byte with want. */
static void expect_kept(struct __test_metadata *_metadata, const char *err,
			const char *want, size_t want_len)
{
	static const char tag[] = "kept byte for byte as ";
	const char *at = strstr(err, tag);
	char kept[PATH_MAX], *text;
	size_t len;

	ASSERT_NE(NULL, at) TH_LOG("%s", err);
	snprintf(kept, sizeof(kept), "%s", at + strlen(tag));
	kept[strcspn(kept, ";")] = '\0';
	text = read_file(kept, &len);
	ASSERT_NE(NULL, text) TH_LOG("%s", kept);
	ASSERT_EQ(want_len, len);
	EXPECT_EQ(0, memcmp(want, text, len));
	free(text);
}

TEST_F(lab, nul_byte_mid_journal_reported_and_every_readable_record_restored)
{
	char *before, want[PATH_MAX + 128];
	size_t len;

	ASSERT_EQ(0, bind_device(NVME, &self->o, &self->r));
	ASSERT_EQ(0, bind_device(NIC0, &self->o, &self->r));	/* lines 4-9 */
	before = journal_bytes(_metadata, self->path, &len);
	ASSERT_NE(NULL, before);
	/* the NUL used to end the journal there: both NICs were forgotten */
	*strchr(before, '\n') = '\0';		/* line 1 runs into line 2 */
	ASSERT_EQ(0, write_file_atomic(self->path, before, len));

	EXPECT_EQ(-EINVAL, restore_journal(self->run, 0, self->outf, self->errf));
	fflush(self->errf);
	path_fmt(want, sizeof(want), "%s:1: expected a journal record, found a NUL byte at column ",
		 self->path);
	EXPECT_NE(NULL, strstr(self->err, want)) TH_LOG("%s", self->err);
	expect_kept(_metadata, self->err, before, len);
	expect_driver(_metadata, NVME, "nvme");
	expect_driver(_metadata, NIC0, "e1000e");
	expect_driver(_metadata, NIC1, "e1000e");
	EXPECT_NE(0, access(self->path, F_OK));
	/* the damage was reported once: the next restore has nothing to do */
	EXPECT_EQ(-ENOENT, restore_journal(self->run, 0, self->outf, self->errf));
	free(before);
}

TEST_F(lab, bad_line_between_good_ones_blocks_nothing)
{
	char *before;
	size_t len;

	ASSERT_EQ(0, bind_device(NVME, &self->o, &self->r));
	replace_line(_metadata, self->path, 2, "{\"v\":1,\"pid\":4242,\"bdf\":\n");
	before = journal_bytes(_metadata, self->path, &len);
	ASSERT_NE(NULL, before);
	self->f.n_writes = 0;
	EXPECT_EQ(-EINVAL, restore_journal(self->run, 0, self->outf, self->errf));
	fflush(self->errf);
	fflush(self->outf);
	EXPECT_NE(NULL, strstr(self->err, "/journal:2: expected a journal record with a JSON object\n"))
		TH_LOG("%s", self->err);
	expect_kept(_metadata, self->err, before, len);
	EXPECT_STREQ("restored " NVME ": driver nvme, override (none), no SR-IOV\n", self->out);
	expect_driver(_metadata, NVME, "nvme");
	free(before);
}

/* A value that fails the checks makes its record unreadable, never used. */
TEST_F(lab, driver_name_that_is_a_path_is_not_used)
{
	ASSERT_EQ(0, bind_device(NVME, &self->o, &self->r));
	mangle(_metadata, self->path, "\"driver\":\"nvme\"", "\"driver\":\"../x\"");
	self->f.n_writes = 0;
	EXPECT_EQ(-EINVAL, restore_journal(self->run, 0, self->outf, self->errf));
	fflush(self->errf);
	EXPECT_NE(NULL, strstr(self->err, "/journal:1: expected a journal record with \"driver\" and \"driver_override\": \"\" or a driver name"))
		TH_LOG("%s", self->err);
	EXPECT_NE(NULL, strstr(self->err, "/journal:3: expected"));
	/* no write anywhere, least of all to drivers/../x/bind */
	EXPECT_EQ(0, self->f.n_writes);
	expect_driver(_metadata, NVME, "vfio-pci");
}

TEST_F(lab, unknown_step_is_reported_and_the_others_restore)
{
	ASSERT_EQ(0, bind_device(NVME, &self->o, &self->r));
	mangle(_metadata, self->path, "\"step\":\"unbind\"", "\"step\":\"rebind\"");
	EXPECT_EQ(-EINVAL, restore_journal(self->run, 0, self->outf, self->errf));
	fflush(self->errf);
	EXPECT_NE(NULL, strstr(self->err, "/journal:2: expected a journal record with \"step\": one of sriov-off, override, unbind, probe, devctl\n"))
		TH_LOG("%s", self->err);
	expect_driver(_metadata, NVME, "nvme");
}

TEST_F(lab, negative_numvfs_is_not_used)
{
	char vfs[16];

	ASSERT_EQ(0, bind_device(PF, &self->o, &self->r));
	mangle(_metadata, self->path, "\"sriov_numvfs\":2}", "\"sriov_numvfs\":-2}");
	self->f.n_writes = 0;
	EXPECT_EQ(-EINVAL, restore_journal(self->run, 0, self->outf, self->errf));
	fflush(self->errf);
	for (int line = 1; line <= 4; line++) {
		char want[128];

		snprintf(want, sizeof(want), "/journal:%d: expected a journal record with \"sriov_numvfs\": null or a number >= 0\n",
			 line);
		EXPECT_NE(NULL, strstr(self->err, want)) TH_LOG("%s", self->err);
	}
	EXPECT_EQ(0, self->f.n_writes);
	fake_get(PF, "sriov_numvfs", vfs, sizeof(vfs));
	EXPECT_STREQ("0", vfs);
}

/* A device hot-removed since: reported, dropped, and restore can finish. */
TEST_F(lab, vanished_device_is_reported_and_dropped)
{
	char link[PATH_MAX];

	ASSERT_EQ(0, bind_device(NVME, &self->o, &self->r));
	ASSERT_EQ(0, bind_device(NIC0, &self->o, &self->r));
	path_fmt(link, sizeof(link), "%s/sys/bus/pci/devices/" NVME, self->f.root);
	ASSERT_EQ(0, unlink(link));
	self->f.n_writes = 0;
	EXPECT_EQ(0, restore_journal(self->run, 0, self->outf, self->errf));
	fflush(self->outf);
	fflush(self->errf);
	EXPECT_NE(NULL, strstr(self->out, "gone " NVME ": no longer on the machine, so nothing can be restored; its records are dropped (it had driver nvme, override (none), no SR-IOV)\n"))
		TH_LOG("%s", self->out);
	EXPECT_STREQ("", self->err);
	expect_driver(_metadata, NIC0, "e1000e");
	EXPECT_NE(0, access(self->path, F_OK));
	EXPECT_EQ(-ENOENT, restore_journal(self->run, 0, self->outf, self->errf));
}

static void journal_devctl(struct __test_metadata *_metadata, struct journal *j,
			   const char *bdf, long pid, unsigned int devctl)
{
	struct journal_rec r = { .step = JOURNAL_STEP_DEVCTL, .pid = pid,
				 .devctl = (uint16_t)devctl,
				 .orig = { .sriov_numvfs = -1 } };

	snprintf(r.bdf, sizeof(r.bdf), "%s", bdf);
	ASSERT_EQ(0, journal_append(j, &r)) TH_LOG("%s", j->why);
}

/* runner fio measure killed with Enable No Snoop cleared */
TEST_F(lab, journalled_devctl_is_put_back)
{
	fake_config(&self->f, NVME, 0x2010);
	journal_devctl(_metadata, &self->j, NVME, 999, 0x2810);
	ASSERT_EQ(0, restore_journal(self->run, 0, self->outf, self->errf));
	EXPECT_EQ(0x2810, fake_devctl(&self->f, NVME));
	fflush(self->outf);
	EXPECT_STREQ("restored " NVME ": DevCtl Enable No Snoop on, as before the first change (DevCtl 0x2810, journalled 0x2810)\n",
		     self->out);
	expect_driver(_metadata, NVME, "nvme");	/* its binding was never touched */
	EXPECT_NE(0, access(self->path, F_OK));
	EXPECT_EQ(-ENOENT, restore_journal(self->run, 0, self->outf, self->errf));
}

/* The runner changes Enable No Snoop only: the rest is whoever's set it since. */
TEST_F(lab, only_enable_no_snoop_is_put_back)
{
	fake_config(&self->f, NVME, 0x5817);
	journal_devctl(_metadata, &self->j, NVME, 999, 0x2010);
	ASSERT_EQ(0, restore_journal(self->run, 0, self->outf, self->errf));
	EXPECT_EQ(0x5017, fake_devctl(&self->f, NVME));
}

/*
 * A suite (its own pid) changed DevCtl on a device the run bound, and was
 * killed: the run's own give-back puts DevCtl back first, then the driver.
 * DevCtl of a device it did not bind is not its to touch.
 */
TEST_F(lab, a_runs_give_back_restores_its_suites_devctl)
{
	struct journal_rec *recs;
	size_t n;

	fake_config(&self->f, NVME, 0x2010);
	fake_config(&self->f, NIC0, 0x2010);
	ASSERT_EQ(0, bind_device(NVME, &self->o, &self->r));
	journal_devctl(_metadata, &self->j, NVME, 999, 0x2810);
	journal_devctl(_metadata, &self->j, NIC0, 999, 0x2810);
	self->f.n_writes = 0;
	ASSERT_EQ(0, restore_journal(self->run, 4242, self->outf, self->errf));
	fflush(self->outf);
	EXPECT_STREQ("restored " NVME ": DevCtl Enable No Snoop on, as before the first change (DevCtl 0x2810, journalled 0x2810)\n"
		     "restored " NVME ": driver nvme, override (none), no SR-IOV\n", self->out);
	EXPECT_EQ(0x2810, fake_devctl(&self->f, NVME));
	expect_driver(_metadata, NVME, "nvme");
	EXPECT_EQ(0x2010, fake_devctl(&self->f, NIC0));
	ASSERT_EQ(0, journal_load(self->run, &recs, &n, self->errf));
	ASSERT_EQ(1, n);
	EXPECT_STREQ(NIC0, recs[0].bdf);
	EXPECT_STREQ("devctl", recs[0].step);
	free(recs);
}

TEST_F(lab, devctl_that_cannot_be_read_stays_journalled)
{
	journal_devctl(_metadata, &self->j, NVME, 999, 0x2810);	/* no config file */
	EXPECT_EQ(-EIO, restore_journal(self->run, 0, self->outf, self->errf));
	fflush(self->errf);
	EXPECT_EQ(0, strncmp(self->err, "restore-failed " NVME ": reading DevCtl through libpci: ", 57))
		TH_LOG("%s", self->err);
	EXPECT_EQ(0, access(self->path, F_OK));
	/* the config file is back (the device answers again): it finishes */
	fake_config(&self->f, NVME, 0x2010);
	EXPECT_EQ(0, restore_journal(self->run, 0, self->outf, self->errf));
	EXPECT_EQ(0x2810, fake_devctl(&self->f, NVME));
	EXPECT_NE(0, access(self->path, F_OK));
}

TEST_F(lab, devctl_of_a_vanished_device_is_dropped)
{
	char link[PATH_MAX];

	fake_config(&self->f, NVME, 0x2010);
	journal_devctl(_metadata, &self->j, NVME, 999, 0x2810);
	path_fmt(link, sizeof(link), "%s/sys/bus/pci/devices/" NVME, self->f.root);
	ASSERT_EQ(0, unlink(link));
	EXPECT_EQ(0, restore_journal(self->run, 0, self->outf, self->errf));
	fflush(self->outf);
	EXPECT_STREQ("gone " NVME ": no longer on the machine, so nothing can be restored; its records are dropped (it had DevCtl 0x2810)\n",
		     self->out);
	EXPECT_NE(0, access(self->path, F_OK));
}

TEST_HARNESS_MAIN
