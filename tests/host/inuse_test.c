// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-use guard over recorded sysfs/proc trees (tests/fixtures/inuse/):
 * each variant replays one tree through the same checks a live run makes.
 */
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "host/inuse.h"
#include "sysfs/sysroot.h"

FIXTURE(tree) {
	char why[2048];
};

FIXTURE_VARIANT(tree) {
	const char *dir;	/* under tests/fixtures/inuse */
	const char *bdf;
	int busy;
	const char *why;	/* exact reasons */
};

FIXTURE_VARIANT_ADD(tree, host_root_disk) {
	.dir = "virtio-host", .bdf = "0000:00:02.0", .busy = 1,
	.why = "vda has a filesystem mounted on /",
};
FIXTURE_VARIANT_ADD(tree, host_nic) {
	.dir = "virtio-host", .bdf = "0000:00:03.0", .busy = 1,
	.why = "interface eth0 is up with address fd00::2; "
	       "interface eth0 is up with a route to 0.0.0.0/0",
};
FIXTURE_VARIANT_ADD(tree, host_balloon_is_free) {
	.dir = "virtio-host", .bdf = "0000:00:01.0", .busy = 0, .why = "",
};
FIXTURE_VARIANT_ADD(tree, guest_nvme_partition_mounted_and_swap) {
	.dir = "guest-partitions", .bdf = "0000:00:04.0", .busy = 1,
	.why = "nvme0n1p1 has a filesystem mounted on /tmp/scratch; nvme0n1p2 is active swap",
};
FIXTURE_VARIANT_ADD(tree, guest_nvme_mounted) {
	.dir = "guest-vtd-sc", .bdf = "0000:00:04.0", .busy = 1,
	.why = "nvme0n1 has a filesystem mounted on /tmp/scratch",
};
FIXTURE_VARIANT_ADD(tree, guest_e1000e_with_addresses) {
	.dir = "guest-vtd-sc", .bdf = "0000:00:05.0", .busy = 1,
	.why = "interface eth0 is up with address 2001:db8::15; "
	       "interface eth0 is up with a route to 192.0.2.0/24",
};
FIXTURE_VARIANT_ADD(tree, guest_edu_is_free) {
	.dir = "guest-vtd-sc", .bdf = "0000:00:06.0", .busy = 0, .why = "",
};
FIXTURE_VARIANT_ADD(tree, nvme_idle) {
	.dir = "nvme-idle", .bdf = "0000:00:04.0", .busy = 0, .why = "",
};
FIXTURE_VARIANT_ADD(tree, nvme_multipath_head_by_major_minor) {
	.dir = "nvme-multipath", .bdf = "0000:00:04.0", .busy = 1,
	.why = "nvme0n1 has a filesystem mounted on /srv",
};
FIXTURE_VARIANT_ADD(tree, nvme_other_controller_is_free) {
	.dir = "nvme-multipath", .bdf = "0000:00:05.0", .busy = 0, .why = "",
};
FIXTURE_VARIANT_ADD(tree, nvme_held_by_dm) {
	.dir = "nvme-holder", .bdf = "0000:00:04.0", .busy = 1,
	.why = "nvme0n1 is held by dm-0 (device-mapper, md or similar)",
};
FIXTURE_VARIANT_ADD(tree, nic_with_link_local_only_is_free) {
	.dir = "net-linklocal", .bdf = "0000:00:05.0", .busy = 0, .why = "",
};
FIXTURE_VARIANT_ADD(tree, nic_down_is_free) {
	.dir = "net-down", .bdf = "0000:00:05.0", .busy = 0, .why = "",
};
FIXTURE_VARIANT_ADD(tree, drm_render_node_open) {
	.dir = "drm-client", .bdf = "0000:00:02.0", .busy = 1,
	.why = "pid 1234 (gnome-shell) has /dev/dri/renderD128 open",
};
FIXTURE_VARIANT_ADD(tree, drm_other_gpu_client) {
	.dir = "drm-client", .bdf = "0000:01:00.0", .busy = 1,
	.why = "pid 99 (Xorg) has /dev/dri/card1 open",
};
FIXTURE_VARIANT_ADD(tree, drm_console) {
	.dir = "drm-console", .bdf = "0000:00:02.0", .busy = 1,
	.why = "boot VGA device driven by i915: the console is on it; "
	       "framebuffer fb0 is on it (fbcon draws the console there)",
};
FIXTURE_VARIANT_ADD(tree, boot_vga_without_driver_is_free) {
	.dir = "drm-vga-unbound", .bdf = "0000:00:02.0", .busy = 0, .why = "",
};

FIXTURE_SETUP(tree)
{
	char dir[PATH_MAX];

	path_fmt(dir, sizeof(dir), "%s/tests/fixtures/inuse/%s", SNOOP_SRCDIR,
		 variant->dir);
	ASSERT_EQ(0, access(dir, R_OK));
	sysroot_replay_from(dir);
}

FIXTURE_TEARDOWN(tree)
{
	sysroot_replay_from(NULL);
}

TEST_F(tree, reasons)
{
	EXPECT_EQ(variant->busy, inuse_check(variant->bdf, self->why, sizeof(self->why)));
	EXPECT_STREQ(variant->why, self->why);
}

/* A reason never overflows its buffer, however small. */
TEST_F(tree, short_buffer)
{
	char small[24];

	memset(small, 'x', sizeof(small));
	EXPECT_EQ(variant->busy, inuse_check(variant->bdf, small, sizeof(small)));
	EXPECT_GT(sizeof(small), strlen(small));
}

/*
 * Without root, other users' /proc/PID/fd cannot be listed: the guard must
 * say it cannot rule clients out rather than call the device free.
 */
TEST(drm_clients_hidden_from_non_root)
{
	char tmp[] = "/tmp/snoop-inuse-XXXXXX", cmd[PATH_MAX * 2], fd[PATH_MAX];
	char why[512] = "";
	struct passwd *nobody = getpwnam("nobody");
	int pipefd[2], st;
	pid_t pid;

	if (geteuid() != 0 || !nobody)
		SKIP(return, "needs root (to drop to nobody) and a 'nobody' user");
	ASSERT_NE(NULL, mkdtemp(tmp));
	path_fmt(cmd, sizeof(cmd), "cp -a %s/tests/fixtures/inuse/drm-client/. %s && chmod -R a+rX %s",
		 SNOOP_SRCDIR, tmp, tmp);
	ASSERT_EQ(0, system(cmd));
	chmod(tmp, 0755);
	path_fmt(fd, sizeof(fd), "%s/proc/1234/fd", tmp);
	ASSERT_EQ(0, chmod(fd, 0700));	/* root's, as another user's process would be */
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int busy;

		if (setgid(nobody->pw_gid) || setuid(nobody->pw_uid))
			_exit(99);
		sysroot_replay_from(tmp);
		busy = inuse_drm("0000:00:02.0", why, sizeof(why));
		if (write(pipefd[1], why, strlen(why) + 1) < 0)
			_exit(98);
		_exit(busy);
	}
	close(pipefd[1]);
	ASSERT_LT(0, read(pipefd[0], why, sizeof(why) - 1));
	close(pipefd[0]);
	ASSERT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_EQ(1, WEXITSTATUS(st));
	EXPECT_STREQ("cannot see the open files of 1 processes (run as root): DRM clients cannot be ruled out",
		     why);
	path_fmt(cmd, sizeof(cmd), "rm -rf %s", tmp);
	if (system(cmd))
		TH_LOG("cleanup of %s failed", tmp);
}

TEST_HARNESS_MAIN
