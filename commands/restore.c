// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner restore: give back every device a runner left on vfio-pci, from
 * the journal it left (`runner bind` without a command, or a runner killed
 * by SIGKILL, a crash or a power cut). Safe to run any number of times.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "commands.h"
#include "host/journal.h"
#include "host/restore.h"
#include "host/rundir.h"
#include "host/runlock.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: runner restore [--run-dir DIR]\n"
		   "replays DIR/journal (default $SNOOPCHECK_RUNDIR or /run/snoopcheck)\n");
}

int cmd_restore(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "run-dir", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *dir = journal_default_dir();
	char why[1024];
	int c, fd, lock, ret;

	while ((c = getopt_long(argc, argv, "r:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if (!path_arg_ok("--run-dir", optarg, stderr))
				return EXIT_BADINPUT;
			dir = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_BADINPUT;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return EXIT_BADINPUT;
	}
	/* a mistyped --run-dir must not leave a directory behind */
	fd = rundir_open(dir, false, why, sizeof(why));
	if (fd == -ENOENT) {
		printf("restore: nothing to restore (%s)\n", why);
		return 0;
	}
	if (fd < 0) {
		fprintf(stderr, "restore: %s\n", why);
		return EXIT_BADINPUT;
	}
	close(fd);
	lock = runlock_take(dir, stderr);
	if (lock < 0)
		return EXIT_TESTFAIL;
	ret = restore_journal(dir, 0, stdout, stderr);
	runlock_release(lock);
	switch (ret) {
	case 0:
		printf("restore: every device is back as it was (or gone from the machine, as said above); journal removed\n");
		return 0;
	case -ENOENT:
		printf("restore: nothing to restore (no journal in %s)\n", dir);
		return 0;
	case -EINVAL:
		fprintf(stderr, "restore: the journal in %s was damaged: every record that could be read was replayed (see above); the devices of the damaged lines, if any, need a look by hand\n",
			dir);
		return EXIT_BADINPUT;
	default:
		fprintf(stderr, "restore: the journal in %s keeps what could not be restored; fix the cause and run `runner restore` again\n",
			dir);
		return EXIT_TESTFAIL;
	}
}
