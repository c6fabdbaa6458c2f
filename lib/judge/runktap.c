// SPDX-License-Identifier: GPL-2.0-only
#include "judge/runktap.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fsutil.h"
#include "sysfs/sysroot.h"

#define INDENT "    "

/* The first line of a reason, as a directive's text. */
static void first_line(FILE *f, const char *s)
{
	fprintf(f, "%.*s", (int)strcspn(s ? s : "", "\n"), s ? s : "");
}

/*
 * A failed test's reason as diagnostic lines just before its result line,
 * where KTAP readers look for them: the harness wrote them to stderr,
 * which the suite's own KTAP does not hold.
 */
static void reason_lines(FILE *f, const struct ktap_result *t)
{
	if (!t->reason || (strcmp(t->outcome, "fail") && strcmp(t->outcome, "error")))
		return;
	for (const char *p = t->reason, *e; p && *p; p = e ? e + 1 : NULL) {
		e = strchr(p, '\n');
		fprintf(f, INDENT "# %.*s\n", (int)(e ? e - p : (long)strlen(p)), p);
	}
}

/* The suite's own lines, indented, its version line made the subtest's. */
static void copy_log(FILE *f, const char *stem, const char *text, const struct ktap *k)
{
	size_t next = 0;	/* the next test whose result line is ahead */
	int num = 0;

	fprintf(f, INDENT "KTAP version 1\n" INDENT "# Subtest: %s\n", stem);
	for (const char *p = text, *e; p && *p; p = e ? e + 1 : NULL) {
		size_t len;

		e = strchr(p, '\n');
		len = e ? (size_t)(e - p) : strlen(p);
		num++;
		while (next < k->n && k->v[next].line && k->v[next].line < num)
			next++;
		if (next < k->n && k->v[next].line == num)
			reason_lines(f, &k->v[next]);
		if (!strncmp(p, "TAP version ", 12) || !strncmp(p, "KTAP version ", 13))
			continue;
		fprintf(f, "%s%.*s\n", len ? INDENT : "", (int)len, p);
	}
}

/* Tests the suite never reported, from the parse; extras as diagnostics. */
static void add_missing(FILE *f, const struct ktap *k)
{
	for (size_t j = 0; j < k->n; j++) {
		const struct ktap_result *t = &k->v[j];

		if (t->line)
			continue;
		if ((int)j < k->planned) {
			reason_lines(f, t);
			fprintf(f, INDENT "not ok %zu %s # ", j + 1, t->name);
		} else {
			fprintf(f, INDENT "# %s: %s: ", t->outcome, t->name);
		}
		first_line(f, t->reason);
		fputc('\n', f);
	}
}

static bool failed(const struct ktap *k)
{
	struct ktap_counts c;

	ktap_count(k, &c);
	return c.fail || c.error;
}

static void one_suite(FILE *f, size_t num, const char *dir, const struct suite_log *l)
{
	char path[PATH_MAX], *text;
	const struct ktap *k = &l->k;

	path_fmt(path, sizeof(path), "%s/%s.ktap", dir, l->stem);
	text = read_file(path, NULL);
	if (!k->reported && k->planned <= 0 && k->n <= 1) {
		/* Nothing to nest: one test that says why. */
		if (k->planned == 0 && !k->n)
			fprintf(f, "ok %zu %s # SKIP the suite planned no tests\n", num, l->stem);
		else
			fprintf(f, "not ok %zu %s # the suite printed no KTAP (%s)\n", num, l->stem,
				l->ended[0] ? l->ended : "killed or crashed");
		free(text);
		return;
	}
	copy_log(f, l->stem, text, k);
	add_missing(f, k);
	fprintf(f, "%sok %zu %s\n", failed(k) ? "not " : "", num, l->stem);
	free(text);
}

int runktap_write(const char *path, const char *dir, const struct suite_log *logs, size_t n)
{
	char *doc = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&doc, &len);
	int ret = 0;

	if (!f)
		return -errno;
	fprintf(f, "KTAP version 1\n1..%zu\n", n);
	for (size_t i = 0; i < n; i++)
		one_suite(f, i + 1, dir, &logs[i]);
	if (fclose(f))
		ret = -errno;
	else if (write_file_atomic(path, doc, len))
		ret = -errno;
	free(doc);
	return ret;
}
