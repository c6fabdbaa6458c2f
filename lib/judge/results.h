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
/* A test outcome; evidence (an array, may be NULL) is taken over. */
void results_add_test(struct results *r, const char *suite, const char *name,
		      const char *device, const char *outcome, const char *reason,
		      double duration_s, json_object *evidence);
void results_add_device(struct results *r, json_object *device);
void results_add_verdict(struct results *r, const char *bdf, const struct verdict *v);
void results_add_klog(struct results *r, const struct klog_findings *f);
void results_add_note(struct results *r, const char *note);
/* Set finished/duration, validate, and write path atomically. -errno. */
int results_finish(struct results *r, const char *path, FILE *err);
void results_free(struct results *r);

/* Validate doc against the built-in schema; problems printed, count back. */
int results_validate(json_object *doc, const char *name, FILE *err);

#endif
