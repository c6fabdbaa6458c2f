// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner run: the whole job on the selected devices.
 *
 *   1. discover the platform (the evidence every verdict starts from);
 *   2. `runner bind [selection] --json -- runner run-suites DIR`: binding,
 *      the journal, the lock, signals and restore all stay in `runner
 *      bind`; while the devices are on vfio-pci, run-suites runs every
 *      suite on every bound device and keeps each one's KTAP in DIR;
 *   3. parse the KTAP, decide a verdict per device, record the kernel log
 *      and write one results file atomically.
 *
 * Exit: 0 all passed and no verdict is a failure, 1 otherwise, 2 bad input.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "discover.h"
#include "suite/devready.h"
#include "base/fsutil.h"
#include "suite/klog.h"
#include "suite/kmsg.h"
#include "host/labconfig.h"
#include "judge/ktap.h"
#include "vm/labpaths.h"
#include "discover/pci.h"
#include "judge/results.h"
#include "sysfs/sysroot.h"
#include "judge/tally.h"
#include "judge/verdict.h"

#define SUITE_TIMEOUT_S 600

static void usage(FILE *f)
{
	fprintf(f, "usage: runner run [--config FILE] [--device BDF]... [--vendor V[:D]] [--class CC[SS]]\n"
		   "                  [--force] [--out FILE]\n"
		   "Binds the selected devices to vfio-pci, runs every suite on each, gives them\n"
		   "back, and writes one results file (default results/local/RUN-ID.json).\n");
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run argv with stdout to path, killed after timeout_s. Exit status or -1. */
static int run_to_file(char *const argv[], const char *path, int timeout_s)
{
	double deadline = now_s() + timeout_s;
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(127);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid < 0)
		return -1;
	for (;;) {
		pid_t w = waitpid(pid, &st, WNOHANG);

		if (w == pid)
			return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		if (now_s() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		nanosleep(&tick, NULL);
	}
}

static int is_suite(const struct dirent *de)
{
	char path[PATH_MAX];

	if (de->d_name[0] == '.' || strchr(de->d_name, '.'))
		return 0;
	path_fmt(path, sizeof(path), "%s/suites/%s", lab_srcdir(), de->d_name);
	return access(path, X_OK) == 0;
}

/* The lab config's scratch range for bdf, as the suites read it. */
static void scratch_env(const struct lab_config *lab, const char *bdf)
{
	const struct lab_device *d = lab ? labconfig_find(lab, bdf) : NULL;
	char v[64];

	unsetenv("SNOOPCHECK_SCRATCH_NSID");
	unsetenv("SNOOPCHECK_SCRATCH_LBA");
	if (!d || !d->scratch_nsid || !d->scratch_lba_count)
		return;
	snprintf(v, sizeof(v), "%u", d->scratch_nsid);
	setenv("SNOOPCHECK_SCRATCH_NSID", v, 1);
	snprintf(v, sizeof(v), "%llu+%llu", (unsigned long long)d->scratch_lba_start,
		 (unsigned long long)d->scratch_lba_count);
	setenv("SNOOPCHECK_SCRATCH_LBA", v, 1);
}

/*
 * runner run-suites DIR [CONFIG]: internal, run by `runner bind -- ...`
 * while the devices in $SNOOPCHECK_DEVICES are on vfio-pci. Writes
 * DIR/SUITE@BDF.ktap and prints nothing, so bind's JSON report stays the
 * only output. CONFIG names each device's scratch resources.
 */
int cmd_run_suites(int argc, char **argv)
{
	const char *devs = getenv("SNOOPCHECK_DEVICES");
	char dir[PATH_MAX], *list, *bdf, *save;
	struct lab_config lab = { 0 };
	struct dirent **suites;
	int n;

	if (argc < 2 || argc > 3 || !devs) {
		fprintf(stderr, "runner run-suites: internal to runner run\n");
		return EXIT_BADINPUT;
	}
	if (argc == 3 && labconfig_load(&lab, argv[2], stderr))
		return EXIT_BADINPUT;
	path_fmt(dir, sizeof(dir), "%s/suites", lab_srcdir());
	n = scandir(dir, &suites, is_suite, alphasort);
	if (n < 0)
		return EXIT_TESTFAIL;
	list = strdup(devs);
	for (bdf = strtok_r(list, " ,", &save); bdf; bdf = strtok_r(NULL, " ,", &save)) {
		scratch_env(argc == 3 ? &lab : NULL, bdf);
		for (int i = 0; i < n; i++) {
			char exe[PATH_MAX], out[PATH_MAX];
			char *args[] = { exe, bdf, NULL };

			path_fmt(exe, sizeof(exe), "%s/%s", dir, suites[i]->d_name);
			path_fmt(out, sizeof(out), "%s/%s@%s.ktap", argv[1], suites[i]->d_name, bdf);
			run_to_file(args, out, SUITE_TIMEOUT_S);
		}
	}
	for (int i = 0; i < n; i++)
		free(suites[i]);
	free(suites);
	free(list);
	if (argc == 3)
		labconfig_free(&lab);
	return 0;
}

/* One suite log of the run into the results file. */
static void add_tests(void *ctx, const char *suite, const char *bdf, const struct ktap *k)
{
	struct results *r = ctx;

	if (!k->n)
		results_add_test(r, suite, "(no output)", bdf, "error",
				 "the suite printed no KTAP (killed or crashed)", 0, NULL);
	for (size_t j = 0; j < k->n; j++)
		results_add_test(r, suite, k->v[j].name, bdf, k->v[j].outcome,
				 k->v[j].reason[0] ? k->v[j].reason : NULL, 0,
				 json_object_get(k->v[j].evidence));
}

static json_object *nullable(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

/* Forced when any member of the group was bound while in use (--force). */
static void add_forced(json_object *dev, json_object *bind)
{
	json_object *members, *m, *v;
	const char *why = NULL;
	bool forced = false;

	json_object_object_get_ex(bind, "members", &members);
	for (size_t i = 0; i < json_object_array_length(members); i++) {
		m = json_object_array_get_idx(members, i);
		if (json_object_object_get_ex(m, "forced", &v) && json_object_get_boolean(v)) {
			forced = true;
			if (json_object_object_get_ex(m, "in_use", &v) && v)
				why = json_object_get_string(v);
		}
	}
	json_object_object_add(dev, "forced", json_object_new_boolean(forced));
	json_object_object_add(dev, "forced_reason", nullable(why));
}

/* One verdict and one devices[] entry per selected device. */
static int judge(struct results *r, const struct platform *p, json_object *binds,
		 struct tally *t)
{
	int bad = 0;

	for (size_t i = 0; i < json_object_array_length(binds); i++) {
		json_object *b = json_object_array_get_idx(binds, i), *v;
		const char *bdf = json_object_object_get_ex(b, "bdf", &v) ? json_object_get_string(v) : "";
		const struct pci_device_info *d = platform_device(p, bdf);
		const struct iommu_unit *u = d && d->iommu[0] ? platform_unit(p, d->iommu) : NULL;
		struct device_tally *dt = tally_for(t, bdf);
		struct verdict_evidence e = { 0 };
		json_object *dev = json_object_new_object();
		char after[64];
		struct verdict out;

		devready_driver(bdf, after, sizeof(after));
		e.has_unit = u != NULL;
		e.unit_can_enforce = u ? u->enforces_coherency : FACT_UNKNOWN;
		e.hw_info_agrees = e.snp_matches = FACT_UNKNOWN;
		if (dt)
			tally_evidence(dt, &e);
		e.ens = d ? d->ens : FACT_UNKNOWN;
		e.integrated = d && pcie_is_integrated(d->pcie_type);
		e.conventional_pci = d && d->pcie_cap == 0 && d->config_size >= 256;
		e.driver_class = d ? d->allow : ALLOW_UNKNOWN;
		e.restore_failed = d && strcmp(after, d->driver);
		verdict_decide(&e, &out);
		results_add_verdict(r, bdf, &out);
		bad += out.label == VERDICT_CC_MISREPORTED || out.label == VERDICT_RESTORE_FAILED;
		printf("%s: %s (%s)\n", bdf, verdict_label_name(out.label), out.why);

		json_object_object_add(dev, "bdf", json_object_new_string(bdf));
		json_object_object_add(dev, "selected", json_object_new_boolean(1));
		add_forced(dev, b);
		json_object_object_add(dev, "driver_before", nullable(d ? d->driver : NULL));
		json_object_object_add(dev, "driver_after", nullable(after));
		json_object_object_add(dev, "bind", json_object_get(b));
		results_add_device(r, dev);
	}
	return bad;
}

/* The first JSON value of bind's stdout: its --json report. */
static json_object *bind_report(const char *path)
{
	char *text = read_file(path, NULL);
	json_object *o = NULL;

	if (text) {
		struct json_tokener *tok = json_tokener_new();

		o = json_tokener_parse_ex(tok, text, (int)strlen(text));
		json_tokener_free(tok);
		free(text);
	}
	return o && json_object_is_type(o, json_type_array) ? o : (json_object_put(o), NULL);
}

int cmd_run(int argc, char **argv)
{
	char tmp[] = "/tmp/snoopcheck-run-XXXXXX", self[PATH_MAX], out[PATH_MAX] = "";
	char bindout[PATH_MAX], *bargv[64], *config = NULL;
	struct tally tally = { 0 };
	struct klog_findings kf = { 0 };
	struct kmsg_cursor log;
	struct results r = { 0 };
	struct allowlist a;
	struct platform p;
	json_object *binds;
	int nb = 0, ret, klog_ok, bind_rc, failures;
	ssize_t sl;

	bargv[nb++] = self;
	bargv[nb++] = "bind";
	bargv[nb++] = "--json";
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			path_fmt(out, sizeof(out), "%s", argv[++i]);
			continue;
		}
		if (argv[i][0] != '-' || nb > 56) {
			usage(stderr);
			return EXIT_BADINPUT;
		}
		/* Selection options go to bind, which owns their checking. */
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			config = argv[i + 1];
		bargv[nb++] = argv[i];
		if (strcmp(argv[i], "--force") && i + 1 < argc)
			bargv[nb++] = argv[++i];
	}
	sl = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (sl < 0)
		return EXIT_TESTFAIL;
	self[sl] = '\0';
	ret = discover(&p, &a, NULL, NULL);
	if (ret)
		return ret;
	if (!mkdtemp(tmp)) {
		perror("runner run: mkdtemp");
		return EXIT_TESTFAIL;
	}
	results_start(&r, &p, strstr(p.dmi.sys_vendor, "QEMU") != NULL, argc, argv);
	bargv[nb++] = "--";
	bargv[nb++] = self;
	bargv[nb++] = "run-suites";
	bargv[nb++] = tmp;
	if (config)
		bargv[nb++] = config;
	bargv[nb] = NULL;
	path_fmt(bindout, sizeof(bindout), "%s/bind.json", tmp);

	/* The kernel log from here on: IOMMU faults, WARN, BUG, taint. */
	klog_ok = kmsg_open(&log, NULL) == 0;
	bind_rc = run_to_file(bargv, bindout, 3600);
	if (klog_ok) {
		kmsg_collect(&log, NULL, 0);
		klog_scan(log.text ? log.text : "", &kf);
		kmsg_close(&log);
	}

	binds = bind_report(bindout);
	if (bind_rc == EXIT_BADINPUT) {
		ret = EXIT_BADINPUT;
		goto out;
	}
	if (!binds || !json_object_array_length(binds)) {
		printf("run: nothing was bound (nothing selected, or every device refused); see above\n");
		ret = bind_rc ? EXIT_TESTFAIL : 0;
		goto out;
	}
	/* Unreadable only if run-suites' directory vanished: a failure too. */
	failures = tally_dir(&tally, tmp, add_tests, &r);
	if (failures < 0)
		failures = 1;
	failures += judge(&r, &p, binds, &tally);
	results_add_klog(&r, &kf);
	if (!klog_ok)
		results_add_note(&r, "kernel log not read: /dev/kmsg not readable (run as root)");
	if (bind_rc)
		results_add_note(&r, "runner bind reported a problem (a device refused or not restored)");
	if (!out[0]) {
		json_object *run, *id;

		json_object_object_get_ex(r.doc, "run", &run);
		json_object_object_get_ex(run, "id", &id);
		path_fmt(out, sizeof(out), "%s/results/local/%s.json", lab_srcdir(),
			 json_object_get_string(id));
	}
	ret = results_finish(&r, out, stderr) ? EXIT_TESTFAIL :
	      failures || bind_rc ? EXIT_TESTFAIL : 0;
	printf("run: results in %s\n", out);
out:
	if (binds)
		json_object_put(binds);
	{
		char cmd[PATH_MAX + 16];

		path_fmt(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
		if (system(cmd))
			fprintf(stderr, "runner run: could not remove %s\n", tmp);
	}
	tally_free(&tally);
	klog_findings_free(&kf);
	results_free(&r);
	discover_done(&p, &a);
	return ret;
}
