// SPDX-License-Identifier: GPL-2.0-only
/* DMA engines: which device gets which engine; NVMe status decoding. */
#include <kselftest_harness.h>

#include "drivers/engine.h"
#include "drivers/nvme/nvme.h"

TEST(registry_picks_by_identity)
{
	struct pci_ident edu = { 0x1234, 0x11e8, 0x00ff00 };
	struct pci_ident qemu_nvme = { 0x1b36, 0x0010, 0x010802 };
	struct pci_ident samsung = { 0x144d, 0xa80a, 0x010802 };
	struct pci_ident e1000e = { 0x8086, 0x10d3, 0x020000 };
	struct pci_ident ahci = { 0x8086, 0x2922, 0x010601 };

	EXPECT_EQ(&edu_ops, engine_find(&edu));
	EXPECT_EQ(&nvme_ops, engine_find(&qemu_nvme));
	EXPECT_EQ(&nvme_ops, engine_find(&samsung));
	EXPECT_EQ(NULL, engine_find(&e1000e));
	EXPECT_EQ(NULL, engine_find(&ahci));
}

TEST(engines_declare_what_they_can_see)
{
	/* edu masks addresses to 28 bits and cannot report a failed DMA. */
	EXPECT_EQ((1ULL << 28) - 1, edu_ops.dma_mask);
	EXPECT_FALSE(edu_ops.reports_dma_errors);
	EXPECT_TRUE(nvme_ops.reports_dma_errors);
}

TEST(nvme_status_is_decoded)
{
	char buf[160];

	nvme_status_describe(0, buf, sizeof(buf));
	EXPECT_STREQ("sct 0x0 sc 0x00 Successful Completion", buf);
	nvme_status_describe(0x04 | 1 << 14, buf, sizeof(buf));
	EXPECT_STREQ("sct 0x0 sc 0x04 Data Transfer Error (DNR)", buf);
	nvme_status_describe(0x2 << 8 | 0x81, buf, sizeof(buf));
	EXPECT_STREQ("sct 0x2 sc 0x81 Unrecovered Read Error", buf);
	nvme_status_describe(0x7 << 8 | 0x42, buf, sizeof(buf));
	EXPECT_STREQ("sct 0x7 sc 0x42 unknown status", buf);
}

TEST_HARNESS_MAIN
