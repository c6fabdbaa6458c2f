/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A report page in a real browser, for the tests that render one: headless
 * Chromium (Debian's chromium) screenshots it and dumps its DOM, which
 * tests/report/readdom.py reads back; the verdict matrix read back is
 * compared with the one derived on our own from the results files'
 * verdicts[] (json-c). Needs clirun.h's run() and out first.
 */
#ifndef SNOOP_TESTS_BROWSER_H
#define SNOOP_TESTS_BROWSER_H

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <json.h>

#define CHROMIUM "/usr/bin/chromium"

/*
 * Chromium, headless and quiet, on page with what (--screenshot=FILE or
 * --dump-dom): a private profile in dir, a time limit, its stderr kept in
 * dir/chromium.err and shown only when it fails. stdout into to.
 */
static int __attribute__((unused)) chromium(const char *dir, const char *what, const char *page, const char *to)
{
	char cmd[PATH_MAX * 4], abs[PATH_MAX];
	int st;

	if (!realpath(page, abs))
		return -1;
	snprintf(cmd, sizeof(cmd),
		 "timeout -k 5 90 " CHROMIUM " --headless --no-sandbox --disable-gpu --no-first-run"
		 " --hide-scrollbars --user-data-dir=%s/profile --window-size=1400,1000 %s"
		 " 'file://%s' >%s 2>%s/chromium.err", dir, what, abs, to, dir);
	st = system(cmd);
	st = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
	if (st) {
		snprintf(cmd, sizeof(cmd), "tail -n 20 %s/chromium.err >&2", dir);
		fprintf(stderr, "# chromium %s: exit %d\n", what, st);
		if (system(cmd))
			return st;
	}
	return st;
}

/* The page rendered and read back: readdom.py's lines in out. */
static int __attribute__((unused)) read_back(const char *dir, const char *page, const char *needle)
{
	char dom[PATH_MAX], cmd[PATH_MAX * 3];
	int st;

	snprintf(dom, sizeof(dom), "%s/dom.html", dir);
	if ((st = chromium(dir, "--dump-dom", page, dom)))
		return st;
	snprintf(cmd, sizeof(cmd), "/usr/bin/python3 tests/report/readdom.py %s '%s'", dom,
		 needle ? needle : "");
	return run(cmd);
}

/* The expected matrix, from the files themselves: "RUN\tDEVICE\tLABEL" lines. */
static char expected[1 << 16];
static size_t n_expected;
static char *lines[4096];

static int collect(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	json_object *doc, *vs;
	size_t n = strlen(path);

	(void)st;
	(void)ftw;
	if (type != FTW_F || n < 5 || strcmp(path + n - 5, ".json"))
		return 0;
	doc = json_object_from_file(path);
	if (!doc || !json_object_object_get_ex(doc, "schema_version", NULL)) {
		json_object_put(doc);
		return 0;
	}
	vs = json_object_object_get(doc, "verdicts");
	for (size_t i = 0; i < json_object_array_length(vs); i++) {
		json_object *v = json_object_array_get_idx(vs, i);
		int w = snprintf(expected + n_expected, sizeof(expected) - n_expected, "%s\t%s\t%s\n",
			json_object_get_string(json_object_object_get(json_object_object_get(doc, "run"), "id")),
			json_object_get_string(json_object_object_get(v, "device")),
			json_object_get_string(json_object_object_get(v, "label")));

		n_expected += (size_t)w;
	}
	json_object_put(doc);
	return 0;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted, newline-joined: lines of text sorted. */
static void sort_lines(char *text)
{
	size_t n = 0;
	char *copy = strdup(text), *save = NULL;

	for (char *l = strtok_r(copy, "\n", &save); l && n < 4096; l = strtok_r(NULL, "\n", &save))
		lines[n++] = l;
	qsort(lines, n, sizeof(*lines), by_str);
	text[0] = '\0';
	for (size_t i = 0; i < n; i++)
		strcat(strcat(text, lines[i]), "\n");
	free(copy);
}

/* The first three fields of readdom's cell lines (those with a tab). */
static void cells_only(const char *from, char *to)
{
	to[0] = '\0';
	for (const char *l = from; *l;) {
		const char *e = strchr(l, '\n');
		size_t len = e ? (size_t)(e - l) : strlen(l);
		const char *t1 = memchr(l, '\t', len), *t2, *t3;

		if (t1 && (t2 = memchr(t1 + 1, '\t', len - (size_t)(t1 + 1 - l))) &&
		    (t3 = memchr(t2 + 1, '\t', len - (size_t)(t2 + 1 - l))))
			strncat(strcat(to, ""), l, (size_t)(t3 - l)), strcat(to, "\n");
		l += len + (e != NULL);
	}
}

/*
 * The page (runner report's, of data: a results file or tree) in Chromium:
 * a screenshot of over 1000 bytes kept as shot, then the matrix read back
 * from its DOM into matrix_got and the one derived from data's files into
 * expected, both as sorted
 * "RUN<TAB>DEVICE<TAB>VERDICT" lines. 0 when both were produced (the
 * caller compares them); else what failed is said on stderr.
 */
static char matrix_got[1 << 16];

static int __attribute__((unused)) matrix_both_ways(const char *dir, const char *data,
						    const char *page, const char *shot)
{
	char shot_opt[PATH_MAX + 16];
	struct stat st;

	snprintf(shot_opt, sizeof(shot_opt), "--screenshot=%s", shot);
	if (chromium(dir, shot_opt, page, "/dev/null") || stat(shot, &st) || st.st_size <= 1000) {
		fprintf(stderr, "# no screenshot %s of %s\n", shot, page);
		return -1;
	}
	if (read_back(dir, page, NULL) || !strstr(out, "elements script 0\n")) {
		fprintf(stderr, "# reading the DOM back failed:\n%s\n", out);
		return -1;
	}
	cells_only(out, matrix_got);
	n_expected = 0;
	expected[0] = '\0';
	if (nftw(data, collect, 16, FTW_PHYS) || !n_expected) {
		fprintf(stderr, "# no verdicts found in %s\n", data);
		return -1;
	}
	sort_lines(matrix_got);
	sort_lines(expected);
	return 0;
}

#endif
