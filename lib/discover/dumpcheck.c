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

/* A device line's address, one spelling per device, and where it was. */
struct seen {
	char key[BDF_LEN];
	int line;
};

/*
 * Note the device line l (its address n bytes long) at lineno; the line
 * that named the same device before, or 0. "00:02.0" and "0000:00:02.0"
 * are one device (a 5-digit VMD domain has one spelling only). libpci
 * would make two devices of one address, and replay would pick either.
 * -1 when out of memory.
 */
static int seen_before(struct seen **v, int n, const char *l, size_t len, int lineno)
{
	char raw[BDF_LEN];
	struct seen *s;

	if (n % 64 == 0) {
		s = realloc(*v, (size_t)(n + 64) * sizeof(*s));
		if (!s)
			return -1;
		*v = s;
	}
	s = &(*v)[n];
	snprintf(raw, sizeof(raw), "%.*s", (int)len, l);
	if (!bdf_normalize(raw, s->key))
		for (size_t i = 0; i == 0 || raw[i - 1]; i++)
			s->key[i] = (char)tolower((unsigned char)raw[i]);
	s->line = lineno;
	for (int i = 0; i < n; i++)
		if (!strcmp((*v)[i].key, s->key))
			return (*v)[i].line;
	return 0;
}

/*
 * "NN:" or "NNN:" then 16 " xx" bytes, as lspci prints every row: its end
 * (offset + 16), or 0 when l is no such row.
 */
static unsigned int hex_row_end(const char *l)
{
	unsigned int off = 0;
	int i = 0, bytes = 0;

	for (; isxdigit((unsigned char)l[i]); i++)
		off = off * 16 + (unsigned int)(isdigit((unsigned char)l[i]) ? l[i] - '0' :
						(tolower((unsigned char)l[i]) - 'a' + 10));
	if (i < 2 || i > 3 || l[i] != ':' || off % 16)
		return 0;
	for (i++; l[i]; i += 3, bytes++) {
		if (l[i] != ' ' || !isxdigit((unsigned char)l[i + 1]) ||
		    !isxdigit((unsigned char)l[i + 2]))
			return 0;
	}
	return bytes == 16 ? off + 16 : 0;
}

/*
 * A device's block ends (a blank line or the end of the file): it must
 * have had a hex row. libpci would make a device of the bare line, all
 * of its config space unknown: a phantom in the replay. And its rows must
 * end where lspci's do, at 64, 256 or 4096 bytes (-x, -xxx, -xxxx): libpci
 * reads the capabilities in whatever it is given, but a capture writes
 * back only whole standard sizes, so any other length would replay
 * differently from what it was read as. 0 or -EINVAL.
 */
static int has_rows(const char *path, int in_device, int rows, unsigned int end, int dev_line,
		    FILE *err)
{
	if (!in_device)
		return 0;
	if (!rows) {
		fprintf(err, "%s:%d: expected hex rows 'NN: xx xx ...' after the device line (the file was cut short?)\n",
			path, dev_line);
		return -EINVAL;
	}
	if (end != 64 && end != 256 && end != 4096) {
		fprintf(err, "%s:%d: expected the device's rows to end at 0x40, 0x100 or 0x1000 "
			"(lspci -x, -xxx, -xxxx), they end at 0x%x (the file was cut short?)\n",
			path, dev_line, end);
		return -EINVAL;
	}
	return 0;
}

int dump_check(const char *path, FILE *err)
{
	size_t len;
	/* a capture's dump is its own file: a link could lead anywhere */
	char *text = read_file_nofollow(path, &len), *line, *next;
	struct seen *seen = NULL;
	int lineno = 0, devices = 0, ret = 0, in_device = 0;
	int rows = 0, dev_line = 0;	/* the current device's */
	unsigned int end = 0, row_end;

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
			if ((ret = has_rows(path, in_device, rows, end, dev_line, err)))
				break;
			in_device = 0;
		} else if (!in_device && is_device_line(line)) {
			size_t n;
			int prev;

			bdf_prefix(line, &n);
			prev = seen_before(&seen, devices, line, n, lineno);
			if (prev < 0) {
				ret = -ENOMEM;
				break;
			}
			if (prev) {
				fprintf(err, "%s:%d: expected each device once; %s is already on line %d\n",
					path, lineno, seen[devices].key, prev);
				ret = -EINVAL;
				break;
			}
			devices++;
			in_device = 1;
			rows = 0;
			end = 0;
			dev_line = lineno;
		} else if (in_device && (row_end = hex_row_end(line))) {
			rows++;
			if (row_end > end)
				end = row_end;
		} else if (in_device && !isxdigit((unsigned char)line[0])) {
			continue;	/* lspci -v detail lines between header and rows */
		} else {
			fprintf(err, "%s:%d: expected %s, got '%.40s'\n", path, lineno,
				in_device ? "a hex row 'NN: xx xx ...' (16 bytes at a multiple of 0x10)" :
				"a device line 'BB:DD.F description' (lspci -x format)", line);
			ret = -EINVAL;
		}
	}
	if (!ret)
		ret = has_rows(path, in_device, rows, end, dev_line, err);
	if (!ret && !devices) {
		fprintf(err, "%s:1: expected at least one device (lspci -x format)\n", path);
		ret = -EINVAL;
	}
	free(seen);
	free(text);
	return ret;
}
