// SPDX-License-Identifier: GPL-2.0-only
/* kvconf: the small key = value data files, good and bad input. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "base/kvconf.h"
#include "sysfs/sysroot.h"

FIXTURE(file) {
	char path[PATH_MAX];
	char errbuf[1024];
	FILE *err;
};

FIXTURE_SETUP(file)
{
	path_fmt(self->path, sizeof(self->path), "/tmp/snoop-kv-%d.conf", getpid());
	self->err = fmemopen(self->errbuf, sizeof(self->errbuf), "w");
	ASSERT_NE(NULL, self->err);
}

FIXTURE_TEARDOWN(file)
{
	fclose(self->err);
	unlink(self->path);
}

static void put(struct __test_metadata *_metadata, const char *path, const char *s)
{
	ASSERT_EQ(0, write_file_atomic(path, s, strlen(s)));
}

TEST_F(file, keys_values_comments_and_repeats)
{
	struct kvconf c;

	put(_metadata, self->path,
	    "# a platform\n\n  machine = q35,kernel-irqchip=split  \n"
	    "device = a # trailing comment\ndevice = b#not-a-comment\n");
	ASSERT_EQ(0, kvconf_load(&c, self->path, self->err));
	ASSERT_EQ(3, c.n);
	EXPECT_STREQ("q35,kernel-irqchip=split", kvconf_get(&c, "machine"));
	EXPECT_STREQ("a", c.v[1].value);
	EXPECT_STREQ("b#not-a-comment", c.v[2].value);
	EXPECT_EQ(5, c.v[2].line);
	EXPECT_EQ(NULL, kvconf_get(&c, "absent"));
	kvconf_free(&c);
}

/*
 * '#' after a blank starts a comment wherever it is, not only when it is
 * the line's first '#' (tests/fuzz/kvconf_fuzz.c: " # a comment" after
 * "label = rack#3" became part of the label).
 */
TEST_F(file, comment_after_a_hash_in_the_value)
{
	struct kvconf c;

	put(_metadata, self->path,
	    "label = rack#3 # top shelf\nmachine = q35#a#b\tc #x # y\nkey=#start\n");
	ASSERT_EQ(0, kvconf_load(&c, self->path, self->err));
	ASSERT_EQ(3, c.n);
	EXPECT_STREQ("rack#3", c.v[0].value);
	EXPECT_STREQ("q35#a#b\tc", c.v[1].value);
	EXPECT_STREQ("#start", c.v[2].value);
	kvconf_free(&c);
}

TEST_F(file, missing_equals_names_file_and_line)
{
	struct kvconf c;
	char want[PATH_MAX + 64];

	put(_metadata, self->path, "a = 1\n\njust words\n");
	EXPECT_EQ(-EINVAL, kvconf_load(&c, self->path, self->err));
	fflush(self->err);
	path_fmt(want, sizeof(want), "%s:3: expected 'key = value', got 'just words'\n", self->path);
	EXPECT_STREQ(want, self->errbuf);
}

TEST_F(file, unknown_key_is_rejected_with_the_list)
{
	static const char *const allowed[] = { "machine", "device", NULL };
	struct kvconf c;
	char want[PATH_MAX + 128];

	put(_metadata, self->path, "machine = q35\nmachnie = pc\n");
	ASSERT_EQ(0, kvconf_load(&c, self->path, self->err));
	EXPECT_EQ(-EINVAL, kvconf_check_keys(&c, allowed, self->err));
	fflush(self->err);
	path_fmt(want, sizeof(want),
		 "%s:2: unknown key 'machnie' (expected one of: machine device)\n", self->path);
	EXPECT_STREQ(want, self->errbuf);
	kvconf_free(&c);
}

TEST_F(file, missing_file_and_bad_key)
{
	struct kvconf c;

	EXPECT_EQ(-ENOENT, kvconf_load(&c, "/nonexistent/x.conf", self->err));
	put(_metadata, self->path, " = value\n");
	EXPECT_EQ(-EINVAL, kvconf_load(&c, self->path, self->err));
}

/* stdio opens a directory and then reads EIO from it, which says nothing. */
TEST_F(file, directory_and_device_say_what_they_are)
{
	struct kvconf c;
	char want[128];

	EXPECT_EQ(-EISDIR, kvconf_load(&c, "/tmp", self->err));
	EXPECT_EQ(-ENOTSUP, kvconf_load(&c, "/dev/zero", self->err));	/* would never end */
	fflush(self->err);
	snprintf(want, sizeof(want), "/tmp: cannot read: Is a directory\n"
		 "/dev/zero: cannot read: not a regular file\n");
	EXPECT_STREQ(want, self->errbuf);
}

/* `--config <(...)`: a pipe is read like a file. */
TEST_F(file, pipe_is_read)
{
	static const char text[] = "machine = q35\n";
	struct kvconf c;
	char path[64];
	int p[2];

	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ((ssize_t)strlen(text), write(p[1], text, strlen(text)));
	close(p[1]);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", p[0]);
	ASSERT_EQ(0, kvconf_load(&c, path, self->err));
	close(p[0]);
	EXPECT_STREQ("q35", kvconf_get(&c, "machine"));
	kvconf_free(&c);
}

TEST_HARNESS_MAIN
