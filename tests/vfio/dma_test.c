// SPDX-License-Identifier: GPL-2.0-only
/* DMA buffers: whole pages, zeroed, fenced by pages nobody may touch. */
#include <signal.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "vfio/dma.h"

TEST(buffer_is_whole_zeroed_pages)
{
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	struct dma_buf b;

	ASSERT_EQ(0, dma_buf_alloc(&b, ps + 1));
	EXPECT_EQ(2 * ps, b.size);
	EXPECT_EQ(0, (uintptr_t)b.va % ps);
	EXPECT_FALSE(b.mapped);
	for (size_t i = 0; i < b.size; i++)
		ASSERT_EQ(0, b.va[i]);
	b.va[b.size - 1] = 1;
	dma_buf_free(&b, NULL);
	EXPECT_EQ(NULL, b.va);
	dma_buf_free(&b, NULL);	/* twice is harmless */
	EXPECT_EQ(-EINVAL, dma_buf_alloc(&b, 0));
}

TEST_SIGNAL(guard_page_after_faults, SIGSEGV)
{
	struct dma_buf b;

	ASSERT_EQ(0, dma_buf_alloc(&b, 4096));
	signal(SIGSEGV, SIG_DFL);	/* die of it, even under ASan */
	((volatile uint8_t *)b.va)[b.size] = 1;
}

TEST_SIGNAL(guard_page_before_faults, SIGSEGV)
{
	struct dma_buf b;

	ASSERT_EQ(0, dma_buf_alloc(&b, 4096));
	signal(SIGSEGV, SIG_DFL);	/* die of it, even under ASan */
	((volatile uint8_t *)b.va)[-1] = 1;
}

TEST_HARNESS_MAIN
