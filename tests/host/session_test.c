// SPDX-License-Identifier: GPL-2.0-only
/*
 * host/session: every selected device is decided before anything is
 * touched, every one gets a result, and the session gives back what it
 * bound. Against tests/fakesys.h's fake /sys.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <kselftest_harness.h>

#include "fakesys.h"
#include "host/session.h"

#define NVME "0000:00:04.0"
#define EDU  "0000:00:06.0"
#define LONE "0000:00:08.0"

FIXTURE(session) {
	struct fakesys f;
	char run[PATH_MAX];
	struct selected v[3];
	struct selection sel;
};

FIXTURE_SETUP(session)
{
	fake_init(&self->f);
	fake_device(&self->f, NVME, "0x1b36", "0x0010", "0x010802", "nvme", "nvme", 1, -1);
	fake_device(&self->f, EDU, "0x1234", "0x11e8", "0x00ff00", "", "", 3, -1);
	fake_device(&self->f, LONE, "0x8086", "0x10d3", "0x020000", "e1000e", "e1000e", -1, -1);
	fake_kernel_on(&self->f);
	path_fmt(self->run, sizeof(self->run), "%s/run/snoopcheck", self->f.root);
	memset(&self->sel, 0, sizeof(self->sel));
	strcpy(self->v[0].bdf, EDU);
	strcpy(self->v[1].bdf, LONE);
	strcpy(self->v[2].bdf, NVME);
	self->sel.v = self->v;
	self->sel.n = 3;
}

FIXTURE_TEARDOWN(session)
{
	fake_cleanup(&self->f);
}

TEST_F(session, a_refusal_stops_nothing_and_every_device_gets_a_result)
{
	struct bind_opts o = { 0 };
	struct session s;
	char drv[64];

	ASSERT_EQ(0, session_begin(&s, self->run, &o, stderr));
	EXPECT_EQ(1, session_bind(&s, &self->sel));
	ASSERT_EQ(3, s.n);
	EXPECT_TRUE(session_ready(&s, 0));
	EXPECT_FALSE(session_ready(&s, 1));
	EXPECT_TRUE(s.res[1].refused);
	EXPECT_NE(NULL, strstr(s.res[1].error, "no IOMMU group"));
	EXPECT_TRUE(session_ready(&s, 2));
	EXPECT_FALSE(s.broken);
	fake_get(LONE, "driver", drv, sizeof(drv));
	EXPECT_STREQ("e1000e", drv);
	fake_get(NVME, "driver", drv, sizeof(drv));
	EXPECT_STREQ("vfio-pci", drv);
	EXPECT_EQ(0, session_give_back(&s, stdout, stderr));
	fake_get(NVME, "driver", drv, sizeof(drv));
	EXPECT_STREQ("nvme", drv);
	session_end(&s);
}

TEST_F(session, a_dry_run_decides_every_device_and_writes_nothing)
{
	struct bind_opts o = { .dry_run = true };
	struct session s;

	ASSERT_EQ(0, session_begin(&s, self->run, &o, stderr));
	EXPECT_EQ(1, session_bind(&s, &self->sel));
	ASSERT_EQ(3, s.n);
	EXPECT_TRUE(s.res[1].refused);
	EXPECT_EQ(MEMBER_WOULD_BIND, s.res[0].member[0].action);
	EXPECT_EQ(MEMBER_WOULD_BIND, s.res[2].member[0].action);
	EXPECT_EQ(0, self->f.n_writes);
	session_end(&s);
}

TEST_HARNESS_MAIN
