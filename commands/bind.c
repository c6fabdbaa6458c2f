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
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "host/bind.h"
#include "commands.h"
#include "host/journal.h"
#include "host/restore.h"
#include "host/runlock.h"
#include "host/select.h"
#include "base/sigflag.h"
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
	struct select_opts sel;
	struct bind_opts bind;
	const char *dir;
	bool json;
	const char *capture;	/* record what selection and the guard read */
	const char *from;	/* read a capture instead of this machine */
	char **cmd;
};

static int parse(int argc, char **argv, struct bind_args *a)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "device", required_argument, NULL, 'd' },
		{ "vendor", required_argument, NULL, 'V' },
		{ "class", required_argument, NULL, 'C' },
		{ "force", no_argument, NULL, 'f' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "json", no_argument, NULL, 'j' },
		{ "run-dir", required_argument, NULL, 'r' },
		{ "capture", required_argument, NULL, 'R' },
		{ "from", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, err = 0;

	a->dir = journal_default_dir();
	while (!err && (c = getopt_long(argc, argv, "+c:d:fnjr:h", opts, NULL)) != -1) {
		switch (c) {
		case 'c': a->sel.config = optarg; break;
		case 'd': err = select_add_device(&a->sel, optarg, stderr); break;
		case 'V': err = select_set_vendor(&a->sel, optarg, stderr); break;
		case 'C': err = select_set_class(&a->sel, optarg, stderr); break;
		case 'f': a->bind.force = true; break;
		case 'n': a->bind.dry_run = true; break;
		case 'j': a->json = true; break;
		case 'r': a->dir = optarg; break;
		case 'R': a->capture = optarg; break;
		case 'F': a->from = optarg; break;
		case 'h': usage(stdout); return 1;
		default: usage(stderr); return -EINVAL;
		}
	}
	if (err)
		return err;
	if (optind < argc)
		a->cmd = argv + optind;	/* getopt_long ate the "--" */
	if (a->cmd && a->bind.dry_run) {
		fprintf(stderr, "runner bind: --dry-run runs no command\n");
		return -EINVAL;
	}
	if ((a->capture || a->from) && !a->bind.dry_run) {
		fprintf(stderr, "runner bind: --capture and --from only with --dry-run (a capture must not change what it records, and a replay has nothing to change)\n");
		return -EINVAL;
	}
	return 0;
}

/* Run cmd with the devices bound; on a signal pass SIGTERM on, then SIGKILL. */
static int run_child(char **cmd, const char *devices, int sigfd)
{
	struct timespec t0 = { 0, 0 }, now;
	bool terminating = false;
	pid_t parent = getpid(), pid;
	int st;

	fflush(NULL);	/* our report first, then the command's output */
	pid = fork();
	if (pid < 0) {
		perror("runner bind: fork");
		return EXIT_TESTFAIL;
	}
	if (pid == 0) {
		/* A runner killed by SIGKILL takes the command with it, so the
		 * devices are free for `runner restore`. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
			_exit(EXIT_TESTFAIL);	/* the runner is already gone */
		sigflag_remove();
		setenv("SNOOPCHECK_DEVICES", devices, 1);
		execvp(cmd[0], cmd);
		fprintf(stderr, "runner bind: cannot run %s: %s\n", cmd[0], strerror(errno));
		_exit(127);
	}
	for (;;) {
		struct pollfd p = { .fd = sigfd, .events = POLLIN };
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid)
			break;
		if (sigflag_caught() && !terminating) {
			fprintf(stderr, "runner bind: SIG%s: stopping %s (pid %d)\n",
				sigabbrev_np(sigflag_caught()), cmd[0], (int)pid);
			kill(pid, SIGTERM);
			clock_gettime(CLOCK_MONOTONIC, &t0);
			terminating = true;
		}
		if (terminating) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - t0.tv_sec >= CHILD_GRACE_S)
				kill(pid, SIGKILL);
		}
		if (poll(&p, 1, 200) > 0) {
			char drain[16];

			while (read(sigfd, drain, sizeof(drain)) > 0)
				;
		}
	}
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	fprintf(stderr, "runner bind: %s died of SIG%s\n", cmd[0],
		sigabbrev_np(WTERMSIG(st)));
	return EXIT_TESTFAIL;
}

static int give_back(const char *dir, FILE *out)
{
	int ret = restore_journal(dir, (long)getpid(), out, stderr);

	if (ret == -ENOENT || !ret)
		return 0;
	fprintf(stderr, "runner bind: the journal in %s keeps what could not be given back; run `runner restore` once the cause is fixed\n",
		dir);
	return EXIT_TESTFAIL;
}

static void report(const struct bind_args *a, struct bind_result *res, size_t n)
{
	if (a->json) {
		struct json_object *arr = json_object_new_array();

		for (size_t i = 0; i < n; i++)
			json_object_array_add(arr, bind_result_json(&res[i]));
		printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PRETTY |
							 JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(arr);
		return;
	}
	for (size_t i = 0; i < n; i++)
		bind_result_print(&res[i], stdout);
}

static bool any_bound(const struct bind_result *res, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t m = 0; m < res[i].n_members; m++)
			if (res[i].member[m].action == MEMBER_BOUND)
				return true;
	return false;
}

/* Addresses on vfio-pci now, for the command. */
static void bound_list(const struct bind_result *res, size_t n, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (res[i].refused || res[i].error[0])
			continue;
		if (buf[0])
			strncat(buf, " ", len - strlen(buf) - 1);
		strncat(buf, res[i].bdf, len - strlen(buf) - 1);
	}
}

int cmd_bind(int argc, char **argv)
{
	struct bind_args a = { .bind.pid = (long)getpid() };
	struct selection sel;
	struct bind_result *res;
	struct journal j;
	char devices[SELECT_MAX_NAMED * BDF_LEN + 1];
	size_t done = 0;
	int lock = -1, sigfd, ret, status = 0;
	bool broken = false;

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
	ret = select_devices(&sel, &a.sel, stderr);
	if (ret)
		return ret == -EINVAL || ret == -ENODEV ? EXIT_BADINPUT : EXIT_TESTFAIL;
	if (!sel.n) {
		selection_free(&sel);
		return 0;
	}
	res = calloc(sel.n, sizeof(*res));
	if (!res) {
		selection_free(&sel);
		return EXIT_TESTFAIL;
	}
	if (!a.bind.dry_run && (lock = runlock_take(a.dir, stderr)) < 0) {
		status = EXIT_TESTFAIL;
		goto out;
	}
	sigfd = sigflag_install();
	if (sigfd < 0) {
		fprintf(stderr, "runner bind: cannot watch signals: %s\n", strerror(-sigfd));
		status = EXIT_TESTFAIL;
		goto out;
	}
	journal_init(&j, a.dir);
	a.bind.journal = &j;
	a.bind.interrupted = sigflag_caught;
	for (; done < sel.n && !broken; done++) {
		ret = bind_device(sel.v[done].bdf, &a.bind, &res[done]);
		if (ret)
			status = EXIT_TESTFAIL;
		/* a refusal touched nothing; anything else leaves a half-made group */
		broken = ret && !res[done].refused;
	}
	journal_close(&j);
	report(&a, res, done);
	if (a.bind.dry_run)
		goto out;
	if (broken || sigflag_caught()) {
		if (sigflag_caught())
			fprintf(stderr, "runner bind: SIG%s: giving the devices back\n",
				sigabbrev_np(sigflag_caught()));
		give_back(a.dir, stdout);
		status = EXIT_TESTFAIL;
	} else if (a.cmd) {
		bound_list(res, done, devices, sizeof(devices));
		if (!devices[0]) {
			fprintf(stderr, "runner bind: no device is on vfio-pci; not running %s\n",
				a.cmd[0]);
		} else {
			ret = run_child(a.cmd, devices, sigfd);
			if (ret)
				status = ret;
		}
		if (give_back(a.dir, stdout))
			status = EXIT_TESTFAIL;
	} else if (any_bound(res, done)) {
		printf("bind: devices stay on vfio-pci; `runner restore` gives them back (journal in %s)\n",
		       a.dir);
	}
out:
	sigflag_remove();
	runlock_release(lock);
	free(res);
	selection_free(&sel);
	return status;
}
