// SPDX-License-Identifier: GPL-2.0-only
/* iova: allowed ranges, device reach, no reuse. */
#include <kselftest_harness.h>

#include "vfio/iova.h"

/* What VT-d reports: everything but the MSI window, 48-bit. */
static const struct iova_range vtd[] = {
	{ 0xfef00000ULL, (1ULL << 48) - 1 },
	{ 0, 0xfedfffffULL },
};

TEST(allocates_bottom_up_from_one_mib_and_never_reuses)
{
	struct iova_space s;
	uint64_t a, b;

	ASSERT_EQ(0, iova_space_init(&s, vtd, 2, UINT64_MAX, 4096));
	ASSERT_EQ(0, iova_alloc(&s, 1, &a));
	EXPECT_EQ(1ULL << 20, a);
	ASSERT_EQ(0, iova_alloc(&s, 8192, &b));
	EXPECT_EQ(a + 4096, b);
}

TEST(skips_the_reserved_hole)
{
	struct iova_space s;
	uint64_t a;

	ASSERT_EQ(0, iova_space_init(&s, vtd, 2, UINT64_MAX, 4096));
	s.next = 0xfedff000ULL;
	ASSERT_EQ(0, iova_alloc(&s, 8192, &a));
	EXPECT_EQ(0xfef00000ULL, a);
}

TEST(stays_within_the_device_dma_mask)
{
	const uint64_t mask = (1ULL << 28) - 1;	/* edu */
	struct iova_space s;
	uint64_t a;

	ASSERT_EQ(0, iova_space_init(&s, vtd, 2, mask, 4096));
	ASSERT_EQ(1, s.n);
	EXPECT_EQ(mask, s.r[0].last);
	s.next = mask + 1 - 4096;
	ASSERT_EQ(0, iova_alloc(&s, 4096, &a));
	EXPECT_EQ(mask + 1 - 4096, a);
	EXPECT_EQ(-ENOSPC, iova_alloc(&s, 4096, &a));
}

TEST(honours_alignment_and_refuses_nonsense)
{
	const struct iova_range r[] = { { 0x100000, 0x4fffff } };
	struct iova_space s;
	uint64_t a;

	ASSERT_EQ(0, iova_space_init(&s, r, 1, UINT64_MAX, 1 << 20));
	ASSERT_EQ(0, iova_alloc(&s, 1, &a));
	EXPECT_EQ(0x100000, a);
	ASSERT_EQ(0, iova_alloc(&s, 1, &a));
	EXPECT_EQ(0x200000, a);
	EXPECT_EQ(-ENOSPC, iova_alloc(&s, 3 << 20, &a));
	EXPECT_EQ(-ENOSPC, iova_alloc(&s, 0, &a));
	EXPECT_EQ(-ENOSPC, iova_alloc(&s, UINT64_MAX, &a));
	/* Nothing under the mask: no space at all. */
	EXPECT_EQ(-EINVAL, iova_space_init(&s, r, 1, 0xfffff, 4096));
}

TEST_HARNESS_MAIN
