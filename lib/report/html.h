/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writing HTML from outside input (results files people hand us): every
 * string goes through here, so a device name or a reason holding
 * "<script>" renders as text and never as markup. Text and attribute
 * values share one escape (attributes are always double-quoted); links
 * are relative paths, percent-encoded.
 */
#ifndef SNOOP_REPORT_HTML_H
#define SNOOP_REPORT_HTML_H

#include <stddef.h>
#include <stdio.h>

#include <json.h>

/*
 * len bytes of s as text or a quoted attribute value: & < > " ' as
 * character references; a NUL or another control character (but tab, LF
 * and CR) as its Unicode control picture (U+2400 + c, DEL U+2421), so it
 * shows, is not dropped, and cannot end the text early.
 */
void html_esc_n(FILE *out, const char *s, size_t len);
/* The same for a C string; NULL writes nothing. */
void html_esc(FILE *out, const char *s);
/*
 * A JSON value as text: a string as it is, anything else as json-c
 * prints it; JSON null (NULL to json-c) as "unknown", as results mean it.
 */
void html_esc_json(FILE *out, json_object *v);
/*
 * A relative path as a URL path: unreserved characters and '/' as they
 * are, every other byte %XX, so ':' in "attach@0000:00:04.0.ktap" is
 * never read as a scheme, '#' and '?' never end the path.
 */
void html_url_path(FILE *out, const char *path);

#endif
