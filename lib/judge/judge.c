// SPDX-License-Identifier: GPL-2.0-only
#include "judge/judge.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "judge/gather.h"
#include "judge/ktap.h"
#include "judge/tally.h"
#include "judge/verdict.h"
#include "suite/devready.h"

/* One suite log of the run into the results file, each test with its log. */
static void add_tests(struct results *r, const struct suite_log *l)
{
	const struct ktap *k = &l->k;
	char ktap[sizeof(l->stem) + 8], err[sizeof(l->stem) + 8], kmsg[sizeof(l->stem) + 8];
	char why[sizeof(l->ended) + 64];

	snprintf(ktap, sizeof(ktap), "%s.ktap", l->stem);
	snprintf(err, sizeof(err), "%s.err", l->stem);
	snprintf(kmsg, sizeof(kmsg), "%s.kmsg", l->stem);
	if (!k->n) {
		snprintf(why, sizeof(why), "the suite printed no KTAP (%s)",
			 l->ended[0] ? l->ended : "killed or crashed");
		results_set_test_log(results_add_test(r, l->suite, "(no output)", l->bdf, "error",
						      why, NAN, NULL),
				     ktap, 0, l->has_err ? err : NULL, l->has_kmsg ? kmsg : NULL);
	}
	for (size_t j = 0; j < k->n; j++) {
		const struct ktap_result *t = &k->v[j];

		results_set_test_log(results_add_test(r, l->suite, t->name, l->bdf, t->outcome,
						      t->reason, t->duration_s,
						      json_object_get(t->evidence)),
				     ktap, t->line, l->has_err ? err : NULL,
				     l->has_kmsg ? kmsg : NULL);
	}
}

static json_object *nullable(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

/* Forced when any member of the group was bound while in use (--force). */
static void add_forced(json_object *dev, const struct bind_result *b)
{
	const char *why = NULL;
	bool forced = false;

	for (size_t i = 0; i < b->n_members; i++) {
		if (b->member[i].forced) {
			forced = true;
			if (b->member[i].inuse[0])
				why = b->member[i].inuse;
		}
	}
	json_object_object_add(dev, "forced", json_object_new_boolean(forced));
	json_object_object_add(dev, "forced_reason", nullable(why));
}

/* One verdict and one devices[] entry per selected device. */
static int judge_devices(struct results *r, const struct platform *p,
			 const struct bind_result *res, size_t n, struct tally *t, FILE *f)
{
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		const struct bind_result *b = &res[i];
		const char *bdf = b->bdf;
		const struct pci_device_info *d = platform_device(p, bdf);
		const struct iommu_unit *u = d && d->iommu[0] ? platform_unit(p, d->iommu) : NULL;
		struct device_tally *dt = tally_for(t, bdf);
		struct verdict_evidence e;
		json_object *dev = json_object_new_object();
		char after[64];
		struct verdict out;

		devready_driver(bdf, after, sizeof(after));
		gather_evidence(d, u, dt, after, &e);
		verdict_decide(&e, &out);
		results_add_verdict(r, bdf, &out);
		bad += verdict_label_fails(out.label);
		fprintf(f, "%s: %s (%s)\n", bdf, verdict_label_name(out.label), out.why);

		json_object_object_add(dev, "bdf", json_object_new_string(bdf));
		json_object_object_add(dev, "selected", json_object_new_boolean(1));
		add_forced(dev, b);
		json_object_object_add(dev, "driver_before", nullable(d ? d->driver : NULL));
		json_object_object_add(dev, "driver_after", nullable(after));
		json_object_object_add(dev, "bind", bind_result_json(b));
		results_add_device(r, dev);
	}
	return bad;
}

int judge_logs(struct results *r, const struct platform *p, const struct suite_log *logs,
	       size_t nlogs, const struct bind_result *res, size_t n, FILE *out)
{
	struct tally t = { 0 };
	int failures = 0;

	for (size_t i = 0; i < nlogs; i++) {
		failures += tally_suite(&t, logs[i].suite, logs[i].bdf, &logs[i].k);
		add_tests(r, &logs[i]);
	}
	failures += judge_devices(r, p, res, n, &t, out);
	tally_free(&t);
	return failures;
}

int judge_run(struct results *r, const struct platform *p, const char *ktap_dir,
	      const struct bind_result *res, size_t n, FILE *out)
{
	struct suite_log *logs;
	size_t nlogs;
	/* Unreadable only if the suites' directory vanished: a failure too. */
	int failures = suitelog_load_dir(ktap_dir, &logs, &nlogs) ? 1 : 0;

	failures += judge_logs(r, p, logs, nlogs, res, n, out);
	suitelog_free(logs, nlogs);
	return failures;
}
