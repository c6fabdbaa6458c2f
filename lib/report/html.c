// SPDX-License-Identifier: GPL-2.0-only
#include "report/html.h"

#include <ctype.h>
#include <string.h>

void html_esc_n(FILE *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		case '\t': case '\n': case '\r': fputc(c, out); break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(out, "&#x%X;", c == 0x7f ? 0x2421 : 0x2400 + c);
			else
				fputc(c, out);
		}
	}
}

void html_esc(FILE *out, const char *s)
{
	if (s)
		html_esc_n(out, s, strlen(s));
}

void html_esc_json(FILE *out, json_object *v)
{
	if (!v) {
		fputs("unknown", out);
	} else if (json_object_is_type(v, json_type_string)) {
		html_esc_n(out, json_object_get_string(v), (size_t)json_object_get_string_len(v));
	} else {
		html_esc(out, json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
							 JSON_C_TO_STRING_NOSLASHESCAPE));
	}
}

void html_url_path(FILE *out, const char *path)
{
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (isalnum(*p) || strchr("-._~/", *p))
			fputc(*p, out);
		else
			fprintf(out, "%%%02X", *p);
	}
}
