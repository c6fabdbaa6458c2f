// SPDX-License-Identifier: GPL-2.0-only
#include "base/jsonfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/fsutil.h"

/* Line and column (both from 1) of byte offset end in text. */
static void place(const char *text, size_t end, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < end; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

json_object *json_text_parse(const char *text, size_t len, const char *shown, FILE *err)
{
	struct json_tokener *tok = json_tokener_new();
	json_object *doc;
	size_t end;
	int line, col;

	if (!tok) {
		fprintf(err, "%s: cannot parse: %s\n", shown, strerror(ENOMEM));
		return NULL;
	}
	doc = json_tokener_parse_ex(tok, text, (int)len);
	end = json_tokener_get_parse_end(tok);
	if (end > len)
		end = len;
	/* Only whitespace may follow the document. */
	if (!doc || strspn(text + end, " \t\r\n") != len - end) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		place(text, end, &line, &col);
		fprintf(err, "%s:%d:%d: expected JSON: %s\n", shown, line, col,
			doc ? "trailing data after the document" :
			e == json_tokener_continue ? "unexpected end of file (truncated?)" :
			json_tokener_error_desc(e));
		if (doc)
			json_object_put(doc);
		doc = NULL;
	}
	json_tokener_free(tok);
	return doc;
}

json_object *json_file_parse(const char *path, FILE *err)
{
	size_t len;
	char *text = read_file(path, &len);
	json_object *doc;

	if (!text) {
		fprintf(err, "%s: cannot read: %s\n", path, read_file_strerror(errno));
		return NULL;
	}
	doc = json_text_parse(text, len, path, err);
	free(text);
	return doc;
}

json_object *jmember(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (o && json_object_is_type(o, json_type_object))
		json_object_object_get_ex(o, key, &v);
	return v;
}

const char *jmember_str(json_object *o, const char *key)
{
	json_object *v = jmember(o, key);

	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

size_t jarray_len(json_object *a)
{
	return a && json_object_is_type(a, json_type_array) ? json_object_array_length(a) : 0;
}

json_object *jarray_at(json_object *a, size_t i)
{
	return i < jarray_len(a) ? json_object_array_get_idx(a, i) : NULL;
}
