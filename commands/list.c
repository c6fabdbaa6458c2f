// SPDX-License-Identifier: GPL-2.0-only
/* runner list: the platform, its IOMMU units and PCI devices. Read-only. */
#include <getopt.h>
#include <stdio.h>

#include "base/fsutil.h"
#include "commands.h"
#include "discover.h"
#include "discover/report.h"

int cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "from", required_argument, NULL, 'f' },
		{ "allowlist", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from = NULL, *allow_dir = NULL;
	struct platform p;
	struct allowlist a;
	int c, json = 0, ret;

	while ((c = getopt_long(argc, argv, "jf:a:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = 1; break;
		case 'f':
			if (!path_arg_ok("--from", optarg, stderr))
				return EXIT_BADINPUT;
			from = optarg;
			break;
		case 'a':
			if (!path_arg_ok("--allowlist", optarg, stderr))
				return EXIT_BADINPUT;
			allow_dir = optarg;
			break;
		case 'h':
			printf("usage: runner list [--json] [--from CAPTURE_DIR] [--allowlist DIR]\n");
			return 0;
		default:
			fprintf(stderr, "usage: runner list [--json] [--from CAPTURE_DIR] [--allowlist DIR]\n");
			return EXIT_BADINPUT;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "runner list: unexpected argument '%s'\n", argv[optind]);
		return EXIT_BADINPUT;
	}
	ret = discover(&p, &a, from, allow_dir);
	if (ret)
		return ret;
	if (json) {
		json_object *o = platform_to_json(&p);

		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_SPACED |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		platform_print_table(stdout, &p);
	}
	discover_done(&p, &a);
	return 0;
}
