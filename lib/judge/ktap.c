// SPDX-License-Identifier: GPL-2.0-only
#include "judge/ktap.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVIDENCE "# evidence: "

/* Append text to *s, after sep when *s holds something. 0 or -ENOMEM. */
static int append(char **s, const char *sep, const char *text, size_t len)
{
	size_t have = *s ? strlen(*s) : 0, seplen = have ? strlen(sep) : 0;
	char *n = realloc(*s, have + seplen + len + 1);

	if (!n)
		return -ENOMEM;
	memcpy(n + have, sep, seplen);
	memcpy(n + have + seplen, text, len);
	n[have + seplen + len] = '\0';
	*s = n;
	return 0;
}

static int appendf(char **s, const char *sep, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int appendf(char **s, const char *sep, const char *fmt, ...)
{
	char *text;
	va_list ap;
	int n, ret;

	va_start(ap, fmt);
	n = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	ret = append(s, sep, text, (size_t)n);
	free(text);
	return ret;
}

/* "attach@BDF.ktap", or what to call it when the log has no name. */
static void file_name(const struct ktap *k, const char *ext, char *buf, size_t len)
{
	if (k->log)
		snprintf(buf, len, "%s.%s", k->log, ext);
	else
		snprintf(buf, len, "the suite's %s", !strcmp(ext, "err") ? "stderr" : "output");
}

static struct ktap_result *add(struct ktap *k)
{
	struct ktap_result *nv = realloc(k->v, (k->n + 1) * sizeof(*nv));

	if (!nv)
		return NULL;
	k->v = nv;
	memset(&nv[k->n], 0, sizeof(nv[k->n]));
	nv[k->n].duration_s = NAN;
	return &nv[k->n++];
}

void ktap_init(struct ktap *k, const char *log)
{
	memset(k, 0, sizeof(*k));
	k->planned = -1;
	k->log = log;
	k->p.run_t = k->p.end_t = NAN;
}

/* Forget what the test that just reported had shown. */
static void pending_reset(struct ktap_pending *p)
{
	if (p->evidence)
		json_object_put(p->evidence);
	free(p->bad_evidence);
	free(p->running);
	free(p->messages);
	p->evidence = NULL;
	p->bad_evidence = p->running = p->messages = NULL;
	p->messages_cut = 0;
	p->run_t = p->end_t = NAN;
}

/* A line printed while a test runs, kept for its reason. */
static int message(struct ktap *k, const char *text, size_t len)
{
	struct ktap_pending *p = &k->p;
	size_t have = p->messages ? strlen(p->messages) : 0;

	if (!strncmp(text, "# ", 2)) {
		text += 2;
		len -= 2;
	}
	if (p->messages_cut || have + len + 1 > KTAP_REASON_MAX) {
		p->messages_cut += len + 1;
		return 0;
	}
	return append(&p->messages, "\n", text, len);
}

/* One evidence object for the next result line, or why it cannot be one. */
static int evidence(struct ktap *k, const char *json, size_t len)
{
	struct ktap_pending *p = &k->p;
	char file[300];
	const char *why = NULL;
	json_object *ev = NULL;
	int line = p->lines[0];

	file_name(k, "ktap", file, sizeof(file));
	if (len > KTAP_EVIDENCE_MAX)
		return appendf(&p->bad_evidence, "\n",
			       "evidence line %d of %s is %zu bytes, over the %d-byte limit: not kept",
			       line, file, len, KTAP_EVIDENCE_MAX);
	{
		struct json_tokener *tok = json_tokener_new();
		size_t end;

		if (!tok)
			return -ENOMEM;
		ev = json_tokener_parse_ex(tok, json, (int)len);
		end = json_tokener_get_parse_end(tok);
		if (!ev)
			why = json_tokener_get_error(tok) == json_tokener_continue ?
			      "it ends before the JSON does" :
			      json_tokener_error_desc(json_tokener_get_error(tok));
		else if (!json_object_is_type(ev, json_type_object))
			why = "it is JSON but not an object";
		else if (strspn(json + end, " \t\r") != len - end)
			why = "there is more after the JSON object";
		json_tokener_free(tok);
	}
	if (why) {
		if (ev)
			json_object_put(ev);
		return appendf(&p->bad_evidence, "\n",
			       "evidence line %d of %s is not a JSON object (%s): %.80s%s",
			       line, file, why, json, len > 80 ? "..." : "");
	}
	if (!p->evidence && !(p->evidence = json_object_new_array())) {
		json_object_put(ev);
		return -ENOMEM;
	}
	json_object_array_add(p->evidence, ev);
	return 0;
}

/* What the failure printed, and whether there was more than kept. */
static int add_messages(struct ktap *k, struct ktap_result *r)
{
	struct ktap_pending *p = &k->p;
	char file[300];

	if (!p->messages && !p->messages_cut)
		return 0;
	if (p->messages && append(&r->reason, "\n", p->messages, strlen(p->messages)))
		return -ENOMEM;
	if (!p->messages_cut)
		return 0;
	file_name(k, "err", file, sizeof(file));
	return appendf(&r->reason, "\n", "... (cut: %zu bytes more; all of it is in %s)",
		       p->messages_cut, file);
}

/* Refused evidence makes the test an error, whatever it reported. */
static int add_bad_evidence(struct ktap *k, struct ktap_result *r)
{
	char *rest = r->reason;
	int ret;

	if (!k->p.bad_evidence)
		return 0;
	snprintf(r->outcome, sizeof(r->outcome), "error");
	r->reason = NULL;
	ret = append(&r->reason, "", k->p.bad_evidence, strlen(k->p.bad_evidence));
	if (!ret && rest)
		ret = append(&r->reason, "\n", rest, strlen(rest));
	free(rest);
	return ret;
}

/* "ok 3 name # SKIP why" / "not ok 4 name # XFAIL why" */
static int result_line(struct ktap *k, const char *line, size_t len, double t)
{
	struct ktap_pending *p = &k->p;
	bool ok = !strncmp(line, "ok ", 3);
	const char *p0 = line + (ok ? 3 : 7), *end = line + len, *hash, *q = p0;
	struct ktap_result *r;

	while (q < end && *q >= '0' && *q <= '9')
		q++;
	while (q < end && *q == ' ')
		q++;
	r = add(k);
	if (!r)
		return -ENOMEM;
	k->reported++;
	r->line = p->lines[0];
	hash = memmem(q, (size_t)(end - q), " # ", 3);
	if (!(r->name = strndup(q, (size_t)((hash ? hash : end) - q))))
		return -ENOMEM;
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
		while (d < end && *d == ' ')
			d++;
		if (d < end && !(r->reason = strndup(d, (size_t)(end - d))))
			return -ENOMEM;
	}
	if (p->running && !strcmp(p->running, r->name))
		r->duration_s = (isnan(p->end_t) ? t : p->end_t) - p->run_t;
	if ((!ok && add_messages(k, r)) || add_bad_evidence(k, r))
		return -ENOMEM;
	r->evidence = p->evidence ? p->evidence : json_object_new_array();
	p->evidence = NULL;
	pending_reset(p);
	return 0;
}

/*
 * The harness's own lines around a test: "#  RUN           NAME ..." and
 * "#            OK  NAME" / "#          FAIL  NAME". 1 RUN, 2 end, 0 other.
 */
static int harness_line(const char *line, size_t len, const char **name, size_t *name_len)
{
	const char *q = line + 1, *end = line + len;
	int kind;

	while (q < end && *q == ' ')
		q++;
	if (end - q > 4 && !strncmp(q, "RUN ", 4))
		kind = 1, q += 4;
	else if (end - q > 3 && !strncmp(q, "OK ", 3))
		kind = 2, q += 3;
	else if (end - q > 5 && !strncmp(q, "FAIL ", 5))
		kind = 2, q += 5;
	else
		return 0;
	while (q < end && *q == ' ')
		q++;
	if (kind == 1 && end - q > 4 && !strncmp(end - 4, " ...", 4))
		end -= 4;
	*name = q;
	*name_len = (size_t)(end - q);
	return *name_len ? kind : 0;
}

/*
 * "1..N". A plan of more tests than any suite has is a garbled log (or a
 * runaway suite), not a plan: ktap_end would fill in millions of missing
 * results, and atoi wrapped past INT_MAX. It is one error of its own.
 */
static int plan_line(struct ktap *k, const char *n)
{
	long v = strtol(n, NULL, 10);
	struct ktap_result *r;

	if (v <= KTAP_MAX_PLANNED) {
		k->planned = v < 0 ? -1 : (int)v;
		return 0;
	}
	k->planned = -1;
	r = add(k);
	if (!r || !(r->name = strdup("plan")))
		return -ENOMEM;
	snprintf(r->outcome, sizeof(r->outcome), "error");
	r->evidence = json_object_new_array();
	return appendf(&r->reason, "", "the plan line announces %ld tests, more than %d: "
		       "a garbled log", v, KTAP_MAX_PLANNED);
}

/* line is NUL-terminated, len its length, no '\n'. */
static int stdout_line(struct ktap *k, const char *line, size_t len, double t)
{
	struct ktap_pending *p = &k->p;
	const char *name;
	size_t nlen;

	if (!strncmp(line, "1..", 3))
		return plan_line(k, line + 3);
	else if (!strncmp(line, "ok ", 3) || !strncmp(line, "not ok ", 7))
		return result_line(k, line, len, t);
	else if (!strncmp(line, EVIDENCE, strlen(EVIDENCE)))
		return evidence(k, line + strlen(EVIDENCE), len - strlen(EVIDENCE));
	else if (line[0] != '#')
		return 0;
	switch (harness_line(line, len, &name, &nlen)) {
	case 1:
		/* A new test: what came before belongs to no test. */
		free(p->running);
		free(p->messages);
		p->messages = NULL;
		p->messages_cut = 0;
		p->end_t = NAN;
		p->run_t = t;
		return (p->running = strndup(name, nlen)) ? 0 : -ENOMEM;
	case 2:
		p->end_t = t;
		return 0;
	default:
		return p->running ? message(k, line, len) : 0;
	}
}

int ktap_line(struct ktap *k, int stream, const char *line, size_t len, double t)
{
	char *copy;
	int ret = 0;

	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
		len--;
	k->p.lines[stream == 1 ? 0 : 1]++;
	if (!len)
		return 0;
	/* The parsers below want a C string; what spawn hands over is not. */
	if (!(copy = strndup(line, len)))
		return -ENOMEM;
	if (stream == 1)
		ret = stdout_line(k, copy, len, t);
	else if (k->p.running)
		ret = message(k, copy, len);
	free(copy);
	return ret;
}

/* A planned test without a result line; the first takes what is pending. */
static int missing(struct ktap *k, int num, bool first, const char *why)
{
	struct ktap_pending *p = &k->p;
	struct ktap_result *r = add(k);
	const char *how = why ? why : "crashed or timed out?";
	bool running = first && p->running;

	if (!r)
		return -ENOMEM;
	snprintf(r->outcome, sizeof(r->outcome), "error");
	r->evidence = first && p->evidence ? p->evidence : json_object_new_array();
	if (first)
		p->evidence = NULL;
	if (running ? !(r->name = strdup(p->running)) :
		      asprintf(&r->name, "planned test %d", num) < 0) {
		r->name = NULL;
		return -ENOMEM;
	}
	if (running ? appendf(&r->reason, "", "no result line (%s); it was running when "
			      "the output ended", how) || add_messages(k, r) :
		      appendf(&r->reason, "", "no result line (%s)", how))
		return -ENOMEM;
	return first ? add_bad_evidence(k, r) : 0;
}

int ktap_end(struct ktap *k, const char *why)
{
	struct ktap_pending *p = &k->p;
	int ret = 0, first = (int)k->n;

	for (int i = first; !ret && i < k->planned; i++)
		ret = missing(k, i + 1, i == first, why);
	/* Evidence after the last result line: kept, on a test of its own. */
	if (!ret && (p->evidence || p->bad_evidence)) {
		struct ktap_result *r = add(k);

		if (!r || !(r->name = strdup("(evidence after the last result line)")))
			ret = -ENOMEM;
		else {
			snprintf(r->outcome, sizeof(r->outcome), "error");
			ret = appendf(&r->reason, "", "evidence printed after the last result "
				      "line: no test to belong to");
			ret = ret ? ret : add_bad_evidence(k, r);
			r->evidence = p->evidence ? p->evidence : json_object_new_array();
			p->evidence = NULL;
		}
	}
	pending_reset(p);
	return ret;
}

int ktap_parse(const char *text, struct ktap *k)
{
	const char *line = text;
	int ret = 0;

	ktap_init(k, NULL);
	while (line && *line && !ret) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);

		ret = ktap_line(k, 1, line, len, NAN);
		line = end ? end + 1 : NULL;
	}
	return ret ? ret : ktap_end(k, NULL);
}

void ktap_count(const struct ktap *k, struct ktap_counts *c)
{
	memset(c, 0, sizeof(*c));
	for (size_t i = 0; i < k->n; i++) {
		const char *o = k->v[i].outcome;

		c->pass += !strcmp(o, "pass");
		c->fail += !strcmp(o, "fail");
		c->skip += !strcmp(o, "skip");
		c->xfail += !strcmp(o, "xfail");
		c->error += !strcmp(o, "error");
	}
}

void ktap_free(struct ktap *k)
{
	for (size_t i = 0; i < k->n; i++) {
		if (k->v[i].evidence)
			json_object_put(k->v[i].evidence);
		free(k->v[i].name);
		free(k->v[i].reason);
	}
	free(k->v);
	pending_reset(&k->p);
	k->v = NULL;
	k->n = 0;
}
