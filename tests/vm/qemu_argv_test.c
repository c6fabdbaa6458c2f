// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest's QEMU command line (lib/vm/vm.c), read by a stand-in
 * qemu-system-x86_64 first on PATH that writes down its arguments and
 * exits: no guest is booted.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "vm/vm.h"

FIXTURE(argv) {
	char dir[64];
	char *args;		/* one argument a line */
};

FIXTURE_SETUP(argv)
{
	static const char fake[] = "#!/bin/sh\nprintf '%s\\n' \"$@\" >\"$SNOOP_QEMU_ARGS\"\n";
	char path[PATH_MAX], out[PATH_MAX], cwd[PATH_MAX], *argv_guest[] = { "true", NULL };
	struct vm_platform p;
	struct vm_run r = { .kernel = "/nonexistent/bzImage", .timeout_s = 30 };
	FILE *quiet = fopen("/dev/null", "w");

	ASSERT_NE(NULL, quiet);
	snprintf(self->dir, sizeof(self->dir), "/tmp/snoop-qemuargv-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(path, sizeof(path), "%s/qemu-system-x86_64", self->dir);
	ASSERT_EQ(0, write_file_atomic(path, fake, strlen(fake)));
	ASSERT_EQ(0, chmod(path, 0755));
	snprintf(out, sizeof(out), "%s/out", self->dir);
	ASSERT_EQ(0, mkdir(out, 0700));
	snprintf(path, sizeof(path), "%s:%s", self->dir, getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	ASSERT_EQ(0, setenv("PATH", path, 1));
	snprintf(path, sizeof(path), "%s/args", self->dir);
	ASSERT_EQ(0, setenv("SNOOP_QEMU_ARGS", path, 1));

	ASSERT_NE(NULL, getcwd(cwd, sizeof(cwd)));
	ASSERT_EQ(0, vm_platform_load(&p, "vm/platforms", "vtd-sc", stderr));
	r.outdir = out;
	r.srcdir = cwd;
	/* it ran (and left no status, which is said on quiet) */
	ASSERT_EQ(0, vm_run(&p, argv_guest, &r, quiet));
	vm_run_free(&r);
	fclose(quiet);
	self->args = read_file(path, NULL);
	ASSERT_NE(NULL, self->args);
}

FIXTURE_TEARDOWN(argv)
{
	char cmd[128];

	free(self->args);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("cleanup of %s failed", self->dir);
}

/* The argument after flag, up to its newline, or NULL. */
static char *after(char *args, const char *flag)
{
	char key[64], *p;

	snprintf(key, sizeof(key), "\n%s\n", flag);
	p = strstr(args, key);
	if (!p)
		return NULL;
	p += strlen(key);
	p[strcspn(p, "\n")] = '\0';
	return p;
}

/* A TCG vCPU on a loaded host misses the boot-time timer check, and the
 * kernel panics with interrupt remapping on; the lab skips the check. */
TEST_F(argv, guest_kernel_skips_the_boot_timer_check)
{
	char *append = after(self->args, "-append");

	ASSERT_NE(NULL, append) TH_LOG("no -append in:\n%s", self->args);
	EXPECT_NE(NULL, strstr(append, " no_timer_check ")) TH_LOG("%s", append);
	/* and the platform's own words still come last */
	EXPECT_NE(NULL, strstr(append, "panic=-1 ")) TH_LOG("%s", append);
	EXPECT_EQ(0, strcmp(append + strlen(append) - strlen("intel_iommu=on"), "intel_iommu=on"))
		TH_LOG("%s", append);
}

TEST_HARNESS_MAIN
