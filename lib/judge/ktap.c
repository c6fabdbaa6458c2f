// SPDX-License-Identifier: GPL-2.0-only
#include "judge/ktap.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct ktap_result *add(struct ktap *k)
{
	struct ktap_result *nv = realloc(k->v, (k->n + 1) * sizeof(*nv));

	if (!nv)
		return NULL;
	k->v = nv;
	memset(&nv[k->n], 0, sizeof(nv[k->n]));
	return &nv[k->n++];
}

/* "ok 3 name # SKIP why" / "not ok 4 name # XFAIL why" */
static int result_line(struct ktap *k, const char *line, json_object **pending)
{
	bool ok = !strncmp(line, "ok ", 3);
	const char *p = line + (ok ? 3 : 7), *hash;
	struct ktap_result *r;
	size_t len;

	while (*p >= '0' && *p <= '9')
		p++;
	while (*p == ' ')
		p++;
	r = add(k);
	if (!r)
		return -ENOMEM;
	hash = strstr(p, " # ");
	len = hash ? (size_t)(hash - p) : strlen(p);
	snprintf(r->name, sizeof(r->name), "%.*s", (int)len, p);
	snprintf(r->outcome, sizeof(r->outcome), "%s", ok ? "pass" : "fail");
	if (hash) {
		const char *d = hash + 3;

		if (!strncmp(d, "SKIP", 4)) {
			snprintf(r->outcome, sizeof(r->outcome), "skip");
			d += 4;
		} else if (!strncmp(d, "XFAIL", 5)) {
			snprintf(r->outcome, sizeof(r->outcome), "xfail");
			d += 5;
		}
		while (*d == ' ')
			d++;
		snprintf(r->reason, sizeof(r->reason), "%s", d);
	}
	r->evidence = *pending ? *pending : json_object_new_array();
	*pending = NULL;
	return 0;
}

int ktap_parse(const char *text, struct ktap *k)
{
	json_object *pending = NULL;
	const char *line = text;
	char buf[4096];
	int ret = 0;

	memset(k, 0, sizeof(*k));
	k->planned = -1;
	while (line && *line && !ret) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		snprintf(buf, sizeof(buf), "%.*s", (int)len, line);
		if (!strncmp(buf, "1..", 3)) {
			k->planned = atoi(buf + 3);
		} else if (!strncmp(buf, "ok ", 3) || !strncmp(buf, "not ok ", 7)) {
			ret = result_line(k, buf, &pending);
		} else if (!strncmp(buf, "# evidence: ", 12)) {
			json_object *ev = json_tokener_parse(buf + 12);

			if (ev) {
				if (!pending)
					pending = json_object_new_array();
				json_object_array_add(pending, ev);
			}
		}
		line = end ? end + 1 : NULL;
	}
	if (pending)
		json_object_put(pending);
	for (int i = (int)k->n; !ret && i < k->planned; i++) {
		struct ktap_result *r = add(k);

		if (!r)
			return -ENOMEM;
		snprintf(r->name, sizeof(r->name), "planned test %d", i + 1);
		snprintf(r->outcome, sizeof(r->outcome), "error");
		snprintf(r->reason, sizeof(r->reason), "no result line (crashed or timed out?)");
		r->evidence = json_object_new_array();
	}
	return ret;
}

void ktap_free(struct ktap *k)
{
	for (size_t i = 0; i < k->n; i++)
		if (k->v[i].evidence)
			json_object_put(k->v[i].evidence);
	free(k->v);
	k->v = NULL;
	k->n = 0;
}
