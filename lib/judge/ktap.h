/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * KTAP / kselftest TAP, as the kselftest harness prints it, turned into
 * test outcomes in the results vocabulary. "# evidence: {json}" lines are
 * attached to the next result line. A planned test with no result line
 * (the suite crashed or was killed) becomes an "error".
 */
#ifndef SNOOP_KTAP_H
#define SNOOP_KTAP_H

#include <stddef.h>

#include <json.h>

struct ktap_result {
	char name[256];
	char outcome[8];	/* pass, fail, skip, xfail, error */
	char reason[256];	/* the directive's text, "" none */
	json_object *evidence;	/* array of objects, owned */
};

struct ktap {
	struct ktap_result *v;
	size_t n;
	int planned;		/* from "1..N", -1 when absent */
};

/* Parse a whole log. 0 or -ENOMEM. */
int ktap_parse(const char *text, struct ktap *k);
void ktap_free(struct ktap *k);

#endif
