// SPDX-License-Identifier: GPL-2.0-only
/*
 * host/plan: what runner run hands each device's suites. The partner rule
 * (prefer a unit that differs in what it can enforce) and the scratch range
 * as the suites read it back through scratch_parse(), the same parser.
 */
#include <string.h>

#include <kselftest_harness.h>

#include "base/scratch.h"
#include "host/plan.h"

static const char *env_of(const struct device_plan *p, const char *name)
{
	size_t n = strlen(name);

	for (char *const *v = p->env; *v; v++)
		if (!strncmp(*v, name, n) && (*v)[n] == '=')
			return *v + n + 1;
	return NULL;
}

TEST(partner_prefers_a_unit_that_differs)
{
	const struct plan_candidate c[] = {
		{ "0000:00:02.0", 0 }, { "0000:00:04.0", 0 }, { "0000:01:00.0", 1 },
	};

	EXPECT_EQ(2, plan_pick_partner("0000:00:02.0", 0, c, 3));
	EXPECT_EQ(0, plan_pick_partner("0000:01:00.0", 1, c, 3));
}

TEST(partner_falls_back_to_the_first_other_device)
{
	const struct plan_candidate c[] = { { "0000:00:04.0", 1 }, { "0000:00:06.0", 1 } };

	EXPECT_EQ(1, plan_pick_partner("0000:00:04.0", 1, c, 2));
	EXPECT_EQ(0, plan_pick_partner("0000:00:06.0", 1, c, 2));
}

TEST(partner_never_self_nor_a_device_without_a_unit)
{
	const struct plan_candidate c[] = { { "0000:00:04.0", 1 }, { "0000:00:06.0", -1 } };

	EXPECT_EQ(-1, plan_pick_partner("0000:00:04.0", 1, c, 2));
	EXPECT_EQ(-1, plan_pick_partner("0000:00:04.0", 1, c, 0));
}

TEST(scratch_range_reaches_the_suite_as_its_parser_reads_it)
{
	struct lab_device lab = {
		.bdf = "0000:00:04.0", .scratch_nsid = 1,
		.scratch_lba_start = 10, .scratch_lba_count = 2048,
	};
	struct scratch_range r;
	struct device_plan p;
	char why[256];

	plan_device(&p, lab.bdf, &lab, "0000:00:06.0", "0000:00:04.0 0000:00:06.0");
	EXPECT_STREQ("0000:00:06.0", env_of(&p, "SNOOPCHECK_DEVICE2"));
	EXPECT_STREQ("0000:00:04.0 0000:00:06.0", env_of(&p, "SNOOPCHECK_DEVICES"));
	EXPECT_STREQ("1", env_of(&p, "SNOOPCHECK_SCRATCH_NSID"));
	ASSERT_NE(NULL, env_of(&p, "SNOOPCHECK_SCRATCH_LBA"));
	ASSERT_EQ(0, scratch_parse(env_of(&p, "SNOOPCHECK_SCRATCH_LBA"), &r, why, sizeof(why)))
		TH_LOG("%s", why);
	EXPECT_EQ(10, r.start);
	EXPECT_EQ(2048, r.count);
}

TEST(no_scratch_and_no_partner_say_nothing)
{
	struct lab_device lab = { .bdf = "0000:00:04.0", .scratch_nsid = 1 };
	struct device_plan p;

	plan_device(&p, lab.bdf, &lab, NULL, NULL);
	EXPECT_STREQ("0000:00:04.0", env_of(&p, "SNOOPCHECK_DEVICES"));
	EXPECT_EQ(NULL, env_of(&p, "SNOOPCHECK_DEVICE2"));
	EXPECT_EQ(NULL, env_of(&p, "SNOOPCHECK_SCRATCH_LBA"));
	EXPECT_EQ(NULL, env_of(&p, "SNOOPCHECK_SCRATCH_NSID"));
	plan_device(&p, lab.bdf, NULL, "", NULL);
	EXPECT_EQ(NULL, env_of(&p, "SNOOPCHECK_DEVICE2"));
}

TEST_HARNESS_MAIN
