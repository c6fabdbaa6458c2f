// SPDX-License-Identifier: GPL-2.0-only
#include "judge/tally.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json.h>

#include "judge/suitelog.h"

struct device_tally *tally_for(struct tally *t, const char *bdf)
{
	struct device_tally *d;

	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->dev[i].bdf, bdf))
			return &t->dev[i];
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 8;
		struct device_tally *v = realloc(t->dev, cap * sizeof(*v));

		if (!v)
			return NULL;
		t->dev = v;
		t->cap = cap;
	}
	d = &t->dev[t->n++];
	memset(d, 0, sizeof(*d));
	snprintf(d->bdf, sizeof(d->bdf), "%s", bdf);
	d->hw_info_agrees = FACT_UNKNOWN;
	d->snp_matches = FACT_UNKNOWN;
	return d;
}

/* A yes that any no turns into no for good. */
static void all_of(enum fact *f, bool yes)
{
	*f = yes && *f != FACT_NO ? FACT_YES : FACT_NO;
}

/* The attach suite's evidence: which paths ran and what each reported. */
static void tally_attach(struct device_tally *d, json_object *ev)
{
	json_object *v;

	if (json_object_object_get_ex(ev, "snp_matches", &v))
		all_of(&d->snp_matches, json_object_get_boolean(v));
	if (!json_object_object_get_ex(ev, "enforced", &v))
		return;
	d->paths_tried++;
	d->paths_enforced += json_object_get_boolean(v);
	if (json_object_object_get_ex(ev, "hw_info_agrees", &v))
		all_of(&d->hw_info_agrees, json_object_get_boolean(v));
}

/*
 * attach_pair's evidence: a domain two devices share must enforce what the
 * suite worked out from the units' registers ("domain_can_enforce"), and an
 * open reuse corner belongs to the device that joined ("second"), whichever
 * device the suite ran for.
 */
static void tally_pair(struct tally *t, struct device_tally *d, json_object *ev)
{
	json_object *got, *can, *open, *second, *bdf;

	if (json_object_object_get_ex(ev, "domain_enforced", &got) &&
	    json_object_object_get_ex(ev, "domain_can_enforce", &can) &&
	    json_object_get_int(got) >= 0 &&
	    json_object_get_int(got) != json_object_get_boolean(can))
		d->shared_domain_misreported = true;
	if (json_object_object_get_ex(ev, "corner_open", &open) &&
	    json_object_get_boolean(open) &&
	    json_object_object_get_ex(ev, "second", &second) &&
	    json_object_object_get_ex(second, "bdf", &bdf) &&
	    json_object_is_type(bdf, json_type_string)) {	/* not null: no name */
		struct device_tally *joiner = tally_for(t, json_object_get_string(bdf));

		if (joiner)
			joiner->reuse_corner_open = true;
	}
}

/*
 * suites/kvm's evidence: what KVM was told when the path's file was added
 * to a VM. KVM must be told non-coherent exactly when the unit cannot
 * enforce (it asks vfio_file_enforced_coherent(), which answers from the
 * unit), and a registration must be undone when the file is deleted.
 */
static void tally_kvm(struct device_tally *d, json_object *ev)
{
	json_object *told, *can, *unreg;
	bool t;

	if (!json_object_object_get_ex(ev, "kvm_told_noncoherent", &told) ||
	    !json_object_object_get_ex(ev, "unit_can_enforce", &can))
		return;
	t = json_object_get_boolean(told);
	d->kvm_paths++;
	d->kvm_told += t;
	if (t == json_object_get_boolean(can) ||
	    (t && (!json_object_object_get_ex(ev, "unregistered_on_delete", &unreg) ||
		   !json_object_get_boolean(unreg))))
		d->kvm_misinformed++;
}

int tally_line(struct tally *t, const char *suite, const char *bdf, json_object *ev)
{
	/* Looked up per line: tally_pair may grow the table. */
	struct device_tally *d = tally_for(t, bdf);

	if (!d)
		return -ENOMEM;
	if (!strcmp(suite, "attach"))
		tally_attach(d, ev);
	else if (!strcmp(suite, "attach_pair"))
		tally_pair(t, d, ev);
	else if (!strcmp(suite, "kvm"))
		tally_kvm(d, ev);
	return 0;
}

int tally_suite(struct tally *t, const char *suite, const char *bdf, const struct ktap *k)
{
	int failed = 0;

	for (size_t i = 0; i < k->n; i++) {
		json_object *evs = k->v[i].evidence;

		failed += !strcmp(k->v[i].outcome, "fail") || !strcmp(k->v[i].outcome, "error");
		/* Evidence of an errored test is still what the kernel said. */
		for (size_t j = 0; j < json_object_array_length(evs); j++)
			if (tally_line(t, suite, bdf, json_object_array_get_idx(evs, j)))
				break;
	}
	return failed;
}

int tally_dir(struct tally *t, const char *dir, tally_log_fn each, void *ctx)
{
	struct suite_log *logs;
	size_t n;
	int failures = 0;

	if (suitelog_load_dir(dir, &logs, &n))
		return -1;
	for (size_t i = 0; i < n; i++) {
		failures += tally_suite(t, logs[i].suite, logs[i].bdf, &logs[i].k);
		if (each)
			each(ctx, logs[i].suite, logs[i].bdf, &logs[i].k);
	}
	suitelog_free(logs, n);
	return failures;
}

void tally_evidence(const struct device_tally *d, struct verdict_evidence *e)
{
	e->hw_info_agrees = d->hw_info_agrees;
	e->snp_matches = d->snp_matches;
	e->shared_domain_misreported = d->shared_domain_misreported;
	e->reuse_corner_open = d->reuse_corner_open;
	e->paths_tried = d->paths_tried;
	e->paths_enforced = d->paths_enforced;
	e->kvm_paths = d->kvm_paths;
	e->kvm_told = d->kvm_told;
	e->kvm_misinformed = d->kvm_misinformed;
}

void tally_free(struct tally *t)
{
	free(t->dev);
	memset(t, 0, sizeof(*t));
}
