// SPDX-License-Identifier: GPL-2.0-only
#include "report/evidence.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonfile.h"
#include "report/html.h"
#include "report/links.h"

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* One row of a key/value table; has false: "-" (absent), else v (null: "unknown"). */
static void kv_row(FILE *out, const char *label, bool has, json_object *v)
{
	fputs("<tr><th>", out);
	html_esc(out, label);
	fputs("</th><td>", out);
	if (has)
		html_esc_json(out, v);
	else
		fputs("-", out);
	fputs("</td></tr>\n", out);
}

/* o[key] as a row. */
static void kv(FILE *out, const char *label, json_object *o, const char *key)
{
	json_object *v = NULL;
	bool has = o && json_object_is_type(o, json_type_object) &&
		   json_object_object_get_ex(o, key, &v);

	kv_row(out, label, has, v);
}

/* A link to target (relative, already escaped for a URL) named text; or why there is none. */
static void link_or_why(FILE *out, char *rel, const char *text)
{
	int why = errno;	/* from the link_*() call that gave rel */

	if (rel) {
		fputs("<a href=\"", out);
		html_url_path(out, rel);
		fputs("\">", out);
		html_esc(out, text);
		fputs("</a>", out);
	} else {
		html_esc(out, text);
		fprintf(out, " <span class=\"why\">(%s)</span>",
			why == EPERM ? "not linked: it leads out of the results file's directory" :
			why == ENOMEM ? "not linked: out of memory" : "not kept beside the results file");
	}
	free(rel);
}

/* A row of a key/value table: label, and the member key of o (or of o[sub]). */
struct kv_spec {
	const char *label, *sub, *key;
};

static void kv_rows(FILE *out, json_object *o, const struct kv_spec *specs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		kv(out, specs[i].label, specs[i].sub ? jmember(o, specs[i].sub) : o, specs[i].key);
}

static void unit_section(FILE *out, const struct rundoc *d, json_object *dev)
{
	static const struct kv_spec rows[] = {
		{ "name", NULL, "name" }, { "kind", NULL, "kind" }, { "cap", NULL, "cap" },
		{ "ecap", NULL, "ecap" }, { "Snoop Control", "facts", "snoop_control" },
		{ "can enforce coherency", NULL, "enforces_coherency" },
	};
	const char *name = jmember_str(dev, "iommu_unit");
	json_object *u = rundoc_unit(d, name), *facts = jmember(u, "facts");

	fputs("<h4>IOMMU unit</h4>\n", out);
	if (!u) {
		fprintf(out, "<p>%s</p>\n", name ? "not in the platform's iommu_units" : "none serves the device");
		return;
	}
	fputs("<table class=\"kv\" data-section=\"unit\">\n", out);
	kv_rows(out, u, rows, sizeof(rows) / sizeof(rows[0]));
	json_object_object_foreach(facts, k, v)
		if (strcmp(k, "snoop_control"))
			kv_row(out, k, true, v);
	fputs("</table>\n", out);
}

static void device_section(FILE *out, json_object *dev)
{
	static const struct kv_spec rows[] = {
		{ "vendor", NULL, "vendor" }, { "device", NULL, "device" },
		{ "name", NULL, "device_name" }, { "vendor name", NULL, "vendor_name" },
		{ "class", NULL, "class_name" }, { "driver", NULL, "driver" },
		{ "IOMMU group", NULL, "iommu_group" }, { "PCIe type", NULL, "pcie_type" },
		{ "DevCtl Enable No Snoop", NULL, "enable_no_snoop" },
		{ "driver allowlist", NULL, "allowlist" },
		{ "allowlist evidence", NULL, "allowlist_evidence" },
	};

	fputs("<h4>Device</h4>\n<table class=\"kv\" data-section=\"device\">\n", out);
	kv_rows(out, dev, rows, sizeof(rows) / sizeof(rows[0]));
	fputs("</table>\n", out);
}

/* The keys of attach evidence shown per path, in this order. */
static const char *const path_keys[] = {
	"unit", "unit_can_enforce", "enforced", "hw_info_ecap", "hw_info_agrees", "stage",
	"scalable_mode", "leaf_pte", "leaf_pte_snp", "pasid_entry_hi", "pasid_pgsnp", "snp_matches",
};
#define N_PATH_KEYS (sizeof(path_keys) / sizeof(path_keys[0]))

/*
 * Every attach path the device's evidence names, in the order first seen
 * (max of them), and per path and key of path_keys the first evidence
 * object on that path that carries the key (NULL: none), with its value:
 * one pass over the tests, not one per path and key.
 */
struct attach_paths {
	const char *path[16];
	json_object *holder[16][N_PATH_KEYS], *value[16][N_PATH_KEYS];
	size_t n;
};

static void paths_of(json_object *ts, const char *bdf, struct attach_paths *ap)
{
	memset(ap, 0, sizeof(*ap));
	for (size_t i = 0; i < jarray_len(ts); i++) {
		json_object *t = jarray_at(ts, i), *ev = jmember(t, "evidence");

		if (!same_str(jmember_str(t, "suite"), "attach") || !same_str(jmember_str(t, "device"), bdf))
			continue;
		for (size_t j = 0; j < jarray_len(ev); j++) {
			json_object *e = jarray_at(ev, j);
			const char *p = jmember_str(e, "path");
			size_t k;

			for (k = 0; p && k < ap->n && strcmp(ap->path[k], p); k++)
				;
			if (p && k == ap->n && ap->n < 16)
				ap->path[ap->n++] = p;
			if (!p || k == ap->n)
				continue;
			for (size_t c = 0; c < N_PATH_KEYS; c++)
				if (!ap->holder[k][c] &&
				    json_object_object_get_ex(e, path_keys[c], &ap->value[k][c]))
					ap->holder[k][c] = e;
		}
	}
}

static void paths_section(FILE *out, const struct rundoc *d, const char *bdf)
{
	struct attach_paths ap;

	paths_of(rundoc_tests(d), bdf, &ap);
	fputs("<h4>Attach paths (suites/attach evidence)</h4>\n", out);
	if (!ap.n) {
		fputs("<p>no attach evidence in the results</p>\n", out);
		return;
	}
	fputs("<table class=\"grid\" data-section=\"paths\"><tr><th>path</th>", out);
	for (size_t k = 0; k < N_PATH_KEYS; k++)
		fprintf(out, "<th>%s</th>", path_keys[k]);
	fputs("</tr>\n", out);
	for (size_t p = 0; p < ap.n; p++) {
		fputs("<tr data-path=\"", out);
		html_esc(out, ap.path[p]);
		fputs("\"><th>", out);
		html_esc(out, ap.path[p]);
		fputs("</th>", out);
		for (size_t k = 0; k < N_PATH_KEYS; k++) {
			fputs("<td>", out);
			if (ap.holder[p][k])
				html_esc_json(out, ap.value[p][k]);
			else
				fputs("-", out);
			fputs("</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

/* "expected (reason, url)" or "UNEXPECTED" for a failing entry, when gated. */
static void gate_mark(FILE *out, const struct mx *m, const struct mx_row *r, json_object *entry)
{
	const struct gate_item *it = mx_gate_item(m, r, entry);

	if (!it)
		return;
	if (!it->x) {
		fputs(" <span class=\"badge unexpected\">UNEXPECTED</span>", out);
		return;
	}
	fputs(" <span class=\"badge expected\">expected</span> <span class=\"why\">(", out);
	html_esc(out, it->x->reason);
	fputs(", <a href=\"", out);
	html_esc(out, it->x->url);
	fputs("\">", out);
	html_esc(out, it->x->url);
	fputs("</a>; ", out);
	html_esc(out, it->x->file);
	fprintf(out, ":%d)</span>", it->x->line);
}

static void log_links(FILE *out, const struct rundoc *d, json_object *log, const char *page_dir)
{
	static const char *const kinds[] = { "ktap", "err", "kmsg" };

	for (size_t k = 0; k < 3; k++) {
		const char *name = jmember_str(log, kinds[k]);

		if (!name)
			continue;
		fputs(" ", out);
		link_or_why(out, link_log(page_dir, d, name), kinds[k]);
	}
	if (jmember(log, "line")) {
		fputs(" <span class=\"why\">line ", out);
		html_esc_json(out, jmember(log, "line"));
		fputs("</span>", out);
	}
}

static void tests_section(FILE *out, const struct mx *m, const struct mx_row *r, const char *bdf,
			  const char *page_dir)
{
	json_object *ts = rundoc_tests(r->doc);
	int count[6] = { 0 };
	static const char *const outcomes[6] = { "pass", "fail", "skip", "xfail", "error", "timeout" };
	int any = 0;

	for (size_t i = 0; i < jarray_len(ts); i++) {
		json_object *t = jarray_at(ts, i);
		const char *o = jmember_str(t, "outcome");

		for (int k = 0; o && k < 6 && same_str(jmember_str(t, "device"), bdf); k++)
			count[k] += !strcmp(o, outcomes[k]);
	}
	fputs("<h4>Tests</h4>\n<p class=\"counts\">", out);
	for (int o = 0; o < 6; o++)
		if (count[o])
			fprintf(out, "%s%d %s", any++ ? ", " : "", count[o], outcomes[o]);
	fprintf(out, "%s</p>\n<ul class=\"tests\">\n", any ? "" : "none");
	for (size_t i = 0; i < jarray_len(ts); i++) {
		json_object *t = jarray_at(ts, i);
		const char *o = jmember_str(t, "outcome");

		if (!same_str(jmember_str(t, "device"), bdf) || same_str(o, "pass"))
			continue;
		fprintf(out, "<li class=\"o-%s\" data-outcome=\"", o);
		html_esc(out, o);
		fputs("\" data-test=\"", out);
		html_esc(out, jmember_str(t, "name"));
		fputs("\"><b>", out);
		html_esc(out, o);
		fputs("</b> ", out);
		html_esc(out, jmember_str(t, "suite"));
		fputs(" ", out);
		html_esc(out, jmember_str(t, "name"));
		if (rundoc_test_fails(t))
			gate_mark(out, m, r, t);
		log_links(out, r->doc, jmember(t, "log"), page_dir);
		if (jmember_str(t, "reason")) {
			fputs("<pre>", out);
			html_esc(out, jmember_str(t, "reason"));
			fputs("</pre>", out);
		}
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
}

static void change_item(FILE *out, const struct cmp_change *ch)
{
	fprintf(out, "<li class=\"chg-%s\" data-mark=\"%s\"><b>%s</b> ", cmp_mark_name(ch->mark),
		cmp_mark_name(ch->mark), cmp_mark_name(ch->mark));
	if (ch->where[0]) {
		html_esc(out, ch->where);
		fputs(" ", out);
	}
	html_esc(out, ch->what);
	fputs(": ", out);
	if (ch->was)
		html_esc_json(out, ch->was);
	else
		fputs("absent", out);
	fputs(" &rarr; ", out);
	if (ch->now)
		html_esc_json(out, ch->now);
	else
		fputs("absent", out);
	if (ch->note) {
		fputs(" <span class=\"why\">(", out);
		html_esc(out, ch->note);
		fputs(")</span>", out);
	}
	fputs("</li>\n", out);
}

static void kernel_of(FILE *out, const struct rundoc *d)
{
	html_esc(out, rundoc_kernel(d) ? rundoc_kernel(d) : "unknown kernel");
}

static void changes_section(FILE *out, const struct mx *m, const struct mx_row *r, long col)
{
	bool any = false;

	if (r->prev < 0)
		return;
	fputs("<h4>Since ", out);
	kernel_of(out, m->rows[r->prev].doc);
	fputs(" (", out);
	html_esc(out, m->rows[r->prev].doc->heading);
	fputs(")</h4>\n<ul class=\"changes\">\n", out);
	for (size_t i = 0; i < r->cmp.n; i++) {
		const struct cmp_change *ch = &r->cmp.v[i];
		bool here = col >= 0 ? mx_change_at(m, r, (size_t)col, ch) : mx_col(m, ch->where) < 0;

		if (here) {
			change_item(out, ch);
			any = true;
		}
	}
	fprintf(out, "%s</ul>\n", any ? "" : "<li>no changes</li>");
}

/* Where the evidence of a row like an earlier one is: that row. */
static void same_as(FILE *out, const struct mx *m, const struct mx_row *r)
{
	const struct rundoc *d = m->rows[r->like].doc;

	fprintf(out, "<p class=\"same\" data-like=\"row-%zu\">The same results as <a href=\"#row-%zu\">",
		r->like, r->like);
	html_esc(out, d->heading);
	fputs("</a> above: the same verdicts, tests and evidence (only the run, its kernel log and the durations differ), shown there.</p>\n",
	      out);
}

void evidence_cell(FILE *out, const struct mx *m, const struct mx_row *r, size_t col,
		   const char *page_dir)
{
	const struct mx_cell *c = &r->cells[col];
	const char *bdf = m->cols[col];

	if (mx_repeats(m, r)) {
		/* Not repeated, row after row: the same evidence is up the page. */
		if (c->change >= 0)
			changes_section(out, m, r, (long)col);
		same_as(out, m, r);
		return;
	}
	if (c->verdict) {
		fputs("<h4>Verdict</h4>\n<p class=\"verdict\"><b>", out);
		html_esc(out, jmember_str(c->verdict, "label"));
		fputs("</b>", out);
		if (rundoc_verdict_fails(c->verdict))
			gate_mark(out, m, r, c->verdict);
		fputs(": ", out);
		html_esc(out, jmember_str(c->verdict, "why"));
		fputs("</p>\n<p class=\"advice\">", out);
		html_esc(out, jmember_str(c->verdict, "advice"));
		fputs("</p>\n", out);
	}
	changes_section(out, m, r, (long)col);
	device_section(out, c->dev);
	unit_section(out, r->doc, c->dev);
	if (r->doc->kind == RUNDOC_RESULTS) {
		paths_section(out, r->doc, bdf);
		tests_section(out, m, r, bdf, page_dir);
	}
}

static void kernel_log_line(FILE *out, size_t lines)
{
	if (lines)
		fprintf(out, "<p>kernel log: %zu trouble line%s (iommu-fault, warn, bug, taint) in the results file</p>\n",
			lines, lines == 1 ? "" : "s");
}

void evidence_row(FILE *out, const struct mx *m, const struct mx_row *r, const char *page_dir)
{
	const struct rundoc *d = r->doc;
	json_object *us = jmember(d->plat, "iommu_units"), *notes = jmember(d->doc, "notes");
	size_t klog = rundoc_kernel_log_lines(d);

	fputs("<p>file: ", out);
	link_or_why(out, link_rel(page_dir, d->path), d->path);
	if (d->kind == RUNDOC_RESULTS) {
		fputs("<br>logs: ", out);
		link_or_why(out, link_log(page_dir, d, NULL), "run.logs_dir");
		fputs(", ", out);
		link_or_why(out, link_log(page_dir, d, "run.ktap"), "run.ktap");
	}
	static const struct kv_spec run_rows[] = {
		{ "run", NULL, "id" }, { "started", NULL, "started" },
		{ "complete", NULL, "complete" }, { "incomplete because", NULL, "incomplete_reason" },
	};
	static const struct kv_spec kernel_rows[] = {
		{ "kernel", "kernel", "release" }, { "version", "kernel", "version" },
		{ "command line", "kernel", "cmdline" },
	};

	fputs("</p>\n<table class=\"kv\" data-section=\"run\">\n", out);
	if (d->kind == RUNDOC_RESULTS)
		kv_rows(out, rundoc_run(d), run_rows, sizeof(run_rows) / sizeof(run_rows[0]));
	if (mx_repeats(m, r)) {
		/* Its own run and kernel log; the rest is the row it is like. */
		fputs("</table>\n", out);
		kernel_log_line(out, klog);
		if (r->cmp.n)
			changes_section(out, m, r, -1);
		same_as(out, m, r);
		return;
	}
	if (d->kind == RUNDOC_RESULTS)
		kv(out, "virtual", d->plat, "virtual");
	kv_rows(out, d->plat, kernel_rows, sizeof(kernel_rows) / sizeof(kernel_rows[0]));
	fputs("</table>\n<h4>IOMMU units</h4>\n<table class=\"grid\" data-section=\"units\"><tr><th>name</th><th>kind</th><th>cap</th><th>ecap</th><th>Snoop Control</th><th>can enforce</th></tr>\n", out);
	for (size_t i = 0; i < jarray_len(us); i++) {
		json_object *u = jarray_at(us, i);

		fputs("<tr><td>", out);
		html_esc_json(out, jmember(u, "name"));
		fputs("</td><td>", out);
		html_esc_json(out, jmember(u, "kind"));
		fputs("</td><td>", out);
		html_esc_json(out, jmember(u, "cap"));
		fputs("</td><td>", out);
		html_esc_json(out, jmember(u, "ecap"));
		fputs("</td><td>", out);
		html_esc_json(out, jmember(jmember(u, "facts"), "snoop_control"));
		fputs("</td><td>", out);
		html_esc_json(out, jmember(u, "enforces_coherency"));
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
	kernel_log_line(out, klog);
	for (size_t i = 0; i < jarray_len(notes); i++) {
		fputs("<p class=\"note\">note: ", out);
		html_esc_json(out, jarray_at(notes, i));
		fputs("</p>\n", out);
	}
	changes_section(out, m, r, -1);
}
