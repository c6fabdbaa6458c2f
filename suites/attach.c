// SPDX-License-Identifier: GPL-2.0-only
/*
 * attach: for every VFIO/iommufd path, attach the device, and check that
 * the cache-coherency enforcement the kernel reports equals what the IOMMU
 * unit serving the device can do (VT-d ECAP Snoop Control; AMD-Vi always).
 *
 *   suites/attach BDF            (or SNOOPCHECK_DEVICE=BDF suites/attach)
 *
 * The device must already be bound to vfio-pci (runner bind / runner run).
 * Each result carries a "# evidence: {...}" line for the runner.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <json.h>
#include <linux/vfio.h>

#include "discover/iommu.h"
#include "base/bdf.h"
#include "suite/suite.h"
#include "sysfs/sysroot.h"
#include "vfio/iova.h"
#include "vfio/vfio.h"
#include "vfio/vtd_pgtable.h"
#include "base/fsutil.h"

static const char *device_bdf;

FIXTURE(path) {
	struct attach a;
	char unit[64];
	uint64_t sysfs_ecap;
	int capable;
	bool open;
};

FIXTURE_VARIANT(path) {
	enum attach_path path;
};

ATTACH_PATH_VARIANTS(path);

FIXTURE_SETUP(path)
{
	char why[256];
	const char *skip = devready_vfio(device_bdf, why, sizeof(why));
	int ret;

	self->open = false;
	if (skip)
		SKIP(return, "%s", skip);
	self->capable = devready_unit_can_enforce(device_bdf, self->unit, sizeof(self->unit), &self->sysfs_ecap);
	if (!self->unit[0] || self->capable < 0)
		SKIP(return, "no IOMMU unit serves %s (or its registers are unreadable): "
		     "VFIO can only use no-IOMMU mode", device_bdf);
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
}

TEST_F(path, enforcement_matches_the_unit)
{
	int enforced = attach_enforced(&self->a);
	json_object *ev = json_object_new_object();
	uint64_t cap, ecap;
	int hw = attach_hw_info_vtd(&self->a, &cap, &ecap);

	ASSERT_LE(0, enforced) TH_LOG("%s", self->a.reason);
	json_object_object_add(ev, "path", json_object_new_string(attach_path_name(variant->path)));
	json_object_object_add(ev, "unit", json_object_new_string(self->unit));
	json_object_object_add(ev, "unit_can_enforce", json_object_new_boolean(self->capable));
	json_object_object_add(ev, "enforced", json_object_new_boolean(enforced));
	if (!hw) {
		char buf[24];

		snprintf(buf, sizeof(buf), "%llx", (unsigned long long)ecap);
		json_object_object_add(ev, "hw_info_ecap", json_object_new_string(buf));
		json_object_object_add(ev, "hw_info_agrees",
				       json_object_new_boolean(ecap == self->sysfs_ecap));
	}
	evidence_emit(stdout, ev);
	EXPECT_EQ(self->capable, enforced)
		TH_LOG("cc-misreported: %s reports enforcement %d, unit %s can enforce: %d",
		       attach_path_name(variant->path), enforced, self->unit, self->capable);
	if (!hw)
		EXPECT_EQ(self->sysfs_ecap, ecap) TH_LOG("IOMMU_GET_HW_INFO ecap differs from sysfs");
}

TEST_F(path, map_and_unmap_a_buffer)
{
	size_t size = 1 << 20;
	void *buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* Below 4 GiB and 28 bits, inside every unit's aperture. */
	uint64_t iova = 1 << 24;

	ASSERT_NE(MAP_FAILED, buf);
	memset(buf, 0x5a, size);
	ASSERT_EQ(0, attach_map(&self->a, iova, buf, size)) TH_LOG("%s", self->a.reason);
	EXPECT_EQ(0, attach_unmap(&self->a, iova, size)) TH_LOG("%s", self->a.reason);
	/* Unmapping twice must fail: the first really removed the mapping. */
	EXPECT_GT(0, attach_unmap(&self->a, iova, size));
	munmap(buf, size);
}

/*
 * A mapping outside the allowed IOVA ranges must be refused, never
 * silently truncated: 2^56 is past every unit's address width here.
 */
/*
 * A mapping just past the end of the domain's aperture (the last allowed
 * IOVA range the kernel reports) must be refused. Where the aperture is
 * the whole 64-bit space (AMD-Vi v1 on 6.12: dma_max_address() is ~0)
 * nothing lies outside it, and the test says so instead of guessing.
 */
TEST_F(path, map_outside_the_aperture_fails)
{
	size_t size = 1 << 12;
	void *buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct iova_space space;
	uint64_t last, outside;
	char hex[24];
	json_object *ev;
	int ret;

	ASSERT_NE(MAP_FAILED, buf);
	ASSERT_EQ(0, iova_space_query(&space, &self->a, UINT64_MAX)) TH_LOG("%s", self->a.reason);
	last = space.r[space.n - 1].last;
	ev = json_object_new_object();
	json_object_object_add(ev, "path", json_object_new_string(attach_path_name(variant->path)));
	snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)last);
	json_object_object_add(ev, "aperture_last", json_object_new_string(hex));
	if (last >= UINT64_MAX - space.align) {
		json_object_object_add(ev, "map_outside_aperture", NULL);
		evidence_emit(stdout, ev);
		munmap(buf, size);
		SKIP(return, "%s: the aperture ends at 2^64 (last allowed IOVA %s): no IOVA lies "
		     "outside it", attach_path_name(variant->path), hex);
	}
	outside = (last | (space.align - 1)) + 1;
	ret = attach_map(&self->a, outside, buf, size);
	json_object_object_add(ev, "map_outside_aperture", json_object_new_string(
		ret ? strerrorname_np(-ret) : "accepted"));
	evidence_emit(stdout, ev);
	/* type1 checks the domain's IOVA list, iommufd the IOAS's allowed
	 * ranges; both answer EINVAL (measured on 6.12 in the lab). */
	EXPECT_EQ(-EINVAL, ret) TH_LOG("%s: mapping at 0x%llx, past the aperture's last IOVA %s, "
				       "gave %d, expected -EINVAL", attach_path_name(variant->path),
				       (unsigned long long)outside, hex, ret);
	munmap(buf, size);
}

/*
 * The device's PASID-0 entry from dmar_translation_struct, into val: true
 * in scalable mode; false in legacy mode (no PASID table: the context
 * points at a second-stage table).
 */
static bool rid_pasid_entry(const char *unit, uint64_t val[3])
{
	unsigned int dom, bus, devfn;
	char *text = read_file("/sys/kernel/debug/iommu/intel/dmar_translation_struct", NULL);
	bool found = text && bdf_split(device_bdf, &dom, &bus, &devfn) &&
		     !vtd_rid_pasid_entry(text, unit, bus, devfn, val);

	free(text);
	return found;
}

/*
 * The debugfs page table of bdf's domain as text, or NULL with path naming
 * what was missing. Newer kernels (6.12) give each device its own file;
 * 6.1 has one for all, sectioned by IOMMU group: bdf's group's section.
 */
static char *domain_table(const char *bdf, char *path, size_t len)
{
	char dir[256], **members = NULL, *all, *text = NULL;
	int n;

	path_fmt(path, len, "/sys/kernel/debug/iommu/intel/%s/domain_translation_struct", bdf);
	if (!access(path, R_OK))
		return read_file(path, NULL);
	path_fmt(path, len, "/sys/kernel/debug/iommu/intel/domain_translation_struct");
	all = access(path, R_OK) ? NULL : read_file(path, NULL);
	path_fmt(dir, sizeof(dir), "/sys/bus/pci/devices/%s/iommu_group/devices", bdf);
	n = all ? sysfs_list(dir, &members) : -1;
	if (n > 0)
		text = vtd_group_section(all, members, (size_t)n);
	if (all && !text)
		path_fmt(path, len, "/sys/kernel/debug/iommu/intel/domain_translation_struct "
			 "(no section for the group of %s)", bdf);
	if (n >= 0)
		sysfs_list_free(members);
	free(all);
	return text;
}

/*
 * The structural proof on VT-d: with a buffer mapped, the domain carries
 * snoop control exactly when it enforces: SNP in the leaf PTE of the IOVA
 * (second stage), or PGSNP in the device's PASID entry (first stage).
 */
TEST_F(path, page_tables_carry_snp_when_enforced)
{
	size_t size = 1 << 16;
	uint64_t iova = 1 << 24, pte = 0, pasid[3];
	void *buf = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char path[256], hex[24], *text;
	json_object *ev;
	int enforced, ret;
	bool snp, scalable, stage1;

	text = domain_table(device_bdf, path, sizeof(path));
	if (!text)
		SKIP(return, "%s: %s (needs an Intel IOMMU, CONFIG_INTEL_IOMMU_DEBUGFS, "
		     "debugfs mounted and root)", path, strerror(errno));
	free(text);	/* there; read again once the buffer is mapped */
	ASSERT_NE(MAP_FAILED, buf);
	memset(buf, 0, size);
	ASSERT_EQ(0, attach_map(&self->a, iova, buf, size)) TH_LOG("%s", self->a.reason);
	enforced = attach_enforced(&self->a);
	scalable = rid_pasid_entry(self->unit, pasid);
	stage1 = scalable && VTD_PASID_PGTT(pasid) == VTD_PGTT_FIRST_STAGE;
	ev = json_object_new_object();
	json_object_object_add(ev, "path", json_object_new_string(attach_path_name(variant->path)));
	json_object_object_add(ev, "scalable_mode", json_object_new_boolean(scalable));
	json_object_object_add(ev, "stage", json_object_new_string(stage1 ? "first" : "second"));
	if (stage1) {
		snp = VTD_PASID_PGSNP(pasid);
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)pasid[1]);
		json_object_object_add(ev, "pasid_entry_hi", json_object_new_string(hex));
		json_object_object_add(ev, "pasid_pgsnp", json_object_new_boolean(snp));
	} else {
		text = domain_table(device_bdf, path, sizeof(path));
		ASSERT_NE(NULL, text) TH_LOG("%s: %s", path, strerror(errno));
		ret = vtd_leaf_pte(text, iova, &pte);
		free(text);
		ASSERT_EQ(0, ret) TH_LOG("no leaf entry for IOVA 0x%llx in %s (%d)",
					 (unsigned long long)iova, path, ret);
		snp = pte & VTD_PTE_SNP;
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)pte);
		json_object_object_add(ev, "iova", json_object_new_int64((int64_t)iova));
		json_object_object_add(ev, "leaf_pte", json_object_new_string(hex));
		json_object_object_add(ev, "leaf_pte_snp", json_object_new_boolean(snp));
	}
	json_object_object_add(ev, "snp_matches", json_object_new_boolean(snp == (enforced == 1)));
	evidence_emit(stdout, ev);
	EXPECT_EQ(enforced == 1, snp)
		TH_LOG("cc-misreported: enforcement %d but the %s-stage %s has snoop control %d",
		       enforced, stage1 ? "first" : "second",
		       stage1 ? "PASID entry (PGSNP)" : "leaf PTE (SNP)", snp);
	attach_unmap(&self->a, iova, size);
	munmap(buf, size);
}

/*
 * The type1 trap: before VFIO_SET_IOMMU the container has no domain, so the
 * CC extension reads 0 whatever the IOMMU can do. Asking too early is a bug
 * in the asker, and this proves the kernel still behaves that way.
 */
TEST(type1_cc_reads_zero_before_set_iommu)
{
	char why[256], unit[64];
	const char *skip = devready_vfio(device_bdf, why, sizeof(why));
	struct attach a;
	uint64_t ecap;
	int fd;

	if (skip)
		SKIP(return, "%s", skip);
	if (devready_unit_can_enforce(device_bdf, unit, sizeof(unit), &ecap) < 0)
		SKIP(return, "no IOMMU unit serves %s", device_bdf);
	fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		SKIP(return, "/dev/vfio/vfio: %s (kernel without CONFIG_VFIO_CONTAINER)",
		     strerror(errno));
	EXPECT_EQ(0, vfio_cc_extension(fd));
	close(fd);
	/* After a full attach the same question gets the real answer. */
	ASSERT_EQ(0, attach_open(&a, device_bdf, ATTACH_TYPE1V2)) TH_LOG("%s", a.reason);
	EXPECT_LE(0, attach_enforced(&a));
	attach_close(&a);
}

/*
 * Write into out a PCI device other than ours that is not on vfio-pci: a
 * member of our IOMMU group when there is one (the exact case), else the
 * first such device on the bus. false when there is none.
 */
static bool other_device_not_on_vfio(char *out, size_t len, bool *same_group)
{
	const char *dirs[2] = { NULL, "/sys/bus/pci/devices" };
	char group_dir[128];

	path_fmt(group_dir, sizeof(group_dir), "/sys/bus/pci/devices/%s/iommu_group/devices",
		 device_bdf);
	dirs[0] = group_dir;
	for (int d = 0; d < 2; d++) {
		char **names, drv[64];
		int n = sysfs_list(dirs[d], &names);
		bool found = false;

		for (int i = 0; i < n && !found; i++) {
			if (!strcmp(names[i], device_bdf))
				continue;
			devready_driver(names[i], drv, sizeof(drv));
			if (strcmp(drv, "vfio-pci")) {
				snprintf(out, len, "%s", names[i]);
				found = true;
			}
		}
		if (n >= 0)
			sysfs_list_free(names);
		if (found) {
			*same_group = d == 0;
			return true;
		}
	}
	return false;
}

/*
 * A group hands out only devices that vfio-pci drives: asking it for any
 * other device, even a member of the same group, is ENODEV
 * (vfio_device_get_from_name()).
 */
TEST(group_refuses_a_device_not_on_vfio_pci)
{
	char why[256], other[64];
	const char *skip = devready_vfio(device_bdf, why, sizeof(why));
	bool same_group;
	struct attach a;
	json_object *ev;
	int fd, err;

	if (skip)
		SKIP(return, "%s", skip);
	if (!other_device_not_on_vfio(other, sizeof(other), &same_group))
		SKIP(return, "every PCI device is on vfio-pci: none left to ask for");
	err = attach_open(&a, device_bdf, ATTACH_TYPE1V2);
	if (err == -EOPNOTSUPP)
		SKIP(return, "%s", a.reason);
	ASSERT_EQ(0, err) TH_LOG("%s", a.reason);
	fd = ioctl(a.group_fd, VFIO_GROUP_GET_DEVICE_FD, other);
	err = fd < 0 ? errno : 0;
	ev = json_object_new_object();
	json_object_object_add(ev, "device_not_on_vfio_pci", json_object_new_string(other));
	json_object_object_add(ev, "same_group", json_object_new_boolean(same_group));
	json_object_object_add(ev, "get_device_fd", json_object_new_string(
		err ? strerrorname_np(err) : "accepted"));
	evidence_emit(stdout, ev);
	EXPECT_EQ(ENODEV, err) TH_LOG("VFIO_GROUP_GET_DEVICE_FD(%s) on %s's group gave %s",
				      other, device_bdf, err ? strerror(err) : "a device fd");
	if (fd >= 0)
		close(fd);
	attach_close(&a);
}

/*
 * A group with a member on a host driver is not viable: no path may give
 * user space DMA control of any device in it. The kernel refuses to claim
 * DMA ownership with EPERM, at SET_CONTAINER (type1), at GET_DEVICE_FD
 * (iommufd as the container) or at BIND_IOMMUFD (native).
 */
TEST(non_viable_group_is_refused_on_every_path)
{
	char why[256], group[32];
	const char *skip = devready_vfio(device_bdf, why, sizeof(why));
	int viable, refused = 0;

	if (skip)
		SKIP(return, "%s", skip);
	viable = vfio_group_viable(device_bdf, group, sizeof(group));
	if (viable < 0)
		SKIP(return, "%s: the VFIO group cannot be opened: %s", device_bdf,
		     strerror(-viable));
	if (viable)
		SKIP(return, "group %s of %s is viable (no member on a host driver), as runner "
		     "bind leaves it: the case needs a member left on its driver; the virtual "
		     "lab builds one (tests/vm/groups.sh)", group, device_bdf);
	for (enum attach_path p = 0; p < ATTACH_NR_PATHS; p++) {
		struct attach a;
		int ret = attach_open(&a, device_bdf, p);
		json_object *ev = json_object_new_object();

		json_object_object_add(ev, "path", json_object_new_string(attach_path_name(p)));
		json_object_object_add(ev, "non_viable_group", json_object_new_string(
			ret ? strerrorname_np(-ret) : "accepted"));
		evidence_emit(stdout, ev);
		if (ret == -EOPNOTSUPP)
			continue;	/* the path is missing; its reason is in the evidence */
		EXPECT_EQ(-EPERM, ret) TH_LOG("%s: %s", attach_path_name(p),
					     ret ? a.reason : "attached to a non-viable group");
		if (!ret)
			attach_close(&a);
		refused += ret == -EPERM;
	}
	ASSERT_LT(0, refused) TH_LOG("no path was there to refuse");
}

int main(int argc, char **argv)
{
	static char bdf[BDF_LEN];
	char msg[256];

	/* None given: every fixture skips with the reason devready_vfio() gives. */
	device_bdf = target_arg("attach", &argc, argv, bdf, sizeof(bdf), msg, sizeof(msg));
	return test_harness_run(argc, argv);
}
