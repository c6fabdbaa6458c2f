// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner validate [--capture DIR] [--allowlist DIR] FILE...: check results
 * files. First the schema (JSON syntax as FILE:LINE:COL, schema problems
 * with their JSON path): a file that fails it is bad input, exit 2. Then
 * the file is re-judged from its own content with runner run's code
 * (judge/rejudge.h), and, with --capture, its platform is held against a
 * replay of that capture (what `runner list --from DIR --json` prints):
 * any mismatch names its JSON path, exit 1.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "commands.h"
#include "discover.h"
#include "base/fsutil.h"
#include "discover/report.h"
#include "judge/rejudge.h"
#include "judge/results.h"

static json_object *parse(const char *path, FILE *err)
{
	size_t len;
	char *text = read_file(path, &len);
	struct json_tokener *tok;
	json_object *doc;
	size_t end;

	if (!text) {
		fprintf(err, "%s: cannot read: %s\n", path, strerror(errno));
		return NULL;
	}
	tok = json_tokener_new();
	doc = json_tokener_parse_ex(tok, text, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (!doc || end < len) {
		enum json_tokener_error e = json_tokener_get_error(tok);
		int line = 1, col = 1;

		for (size_t i = 0; i < end && i < len; i++) {
			if (text[i] == '\n') {
				line++;
				col = 1;
			} else {
				col++;
			}
		}
		if (doc && end < len && strspn(text + end, " \t\r\n") == len - end) {
			/* Only trailing whitespace: fine. */
		} else {
			fprintf(err, "%s:%d:%d: expected JSON: %s\n", path, line, col,
				doc ? "trailing data after the document" :
				e == json_tokener_continue ? "unexpected end of file (truncated?)" :
				json_tokener_error_desc(e));
			if (doc)
				json_object_put(doc);
			doc = NULL;
		}
	}
	json_tokener_free(tok);
	free(text);
	return doc;
}

#define USAGE "usage: runner validate [--capture DIR] [--allowlist DIR] FILE...\n"

/* One file: 0 valid, 1 a mismatch, 2 bad input. */
static int validate_one(const char *path, json_object *replayed)
{
	json_object *doc = parse(path, stderr);
	int n, ret = 0;

	if (!doc)
		return EXIT_BADINPUT;
	if (results_validate(doc, path, stderr)) {
		json_object_put(doc);
		return EXIT_BADINPUT;
	}
	n = rejudge_results(doc, path, stderr);
	if (n && replayed)
		n += rejudge_replay(doc, replayed, path, stderr);
	else if (replayed)
		n = rejudge_replay(doc, replayed, path, stderr);
	if (n < 0) {
		ret = EXIT_TESTFAIL;
	} else if (n) {
		fprintf(stderr, "%s: not valid: %d mismatch%s%s\n",
			path, n, n == 1 ? "" : "es", replayed ? " (the file and its capture)" : "");
		ret = EXIT_TESTFAIL;
	} else {
		printf("%s: valid, every verdict re-judged%s\n", path,
		       replayed ? ", platform reproduced by the capture" : "");
	}
	json_object_put(doc);
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
	struct platform p;
	struct allowlist a;
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
		/* The same replay as runner list --from DIR --json. */
		int ret = discover(&p, &a, capture, allow_dir);

		if (ret)
			return ret;
		replayed = platform_to_json(&p);
		discover_done(&p, &a);
	}
	for (int i = optind; i < argc; i++) {
		int ret = validate_one(argv[i], replayed);

		if (ret == EXIT_BADINPUT || (ret && !worst))
			worst = ret;
	}
	if (replayed)
		json_object_put(replayed);
	return worst;
}
