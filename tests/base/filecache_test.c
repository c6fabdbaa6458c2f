// SPDX-License-Identifier: GPL-2.0-only
/*
 * filecache: a record is found for the very file it was made of and for
 * nothing else (the file written again, another salt, a record torn or
 * edited), and a file changed too lately to tell apart is not kept.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/filecache.h"
#include "base/fsutil.h"
#include "sysfs/sysroot.h"

FIXTURE(cache) {
	char dir[PATH_MAX];
	char file[PATH_MAX];
	struct filecache fc;
};

FIXTURE_SETUP(cache)
{
	char tmpl[] = "/tmp/snoop-filecache-XXXXXX";

	ASSERT_NE(NULL, mkdtemp(tmpl));
	path_fmt(self->dir, sizeof(self->dir), "%s", tmpl);
	path_fmt(self->file, sizeof(self->file), "%s/doc.json", tmpl);
	ASSERT_EQ(0, setenv("SNOOPCHECK_CACHE_DIR", tmpl, 1));
	ASSERT_EQ(0, filecache_open(&self->fc, "summaries", "salt 1"));
	ASSERT_NE(NULL, self->fc.dir);
	ASSERT_EQ(0, write_file_atomic(self->file, "{}\n", 3));
}

FIXTURE_TEARDOWN(cache)
{
	filecache_close(&self->fc);
	remove_tree(self->dir);
}

/* The record file of st, as the cache names it. */
static void record_of(const struct filecache *fc, const struct stat *st, char *out, size_t n)
{
	char key[SHA256_HEX_LEN];

	filecache_key(fc, st, key);
	path_fmt(out, n, "%s/%.2s/%s", fc->dir, key, key);
}

TEST_F(cache, a_file_changed_lately_is_not_kept)
{
	struct stat st;
	size_t len;

	ASSERT_EQ(0, stat(self->file, &st));
	EXPECT_EQ(NULL, filecache_get(&self->fc, &st, &len));
	/* Written this second: a second write could leave the same times. */
	filecache_put(&self->fc, self->file, &st, "kept", 4);
	EXPECT_EQ(NULL, filecache_get(&self->fc, &st, &len));
}

TEST_F(cache, a_record_is_found_for_its_file_only)
{
	struct stat st, again;
	struct filecache other;
	char rec[PATH_MAX], *got, *raw;
	size_t len, n;

	/* Past the racy window: the file's times now name it alone. */
	usleep(2100 * 1000);
	ASSERT_EQ(0, stat(self->file, &st));
	filecache_put(&self->fc, self->file, &st, "kept\nsummary", 12);
	got = filecache_get(&self->fc, &st, &len);
	ASSERT_NE(NULL, got);
	EXPECT_EQ(12, len);
	EXPECT_STREQ("kept\nsummary", got);
	free(got);

	/* Another salt (another format, another schema) finds nothing. */
	ASSERT_EQ(0, filecache_open(&other, "summaries", "salt 2"));
	EXPECT_EQ(NULL, filecache_get(&other, &st, &len));
	filecache_close(&other);

	/* A record edited by hand fails its own check: a miss, not a wrong answer. */
	record_of(&self->fc, &st, rec, sizeof(rec));
	raw = read_file_nofollow(rec, &n);
	ASSERT_NE(NULL, raw);
	raw[n - 1] ^= 1;
	ASSERT_EQ(0, write_file_atomic(rec, raw, n));
	EXPECT_EQ(NULL, filecache_get(&self->fc, &st, &len));
	/* Torn: cut short. */
	ASSERT_EQ(0, write_file_atomic(rec, raw, n - 3));
	EXPECT_EQ(NULL, filecache_get(&self->fc, &st, &len));
	free(raw);

	/* The file written again, same size: its identity changed, the old record is not its own. */
	filecache_put(&self->fc, self->file, &st, "kept\nsummary", 12);
	ASSERT_NE(NULL, (got = filecache_get(&self->fc, &st, &len)));
	free(got);
	ASSERT_EQ(0, write_file_atomic(self->file, "[]\n", 3));
	ASSERT_EQ(0, stat(self->file, &again));
	EXPECT_EQ(NULL, filecache_get(&self->fc, &again, &len));
	/* And a put made with the old identity keeps nothing for the new file. */
	filecache_put(&self->fc, self->file, &st, "stale", 5);
	EXPECT_EQ(NULL, filecache_get(&self->fc, &again, &len));
}

TEST(a_record_states_its_length_and_sum)
{
	static const char key[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
	/* sha256("data") */
	static const char good[] = "snoopcheck-filecache 1\n"
		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
		"4 3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7\n"
		"data";
	const char *data;
	size_t len;
	char bad[sizeof(good)];

	ASSERT_TRUE(filecache_record_parse(good, strlen(good), key, &data, &len));
	EXPECT_EQ(4, len);
	EXPECT_EQ(0, memcmp(data, "data", 4));
	/* Any other key, any byte changed, any byte more or less: refused. */
	EXPECT_FALSE(filecache_record_parse(good, strlen(good), "f123", &data, &len));
	EXPECT_FALSE(filecache_record_parse(good, strlen(good) - 1, key, &data, &len));
	for (size_t i = 0; i < strlen(good); i++) {
		memcpy(bad, good, sizeof(good));
		bad[i] ^= 0x20;
		EXPECT_FALSE(filecache_record_parse(bad, strlen(good), key, &data, &len))
			TH_LOG("byte %zu changed, still taken", i);
	}
}

TEST_HARNESS_MAIN
