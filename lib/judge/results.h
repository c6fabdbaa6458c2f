/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The results file: one JSON document per run (results/schema.json,
 * documented in results/README.md). Built with json-c, validated against
 * the built-in schema before it is written, written atomically.
 */
#ifndef SNOOP_RESULTS_H
#define SNOOP_RESULTS_H

#include <stdio.h>
#include <time.h>

#include <json.h>

#include "suite/klog.h"
#include "discover/platform.h"
#include "judge/verdict.h"

struct results {
	json_object *doc;
	double t0;			/* monotonic_s() at results_start */
};

/* Start a document: run identity, the platform as discovered, empty lists. */
int results_start(struct results *r, const struct platform *p, bool virtual_platform,
		  int argc, char **argv);
/*
 * A test outcome; evidence (an array, may be NULL) is taken over; a
 * duration_s that is NAN (unknown) is null. Returns the entry (owned by
 * the document) for results_set_test_log().
 */
json_object *results_add_test(struct results *r, const char *suite, const char *name,
			      const char *device, const char *outcome, const char *reason,
			      double duration_s, json_object *evidence);
/*
 * Where the test's raw output is: file names in run.logs_dir, line its
 * result line in the .ktap (0: none); err and kmsg NULL when not kept.
 */
void results_set_test_log(json_object *test, const char *ktap, int line, const char *err,
			  const char *kmsg);
/* run.logs_dir: the raw logs' directory, relative to the results file's. */
void results_set_logs_dir(struct results *r, const char *dir);
/* run.complete = false, and why (interrupted, suites not run). */
void results_set_incomplete(struct results *r, const char *why);
void results_add_device(struct results *r, json_object *device);
void results_add_verdict(struct results *r, const char *bdf, const struct verdict *v);
void results_add_klog(struct results *r, const struct klog_findings *f);
void results_add_note(struct results *r, const char *note);
/* Set finished/duration, validate, and write path atomically. -errno. */
int results_finish(struct results *r, const char *path, FILE *err);
void results_free(struct results *r);

/* The built-in schema (results/schema.json), parsed once; borrowed, NULL if it does not parse. */
json_object *results_schema(void);
/* Validate doc against the built-in schema; problems printed, count back. */
int results_validate(json_object *doc, const char *name, FILE *err);
/*
 * The same against schema, a copy of the built-in one (NULL: it did not
 * parse). A thread of its own checks against a copy of its own: checking
 * writes to the schema (json-c keeps a value's text in it once printed).
 */
int results_validate_with(json_object *schema, json_object *doc, const char *name, FILE *err);
/* A new copy of the built-in schema (the caller's), NULL if it does not parse. */
json_object *results_schema_copy(void);

#endif
