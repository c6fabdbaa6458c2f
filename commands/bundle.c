// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner bundle RESULTS.json [--capture DIR] [--logs DIR] [-o OUTDIR]:
 * what a vendor sends, as one archive (judge/bundle.h): the results file,
 * the run's raw logs (--logs, else RESULTS without ".json" when that is a
 * directory, where runner run keeps them) and the machine's capture, with
 * a manifest of checksums. A results file that would not validate (with
 * --capture: against that capture) is not bundled: a maintainer would
 * refuse it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json.h>

#include "commands.h"
#include "resultcheck.h"
#include "base/fsutil.h"
#include "judge/bundle.h"

#ifndef SNOOP_GIT_COMMIT
#define SNOOP_GIT_COMMIT ""
#endif

#define USAGE "usage: runner bundle RESULTS.json [--capture DIR] [--logs DIR] [-o OUTDIR]\n"

static const char *member_str(json_object *o, const char *a, const char *b)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, a, &v) || (b && !json_object_object_get_ex(v, b, &v)))
		return "";
	return json_object_get_string(v);
}

/* A directory named on the command line: a real one, no link followed. */
static int is_dir(const char *path)
{
	struct stat st;

	return !lstat(path, &st) && S_ISDIR(st.st_mode);
}

static int bad_dir(const char *what, const char *path)
{
	fprintf(stderr, "runner bundle: %s %s: expected a directory (a link is not followed)\n",
		what, path);
	return EXIT_BADINPUT;
}

static int pack(const char *results, const char *capture, const char *logs, const char *outdir)
{
	json_object *doc, *replayed = NULL;
	struct bundle_spec s = { .commit = SNOOP_GIT_COMMIT };
	char path[PATH_MAX], *text = NULL;
	size_t len = 0;
	int ret;

	doc = resultcheck_load(results, NULL, &text, &len);
	if (!doc)
		return EXIT_BADINPUT;
	ret = capture ? resultcheck_replay(capture, NULL, &replayed) : 0;
	if (!ret)
		ret = resultcheck(doc, results, replayed);
	if (ret) {
		fprintf(stderr, "runner bundle: %s does not validate%s: not bundled\n", results,
			capture ? " against the capture" : "");
		goto out;
	}
	s.results = text;
	s.results_len = len;
	s.logs_dir = logs;
	s.capture_dir = capture;
	s.platform_id = member_str(doc, "platform", "platform_id");
	s.kernel_release = member_str(json_object_object_get(doc, "platform"), "kernel", "release");
	s.run_id = member_str(doc, "run", "id");
	ret = bundle_write(&s, outdir, path, sizeof(path), stderr);
	if (ret) {
		ret = ret == -EIO || ret == -ENOMEM || ret == -ENOSPC ? EXIT_TESTFAIL : EXIT_BADINPUT;
		goto out;
	}
	printf("%s: results%s%s%s%s\n", path, logs ? ", logs from " : "", logs ? logs : "",
	       capture ? ", capture from " : "", capture ? capture : "");
	if (!capture)
		fprintf(stderr, "runner bundle: no --capture: a maintainer cannot replay the platform; "
			"run `sudo ./runner capture DIR` on the machine and bundle again\n");
out:
	free(text);
	if (replayed)
		json_object_put(replayed);
	json_object_put(doc);
	return ret;
}

int cmd_bundle(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "capture", required_argument, NULL, 'c' },
		{ "logs", required_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *capture = NULL, *logs = NULL, *outdir = ".", *results;
	char deflogs[PATH_MAX];
	struct stat st;
	int c;

	while ((c = getopt_long(argc, argv, "c:l:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
		case 'l':
		case 'o':
			if (!path_arg_ok(c == 'c' ? "--capture" : c == 'l' ? "--logs" : "-o",
					 optarg, stderr))
				return EXIT_BADINPUT;
			*(c == 'c' ? &capture : c == 'l' ? &logs : &outdir) = optarg;
			break;
		case 'h':
			printf(USAGE);
			return 0;
		default:
			fprintf(stderr, USAGE);
			return EXIT_BADINPUT;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, USAGE);
		return EXIT_BADINPUT;
	}
	results = argv[optind];
	if (!path_arg_ok("runner bundle", results, stderr))
		return EXIT_BADINPUT;
	if (lstat(results, &st)) {
		fprintf(stderr, "runner bundle: %s: %s\n", results, strerror(errno));
		return EXIT_BADINPUT;
	}
	if (!S_ISREG(st.st_mode)) {
		fprintf(stderr, "runner bundle: %s: expected a regular file (a link is not "
			"followed)\n", results);
		return EXIT_BADINPUT;
	}
	if (capture && !is_dir(capture))
		return bad_dir("--capture", capture);
	if (logs && !is_dir(logs))
		return bad_dir("--logs", logs);
	if (!logs) {
		/* runner run keeps the raw logs in RESULTS without ".json". */
		size_t n = strlen(results);

		if (n > 5 && !strcmp(results + n - 5, ".json")) {
			snprintf(deflogs, sizeof(deflogs), "%.*s", (int)(n - 5), results);
			if (is_dir(deflogs))
				logs = deflogs;
		}
	}
	return pack(results, capture, logs, outdir);
}
