// SPDX-License-Identifier: GPL-2.0-only
/* The binding journal's file format and the one-runner lock. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "host/journal.h"
#include "host/runlock.h"
#include "sysfs/sysroot.h"

struct tmpdir {
	char dir[PATH_MAX];
	char path[PATH_MAX];
	char errbuf[1024];
	FILE *err;
};

static void tmpdir_setup(struct __test_metadata *_metadata, struct tmpdir *t)
{
	path_fmt(t->dir, sizeof(t->dir), "/tmp/snoop-journal-%d/run", getpid());
	path_fmt(t->path, sizeof(t->path), "%s/journal", t->dir);
	t->err = fmemopen(t->errbuf, sizeof(t->errbuf), "w");
	ASSERT_NE(NULL, t->err);
}

static void tmpdir_teardown(struct __test_metadata *_metadata, struct tmpdir *t)
{
	char cmd[PATH_MAX + 16];

	fclose(t->err);
	path_fmt(cmd, sizeof(cmd), "rm -rf /tmp/snoop-journal-%d", getpid());
	if (system(cmd))
		TH_LOG("cleanup failed");
}

FIXTURE(dir) {
	struct tmpdir t;
};

FIXTURE_SETUP(dir)
{
	tmpdir_setup(_metadata, &self->t);
}

FIXTURE_TEARDOWN(dir)
{
	tmpdir_teardown(_metadata, &self->t);
}

static const struct journal_rec rec_a = {
	.bdf = "0000:00:04.0", .step = "override", .pid = 77,
	.orig = { .driver = "nvme", .override = "", .sriov_numvfs = -1 },
};
static const struct journal_rec rec_b = {
	.bdf = "0000:00:07.0", .step = "sriov-off", .pid = 77,
	.orig = { .driver = "mlx5_core", .override = "mlx5_core", .sriov_numvfs = 4 },
};

static void write_two(struct __test_metadata *_metadata, const char *dir)
{
	struct journal j;

	journal_init(&j, dir);
	ASSERT_EQ(0, journal_append(&j, &rec_a));
	ASSERT_EQ(0, journal_append(&j, &rec_b));
	journal_close(&j);
}

TEST_F(dir, nothing_is_created_before_the_first_record)
{
	struct journal j;
	struct journal_rec *r;
	size_t n;

	journal_init(&j, self->t.dir);
	journal_close(&j);
	EXPECT_NE(0, access(self->t.path, F_OK));
	EXPECT_EQ(-ENOENT, journal_load(self->t.dir, &r, &n, self->t.err));
}

TEST_F(dir, round_trip)
{
	struct journal_rec *r;
	size_t n;

	write_two(_metadata, self->t.dir);
	ASSERT_EQ(0, journal_load(self->t.dir, &r, &n, self->t.err));
	ASSERT_EQ(2, n);
	EXPECT_STREQ("0000:00:04.0", r[0].bdf);
	EXPECT_STREQ("override", r[0].step);
	EXPECT_STREQ("nvme", r[0].orig.driver);
	EXPECT_EQ(-1, r[0].orig.sriov_numvfs);
	EXPECT_EQ(1, r[0].line);
	EXPECT_STREQ("mlx5_core", r[1].orig.override);
	EXPECT_EQ(4, r[1].orig.sriov_numvfs);
	EXPECT_EQ(77, r[1].pid);
	free(r);
}

TEST_F(dir, lines_are_plain_json)
{
	char *text;

	write_two(_metadata, self->t.dir);
	text = read_file(self->t.path, NULL);
	ASSERT_NE(NULL, text);
	EXPECT_EQ(0, strncmp(text,
		"{\"v\":1,\"pid\":77,\"bdf\":\"0000:00:04.0\",\"step\":\"override\","
		"\"driver\":\"nvme\",\"driver_override\":\"\",\"sriov_numvfs\":null}\n", 113));
	free(text);
}

/* A power cut mid-write leaves an unterminated tail; its step never ran. */
TEST_F(dir, torn_last_line_is_skipped_with_a_note)
{
	struct journal_rec *r;
	char *text, want[PATH_MAX + 160];
	size_t n, len;

	write_two(_metadata, self->t.dir);
	text = read_file(self->t.path, &len);
	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, write_file_atomic(self->t.path, text, len - 20));
	free(text);
	ASSERT_EQ(0, journal_load(self->t.dir, &r, &n, self->t.err));
	EXPECT_EQ(1, n);
	free(r);
	fflush(self->t.err);
	path_fmt(want, sizeof(want), "%s:2: note: skipping an incomplete last record; the runner died while writing it, so its step was never made\n",
		 self->t.path);
	EXPECT_STREQ(want, self->t.errbuf);
}

FIXTURE(badline) {
	struct tmpdir t;
};

FIXTURE_SETUP(badline)
{
	tmpdir_setup(_metadata, &self->t);
}

FIXTURE_TEARDOWN(badline)
{
	tmpdir_teardown(_metadata, &self->t);
}

FIXTURE_VARIANT(badline) {
	const char *line2;
	const char *msg;
};

FIXTURE_VARIANT_ADD(badline, garbage) {
	.line2 = "not json at all\n",
	.msg = "2: expected a journal record with a JSON object\n",
};
FIXTURE_VARIANT_ADD(badline, trailing_junk) {
	.line2 = "{\"v\":1} x\n",
	.msg = "2: expected a journal record with a JSON object\n",
};
FIXTURE_VARIANT_ADD(badline, future_version) {
	.line2 = "{\"v\":2,\"pid\":1,\"bdf\":\"0000:00:04.0\",\"step\":\"probe\",\"driver\":\"\",\"driver_override\":\"\",\"sriov_numvfs\":null}\n",
	.msg = "2: expected a journal record with \"v\": 1\n",
};
FIXTURE_VARIANT_ADD(badline, bad_bdf) {
	.line2 = "{\"v\":1,\"pid\":1,\"bdf\":\"00:04.0\",\"step\":\"probe\",\"driver\":\"\",\"driver_override\":\"\",\"sriov_numvfs\":null}\n",
	.msg = "2: expected a journal record with \"bdf\": a PCI address\n",
};
FIXTURE_VARIANT_ADD(badline, negative_vfs) {
	.line2 = "{\"v\":1,\"pid\":1,\"bdf\":\"0000:00:04.0\",\"step\":\"probe\",\"driver\":\"\",\"driver_override\":\"\",\"sriov_numvfs\":-3}\n",
	.msg = "2: expected a journal record with \"sriov_numvfs\": null or a number >= 0\n",
};
FIXTURE_VARIANT_ADD(badline, driver_is_a_path) {
	.line2 = "{\"v\":1,\"pid\":1,\"bdf\":\"0000:00:04.0\",\"step\":\"probe\",\"driver\":\"../x\",\"driver_override\":\"\",\"sriov_numvfs\":null}\n",
	.msg = "2: expected a journal record with \"driver\" and \"driver_override\": \"\" or a driver name (one path component of A-Z a-z 0-9 _ . -)\n",
};
FIXTURE_VARIANT_ADD(badline, driver_is_dotdot) {
	.line2 = "{\"v\":1,\"pid\":1,\"bdf\":\"0000:00:04.0\",\"step\":\"probe\",\"driver\":\"..\",\"driver_override\":\"\",\"sriov_numvfs\":null}\n",
	.msg = "2: expected a journal record with \"driver\" and \"driver_override\": \"\" or a driver name (one path component of A-Z a-z 0-9 _ . -)\n",
};
FIXTURE_VARIANT_ADD(badline, override_with_a_slash) {
	.line2 = "{\"v\":1,\"pid\":1,\"bdf\":\"0000:00:04.0\",\"step\":\"probe\",\"driver\":\"nvme\",\"driver_override\":\"vfio/pci\",\"sriov_numvfs\":null}\n",
	.msg = "2: expected a journal record with \"driver\" and \"driver_override\": \"\" or a driver name (one path component of A-Z a-z 0-9 _ . -)\n",
};
FIXTURE_VARIANT_ADD(badline, unknown_step) {
	.line2 = "{\"v\":1,\"pid\":1,\"bdf\":\"0000:00:04.0\",\"step\":\"rebind\",\"driver\":\"nvme\",\"driver_override\":\"\",\"sriov_numvfs\":null}\n",
	.msg = "2: expected a journal record with \"step\": one of sriov-off, override, unbind, probe, devctl\n",
};
FIXTURE_VARIANT_ADD(badline, vfs_past_int) {
	.line2 = "{\"v\":1,\"pid\":1,\"bdf\":\"0000:00:04.0\",\"step\":\"probe\",\"driver\":\"\",\"driver_override\":\"\",\"sriov_numvfs\":4294967296}\n",
	.msg = "2: expected a journal record with \"sriov_numvfs\": null or a number >= 0\n",
};
FIXTURE_VARIANT_ADD(badline, devctl_past_16_bits) {
	.line2 = "{\"v\":1,\"pid\":1,\"bdf\":\"0000:00:04.0\",\"step\":\"devctl\",\"devctl\":65536}\n",
	.msg = "2: expected a journal record with \"devctl\": the register's 16-bit value, 0 to 65535\n",
};
FIXTURE_VARIANT_ADD(badline, devctl_missing) {
	.line2 = "{\"v\":1,\"pid\":1,\"bdf\":\"0000:00:04.0\",\"step\":\"devctl\",\"driver\":\"nvme\",\"driver_override\":\"\",\"sriov_numvfs\":null}\n",
	.msg = "2: expected a journal record with \"devctl\": the register's 16-bit value, 0 to 65535\n",
};
FIXTURE_VARIANT_ADD(badline, missing_driver) {
	.line2 = "{\"v\":1,\"pid\":1,\"bdf\":\"0000:00:04.0\",\"step\":\"probe\",\"driver_override\":\"\",\"sriov_numvfs\":null}\n",
	.msg = "2: expected a journal record with \"driver\" and \"driver_override\": strings\n",
};

TEST_F(badline, is_file_line_and_the_file_is_untouched)
{
	struct journal_rec *r;
	char *before, *after, *text, want[PATH_MAX + 160];
	size_t n, len;

	write_two(_metadata, self->t.dir);
	text = read_file(self->t.path, &len);
	ASSERT_NE(NULL, text);
	/* line 1, the bad line, line 2 moved to 3 */
	before = malloc(len + strlen(variant->line2) + 1);
	ASSERT_NE(NULL, before);
	n = (size_t)(strchr(text, '\n') - text + 1);
	memcpy(before, text, n);
	strcpy(before + n, variant->line2);
	strcat(before, text + n);
	free(text);
	ASSERT_EQ(0, write_file_atomic(self->t.path, before, strlen(before)));

	EXPECT_EQ(-EINVAL, journal_load(self->t.dir, &r, &n, self->t.err));
	fflush(self->t.err);
	path_fmt(want, sizeof(want), "%s:%s", self->t.path, variant->msg);
	EXPECT_STREQ(want, self->t.errbuf);
	after = read_file(self->t.path, NULL);
	ASSERT_NE(NULL, after);
	EXPECT_STREQ(before, after);
	/* one bad line hides nothing else: lines 1 and 3 are read */
	ASSERT_EQ(2, n);
	EXPECT_EQ(1, r[0].line);
	EXPECT_STREQ("0000:00:04.0", r[0].bdf);
	EXPECT_EQ(3, r[1].line);
	EXPECT_STREQ("0000:00:07.0", r[1].bdf);
	free(r);
	free(before);
	free(after);
}

/* Put bytes (NULs and all) where the journal is. */
static void put_journal(struct __test_metadata *_metadata, const struct tmpdir *t,
			const char *bytes, size_t len)
{
	ASSERT_EQ(0, write_file_atomic(t->path, bytes, len));
}

/* A NUL used to end the parse there, silently dropping what followed. */
TEST_F(dir, nul_byte_mid_journal_is_reported_and_later_records_kept)
{
	struct journal_rec *r;
	char *text, want[PATH_MAX + 160];
	size_t n, len;

	write_two(_metadata, self->t.dir);
	text = read_file(self->t.path, &len);
	ASSERT_NE(NULL, text);
	text[9] = '\0';	/* in line 1, at column 10 */
	put_journal(_metadata, &self->t, text, len);
	free(text);
	EXPECT_EQ(-EINVAL, journal_load(self->t.dir, &r, &n, self->t.err));
	fflush(self->t.err);
	path_fmt(want, sizeof(want), "%s:1: expected a journal record, found a NUL byte at column 10\n",
		 self->t.path);
	EXPECT_STREQ(want, self->t.errbuf);
	ASSERT_EQ(1, n);
	EXPECT_EQ(2, r[0].line);
	EXPECT_STREQ("0000:00:07.0", r[0].bdf);
	free(r);
}

/* Power loss may leave zeros where the last write went: still a torn tail. */
TEST_F(dir, zeros_in_a_torn_tail_are_a_torn_tail)
{
	struct journal_rec *r;
	char *text, want[PATH_MAX + 160];
	size_t n, len;

	write_two(_metadata, self->t.dir);
	text = read_file(self->t.path, &len);
	ASSERT_NE(NULL, text);
	text = realloc(text, len + 40);
	ASSERT_NE(NULL, text);
	memset(text + len, 0, 40);
	put_journal(_metadata, &self->t, text, len + 40);
	free(text);
	ASSERT_EQ(0, journal_load(self->t.dir, &r, &n, self->t.err));
	EXPECT_EQ(2, n);
	free(r);
	fflush(self->t.err);
	path_fmt(want, sizeof(want), "%s:3: note: skipping an incomplete last record; the runner died while writing it, so its step was never made\n",
		 self->t.path);
	EXPECT_STREQ(want, self->t.errbuf);
}

static const struct journal_rec rec_ctl = {
	.bdf = "0000:00:04.0", .step = "devctl", .pid = 78, .devctl = 0x2810,
	.orig = { .sriov_numvfs = -1 },
};

TEST_F(dir, devctl_record_round_trip)
{
	struct journal j;
	struct journal_rec *r;
	char *text;
	size_t n;

	journal_init(&j, self->t.dir);
	ASSERT_EQ(0, journal_append(&j, &rec_ctl));
	journal_close(&j);
	text = read_file(self->t.path, NULL);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("{\"v\":1,\"pid\":78,\"bdf\":\"0000:00:04.0\",\"step\":\"devctl\",\"devctl\":10256}\n",
		     text);
	free(text);
	ASSERT_EQ(0, journal_load(self->t.dir, &r, &n, self->t.err));
	ASSERT_EQ(1, n);
	EXPECT_STREQ("devctl", r[0].step);
	EXPECT_EQ(0x2810, r[0].devctl);
	EXPECT_EQ(78, r[0].pid);
	free(r);
}

/* What restore would refuse to read is refused on the way in too. */
TEST_F(dir, a_record_that_would_not_load_back_is_not_written)
{
	struct journal j;
	struct journal_rec bad = rec_a;

	strcpy(bad.orig.driver, "../x");
	journal_init(&j, self->t.dir);
	EXPECT_EQ(-EINVAL, journal_append(&j, &bad));
	EXPECT_STREQ("a record for 0000:00:04.0 would not load back: expected \"driver\" and \"driver_override\": \"\" or a driver name (one path component of A-Z a-z 0-9 _ . -)",
		     j.why);
	journal_close(&j);
	EXPECT_NE(0, access(self->t.path, F_OK));
}

TEST_F(dir, damaged_journal_is_kept_byte_for_byte_and_never_overwritten)
{
	char kept1[PATH_MAX], kept2[PATH_MAX], *text, *copy;
	size_t len, clen;

	write_two(_metadata, self->t.dir);
	text = read_file(self->t.path, &len);
	ASSERT_NE(NULL, text);
	text[5] = '\0';
	put_journal(_metadata, &self->t, text, len);
	ASSERT_EQ(0, journal_keep_damaged(self->t.dir, kept1, sizeof(kept1), self->t.err));
	ASSERT_EQ(0, journal_keep_damaged(self->t.dir, kept2, sizeof(kept2), self->t.err));
	EXPECT_STRNE(kept1, kept2);
	EXPECT_EQ(0, strncmp(kept1, self->t.path, strlen(self->t.path)));
	EXPECT_EQ(0, strncmp(kept1 + strlen(self->t.path), ".damaged-", 9)) TH_LOG("%s", kept1);
	for (int i = 0; i < 2; i++) {
		copy = read_file(i ? kept2 : kept1, &clen);
		ASSERT_NE(NULL, copy);
		ASSERT_EQ(len, clen);
		EXPECT_EQ(0, memcmp(text, copy, len));
		free(copy);
	}
	/* the journal itself is left as it was */
	copy = read_file(self->t.path, &clen);
	ASSERT_NE(NULL, copy);
	ASSERT_EQ(len, clen);
	EXPECT_EQ(0, memcmp(text, copy, len));
	free(copy);
	free(text);
}

TEST_F(dir, forget_drops_only_that_pids_step_of_that_device)
{
	struct journal j;
	struct journal_rec *r, other = rec_ctl;
	size_t n;

	other.pid = 79;
	journal_init(&j, self->t.dir);
	ASSERT_EQ(0, journal_append(&j, &rec_a));
	ASSERT_EQ(0, journal_append(&j, &rec_ctl));
	ASSERT_EQ(0, journal_append(&j, &other));
	journal_close(&j);
	ASSERT_EQ(0, journal_forget(self->t.dir, 78, "0000:00:04.0", "devctl", self->t.err));
	ASSERT_EQ(0, journal_load(self->t.dir, &r, &n, self->t.err));
	ASSERT_EQ(2, n);
	EXPECT_STREQ("override", r[0].step);
	EXPECT_EQ(79, r[1].pid);
	free(r);
	ASSERT_EQ(0, journal_forget(self->t.dir, 79, "0000:00:04.0", "devctl", self->t.err));
	ASSERT_EQ(0, journal_forget(self->t.dir, 77, "0000:00:04.0", "override", self->t.err));
	EXPECT_NE(0, access(self->t.path, F_OK));
	/* no journal, no run directory: nothing to forget, nothing made */
	ASSERT_EQ(0, journal_forget(self->t.dir, 77, "0000:00:04.0", "override", self->t.err));
	ASSERT_EQ(0, rmdir(self->t.dir));
	ASSERT_EQ(0, journal_forget(self->t.dir, 77, "0000:00:04.0", "override", self->t.err));
	EXPECT_NE(0, access(self->t.dir, F_OK));
}

/* Rewriting a damaged journal would lose its bad lines: that is restore's. */
TEST_F(dir, forget_leaves_a_damaged_journal_alone)
{
	struct journal j;
	char *before, *after;
	size_t len, alen;

	journal_init(&j, self->t.dir);
	ASSERT_EQ(0, journal_append(&j, &rec_ctl));
	journal_close(&j);
	before = read_file(self->t.path, &len);
	ASSERT_NE(NULL, before);
	before[1] = '\0';
	put_journal(_metadata, &self->t, before, len);
	EXPECT_EQ(-EINVAL, journal_forget(self->t.dir, 78, "0000:00:04.0", "devctl", self->t.err));
	after = read_file(self->t.path, &alen);
	ASSERT_NE(NULL, after);
	ASSERT_EQ(len, alen);
	EXPECT_EQ(0, memcmp(before, after, len));
	free(before);
	free(after);
}

TEST_F(dir, rewrite_keeps_some_and_empty_removes)
{
	struct journal_rec *r;
	size_t n;

	write_two(_metadata, self->t.dir);
	ASSERT_EQ(0, journal_rewrite(self->t.dir, &rec_b, 1));
	ASSERT_EQ(0, journal_load(self->t.dir, &r, &n, self->t.err));
	ASSERT_EQ(1, n);
	EXPECT_STREQ("0000:00:07.0", r[0].bdf);
	free(r);
	ASSERT_EQ(0, journal_rewrite(self->t.dir, NULL, 0));
	EXPECT_NE(0, access(self->t.path, F_OK));
}

TEST_F(dir, second_runner_is_refused_with_the_holders_pid)
{
	char want[PATH_MAX + 160], go;
	int ready[2], release[2], lock, st;
	pid_t holder;

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(release));
	holder = fork();
	ASSERT_LE(0, holder);
	if (holder == 0) {
		int fd = runlock_take(self->t.dir, stderr);

		if (write(ready[1], fd >= 0 ? "y" : "n", 1) != 1 ||
		    read(release[0], &go, 1) != 1)
			_exit(2);
		_exit(fd >= 0 ? 0 : 1);
	}
	ASSERT_EQ(1, read(ready[0], &go, 1));
	ASSERT_EQ('y', go);

	EXPECT_EQ(-EBUSY, runlock_take(self->t.dir, self->t.err));
	fflush(self->t.err);
	path_fmt(want, sizeof(want),
		 "another runner holds %s/lock (pid %d); refusing to change bindings while it runs\n",
		 self->t.dir, (int)holder);
	EXPECT_STREQ(want, self->t.errbuf);

	/* the holder goes (as SIGKILL would take it): the lock is free */
	ASSERT_EQ(1, write(release[1], "x", 1));
	ASSERT_EQ(holder, waitpid(holder, &st, 0));
	EXPECT_EQ(0, WEXITSTATUS(st));
	lock = runlock_take(self->t.dir, self->t.err);
	EXPECT_LE(0, lock);
	runlock_release(lock);
}

/* The run directory: made 0700, and refused when anyone else could write it. */
TEST_F(dir, a_missing_run_dir_is_made_0700)
{
	struct stat st;
	int lock = runlock_take(self->t.dir, self->t.err);

	ASSERT_LE(0, lock);
	runlock_release(lock);
	ASSERT_EQ(0, lstat(self->t.dir, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_EQ(0700, st.st_mode & 07777);
}

static void make_dir(struct __test_metadata *_metadata, const char *dir, mode_t mode)
{
	ASSERT_EQ(0, mkdir_p(dir));
	ASSERT_EQ(0, chmod(dir, mode));
}

FIXTURE(baddir) {
	struct tmpdir t;
	char real[PATH_MAX];
};

FIXTURE_VARIANT(baddir) {
	const char *what;	/* symlink, file, mode, owner */
	int err;
	const char *msg;	/* after "DIR: " */
};

FIXTURE_VARIANT_ADD(baddir, symlink) {
	.what = "symlink", .err = -ELOOP,
	.msg = "expected a run directory, found a symbolic link: refusing to follow it (remove it, or name another with --run-dir or SNOOPCHECK_RUNDIR)",
};
FIXTURE_VARIANT_ADD(baddir, file) {
	.what = "file", .err = -ENOTDIR,
	.msg = "expected a run directory, found something else (not a directory)",
};
FIXTURE_VARIANT_ADD(baddir, world_writable) {
	.what = "mode", .err = -EPERM,
	.msg = "expected a run directory writable by its owner only, found mode 0777",
};
FIXTURE_VARIANT_ADD(baddir, someone_elses) {
	.what = "owner", .err = -EPERM,
	.msg = "expected a run directory owned by uid",
};

FIXTURE_SETUP(baddir)
{
	tmpdir_setup(_metadata, &self->t);
	path_fmt(self->real, sizeof(self->real), "%s.real", self->t.dir);
	make_dir(_metadata, self->real, 0700);
	if (!strcmp(variant->what, "symlink")) {
		ASSERT_EQ(0, symlink(self->real, self->t.dir));
	} else if (!strcmp(variant->what, "file")) {
		ASSERT_EQ(0, write_file_atomic(self->t.dir, "x", 1));
	} else if (!strcmp(variant->what, "mode")) {
		make_dir(_metadata, self->t.dir, 0777);
	} else {
		make_dir(_metadata, self->t.dir, 0700);
		/* a directory of another uid: root gives one away, others have "/" */
		if (geteuid() == 0) {
			ASSERT_EQ(0, chown(self->t.dir, 65534, 65534));
		} else {
			path_fmt(self->t.dir, sizeof(self->t.dir), "/");
		}
	}
}

FIXTURE_TEARDOWN(baddir)
{
	tmpdir_teardown(_metadata, &self->t);
}

TEST_F(baddir, is_refused_by_lock_journal_and_restore_alike)
{
	char want[PATH_MAX * 2];
	struct journal j;
	struct journal_rec *r;
	size_t n;

	path_fmt(want, sizeof(want), "%s: %s", self->t.dir, variant->msg);
	EXPECT_EQ(variant->err, runlock_take(self->t.dir, self->t.err));
	fflush(self->t.err);
	EXPECT_EQ(0, strncmp(want, self->t.errbuf, strlen(want))) TH_LOG("%s", self->t.errbuf);

	journal_init(&j, self->t.dir);
	EXPECT_EQ(variant->err, journal_append(&j, &rec_a));
	EXPECT_EQ(0, strncmp(want, j.why, strlen(want))) TH_LOG("%s", j.why);
	journal_close(&j);
	EXPECT_EQ(variant->err, journal_load(self->t.dir, &r, &n, self->t.err));
	EXPECT_EQ(variant->err, journal_lock(self->t.dir, self->t.err));
	/* nothing was made through it */
	path_fmt(want, sizeof(want), "%s/lock", self->real);
	EXPECT_NE(0, access(want, F_OK));
	path_fmt(want, sizeof(want), "%s/journal", self->real);
	EXPECT_NE(0, access(want, F_OK));
}

/* Inside a good run directory, lock and journal are never opened through a link. */
TEST_F(dir, lock_and_journal_do_not_follow_links)
{
	char victim[PATH_MAX], link[PATH_MAX], *text;
	struct journal j;
	struct journal_rec *r;
	size_t n;

	make_dir(_metadata, self->t.dir, 0700);
	path_fmt(victim, sizeof(victim), "%s.victim", self->t.dir);
	ASSERT_EQ(0, write_file_atomic(victim, "precious\n", 9));
	path_fmt(link, sizeof(link), "%s/lock", self->t.dir);
	ASSERT_EQ(0, symlink(victim, link));
	EXPECT_EQ(-ELOOP, runlock_take(self->t.dir, self->t.err));
	path_fmt(link, sizeof(link), "%s/journal", self->t.dir);
	ASSERT_EQ(0, symlink(victim, link));
	journal_init(&j, self->t.dir);
	EXPECT_EQ(-ELOOP, journal_append(&j, &rec_a));
	journal_close(&j);
	EXPECT_EQ(-ELOOP, journal_load(self->t.dir, &r, &n, self->t.err));
	text = read_file(victim, NULL);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("precious\n", text);
	free(text);
}

/* Only a writer makes the run directory: reading and locking make nothing. */
TEST_F(dir, load_and_lock_do_not_make_the_run_dir)
{
	struct journal_rec *r;
	size_t n;

	EXPECT_EQ(-ENOENT, journal_load(self->t.dir, &r, &n, self->t.err));
	EXPECT_EQ(-ENOENT, journal_lock(self->t.dir, self->t.err));
	EXPECT_NE(0, access(self->t.dir, F_OK));
	fflush(self->t.err);
	EXPECT_STREQ("", self->t.errbuf);
}

TEST_HARNESS_MAIN
