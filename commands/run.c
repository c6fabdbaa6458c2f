// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner run: the whole job on the selected devices, in one process and
 * one direction:
 *
 *   1. discover the platform (the evidence every verdict starts from);
 *   2. select the devices, from one reading of the lab config;
 *   3. bind them (host/session.h: lock, journal, signals), and plan each
 *      one's suites once (host/plan.h: scratch range, partner);
 *   4. run every suite on every bound device, each with a deadline, its
 *      KTAP kept in a private directory;
 *   5. give the devices back, then judge: KTAP to facts to one verdict per
 *      device, the kernel log, one results file written atomically.
 *
 * SIGINT/SIGTERM/SIGHUP stop the running suite, give the devices back and
 * still write what the run knows. Exit: 0 all passed and no verdict is a
 * failure, 1 otherwise, 2 bad input.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "base/sigflag.h"
#include "base/spawn.h"
#include "base/trust.h"
#include "commands.h"
#include "discover.h"
#include "host/plan.h"
#include "host/session.h"
#include "judge/judge.h"
#include "judge/results.h"
#include "selection.h"
#include "suite/klog.h"
#include "suite/kmsg.h"
#include "sysfs/sysroot.h"
#include "vm/labpaths.h"

#define SUITE_TIMEOUT_S 600
#define SUITE_GRACE_S 10	/* after SIGTERM, before SIGKILL */

static void usage(FILE *f)
{
	fprintf(f, "usage: runner run [--config FILE] [--device BDF]... [--vendor V[:D]] [--class CC[SS]]\n"
		   "                  [--force] [--run-dir DIR] [--out FILE]\n"
		   "Binds the selected devices to vfio-pci, runs every suite on each, gives them\n"
		   "back, and writes one results file (default results/local/RUN-ID.json).\n");
}

struct run_args {
	struct selection_args s;
	char out[PATH_MAX];		/* results file, "" for the default */
};

static int parse(int argc, char **argv, struct run_args *a)
{
	static const struct option opts[] = {
		SELECTION_LONG_OPTIONS,
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, err = 0;

	selection_args_init(&a->s);
	while (!err && (c = getopt_long(argc, argv, SELECTION_SHORT_OPTIONS "o:h", opts,
					NULL)) != -1) {
		if ((err = selection_option(&a->s, c, optarg)) <= 0)
			continue;
		err = 0;
		switch (c) {
		case 'o':
			if (!path_arg_ok("--out", optarg, stderr))
				return -EINVAL;
			path_fmt(a->out, sizeof(a->out), "%s", optarg);
			break;
		case 'h': usage(stdout); return 1;
		default: usage(stderr); return -EINVAL;
		}
	}
	if (!err && optind < argc) {
		fprintf(stderr, "runner run: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return -EINVAL;
	}
	return err;
}

static int is_suite(const struct dirent *de)
{
	char path[PATH_MAX];

	if (de->d_name[0] == '.' || strchr(de->d_name, '.'))
		return 0;
	path_fmt(path, sizeof(path), "%s/suites/%s", lab_srcdir(), de->d_name);
	return access(path, X_OK) == 0;
}

/* What the unit serving bdf can enforce, from discovery: 1, 0, -1 none. */
static int unit_capability(const struct platform *p, const char *bdf)
{
	const struct pci_device_info *d = platform_device(p, bdf);
	const struct iommu_unit *u = d && d->iommu[0] ? platform_unit(p, d->iommu) : NULL;

	return u ? (int)u->enforces_coherency : -1;
}

/* Each bound device's plan: its scratch resources and its partner. */
static struct device_plan *plan_run(const struct session *s, const struct selection *sel,
				    const struct platform *p)
{
	struct plan_candidate *c = calloc(s->n ? s->n : 1, sizeof(*c));
	struct device_plan *plans = calloc(s->n ? s->n : 1, sizeof(*plans));
	char devices[SELECT_MAX_NAMED * BDF_LEN + 1];
	size_t nc = 0;

	if (!c || !plans) {
		free(c);
		free(plans);
		return NULL;
	}
	for (size_t i = 0; i < s->n; i++) {
		if (!session_ready(s, i))
			continue;
		c[nc].bdf = s->res[i].bdf;
		c[nc++].capable = unit_capability(p, s->res[i].bdf);
	}
	session_ready_list(s, devices, sizeof(devices));
	for (size_t i = 0; i < s->n; i++) {
		const char *bdf = s->res[i].bdf;
		int k = plan_pick_partner(bdf, unit_capability(p, bdf), c, nc);

		plan_device(&plans[i], bdf, sel->v[i].lab, k >= 0 ? c[k].bdf : NULL, devices);
	}
	free(c);
	return plans;
}

/* A suite refused before it ran: said here, and a failure in the results. */
static void suite_not_run(const char *ktap, const char *exe, const char *why)
{
	char text[PATH_MAX + 256];

	fprintf(stderr, "runner run: not running %s: %s\n", exe, why);
	snprintf(text, sizeof(text), "TAP version 13\n1..1\nnot ok 1 not-run # %s\n", why);
	if (write_file_atomic(ktap, text, strlen(text)))
		fprintf(stderr, "runner run: %s: %s\n", ktap, strerror(errno));
}

/* Every suite on every bound device, DIR/SUITE@BDF.ktap each; stops at a signal. */
static int run_suites(const struct session *s, const struct device_plan *plans,
		      const char *dir)
{
	char suites_dir[PATH_MAX];
	struct dirent **suites;
	int n;

	path_fmt(suites_dir, sizeof(suites_dir), "%s/suites", lab_srcdir());
	n = scandir(suites_dir, &suites, is_suite, alphasort);
	if (n < 0) {
		fprintf(stderr, "runner run: %s: %s\n", suites_dir, strerror(errno));
		return -errno;
	}
	for (size_t d = 0; d < s->n && !sigflag_caught(); d++) {
		if (!session_ready(s, d))
			continue;
		for (int i = 0; i < n && !sigflag_caught(); i++) {
			char exe[PATH_MAX], out[PATH_MAX], why[PATH_MAX + 128];
			char *args[] = { exe, (char *)plans[d].bdf, NULL };
			struct spawn_opts o = {
				.stdin_path = "/dev/null",
				.stdout_path = out,
				.env = plans[d].env,
				/* the plan's values only: none left in root's shell */
				.unset_prefix = "SNOOPCHECK_",
				.timeout_s = SUITE_TIMEOUT_S,
				.interrupted = sigflag_caught,
				.grace_s = SUITE_GRACE_S,
				.wake_fd = s->sigfd,
				/* a runner killed by SIGKILL must not leave a suite
				 * holding the device open against `runner restore` */
				.die_with_parent = true,
			};
			struct spawn_result r;
			int ret;

			path_fmt(exe, sizeof(exe), "%s/%s", suites_dir, suites[i]->d_name);
			path_fmt(out, sizeof(out), "%s/%s@%s.ktap", dir, suites[i]->d_name,
				 plans[d].bdf);
			/* run as root: nothing anyone else could have swapped */
			if (trust_exec(exe, why, sizeof(why)))
				suite_not_run(out, exe, why);
			else if ((ret = spawn_run(args, &o, &r)) || r.exec_errno)
				fprintf(stderr, "runner run: cannot run %s: %s\n", exe,
					strerror(ret ? -ret : r.exec_errno));
			else if (r.timed_out)
				fprintf(stderr, "runner run: %s %s: stopped after %d s\n",
					suites[i]->d_name, plans[d].bdf, SUITE_TIMEOUT_S);
		}
	}
	for (int i = 0; i < n; i++)
		free(suites[i]);
	free(suites);
	return 0;
}

/* Refusals and failures, where a person running it sees them. */
static void report_unbound(const struct session *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (!session_ready(s, i))
			bind_result_print(&s->res[i], stderr);
}

int cmd_run(int argc, char **argv)
{
	char tmp[] = "/tmp/snoopcheck-run-XXXXXX";
	struct run_args a = { 0 };
	struct klog_findings kf = { 0 };
	struct device_plan *plans = NULL;
	struct kmsg_cursor log;
	struct results r = { 0 };
	struct selection sel;
	struct session sess;
	struct allowlist al;
	struct platform p;
	int ret, klog_ok, bind_bad, failures, caught = 0;
	bool restore_bad = false;

	ret = parse(argc, argv, &a);
	if (ret)
		return ret > 0 ? 0 : EXIT_BADINPUT;
	ret = discover(&p, &al, NULL, NULL);
	if (ret)
		return ret;
	ret = select_devices(&sel, &a.s.sel, stderr);
	if (ret) {
		discover_done(&p, &al);
		return ret == -EINVAL || ret == -ENODEV ? EXIT_BADINPUT : EXIT_TESTFAIL;
	}
	if (!sel.n) {
		printf("run: nothing was bound (nothing selected, or every device refused); see above\n");
		selection_free(&sel);
		discover_done(&p, &al);
		return 0;
	}
	if (!mkdtemp(tmp)) {
		perror("runner run: mkdtemp");
		selection_free(&sel);
		discover_done(&p, &al);
		return EXIT_TESTFAIL;
	}
	results_start(&r, &p, strstr(p.dmi.sys_vendor, "QEMU") != NULL, argc, argv);

	/* The kernel log from here on: IOMMU faults, WARN, BUG, taint. */
	klog_ok = kmsg_open(&log, NULL) == 0;
	if (session_begin(&sess, a.s.dir, &a.s.bind, stderr)) {
		ret = EXIT_TESTFAIL;
		goto out_nosession;
	}
	bind_bad = session_bind(&sess, &sel);
	report_unbound(&sess);
	if (!sess.broken && !sigflag_caught()) {
		plans = plan_run(&sess, &sel, &p);
		if (!plans || run_suites(&sess, plans, tmp))
			bind_bad = 1;
	}
	caught = sigflag_caught();
	if (caught)
		fprintf(stderr, "runner run: SIG%s: giving the devices back\n", sigabbrev_np(caught));
	restore_bad = session_give_back(&sess, stdout, stderr) != 0;
	if (klog_ok) {
		kmsg_collect(&log, NULL, 0);
		klog_scan(log.text ? log.text : "", &kf);
	}

	failures = judge_run(&r, &p, tmp, sess.res, sess.n, stdout);
	results_add_klog(&r, &kf);
	if (!klog_ok)
		results_add_note(&r, "kernel log not read: /dev/kmsg not readable (run as root)");
	if (bind_bad || restore_bad)
		results_add_note(&r, "runner bind reported a problem (a device refused or not restored)");
	if (caught) {
		char note[128];

		snprintf(note, sizeof(note), "interrupted by SIG%s: suites stopped, devices given back",
			 sigabbrev_np(caught));
		results_add_note(&r, note);
	}
	if (!a.out[0]) {
		json_object *run, *id;

		json_object_object_get_ex(r.doc, "run", &run);
		json_object_object_get_ex(run, "id", &id);
		path_fmt(a.out, sizeof(a.out), "%s/results/local/%s.json", lab_srcdir(),
			 json_object_get_string(id));
	}
	ret = results_finish(&r, a.out, stderr) ? EXIT_TESTFAIL :
	      failures || bind_bad || restore_bad || caught ? EXIT_TESTFAIL : 0;
	printf("run: results in %s\n", a.out);
	session_end(&sess);
out_nosession:
	if (klog_ok)
		kmsg_close(&log);
	if (remove_tree(tmp))
		fprintf(stderr, "runner run: could not remove %s: %s\n", tmp, strerror(errno));
	free(plans);
	klog_findings_free(&kf);
	results_free(&r);
	selection_free(&sel);
	discover_done(&p, &al);
	return ret;
}
