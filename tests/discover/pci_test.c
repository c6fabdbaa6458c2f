// SPDX-License-Identifier: GPL-2.0-only
/*
 * pcidev_guarded(): a libpci error must come back as an error return, so a
 * caller that changed DevCtl can still put it back (libpci's own callback
 * would exit the process).
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <pci/pci.h>
#include <kselftest_harness.h>

#include "discover/pci.h"

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

TEST_HARNESS_MAIN
