// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner validate [--capture DIR] [--allowlist DIR] FILE...: check results
 * files. First the schema (JSON syntax as FILE:LINE:COL, schema problems
 * with their JSON path): a file that fails it is bad input, exit 2. Then
 * the file is re-judged from its own content with runner run's code
 * (judge/rejudge.h), and, with --capture, its platform is held against a
 * replay of that capture (what `runner list --from DIR --json` prints):
 * any mismatch names its JSON path, exit 1. A FILE ending in ".tar" is a
 * bundle (runner bundle): its files are checked against its manifest and
 * its results file validated against the capture inside it.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json.h>

#include "commands.h"
#include "resultcheck.h"
#include "base/fsutil.h"
#include "judge/bundle.h"
#include "sysfs/sysroot.h"

#define USAGE "usage: runner validate [--capture DIR] [--allowlist DIR] FILE|BUNDLE.tar...\n"

/* One results file: 0 valid, 1 a mismatch, 2 bad input. */
static int validate_one(const char *path, json_object *replayed)
{
	json_object *doc = resultcheck_load(path, NULL, NULL, NULL);
	int ret;

	if (!doc)
		return EXIT_BADINPUT;
	ret = resultcheck(doc, path, replayed);
	if (!ret)
		printf("%s: valid, every verdict re-judged%s\n", path,
		       replayed ? ", platform reproduced by the capture" : "");
	json_object_put(doc);
	return ret;
}

static bool is_bundle(const char *path)
{
	size_t n = strlen(path);

	return n > 4 && !strcmp(path + n - 4, ".tar");
}

/* The manifest says whose run it is: the results file must agree. */
static int same_run(json_object *manifest, json_object *doc, const char *shown)
{
	static const char *const keys[][3] = {
		{ "platform_id", "platform", "platform_id" },
		{ "kernel_release", "platform", "kernel" },
		{ "run_id", "run", "id" },
	};
	int bad = 0;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		json_object *m = NULL, *v = NULL;

		json_object_object_get_ex(manifest, keys[i][0], &m);
		json_object_object_get_ex(doc, keys[i][1], &v);
		json_object_object_get_ex(v, keys[i][2], &v);
		if (i == 1)
			json_object_object_get_ex(v, "release", &v);
		if (!json_object_equal(m, v)) {
			fprintf(stderr, "%s: manifest.json %s: %s, the results file says %s\n", shown,
				keys[i][0], json_object_to_json_string(m), json_object_to_json_string(v));
			bad++;
		}
	}
	return bad;
}

/*
 * A bundle (runner bundle): unpacked and held against its manifest, then
 * its results file validated against its own capture (or --capture).
 */
static int validate_bundle(const char *tar, json_object *replayed, const char *allow_dir)
{
	struct bundle_unpacked u;
	json_object *doc = NULL, *own = NULL;
	char path[PATH_MAX], shown[PATH_MAX + 300];
	int bad = bundle_unpack(tar, &u, stderr), ret;

	if (bad < 0) {
		bundle_unpacked_free(&u);
		return EXIT_BADINPUT;
	}
	path_fmt(path, sizeof(path), "%s/results.json", u.root);
	snprintf(shown, sizeof(shown), "%s:%s/results.json", tar, u.name);
	doc = resultcheck_load(path, shown, NULL, NULL);
	if (!doc) {
		ret = EXIT_BADINPUT;
		goto out;
	}
	if (u.manifest)
		bad += same_run(u.manifest, doc, tar);
	path_fmt(path, sizeof(path), "%s/capture", u.root);
	if (!replayed && access(path, F_OK) == 0) {
		ret = resultcheck_replay(path, allow_dir, &own);
		if (ret)
			goto out;
		replayed = own;
	}
	ret = resultcheck(doc, shown, replayed);
	if (!ret && bad)
		ret = EXIT_TESTFAIL;
	if (bad)
		fprintf(stderr, "%s: not valid: %d problem%s with the bundle itself\n", tar, bad,
			bad == 1 ? "" : "s");
	else if (!ret)
		printf("%s: valid bundle: every file as its manifest lists it\n%s: valid, every "
		       "verdict re-judged%s\n", tar, shown,
		       replayed ? ", platform reproduced by the capture" :
		       " (no capture in the bundle to replay)");
out:
	if (doc)
		json_object_put(doc);
	if (own)
		json_object_put(own);
	bundle_unpacked_free(&u);
	return ret;
}

int cmd_validate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "capture", required_argument, NULL, 'c' },
		{ "allowlist", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *capture = NULL, *allow_dir = NULL;
	json_object *replayed = NULL;
	int c, worst = 0;

	while ((c = getopt_long(argc, argv, "c:a:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			if (!path_arg_ok("--capture", optarg, stderr))
				return EXIT_BADINPUT;
			capture = optarg;
			break;
		case 'a':
			if (!path_arg_ok("--allowlist", optarg, stderr))
				return EXIT_BADINPUT;
			allow_dir = optarg;
			break;
		case 'h':
			printf(USAGE);
			return 0;
		default:
			fprintf(stderr, USAGE);
			return EXIT_BADINPUT;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, USAGE);
		return EXIT_BADINPUT;
	}
	if (capture) {
		int ret = resultcheck_replay(capture, allow_dir, &replayed);

		if (ret)
			return ret;
	}
	for (int i = optind; i < argc; i++) {
		int ret = is_bundle(argv[i]) ? validate_bundle(argv[i], replayed, allow_dir) :
			  validate_one(argv[i], replayed);

		if (ret == EXIT_BADINPUT || (ret && !worst))
			worst = ret;
	}
	if (replayed)
		json_object_put(replayed);
	return worst;
}
