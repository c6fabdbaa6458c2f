// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner compare FILE...: platforms side by side, one column each, from
 * what `runner list --json` (or a results file's "platform" member)
 * reported: kernel, IOMMU units with their Snoop Control, and for every
 * device seen anywhere the unit serving it and whether it enforces, or,
 * from a results file, the verdict the run reached for it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "commands.h"

#define MAX_COLS 16
#define COL 27

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (o)
		json_object_object_get_ex(o, key, &v);
	return v;
}

static const char *str(json_object *o, const char *key, const char *dflt)
{
	json_object *v = get(o, key);

	return v ? json_object_get_string(v) : dflt;
}

/* A results file carries the list document under "platform". */
static json_object *platform_of(json_object *doc)
{
	json_object *p = get(doc, "platform");

	return p && get(p, "devices") ? p : doc;
}

static json_object *unit_named(json_object *plat, const char *name)
{
	json_object *units = get(plat, "iommu_units");

	for (size_t i = 0; name && i < json_object_array_length(units); i++) {
		json_object *u = json_object_array_get_idx(units, i);

		if (!strcmp(str(u, "name", ""), name))
			return u;
	}
	return NULL;
}

static void row(const char *label, char cells[][COL * 2], int n)
{
	printf("%-24s", label);
	for (int i = 0; i < n; i++)
		printf(" %-*.*s", COL, COL, cells[i]);
	putchar('\n');
}

static const char *enforces(json_object *unit)
{
	json_object *e = get(unit, "enforces_coherency");

	return !unit ? "none" : !e ? "unknown" : json_object_get_boolean(e) ? "yes" : "no";
}

static void unit_cell(char *cell, size_t len, json_object *u)
{
	json_object *sc = get(get(u, "facts"), "snoop_control");

	if (sc)
		snprintf(cell, len, "%s %s SC=%d", str(u, "name", "?"), str(u, "kind", "?"),
			 json_object_get_boolean(sc));
	else
		snprintf(cell, len, "%s %s", str(u, "name", "?"), str(u, "kind", "?"));
}

static int collect_bdfs(json_object **plats, int n, char bdfs[][16], int max)
{
	int cnt = 0;

	for (int c = 0; c < n; c++) {
		json_object *devs = get(plats[c], "devices");

		for (size_t i = 0; i < json_object_array_length(devs); i++) {
			const char *b = str(json_object_array_get_idx(devs, i), "bdf", "");
			int k;

			for (k = 0; k < cnt && strcmp(bdfs[k], b); k++)
				;
			if (k == cnt && cnt < max)
				snprintf(bdfs[cnt++], 16, "%s", b);
		}
	}
	qsort(bdfs, (size_t)cnt, sizeof(bdfs[0]), (int (*)(const void *, const void *))strcmp);
	return cnt;
}

static json_object *device_in(json_object *plat, const char *bdf)
{
	json_object *devs = get(plat, "devices");

	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		json_object *d = json_object_array_get_idx(devs, i);

		if (!strcmp(str(d, "bdf", ""), bdf))
			return d;
	}
	return NULL;
}

/* A results file's verdict label for bdf, or NULL. */
static const char *verdict_for(json_object *doc, const char *bdf)
{
	json_object *vs = get(doc, "verdicts");

	for (size_t i = 0; i < json_object_array_length(vs); i++) {
		json_object *v = json_object_array_get_idx(vs, i);

		if (!strcmp(str(v, "device", ""), bdf))
			return str(v, "label", NULL);
	}
	return NULL;
}

static void print_table(char **names, json_object **docs, json_object **plats, int n)
{
	static char bdfs[256][16];
	char cells[MAX_COLS][COL * 2];
	int nb;

	for (int c = 0; c < n; c++)
		snprintf(cells[c], sizeof(cells[c]), "%s", names[c]);
	row("", cells, n);
	for (int c = 0; c < n; c++)
		snprintf(cells[c], sizeof(cells[c]), "%s", str(get(plats[c], "kernel"), "release", "?"));
	row("kernel", cells, n);
	for (size_t u = 0;; u++) {
		int any = 0;

		for (int c = 0; c < n; c++) {
			json_object *units = get(plats[c], "iommu_units");

			if (u < json_object_array_length(units)) {
				unit_cell(cells[c], sizeof(cells[c]), json_object_array_get_idx(units, u));
				any = 1;
			} else {
				snprintf(cells[c], sizeof(cells[c]), "%s", u ? "" : "no IOMMU");
			}
		}
		if (!any && u)
			break;
		row(u ? "" : "IOMMU units", cells, n);
		if (!any)
			break;
	}
	nb = collect_bdfs(plats, n, bdfs, 256);
	for (int b = 0; b < nb; b++) {
		for (int c = 0; c < n; c++) {
			json_object *d = device_in(plats[c], bdfs[b]);
			const char *unit = str(d, "iommu_unit", NULL);

			if (!d)
				snprintf(cells[c], sizeof(cells[c]), "-");
			else if (verdict_for(docs[c], bdfs[b]))
				snprintf(cells[c], sizeof(cells[c]), "%s", verdict_for(docs[c], bdfs[b]));
			else if (!unit)
				snprintf(cells[c], sizeof(cells[c]), "no unit");
			else
				snprintf(cells[c], sizeof(cells[c]), "%s enforces=%s",
					 unit ? unit : "no unit",
					 enforces(unit_named(plats[c], unit)));
		}
		row(bdfs[b], cells, n);
	}
}

int cmd_compare(int argc, char **argv)
{
	json_object *docs[MAX_COLS], *plats[MAX_COLS];
	char *names[MAX_COLS];
	int n = argc - 1, ret = 0;

	if (n < 1 || n > MAX_COLS) {
		fprintf(stderr, "usage: runner compare FILE... (1 to %d runner list --json or results files)\n",
			MAX_COLS);
		return EXIT_BADINPUT;
	}
	for (int i = 0; i < n; i++) {
		const char *base = strrchr(argv[i + 1], '/');

		docs[i] = json_object_from_file(argv[i + 1]);
		if (!docs[i] || !get(platform_of(docs[i]), "devices")) {
			fprintf(stderr, "%s: expected a runner list --json or results document: %s\n",
				argv[i + 1], docs[i] ? "no \"devices\" member" : json_util_get_last_err());
			ret = EXIT_BADINPUT;
			continue;
		}
		plats[i] = platform_of(docs[i]);
		names[i] = strdup(base ? base + 1 : argv[i + 1]);
		if (names[i] && strstr(names[i], ".json"))
			*strstr(names[i], ".json") = '\0';
	}
	if (!ret)
		print_table(names, docs, plats, n);
	for (int i = 0; i < n; i++) {
		if (docs[i])
			json_object_put(docs[i]);
		if (!ret)
			free(names[i]);
	}
	return ret;
}
