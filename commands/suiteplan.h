/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which suites runner run runs, and which of their tests: every program in
 * SRCDIR/suites/ (no dot in its name), in name order; --suite NAME keeps
 * the named ones; --test GLOB keeps the tests whose full name
 * (fixture[.variant].test, as the KTAP names them) matches, found in each
 * suite's own listing (the harness's -l) and passed back to it as -r NAME.
 * Decided before anything is touched: a name that is no suite, or a glob
 * that matches no test, is bad input.
 */
#ifndef SNOOP_SUITEPLAN_H
#define SNOOP_SUITEPLAN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "judge/suitelog.h"

#define SUITE_FILTER_MAX 32

struct suite_filter {
	const char *suite[SUITE_FILTER_MAX];	/* --suite, none: every suite */
	size_t n_suite;
	const char *test[SUITE_FILTER_MAX];	/* --test globs, none: every test */
	size_t n_test;
};

struct planned_suite {
	char name[SUITE_NAME_MAX];
	char exe[PATH_MAX];
	char **tests;		/* full names for -r; NULL: every test */
	size_t n_tests;
};

struct suite_plan {
	struct planned_suite *v;
	size_t n;
};

/* 0, or the exit status (2 bad input, 1 otherwise), the reason on err. */
int suite_plan_make(struct suite_plan *p, const struct suite_filter *f, FILE *err);
/* exe BDF [-r NAME]... NULL, malloc'd (the strings are p's); NULL on ENOMEM. */
char **suite_plan_argv(const struct planned_suite *s, const char *bdf);
void suite_plan_free(struct suite_plan *p);

/*
 * The test names in a kselftest harness listing (its -l output: fixture,
 * variant and test columns %-20s %-25s %s, variants and tests of a fixture
 * side by side), each fixture's variants times its tests, in the order the
 * harness runs them. For tests. 0 or -ENOMEM.
 */
int suite_plan_parse_listing(const char *text, char ***names, size_t *n);

#endif
