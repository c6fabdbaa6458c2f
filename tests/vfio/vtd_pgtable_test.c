// SPDX-License-Identifier: GPL-2.0-only
/*
 * vtd_pgtable: leaf entries from Intel IOMMU debugfs, in the format of
 * dump_page_info() (drivers/iommu/intel/debugfs.c, 6.12): a 4 KiB leaf
 * with SNP, one without, and a 2 MiB superpage at the PDE level. The live
 * check runs in the virtual lab (suites/attach, vm_attach_test).
 */
#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "vfio/vtd_pgtable.h"

#define FIX "tests/fixtures/vtd/domain_translation_struct.txt"

TEST(leaf_entries_and_snp)
{
	char *text = read_file(FIX, NULL);
	uint64_t pte;

	ASSERT_NE(NULL, text);
	ASSERT_EQ(0, vtd_leaf_pte(text, 0x1000000, &pte));
	EXPECT_EQ(0x4a51803ULL, pte);
	EXPECT_TRUE(pte & VTD_PTE_SNP);
	ASSERT_EQ(0, vtd_leaf_pte(text, 0x1001000, &pte));
	EXPECT_FALSE(pte & VTD_PTE_SNP);
	/* A superpage's leaf is its PDE, the last column on its line. */
	ASSERT_EQ(0, vtd_leaf_pte(text, 0x40000000, &pte));
	EXPECT_EQ(0x5a00083ULL, pte);
	EXPECT_EQ(-ENOENT, vtd_leaf_pte(text, 0x2000000, &pte));
	EXPECT_EQ(-EINVAL, vtd_leaf_pte("DMA Remapping is not enabled on dmar0\n", 0, &pte));
	free(text);
}

/*
 * Linux 6.1's one file for all devices, recorded in the vtd-sc guest: each
 * group's section is named after one of its devices (00:07.0's bridge group
 * holds 01:01.0 and 01:02.0), and a leaf is looked up in one section only.
 */
TEST(six_one_sections_by_group)
{
	char *text = read_file("tests/fixtures/vtd/domain_translation_struct-6.1.txt", NULL);
	char *nvme[] = { "0000:00:04.0" };
	char *bridge[] = { "0000:01:01.0", "0000:00:07.0", "0000:01:02.0" };
	char *none[] = { "0000:00:04.1", "0000:00:0" };
	char *sec;
	uint64_t pte;

	ASSERT_NE(NULL, text);
	sec = vtd_group_section(text, nvme, 1);
	ASSERT_NE(NULL, sec);
	EXPECT_EQ(0, strncmp(sec, "Device 0000:00:04.0 @0xa7c000\n", 30));
	ASSERT_EQ(0, vtd_leaf_pte(sec, 0xfffe0000, &pte));
	EXPECT_EQ(0xc84003ULL, pte);
	EXPECT_FALSE(pte & VTD_PTE_SNP);
	/* IOVA 0 is mapped in 00:1f.0's section, not in this one */
	ASSERT_EQ(0, vtd_leaf_pte(text, 0, &pte));
	EXPECT_EQ(-ENOENT, vtd_leaf_pte(sec, 0, &pte));
	free(sec);
	sec = vtd_group_section(text, bridge, 3);
	ASSERT_NE(NULL, sec);
	EXPECT_STREQ("Device 0000:00:07.0 @0xa9e000\n"
		     "IOVA_PFN\t\tPML5E\t\t\tPML4E\t\t\tPDPE\t\t\tPDE\t\t\tPTE\n", sec);
	EXPECT_EQ(-ENOENT, vtd_leaf_pte(sec, 0, &pte));
	free(sec);
	/* a prefix of a BDF is not that device */
	EXPECT_EQ(NULL, vtd_group_section(text, none, 2));
	EXPECT_EQ(ENOENT, errno);
	free(text);
}

#define FIXDIR "tests/fixtures/vtd/dmar_translation_struct-"

/* edu (00:06.0) in the lab's recordings, and one edited to first stage. */
TEST(pasid_entries_say_which_stage)
{
	char *sm = read_file(FIXDIR "scalable.txt", NULL);
	char *legacy = read_file(FIXDIR "legacy.txt", NULL);
	char *first = read_file(FIXDIR "first-stage.txt", NULL);
	uint64_t val[3];

	ASSERT_NE(NULL, sm);
	ASSERT_NE(NULL, legacy);
	ASSERT_NE(NULL, first);
	ASSERT_EQ(0, vtd_rid_pasid_entry(sm, "dmar0", 0, 6 << 3, val));
	EXPECT_EQ(0x6c0085ULL, val[0]);
	EXPECT_EQ(7ULL, val[1]);
	EXPECT_EQ(2, VTD_PASID_PGTT(val));	/* second stage: SNP lives in the PTEs */
	EXPECT_EQ(0, VTD_PASID_PGSNP(val));
	/* Behind the bridge: bus 1, device 2. */
	ASSERT_EQ(0, vtd_rid_pasid_entry(sm, "dmar0", 1, 2 << 3, val));
	EXPECT_EQ(8ULL, val[1]);
	ASSERT_EQ(0, vtd_rid_pasid_entry(first, "dmar0", 0, 6 << 3, val));
	EXPECT_EQ(VTD_PGTT_FIRST_STAGE, VTD_PASID_PGTT(val));
	EXPECT_EQ(1, VTD_PASID_PGSNP(val));
	/* Legacy mode has no PASID entry; an absent device or unit is not found. */
	EXPECT_EQ(-ENOENT, vtd_rid_pasid_entry(legacy, "dmar0", 0, 6 << 3, val));
	EXPECT_EQ(-ENOENT, vtd_rid_pasid_entry(sm, "dmar0", 0, 9 << 3, val));
	EXPECT_EQ(-EINVAL, vtd_rid_pasid_entry(sm, "dmar1", 0, 6 << 3, val));
	free(sm);
	free(legacy);
	free(first);
}

TEST_HARNESS_MAIN
