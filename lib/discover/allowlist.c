// SPDX-License-Identifier: GPL-2.0-only
#include "discover/allowlist.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/fsutil.h"
#include "base/pciid.h"

const char *allow_class_name(enum allow_class c)
{
	return c == ALLOW_NEVER ? "never" : c == ALLOW_MAY ? "may" : "unknown";
}

static int parse_class(const char *s, enum allow_class *c)
{
	if (!strcmp(s, "never"))
		*c = ALLOW_NEVER;
	else if (!strcmp(s, "may"))
		*c = ALLOW_MAY;
	else if (!strcmp(s, "unknown"))
		*c = ALLOW_UNKNOWN;
	else
		return -1;
	return 0;
}

/*
 * "*", "VVVV:*" or "VVVV:DDDD", each ID four hex digits and nothing else
 * (base/pciid.h): sscanf's %4x took a sign or "0x" too ("+abc:*" read as
 * 0abc, "-001:*" as vendor -1, which is any vendor).
 */
static int parse_ids(const char *s, int *vendor, int *device)
{
	char v[5];
	uint16_t ven;

	*vendor = *device = -1;
	if (!strcmp(s, "*"))
		return 0;
	if (strlen(s) == 6 && !strcmp(s + 4, ":*")) {
		snprintf(v, sizeof(v), "%.4s", s);
		if (pciid_parse(v, &ven, device)) {
			*vendor = ven;
			return 0;
		}
	} else if (pciid_parse(s, &ven, device) && *device >= 0) {
		*vendor = ven;
		return 0;
	}
	*vendor = *device = -1;
	return -1;
}

static char *next_word(char **p)
{
	char *w;

	while (isspace((unsigned char)**p))
		(*p)++;
	if (!**p)
		return NULL;
	w = *p;
	while (**p && !isspace((unsigned char)**p))
		(*p)++;
	if (**p)
		*(*p)++ = '\0';
	return w;
}

static int parse_line(struct allow_entry *e, char *line, const char *path,
		      int lineno, FILE *err)
{
	char *drv, *ids, *cls, *ev;

	drv = next_word(&line);
	ids = next_word(&line);
	cls = next_word(&line);
	while (isspace((unsigned char)*line))
		line++;
	ev = line;
	if (!ids || !cls) {
		fprintf(err, "%s:%d: expected 'DRIVER IDS CLASS EVIDENCE'\n", path, lineno);
		return -EINVAL;
	}
	if (strlen(drv) >= sizeof(e->driver)) {
		fprintf(err, "%s:%d: driver name longer than %zu characters\n", path,
			lineno, sizeof(e->driver) - 1);
		return -EINVAL;
	}
	if (parse_ids(ids, &e->vendor, &e->device)) {
		fprintf(err, "%s:%d: expected IDS as '*', 'VVVV:*' or 'VVVV:DDDD' (hex), got '%s'\n",
			path, lineno, ids);
		return -EINVAL;
	}
	if (parse_class(cls, &e->cls)) {
		fprintf(err, "%s:%d: expected CLASS 'never', 'may' or 'unknown', got '%s'\n",
			path, lineno, cls);
		return -EINVAL;
	}
	if (!*ev) {
		fprintf(err, "%s:%d: expected EVIDENCE (a URL or document reference) after '%s'\n",
			path, lineno, cls);
		return -EINVAL;
	}
	strcpy(e->driver, drv);
	snprintf(e->evidence, sizeof(e->evidence), "%s", ev);
	snprintf(e->file, sizeof(e->file), "%s", path);
	e->line = lineno;
	return 0;
}

int allowlist_load_file(struct allowlist *a, const char *path, FILE *err)
{
	char *text = read_file(path, NULL), *line, *next;
	int lineno = 0, ret = 0;

	if (!text) {
		ret = -errno;
		fprintf(err, "%s: cannot read: %s\n", path, read_file_strerror(-ret));
		return ret;
	}
	for (line = text; line && !ret; line = next) {
		struct allow_entry *nv;
		char *hash;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		if (strspn(line, " \t\r") == strlen(line))
			continue;
		nv = realloc(a->e, (a->n + 1) * sizeof(*nv));
		if (!nv) {
			ret = -ENOMEM;
			break;
		}
		a->e = nv;
		memset(&nv[a->n], 0, sizeof(nv[a->n]));
		line[strcspn(line, "\r")] = '\0';
		ret = parse_line(&nv[a->n], line, path, lineno, err);
		if (!ret)
			a->n++;
	}
	free(text);
	return ret;
}

static int only_lists(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return n > 5 && !strcmp(de->d_name + n - 5, ".list");
}

int allowlist_load_dir(struct allowlist *a, const char *dir, FILE *err)
{
	struct dirent **names;
	int n = scandir(dir, &names, only_lists, alphasort), ret = 0;

	if (n < 0) {
		ret = -errno;
		fprintf(err, "%s: cannot read: %s\n", dir, strerror(errno));
		return ret;
	}
	for (int i = 0; i < n; i++) {
		char path[4096];

		if (!ret) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			ret = allowlist_load_file(a, path, err);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

void allowlist_free(struct allowlist *a)
{
	free(a->e);
	a->e = NULL;
	a->n = 0;
}

/* vendor:device beats vendor:* beats *; among equals the first wins. */
static int specificity(const struct allow_entry *e)
{
	return (e->vendor >= 0) + (e->device >= 0);
}

const struct allow_entry *allowlist_lookup(const struct allowlist *a,
					   const char *driver,
					   uint16_t vendor, uint16_t device)
{
	const struct allow_entry *best = NULL;

	if (!driver || !*driver)
		return NULL;
	for (size_t i = 0; i < a->n; i++) {
		const struct allow_entry *e = &a->e[i];

		if (strcmp(e->driver, driver))
			continue;
		if ((e->vendor >= 0 && e->vendor != vendor) ||
		    (e->device >= 0 && e->device != device))
			continue;
		if (!best || specificity(e) > specificity(best))
			best = e;
	}
	return best;
}
