// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner run: the whole job on the selected devices, in one process and
 * one direction:
 *
 *   1. decide what runs: the suites and tests (suiteplan.h: --suite,
 *      --test) and the devices (one reading of the lab config); --list
 *      says so and stops, nothing touched;
 *   2. discover the platform (the evidence every verdict starts from);
 *   3. bind the devices (host/session.h: lock, journal, signals), and plan
 *      each one's suites once (host/plan.h: scratch range, partner);
 *   4. run every suite on every bound device, each with a deadline, its
 *      stdout, stderr and kernel log kept in the run's log directory as
 *      they come (judge/suitelog.h), one progress line each on stderr;
 *   5. give the devices back, then judge: KTAP to facts to one verdict per
 *      device, the kernel log, run.ktap, one results file written
 *      atomically, and a closing summary.
 *
 * SIGINT/SIGTERM/SIGHUP stop the running suite (everything below it), give
 * the devices back and still write what the run knows, marked incomplete.
 * Exit: 0 all passed and no verdict is a failure, 1 otherwise, 2 bad input
 * (nothing selected is bad input too: a CI job must not take "nothing
 * tested" for success).
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
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
#include "judge/runktap.h"
#include "judge/suitelog.h"
#include "selection.h"
#include "suite/klog.h"
#include "suite/kmsg.h"
#include "suiteplan.h"
#include "sysfs/sysroot.h"
#include "vm/labpaths.h"

#define SUITE_TIMEOUT_S 600
#define SUITE_GRACE_S 10	/* after SIGTERM, before SIGKILL */

static void usage(FILE *f)
{
	fprintf(f, "usage: runner run [--config FILE] [--device BDF]... [--vendor V[:D]] [--class CC[SS]]\n"
		   "                  [--force] [--run-dir DIR] [--out FILE]\n"
		   "                  [--suite NAME]... [--test GLOB]... [--list [--from DIR]]\n"
		   "Binds the selected devices to vfio-pci, runs every suite on each, gives them\n"
		   "back, and writes one results file (default results/local/RUN-ID.json) with\n"
		   "the raw logs beside it (FILE without .json, or FILE.d).\n"
		   "--suite runs only the named suites, --test only the tests whose name\n"
		   "(fixture.variant.test) matches; --list shows what would run and touches\n"
		   "nothing (--from DIR: on a capture).\n");
}

struct run_args {
	struct selection_args s;
	struct suite_filter f;
	char out[PATH_MAX];		/* results file, "" for the default */
	bool list;
	const char *from;		/* --list on a capture */
};

/* --suite and --test, up to SUITE_FILTER_MAX each. */
static int add_filter(const char **v, size_t *n, const char *opt, const char *arg)
{
	if (*n == SUITE_FILTER_MAX) {
		fprintf(stderr, "runner run: %s: expected at most %d of them\n", opt,
			SUITE_FILTER_MAX);
		return -EINVAL;
	}
	if (!*arg) {
		fprintf(stderr, "runner run: %s: expected a name, got ''\n", opt);
		return -EINVAL;
	}
	v[(*n)++] = arg;
	return 0;
}

static int parse(int argc, char **argv, struct run_args *a)
{
	static const struct option opts[] = {
		SELECTION_LONG_OPTIONS,
		{ "out", required_argument, NULL, 'o' },
		{ "suite", required_argument, NULL, 'S' },
		{ "test", required_argument, NULL, 'T' },
		{ "list", no_argument, NULL, 'l' },
		{ "from", required_argument, NULL, 'F' },
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
		case 'S': err = add_filter(a->f.suite, &a->f.n_suite, "--suite", optarg); break;
		case 'T': err = add_filter(a->f.test, &a->f.n_test, "--test", optarg); break;
		case 'l': a->list = true; break;
		case 'F':
			if (!path_arg_ok("--from", optarg, stderr))
				return -EINVAL;
			a->from = optarg;
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
	if (!err && a->from && !a->list) {
		fprintf(stderr, "runner run: --from only with --list (a capture has no device to run on)\n");
		return -EINVAL;
	}
	return err;
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

/* Everything the suite runs share, and what they left. */
struct run_state {
	const struct suite_plan *plan;
	const char *dir;		/* the run's log directory */
	struct kmsg_cursor *klog;	/* NULL: the kernel log cannot be read */
	struct suite_log *logs;		/* one per suite run, in order */
	size_t n_logs, total;
	int sigfd;
	bool tty;			/* stderr is a terminal: live progress */
	bool lost;			/* some output could not be kept */
};

/* One suite run's progress line, for the line callback. */
struct progress {
	struct run_state *st;
	struct suite_log *l;
	char shown[128];		/* the test the terminal shows running */
};

static void progress_start(const struct run_state *st, const struct suite_log *l)
{
	fprintf(stderr, "[%zu/%zu] %s %s ...", st->n_logs, st->total, l->suite, l->bdf);
	fflush(stderr);
}

/* On a terminal, the test that is running now. */
static void progress_line(void *ctx, int fd, const char *line, size_t len)
{
	struct progress *pr = ctx;
	const char *running;

	suitelog_line(pr->l, fd, line, len);
	running = pr->l->k.p.running;
	if (!pr->st->tty || !running || !strncmp(pr->shown, running, sizeof(pr->shown) - 1))
		return;
	snprintf(pr->shown, sizeof(pr->shown), "%s", running);
	fprintf(stderr, "\r\033[K[%zu/%zu] %s %s ... %.60s", pr->st->n_logs, pr->st->total,
		pr->l->suite, pr->l->bdf, running);
}

/* "N passed, N failed, N skipped": xfail is a pass, an error a failure. */
static void counts_text(const struct ktap_counts *c, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%d passed, %d failed, %d skipped", c->pass + c->xfail,
			 c->fail + c->error, c->skip);

	if (c->error && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, " (%d of them errors)", c->error);
}

static void progress_end(const struct run_state *st, const struct suite_log *l)
{
	struct ktap_counts c;
	char counts[160];

	ktap_count(&l->k, &c);
	counts_text(&c, counts, sizeof(counts));
	if (st->tty)
		fprintf(stderr, "\r\033[K[%zu/%zu] %s %s:", st->n_logs, st->total, l->suite, l->bdf);
	fprintf(stderr, " %s%s%s%s, %.1f s\n", counts, l->ended[0] ? " (" : "", l->ended,
		l->ended[0] ? ")" : "", l->finished - l->started);
}

/* A suite refused before it ran: a failure in its log, with the reason. */
static void suite_not_run(struct suite_log *l, const char *why)
{
	char text[PATH_MAX + 256];
	int n = snprintf(text, sizeof(text), "TAP version 13\n1..1\nnot ok 1 not-run # %s\n", why);

	for (char *p = text, *e; p < text + n; p = e + 1) {
		e = strchr(p, '\n');
		suitelog_line(l, 1, p, (size_t)(e - p) + 1);
	}
}

/* How a suite ended, when not by itself, for its tests never reported. */
static void how_it_ended(const struct spawn_result *r, int ret, char *buf, size_t len)
{
	if (ret || r->exec_errno)
		snprintf(buf, len, "could not be started: %s", strerror(ret ? -ret : r->exec_errno));
	else if (r->timed_out)
		snprintf(buf, len, "stopped at its %d s deadline", SUITE_TIMEOUT_S);
	else if (r->interrupted)
		snprintf(buf, len, "stopped: the run was interrupted by SIG%s",
			 sigabbrev_np(sigflag_caught()));
	else if (r->term_signal)
		snprintf(buf, len, "killed by SIG%s", sigabbrev_np(r->term_signal));
	else
		buf[0] = '\0';
}

/* One suite on one device, its output kept in the run's directory. */
static void run_one(struct run_state *st, const struct device_plan *dp,
		    const struct planned_suite *ps)
{
	struct suite_log *l = &st->logs[st->n_logs++];
	struct progress pr = { .st = st, .l = l };
	char why[PATH_MAX + 128], ended[256] = "", **args = NULL;
	size_t mark = 0;
	int ret;

	if (suitelog_open(l, st->dir, ps->name, dp->bdf)) {
		fprintf(stderr, "runner run: cannot keep %s/%s.ktap or .err: %s\n", st->dir,
			l->stem, strerror(l->error));
		st->lost = true;
	}
	progress_start(st, l);
	/* The kernel log from here on is this suite's. */
	if (st->klog && kmsg_collect(st->klog, NULL, 0) >= 0)
		mark = st->klog->len;
	/* Run as root: nothing anyone else could have swapped. */
	if (trust_exec(ps->exe, why, sizeof(why))) {
		suite_not_run(l, why);
		snprintf(ended, sizeof(ended), "not run: %.200s", why);
	} else if (!(args = suite_plan_argv(ps, dp->bdf))) {
		snprintf(ended, sizeof(ended), "could not be started: %s", strerror(ENOMEM));
	} else {
		struct spawn_opts o = {
			.stdin_path = "/dev/null",
			.env = dp->env,
			/* the plan's values only: none left in root's shell */
			.unset_prefix = "SNOOPCHECK_",
			.timeout_s = SUITE_TIMEOUT_S,
			.interrupted = sigflag_caught,
			.grace_s = SUITE_GRACE_S,
			.wake_fd = st->sigfd,
			/* a runner killed by SIGKILL must not leave a suite
			 * holding the device open against `runner restore` */
			.die_with_parent = true,
			/* the harness runs each test in a process group of its
			 * own: a signal to the suite's alone leaves it running */
			.whole_tree = true,
			.on_line = progress_line,
			.line_ctx = &pr,
		};
		struct spawn_result r;

		ret = spawn_run(args, &o, &r);
		how_it_ended(&r, ret, ended, sizeof(ended));
	}
	free(args);
	if (st->klog && kmsg_collect(st->klog, NULL, 0) >= 0 &&
	    suitelog_kmsg(l, st->dir, st->klog->text ? st->klog->text + mark : "",
			  st->klog->len - mark))
		st->lost = true;
	if (suitelog_close(l, ended[0] ? ended : NULL)) {
		if (!st->lost)
			fprintf(stderr, "\nrunner run: not all of %s's output was kept: %s\n",
				l->stem, strerror(l->error));
		st->lost = true;
	}
	progress_end(st, l);
}

/* Every suite on every bound device, in order; stops at a signal. */
static void run_suites(struct run_state *st, const struct session *s,
		       const struct device_plan *plans)
{
	for (size_t d = 0; d < s->n && !sigflag_caught(); d++) {
		if (!session_ready(s, d))
			continue;
		for (size_t i = 0; i < st->plan->n && !sigflag_caught(); i++)
			run_one(st, &plans[d], &st->plan->v[i]);
	}
}

/* Refusals and failures, where a person running it sees them. */
static void report_unbound(const struct session *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (!session_ready(s, i))
			bind_result_print(&s->res[i], stderr);
}

/* --list: the devices times the suites, and which tests; nothing touched. */
static int list_plan(const struct run_args *a, const struct suite_plan *plan)
{
	struct selection sel;
	int ret = select_devices(&sel, &a->s.sel, stderr);
	size_t k = 0;

	if (ret)
		return ret == -EINVAL || ret == -ENODEV ? EXIT_BADINPUT : EXIT_TESTFAIL;
	if (!sel.n) {
		selection_free(&sel);
		return EXIT_BADINPUT;
	}
	printf("run: %zu suite%s on %zu device%s, %zu suite run%s (--list: nothing was touched)\n",
	       plan->n, plan->n == 1 ? "" : "s", sel.n, sel.n == 1 ? "" : "s", plan->n * sel.n,
	       plan->n * sel.n == 1 ? "" : "s");
	for (size_t i = 0; i < plan->n; i++) {
		const struct planned_suite *s = &plan->v[i];

		if (!s->n_tests) {
			printf("suite %s: every test\n", s->name);
			continue;
		}
		printf("suite %s: %zu test%s\n", s->name, s->n_tests, s->n_tests == 1 ? "" : "s");
		for (size_t t = 0; t < s->n_tests; t++)
			printf("    %s\n", s->tests[t]);
	}
	for (size_t d = 0; d < sel.n; d++)
		for (size_t i = 0; i < plan->n; i++)
			printf("[%zu/%zu] %s %s\n", ++k, plan->n * sel.n, plan->v[i].name,
			       sel.v[d].bdf);
	selection_free(&sel);
	return 0;
}

/*
 * The logs' directory for results file out: FILE.json -> FILE/, any other
 * FILE -> FILE.d/. It must be new, or an empty directory nobody else can
 * write to: a run never mixes its logs with another's.
 */
static int make_logs_dir(const char *out, char *dir, size_t len)
{
	size_t n = strlen(out);
	char why[PATH_MAX + 128];
	DIR *d;

	if (n > 5 && !strcmp(out + n - 5, ".json"))
		path_fmt(dir, len, "%.*s", (int)(n - 5), out);
	else
		path_fmt(dir, len, "%s.d", out);
	if (!(d = opendir(dir)) && errno == ENOENT) {
		if (!mkdir_p(dir))
			return 0;
		fprintf(stderr, "runner run: cannot create %s for the raw logs: %s\n", dir,
			strerror(errno));
		return EXIT_BADINPUT;
	}
	if (!d) {
		fprintf(stderr, "runner run: %s (for the raw logs): %s\n", dir, strerror(errno));
		return EXIT_BADINPUT;
	}
	for (struct dirent *de; (de = readdir(d));) {
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
			closedir(d);
			fprintf(stderr, "runner run: %s already holds files (the logs of an earlier "
				"run?): move it away or choose another --out; nothing was touched\n",
				dir);
			return EXIT_BADINPUT;
		}
	}
	closedir(d);
	if (trust_path(dir, S_IFDIR, why, sizeof(why))) {
		fprintf(stderr, "runner run: %s (for the raw logs): %s\n", dir, why);
		return EXIT_BADINPUT;
	}
	return 0;
}

/* The closing summary: counts, then every test that did not pass. */
static void summary(const struct run_state *st, size_t devices, FILE *out)
{
	struct ktap_counts all = { 0 };
	char counts[160];

	for (size_t i = 0; i < st->n_logs; i++) {
		struct ktap_counts c;

		ktap_count(&st->logs[i].k, &c);
		all.pass += c.pass;
		all.fail += c.fail;
		all.skip += c.skip;
		all.xfail += c.xfail;
		all.error += c.error;
	}
	counts_text(&all, counts, sizeof(counts));
	fprintf(out, "run: %s (%zu of %zu suite runs, %zu device%s)\n", counts, st->n_logs,
		st->total, devices, devices == 1 ? "" : "s");
	for (size_t i = 0; i < st->n_logs; i++) {
		const struct ktap *k = &st->logs[i].k;

		for (size_t j = 0; j < k->n; j++) {
			const struct ktap_result *t = &k->v[j];
			const char *why = t->reason ? t->reason : "no message";

			if (strcmp(t->outcome, "fail") && strcmp(t->outcome, "error"))
				continue;
			fprintf(out, "  %s %s %s: %.*s\n", t->outcome, st->logs[i].stem, t->name,
				(int)strcspn(why, "\n"), why);
		}
	}
}

/* Why the run did not do all it set out to do; "" when it did. */
static void incomplete(const struct run_state *st, const struct session *s, int caught,
		       char *buf, size_t len)
{
	buf[0] = '\0';
	if (caught)
		snprintf(buf, len, "interrupted by SIG%s after %zu of %zu suite runs",
			 sigabbrev_np(caught), st->n_logs, st->total);
	else if (s->broken)
		snprintf(buf, len, "binding failed part way: no suite ran");
	else if (!st->total)
		snprintf(buf, len, "no selected device could be bound: no suite ran");
	else if (st->n_logs < st->total)
		snprintf(buf, len, "%zu of %zu suite runs happened", st->n_logs, st->total);
}

int cmd_run(int argc, char **argv)
{
	struct run_args a = { 0 };
	struct klog_findings kf = { 0 };
	struct device_plan *plans = NULL;
	struct suite_plan suites;
	struct run_state st = { 0 };
	struct kmsg_cursor log;
	struct results r = { 0 };
	struct selection sel;
	struct session sess;
	struct allowlist al;
	struct platform p;
	char dir[PATH_MAX], why[256];
	const char *base;
	int ret, klog_ok, bind_bad, failures, caught = 0;
	size_t ready = 0;
	bool restore_bad = false;

	ret = parse(argc, argv, &a);
	if (ret)
		return ret > 0 ? 0 : EXIT_BADINPUT;
	if (a.from) {
		if (access(a.from, R_OK)) {
			fprintf(stderr, "runner run: --from %s: %s\n", a.from, strerror(errno));
			return EXIT_BADINPUT;
		}
		sysroot_replay_from(a.from);
	}
	/* What runs is decided, and checked, before anything is touched. */
	ret = suite_plan_make(&suites, &a.f, stderr);
	if (ret)
		return ret;
	if (a.list) {
		ret = list_plan(&a, &suites);
		suite_plan_free(&suites);
		return ret;
	}
	ret = discover(&p, &al, NULL, NULL);
	if (ret) {
		suite_plan_free(&suites);
		return ret;
	}
	ret = select_devices(&sel, &a.s.sel, stderr);
	if (ret) {
		suite_plan_free(&suites);
		discover_done(&p, &al);
		return ret == -EINVAL || ret == -ENODEV ? EXIT_BADINPUT : EXIT_TESTFAIL;
	}
	if (!sel.n) {
		/* select_devices said why; nothing tested is not a success */
		ret = EXIT_BADINPUT;
		goto out_nothing;
	}
	results_start(&r, &p, strstr(p.dmi.sys_vendor, "QEMU") != NULL, argc, argv);
	if (!a.out[0]) {
		json_object *run, *id;

		json_object_object_get_ex(r.doc, "run", &run);
		json_object_object_get_ex(run, "id", &id);
		path_fmt(a.out, sizeof(a.out), "%s/results/local/%s.json", lab_srcdir(),
			 json_object_get_string(id));
	}
	if ((ret = make_logs_dir(a.out, dir, sizeof(dir))))
		goto out_noresults;
	base = strrchr(dir, '/') ? strrchr(dir, '/') + 1 : dir;
	results_set_logs_dir(&r, base);

	/* The kernel log from here on: IOMMU faults, WARN, BUG, taint. */
	klog_ok = kmsg_open(&log, NULL) == 0;
	if (session_begin(&sess, a.s.dir, &a.s.bind, stderr)) {
		ret = EXIT_TESTFAIL;
		goto out_nosession;
	}
	bind_bad = session_bind(&sess, &sel);
	report_unbound(&sess);
	for (size_t i = 0; i < sess.n; i++)
		ready += session_ready(&sess, i);
	st = (struct run_state){
		.plan = &suites, .dir = dir, .klog = klog_ok ? &log : NULL,
		.total = sess.broken ? 0 : ready * suites.n, .sigfd = sess.sigfd,
		.tty = isatty(STDERR_FILENO),
	};
	st.logs = calloc(st.total ? st.total : 1, sizeof(*st.logs));
	if (!st.logs)
		bind_bad = 1;
	else if (!sess.broken && !sigflag_caught()) {
		plans = plan_run(&sess, &sel, &p);
		if (plans)
			run_suites(&st, &sess, plans);
		else
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

	summary(&st, ready, stdout);
	failures = judge_logs(&r, &p, st.logs, st.n_logs, sess.res, sess.n, stdout);
	results_add_klog(&r, &kf);
	if (st.n_logs) {
		char path[PATH_MAX];

		path_fmt(path, sizeof(path), "%s/run.ktap", dir);
		if ((ret = runktap_write(path, dir, st.logs, st.n_logs))) {
			fprintf(stderr, "runner run: %s: %s\n", path, strerror(-ret));
			st.lost = true;
		}
	}
	if (!klog_ok)
		results_add_note(&r, "kernel log not read: /dev/kmsg not readable (run as root)");
	if (st.lost)
		results_add_note(&r, "not every suite's raw output could be kept in the logs directory (see the runner's stderr)");
	if (bind_bad || restore_bad)
		results_add_note(&r, "runner bind reported a problem (a device refused or not restored)");
	if (caught) {
		char note[128];

		snprintf(note, sizeof(note), "interrupted by SIG%s: suites stopped, devices given back",
			 sigabbrev_np(caught));
		results_add_note(&r, note);
	}
	incomplete(&st, &sess, caught, why, sizeof(why));
	if (why[0]) {
		results_set_incomplete(&r, why);
		printf("run: INCOMPLETE: %s\n", why);
	}
	ret = results_finish(&r, a.out, stderr) ? EXIT_TESTFAIL :
	      failures || bind_bad || restore_bad || caught ? EXIT_TESTFAIL : 0;
	printf("run: results in %s, raw logs in %s/\n", a.out, dir);
	session_end(&sess);
out_nosession:
	if (klog_ok)
		kmsg_close(&log);
	free(plans);
	suitelog_free(st.logs, st.n_logs);
	klog_findings_free(&kf);
out_noresults:
	results_free(&r);
out_nothing:
	selection_free(&sel);
	discover_done(&p, &al);
	suite_plan_free(&suites);
	return ret;
}
