// SPDX-License-Identifier: GPL-2.0-only
/* drivers-allowlist: the shipped data parses, lookups pick the most
 * specific entry, and every kind of bad line names file:line. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "discover/allowlist.h"

#define FIX "tests/fixtures/allowlist/"

TEST(shipped_allowlist_parses_and_classifies)
{
	struct allowlist a = { 0 };
	const struct allow_entry *e;

	ASSERT_EQ(0, allowlist_load_dir(&a, "drivers-allowlist", stderr));
	e = allowlist_lookup(&a, "mlx5_core", 0x15b3, 0x1019);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(ALLOW_NEVER, e->cls);
	e = allowlist_lookup(&a, "i915", 0x8086, 0x191e);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(ALLOW_MAY, e->cls);
	EXPECT_NE(0, strlen(e->evidence));
	EXPECT_EQ(NULL, allowlist_lookup(&a, "no_such_driver", 1, 2));
	EXPECT_EQ(NULL, allowlist_lookup(&a, "", 0x8086, 0x191e));
	allowlist_free(&a);
}

TEST(most_specific_entry_wins)
{
	struct allowlist a = { 0 };

	ASSERT_EQ(0, allowlist_load_file(&a, FIX "good.list", stderr));
	ASSERT_EQ(3, a.n);
	EXPECT_EQ(ALLOW_MAY, allowlist_lookup(&a, "mlx5_core", 0x15b3, 0x1019)->cls);
	EXPECT_EQ(ALLOW_NEVER, allowlist_lookup(&a, "mlx5_core", 0x15b3, 0x1017)->cls);
	EXPECT_EQ(NULL, allowlist_lookup(&a, "mlx5_core", 0x8086, 0x1017));
	EXPECT_EQ(ALLOW_UNKNOWN, allowlist_lookup(&a, "nvme", 0x144d, 0xa808)->cls);
	EXPECT_EQ(2, allowlist_lookup(&a, "mlx5_core", 0x15b3, 0x1019)->line);
	allowlist_free(&a);
}

FIXTURE(bad) {
	char buf[512];
};
FIXTURE_VARIANT(bad) {
	const char *file;
	const char *message;
};
FIXTURE_VARIANT_ADD(bad, class) {
	.file = FIX "bad-class.list",
	.message = FIX "bad-class.list:4: expected CLASS 'never', 'may' or 'unknown', got 'sometimes'\n",
};
FIXTURE_VARIANT_ADD(bad, ids) {
	.file = FIX "bad-ids.list",
	.message = FIX "bad-ids.list:1: expected IDS as '*', 'VVVV:*' or 'VVVV:DDDD' (hex), got '80:*'\n",
};
FIXTURE_VARIANT_ADD(bad, evidence) {
	.file = FIX "no-evidence.list",
	.message = FIX "no-evidence.list:1: expected EVIDENCE (a URL or document reference) after 'may'\n",
};
FIXTURE_VARIANT_ADD(bad, short_line) {
	.file = FIX "short.list",
	.message = FIX "short.list:1: expected 'DRIVER IDS CLASS EVIDENCE'\n",
};
FIXTURE_VARIANT_ADD(bad, missing) {
	.file = FIX "absent.list",
	.message = FIX "absent.list: cannot read: No such file or directory\n",
};
FIXTURE_SETUP(bad) { memset(self->buf, 0, sizeof(self->buf)); }
FIXTURE_TEARDOWN(bad) {}

TEST_F(bad, line_is_named_and_load_fails)
{
	struct allowlist a = { 0 };
	FILE *err = fmemopen(self->buf, sizeof(self->buf), "w");

	ASSERT_NE(NULL, err);
	EXPECT_GT(0, allowlist_load_file(&a, variant->file, err));
	fclose(err);
	EXPECT_STREQ(variant->message, self->buf);
	allowlist_free(&a);
}

/*
 * IDS are four hex digits each, nothing else (tests/fuzz/allowlist_fuzz.c):
 * sscanf's %4x took a sign or "0x", so "+abc:*" named vendor 0abc and
 * "-001:*" (vendor -1) matched every vendor, silently.
 */
TEST(ids_are_four_hex_digits_and_nothing_else)
{
	static const char *const bad[] = {
		"+abc:*", "-001:*", "0x12:*", "15b3:+019", "15b3:-001", "15B3:0x19", "15b3:10190",
	};
	char path[64], line[128], want[256], buf[512];
	struct allowlist a = { 0 };

	snprintf(path, sizeof(path), "/tmp/snoop-allow-%d.list", getpid());
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *err = fmemopen(buf, sizeof(buf), "w");

		memset(buf, 0, sizeof(buf));
		snprintf(line, sizeof(line), "mlx5_core %s may ev\n", bad[i]);
		ASSERT_EQ(0, write_file_atomic(path, line, strlen(line)));
		ASSERT_NE(NULL, err);
		EXPECT_EQ(-EINVAL, allowlist_load_file(&a, path, err)) TH_LOG("%s", bad[i]);
		fclose(err);
		snprintf(want, sizeof(want),
			 "%s:1: expected IDS as '*', 'VVVV:*' or 'VVVV:DDDD' (hex), got '%s'\n", path, bad[i]);
		EXPECT_STREQ(want, buf);
		EXPECT_EQ(0, a.n);
		allowlist_free(&a);
	}
	/* Either case of hex is still fine. */
	snprintf(line, sizeof(line), "mlx5_core 15B3:101f may ev\n");
	ASSERT_EQ(0, write_file_atomic(path, line, strlen(line)));
	ASSERT_EQ(0, allowlist_load_file(&a, path, stderr));
	EXPECT_EQ(0x15b3, a.e[0].vendor);
	EXPECT_EQ(0x101f, a.e[0].device);
	allowlist_free(&a);
	unlink(path);
}

TEST_HARNESS_MAIN
