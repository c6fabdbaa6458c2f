// SPDX-License-Identifier: GPL-2.0-only
/*
 * The runner's exit codes and messages on bad input: every case must exit
 * 2 and say where (file and line, or the argument) and what was expected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <kselftest_harness.h>

#define RUNNER "build/t/runner"

FIXTURE(cli) {
	char out[8192];
	int status;
};

FIXTURE_VARIANT(cli) {
	const char *args;
	int exit_status;
	const char *stderr_has;
};

FIXTURE_VARIANT_ADD(cli, no_command) {
	.args = "", .exit_status = 2, .stderr_has = "usage: runner COMMAND",
};
FIXTURE_VARIANT_ADD(cli, unknown_command) {
	.args = "frobnicate", .exit_status = 2, .stderr_has = "unknown command 'frobnicate'",
};
FIXTURE_VARIANT_ADD(cli, help) {
	.args = "--help", .exit_status = 0, .stderr_has = "",
};
FIXTURE_VARIANT_ADD(cli, list_from_missing_dir) {
	.args = "list --from /nonexistent/capture", .exit_status = 2,
	.stderr_has = "/nonexistent/capture: not a capture directory",
};
FIXTURE_VARIANT_ADD(cli, list_from_dir_without_dump) {
	.args = "list --from tests/fixtures/bad/nodump", .exit_status = 2,
	.stderr_has = "tests/fixtures/bad/nodump/lspci-xxxx.txt: cannot read",
};
FIXTURE_VARIANT_ADD(cli, list_from_garbage_dump) {
	.args = "list --from tests/fixtures/bad/garbage", .exit_status = 2,
	.stderr_has = "tests/fixtures/bad/garbage/lspci-xxxx.txt:1: expected a device line",
};
FIXTURE_VARIANT_ADD(cli, list_from_truncated_dump) {
	.args = "list --from tests/fixtures/bad/truncated", .exit_status = 2,
	.stderr_has = "tests/fixtures/bad/truncated/lspci-xxxx.txt:28: unterminated last line",
};
FIXTURE_VARIANT_ADD(cli, list_with_bad_allowlist) {
	.args = "list --from tests/fixtures/platforms/intel-h310-coffeelake-dgpu --allowlist tests/fixtures/allowlist",
	.exit_status = 2,
	.stderr_has = "tests/fixtures/allowlist/bad-class.list:4: expected CLASS",
};
FIXTURE_VARIANT_ADD(cli, list_unexpected_argument) {
	.args = "list extra", .exit_status = 2, .stderr_has = "unexpected argument 'extra'",
};
FIXTURE_VARIANT_ADD(cli, capture_without_dir) {
	.args = "capture", .exit_status = 2, .stderr_has = "usage: runner capture DIR",
};
FIXTURE_VARIANT_ADD(cli, capture_into_a_file) {
	.args = "capture /dev/null/x", .exit_status = 2, .stderr_has = "/dev/null/x: cannot create",
};
FIXTURE_VARIANT_ADD(cli, vm_unknown_platform) {
	.args = "vm no-such-platform -- true", .exit_status = 2,
	.stderr_has = "vm/platforms/no-such-platform.conf: cannot read",
};
FIXTURE_VARIANT_ADD(cli, vm_without_separator) {
	.args = "vm vtd-sc true", .exit_status = 2, .stderr_has = "usage: runner vm",
};
/* runner run parses the lab config once, whichever way it is named. */
FIXTURE_VARIANT_ADD(cli, run_bad_config) {
	.args = "run --config tests/fixtures/bad/lab-lba-without-nsid.conf", .exit_status = 2,
	.stderr_has = "tests/fixtures/bad/lab-lba-without-nsid.conf:2: expected scratch_nsid",
};
FIXTURE_VARIANT_ADD(cli, run_bad_config_equals) {
	.args = "run --config=tests/fixtures/bad/lab-lba-without-nsid.conf", .exit_status = 2,
	.stderr_has = "tests/fixtures/bad/lab-lba-without-nsid.conf:2: expected scratch_nsid",
};
FIXTURE_VARIANT_ADD(cli, run_bad_config_short) {
	.args = "run -c tests/fixtures/bad/lab-lba-without-nsid.conf", .exit_status = 2,
	.stderr_has = "tests/fixtures/bad/lab-lba-without-nsid.conf:2: expected scratch_nsid",
};
/* A config that cannot be read is bad input, like one that does not parse. */
FIXTURE_VARIANT_ADD(cli, bind_missing_config) {
	.args = "bind --config /nonexistent/lab.conf", .exit_status = 2,
	.stderr_has = "/nonexistent/lab.conf: cannot read: No such file or directory",
};
FIXTURE_VARIANT_ADD(cli, run_missing_config) {
	.args = "run --config /nonexistent/lab.conf", .exit_status = 2,
	.stderr_has = "/nonexistent/lab.conf: cannot read: No such file or directory",
};
FIXTURE_VARIANT_ADD(cli, bind_config_is_a_directory) {
	.args = "bind --config tests/fixtures/bad/empty-dir", .exit_status = 2,
	.stderr_has = "tests/fixtures/bad/empty-dir: cannot read: Is a directory",
};
FIXTURE_VARIANT_ADD(cli, run_config_is_a_directory) {
	.args = "run --config tests/fixtures/bad/empty-dir", .exit_status = 2,
	.stderr_has = "tests/fixtures/bad/empty-dir: cannot read: Is a directory",
};
FIXTURE_VARIANT_ADD(cli, run_config_is_a_device) {
	.args = "run --config /dev/zero", .exit_status = 2,
	.stderr_has = "/dev/zero: cannot read: not a regular file",
};
/* atoi() took "abc" for 0 (the default) and "10x" for 10. */
FIXTURE_VARIANT_ADD(cli, fio_junk_timeout) {
	.args = "fio write --filename /nonexistent/x --scratch-lba 0+8 --timeout abc",
	.exit_status = 2,
	.stderr_has = "runner fio: --timeout: expected seconds 1..604800 (decimal or 0x hex), got 'abc'",
};
FIXTURE_VARIANT_ADD(cli, fio_timeout_with_junk_after) {
	.args = "fio write --filename /nonexistent/x --scratch-lba 0+8 --timeout 10x",
	.exit_status = 2,
	.stderr_has = "runner fio: --timeout: expected seconds 1..604800 (decimal or 0x hex), got '10x'",
};
FIXTURE_VARIANT_ADD(cli, vm_junk_timeout) {
	.args = "vm --timeout 12x no-such-platform -- true", .exit_status = 2,
	.stderr_has = "runner vm: --timeout: expected seconds 1..604800 (decimal or 0x hex), got '12x'",
};
/*
 * Paths of 5000 bytes (the shell makes them: "/000...0"): path_fmt()
 * aborted on them (exit 134) once they reached a path buffer.
 */
#define LONG_PATH "/$(printf %05000d 0)"
FIXTURE_VARIANT_ADD(cli, run_long_out) {
	.args = "run --out " LONG_PATH, .exit_status = 2,
	.stderr_has = "--out: expected a path shorter than 3584 bytes, got one of 5001",
};
FIXTURE_VARIANT_ADD(cli, run_long_run_dir) {
	.args = "run --run-dir " LONG_PATH, .exit_status = 2,
	.stderr_has = "--run-dir: expected a path shorter than 3584 bytes, got one of 5001",
};
FIXTURE_VARIANT_ADD(cli, bind_long_run_dir) {
	.args = "bind --dry-run --from tests/fixtures/inuse/guest-vtd-sc --device 00:06.0 --run-dir "
		LONG_PATH, .exit_status = 2,
	.stderr_has = "--run-dir: expected a path shorter than 3584 bytes, got one of 5001",
};
FIXTURE_VARIANT_ADD(cli, bind_long_config) {
	.args = "bind --config " LONG_PATH, .exit_status = 2,
	.stderr_has = "--config: expected a path shorter than 3584 bytes, got one of 5001",
};
FIXTURE_VARIANT_ADD(cli, bind_long_capture) {
	.args = "bind --dry-run --device ffff:ff:1f.7 --capture " LONG_PATH, .exit_status = 2,
	.stderr_has = "--capture: expected a path shorter than 3584 bytes, got one of 5001",
};
FIXTURE_VARIANT_ADD(cli, bind_long_from) {
	.args = "bind --dry-run --device 00:06.0 --from " LONG_PATH, .exit_status = 2,
	.stderr_has = "--from: expected a path shorter than 3584 bytes, got one of 5001",
};
FIXTURE_VARIANT_ADD(cli, restore_long_run_dir) {
	.args = "restore --run-dir " LONG_PATH, .exit_status = 2,
	.stderr_has = "--run-dir: expected a path shorter than 3584 bytes, got one of 5001",
};
FIXTURE_VARIANT_ADD(cli, capture_long_dir) {
	.args = "capture " LONG_PATH, .exit_status = 2,
	.stderr_has = "runner capture: expected a path shorter than 3584 bytes, got one of 5001",
};
FIXTURE_VARIANT_ADD(cli, list_long_from) {
	.args = "list --from " LONG_PATH, .exit_status = 2,
	.stderr_has = "--from: expected a path shorter than 3584 bytes, got one of 5001",
};
FIXTURE_VARIANT_ADD(cli, list_long_allowlist) {
	.args = "list --from tests/fixtures/platforms/intel-h310-coffeelake-dgpu --allowlist " LONG_PATH,
	.exit_status = 2,
	.stderr_has = "--allowlist: expected a path shorter than 3584 bytes, got one of 5001",
};
FIXTURE_VARIANT_ADD(cli, vm_long_out) {
	.args = "vm --out " LONG_PATH " no-such-platform -- true", .exit_status = 2,
	.stderr_has = "--out: expected a path shorter than 3584 bytes, got one of 5001",
};
FIXTURE_VARIANT_ADD(cli, vm_long_kernel) {
	.args = "vm --kernel " LONG_PATH " no-such-platform -- true", .exit_status = 2,
	.stderr_has = "--kernel: expected a path shorter than 3584 bytes, got one of 5001",
};
FIXTURE_VARIANT_ADD(cli, vm_long_platform) {
	.args = "vm " LONG_PATH " -- true", .exit_status = 2,
	.stderr_has = "runner vm: platform: expected a path shorter than 3584 bytes, got one of 5001",
};
FIXTURE_VARIANT_ADD(cli, run_missing_device) {
	.args = "run --device ffff:ff:1f.7", .exit_status = 2,
	.stderr_has = "--device ffff:ff:1f.7: no such PCI device on this machine",
};
FIXTURE_VARIANT_ADD(cli, run_unexpected_argument) {
	.args = "run extra", .exit_status = 2, .stderr_has = "unexpected argument 'extra'",
};

FIXTURE_SETUP(cli)
{
	char cmd[1024];
	FILE *p;
	size_t n;

	snprintf(cmd, sizeof(cmd), RUNNER " %s 2>&1 >/dev/null", variant->args);
	p = popen(cmd, "r");
	ASSERT_NE(NULL, p);
	n = fread(self->out, 1, sizeof(self->out) - 1, p);
	self->out[n] = '\0';
	self->status = pclose(p);
}

FIXTURE_TEARDOWN(cli) {}

TEST_F(cli, exit_status_and_message)
{
	ASSERT_TRUE(WIFEXITED(self->status));
	EXPECT_EQ(variant->exit_status, WEXITSTATUS(self->status)) TH_LOG("stderr: %s", self->out);
	EXPECT_NE(NULL, strstr(self->out, variant->stderr_has)) TH_LOG("stderr: %s", self->out);
}

TEST_HARNESS_MAIN
