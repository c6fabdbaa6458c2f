// SPDX-License-Identifier: GPL-2.0-only
/*
 * The in-use guard over recorded sysfs/proc trees (tests/fixtures/inuse/):
 * each variant replays one tree through the same checks a live run makes.
 * What the lab cannot record (bridges, a VM holding a disk, vsock) is built
 * with tests/fakesys.h after the kernel's sysfs layout.
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

#include "fakesys.h"
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
 * Hand-built trees. Class links point into /sys/devices as the kernel's
 * do; every check reads them through sysroot, so the fake tree is replayed
 * the way a capture is.
 */
#define NVME  "0000:00:04.0"
#define NIC   "0000:00:05.0"
#define VSOCK "0000:00:07.0"
#define VNET  "0000:00:08.0"

FIXTURE(fake) {
	struct fakesys f;
	char why[2048];
};

FIXTURE_SETUP(fake)
{
	fake_init(&self->f);
	fake_put(&self->f, "/proc/self/mountinfo", "");	/* nothing mounted */
	fake_put(&self->f, "/proc/net/route",
		 "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n");
	fake_put(&self->f, "/proc/net/if_inet6", "");
	fake_put(&self->f, "/proc/net/ipv6_route", "");
}

FIXTURE_TEARDOWN(fake)
{
	fake_cleanup(&self->f);
}

/* A block device at dir (below /sys/devices) with its class link. */
static void fake_block(const struct fakesys *f, const char *dir, const char *name,
		       const char *majmin)
{
	char p[PATH_MAX], t[PATH_MAX];

	path_fmt(p, sizeof(p), "/sys/devices/%s/%s/dev", dir, name);
	fake_put(f, p, majmin);
	path_fmt(p, sizeof(p), "/sys/class/block/%s", name);
	path_fmt(t, sizeof(t), "../../devices/%s/%s", dir, name);
	fake_link(f, p, t);
}

/* A device node of another class (nvme, nvme-generic) at dir. */
static void fake_classdev(const struct fakesys *f, const char *class,
			  const char *dir, const char *name)
{
	char p[PATH_MAX], t[PATH_MAX];

	path_fmt(p, sizeof(p), "/sys/devices/%s/%s/dev", dir, name);
	fake_put(f, p, "240:0");
	path_fmt(p, sizeof(p), "/sys/class/%s/%s", class, name);
	path_fmt(t, sizeof(t), "../../devices/%s/%s", dir, name);
	fake_link(f, p, t);
}

/* An interface below bdf, or a virtual one (bridge, bond) for bdf NULL. */
static void fake_netdev(const struct fakesys *f, const char *bdf, const char *name,
			bool up)
{
	char dir[PATH_MAX], p[PATH_MAX], t[PATH_MAX];

	if (bdf)
		path_fmt(dir, sizeof(dir), "pci0000:00/%s/net/%s", bdf, name);
	else
		path_fmt(dir, sizeof(dir), "virtual/net/%s", name);
	path_fmt(p, sizeof(p), "/sys/devices/%s/flags", dir);
	fake_put(f, p, up ? "0x1003\n" : "0x1002\n");
	path_fmt(p, sizeof(p), "/sys/class/net/%s", name);
	path_fmt(t, sizeof(t), "../../devices/%s", dir);
	fake_link(f, p, t);
}

/*
 * lower under upper, as netdev_upper_dev_link() records it: upper_NAME
 * always, master too for a bridge, bond or team port (not for a VLAN).
 */
static void fake_upper(const struct fakesys *f, const char *lower, const char *upper,
		       bool master)
{
	char p[PATH_MAX], t[PATH_MAX];

	path_fmt(t, sizeof(t), "../../../../virtual/net/%s", upper);
	path_fmt(p, sizeof(p), "/sys/class/net/%s/upper_%s", lower, upper);
	fake_link(f, p, t);
	if (master) {
		path_fmt(p, sizeof(p), "/sys/class/net/%s/master", lower);
		fake_link(f, p, t);
	}
}

/* pid (comm) holding target open as fd. */
static void fake_open(const struct fakesys *f, int pid, const char *comm, int fd,
		      const char *target)
{
	char p[PATH_MAX];

	path_fmt(p, sizeof(p), "/proc/%d/comm", pid);
	fake_put(f, p, comm);
	path_fmt(p, sizeof(p), "/proc/%d/fd/%d", pid, fd);
	fake_link(f, p, target);
}

TEST_F(fake, nic_enslaved_to_a_bridge_with_address_and_route)
{
	fake_netdev(&self->f, NIC, "eth0", true);
	fake_netdev(&self->f, NULL, "br0", true);
	fake_upper(&self->f, "eth0", "br0", true);
	fake_put(&self->f, "/proc/net/if_inet6",
		 "fe800000000000000000000000000001 05 40 20 80     br0\n"
		 "20010db8000000000000000000000001 05 40 00 80     br0\n");
	fake_put(&self->f, "/proc/net/route",
		 "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n"
		 "br0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
	EXPECT_EQ(1, inuse_check(NIC, self->why, sizeof(self->why)));
	EXPECT_STREQ("interface eth0 is enslaved to br0, which is up with address 2001:db8::1; "
		     "interface eth0 is enslaved to br0, which is up with a route to 192.0.2.0/24",
		     self->why);
}

/* eth0 in bond0 in br0: the address is two uppers away. */
TEST_F(fake, nic_in_a_bond_in_a_bridge)
{
	fake_netdev(&self->f, NIC, "eth0", true);
	fake_netdev(&self->f, NULL, "bond0", true);
	fake_netdev(&self->f, NULL, "br0", true);
	fake_upper(&self->f, "eth0", "bond0", true);
	fake_upper(&self->f, "bond0", "br0", true);
	fake_put(&self->f, "/proc/net/if_inet6",
		 "fd000000000000000000000000000002 07 40 00 80     br0\n");
	EXPECT_EQ(1, inuse_check(NIC, self->why, sizeof(self->why)));
	EXPECT_STREQ("interface eth0 is enslaved to bond0, which is enslaved to br0, "
		     "which is up with address fd00::2", self->why);
}

/* A VLAN on the NIC has no master link, only upper_. */
TEST_F(fake, nic_carrying_a_vlan_with_a_route)
{
	fake_netdev(&self->f, NIC, "eth0", true);
	fake_netdev(&self->f, NULL, "eth0.100", true);
	fake_upper(&self->f, "eth0", "eth0.100", false);
	fake_put(&self->f, "/proc/net/route",
		 "Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\tMTU\tWindow\tIRTT\n"
		 "eth0.100\t0002000A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n");
	EXPECT_EQ(1, inuse_check(NIC, self->why, sizeof(self->why)));
	EXPECT_STREQ("interface eth0 carries eth0.100, which is up with a route to 10.0.2.0/24",
		     self->why);
}

/* A bridge that is down, or a VLAN with only link-local, carries nothing. */
TEST_F(fake, nic_under_idle_uppers_is_free)
{
	fake_netdev(&self->f, NIC, "eth0", true);
	fake_netdev(&self->f, NULL, "br0", false);
	fake_netdev(&self->f, NULL, "eth0.5", true);
	fake_upper(&self->f, "eth0", "br0", true);
	fake_upper(&self->f, "eth0", "eth0.5", false);
	fake_put(&self->f, "/proc/net/if_inet6",
		 "20010db8000000000000000000000001 05 40 00 80     br0\n"
		 "fe800000000000000000000000000001 06 40 20 80   eth0.5\n");
	EXPECT_EQ(0, inuse_check(NIC, self->why, sizeof(self->why)));
	EXPECT_STREQ("", self->why);
}

/* A running VM's disk: open, not mounted. Partitions count too. */
TEST_F(fake, block_device_held_open_by_a_process)
{
	fake_block(&self->f, "pci0000:00/" NVME "/nvme/nvme0", "nvme0n1", "259:0");
	fake_block(&self->f, "pci0000:00/" NVME "/nvme/nvme0/nvme0n1", "nvme0n1p1", "259:1");
	fake_open(&self->f, 4321, "qemu-system-x86", 12, "/dev/nvme0n1p1");
	fake_open(&self->f, 4321, "qemu-system-x86", 3, "/dev/null");
	fake_open(&self->f, 555, "dd", 0, "/dev/nvme0n1");
	fake_open(&self->f, 556, "less", 4, "/dev/nvme0n10");	/* another namespace */
	EXPECT_EQ(1, inuse_check(NVME, self->why, sizeof(self->why)));
	EXPECT_STREQ("pid 4321 (qemu-system-x86) has /dev/nvme0n1p1 open; "
		     "pid 555 (dd) has /dev/nvme0n1 open", self->why);
}

TEST_F(fake, block_device_open_elsewhere_is_free)
{
	fake_block(&self->f, "pci0000:00/" NVME "/nvme/nvme0", "nvme0n1", "259:0");
	fake_block(&self->f, "pci0000:00/0000:00:1f.2/ata1/host0", "sda", "8:0");
	fake_open(&self->f, 1, "systemd", 9, "/dev/sda");
	EXPECT_EQ(0, inuse_check(NVME, self->why, sizeof(self->why)));
	EXPECT_STREQ("", self->why);
}

/* nvme-cli or a user-space driver on the controller or generic node. */
TEST_F(fake, nvme_character_devices_held_open)
{
	fake_classdev(&self->f, "nvme", "pci0000:00/" NVME "/nvme", "nvme0");
	fake_classdev(&self->f, "nvme-generic", "pci0000:00/" NVME "/nvme/nvme0", "ng0n1");
	fake_open(&self->f, 77, "nvme", 3, "/dev/nvme0");
	fake_open(&self->f, 78, "fio", 5, "/dev/ng0n1");
	EXPECT_EQ(1, inuse_check(NVME, self->why, sizeof(self->why)));
	EXPECT_STREQ("pid 77 (nvme) has /dev/nvme0 open; pid 78 (fio) has /dev/ng0n1 open",
		     self->why);
}

/* The virtio device below a virtio-pci function. */
static void fake_virtio(const struct fakesys *f, const char *bdf, const char *name,
			const char *id, const char *driver)
{
	char p[PATH_MAX], t[PATH_MAX];

	fake_device(f, bdf, "0x1af4", "0x1053", "0x078000", "virtio-pci", "virtio-pci", -1, -1);
	path_fmt(p, sizeof(p), "/sys/devices/pci0000:00/%s/%s/device", bdf, name);
	fake_put(f, p, id);
	path_fmt(p, sizeof(p), "/sys/bus/virtio/devices/%s", name);
	path_fmt(t, sizeof(t), "../../../devices/pci0000:00/%s/%s", bdf, name);
	fake_link(f, p, t);
	if (driver[0]) {
		path_fmt(p, sizeof(p), "/sys/devices/pci0000:00/%s/%s/driver", bdf, name);
		path_fmt(t, sizeof(t), "../../../../bus/virtio/drivers/%s", driver);
		fake_link(f, p, t);
	}
}

TEST_F(fake, vsock_control_channel)
{
	fake_virtio(&self->f, VSOCK, "virtio3", "0x0013\n", "vmw_vsock_virtio_transport");
	fake_virtio(&self->f, VNET, "virtio4", "0x0001\n", "virtio_net");
	EXPECT_EQ(1, inuse_check(VSOCK, self->why, sizeof(self->why)));
	EXPECT_STREQ("virtio3 is a vsock device driven by vmw_vsock_virtio_transport: "
		     "the VM's vsock control channel (e.g. the cloud agent) runs over it",
		     self->why);
	EXPECT_EQ(0, inuse_check(VNET, self->why, sizeof(self->why)));
	EXPECT_STREQ("", self->why);
}

/* Without the transport driver no channel runs: nothing to take away. */
TEST_F(fake, vsock_without_transport_is_free)
{
	fake_virtio(&self->f, VSOCK, "virtio3", "0x0013\n", "");
	EXPECT_EQ(0, inuse_check(VSOCK, self->why, sizeof(self->why)));
	EXPECT_STREQ("", self->why);
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
