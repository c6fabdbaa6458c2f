// SPDX-License-Identifier: GPL-2.0-only
/* runner fio: the CLI, through the sanitized runner, on a small file. */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>
#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "base/subprocess.h"
#include "sysfs/sysroot.h"

#define RUNNER "build/t/runner"

/*
 * Run the runner with args (a shell word list), from directory dir (NULL:
 * here); stdout into out.
 */
static int runner_in(const char *dir, char *out, size_t len, const char *args)
{
	char cmd[1024];
	FILE *p;
	size_t n;
	int st;

	if (dir)
		snprintf(cmd, sizeof(cmd), "cd '%s' && %s/" RUNNER " %s 2>/dev/null", dir,
			 SNOOP_SRCDIR, args);
	else
		snprintf(cmd, sizeof(cmd), RUNNER " %s 2>/dev/null", args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, len - 1, p);
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int runner(char *out, size_t len, const char *args)
{
	return runner_in(NULL, out, len, args);
}

FIXTURE(cli) {
	char path[64];
	char out[65536];
};

FIXTURE_SETUP(cli)
{
	int fd;

	path_fmt(self->path, sizeof(self->path), "/tmp/snoop-cmdfio-%d.img", getpid());
	fd = open(self->path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 2 << 20));
	close(fd);
	if (system("command -v fio >/dev/null 2>&1"))
		SKIP(return, "fio is not installed (apt-get install fio)");
}

FIXTURE_TEARDOWN(cli)
{
	unlink(self->path);
}

TEST_F(cli, bad_input_exits_2)
{
	char args[256];

	EXPECT_EQ(2, runner(self->out, sizeof(self->out), "fio"));
	snprintf(args, sizeof(args), "fio check --filename %s --scratch-lba 0+8", self->path);
	EXPECT_EQ(2, runner(self->out, sizeof(self->out), args));
	snprintf(args, sizeof(args), "fio write --filename %s --scratch-lba 0:8", self->path);
	EXPECT_EQ(2, runner(self->out, sizeof(self->out), args));
	snprintf(args, sizeof(args), "fio write --filename %s --scratch-lba 0+8 --lba-size 1000", self->path);
	EXPECT_EQ(2, runner(self->out, sizeof(self->out), args));
	/* junk after the number was read as 512 and ignored */
	snprintf(args, sizeof(args), "fio write --filename %s --scratch-lba 0+8 --lba-size 512k", self->path);
	EXPECT_EQ(2, runner(self->out, sizeof(self->out), args));
	snprintf(args, sizeof(args), "fio write --filename %s --scratch-lba 0+8 --lba-size 0x100000200", self->path);
	EXPECT_EQ(2, runner(self->out, sizeof(self->out), args));
	EXPECT_EQ(2, runner(self->out, sizeof(self->out),
			    "fio verify --filename /tmp/snoop-nonexistent/x --scratch-lba 0+8"));
	EXPECT_NE(0, access("/tmp/snoop-nonexistent", F_OK));
}

TEST_F(cli, cycle_passes_then_corruption_fails_with_offsets)
{
	struct json_object *doc, *res, *bad, *b0, *v;
	char args[256];
	int fd;

	/* LBAs 128..1151 of 512 bytes: bytes 64 KiB .. 576 KiB. */
	snprintf(args, sizeof(args), "fio write --filename %s --scratch-lba 128+1024", self->path);
	ASSERT_EQ(0, runner(self->out, sizeof(self->out), args)) TH_LOG("%s", self->out);
	snprintf(args, sizeof(args), "fio verify --filename %s --scratch-lba 128+1024", self->path);
	ASSERT_EQ(0, runner(self->out, sizeof(self->out), args)) TH_LOG("%s", self->out);

	fd = open(self->path, O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(4, pwrite(fd, "oops", 4, 65536 + 3 * 4096 + 7));
	close(fd);
	EXPECT_EQ(1, runner(self->out, sizeof(self->out), args));
	doc = json_tokener_parse(self->out);
	ASSERT_NE(NULL, doc) TH_LOG("not JSON: %s", self->out);
	ASSERT_TRUE(json_object_object_get_ex(doc, "result", &res));
	ASSERT_TRUE(json_object_object_get_ex(res, "bad_blocks", &bad));
	ASSERT_EQ(1, json_object_array_length(bad));
	b0 = json_object_array_get_idx(bad, 0);
	ASSERT_TRUE(json_object_object_get_ex(b0, "offset", &v));
	EXPECT_EQ(65536 + 3 * 4096, json_object_get_int64(v));
	ASSERT_TRUE(json_object_object_get_ex(res, "ok", &v));
	EXPECT_FALSE(json_object_get_boolean(v));
	json_object_put(doc);
}

TEST_F(cli, measure_reports_both_directions)
{
	struct json_object *doc, *m, *dir, *v;
	char args[256];

	snprintf(args, sizeof(args), "fio measure --filename %s --scratch-lba 0+256", self->path);
	ASSERT_EQ(0, runner(self->out, sizeof(self->out), args)) TH_LOG("%s", self->out);
	doc = json_tokener_parse(self->out);
	ASSERT_NE(NULL, doc);
	ASSERT_TRUE(json_object_object_get_ex(doc, "measurement", &m));
	ASSERT_TRUE(json_object_object_get_ex(m, "read", &dir));
	ASSERT_TRUE(json_object_object_get_ex(dir, "io_bytes", &v));
	EXPECT_EQ(131072, json_object_get_int64(v));
	ASSERT_TRUE(json_object_object_get_ex(m, "write", &dir));
	ASSERT_TRUE(json_object_object_get_ex(dir, "bw_bytes", &v));
	EXPECT_LT(0, json_object_get_int64(v));
	json_object_put(doc);
}

/* fio is named by absolute path, and only a file nobody else can write. */
TEST_F(cli, fio_option_takes_only_a_trusted_absolute_path)
{
	char args[512], copy[64], *err;
	int st;

	snprintf(args, sizeof(args), "fio write --filename %s --scratch-lba 0+8 --fio fio", self->path);
	EXPECT_EQ(2, runner(self->out, sizeof(self->out), args));
	snprintf(args, sizeof(args), "fio write --filename %s --scratch-lba 0+8 --fio /nonexistent/fio",
		 self->path);
	EXPECT_EQ(2, runner(self->out, sizeof(self->out), args));
	path_fmt(copy, sizeof(copy), "/tmp/snoop-cmdfio-bin-%d", getpid());
	ASSERT_EQ(0, symlink("/usr/bin/fio", copy));
	snprintf(args, sizeof(args), RUNNER " fio write --filename %s --scratch-lba 0+8 --fio %s 2>&1 >/dev/null",
		 self->path, copy);
	err = run_capture(args, &st);
	unlink(copy);
	ASSERT_NE(NULL, err);
	EXPECT_EQ(2, WEXITSTATUS(st));
	EXPECT_NE(NULL, strstr(err, "runner fio: --fio: ")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(err, "is a symbolic link")) TH_LOG("%s", err);
	free(err);
	snprintf(args, sizeof(args), "fio write --filename %s --scratch-lba 0+8 --fio /usr/bin/fio",
		 self->path);
	EXPECT_EQ(0, runner(self->out, sizeof(self->out), args)) TH_LOG("%s", self->out);
}

/*
 * A by-path name has colons, where fio splits --filename: runner fio
 * wrote to other files (created next to it) and still exited 0.
 */
TEST_F(cli, by_path_name_with_colons_is_one_file)
{
	char dir[64], path[128], args[512];
	struct dirent *de;
	int fd, n = 0;
	DIR *d;

	path_fmt(dir, sizeof(dir), "/tmp/snoop-cmdfio-colon-%d", getpid());
	path_fmt(path, sizeof(path), "%s/pci-0000:00:04.0-nvme-1", dir);
	ASSERT_EQ(0, mkdir(dir, 0700));
	fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 1 << 20));
	close(fd);
	/* from inside dir, so a split name's relative parts would land there too */
	snprintf(args, sizeof(args), "fio write --filename '%s' --scratch-lba 0+256", path);
	EXPECT_EQ(0, runner_in(dir, self->out, sizeof(self->out), args)) TH_LOG("%s", self->out);
	snprintf(args, sizeof(args), "fio verify --filename '%s' --scratch-lba 0+256", path);
	EXPECT_EQ(0, runner_in(dir, self->out, sizeof(self->out), args)) TH_LOG("%s", self->out);
	d = opendir(dir);
	EXPECT_NE(NULL, d);
	while (d && (de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			n++;
			EXPECT_STREQ("pci-0000:00:04.0-nvme-1", de->d_name);
		}
	if (d)
		closedir(d);
	EXPECT_EQ(1, n);
	remove_tree(dir);
}

TEST_HARNESS_MAIN
