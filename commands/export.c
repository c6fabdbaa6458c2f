// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner export FORMAT [-o FILE] [OPTIONS] RESULTS...: results files (or
 * trees of them, every *.json at any depth, as runner report reads them:
 * a fleet's results/KERNEL/PLATFORM/results.json) turned into what
 * another system reads. One format
 * option says which; each format is one entry of formats[] below, with
 * the options it takes, so adding one is adding an entry. The output is
 * written atomically (-o), or to stdout.
 *
 *   --kcidb  one KCIDB I/O document, schema v5.3 (export/kcidb.h):
 *            --origin NAME ([a-z0-9_]+, default snoopcheck),
 *            --log-base URL (where each results file's directory is
 *            published: tests get log_url), --lab NAME
 *   --lava   the lines lava/report.sh turns into lava-test-set and
 *            lava-test-case calls (export/lava.h); no options
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "commands.h"
#include "base/fsutil.h"
#include "export/kcidb.h"
#include "export/lava.h"
#include "judge/rundoc.h"

#define USAGE "usage: runner export --kcidb [-o FILE] [--origin NAME] [--log-base URL] " \
	      "[--lab NAME] RESULTS...\n" \
	      "       runner export --lava [-o FILE] RESULTS...\n"

enum { OPT_ORIGIN = 1 << 0, OPT_LOG_BASE = 1 << 1, OPT_LAB = 1 << 2 };

struct export_args {
	const char *origin, *log_base, *lab;
	unsigned given;		/* OPT_* seen on the command line */
};

struct export_format {
	const char *option;	/* "kcidb" for --kcidb */
	unsigned takes;		/* the OPT_* it reads; others given are refused */
	/* The output for s as text (*text malloc'd), or an exit status with the message said. */
	int (*render)(const struct rundoc_set *s, const struct export_args *a, char **text,
		      size_t *len);
};

static int render_kcidb(const struct rundoc_set *s, const struct export_args *a, char **text,
			size_t *len)
{
	struct kcidb_opts o = { .origin = a->origin ? a->origin : KCIDB_ORIGIN_DEFAULT,
				.log_base = a->log_base, .lab = a->lab };
	json_object *doc;
	const char *js;

	if (!kcidb_origin_valid(o.origin)) {
		fprintf(stderr, "runner export: --origin '%s': expected lower-case letters, digits "
			"and '_' (KCIDB's origin pattern [a-z0-9_]+)\n", o.origin);
		return EXIT_BADINPUT;
	}
	if (o.log_base && !kcidb_url_valid(o.log_base)) {
		fprintf(stderr, "runner export: --log-base '%s': expected an absolute URL "
			"(https://host/path), KCIDB's log_url is one\n", o.log_base);
		return EXIT_BADINPUT;
	}
	doc = kcidb_export(s, &o, stderr);
	if (!doc)
		return EXIT_BADINPUT;
	js = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
	*len = strlen(js) + 1;
	*text = malloc(*len + 1);
	if (*text)
		snprintf(*text, *len + 1, "%s\n", js);
	json_object_put(doc);
	if (!*text) {
		fprintf(stderr, "runner export: out of memory\n");
		return EXIT_BADINPUT;
	}
	return 0;
}

static int render_lava(const struct rundoc_set *s, const struct export_args *a, char **text,
		       size_t *len)
{
	FILE *f = open_memstream(text, len);
	int ret;

	(void)a;
	if (!f) {
		fprintf(stderr, "runner export: out of memory\n");
		return EXIT_BADINPUT;
	}
	ret = lava_export(s, f, stderr);
	/* a stream that could not grow lost lines: that is no export */
	if (ferror(f) | fclose(f) || ret == -ENOMEM) {
		fprintf(stderr, "runner export: out of memory\n");
		ret = -ENOMEM;
	}
	if (ret) {
		free(*text);
		*text = NULL;
		return EXIT_BADINPUT;
	}
	return 0;
}

static const struct export_format formats[] = {
	{ "kcidb", OPT_ORIGIN | OPT_LOG_BASE | OPT_LAB, render_kcidb },
	{ "lava", 0, render_lava },
};

#define N_FORMATS (sizeof(formats) / sizeof(formats[0]))

static const char *const opt_names[] = { "--origin", "--log-base", "--lab" };

/* The format's own options only: one given to another format is a mistake. */
static int check_options(const struct export_format *f, const struct export_args *a)
{
	for (size_t i = 0; i < sizeof(opt_names) / sizeof(opt_names[0]); i++)
		if ((a->given & (1u << i)) && !(f->takes & (1u << i))) {
			fprintf(stderr, "runner export: %s does not apply to --%s\n", opt_names[i],
				f->option);
			return EXIT_BADINPUT;
		}
	return 0;
}

static int write_out(const char *out, const char *text, size_t len)
{
	if (!out) {
		if (fwrite(text, 1, len, stdout) != len || fflush(stdout)) {
			perror("runner export: stdout");
			return EXIT_BADINPUT;
		}
		return 0;
	}
	if (write_file_atomic(out, text, len)) {
		fprintf(stderr, "runner export: %s: cannot write: %s\n", out, strerror(errno));
		return EXIT_BADINPUT;
	}
	return 0;
}

int cmd_export(int argc, char **argv)
{
	struct option longopts[N_FORMATS + 5] = {
		{ "origin", required_argument, NULL, 'O' },
		{ "log-base", required_argument, NULL, 'L' },
		{ "lab", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
	};
	const struct export_format *f = NULL;
	struct export_args a = { 0 };
	struct rundoc_set s = { 0 };
	const char *out = NULL;
	char *text = NULL;
	size_t len = 0;
	int c, idx, ret = 0;

	for (size_t i = 0; i < N_FORMATS; i++)
		longopts[4 + i] = (struct option){ formats[i].option, no_argument, NULL, 'F' };
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", longopts, &idx)) != -1) {
		switch (c) {
		case 'F':
			if (f) {
				fprintf(stderr, "runner export: one format at a time (--%s and --%s)\n",
					f->option, longopts[idx].name);
				return EXIT_BADINPUT;
			}
			f = &formats[idx - 4];
			break;
		case 'o': out = optarg; break;
		case 'O': a.origin = optarg; a.given |= OPT_ORIGIN; break;
		case 'L': a.log_base = optarg; a.given |= OPT_LOG_BASE; break;
		case 'B': a.lab = optarg; a.given |= OPT_LAB; break;
		case 'h': fputs(USAGE, stdout); return 0;
		default: fputs(USAGE, stderr); return EXIT_BADINPUT;
		}
	}
	if (!f || optind >= argc) {
		fprintf(stderr, "runner export: %s\n" USAGE,
			f ? "expected results files" : "expected a format (--kcidb or --lava)");
		return EXIT_BADINPUT;
	}
	if (check_options(f, &a))
		return EXIT_BADINPUT;
	for (int i = optind; i < argc; i++)
		if (rundoc_set_add_tree(&s, argv[i], stderr))
			ret = EXIT_BADINPUT;
	if (!ret)
		ret = f->render(&s, &a, &text, &len);
	if (!ret)
		ret = write_out(out, text, len);
	free(text);
	rundoc_set_free(&s);
	return ret;
}
