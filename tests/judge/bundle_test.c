// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner bundle: a results file, the run's logs directory beside it and a
 * capture become one tar that /usr/bin/tar lists, whose manifest's sizes
 * and SHA-256 sums are the files' own, and that runner validate accepts;
 * a changed, added or escaping entry is named. What must not be bundled
 * (a results file that does not validate, a FIFO, a link given as the
 * results file) is refused, and no bundle is ever overwritten.
 *
 * The results file is one runner run would write on a fixture platform
 * with nothing selected: its platform is `runner list --from` of the
 * capture, so the capture replays to it.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json.h>
#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "base/sha256.h"

#define RUNNER "build/t/runner"
#define LAB "tests/fixtures/results/lab-vtd-sc.json"
#define CAPTURE "tests/fixtures/platforms/intel-x99-xeon-e5v3"
#define NAME "snoopcheck-huananzhi-x99-qd4-89247701-6.4.7-1-cachyos-lto-20261202T142135Z-"

/* Run a shell command made from fmt; its exit status, output into out if given. */
static int sh(char *out, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int sh(char *out, size_t len, const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	FILE *p;
	size_t n = 0;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	if (out) {
		n = fread(out, 1, len - 1, p);
		out[n] = '\0';
	} else {
		char sink[4096];

		while (fread(sink, 1, sizeof(sink), p) > 0)
			;
	}
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

FIXTURE(bundle) {
	char dir[PATH_MAX];		/* scratch: run.json, run/, out/ */
	char tar[PATH_MAX];		/* the bundle written, "" none */
	char out[32768];
};

/* A results file with a logs directory beside it, as runner run leaves them. */
FIXTURE_SETUP(bundle)
{
	json_object *doc, *plat;
	char path[PATH_MAX + 32];

	snprintf(self->dir, sizeof(self->dir), "/tmp/snoop-bundle-%d", getpid());
	remove_tree(self->dir);
	ASSERT_EQ(0, mkdir_p(self->dir));
	ASSERT_EQ(0, sh(NULL, 0, RUNNER " list --json --from " CAPTURE " > %s/platform.json",
			self->dir));
	snprintf(path, sizeof(path), "%s/platform.json", self->dir);
	plat = json_object_from_file(path);
	doc = json_object_from_file(LAB);
	ASSERT_NE(NULL, plat);
	ASSERT_NE(NULL, doc);
	json_object_object_add(plat, "virtual", json_object_new_boolean(0));
	json_object_object_add(doc, "platform", plat);
	json_object_object_add(doc, "devices", json_object_new_array());
	json_object_object_add(doc, "tests", json_object_new_array());
	json_object_object_add(doc, "verdicts", json_object_new_array());
	json_object_object_add(json_object_object_get(doc, "run"), "id",
			       json_object_new_string("huananzhi-x99-qd4-89247701-20261202T142135Z"));
	snprintf(path, sizeof(path), "%s/run.json", self->dir);
	ASSERT_EQ(0, json_object_to_file_ext(path, doc, JSON_C_TO_STRING_PRETTY));
	json_object_put(doc);
	ASSERT_EQ(0, sh(NULL, 0, "cd %s && mkdir -p run/attach && echo 'KTAP version 1' > run/run.ktap"
			" && echo 'harness says' > run/attach/x.err && ln -s run.ktap run/latest",
			self->dir));
	self->tar[0] = '\0';
}

FIXTURE_TEARDOWN(bundle)
{
	remove_tree(self->dir);
}

/* Bundle run.json (its logs found beside it) with the capture; 0 and tar set, or the status. */
static int make_bundle(struct _test_data_bundle *self)
{
	int st = sh(self->out, sizeof(self->out), RUNNER " bundle %s/run.json --capture " CAPTURE
		    " -o %s/out 2>&1", self->dir, self->dir);

	if (!st && sh(self->tar, sizeof(self->tar), "ls %s/out/*.tar", self->dir) == 0)
		self->tar[strcspn(self->tar, "\n")] = '\0';
	return st;
}

TEST_F(bundle, tar_lists_it_and_the_manifest_sums_are_the_files)
{
	char list[32768], path[PATH_MAX * 2], sha[SHA256_HEX_LEN], *text, *base;
	json_object *m, *files, *v;
	size_t len, n_files = 0, n_entries = 0;

	ASSERT_EQ(0, make_bundle(self)) TH_LOG("%s", self->out);
	base = strrchr(self->tar, '/') + 1;
	EXPECT_EQ(0, strncmp(base, NAME, strlen(NAME))) TH_LOG("%s", base);
	EXPECT_EQ(strlen(NAME) + 8 + 4, strlen(base)) TH_LOG("%s", base);

	ASSERT_EQ(0, sh(list, sizeof(list), "/usr/bin/tar -tf %s", self->tar));
	EXPECT_NE(NULL, strstr(list, "/results.json\n"));
	EXPECT_NE(NULL, strstr(list, "/manifest.json\n"));
	EXPECT_NE(NULL, strstr(list, "/logs/run.ktap\n"));
	EXPECT_NE(NULL, strstr(list, "/logs/attach/x.err\n"));
	EXPECT_NE(NULL, strstr(list, "/logs/latest\n"));
	EXPECT_NE(NULL, strstr(list, "/capture/lspci-xxxx.txt\n"));
	EXPECT_NE(NULL, strstr(list, "/capture/sys/bus/pci/devices/0000:00:1b.0/iommu\n"));
	for (char *c = list; (c = strchr(c, '\n')); c++)
		n_entries += c[-1] != '/';	/* directories end in '/' */

	ASSERT_EQ(0, sh(NULL, 0, "mkdir %s/x && /usr/bin/tar -xf %s -C %s/x", self->dir,
			self->tar, self->dir));
	snprintf(path, sizeof(path), "%s/x/%.*s/manifest.json", self->dir,
		 (int)(strlen(base) - 4), base);
	m = json_object_from_file(path);
	ASSERT_NE(NULL, m);
	EXPECT_STREQ("huananzhi-x99-qd4-89247701",
		     json_object_get_string(json_object_object_get(m, "platform_id")));
	EXPECT_STREQ("6.4.7-1-cachyos-lto",
		     json_object_get_string(json_object_object_get(m, "kernel_release")));
	EXPECT_STREQ("huananzhi-x99-qd4-89247701-20261202T142135Z",
		     json_object_get_string(json_object_object_get(m, "run_id")));
	EXPECT_TRUE(json_object_object_get_ex(m, "snoopcheck_commit", &v));
	files = json_object_object_get(m, "files");
	for (size_t i = 0; i < json_object_array_length(files); i++) {
		json_object *f = json_object_array_get_idx(files, i);
		const char *p = json_object_get_string(json_object_object_get(f, "path"));
		const char *type = json_object_get_string(json_object_object_get(f, "type"));

		snprintf(path, sizeof(path), "%s/x/%.*s/%s", self->dir, (int)(strlen(base) - 4),
			 base, p);
		if (!strcmp(type, "link")) {
			char target[PATH_MAX];
			ssize_t k = readlink(path, target, sizeof(target) - 1);

			ASSERT_LT(0, k) TH_LOG("%s", path);
			target[k] = '\0';
			EXPECT_STREQ(json_object_get_string(json_object_object_get(f, "target")),
				     target);
		} else {
			text = read_file(path, &len);
			ASSERT_NE(NULL, text) TH_LOG("%s", path);
			ASSERT_EQ(0, sha256_hex(text, len, sha));
			EXPECT_STREQ(json_object_get_string(json_object_object_get(f, "sha256")), sha)
				TH_LOG("%s", p);
			EXPECT_EQ((int64_t)len, json_object_get_int64(json_object_object_get(f, "size")));
			free(text);
		}
		n_files++;
	}
	/* Everything in the archive but the manifest itself is listed. */
	EXPECT_EQ(n_entries - 1, n_files);
	json_object_put(m);
}

TEST_F(bundle, validate_accepts_it_and_replays_its_capture)
{
	ASSERT_EQ(0, make_bundle(self)) TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self->out, sizeof(self->out), RUNNER " validate %s 2>&1", self->tar))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "valid bundle: every file as its manifest lists it"));
	EXPECT_NE(NULL, strstr(self->out, "platform reproduced by the capture"));
}

/* Unpack, change what is there, pack again with /usr/bin/tar. */
static int repack(struct _test_data_bundle *self, const char *change)
{
	return sh(self->out, sizeof(self->out),
		  "cd %s && rm -rf x && mkdir x && /usr/bin/tar -xf %s -C x && cd x && "
		  "n=$(ls) && %s && /usr/bin/tar -cf %s $n 2>&1", self->dir, self->tar, change,
		  self->tar);
}

TEST_F(bundle, a_changed_log_is_named)
{
	ASSERT_EQ(0, make_bundle(self)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, repack(self, "echo edited >> $n/logs/run.ktap")) TH_LOG("%s", self->out);
	EXPECT_EQ(1, sh(self->out, sizeof(self->out), RUNNER " validate %s 2>&1", self->tar));
	EXPECT_NE(NULL, strstr(self->out, "/logs/run.ktap: its size or type is not what the "
			       "manifest lists")) TH_LOG("%s", self->out);
}

TEST_F(bundle, a_same_size_edit_is_caught_by_its_checksum)
{
	ASSERT_EQ(0, make_bundle(self)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, repack(self, "grep -q '\"(none)\"' $n/results.json && "
			    "sed -i 's/\"(none)\"/\"(nope)\"/' $n/results.json"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(1, sh(self->out, sizeof(self->out), RUNNER " validate %s 2>&1", self->tar));
	EXPECT_NE(NULL, strstr(self->out, "/results.json: SHA-256 ")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, ", not the manifest's")) TH_LOG("%s", self->out);
}

/* tar -r appends a second results.json, which unpacking would put over the first. */
TEST_F(bundle, a_second_copy_of_a_file_is_refused)
{
	ASSERT_EQ(0, make_bundle(self)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, sh(self->out, sizeof(self->out),
			"cd %s && rm -rf x && mkdir x && /usr/bin/tar -xf %s -C x && cd x && n=$(ls) && "
			"sed -i 's/\"(none)\"/\"(nope)\"/' $n/results.json && "
			"/usr/bin/tar -rf %s $n/results.json 2>&1", self->dir, self->tar, self->tar))
		TH_LOG("%s", self->out);
	EXPECT_EQ(1, sh(self->out, sizeof(self->out), RUNNER " validate %s 2>&1", self->tar));
	EXPECT_NE(NULL, strstr(self->out, "/results.json: appears twice in the archive"))
		TH_LOG("%s", self->out);
}

TEST_F(bundle, an_added_file_is_named)
{
	ASSERT_EQ(0, make_bundle(self)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, repack(self, "echo x > $n/capture/extra")) TH_LOG("%s", self->out);
	EXPECT_EQ(1, sh(self->out, sizeof(self->out), RUNNER " validate %s 2>&1", self->tar));
	EXPECT_NE(NULL, strstr(self->out, "/capture/extra: in the archive, not in the manifest"))
		TH_LOG("%s", self->out);
}

TEST_F(bundle, an_escaping_entry_is_refused)
{
	ASSERT_EQ(0, make_bundle(self)) TH_LOG("%s", self->out);
	ASSERT_EQ(0, repack(self, "ln -s /etc $n/capture/etc")) TH_LOG("%s", self->out);
	EXPECT_EQ(1, sh(self->out, sizeof(self->out), RUNNER " validate %s 2>&1", self->tar));
	EXPECT_NE(NULL, strstr(self->out, "/capture/etc: a link to /etc, outside the bundle: "
			       "not unpacked")) TH_LOG("%s", self->out);
}

TEST_F(bundle, not_a_tar_is_bad_input)
{
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/junk.tar", self->dir);
	ASSERT_EQ(0, write_file_atomic(path, "not a tar\n", 10));
	EXPECT_EQ(2, sh(self->out, sizeof(self->out), RUNNER " validate %s 2>&1", path));
	EXPECT_NE(NULL, strstr(self->out, "junk.tar: ")) TH_LOG("%s", self->out);
}

TEST_F(bundle, never_overwrites_one)
{
	ASSERT_EQ(0, make_bundle(self)) TH_LOG("%s", self->out);
	EXPECT_EQ(2, make_bundle(self));
	EXPECT_NE(NULL, strstr(self->out, ".tar: exists; not overwritten")) TH_LOG("%s", self->out);
	/* Nothing left behind: the bundle and no temp file. */
	EXPECT_EQ(0, sh(self->out, sizeof(self->out), "ls -A %s/out | wc -l", self->dir));
	EXPECT_STREQ("1\n", self->out);
}

TEST_F(bundle, results_that_do_not_validate_are_not_bundled)
{
	ASSERT_EQ(0, sh(NULL, 0, "cp " LAB " %s/lab.json && sed -i '0,/\"label\": "
			"\"blocked-by-iommu\"/s//\"label\": \"cc-misreported\"/' %s/lab.json",
			self->dir, self->dir));
	EXPECT_EQ(1, sh(self->out, sizeof(self->out), RUNNER " bundle %s/lab.json -o %s/out 2>&1",
			self->dir, self->dir));
	EXPECT_NE(NULL, strstr(self->out, "$.verdicts[0].label: recorded cc-misreported"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "does not validate: not bundled")) TH_LOG("%s", self->out);
	EXPECT_NE(0, sh(NULL, 0, "ls %s/out/*.tar 2>/dev/null", self->dir));
}

TEST_F(bundle, a_fifo_in_the_logs_is_refused)
{
	ASSERT_EQ(0, sh(NULL, 0, "mkfifo %s/run/pipe", self->dir));
	EXPECT_EQ(2, make_bundle(self));
	EXPECT_NE(NULL, strstr(self->out, "logs/pipe: not a regular file, directory or link"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(0, sh(self->out, sizeof(self->out), "ls -A %s/out | wc -l", self->dir));
	EXPECT_STREQ("0\n", self->out);
}

TEST_F(bundle, a_link_as_the_results_file_is_refused)
{
	EXPECT_EQ(2, sh(self->out, sizeof(self->out), "ln -s run.json %s/link.json && " RUNNER
			" bundle %s/link.json -o %s/out 2>&1", self->dir, self->dir, self->dir));
	EXPECT_NE(NULL, strstr(self->out, "link.json: expected a regular file (a link is not "
			       "followed)")) TH_LOG("%s", self->out);
}

TEST(bad_arguments_are_bad_input)
{
	char out[4096];

	EXPECT_EQ(2, sh(out, sizeof(out), RUNNER " bundle 2>&1"));
	EXPECT_NE(NULL, strstr(out, "usage: runner bundle RESULTS.json")) TH_LOG("%s", out);
	EXPECT_EQ(2, sh(out, sizeof(out), RUNNER " bundle /nonexistent/r.json 2>&1"));
	EXPECT_NE(NULL, strstr(out, "/nonexistent/r.json: No such file or directory"))
		TH_LOG("%s", out);
	EXPECT_EQ(2, sh(out, sizeof(out), RUNNER " bundle " LAB " --capture /nonexistent 2>&1"));
	EXPECT_NE(NULL, strstr(out, "--capture /nonexistent: expected a directory")) TH_LOG("%s", out);
	EXPECT_EQ(2, sh(out, sizeof(out), RUNNER " validate 2>&1"));
	EXPECT_NE(NULL, strstr(out, "usage: runner validate")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
