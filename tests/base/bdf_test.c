// SPDX-License-Identifier: GPL-2.0-only
/* bdf: the one PCI address grammar, whole strings and prefixes. */
#include <string.h>

#include <kselftest_harness.h>

#include "base/bdf.h"

TEST(normalize_takes_the_two_typed_forms)
{
	char out[BDF_LEN];

	ASSERT_TRUE(bdf_normalize("00:03.0", out));
	EXPECT_STREQ("0000:00:03.0", out);
	ASSERT_TRUE(bdf_normalize("0001:02:1F.7", out));
	EXPECT_STREQ("0001:02:1f.7", out);
	ASSERT_TRUE(bdf_normalize("ABCD:ef:00.1", out));
	EXPECT_STREQ("abcd:ef:00.1", out);
}

TEST(normalize_refuses_what_sscanf_would_take)
{
	static const char *const bad[] = {
		"", "0:0:3.0", "00:3.0", "0:03.0", "000:00:03.0", "0x0:00:03.0",
		" 00:03.0", "00:03.0 ", "00:03.0x", "+0:00:03.0",
		"00:20.0", "00:03.8", "10000:e0:17.0", "nvme0", "0000:00:03",
	};
	char out[BDF_LEN];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_FALSE(bdf_normalize(bad[i], out)) TH_LOG("'%s' taken", bad[i]);
	}
}

TEST(prefix_says_how_long_the_address_is)
{
	size_t n = 99;

	ASSERT_TRUE(bdf_prefix("00:1f.3 Audio device: Intel", &n));
	EXPECT_EQ(7, n);
	ASSERT_TRUE(bdf_prefix("0000:00:05.0 Host bridge", &n));
	EXPECT_EQ(12, n);
	ASSERT_TRUE(bdf_prefix("0000:00:05.0", &n));
	EXPECT_EQ(12, n);
	/* lspci and libpci's dump reader write domains past ffff in 5 digits */
	ASSERT_TRUE(bdf_prefix("10000:e0:17.0 RAID bus controller", &n));
	EXPECT_EQ(13, n);
	ASSERT_TRUE(bdf_prefix("00:03.0:extra", &n));
	EXPECT_EQ(7, n);
}

TEST(prefix_refuses_loose_widths)
{
	static const char *const bad[] = {
		"", "00: 86 80 00 00", "0:1.0 x", "00:1.0 x", "000:00:01.0 x",
		"100000:00:01.0 x", " 00:01.0 x", "0x0:0x1.0", "00:20.0 x", "00:01.8 x",
	};
	size_t n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_FALSE(bdf_prefix(bad[i], &n)) TH_LOG("'%s' taken", bad[i]);
	}
}

TEST(pci_name_is_the_sysfs_spelling_only)
{
	EXPECT_TRUE(bdf_is_pci_name("0000:00:03.0"));
	EXPECT_FALSE(bdf_is_pci_name("0000:00:1F.0"));
	EXPECT_FALSE(bdf_is_pci_name("00:03.0"));
	EXPECT_FALSE(bdf_is_pci_name("usb1"));
}

TEST(split_gives_bus_and_devfn)
{
	unsigned int dom, bus, devfn;

	ASSERT_TRUE(bdf_split("0000:00:1f.7", &dom, &bus, &devfn));
	EXPECT_EQ(0, dom);
	EXPECT_EQ(0, bus);
	EXPECT_EQ(0x1f << 3 | 7, devfn);
	ASSERT_TRUE(bdf_split("3a:02.1", &dom, &bus, &devfn));
	EXPECT_EQ(0x3a, bus);
	EXPECT_EQ(0x11, devfn);
	EXPECT_FALSE(bdf_split("0:2.0", &dom, &bus, &devfn));
}

TEST_HARNESS_MAIN
