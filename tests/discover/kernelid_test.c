// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel build's identity (discover/kernelid.h, elfnote.h, kconfig.h):
 * a real capture's notes and config.gz read through the replay seam, the
 * /boot/config-RELEASE fallback, and what each parser does with broken
 * input: unknown, said, never a guess.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "discover/elfnote.h"
#include "discover/kconfig.h"
#include "discover/kernelid.h"
#include "discover/platform.h"
#include "sysfs/sysroot.h"

#define DEVBOX "tests/fixtures/platforms/devbox-noiommu"

static char *slurp(const char *path, size_t *len)
{
	return read_file(path, len);
}

TEST(a_real_capture_gives_build_id_config_and_arch)
{
	struct platform p;
	const struct kernel_identity *id = &p.kernel.id;

	ASSERT_EQ(0, platform_discover(&p, DEVBOX, NULL));
	/* the note xxd shows at byte 16 of sys/kernel/notes, after "GNU\0" */
	EXPECT_STREQ("101ab6e3d5f53bc0865c1d94a477176448a261a6", id->build_id);
	EXPECT_STREQ("x86_64", id->arch);
	EXPECT_STREQ("/proc/config.gz", id->config_source);
	EXPECT_STREQ("y", kernelid_option(id, "CONFIG_KVM"));
	EXPECT_STREQ("n", kernelid_option(id, "CONFIG_IOMMUFD"));	/* "# ... is not set" */
	EXPECT_STREQ("n", kernelid_option(id, "CONFIG_VFIO_DEVICE_CDEV"));	/* no line: VFIO is off */
	EXPECT_STREQ("", id->git_commit);	/* 6.18.44-fc-v1098 carries none */
	platform_free(&p);
}

TEST(a_capture_without_them_leaves_every_fact_unknown)
{
	struct platform p;
	const struct kernel_identity *id = &p.kernel.id;

	ASSERT_EQ(0, platform_discover(&p, "tests/fixtures/platforms/intel-x99-xeon-e5v3", NULL));
	EXPECT_STREQ("", id->build_id);
	EXPECT_STREQ("", id->arch);
	EXPECT_STREQ("", id->config_source);
	for (size_t i = 0; i < KERNELID_N_OPTIONS; i++) {
		EXPECT_STREQ("", id->options[i]) TH_LOG("%s", kernelid_option_name(i));
	}
	platform_free(&p);
}

TEST(notes_without_a_build_id_or_cut_short)
{
	char hex[2 * ELFNOTE_BUILD_ID_MAX + 1], why[128];
	size_t len;
	char *notes = slurp(DEVBOX "/sys/kernel/notes", &len);

	ASSERT_NE(NULL, notes);
	ASSERT_EQ(164, len);
	ASSERT_EQ(0, elfnote_build_id(notes, len, hex, sizeof(hex), why, sizeof(why)));
	/* the first note is the build-id: from the second on there is none */
	EXPECT_EQ(-ENOENT, elfnote_build_id(notes + 36, len - 36, hex, sizeof(hex), why,
					    sizeof(why)));
	/* its descriptor cut in half */
	EXPECT_EQ(-EINVAL, elfnote_build_id(notes, 26, hex, sizeof(hex), why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "byte 0")) TH_LOG("%s", why);
	EXPECT_EQ(-EINVAL, elfnote_build_id(notes, 6, hex, sizeof(hex), why, sizeof(why)));
	free(notes);
}

TEST(config_gz_broken_or_cut_short_is_said)
{
	char *text, why[128];
	size_t len, tlen;
	char *gz = slurp(DEVBOX "/proc/config.gz", &len);

	ASSERT_NE(NULL, gz);
	ASSERT_EQ(0, kconfig_gunzip(gz, len, &text, &tlen, why, sizeof(why)));
	EXPECT_LT(100000, tlen);
	EXPECT_EQ(0, text[tlen]);
	free(text);
	EXPECT_EQ(-EINVAL, kconfig_gunzip(gz, len / 2, &text, &tlen, why, sizeof(why)));
	EXPECT_STREQ("gzip stream cut short", why);
	EXPECT_EQ(-EINVAL, kconfig_gunzip("CONFIG_KVM=y\n", 13, &text, &tlen, why, sizeof(why)));
	free(gz);
}

TEST(config_lines_are_read_as_kconfig_writes_them)
{
	static const char cfg[] = "#\n# comment\nCONFIG_KVM=m\n# CONFIG_IOMMUFD is not set\n"
				  "CONFIG_KVMX=y\nCONFIG_LOCALVERSION=\"-lab\"\nCONFIG_NR_CPUS=64";
	char val[16];

	EXPECT_EQ(0, kconfig_lookup(cfg, strlen(cfg), "CONFIG_KVM", val, sizeof(val)));
	EXPECT_STREQ("m", val);
	EXPECT_EQ(0, kconfig_lookup(cfg, strlen(cfg), "CONFIG_IOMMUFD", val, sizeof(val)));
	EXPECT_STREQ("n", val);
	EXPECT_EQ(0, kconfig_lookup(cfg, strlen(cfg), "CONFIG_LOCALVERSION", val, sizeof(val)));
	EXPECT_STREQ("\"-lab\"", val);
	EXPECT_EQ(0, kconfig_lookup(cfg, strlen(cfg), "CONFIG_NR_CPUS", val, sizeof(val)));
	EXPECT_STREQ("64", val);	/* the last line, without its newline */
	EXPECT_EQ(-ENOENT, kconfig_lookup(cfg, strlen(cfg), "CONFIG_KV", val, sizeof(val)));
	EXPECT_EQ(-ENAMETOOLONG, kconfig_lookup(cfg, strlen(cfg), "CONFIG_LOCALVERSION", val, 4));
}

TEST(boot_config_is_the_fallback_and_a_bad_config_gz_is_said)
{
	char dir[] = "/tmp/kernelid-XXXXXX", path[PATH_MAX];
	static const char cfg[] = "CONFIG_IOMMUFD=y\nCONFIG_VFIO_DEVICE_CDEV=y\n"
				  "# CONFIG_VFIO_CONTAINER is not set\n";
	struct kernel_identity id;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/boot/config-6.12.0-rc1-00012-gabcdef123456", dir);
	ASSERT_EQ(0, mkdir_parents(path));
	ASSERT_EQ(0, write_file_atomic(path, cfg, strlen(cfg)));
	snprintf(path, sizeof(path), "%s/proc/config.gz", dir);
	ASSERT_EQ(0, mkdir_parents(path));
	ASSERT_EQ(0, write_file_atomic(path, "not gzip", 8));
	sysroot_replay_from(dir);
	kernelid_read(&id, "6.12.0-rc1-00012-gabcdef123456");
	sysroot_replay_from(NULL);
	EXPECT_STREQ("/boot/config-6.12.0-rc1-00012-gabcdef123456", id.config_source);
	EXPECT_STREQ("y", kernelid_option(&id, "CONFIG_IOMMUFD"));
	EXPECT_STREQ("n", kernelid_option(&id, "CONFIG_VFIO_CONTAINER"));
	EXPECT_STREQ("n", kernelid_option(&id, "CONFIG_KVM"));
	EXPECT_STREQ("abcdef123456", id.git_commit);
	EXPECT_STREQ("", id.build_id);
	EXPECT_STREQ("", id.arch);
	remove_tree(dir);
}

/*
 * Why an interface is missing, from recorded platforms: a kernel older
 * than the option, one whose config says it is off, one that says nothing.
 * One platform a test: the answer is read once a process.
 */
static void why_missing(const char *platform, char *why, size_t len)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "tests/fixtures/platforms/%s", platform);
	sysroot_replay_from(dir);
	kernelid_why_missing("CONFIG_IOMMUFD", "6.2", why, len);
	sysroot_replay_from(NULL);
}

TEST(missing_on_a_kernel_older_than_the_option)
{
	char why[256];

	why_missing("intel-h310-coffeelake-dgpu", why, sizeof(why));
	EXPECT_STREQ("kernel 6.1.0-20-amd64 predates CONFIG_IOMMUFD, new in 6.2", why);
}

TEST(missing_because_the_config_leaves_it_out)
{
	char why[256];

	why_missing("devbox-noiommu", why, sizeof(why));
	EXPECT_STREQ("kernel 6.18.44-fc-v1098 is built without CONFIG_IOMMUFD (/proc/config.gz)", why);
}

TEST(missing_with_no_config_to_say_why)
{
	char why[256];

	why_missing("intel-x99-xeon-e5v3", why, sizeof(why));
	EXPECT_STREQ("kernel 6.4.7-1-cachyos-lto: CONFIG_IOMMUFD unknown "
		     "(no /proc/config.gz or /boot/config-6.4.7-1-cachyos-lto)", why);
}

TEST(git_commit_only_from_a_describe_suffix)
{
	char c[41];

	EXPECT_EQ(0, kernelid_git_commit("6.12.0-rc1-00012-gabcdef123456-dirty", c, sizeof(c)));
	EXPECT_STREQ("abcdef123456", c);
	EXPECT_EQ(0, kernelid_git_commit("6.13.0-g0123456789abcdef0123456789abcdef01234567+", c,
					 sizeof(c)));
	EXPECT_STREQ("0123456789abcdef0123456789abcdef01234567", c);
	EXPECT_EQ(-ENOENT, kernelid_git_commit("6.1.0-18-amd64", c, sizeof(c)));
	EXPECT_EQ(-ENOENT, kernelid_git_commit("6.4.7-1-cachyos-lto", c, sizeof(c)));
	EXPECT_EQ(-ENOENT, kernelid_git_commit("5.15.0-gcc12", c, sizeof(c)));
	EXPECT_EQ(-ENOENT, kernelid_git_commit("6.12.0-gabcdef1234567x", c, sizeof(c)));
	EXPECT_EQ(-ENOENT, kernelid_git_commit("6.12.0-gabcdef", c, sizeof(c)));	/* 6 digits */
}

TEST_HARNESS_MAIN
