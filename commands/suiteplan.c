// SPDX-License-Identifier: GPL-2.0-only
#include "suiteplan.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/spawn.h"
#include "base/trust.h"
#include "commands.h"
#include "sysfs/sysroot.h"
#include "vm/labpaths.h"

#define LIST_TIMEOUT_S 30
#define KSFT_SKIP 4		/* what the harness exits with after -l */

static int is_suite(const struct dirent *de)
{
	char path[PATH_MAX];

	if (de->d_name[0] == '.' || strchr(de->d_name, '.') ||
	    strlen(de->d_name) >= SUITE_NAME_MAX)
		return 0;
	path_fmt(path, sizeof(path), "%s/suites/%s", lab_srcdir(), de->d_name);
	return access(path, X_OK) == 0;
}

static int push(char ***v, size_t *n, char *s)
{
	char **nv = s ? realloc(*v, (*n + 1) * sizeof(**v)) : NULL;

	if (!nv) {
		free(s);
		return -ENOMEM;
	}
	nv[(*n)++] = s;
	*v = nv;
	return 0;
}

static void free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The column at *pos, padded to width w: its length, 0 when blank. */
static size_t column(const char *line, size_t len, size_t *pos, size_t w, const char **start)
{
	size_t p = *pos, l = 0;

	*start = line + (p < len ? p : len);
	if (p >= len)
		return 0;
	if (line[p] == ' ') {
		*pos = p + w + 1;
		return 0;
	}
	while (p + l < len && line[p + l] != ' ')
		l++;
	*pos = p + (l > w ? l : w) + 1;
	return l;
}

/* One fixture's variants times its tests, as the harness names them. */
static int flush_fixture(const char *f, char **vars, size_t nv, char **tests, size_t nt,
			 char ***names, size_t *n)
{
	int ret = 0;

	for (size_t v = 0; v < (nv ? nv : 1) && !ret; v++) {
		for (size_t t = 0; t < nt && !ret; t++) {
			char *name;

			if (asprintf(&name, "%s.%s%s%s", f, nv ? vars[v] : "", nv ? "." : "",
				     tests[t]) < 0)
				name = NULL;
			ret = push(names, n, name);
		}
	}
	return ret;
}

int suite_plan_parse_listing(const char *text, char ***names, size_t *n)
{
	char *fixture = NULL, **vars = NULL, **tests = NULL;
	size_t nv = 0, nt = 0;
	int ret = 0;

	*names = NULL;
	*n = 0;
	for (const char *l = text, *e; !ret && l && *l; l = e ? e + 1 : NULL) {
		size_t len, pos = 0, fl, vl, tl;
		const char *fs, *vs, *ts;

		e = strchr(l, '\n');
		len = e ? (size_t)(e - l) : strlen(l);
		if (!len || !strncmp(l, "# FIXTURE", 9) || !strncmp(l, "----", 4))
			continue;
		fl = column(l, len, &pos, 20, &fs);
		vl = column(l, len, &pos, 25, &vs);
		tl = column(l, len, &pos, 0, &ts);
		if (fl) {
			if (fixture)
				ret = flush_fixture(fixture, vars, nv, tests, nt, names, n);
			free(fixture);
			free_names(vars, nv);
			free_names(tests, nt);
			vars = tests = NULL;
			nv = nt = 0;
			if (!(fixture = strndup(fs, fl)))
				ret = -ENOMEM;
		}
		if (!ret && vl)
			ret = push(&vars, &nv, strndup(vs, vl));
		if (!ret && tl)
			ret = push(&tests, &nt, strndup(ts, tl));
	}
	if (!ret && fixture)
		ret = flush_fixture(fixture, vars, nv, tests, nt, names, n);
	free(fixture);
	free_names(vars, nv);
	free_names(tests, nt);
	if (ret) {
		free_names(*names, *n);
		*names = NULL;
		*n = 0;
	}
	return ret;
}

struct listing {
	char *text;
	size_t len;
};

static void collect(void *ctx, int fd, const char *line, size_t len)
{
	struct listing *l = ctx;
	char *t;

	if (fd != 2 || !(t = realloc(l->text, l->len + len + 1)))
		return;
	memcpy(t + l->len, line, len);
	l->len += len;
	t[l->len] = '\0';
	l->text = t;
}

/* The suite's tests, from its own -l. 0 or an exit status, said on err. */
static int list_tests(const char *exe, char ***names, size_t *n, FILE *err)
{
	char *args[] = { (char *)exe, "-l", NULL }, why[PATH_MAX + 128];
	struct listing l = { 0 };
	struct spawn_opts o = {
		.stdin_path = "/dev/null",
		.unset_prefix = "SNOOPCHECK_",
		.timeout_s = LIST_TIMEOUT_S,
		.die_with_parent = true,
		.on_line = collect,
		.line_ctx = &l,
	};
	struct spawn_result r;
	bool listed = false;
	int ret;

	/* Run as root too: nothing anyone else could have swapped. */
	if (trust_exec(exe, why, sizeof(why))) {
		fprintf(err, "runner run: cannot list the tests of %s: %s\n", exe, why);
		return EXIT_TESTFAIL;
	}
	ret = spawn_run(args, &o, &r);
	if (ret)
		fprintf(err, "runner run: cannot run %s: %s\n", exe, strerror(-ret));
	else if (r.exec_errno)
		fprintf(err, "runner run: cannot run %s: %s\n", exe, strerror(r.exec_errno));
	else if (r.exit_status != KSFT_SKIP || !l.text)
		fprintf(err, "runner run: %s -l did not list its tests (exit %d, signal %d)\n",
			exe, r.exit_status, r.term_signal);
	else if (suite_plan_parse_listing(l.text, names, n))
		fprintf(err, "runner run: %s\n", strerror(ENOMEM));
	else
		listed = true;
	free(l.text);
	return listed ? 0 : EXIT_TESTFAIL;
}

/* Keep s's tests that some glob matches; mark the globs that did. */
static int pick_tests(struct planned_suite *s, const struct suite_filter *f, bool *matched,
		      FILE *err)
{
	char **all = NULL;
	size_t n = 0;
	int ret = list_tests(s->exe, &all, &n, err);

	for (size_t i = 0; !ret && i < n; i++) {
		bool want = false;

		for (size_t g = 0; g < f->n_test; g++) {
			if (!fnmatch(f->test[g], all[i], 0)) {
				matched[g] = want = true;
			}
		}
		if (want) {
			ret = push(&s->tests, &s->n_tests, all[i]);
			all[i] = NULL;
		}
	}
	free_names(all, n);	/* the ones kept are NULL there */
	if (ret == -ENOMEM)
		fprintf(err, "runner run: %s\n", strerror(ENOMEM));
	return ret < 0 ? EXIT_TESTFAIL : ret;
}

static bool named(const struct suite_filter *f, const char *name)
{
	for (size_t i = 0; i < f->n_suite; i++)
		if (!strcmp(f->suite[i], name))
			return true;
	return !f->n_suite;
}

/* Every --suite must be one; say which ones there are. */
static int check_names(struct dirent **found, int n, const struct suite_filter *f, FILE *err)
{
	for (size_t i = 0; i < f->n_suite; i++) {
		int j = 0;

		while (j < n && strcmp(found[j]->d_name, f->suite[i]))
			j++;
		if (j < n)
			continue;
		fprintf(err, "runner run: --suite '%s': expected one of", f->suite[i]);
		for (j = 0; j < n; j++)
			fprintf(err, " %s", found[j]->d_name);
		fprintf(err, " (%s/suites)\n", lab_srcdir());
		return EXIT_BADINPUT;
	}
	return 0;
}

/* Every --test must have matched a test of the suites searched. */
static int check_globs(const char *searched, const struct suite_filter *f,
		       const bool *matched, FILE *err)
{
	for (size_t g = 0; g < f->n_test; g++) {
		if (matched[g])
			continue;
		fprintf(err, "runner run: --test '%s': matches no test of%s (runner run --list "
			"--test '*' shows them all)\n", f->test[g], searched);
		return EXIT_BADINPUT;
	}
	return 0;
}

int suite_plan_make(struct suite_plan *p, const struct suite_filter *f, FILE *err)
{
	char dir[PATH_MAX], searched[1024] = "";
	struct dirent **found;
	bool matched[SUITE_FILTER_MAX] = { false };
	int n, ret;

	memset(p, 0, sizeof(*p));
	path_fmt(dir, sizeof(dir), "%s/suites", lab_srcdir());
	n = scandir(dir, &found, is_suite, alphasort);
	if (n < 0) {
		fprintf(err, "runner run: %s: %s\n", dir, strerror(errno));
		return EXIT_TESTFAIL;
	}
	ret = check_names(found, n, f, err);
	if (!ret && !(p->v = calloc(n ? (size_t)n : 1, sizeof(*p->v))))
		ret = EXIT_TESTFAIL;
	for (int i = 0; !ret && i < n; i++) {
		struct planned_suite *s = &p->v[p->n];

		if (!named(f, found[i]->d_name))
			continue;
		/* is_suite() took only names that fit */
		snprintf(s->name, sizeof(s->name), "%.*s", SUITE_NAME_MAX - 1, found[i]->d_name);
		path_fmt(s->exe, sizeof(s->exe), "%s/%s", dir, s->name);
		if (strlen(searched) + strlen(s->name) + 2 < sizeof(searched))
			strcat(strcat(searched, " "), s->name);
		if (f->n_test && (ret = pick_tests(s, f, matched, err))) {
			free_names(s->tests, s->n_tests);
			break;
		}
		/* A suite none of whose tests was asked for does not run. */
		if (!f->n_test || s->n_tests)
			p->n++;
	}
	for (int i = 0; i < n; i++)
		free(found[i]);
	free(found);
	if (!ret && !n) {
		fprintf(err, "runner run: no suites in %s (build them: make)\n", dir);
		ret = EXIT_TESTFAIL;
	}
	if (!ret)
		ret = check_globs(searched, f, matched, err);
	if (ret)
		suite_plan_free(p);
	return ret;
}

char **suite_plan_argv(const struct planned_suite *s, const char *bdf)
{
	char **argv = calloc(3 + 2 * s->n_tests, sizeof(*argv));
	size_t k = 0;

	if (!argv)
		return NULL;
	argv[k++] = (char *)s->exe;
	argv[k++] = (char *)bdf;
	for (size_t i = 0; i < s->n_tests; i++) {
		argv[k++] = "-r";
		argv[k++] = s->tests[i];
	}
	return argv;
}

void suite_plan_free(struct suite_plan *p)
{
	for (size_t i = 0; p->v && i < p->n; i++)
		free_names(p->v[i].tests, p->v[i].n_tests);
	free(p->v);
	memset(p, 0, sizeof(*p));
}
