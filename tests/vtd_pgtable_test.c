// SPDX-License-Identifier: GPL-2.0-only
/*
 * vtd_pgtable: leaf entries from Intel IOMMU debugfs, in the format of
 * dump_page_info() (drivers/iommu/intel/debugfs.c, 6.12): a 4 KiB leaf
 * with SNP, one without, and a 2 MiB superpage at the PDE level. The live
 * check runs in the virtual lab (suites/attach, vm_attach_test).
 */
#include <kselftest_harness.h>

#include "fsutil.h"
#include "vtd_pgtable.h"

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

TEST_HARNESS_MAIN
