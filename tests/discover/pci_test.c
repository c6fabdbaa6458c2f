// SPDX-License-Identifier: GPL-2.0-only
/*
 * pcidev_guarded(): a libpci error must come back as an error return, so a
 * caller that changed DevCtl can still put it back (libpci's own callback
 * would exit the process). DevCtl through libpci, on a fake sysfs tree.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <pci/pci.h>
#include <kselftest_harness.h>

#include "discover/pci.h"
#include "fakesys.h"

static int fails(struct pci_access *a, void *arg)
{
	*(bool *)arg = true;
	a->error("no such thing: %d", 7);
	return 0;	/* not reached: a->error does not return */
}

static int answers(struct pci_access *a, void *arg)
{
	(void)a;
	*(bool *)arg = true;
	return 42;
}

TEST(libpci_error_is_an_error_return)
{
	char msg[128];
	bool reached = false;

	/* If this machine has no libpci access method, pci_init() fails
	 * before fn runs: the same guard, a different message. */
	EXPECT_EQ(-EIO, pcidev_guarded(fails, &reached, msg, sizeof(msg)));
	EXPECT_NE('\0', msg[0]);
	if (reached)
		EXPECT_STREQ("no such thing: 7", msg);
}

TEST(result_passes_through_and_the_guard_rearms)
{
	char msg[128];
	bool reached = false;
	int ret = pcidev_guarded(answers, &reached, msg, sizeof(msg));

	if (!reached)
		SKIP(return, "libpci has no access method here: %s", msg);
	EXPECT_EQ(42, ret);
	EXPECT_STREQ("", msg);
	/* After an error jumped back, the next call still works. */
	reached = false;
	EXPECT_EQ(-EIO, pcidev_guarded(fails, &reached, msg, sizeof(msg)));
	EXPECT_EQ(42, pcidev_guarded(answers, &reached, msg, sizeof(msg)));
}

/* libpci's sysfs method reads and writes under sysroot's replay tree. */
TEST(devctl_through_libpci_on_a_fake_tree)
{
	struct fakesys f;
	struct devctl_view v;
	char msg[256];

	fake_init(&f);
	fake_device(&f, "0000:00:04.0", "0x1b36", "0x0010", "0x010802", "nvme", "nvme", 1, -1);
	fake_config(&f, "0000:00:04.0", 0x2810);
	ASSERT_EQ(0, pcidev_devctl_read("0000:00:04.0", &v, msg, sizeof(msg))) TH_LOG("%s", msg);
	EXPECT_EQ(FAKE_PCIE_CAP, v.cap);
	EXPECT_EQ(0, v.pcie_type);
	EXPECT_EQ(0x2810, v.devctl);
	EXPECT_TRUE(pcie_devctl_ens(v.devctl));
	EXPECT_EQ(0x2010, pcie_devctl_with_ens(v.devctl, false));
	ASSERT_EQ(0, pcidev_devctl_write("0000:00:04.0", 0x2010, msg, sizeof(msg))) TH_LOG("%s", msg);
	EXPECT_EQ(0x2010, fake_devctl(&f, "0000:00:04.0"));
	EXPECT_EQ(-ENODEV, pcidev_devctl_read("0000:00:09.0", &v, msg, sizeof(msg)));
	fake_cleanup(&f);
}

TEST_HARNESS_MAIN
