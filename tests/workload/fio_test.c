// SPDX-License-Identifier: GPL-2.0-only
/*
 * fio: recorded reports (tests/fixtures/fio) through the same parser and
 * verdict the live run uses, then fio itself on a small file: a clean
 * write/verify cycle passes and a file corrupted behind fio's back fails
 * with the offsets of the blocks that were hit.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "workload/fio.h"
#include "base/fsutil.h"
#include "sysfs/sysroot.h"

#define FIX "tests/fixtures/fio/"

/* The recorded job: 256 KiB at 64 KiB of a 1 MiB file. */
static const struct fio_job recorded = {
	.filename = "/tmp/snoop-fio/scratch.img",
	.offset = 65536,
	.length = 262144,
};

static int parse(struct __test_metadata *_metadata, const char *json,
		 const char *err_file, struct fio_result *r)
{
	char *text = read_file(json, NULL);
	char *err_text = err_file ? read_file(err_file, NULL) : NULL;
	int ret;

	memset(r, 0, sizeof(*r));
	EXPECT_NE(NULL, text) TH_LOG("%s: %s", json, strerror(errno));
	if (!text)
		return -1;
	ret = fio_parse_json(text, json, r, stderr);
	if (!ret && err_text)
		ret = fio_parse_stderr(err_text, r);
	free(text);
	free(err_text);
	return ret;
}

TEST(recorded_write_pass)
{
	struct fio_job j = recorded;
	struct fio_result r;
	char why[256];

	j.pass = FIO_WRITE;
	ASSERT_EQ(0, parse(_metadata, FIX "write.json", NULL, &r));
	EXPECT_STREQ("fio-3.33", r.version);
	EXPECT_EQ(262144, r.write.io_bytes);
	EXPECT_EQ(0, r.read.io_bytes);
	EXPECT_LT(0, r.write.bw_bytes);
	EXPECT_LT(0, r.write.clat_p50_ns);
	EXPECT_LE(r.write.clat_p50_ns, r.write.clat_p99_ns);
	EXPECT_EQ(0, fio_verdict(&j, &r, why, sizeof(why)));
	/* The same report cannot pass as a verify: it read nothing. */
	j.pass = FIO_VERIFY;
	EXPECT_EQ(1, fio_verdict(&j, &r, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "verified 0 of 262144"));
	fio_result_free(&r);
}

TEST(recorded_clean_verify_passes)
{
	struct fio_job j = recorded;
	struct fio_result r;
	char why[256];

	j.pass = FIO_VERIFY;
	ASSERT_EQ(0, parse(_metadata, FIX "verify-ok.json", NULL, &r));
	EXPECT_EQ(262144, r.read.io_bytes);
	EXPECT_EQ(0, r.n_bad);
	EXPECT_EQ(0, fio_verdict(&j, &r, why, sizeof(why)));
	fio_result_free(&r);
}

TEST(recorded_measure_has_both_directions)
{
	struct fio_job j = recorded;
	struct fio_result r;
	char why[256];

	j.pass = FIO_MEASURE;
	ASSERT_EQ(0, parse(_metadata, FIX "measure.json", NULL, &r));
	EXPECT_EQ(262144, r.read.io_bytes);
	EXPECT_EQ(262144, r.write.io_bytes);
	EXPECT_LT(0, r.read.iops);
	EXPECT_EQ(0, fio_verdict(&j, &r, why, sizeof(why)));
	fio_result_free(&r);
}

TEST(recorded_corruption_fails_with_every_offset)
{
	struct fio_job j = recorded;
	struct fio_result r;
	struct json_object *o, *bad;
	char why[256];

	j.pass = FIO_VERIFY;
	ASSERT_EQ(0, parse(_metadata, FIX "verify-bad.json", FIX "verify-bad.stderr", &r));
	EXPECT_EQ(84, r.job_error);
	EXPECT_EQ(3, r.total_err);
	ASSERT_EQ(3, r.n_bad);
	EXPECT_EQ(81920, r.bad[0].offset);
	EXPECT_EQ(4096, r.bad[0].length);
	EXPECT_STREQ("verify: bad magic header f1c9, wanted acca", r.bad[0].what);
	EXPECT_EQ(86016, r.bad[1].offset);
	EXPECT_EQ(286720, r.bad[2].offset);
	EXPECT_STREQ("crc32c: verify failed", r.bad[2].what);
	EXPECT_EQ(1, fio_verdict(&j, &r, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "3 block(s) failed verification, first at offset 81920"));
	/* The offsets reach the results. */
	o = fio_result_json(&j, &r);
	ASSERT_TRUE(json_object_object_get_ex(o, "bad_blocks", &bad));
	EXPECT_EQ(3, json_object_array_length(bad));
	json_object_put(o);
	fio_result_free(&r);
}

TEST(report_after_stdout_noise_still_parses)
{
	struct fio_job j = recorded;
	struct fio_result r;
	char why[256];

	j.pass = FIO_VERIFY;
	ASSERT_EQ(0, parse(_metadata, FIX "verify-bad-stdout.json", NULL, &r));
	EXPECT_EQ(84, r.job_error);
	EXPECT_EQ(1, fio_verdict(&j, &r, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "error 84"));
	fio_result_free(&r);
}

TEST(broken_reports_name_the_json_path)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ "", "expected fio's JSON report" },
		{ "{\"jobs\": [ {\"error\": 0", "invalid JSON" },
		{ "{\"jobs\": {}}", "$.jobs: expected an array" },
		{ "{\"jobs\": []}", "expected exactly one job" },
		{ "{\"jobs\": [{\"error\": \"x\"}]}", "$.jobs[0].error: expected an errno" },
		{ "{\"jobs\": [{\"error\": 0, \"read\": {\"io_bytes\": -1}}]}",
		  "$.jobs[0].read.io_bytes: expected a byte count" },
		/* json-c reads these, JSON has no such numbers (tests/fuzz/fio_fuzz.c):
		 * they would make the evidence in a results file unreadable. */
		{ "{\"jobs\": [{\"error\": 0, \"read\": {\"io_bytes\": 0, \"bw_bytes\": 0, \"iops\": NaN}}]}",
		  "$.jobs[0].read.iops: expected a number" },
		{ "{\"jobs\": [{\"error\": 0, \"read\": {\"io_bytes\": 0, \"bw_bytes\": 0, \"iops\": -Infinity}}]}",
		  "$.jobs[0].read.iops: expected a number" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[512] = "";
		FILE *err = fmemopen(buf, sizeof(buf), "w");
		struct fio_result r = { 0 };

		ASSERT_NE(NULL, err);
		EXPECT_EQ(-EINVAL, fio_parse_json(cases[i].text, "rec.json", &r, err));
		fclose(err);
		EXPECT_NE(NULL, strstr(buf, cases[i].msg)) TH_LOG("case %zu said: %s", i, buf);
		EXPECT_EQ(0, strncmp(buf, "rec.json:", 9));
	}
}

/*
 * A verify failure's offset and length through the one number reader
 * (tests/fuzz/number_fuzz.c): sscanf's %llu saturated an offset past 64
 * bits to UINT64_MAX and read a sign, so garbage named a block.
 */
TEST(bad_block_numbers_are_numbers)
{
	struct fio_result r = { 0 };

	ASSERT_EQ(0, fio_parse_stderr(
		"verify: bad magic header 0, wanted acca at file f offset 99999999999999999999, length 4096 (requested block: offset=0, length=4096)\n"
		"verify: bad magic header 0, wanted acca at file f offset -4096, length 4096\n"
		"verify: bad magic header 0, wanted acca at file f offset  4096, length 4096\n"
		"crc32c: verify failed at file f offset 8192, length +4096\n"
		"crc32c: verify failed at file f offset 81920, length 4096 (requested block: offset=81920, length=4096, flags=88)\n",
		&r));
	ASSERT_EQ(1, r.n_bad);
	EXPECT_EQ(81920, r.bad[0].offset);
	EXPECT_EQ(4096, r.bad[0].length);
	EXPECT_STREQ("crc32c: verify failed", r.bad[0].what);
	fio_result_free(&r);
}

TEST(command_line_per_pass)
{
	struct fio_job j = recorded;
	struct fio_args a;
	char all[2048] = "";

	j.pass = FIO_VERIFY;
	j.direct = true;
	ASSERT_EQ(0, fio_build_args(&j, "/tmp/x.json", &a));
	for (int i = 0; i < a.argc; i++)
		strcat(strcat(all, a.argv[i]), " ");
	EXPECT_NE(NULL, strstr(all, "--offset=65536 --size=262144 "));
	EXPECT_NE(NULL, strstr(all, "--do_verify=1 --verify_only "));
	EXPECT_NE(NULL, strstr(all, "--direct=1 "));
	EXPECT_NE(NULL, strstr(all, "--output=/tmp/x.json "));
	EXPECT_EQ(NULL, a.argv[a.argc]);
	j.length = 1000;	/* not whole blocks */
	EXPECT_EQ(-EINVAL, fio_build_args(&j, "/tmp/x.json", &a));
}

/* fio splits --filename at ':'; a by-path name must reach it as one file. */
TEST(command_line_escapes_colons_in_the_file_name)
{
	static const struct { const char *name, *arg; } cases[] = {
		{ "/dev/disk/by-path/pci-0000:00:04.0-nvme-1",
		  "--filename=/dev/disk/by-path/pci-0000\\:00\\:04.0-nvme-1" },
		/* fio drops only the backslash before a colon: others stay */
		{ "/tmp/a\\b", "--filename=/tmp/a\\b" },
		{ "/tmp/c\\:d", "--filename=/tmp/c\\\\:d" },
		{ "/tmp/plain", "--filename=/tmp/plain" },
	};
	struct fio_job j = recorded;
	struct fio_args a;
	char name[300];

	j.fio = "/usr/bin/fio";	/* the command line only: nothing is run */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int found = 0;

		j.filename = cases[i].name;
		ASSERT_EQ(0, fio_build_args(&j, "/tmp/x.json", &a));
		for (int k = 0; k < a.argc; k++) {
			found += !strncmp(a.argv[k], "--filename", 10);
			if (!strncmp(a.argv[k], "--filename", 10))
				EXPECT_STREQ(cases[i].arg, a.argv[k]);
		}
		EXPECT_EQ(1, found);
	}
	/* a name that no longer fits once escaped is refused, not cut short */
	memset(name, ':', sizeof(name) - 1);
	name[0] = '/';
	name[sizeof(name) - 1] = '\0';
	name[130] = '\0';
	j.filename = name;
	EXPECT_EQ(-EINVAL, fio_build_args(&j, "/tmp/x.json", &a));
}

/* A root run must not execute whatever PATH names fio. */
TEST(fio_is_an_absolute_path_that_nobody_else_can_write)
{
	char why[512], copy[64];
	const char *bin = fio_find(why, sizeof(why));
	struct fio_job j = recorded;
	struct fio_args a;

	if (!bin)
		SKIP(return, "%s", why);
	EXPECT_EQ('/', bin[0]);
	ASSERT_EQ(0, fio_build_args(&j, "/tmp/x.json", &a));
	EXPECT_STREQ(bin, a.argv[0]);
	EXPECT_EQ(-EINVAL, fio_check_binary("fio", why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "expected an absolute path")) TH_LOG("%s", why);
	EXPECT_EQ(-ENOENT, fio_check_binary("/nonexistent/fio", why, sizeof(why)));
	path_fmt(copy, sizeof(copy), "/tmp/snoop-fio-bin-%d", getpid());
	ASSERT_EQ(0, symlink(bin, copy));
	EXPECT_EQ(-EPERM, fio_check_binary(copy, why, sizeof(why)));
	unlink(copy);
}

FIXTURE(live) {
	char path[64];
};

FIXTURE_SETUP(live)
{
	int fd;

	path_fmt(self->path, sizeof(self->path), "/tmp/snoop-fio-%d.img", getpid());
	fd = open(self->path, O_CREAT | O_TRUNC | O_WRONLY, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 1 << 20));
	close(fd);
	if (system("command -v fio >/dev/null 2>&1"))
		SKIP(return, "fio is not installed (apt-get install fio)");
}

FIXTURE_TEARDOWN(live)
{
	unlink(self->path);
}

static int run(struct __test_metadata *_metadata, const char *path,
	       enum fio_pass pass, struct fio_result *r, char *why, size_t len)
{
	struct fio_job j = { .filename = path, .offset = 65536,
	.length = 262144, .pass = pass };

	EXPECT_EQ(0, fio_run(&j, r, stderr));
	return fio_verdict(&j, r, why, len);
}

TEST_F(live, clean_cycle_passes_and_corruption_is_caught)
{
	struct fio_result r;
	char why[256];
	int fd;

	ASSERT_EQ(0, run(_metadata, self->path, FIO_WRITE, &r, why, sizeof(why))) TH_LOG("%s", why);
	fio_result_free(&r);
	ASSERT_EQ(0, run(_metadata, self->path, FIO_VERIFY, &r, why, sizeof(why))) TH_LOG("%s", why);
	fio_result_free(&r);

	/* Behind fio's back: 8 bytes into the block at 128 KiB. */
	fd = open(self->path, O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, pwrite(fd, "CORRUPT!", 8, 131072 + 512));
	close(fd);
	ASSERT_EQ(1, run(_metadata, self->path, FIO_VERIFY, &r, why, sizeof(why)));
	ASSERT_EQ(1, r.n_bad);
	EXPECT_EQ(131072, r.bad[0].offset);
	fio_result_free(&r);
}

TEST_F(live, bytes_outside_the_range_are_not_fios_business)
{
	struct fio_result r;
	char why[256];
	int fd;

	ASSERT_EQ(0, run(_metadata, self->path, FIO_WRITE, &r, why, sizeof(why)));
	fio_result_free(&r);
	fd = open(self->path, O_WRONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(8, pwrite(fd, "ELSEWHRE", 8, 65536 - 8));
	ASSERT_EQ(8, pwrite(fd, "ELSEWHRE", 8, 65536 + 262144));
	close(fd);
	EXPECT_EQ(0, run(_metadata, self->path, FIO_VERIFY, &r, why, sizeof(why))) TH_LOG("%s", why);
	fio_result_free(&r);
}

TEST_F(live, a_fio_first_on_path_is_not_the_one_run)
{
	char dir[64], fake[96], marker[96], script[256], path[512];
	struct fio_result r;
	char why[256];
	int fd;

	path_fmt(dir, sizeof(dir), "/tmp/snoop-fio-path-%d", getpid());
	path_fmt(fake, sizeof(fake), "%s/fio", dir);
	path_fmt(marker, sizeof(marker), "%s/ran", dir);
	ASSERT_EQ(0, mkdir(dir, 0755));
	snprintf(script, sizeof(script), "#!/bin/sh\ntouch %s\nexit 0\n", marker);
	fd = open(fake, O_CREAT | O_WRONLY | O_CLOEXEC, 0755);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(script), write(fd, script, strlen(script)));
	close(fd);
	snprintf(path, sizeof(path), "%s:%s", dir, getenv("PATH") ? getenv("PATH") : "/usr/bin");
	ASSERT_EQ(0, setenv("PATH", path, 1));
	EXPECT_EQ(0, run(_metadata, self->path, FIO_WRITE, &r, why, sizeof(why))) TH_LOG("%s", why);
	fio_result_free(&r);
	EXPECT_NE(0, access(marker, F_OK)) TH_LOG("PATH's fio ran");
	remove_tree(dir);
}

/*
 * The same on the real fio: a file whose name has colons (as the
 * /dev/disk/by-path names have) is written and verified as one file, and
 * no other file appears, neither beside it nor where fio runs. The harness
 * runs each test in a child of its own, so the chdir stays here.
 */
FIXTURE(colon) {
	char dir[64];
	char path[160];
};

FIXTURE_VARIANT(colon) {
	const char *name;
};
FIXTURE_VARIANT_ADD(colon, by_path) { .name = "pci-0000:00:04.0-nvme-1" };
FIXTURE_VARIANT_ADD(colon, backslash_before_colon) { .name = "odd\\:name" };

FIXTURE_SETUP(colon)
{
	int fd;

	if (!fio_find(NULL, 0))
		SKIP(return, "fio is not installed (apt-get install fio)");
	path_fmt(self->dir, sizeof(self->dir), "/tmp/snoop-fio-colon-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	path_fmt(self->path, sizeof(self->path), "%s/%s", self->dir, variant->name);
	fd = open(self->path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, 1 << 20));
	close(fd);
	ASSERT_EQ(0, chdir(self->dir));
}

FIXTURE_TEARDOWN(colon)
{
	if (self->dir[0])
		remove_tree(self->dir);
}

TEST_F(colon, the_name_reaches_fio_as_one_file)
{
	struct fio_result r;
	struct dirent *de;
	struct stat st;
	char why[256];
	int n = 0;
	DIR *d;

	/* EXPECT, not ASSERT: the teardown must still remove what fio made */
	EXPECT_EQ(0, run(_metadata, self->path, FIO_WRITE, &r, why, sizeof(why))) TH_LOG("%s", why);
	fio_result_free(&r);
	EXPECT_EQ(0, run(_metadata, self->path, FIO_VERIFY, &r, why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_EQ(262144, r.read.io_bytes);
	fio_result_free(&r);
	d = opendir(self->dir);
	EXPECT_NE(NULL, d);
	while (d && (de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		n++;
		EXPECT_STREQ(variant->name, de->d_name) TH_LOG("fio made another file");
	}
	if (d)
		closedir(d);
	EXPECT_EQ(1, n);
	EXPECT_EQ(0, stat(self->path, &st));
	EXPECT_EQ(1 << 20, st.st_size);
}

TEST(missing_file_is_refused_not_created)
{
	char path[64], dir[48];
	struct fio_job j = { .filename = path, .length = 4096, .pass = FIO_VERIFY };
	struct fio_result r;
	char buf[4096] = "";
	FILE *err = fmemopen(buf, sizeof(buf), "w");

	/* fio itself would create the file and its directory, then "verify" it. */
	path_fmt(dir, sizeof(dir), "/tmp/snoop-fio-missing-%d", getpid());
	path_fmt(path, sizeof(path), "%s/x", dir);
	ASSERT_NE(NULL, err);
	EXPECT_EQ(-ENOENT, fio_run(&j, &r, err));
	fclose(err);
	EXPECT_NE(NULL, strstr(buf, "not creating it")) TH_LOG("%s", buf);
	EXPECT_NE(0, access(dir, F_OK));
	fio_result_free(&r);
}

TEST_HARNESS_MAIN
