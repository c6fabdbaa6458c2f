// SPDX-License-Identifier: GPL-2.0-only
#include "judge/judge.h"

#include <stdbool.h>
#include <string.h>

#include "judge/gather.h"
#include "judge/ktap.h"
#include "judge/tally.h"
#include "judge/verdict.h"
#include "suite/devready.h"

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

int judge_run(struct results *r, const struct platform *p, const char *ktap_dir,
	      const struct bind_result *res, size_t n, FILE *out)
{
	struct tally t = { 0 };
	int failures = tally_dir(&t, ktap_dir, add_tests, r);

	/* Unreadable only if the suites' directory vanished: a failure too. */
	if (failures < 0)
		failures = 1;
	failures += judge_devices(r, p, res, n, &t, out);
	tally_free(&t);
	return failures;
}
