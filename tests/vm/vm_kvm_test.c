// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kvm suite in the virtual lab: a guest kernel with KVM (kvm_amd loads
 * under TCG, whose default CPU exposes SVM) and kprobe events. Adding the
 * edu's VFIO file to a VM must tell KVM of non-coherent DMA on every path
 * behind a unit without Snoop Control (vtd-nosc), and on none behind one
 * that enforces (vtd-sc, amdvi); each registration is undone on delete.
 * The same holds when QEMU (-accel kvm, vfio-pci) takes the device: it
 * registers at realize and unregisters at the VM's teardown.
 * Without an IOMMU every test must skip with a reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <json.h>
#include <kselftest_harness.h>

#define RUNNER "build/t/runner"
#define PATHS 5
#define VMMS (PATHS + 1)	/* our ioctls on each path, and QEMU itself */

FIXTURE(lab) {};
FIXTURE_SETUP(lab) {}
FIXTURE_TEARDOWN(lab) {}

FIXTURE_VARIANT(lab) {
	const char *platform;
	int told;		/* KVM told non-coherent on every path; -1: all skip */
};
FIXTURE_VARIANT_ADD(lab, vtd_sc) { .platform = "vtd-sc", .told = 0 };
FIXTURE_VARIANT_ADD(lab, vtd_nosc) { .platform = "vtd-nosc", .told = 1 };
FIXTURE_VARIANT_ADD(lab, amdvi) { .platform = "amdvi", .told = 0 };
FIXTURE_VARIANT_ADD(lab, noiommu) { .platform = "noiommu", .told = -1 };

TEST_F_TIMEOUT(lab, kvm_is_told_exactly_what_the_unit_cannot_enforce, 300)
{
	static char out[1 << 16], whole[1 << 16];
	char cmd[256], *line, *save;
	int st, paths = 0, told = 0, untold = 0, skips = 0, oks = 0, fails = 0;
	size_t n;
	FILE *p;

	snprintf(cmd, sizeof(cmd), RUNNER " vm --timeout 240 %s -- sh tests/vm/kvm.sh 2>&1",
		 variant->platform);
	p = popen(cmd, "r");
	ASSERT_NE(NULL, p);
	n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	st = pclose(p);
	memcpy(whole, out, n + 1);	/* strtok_r below cuts out up */
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		json_object *ev, *v;

		if (!strncmp(line, "not ok ", 7))
			fails++;
		else if (!strncmp(line, "ok ", 3) && strstr(line, "# SKIP"))
			skips++;
		else if (!strncmp(line, "ok ", 3))
			oks++;
		if (strncmp(line, "# evidence: ", 12))
			continue;
		ev = json_tokener_parse(line + 12);
		ASSERT_NE(NULL, ev) TH_LOG("bad evidence line: %s", line);
		ASSERT_TRUE(json_object_object_get_ex(ev, "kvm_told_noncoherent", &v)) TH_LOG("%s", line);
		told += json_object_get_boolean(v);
		ASSERT_TRUE(json_object_object_get_ex(ev, "unregistered_on_delete", &v));
		untold += json_object_get_boolean(v);
		ASSERT_TRUE(json_object_object_get_ex(ev, "probes", &v));
		EXPECT_EQ(2, json_object_array_length(v)) TH_LOG("%s", line);
		paths++;
		json_object_put(ev);
	}
	EXPECT_EQ(0, fails) TH_LOG("%s", whole);
	if (variant->told < 0) {
		EXPECT_EQ(0, paths);
		EXPECT_EQ(0, oks);
		EXPECT_LT(0, skips);
		return;
	}
	EXPECT_EQ(0, WEXITSTATUS(st)) TH_LOG("%s", whole);
	EXPECT_EQ(VMMS, paths) TH_LOG("every path's file, and QEMU's, added to a VM and watched");
	EXPECT_EQ(variant->told ? VMMS : 0, told);
	EXPECT_EQ(variant->told ? VMMS : 0, untold);
	EXPECT_EQ(VMMS, oks);
}

TEST_HARNESS_MAIN
