// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner vm PLATFORM -- CMD...: run one command in a virtual-lab guest.
 * The guest's stdout and stderr come back as ours, its exit status as our
 * exit status; the console log and results stay in the output directory.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "base/fsutil.h"
#include "base/number.h"
#include "vm/labpaths.h"
#include "sysfs/sysroot.h"
#include "vm/vm.h"

#define EXIT_SKIP 4	/* kselftest's KSFT_SKIP: the platform cannot run here */

static void usage(FILE *f)
{
	fprintf(f, "usage: runner vm [--timeout SECONDS] [--out DIR] [--kernel SERIES|BZIMAGE] PLATFORM -- CMD [ARGS...]\n"
		   "platforms are vm/platforms/*.conf; --kernel 6.1 or 6.12 is that lab kernel\n"
		   "(vm/build-kernel.sh SERIES, cached); without it, $KERNEL or the default series\n");
}

static void copy_stream(const char *path, FILE *to)
{
	char *s = read_file(path, NULL);

	if (s) {
		fputs(s, to);
		free(s);
	}
}

static void show_tail(const char *path, int lines)
{
	char *s = read_file(path, NULL);
	char *p;

	if (!s)
		return;
	p = s + strlen(s);
	while (p > s && lines >= 0)
		if (*--p == '\n')
			lines--;
	fprintf(stderr, "---- last lines of %s ----\n%s\n----\n", path,
		p == s ? p : p + 1);
	free(s);
}

int cmd_vm(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char outdir[PATH_MAX] = "", kernel[PATH_MAX] = "", cwd[PATH_MAX];
	const char *series = NULL;
	char platdir[PATH_MAX], path[PATH_MAX];
	struct vm_platform plat;
	struct vm_run run = { .timeout_s = 300 };
	int c, ret;

	while ((c = getopt_long(argc, argv, "+t:o:k:h", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (number_parse_timeout(optarg, &run.timeout_s)) {
				fprintf(stderr, "runner vm: --timeout: expected seconds 1..%d (decimal or 0x hex), got '%s'\n",
					TIMEOUT_MAX_S, optarg);
				return EXIT_BADINPUT;
			}
			break;
		case 'o':
			if (!path_arg_ok("--out", optarg, stderr))
				return EXIT_BADINPUT;
			path_fmt(outdir, sizeof(outdir), "%s", optarg);
			break;
		case 'k':
			/* "6.1" is a series; "./6.1" or any path is an image */
			if (lab_kernel_series_ok(optarg)) {
				series = optarg;
				break;
			}
			if (!path_arg_ok("--kernel", optarg, stderr))
				return EXIT_BADINPUT;
			if (access(optarg, R_OK)) {
				fprintf(stderr, "runner vm: --kernel: expected a series (scripts/kernel-src.sh series) or a readable bzImage, got '%s': %s\n",
					optarg, strerror(errno));
				return EXIT_BADINPUT;
			}
			path_fmt(kernel, sizeof(kernel), "%s", optarg);
			series = NULL;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_BADINPUT;
		}
	}
	if (optind + 2 > argc || strcmp(argv[optind + 1], "--") || optind + 2 == argc) {
		usage(stderr);
		return EXIT_BADINPUT;
	}
	/* a platform may be named by its file's path */
	if (!path_arg_ok("runner vm: platform", argv[optind], stderr))
		return EXIT_BADINPUT;
	path_fmt(platdir, sizeof(platdir), "%s/vm/platforms", lab_srcdir());
	if (vm_platform_load(&plat, platdir, argv[optind], stderr))
		return EXIT_BADINPUT;
	if (plat.skip[0]) {
		printf("vm: %s: skipped: %s\n", plat.name, plat.skip);
		return EXIT_SKIP;
	}
	if (!kernel[0] && lab_kernel(series, kernel, sizeof(kernel)))
		return EXIT_TESTFAIL;
	if (!outdir[0]) {
		path_fmt(outdir, sizeof(outdir), "/tmp/snoopcheck-vm-%s-XXXXXX", plat.name);
		if (!mkdtemp(outdir)) {
			perror("runner vm: mkdtemp");
			return EXIT_TESTFAIL;
		}
	} else if (mkdir_p(outdir)) {
		fprintf(stderr, "runner vm: cannot create %s: %s\n", outdir, strerror(errno));
		return EXIT_BADINPUT;
	}
	if (!getcwd(cwd, sizeof(cwd))) {
		perror("runner vm: getcwd");
		return EXIT_TESTFAIL;
	}
	run.kernel = kernel;
	run.outdir = outdir;
	run.srcdir = cwd;
	ret = vm_run(&plat, argv + optind + 2, &run, stderr);
	if (ret)
		return EXIT_TESTFAIL;

	path_fmt(path, sizeof(path), "%s/stdout", outdir);
	copy_stream(path, stdout);
	fflush(stdout);
	path_fmt(path, sizeof(path), "%s/stderr", outdir);
	copy_stream(path, stderr);
	for (size_t i = 0; i < run.findings.n; i++)
		fprintf(stderr, "vm: %s: kernel %s: %s\n", plat.name,
			klog_kind_name(run.findings.v[i].kind), run.findings.v[i].line);
	if (run.timed_out) {
		fprintf(stderr, "vm: %s: guest killed after %d s; console log kept in %s\n",
			plat.name, run.timeout_s, run.console);
		show_tail(run.console, 30);
		ret = EXIT_TESTFAIL;
	} else if (run.status < 0) {
		show_tail(run.console, 30);
		ret = EXIT_TESTFAIL;
	} else {
		ret = run.status;
	}
	fprintf(stderr, "vm: %s: %.1f s, exit %d, output in %s\n", plat.name,
		run.seconds, run.status, outdir);
	vm_run_free(&run);
	return ret;
}
