// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner bind: hand the selected devices (and their IOMMU groups) to
 * vfio-pci. Without a command they stay there, journalled, until
 * `runner restore`. With `-- CMD...` the command runs while they are bound
 * (their addresses in $SNOOPCHECK_DEVICES) and they are given back when it
 * ends, when the runner gets SIGINT, SIGTERM or SIGHUP, or, after SIGKILL,
 * by `runner restore`.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "base/fsutil.h"
#include "base/sigflag.h"
#include "base/spawn.h"
#include "commands.h"
#include "host/session.h"
#include "selection.h"
#include "sysfs/sysroot.h"

#define CHILD_GRACE_S 10	/* after SIGTERM, before SIGKILL */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: runner bind [--config FILE] [--device BDF]... [--vendor VVVV[:DDDD]]\n"
		"                   [--class CC[SS]] [--force] [--dry-run] [--json]\n"
		"                   [--run-dir DIR] [--capture DIR | --from DIR] [-- CMD [ARGS...]]\n"
		"Binds the selected devices and their IOMMU groups to vfio-pci.\n"
		"Without CMD they stay bound until `runner restore`; with CMD they are\n"
		"given back when it ends or the runner is interrupted.\n"
		"--force binds devices that are in use; --dry-run only says what it would do;\n"
		"--capture DIR (with --dry-run) records what it read; --from DIR replays it.\n");
}

struct bind_args {
	struct selection_args s;
	bool json;
	const char *capture;	/* record what selection and the guard read */
	const char *from;	/* read a capture instead of this machine */
	char **cmd;
};

static int parse(int argc, char **argv, struct bind_args *a)
{
	static const struct option opts[] = {
		SELECTION_LONG_OPTIONS,
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "capture", required_argument, NULL, 'R' },
		{ "from", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, err = 0;

	selection_args_init(&a->s);
	while (!err && (c = getopt_long(argc, argv, "+" SELECTION_SHORT_OPTIONS "njh", opts,
					NULL)) != -1) {
		if ((err = selection_option(&a->s, c, optarg)) <= 0)
			continue;
		err = 0;
		switch (c) {
		case 'n': a->s.bind.dry_run = true; break;
		case 'j': a->json = true; break;
		case 'R':
			if (!path_arg_ok("--capture", optarg, stderr))
				return -EINVAL;
			a->capture = optarg;
			break;
		case 'F':
			if (!path_arg_ok("--from", optarg, stderr))
				return -EINVAL;
			a->from = optarg;
			break;
		case 'h': usage(stdout); return 1;
		default: usage(stderr); return -EINVAL;
		}
	}
	if (err)
		return err;
	if (optind < argc)
		a->cmd = argv + optind;	/* getopt_long ate the "--" */
	if (a->cmd && a->s.bind.dry_run) {
		fprintf(stderr, "runner bind: --dry-run runs no command\n");
		return -EINVAL;
	}
	if ((a->capture || a->from) && !a->s.bind.dry_run) {
		fprintf(stderr, "runner bind: --capture and --from only with --dry-run (a capture must not change what it records, and a replay has nothing to change)\n");
		return -EINVAL;
	}
	return 0;
}

/* Run cmd with the devices bound; on a signal pass SIGTERM on, then SIGKILL. */
static int run_child(char **cmd, const char *devices, int sigfd)
{
	char env[SELECT_MAX_NAMED * BDF_LEN + 32];
	char *envv[] = { env, NULL };
	struct spawn_opts o = {
		.env = envv,
		.interrupted = sigflag_caught,
		.grace_s = CHILD_GRACE_S,
		.wake_fd = sigfd,
		.search_path = true,
		/* A runner killed by SIGKILL takes the command with it, so the
		 * devices are free for `runner restore`. */
		.die_with_parent = true,
		/* `runner bind -- bash` is typed at a terminal: keep it. */
		.same_group = true,
	};
	struct spawn_result r;
	int ret;

	snprintf(env, sizeof(env), "SNOOPCHECK_DEVICES=%s", devices);
	ret = spawn_run(cmd, &o, &r);
	if (ret) {
		fprintf(stderr, "runner bind: fork: %s\n", strerror(-ret));
		return EXIT_TESTFAIL;
	}
	if (r.interrupted)
		fprintf(stderr, "runner bind: SIG%s: stopped %s\n",
			sigabbrev_np(sigflag_caught()), cmd[0]);
	if (r.exec_errno) {
		fprintf(stderr, "runner bind: cannot run %s: %s\n", cmd[0], strerror(r.exec_errno));
		return 127;
	}
	if (!r.term_signal)
		return r.exit_status;
	fprintf(stderr, "runner bind: %s died of SIG%s\n", cmd[0], sigabbrev_np(r.term_signal));
	return EXIT_TESTFAIL;
}

static void report(const struct bind_args *a, const struct session *s)
{
	if (a->json) {
		struct json_object *arr = json_object_new_array();

		for (size_t i = 0; i < s->n; i++)
			json_object_array_add(arr, bind_result_json(&s->res[i]));
		printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
							 JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(arr);
		return;
	}
	for (size_t i = 0; i < s->n; i++)
		bind_result_print(&s->res[i], stdout);
}

int cmd_bind(int argc, char **argv)
{
	struct bind_args a = { 0 };
	struct selection sel;
	struct session sess;
	char devices[SELECT_MAX_NAMED * BDF_LEN + 1];
	int ret, status = 0;

	ret = parse(argc, argv, &a);
	if (ret)
		return ret > 0 ? 0 : EXIT_BADINPUT;
	if (a.from) {
		if (access(a.from, R_OK)) {
			fprintf(stderr, "runner bind: --from %s: %s\n", a.from, strerror(errno));
			return EXIT_BADINPUT;
		}
		sysroot_replay_from(a.from);
	}
	if (a.capture && sysroot_capture_to(a.capture)) {
		fprintf(stderr, "runner bind: cannot capture to %s\n", a.capture);
		return EXIT_BADINPUT;
	}
	ret = select_devices(&sel, &a.s.sel, stderr);
	if (ret)
		return ret == -EINVAL || ret == -ENODEV ? EXIT_BADINPUT : EXIT_TESTFAIL;
	if (!sel.n) {
		selection_free(&sel);
		return 0;
	}
	if (session_begin(&sess, a.s.dir, &a.s.bind, stderr)) {
		selection_free(&sel);
		return EXIT_TESTFAIL;
	}
	if (session_bind(&sess, &sel))
		status = EXIT_TESTFAIL;
	report(&a, &sess);
	if (a.s.bind.dry_run)
		goto out;
	if (sess.broken || sigflag_caught()) {
		if (sigflag_caught())
			fprintf(stderr, "runner bind: SIG%s: giving the devices back\n",
				sigabbrev_np(sigflag_caught()));
		session_give_back(&sess, stdout, stderr);
		status = EXIT_TESTFAIL;
	} else if (a.cmd) {
		session_ready_list(&sess, devices, sizeof(devices));
		if (!devices[0]) {
			fprintf(stderr, "runner bind: no device is on vfio-pci; not running %s\n",
				a.cmd[0]);
		} else {
			ret = run_child(a.cmd, devices, sess.sigfd);
			if (ret)
				status = ret;
		}
		if (session_give_back(&sess, stdout, stderr))
			status = EXIT_TESTFAIL;
	} else if (session_moved_any(&sess)) {
		printf("bind: devices stay on vfio-pci; `runner restore` gives them back (journal in %s)\n",
		       a.s.dir);
	}
out:
	session_end(&sess);
	selection_free(&sel);
	return status;
}
