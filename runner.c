// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner: the snoopcheck command line. It only dispatches; every command
 * lives in commands/<name>.c.
 */
#include <stdio.h>
#include <string.h>

#include "commands/commands.h"

struct command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *usage;
};

static const struct command commands[] = {
	{ "list", cmd_list, "list [--json] [--from DIR]  platform, IOMMU units and PCI devices (read-only)" },
	{ "capture", cmd_capture, "capture DIR                 save what discovery reads, for offline replay" },
	{ "bind", cmd_bind, "bind SELECTION [-- CMD]     hand devices and their IOMMU groups to vfio-pci" },
	{ "restore", cmd_restore, "restore                     give back what a killed runner left bound" },
	{ "vm", cmd_vm, "vm PLATFORM -- CMD...         run a command in a virtual-lab guest" },
	{ "compare", cmd_compare, "compare OLD NEW | DOC...    what changed (exit 1 on a regression), or side by side;\n"
	  "                              --expect DIR: exit 1 on a failure no expectation covers" },
	{ "report", cmd_report, "report DOC... [--expect DIR] -o PAGE.html  the platform x device matrix as one static page" },
	{ "validate", cmd_validate, "validate [--capture DIR] FILE...  check results files (or bundles): schema, verdicts re-judged" },
	{ "bundle", cmd_bundle, "bundle RESULTS [--capture DIR] [-o DIR]  one archive to submit: results, logs, capture, checksums" },
	{ "export", cmd_export, "export --kcidb [-o FILE] [--origin NAME] RESULTS...  results as a KernelCI KCIDB v5.3 document" },
	{ "run", cmd_run, "run [SELECTION] [--force] [--out FILE]  the whole job: bind, suites, verdicts, results" },
	{ "fio", cmd_fio, "fio write|verify|measure --filename DEV --scratch-lba START+COUNT [--bdf BDF]" },
	{ NULL, NULL, NULL },
};

static void usage(FILE *f)
{
	fprintf(f, "usage: runner COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; commands[i].name; i++)
		if (commands[i].usage)	/* internal commands have none */
			fprintf(f, "  %s\n", commands[i].usage);
	fprintf(f, "\nExit status: 0 ok, 1 a test or verdict failed, 2 bad input.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_BADINPUT;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	for (size_t i = 0; commands[i].name; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "runner: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_BADINPUT;
}
