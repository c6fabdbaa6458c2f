// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner bind / runner restore from the outside (the sanitized build/t/runner):
 * exit codes and messages for bad input, empty selections, the lock and a
 * corrupt journal. None of these reach a sysfs write, so they are safe on
 * any machine; binding itself is proven in the virtual lab (tests/vm/).
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "host/runlock.h"
#include "sysfs/sysroot.h"

struct run {
	int status;
	char out[8192];
	char err[8192];
};

static void slurp(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len - 1 && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
}

/* Run build/t/runner with argv (NULL-terminated), stdout and stderr apart. */
static void runner(struct run *r, const char *const *args)
{
	char bin[PATH_MAX];
	char *argv[32];
	int o[2], e[2], st, n = 0;
	pid_t pid;

	path_fmt(bin, sizeof(bin), "%s/build/t/runner", SNOOP_SRCDIR);
	argv[n++] = bin;
	for (; *args && n < 31; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	if (pipe(o) || pipe(e))
		abort();
	pid = fork();
	if (pid == 0) {
		dup2(o[1], 1);
		dup2(e[1], 2);
		close(o[0]);
		close(e[0]);
		execv(bin, argv);
		_exit(127);
	}
	close(o[1]);
	close(e[1]);
	/* outputs are small: read one, then the other */
	slurp(o[0], r->out, sizeof(r->out));
	slurp(e[0], r->err, sizeof(r->err));
	close(o[0]);
	close(e[0]);
	waitpid(pid, &st, 0);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

FIXTURE(cli) {
	char dir[PATH_MAX];
	struct run r;
};

FIXTURE_SETUP(cli)
{
	char bin[PATH_MAX];

	path_fmt(bin, sizeof(bin), "%s/build/t/runner", SNOOP_SRCDIR);
	ASSERT_EQ(0, access(bin, X_OK)) TH_LOG("build %s first (make check does)", bin);
	path_fmt(self->dir, sizeof(self->dir), "/tmp/snoop-cli-bind-%d", getpid());
	ASSERT_EQ(0, mkdir_p(self->dir));
	/* a run directory as the runner makes one, whatever the umask */
	ASSERT_EQ(0, chmod(self->dir, 0700));
}

FIXTURE_TEARDOWN(cli)
{
	char cmd[PATH_MAX + 16];

	path_fmt(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("cleanup failed");
}

TEST_F(cli, no_selection_touches_nothing)
{
	runner(&self->r, (const char *[]){ "bind", "--run-dir", self->dir, NULL });
	EXPECT_EQ(0, self->r.status);
	EXPECT_STREQ("nothing selected: name devices with --device BDF or --config FILE, or filter with --vendor/--class; nothing was touched\n",
		     self->r.err);
}

TEST_F(cli, missing_device_exits_2)
{
	/* domain ffff exists on no machine */
	runner(&self->r, (const char *[]){ "bind", "--device", "ffff:ff:1f.7", NULL });
	EXPECT_EQ(2, self->r.status);
	EXPECT_STREQ("--device ffff:ff:1f.7: no such PCI device on this machine (/sys/bus/pci/devices/ffff:ff:1f.7 is missing)\n",
		     self->r.err);
}

TEST_F(cli, malformed_device_exits_2)
{
	runner(&self->r, (const char *[]){ "bind", "--device", "nvme0", NULL });
	EXPECT_EQ(2, self->r.status);
	EXPECT_EQ(0, strncmp(self->r.err, "--device: expected a PCI address DDDD:BB:DD.F or BB:DD.F, got 'nvme0'\n", 71));
}

TEST_F(cli, bad_config_exits_2_with_file_line)
{
	char conf[PATH_MAX], want[PATH_MAX + 128];

	path_fmt(conf, sizeof(conf), "%s/lab.conf", self->dir);
	ASSERT_EQ(0, write_file_atomic(conf, "device = ffff:ff:1f.7\nscratch_lba = 1+1\n", 40));
	runner(&self->r, (const char *[]){ "bind", "--config", conf, NULL });
	EXPECT_EQ(2, self->r.status);
	path_fmt(want, sizeof(want), "%s:2: expected scratch_nsid in the block of device ffff:ff:1f.7: scratch_lba names LBAs of that namespace\n",
		 conf);
	EXPECT_STREQ(want, self->r.err);
}

TEST_F(cli, dry_run_refuses_a_command)
{
	runner(&self->r, (const char *[]){ "bind", "--dry-run", "--class", "01", "--", "true", NULL });
	EXPECT_EQ(2, self->r.status);
	EXPECT_STREQ("runner bind: --dry-run runs no command\n", self->r.err);
}

TEST_F(cli, restore_with_no_journal)
{
	runner(&self->r, (const char *[]){ "restore", "--run-dir", self->dir, NULL });
	EXPECT_EQ(0, self->r.status);
	EXPECT_NE(NULL, strstr(self->r.out, "restore: nothing to restore (no journal in "));
}

/*
 * A damaged journal used to stop every restore ("nothing was touched"):
 * now it is kept aside byte for byte, its readable records are replayed
 * (here a device on no machine, so nothing is written), and it exits 2.
 */
TEST_F(cli, restore_corrupt_journal_exits_2_and_keeps_it)
{
	static const char bad[] =
		"{\"v\":1,\"pid\":1,\"bdf\":\"ffff:ff:1f.7\",\"step\":\"override\",\"driver\":\"nvme\",\"driver_override\":\"\",\"sriov_numvfs\":null}\n"
		"{\"v\":1,\"pid\":1,\"bdf\":\n"
		"{\"v\":1,\"pid\":1,\"bdf\":\"ffff:ff:1f.7\",\"step\":\"unbind\",\"driver\":\"nvme\",\"driver_override\":\"\",\"sriov_numvfs\":null}\n";
	static const char tag[] = "kept byte for byte as ";
	char path[PATH_MAX], want[PATH_MAX + 128], kept[PATH_MAX], *after, *at;

	path_fmt(path, sizeof(path), "%s/journal", self->dir);
	ASSERT_EQ(0, write_file_atomic(path, bad, strlen(bad)));
	runner(&self->r, (const char *[]){ "restore", "--run-dir", self->dir, NULL });
	EXPECT_EQ(2, self->r.status);
	path_fmt(want, sizeof(want), "%s:2: expected a journal record with a JSON object\n", path);
	EXPECT_EQ(0, strncmp(want, self->r.err, strlen(want))) TH_LOG("%s", self->r.err);
	path_fmt(want, sizeof(want), "restore: the journal in %s was damaged: every record that could be read was replayed (see above); the devices of the damaged lines, if any, need a look by hand\n",
		 self->dir);
	EXPECT_NE(NULL, strstr(self->r.err, want)) TH_LOG("%s", self->r.err);
	/* the damaged content, preserved byte for byte */
	at = strstr(self->r.err, tag);
	ASSERT_NE(NULL, at) TH_LOG("%s", self->r.err);
	snprintf(kept, sizeof(kept), "%s", at + strlen(tag));
	kept[strcspn(kept, ";")] = '\0';
	EXPECT_EQ(0, strncmp(kept, path, strlen(path)));
	after = read_file(kept, NULL);
	ASSERT_NE(NULL, after);
	EXPECT_STREQ(bad, after);
	free(after);
}

/* A mistyped --run-dir: nothing to restore, and no directory left behind. */
TEST_F(cli, restore_does_not_make_a_missing_run_dir)
{
	char typo[PATH_MAX], want[PATH_MAX + 64];

	path_fmt(typo, sizeof(typo), "%s/typo", self->dir);
	runner(&self->r, (const char *[]){ "restore", "--run-dir", typo, NULL });
	EXPECT_EQ(0, self->r.status);
	path_fmt(want, sizeof(want), "restore: nothing to restore (no run directory %s)\n", typo);
	EXPECT_STREQ(want, self->r.out);
	EXPECT_STREQ("", self->r.err);
	EXPECT_NE(0, access(typo, F_OK));
}

/* Root acts on what the run directory says: one that others can write is refused. */
TEST_F(cli, restore_refuses_a_run_dir_others_can_write)
{
	char link[PATH_MAX], want[PATH_MAX + 64];

	ASSERT_EQ(0, chmod(self->dir, 0777));
	runner(&self->r, (const char *[]){ "restore", "--run-dir", self->dir, NULL });
	EXPECT_EQ(2, self->r.status);
	path_fmt(want, sizeof(want), "restore: %s: expected a run directory writable by its owner only, found mode 0777", self->dir);
	EXPECT_EQ(0, strncmp(want, self->r.err, strlen(want))) TH_LOG("%s", self->r.err);

	ASSERT_EQ(0, chmod(self->dir, 0700));
	path_fmt(link, sizeof(link), "%s/link", self->dir);
	ASSERT_EQ(0, symlink(self->dir, link));
	runner(&self->r, (const char *[]){ "restore", "--run-dir", link, NULL });
	EXPECT_EQ(2, self->r.status);
	path_fmt(want, sizeof(want), "restore: %s: expected a run directory, found a symbolic link", link);
	EXPECT_EQ(0, strncmp(want, self->r.err, strlen(want))) TH_LOG("%s", self->r.err);
	path_fmt(link, sizeof(link), "%s/lock", self->dir);
	EXPECT_NE(0, access(link, F_OK));
}

TEST_F(cli, second_runner_is_refused)
{
	char want[PATH_MAX + 128];
	int lock = runlock_take(self->dir, stderr);

	ASSERT_LE(0, lock);
	runner(&self->r, (const char *[]){ "restore", "--run-dir", self->dir, NULL });
	EXPECT_EQ(1, self->r.status);
	path_fmt(want, sizeof(want),
		 "another runner holds %s/lock (pid %d); refusing to change bindings while it runs\n",
		 self->dir, (int)getpid());
	EXPECT_STREQ(want, self->r.err);
	runlock_release(lock);
}

/* A guest's recording replays to what the guest itself printed. */
TEST_F(cli, dry_run_replays_a_guest_capture)
{
	char from[PATH_MAX];

	path_fmt(from, sizeof(from), "%s/tests/fixtures/inuse/guest-vtd-sc", SNOOP_SRCDIR);
	runner(&self->r, (const char *[]){ "bind", "--dry-run", "--from", from,
		"--device", "00:04.0", "--device", "00:05.0", "--device", "00:06.0", NULL });
	EXPECT_EQ(1, self->r.status);
	EXPECT_STREQ(
		"0000:00:04.0: refused, nothing touched: in use: 0000:00:04.0: nvme0n1 has a filesystem mounted on /tmp/scratch (--force overrides)\n"
		"  0000:00:04.0 would-bind   was nvme\n"
		"0000:00:05.0: refused, nothing touched: in use: 0000:00:05.0: interface eth0 is up with address 2001:db8::15; interface eth0 is up with a route to 192.0.2.0/24 (--force overrides)\n"
		"  0000:00:05.0 would-bind   was e1000e\n"
		"0000:00:06.0: dry run, would go to vfio-pci (IOMMU group 5, 1 device)\n"
		"  0000:00:06.0 would-bind   was unbound\n",
		self->r.out);
	EXPECT_STREQ("", self->r.err);
}

/*
 * A lab config names devices by address, and a copied one names addresses
 * that hold something else here: every block says what it expects, and a
 * device that differs refuses the run before anything is touched.
 */
TEST_F(cli, config_with_wrong_ids_refuses_a_replayed_guest)
{
	static const char conf_text[] =
		"device = 00:04.0\nid = 1af4:1053\n"		/* a virtio-vsock's id */
		"device = 00:05.0\nid = 8086:10d3\ndriver = igb\n"
		"device = 00:06.0\nid = 1234:11e8\n";
	char from[PATH_MAX], conf[PATH_MAX], want[2 * PATH_MAX + 512];

	path_fmt(from, sizeof(from), "%s/tests/fixtures/inuse/guest-vtd-sc", SNOOP_SRCDIR);
	path_fmt(conf, sizeof(conf), "%s/lab.conf", self->dir);
	ASSERT_EQ(0, write_file_atomic(conf, conf_text, strlen(conf_text)));
	runner(&self->r, (const char *[]){ "bind", "--dry-run", "--from", from,
		"--config", conf, NULL });
	EXPECT_EQ(2, self->r.status);
	snprintf(want, sizeof(want),
		 "%s:1: device 0000:00:04.0 is 1b36:0010 on nvme, expected 1af4:1053: refusing to touch anything; fix the config\n"
		 "%s:3: device 0000:00:05.0 is 8086:10d3 on e1000e, expected 8086:10d3 on igb: refusing to touch anything; fix the config\n",
		 conf, conf);
	EXPECT_STREQ(want, self->r.err);
	EXPECT_STREQ("", self->r.out);
}

/* The shipped example is the lab's own: the guest replays as with --device. */
TEST_F(cli, example_config_replays_a_guest_capture)
{
	char from[PATH_MAX], conf[PATH_MAX];

	path_fmt(from, sizeof(from), "%s/tests/fixtures/inuse/guest-vtd-sc", SNOOP_SRCDIR);
	path_fmt(conf, sizeof(conf), "%s/lab.conf.example", SNOOP_SRCDIR);
	runner(&self->r, (const char *[]){ "bind", "--dry-run", "--from", from,
		"--config", conf, NULL });
	EXPECT_EQ(1, self->r.status);
	EXPECT_STREQ(
		"0000:00:04.0: refused, nothing touched: in use: 0000:00:04.0: nvme0n1 has a filesystem mounted on /tmp/scratch (--force overrides)\n"
		"  0000:00:04.0 would-bind   was nvme\n"
		"0000:00:05.0: refused, nothing touched: in use: 0000:00:05.0: interface eth0 is up with address 2001:db8::15; interface eth0 is up with a route to 192.0.2.0/24 (--force overrides)\n"
		"  0000:00:05.0 would-bind   was e1000e\n"
		"0000:00:06.0: dry run, would go to vfio-pci (IOMMU group 5, 1 device)\n"
		"  0000:00:06.0 would-bind   was unbound\n",
		self->r.out);
	EXPECT_STREQ("", self->r.err);
}

TEST_F(cli, capture_and_from_need_dry_run)
{
	runner(&self->r, (const char *[]){ "bind", "--from", self->dir, "--device", "00:04.0", NULL });
	EXPECT_EQ(2, self->r.status);
	EXPECT_EQ(0, strncmp(self->r.err, "runner bind: --capture and --from only with --dry-run", 52));
}

TEST_HARNESS_MAIN
