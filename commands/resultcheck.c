// SPDX-License-Identifier: GPL-2.0-only
#include "resultcheck.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "discover.h"
#include "base/fsutil.h"
#include "base/jsonfile.h"
#include "discover/report.h"
#include "judge/rejudge.h"
#include "judge/results.h"

json_object *resultcheck_load(const char *path, const char *shown, char **text_out, size_t *len_out)
{
	FILE *err = stderr;
	size_t len;
	char *text = read_file(path, &len);
	json_object *doc;

	if (!shown)
		shown = path;
	if (!text) {
		fprintf(err, "%s: cannot read: %s\n", shown, read_file_strerror(errno));
		return NULL;
	}
	doc = json_text_parse(text, len, shown, err);
	if (doc && text_out) {
		*text_out = text;
		*len_out = len;
	} else {
		free(text);
	}
	return doc;
}


int resultcheck(json_object *doc, const char *shown, json_object *replayed)
{
	int n;

	if (results_validate(doc, shown, stderr))
		return EXIT_BADINPUT;
	n = rejudge_results(doc, shown, stderr);
	if (n >= 0 && replayed)
		n += rejudge_replay(doc, replayed, shown, stderr);
	if (n < 0)
		return EXIT_TESTFAIL;
	if (n)
		fprintf(stderr, "%s: not valid: %d mismatch%s%s\n", shown, n, n == 1 ? "" : "es",
			replayed ? " (the file and its capture)" : "");
	return n ? EXIT_TESTFAIL : 0;
}

int resultcheck_replay(const char *capture, const char *allow_dir, json_object **replayed)
{
	struct platform p;
	struct allowlist a;
	int ret = discover(&p, &a, capture, allow_dir);

	if (ret)
		return ret;
	*replayed = platform_to_json(&p);
	discover_done(&p, &a);
	return 0;
}
