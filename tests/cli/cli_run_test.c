// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner run's choices, made before anything is touched: --list shows the
 * devices times the suites (and with --test, the tests each suite's own
 * listing matched), --suite and --test refuse what names nothing, and a
 * run that selects nothing, or a check-hw without a lab config, is not a
 * success. Every case here stops before binding: --list reads a capture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <kselftest_harness.h>

#define RUNNER "build/t/runner"
#define CAPTURE "tests/fixtures/platforms/intel-h310-coffeelake-dgpu"
#define LIST RUNNER " run --list --from " CAPTURE " --device 01:00.0 --device 02:00.0"

FIXTURE(run) {
	char out[16384];
	int status;
};
FIXTURE_VARIANT(run) {
	const char *cmd;
	int exit_status;
	const char *has[4];
	const char *lacks;
};
FIXTURE_VARIANT_ADD(run, list_devices_times_suites) {
	.cmd = LIST, .exit_status = 0,
	.has = { "run: 5 suites on 2 devices, 10 suite runs (--list: nothing was touched)\n",
		 "suite attach: every test\n", "[1/10] attach 0000:01:00.0\n",
		 "[10/10] pcie 0000:02:00.0\n" },
};
FIXTURE_VARIANT_ADD(run, list_a_suite) {
	.cmd = LIST " --suite attach_pair", .exit_status = 0,
	.has = { "[1/2] attach_pair 0000:01:00.0\n", "[2/2] attach_pair 0000:02:00.0\n" },
	.lacks = "] attach ",
};
/* The globs are matched against the suites' own -l listing. */
FIXTURE_VARIANT_ADD(run, list_tests_by_glob) {
	.cmd = LIST " --test 'path.*.enforcement_matches_the_unit' --test 'hwpt.shared_*'",
	.exit_status = 0,
	.has = { "suite attach: 5 tests\n    path.type1.enforcement_matches_the_unit\n",
		 "    path.iommufd_hwpt.enforcement_matches_the_unit\n",
		 "suite attach_pair: 1 test\n    hwpt.shared_hwpt_follows_the_allocating_device\n",
		 "[4/4] attach_pair 0000:02:00.0\n" },
	.lacks = "suite dma",
};
FIXTURE_VARIANT_ADD(run, unknown_suite) {
	.cmd = LIST " --suite attach --suite nosuch", .exit_status = 2,
	.has = { "runner run: --suite 'nosuch': expected one of attach attach_pair dma kvm pcie" },
};
FIXTURE_VARIANT_ADD(run, glob_matching_nothing) {
	.cmd = LIST " --suite pcie --test 'path.*'", .exit_status = 2,
	.has = { "runner run: --test 'path.*': matches no test of pcie" },
};
FIXTURE_VARIANT_ADD(run, from_without_list) {
	.cmd = RUNNER " run --from " CAPTURE " --device 01:00.0", .exit_status = 2,
	.has = { "runner run: --from only with --list" },
};
FIXTURE_VARIANT_ADD(run, list_nothing_selected) {
	.cmd = RUNNER " run --list --from " CAPTURE, .exit_status = 2,
	.has = { "nothing selected: name devices with --device BDF or --config FILE" },
};
/* It said "nothing was bound" and exited 0: a CI job took that for success. */
FIXTURE_VARIANT_ADD(run, run_nothing_selected) {
	.cmd = RUNNER " run --config tests/fixtures/lab/no-devices.conf", .exit_status = 2,
	.has = { "nothing selected: tests/fixtures/lab/no-devices.conf names no device" },
};
/* make check-hw without a lab config exited 0. */
FIXTURE_VARIANT_ADD(run, check_hw_without_a_lab_config) {
	.cmd = "env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -s check-hw "
	       "LAB_CONFIG=/nonexistent/lab.conf", .exit_status = 2,
	.has = { "check-hw: no /nonexistent/lab.conf: nothing selected, nothing touched" },
};

FIXTURE_SETUP(run)
{
	char cmd[1024];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), "%s 2>&1", variant->cmd);
	p = popen(cmd, "r");
	ASSERT_NE(NULL, p);
	n = fread(self->out, 1, sizeof(self->out) - 1, p);
	self->out[n] = '\0';
	self->status = pclose(p);
}
FIXTURE_TEARDOWN(run) {}

TEST_F(run, exit_status_and_output)
{
	ASSERT_TRUE(WIFEXITED(self->status));
	EXPECT_EQ(variant->exit_status, WEXITSTATUS(self->status)) TH_LOG("%s", self->out);
	for (int i = 0; i < 4 && variant->has[i]; i++) {
		EXPECT_NE(NULL, strstr(self->out, variant->has[i]))
			TH_LOG("missing '%s' in:\n%s", variant->has[i], self->out);
	}
	if (variant->lacks) {
		EXPECT_EQ(NULL, strstr(self->out, variant->lacks)) TH_LOG("%s", self->out);
	}
}

TEST_HARNESS_MAIN
