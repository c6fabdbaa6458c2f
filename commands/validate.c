// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner validate FILE...: check results files against the schema. Every
 * problem is listed: JSON syntax as FILE:LINE:COL, schema problems with
 * their JSON path. Exit 2 if any file is invalid.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "commands.h"
#include "base/fsutil.h"
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

int cmd_validate(int argc, char **argv)
{
	int bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: runner validate FILE...\n");
		return EXIT_BADINPUT;
	}
	for (int i = 1; i < argc; i++) {
		json_object *doc = parse(argv[i], stderr);

		if (!doc) {
			bad++;
			continue;
		}
		if (results_validate(doc, argv[i], stderr))
			bad++;
		else
			printf("%s: valid\n", argv[i]);
		json_object_put(doc);
	}
	return bad ? EXIT_BADINPUT : 0;
}
