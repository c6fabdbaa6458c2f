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
#include <unistd.h>

#include <json.h>
#include <linux/kvm.h>

#include "base/bdf.h"
#include "suite/kprobe.h"
#include "suite/suite.h"

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

FIXTURE_SETUP(path)
{
	char why[512], root[PATH_MAX];
	const char *skip;
	uint64_t ecap;
	int ret;

	self->open = false;
	self->kvm_fd = -1;
	memset(&self->reg, 0, sizeof(self->reg));
	memset(&self->unreg, 0, sizeof(self->unreg));
	skip = devready_vfio(device_bdf, why, sizeof(why));
	if (skip)
		SKIP(return, "%s", skip);
	if (geteuid())
		SKIP(return, "not root: kprobe events and /dev/kvm need root (run through sudo runner run)");
	self->capable = devready_unit_can_enforce(device_bdf, self->unit, sizeof(self->unit), &ecap);
	if (!self->unit[0] || self->capable < 0)
		SKIP(return, "no IOMMU unit serves %s (or its registers are unreadable): "
		     "VFIO can only use no-IOMMU mode, which KVM is never asked about", device_bdf);
	self->kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (self->kvm_fd < 0)
		SKIP(return, "/dev/kvm: %s: load kvm_amd or kvm_intel (a kernel with CONFIG_KVM, "
		     "and a CPU or VM with SVM/VMX)", strerror(errno));
	if (kprobe_tracefs(root, sizeof(root), why, sizeof(why)))
		SKIP(return, "%s", why);
	if (kprobe_add(&self->reg, root, "kvm_reg", REGISTER, why, sizeof(why)) ||
	    kprobe_add(&self->unreg, root, "kvm_unreg", UNREGISTER, why, sizeof(why)))
		SKIP(return, "%s", why);
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
	char id[2][160];
	json_object *ev, *probes;
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

	kprobe_id(&self->reg, id[0], sizeof(id[0]));
	kprobe_id(&self->unreg, id[1], sizeof(id[1]));
	probes = json_object_new_array();
	json_object_array_add(probes, json_object_new_string(id[0]));
	json_object_array_add(probes, json_object_new_string(id[1]));
	ev = json_object_new_object();
	json_object_object_add(ev, "suite", json_object_new_string("kvm"));
	json_object_object_add(ev, "path", json_object_new_string(attach_path_name(variant->path)));
	json_object_object_add(ev, "unit", json_object_new_string(self->unit));
	json_object_object_add(ev, "unit_can_enforce", json_object_new_boolean(self->capable));
	json_object_object_add(ev, "kvm_told_noncoherent", json_object_new_boolean(reg_add > 0));
	json_object_object_add(ev, "register_hits", json_object_new_int64(reg_add));
	json_object_object_add(ev, "unregistered_on_delete", json_object_new_boolean(unreg_del > 0));
	json_object_object_add(ev, "probes", probes);
	evidence_emit(stdout, ev);

	EXPECT_EQ(!self->capable, reg_add)
		TH_LOG("kvm-misinformed: %s: FILE_ADD registered non-coherent DMA %ld times, "
		       "unit %s can enforce: %d", attach_path_name(variant->path), reg_add,
		       self->unit, self->capable);
	EXPECT_EQ(0, unreg_add);
	EXPECT_EQ(0, reg_del);
	EXPECT_EQ(reg_add > 0, unreg_del)
		TH_LOG("FILE_DEL unregistered %ld times after %ld registrations", unreg_del, reg_add);
}

int main(int argc, char **argv)
{
	static char bdf[BDF_LEN];
	char msg[256];
	int ret = target_bdf(&argc, argv, bdf, sizeof(bdf), msg, sizeof(msg));

	if (ret == -EINVAL) {
		fprintf(stderr, "kvm: %s\n", msg);
		return 2;
	}
	device_bdf = ret ? NULL : bdf;
	return test_harness_run(argc, argv);
}
