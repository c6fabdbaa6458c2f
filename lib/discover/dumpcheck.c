// SPDX-License-Identifier: GPL-2.0-only
#include "discover/dumpcheck.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/bdf.h"
#include "base/fsutil.h"

/* "BB:DD.F" or "DDDD:BB:DD.F" then a space or the end (lspci -x header). */
static int is_device_line(const char *l)
{
	size_t n;

	return bdf_prefix(l, &n) && (!l[n] || l[n] == ' ');
}

/* "NN:" or "NNN:" then 1..16 " xx" bytes. */
static int is_hex_row(const char *l)
{
	int i = 0, bytes = 0;

	while (isxdigit((unsigned char)l[i]))
		i++;
	if (i < 2 || i > 3 || l[i] != ':')
		return 0;
	for (i++; l[i]; i += 3, bytes++) {
		if (l[i] != ' ' || !isxdigit((unsigned char)l[i + 1]) ||
		    !isxdigit((unsigned char)l[i + 2]))
			return 0;
	}
	return bytes >= 1 && bytes <= 16;
}

int dump_check(const char *path, FILE *err)
{
	size_t len;
	/* a capture's dump is its own file: a link could lead anywhere */
	char *text = read_file_nofollow(path, &len), *line, *next;
	int lineno = 0, devices = 0, ret = 0, in_device = 0;

	if (!text) {
		ret = -errno;	/* before fprintf can change errno */
		fprintf(err, "%s: cannot read: %s\n", path, read_file_strerror(-ret));
		return ret;
	}
	if (len && text[len - 1] != '\n') {
		for (char *p = text; *p; p++)
			lineno += *p == '\n';
		fprintf(err, "%s:%d: unterminated last line (the file was cut short?)\n",
			path, lineno + 1);
		free(text);
		return -EINVAL;
	}
	for (line = text; line && *line && !ret; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		if (!*line) {
			in_device = 0;
		} else if (!in_device && is_device_line(line)) {
			in_device = 1;
			devices++;
		} else if (in_device && is_hex_row(line)) {
			continue;
		} else if (in_device && !isxdigit((unsigned char)line[0])) {
			continue;	/* lspci -v detail lines between header and rows */
		} else {
			fprintf(err, "%s:%d: expected %s, got '%.40s'\n", path, lineno,
				in_device ? "a hex row 'NN: xx xx ...'" :
				"a device line 'BB:DD.F description' (lspci -x format)", line);
			ret = -EINVAL;
		}
	}
	if (!ret && !devices) {
		fprintf(err, "%s:1: expected at least one device (lspci -x format)\n", path);
		ret = -EINVAL;
	}
	free(text);
	return ret;
}
