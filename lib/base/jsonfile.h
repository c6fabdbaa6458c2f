/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A JSON document read from a file people hand us (results, list output):
 * syntax errors name FILE:LINE:COL and what was expected, so a truncated
 * or hand-edited file is bad input with a place, never a crash. And
 * reading members without trusting their type: json-c's own accessors
 * assert (abort) on an array that is not one.
 */
#ifndef SNOOP_JSONFILE_H
#define SNOOP_JSONFILE_H

#include <stddef.h>
#include <stdio.h>

#include <json.h>

/*
 * The whole of path as one JSON value (trailing whitespace allowed), or
 * NULL after printing "path: cannot read: ..." or "path:LINE:COL:
 * expected JSON: ..." to err. The caller owns the result.
 */
json_object *json_file_parse(const char *path, FILE *err);
/* The same for text already read (len bytes), named shown in messages. */
json_object *json_text_parse(const char *text, size_t len, const char *shown, FILE *err);

/* o[key], or NULL when o is not an object or lacks key. */
json_object *jmember(json_object *o, const char *key);
/* o[key] when it is a string, else NULL. */
const char *jmember_str(json_object *o, const char *key);
/* The length of a, 0 when a is not an array (NULL included). */
size_t jarray_len(json_object *a);
/* a[i], NULL when a is not an array or i is past its end. */
json_object *jarray_at(json_object *a, size_t i);

#endif
