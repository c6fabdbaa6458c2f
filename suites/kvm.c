// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm: is KVM told that a VM with this device has non-coherent DMA? For
 * every attach path whose file KVM accepts (the VFIO group of a type1,
 * type1v2 or iommufd-compat container; the device cdev bound to iommufd),
 * make a VM, add the file to its KVM-VFIO device, delete it again, and
 * watch KVM's decision itself: kprobe events on
 * kvm_arch_register_noncoherent_dma / kvm_arch_unregister_noncoherent_dma.
 *
 *   suites/kvm BDF            (or SNOOPCHECK_DEVICE=BDF suites/kvm)
 *
 * KVM asks vfio_file_enforced_coherent(), which answers from the IOMMU
 * unit's capability, not from the domain the device sits on: so the check
 * is "registered once exactly when the unit cannot enforce, unregistered on
 * delete". Each result carries a "# evidence: {...}" line for the runner
 * that names the probes it used; the probes are the suite's own (named
 * with the pid) and removed in teardown, pass or fail.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json.h>
#include <linux/kvm.h>

#include "base/bdf.h"
#include "base/spawn.h"
#include "suite/kprobe.h"
#include "suite/suite.h"
#include "sysfs/sysroot.h"

#define REGISTER "kvm_arch_register_noncoherent_dma"
#define UNREGISTER "kvm_arch_unregister_noncoherent_dma"

static const char *device_bdf;

FIXTURE(path) {
	struct attach a;
	struct kprobe reg, unreg;
	char unit[64];
	int capable;
	int kvm_fd;
	bool open;
};

FIXTURE_VARIANT(path) {
	enum attach_path path;
};

ATTACH_PATH_VARIANTS(path);

/*
 * What every test here needs before it touches anything: the device on
 * vfio-pci behind a unit, root, /dev/kvm, and the two probes in place.
 * NULL, or why not (in why). The probes are added last, so a skip before
 * them leaves nothing to remove.
 */
static const char *kvm_ready(struct kprobe *reg, struct kprobe *unreg, char *unit, size_t ulen,
			     int *capable, int *kvm_fd, char *why, size_t len)
{
	char root[PATH_MAX];
	const char *skip = devready_vfio(device_bdf, why, len);
	uint64_t ecap;

	if (skip)
		return skip;
	if (geteuid())
		return "not root: kprobe events and /dev/kvm need root (run through sudo runner run)";
	*capable = devready_unit_can_enforce(device_bdf, unit, ulen, &ecap);
	if (!unit[0] || *capable < 0) {
		snprintf(why, len, "no IOMMU unit serves %s (or its registers are unreadable): VFIO "
			 "can only use no-IOMMU mode, which KVM is never asked about", device_bdf);
		return why;
	}
	*kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (*kvm_fd < 0) {
		snprintf(why, len, "/dev/kvm: %s: load kvm_amd or kvm_intel (a kernel with "
			 "CONFIG_KVM, and a CPU or VM with SVM/VMX)", strerror(errno));
		return why;
	}
	if (kprobe_tracefs(root, sizeof(root), why, len) ||
	    kprobe_add(reg, root, "kvm_reg", REGISTER, why, len) ||
	    kprobe_add(unreg, root, "kvm_unreg", UNREGISTER, why, len))
		return why;
	return NULL;
}

/* The evidence line of one path, named as the results README says. */
static void kvm_evidence(const char *path, const char *unit, int capable, long reg_add,
			 long unreg_del, const struct kprobe *reg, const struct kprobe *unreg)
{
	char id[2][160];
	json_object *ev = json_object_new_object(), *probes = json_object_new_array();

	kprobe_id(reg, id[0], sizeof(id[0]));
	kprobe_id(unreg, id[1], sizeof(id[1]));
	json_object_array_add(probes, json_object_new_string(id[0]));
	json_object_array_add(probes, json_object_new_string(id[1]));
	json_object_object_add(ev, "suite", json_object_new_string("kvm"));
	json_object_object_add(ev, "path", json_object_new_string(path));
	json_object_object_add(ev, "unit", json_object_new_string(unit));
	json_object_object_add(ev, "unit_can_enforce", json_object_new_boolean(capable));
	json_object_object_add(ev, "kvm_told_noncoherent", json_object_new_boolean(reg_add > 0));
	json_object_object_add(ev, "register_hits", json_object_new_int64(reg_add));
	json_object_object_add(ev, "unregistered_on_delete", json_object_new_boolean(unreg_del > 0));
	json_object_object_add(ev, "probes", probes);
	evidence_emit(stdout, ev);
}

FIXTURE_SETUP(path)
{
	char why[512];
	const char *skip;
	int ret;

	self->open = false;
	self->kvm_fd = -1;
	memset(&self->reg, 0, sizeof(self->reg));
	memset(&self->unreg, 0, sizeof(self->unreg));
	skip = kvm_ready(&self->reg, &self->unreg, self->unit, sizeof(self->unit),
			 &self->capable, &self->kvm_fd, why, sizeof(why));
	if (skip)
		SKIP(return, "%s", skip);
	ret = attach_open(&self->a, device_bdf, variant->path);
	if (ret == -EOPNOTSUPP)
		SKIP(return, "%s: %s", attach_path_name(variant->path), self->a.reason);
	ASSERT_EQ(0, ret) TH_LOG("%s: %s", attach_path_name(variant->path), self->a.reason);
	self->open = true;
}

FIXTURE_TEARDOWN(path)
{
	if (self->open)
		attach_close(&self->a);
	kprobe_remove(&self->reg);
	kprobe_remove(&self->unreg);
	if (self->kvm_fd >= 0)
		close(self->kvm_fd);
}

/* KVM_DEV_VFIO_FILE_ADD or _DEL of fd on the KVM-VFIO device dev. */
static int vfio_file(int dev, int op, int fd)
{
	int32_t f = fd;
	struct kvm_device_attr attr = {
		.group = KVM_DEV_VFIO_FILE,
		.attr = op,
		.addr = (uint64_t)(uintptr_t)&f,
	};

	return ioctl(dev, KVM_SET_DEVICE_ATTR, &attr) ? -errno : 0;
}

TEST_F(path, kvm_is_told_what_the_unit_enforces)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };
	/* The group for container paths, the device cdev for iommufd ones. */
	int file = self->a.group_fd >= 0 ? self->a.group_fd : self->a.device_fd;
	long reg0, unreg0, reg_add, unreg_add, reg_del, unreg_del;
	int vm;

	ASSERT_LE(0, file);
	vm = ioctl(self->kvm_fd, KVM_CREATE_VM, 0);
	ASSERT_LE(0, vm) TH_LOG("KVM_CREATE_VM: %s", strerror(errno));
	ASSERT_EQ(0, ioctl(vm, KVM_CREATE_DEVICE, &cd)) TH_LOG("KVM_CREATE_DEVICE(VFIO): %s",
								strerror(errno));
	reg0 = kprobe_hits(&self->reg);
	unreg0 = kprobe_hits(&self->unreg);
	ASSERT_LE(0, reg0);
	ASSERT_LE(0, unreg0);
	ASSERT_EQ(0, vfio_file(cd.fd, KVM_DEV_VFIO_FILE_ADD, file))
		TH_LOG("KVM_DEV_VFIO_FILE_ADD: %s", strerror(errno));
	reg_add = kprobe_hits(&self->reg) - reg0;
	unreg_add = kprobe_hits(&self->unreg) - unreg0;
	ASSERT_EQ(0, vfio_file(cd.fd, KVM_DEV_VFIO_FILE_DEL, file))
		TH_LOG("KVM_DEV_VFIO_FILE_DEL: %s", strerror(errno));
	reg_del = kprobe_hits(&self->reg) - reg0 - reg_add;
	unreg_del = kprobe_hits(&self->unreg) - unreg0 - unreg_add;
	close(cd.fd);
	close(vm);

	kvm_evidence(attach_path_name(variant->path), self->unit, self->capable, reg_add,
		     unreg_del, &self->reg, &self->unreg);

	EXPECT_EQ(!self->capable, reg_add)
		TH_LOG("kvm-misinformed: %s: FILE_ADD registered non-coherent DMA %ld times, "
		       "unit %s can enforce: %d", attach_path_name(variant->path), reg_add,
		       self->unit, self->capable);
	EXPECT_EQ(0, unreg_add);
	EXPECT_EQ(0, reg_del);
	EXPECT_EQ(reg_add > 0, unreg_del)
		TH_LOG("FILE_DEL unregistered %ld times after %ld registrations", unreg_del, reg_add);
}

/*
 * A real VMM takes the device: QEMU with KVM and vfio-pci, started paused
 * (-S). It adds the group to its KVM-VFIO device while realizing vfio-pci,
 * before its monitor answers a first command; quit never sends FILE_DEL, so the
 * registration must be undone when the VM is torn down at exit.
 */
FIXTURE(qemu) {
	struct kprobe reg, unreg;
	char unit[64];
	char dir[64];
	int capable;
	int kvm_fd;
};

FIXTURE_SETUP(qemu)
{
	char why[512];
	const char *skip;

	self->kvm_fd = -1;
	self->dir[0] = '\0';
	memset(&self->reg, 0, sizeof(self->reg));
	memset(&self->unreg, 0, sizeof(self->unreg));
	skip = kvm_ready(&self->reg, &self->unreg, self->unit, sizeof(self->unit),
			 &self->capable, &self->kvm_fd, why, sizeof(why));
	if (skip)
		SKIP(return, "%s", skip);
	/* QEMU opens the device itself: the suite keeps nothing of it open. */
	close(self->kvm_fd);
	self->kvm_fd = -1;
}

FIXTURE_TEARDOWN(qemu)
{
	char fifo[PATH_MAX];

	kprobe_remove(&self->reg);
	kprobe_remove(&self->unreg);
	if (self->kvm_fd >= 0)
		close(self->kvm_fd);
	if (self->dir[0]) {
		path_fmt(fifo, sizeof(fifo), "%s/monitor", self->dir);
		unlink(fifo);
		rmdir(self->dir);
	}
}

struct qemu_watch {
	const struct kprobe *reg, *unreg;
	long reg_at_monitor, unreg_at_monitor;
	int monitor_fd;		/* the write end of QEMU's stdin */
	bool ready;
	char last[256];		/* QEMU's last words, for the log */
};

/*
 * The monitor's banner comes before the devices are realized; its answer
 * to a command comes from the main loop, after they are. So at the banner
 * ask "info status", and at its answer (the VM is built and paused)
 * count, then ask QEMU to quit.
 */
static void qemu_line(void *ctx, int fd, const char *line, size_t len)
{
	struct qemu_watch *w = ctx;

	snprintf(w->last, sizeof(w->last), "%.*s", (int)len, line);
	if (w->ready || fd != 1)
		return;
	if (memmem(line, len, "monitor -", 9)) {
		if (write(w->monitor_fd, "info status\n", 12) != 12)
			close(w->monitor_fd);
		return;
	}
	if (!memmem(line, len, "VM status", 9))
		return;
	w->ready = true;
	w->reg_at_monitor = kprobe_hits(w->reg);
	w->unreg_at_monitor = kprobe_hits(w->unreg);
	if (write(w->monitor_fd, "quit\n", 5) != 5)
		close(w->monitor_fd);	/* EOF on stdin ends QEMU's monitor too */
}

TEST_F_TIMEOUT(qemu, kvm_is_told_what_the_unit_enforces, 120)
{
	char host[32], fifo[PATH_MAX];
	char *const argv[] = {
		"qemu-system-x86_64", "-accel", "kvm", "-nodefaults", "-display", "none",
		"-m", "64", "-S", "-monitor", "stdio", "-device", host, NULL,
	};
	struct qemu_watch w = { .reg = &self->reg, .unreg = &self->unreg };
	struct spawn_opts o = {
		.stdin_path = fifo, .timeout_s = 60, .grace_s = 2, .search_path = true,
		.die_with_parent = true, .on_line = qemu_line, .line_ctx = &w,
	};
	struct spawn_result r;
	long reg0, unreg0, reg_add, unreg_end;

	snprintf(host, sizeof(host), "vfio-pci,host=%s", device_bdf);
	strcpy(self->dir, "/tmp/snoopcheck-kvm-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir)) { self->dir[0] = '\0'; }
	path_fmt(fifo, sizeof(fifo), "%s/monitor", self->dir);
	ASSERT_EQ(0, mkfifo(fifo, 0600));
	/* Read-write: the open cannot block, and QEMU sees no EOF too early. */
	w.monitor_fd = open(fifo, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, w.monitor_fd);
	reg0 = kprobe_hits(&self->reg);
	unreg0 = kprobe_hits(&self->unreg);
	ASSERT_EQ(0, spawn_run(argv, &o, &r));
	close(w.monitor_fd);
	if (r.exec_errno == ENOENT)
		SKIP(return, "qemu-system-x86_64 is not installed (apt install qemu-system-x86)");
	ASSERT_TRUE(w.ready) TH_LOG("QEMU never reached its monitor (exit %d, signal %d): %s",
				    r.exit_status, r.term_signal, w.last);
	EXPECT_EQ(0, r.exit_status) TH_LOG("QEMU: %s", w.last);
	reg_add = w.reg_at_monitor - reg0;
	unreg_end = kprobe_hits(&self->unreg) - unreg0;
	/* Past the banner nothing more may register. */
	EXPECT_EQ(reg_add, kprobe_hits(&self->reg) - reg0);
	EXPECT_EQ(0, w.unreg_at_monitor - unreg0);
	kvm_evidence("qemu", self->unit, self->capable, reg_add, unreg_end, &self->reg,
		     &self->unreg);
	EXPECT_EQ(!self->capable, reg_add)
		TH_LOG("kvm-misinformed: QEMU's vfio-pci registered non-coherent DMA %ld times, "
		       "unit %s can enforce: %d", reg_add, self->unit, self->capable);
	EXPECT_EQ(reg_add > 0, unreg_end)
		TH_LOG("the VM's teardown unregistered %ld times after %ld registrations",
		       unreg_end, reg_add);
}

int main(int argc, char **argv)
{
	static char bdf[BDF_LEN];
	char msg[256];

	device_bdf = target_arg("kvm", &argc, argv, bdf, sizeof(bdf), msg, sizeof(msg));
	return test_harness_run(argc, argv);
}
