/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Results files as one KernelCI KCIDB I/O document, schema v5.3
 * (kernelci/kcidb-io, kcidb_io/schema/v05_03.py; vendored, as JSON, in
 * tests/kcidb/). Each run is one checkout, one build (the kernel that ran)
 * and its tests: every suite test, the run itself and every verdict.
 * results/README.md "KCIDB" has the mapping.
 */
#ifndef SNOOP_KCIDB_H
#define SNOOP_KCIDB_H

#include <stdbool.h>
#include <stdio.h>

#include <json.h>

#include "judge/rundoc.h"

#define KCIDB_ORIGIN_DEFAULT "snoopcheck"

struct kcidb_opts {
	const char *origin;	/* [a-z0-9_]+, KCIDB's origin pattern */
	const char *log_base;	/* URL of each results file's directory, or NULL */
	const char *lab;	/* the lab's name for environment.misc, or NULL */
};

/* Is s an origin KCIDB accepts ([a-z0-9_]+)? */
bool kcidb_origin_valid(const char *s);
/* Is s a URL a log_url can start with (scheme "://" and something)? */
bool kcidb_url_valid(const char *s);

/*
 * The document for every results document in s (a list document is
 * refused), or NULL after saying why on err (the same run twice: its ids
 * would collide). The caller puts it.
 */
json_object *kcidb_export(const struct rundoc_set *s, const struct kcidb_opts *o, FILE *err);

#endif
