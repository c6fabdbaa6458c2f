// SPDX-License-Identifier: GPL-2.0-only
#include "report/page.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/fsutil.h"
#include "base/jsonfile.h"
#include "judge/verdict.h"
#include "report/evidence.h"
#include "report/html.h"

/* A line per label for the legend; the whole story is results/README.md. */
static const char *const label_gist[] = {
	[VERDICT_BLOCKED_BY_IOMMU] = "every attach path enforced: No-Snoop blocked",
	[VERDICT_HWPT_REUSE_NON_COHERENT] = "enforced alone, but iommufd put it on a non-coherent domain",
	[VERDICT_NOT_EMITTED_ENS_OFF] = "unit cannot enforce; Enable No Snoop is clear",
	[VERDICT_NOT_EMITTED_DRIVER] = "unit cannot enforce; the driver never emits No-Snoop",
	[VERDICT_NON_COHERENT_KVM_MUST_KNOW] = "unit cannot enforce; KVM must treat the VM as non-coherent",
	[VERDICT_CC_MISREPORTED] = "the kernel's report disagrees with the hardware: a kernel bug",
	[VERDICT_KVM_MISINFORMED] = "KVM was told other than what the unit enforces: a kernel bug",
	[VERDICT_RESTORE_FAILED] = "the device could not be given back to its driver",
	[VERDICT_NO_IOMMU] = "no IOMMU unit serves the device",
	[VERDICT_INCONCLUSIVE] = "no attach path ran; see the skip reasons",
};
#define N_LABELS (sizeof(label_gist) / sizeof(label_gist[0]))

static const char css[] =
	"body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}\n"
	"h1{font-size:1.4em}h4{margin:.8em 0 .3em}\n"
	"table.matrix{border-collapse:collapse}\n"
	"table.matrix>thead th,table.matrix>tbody>tr>th,table.matrix>tbody>tr>td{border:1px solid #999;padding:4px 6px;vertical-align:top;text-align:left}\n"
	"th.plat{max-width:16em;word-break:break-all}\n"
	"td.cell{min-width:11em;max-width:40em}\n"
	"td.cell summary,th.rowhead summary{cursor:pointer}\n"
	".v-blocked-by-iommu{background:#b9e4bb}\n"
	".v-hwpt-reuse-non-coherent{background:#fff176}\n"
	".v-not-emitted-ens-off,.v-not-emitted-driver{background:#e3f2c8}\n"
	".v-non-coherent-kvm-must-know{background:#ffc77d}\n"
	".v-cc-misreported,.v-kvm-misinformed,.v-restore-failed{background:#f28b82}\n"
	".v-no-iommu{background:#ddd}\n"
	".v-inconclusive{background:#f4f4f4;outline:2px dashed #aaa;outline-offset:-3px}\n"
	"td.absent{background:repeating-linear-gradient(45deg,#fafafa,#fafafa 6px,#eee 6px,#eee 12px);color:#888}\n"
	"td.notrun{background:#fff;color:#555}\n"
	".badge{display:inline-block;border-radius:3px;padding:0 4px;margin-left:3px;font-size:.85em;font-weight:bold}\n"
	".unexpected{background:#b00020;color:#fff}.expected{background:#777;color:#fff}\n"
	".chg-regression{background:#b00020;color:#fff}.chg-fixed{background:#1b5e20;color:#fff}\n"
	".chg-changed{background:#1a4f8b;color:#fff}.chg-added,.chg-removed{background:#555;color:#fff}\n"
	"ul.changes li{background:none;color:inherit}\n"
	"ul.changes li b{padding:0 3px;border-radius:3px}\n"
	"ul.changes li.chg-regression b{background:#b00020;color:#fff}\n"
	"ul.changes li.chg-fixed b{background:#1b5e20;color:#fff}\n"
	"ul.changes li.chg-changed b{background:#1a4f8b;color:#fff}\n"
	".why{color:#555}pre{white-space:pre-wrap;background:#fff8;margin:.2em 0;padding:2px 4px;max-height:20em;overflow:auto}\n"
	"table.kv th,table.grid th{text-align:left;font-weight:600;padding-right:.8em}\n"
	"td.cell table.grid{display:block;overflow-x:auto;max-width:100%}\n"
	"table.grid{border-collapse:collapse}table.grid td,table.grid th{border:1px solid #bbb;padding:1px 4px}\n"
	".legend span{display:inline-block;padding:2px 6px;margin:2px;border:1px solid #999}\n";

static void label_class(FILE *out, const char *label)
{
	fputs("v-", out);
	html_esc(out, label);
}

static void legend(FILE *out)
{
	fputs("<p class=\"legend\">", out);
	for (size_t l = 0; l < N_LABELS; l++) {
		const char *name = verdict_label_name((enum verdict_label)l);

		fputs("<span class=\"", out);
		label_class(out, name);
		fprintf(out, "\" title=\"%s\">%s</span>", label_gist[l], name);
	}
	fputs("<span class=\"notrun\">not run</span><span class=\"absent\">not on the platform</span></p>\n", out);
	fputs("<p class=\"legend\">Marks: <span class=\"badge chg-regression\">regression</span>"
	      "<span class=\"badge chg-fixed\">fixed</span><span class=\"badge chg-changed\">changed</span>"
	      " since the row above (the same platform on the kernel before it, <code>runner compare</code>);"
	      " <span class=\"badge unexpected\">UNEXPECTED</span> <span class=\"badge expected\">expected</span>"
	      " failures with <code>--expect</code>. Open a cell for its evidence.</p>\n", out);
}

static void attr(FILE *out, const char *name, const char *value)
{
	fprintf(out, " %s=\"", name);
	html_esc(out, value);
	fputc('"', out);
}

static const char *run_id(const struct rundoc *d)
{
	return jmember_str(rundoc_run(d), "id");
}

static void row_attrs(FILE *out, const struct mx_row *r)
{
	attr(out, "data-platform", rundoc_platform_id(r->doc));
	attr(out, "data-kernel", rundoc_kernel(r->doc) ? rundoc_kernel(r->doc) : "");
	attr(out, "data-run", run_id(r->doc) ? run_id(r->doc) : "");
	attr(out, "data-file", r->doc->heading);
}

static void cell(FILE *out, const struct mx *m, const struct mx_row *r, size_t col,
		 const char *page_dir)
{
	const struct mx_cell *c = &r->cells[col];
	const char *label = jmember_str(c->verdict, "label");

	fputs("<td class=\"cell ", out);
	if (label)
		label_class(out, label);
	else
		fputs(c->dev ? "notrun" : "absent", out);
	fputc('"', out);
	row_attrs(out, r);
	attr(out, "data-device", m->cols[col]);
	if (label)
		attr(out, "data-verdict", label);
	fprintf(out, " data-state=\"%s\" data-fails=\"%d\"", label ? "verdict" : c->dev ? "not-run" : "absent",
		c->fails);
	if (m->gated)
		fprintf(out, " data-expected=\"%d\" data-unexpected=\"%d\"", c->expected, c->unexpected);
	if (r->prev >= 0) {
		fprintf(out, " data-change=\"%s\"", c->change < 0 ? "none" :
			cmp_mark_name((enum cmp_mark)c->change));
		attr(out, "data-before", jmember_str(c->before, "label") ? jmember_str(c->before, "label") : "");
	}
	fputc('>', out);
	if (!c->dev) {
		fputs("&ndash;</td>\n", out);
		return;
	}
	fputs("<details><summary>", out);
	if (label) {
		fputs("<b>", out);
		html_esc(out, label);
		fputs("</b>", out);
	} else {
		fputs(r->doc->kind == RUNDOC_RESULTS ? "not run" : "listed", out);
	}
	if (c->change >= 0)
		fprintf(out, " <span class=\"badge chg-%s\">%s</span>",
			cmp_mark_name((enum cmp_mark)c->change), cmp_mark_name((enum cmp_mark)c->change));
	if (m->gated && c->unexpected)
		fprintf(out, " <span class=\"badge unexpected\">%d UNEXPECTED</span>", c->unexpected);
	if (m->gated && c->expected)
		fprintf(out, " <span class=\"badge expected\">%d expected</span>", c->expected);
	if (!m->gated && c->fails)
		fprintf(out, " <span class=\"badge unexpected\">%d failing</span>", c->fails);
	fputs("<br><small>", out);
	html_esc(out, jmember_str(c->dev, "device_name") ? jmember_str(c->dev, "device_name") :
		 jmember_str(c->dev, "device"));
	fputs("</small></summary>\n", out);
	evidence_cell(out, m, r, col, page_dir);
	fputs("</details></td>\n", out);
}

/* "dmar0 intel-vtd SC=1": the platform's units, under its name. */
static void units_gist(FILE *out, const struct rundoc *d)
{
	json_object *us = jmember(d->plat, "iommu_units");

	if (!jarray_len(us))
		fputs("no IOMMU", out);
	for (size_t i = 0; i < jarray_len(us); i++) {
		json_object *u = jarray_at(us, i), *sc = jmember(jmember(u, "facts"), "snoop_control");

		fputs(i ? "<br>" : "", out);
		html_esc(out, jmember_str(u, "name"));
		fputs(" ", out);
		html_esc(out, jmember_str(u, "kind"));
		if (sc)
			fprintf(out, " SC=%d", json_object_get_boolean(sc));
	}
}

static void row_head(FILE *out, const struct mx *m, const struct mx_row *r, const char *page_dir)
{
	const char *stamp = rundoc_run_stamp(r->doc);

	fputs("<th class=\"rowhead\"><details><summary><b>", out);
	html_esc(out, rundoc_kernel(r->doc) ? rundoc_kernel(r->doc) : "unknown kernel");
	fputs("</b> ", out);
	html_esc(out, stamp ? stamp : "runner list");
	fputs("<br><small>", out);
	html_esc(out, r->doc->heading);
	fputs("</small>", out);
	if (r->prev >= 0) {
		fputs("<br><small>since ", out);
		html_esc(out, rundoc_kernel(m->rows[r->prev].doc));
		fputs(":", out);
		for (int k = 0; k < CMP_NMARKS; k++)
			if (r->cmp.count[k])
				fprintf(out, " <span class=\"badge chg-%s\">%d %s</span>",
					cmp_mark_name((enum cmp_mark)k), r->cmp.count[k],
					cmp_mark_name((enum cmp_mark)k));
		fprintf(out, "%s</small>", r->cmp.n ? "" : " no changes");
	}
	fputs("</summary>\n", out);
	evidence_row(out, m, r, page_dir);
	fputs("</details></th>\n", out);
}

static void matrix(FILE *out, const struct mx *m, const char *page_dir)
{
	fputs("<table class=\"matrix\" id=\"matrix\">\n<thead><tr><th>platform</th><th>kernel, run</th>", out);
	for (size_t c = 0; c < m->n_cols; c++) {
		fputs("<th", out);
		attr(out, "data-col", m->cols[c]);
		fputs(">", out);
		html_esc(out, m->cols[c]);
		fputs("</th>", out);
	}
	fputs("</tr></thead>\n<tbody>\n", out);
	for (size_t p = 0; p < m->n_plats; p++) {
		const struct mx_platform *pl = &m->plats[p];

		for (size_t i = pl->first; i < pl->first + pl->n; i++) {
			const struct mx_row *r = &m->rows[i];

			fprintf(out, "<tr class=\"run\" id=\"row-%zu\"", i);
			row_attrs(out, r);
			if (mx_repeats(m, r))
				fprintf(out, " data-like=\"row-%zu\"", r->like);
			fputs(">\n", out);
			if (i == pl->first) {
				fprintf(out, "<th class=\"plat\" rowspan=\"%zu\"", pl->n);
				attr(out, "data-platform", pl->id);
				fputs(">", out);
				html_esc(out, pl->id);
				fputs("<br><small>", out);
				units_gist(out, r->doc);
				fputs("</small></th>\n", out);
			}
			row_head(out, m, r, page_dir);
			for (size_t c = 0; c < m->n_cols; c++)
				cell(out, m, r, c, page_dir);
			fputs("</tr>\n", out);
		}
	}
	fputs("</tbody></table>\n", out);
}

static void gate_summary(FILE *out, const struct mx *m, const char *expect_dir)
{
	const struct gate *g = &m->gate;

	fprintf(out, "<p class=\"gate\" data-unexpected=\"%d\" data-expected=\"%d\" data-stale=\"%zu\">expectations ",
		g->unexpected, g->expected, g->n_stale);
	html_esc(out, expect_dir);
	fprintf(out, ": <b>%d unexpected</b>, %d expected failure%s, %zu stale expectation%s</p>\n",
		g->unexpected, g->expected, g->expected == 1 ? "" : "s", g->n_stale,
		g->n_stale == 1 ? "" : "s");
	if (!g->n_stale)
		return;
	fputs("<ul class=\"stale\">\n", out);
	for (size_t i = 0; i < g->n_stale; i++) {
		fputs("<li>", out);
		html_esc(out, g->stale[i]->file);
		fprintf(out, ":%d: expectation '", g->stale[i]->line);
		html_esc(out, g->stale[i]->name);
		fputs("' covered nothing on a platform it names</li>\n", out);
	}
	fputs("</ul>\n", out);
}

void page_render(FILE *out, const struct mx *m, const char *expect_dir, const char *page_dir)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      /* Nothing is fetched, nothing runs, whatever a results file holds. */
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
	      "<meta name=\"generator\" content=\"snoopcheck runner report\">\n"
	      "<title>snoopcheck report</title>\n<style>\n", out);
	fputs(css, out);
	fputs("</style>\n</head>\n<body>\n<h1>snoopcheck: No-Snoop enforcement, platform &times; device</h1>\n", out);
	fprintf(out, "<p class=\"summary\" data-documents=\"%zu\" data-platforms=\"%zu\">%zu document%s, %zu platform%s, %zu device%s.</p>\n",
		m->n_rows, m->n_plats, m->n_rows, m->n_rows == 1 ? "" : "s", m->n_plats,
		m->n_plats == 1 ? "" : "s", m->n_cols, m->n_cols == 1 ? "" : "s");
	if (m->gated)
		gate_summary(out, m, expect_dir);
	legend(out);
	matrix(out, m, page_dir);
	fputs("</body>\n</html>\n", out);
}

int page_write(const char *path, const struct mx *m, const char *expect_dir)
{
	char *dir = strdup(path), *slash, *real, *buf = NULL;
	size_t len = 0;
	FILE *f;
	int ret = -1, saved;

	if (!dir)
		return -1;
	slash = strrchr(dir, '/');
	if (slash)
		slash[slash == dir] = '\0';	/* "/x" keeps "/" */
	real = realpath(slash ? dir : ".", NULL);
	free(dir);
	if (!real)
		return -1;
	f = open_memstream(&buf, &len);
	if (f) {
		page_render(f, m, expect_dir, real);
		if (!fclose(f))
			ret = write_file_atomic(path, buf, len);
	}
	saved = errno;
	free(buf);
	free(real);
	errno = saved;
	return ret;
}
