// SPDX-License-Identifier: GPL-2.0-only
/* klog: trouble lines in kernel logs, in the formats the kernel prints. */
#include <kselftest_harness.h>

#include "suite/klog.h"

/* A console log as the guest prints it: faults interleaved with noise. */
static const char console[] =
	"[    0.512345] DMAR: Host address width 39\r\n"
	"[    0.612345] DMAR-IR: Enabled IRQ remapping in xapic mode\n"
	"[    3.100000] DMAR: DRHD: handling fault status reg 2\n"
	"[    3.100001] DMAR: [DMA Write NO_PASID] Request device [00:04.0] fault addr 0x100000 [fault reason 0x05] PTE Write access is not set\n"
	"[    3.200000] AMD-Vi: Event logged [IO_PAGE_FAULT device=0000:00:04.0 domain=0x0001 address=0x1000 flags=0x0000]\n"
	"[    4.000000] WARNING: CPU: 0 PID: 1 at drivers/iommu/iommu.c:100 foo+0x1/0x2\n"
	"[    4.000001] CPU: 0 PID: 1 Comm: sh Tainted: G        W          6.12.0 #1\n"
	"[    5.000000] BUG: kernel NULL pointer dereference, address: 0000000000000000\n"
	"[    6.000000] vfio_iommu_type1: allow_unsafe_interrupts=1\n"
	"no newline at the end: Kernel panic - not syncing";

TEST(finds_each_kind_once_per_line)
{
	struct klog_findings f = { 0 };

	ASSERT_EQ(0, klog_scan(console, &f));
	EXPECT_EQ(3, klog_count(&f, KLOG_IOMMU_FAULT, ""));
	EXPECT_EQ(2, klog_count(&f, KLOG_IOMMU_FAULT, "00:04.0"));
	EXPECT_EQ(1, klog_count(&f, KLOG_WARN, ""));
	EXPECT_EQ(1, klog_count(&f, KLOG_TAINT, ""));
	EXPECT_EQ(2, klog_count(&f, KLOG_BUG, ""));
	EXPECT_EQ(1, klog_count(&f, KLOG_UNSAFE, ""));
	EXPECT_EQ(10 - 2, f.n);
	/* Lines are kept without their line ending. */
	EXPECT_EQ(NULL, strchr(f.v[0].line, '\n'));
	klog_findings_free(&f);
}

TEST(clean_log_has_no_findings)
{
	struct klog_findings f = { 0 };

	ASSERT_EQ(0, klog_scan("[ 0.1] DMAR: IOMMU enabled\n[ 0.2] ok\n", &f));
	EXPECT_EQ(0, f.n);
	ASSERT_EQ(0, klog_scan("", &f));
	EXPECT_EQ(0, f.n);
	klog_findings_free(&f);
}

TEST(long_lines_are_truncated_safely)
{
	struct klog_findings f = { 0 };
	char big[2048];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	memcpy(big + 1000, "BUG:", 4);
	ASSERT_EQ(0, klog_scan(big, &f));
	ASSERT_EQ(1, f.n);
	EXPECT_EQ(255, strlen(f.v[0].line));
	klog_findings_free(&f);
}

TEST_HARNESS_MAIN
