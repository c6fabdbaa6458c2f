// SPDX-License-Identifier: GPL-2.0-only
#include "judge/rejudge.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonfile.h"
#include "discover/iommu.h"
#include "discover/pci.h"
#include "discover/platform.h"
#include "discover/report.h"
#include "judge/gather.h"
#include "judge/readback.h"
#include "judge/tally.h"
#include "judge/verdict.h"

struct say {
	const char *name;
	FILE *err;
	int n;
};

static void say(struct say *s, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void say(struct say *s, const char *path, const char *fmt, ...)
{
	va_list ap;

	fprintf(s->err, "%s: %s: ", s->name, path);
	va_start(ap, fmt);
	vfprintf(s->err, fmt, ap);
	va_end(ap);
	fputc('\n', s->err);
	s->n++;
}


/* A value as a message shows it: as JSON, so "" and null are seen. */
static const char *shown(json_object *v)
{
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
					      JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* The registers a unit's facts are decoded from, for messages. */
static void regs_text(const struct iommu_unit *u, char *buf, size_t len)
{
	if (!u->have_regs)
		snprintf(buf, len, "no registers");
	else if (u->kind == IOMMU_KIND_AMD_VI)
		snprintf(buf, len, "features %llx", (unsigned long long)u->ecap);
	else
		snprintf(buf, len, "cap %llx, ecap %llx", (unsigned long long)u->cap,
			 (unsigned long long)u->ecap);
}

/* Facts and enforcement as discovery would write them from the raw registers. */
static void check_unit(struct say *s, json_object *rec, size_t i, const struct iommu_unit *ru)
{
	struct iommu_unit u = *ru;
	json_object *want, *wf, *rf = jmember(rec, "facts");
	char path[128], regs[64];

	u.enforces_coherency = iommu_unit_can_enforce(&u);
	want = unit_to_json(&u);
	wf = jmember(want, "facts");
	regs_text(&u, regs, sizeof(regs));
	if (!json_object_equal(jmember(rec, "enforces_coherency"), jmember(want, "enforces_coherency"))) {
		snprintf(path, sizeof(path), "$.platform.iommu_units[%zu].enforces_coherency", i);
		say(s, path, "recorded %s, the registers (%s) give %s",
		    shown(jmember(rec, "enforces_coherency")), regs,
		    shown(jmember(want, "enforces_coherency")));
	}
	json_object_object_foreach(wf, key, val) {
		json_object *got = jmember(rf, key);

		snprintf(path, sizeof(path), "$.platform.iommu_units[%zu].facts.%s", i, key);
		if (!got)
			say(s, path, "missing; the registers (%s) give %s", regs, shown(val));
		else if (!json_object_equal(got, val))
			say(s, path, "recorded %s, the registers (%s) give %s", shown(got), regs,
			    shown(val));
	}
	json_object_object_foreach(rf, rkey, rval) {
		(void)rval;
		if (!jmember(wf, rkey)) {
			snprintf(path, sizeof(path), "$.platform.iommu_units[%zu].facts.%s", i, rkey);
			say(s, path, "not a fact the registers (%s) give", regs);
		}
	}
	json_object_put(want);
}

static void check_platform(struct say *s, json_object *plat, const struct platform *p)
{
	json_object *units = jmember(plat, "iommu_units"), *devs = jmember(plat, "devices");
	char path[128];

	for (size_t i = 0; i < p->n_units; i++) {
		json_object *rec = json_object_array_get_idx(units, i);

		/* A register readback could not parse is reported already. */
		if (!p->units[i].have_regs && jmember(rec, "cap"))
			continue;
		check_unit(s, rec, i, &p->units[i]);
	}
	for (size_t i = 0; i < p->n_devs; i++) {
		const struct pci_device_info *d = &p->devs[i];
		json_object *rec = json_object_array_get_idx(devs, i);
		bool integrated = json_object_get_boolean(jmember(rec, "integrated_endpoint"));

		if (integrated != !!pcie_is_integrated(d->pcie_type)) {
			snprintf(path, sizeof(path), "$.platform.devices[%zu].integrated_endpoint", i);
			say(s, path, "recorded %s, pcie_type %s gives %s", integrated ? "true" : "false",
			    pcie_type_name(d->pcie_type), integrated ? "false" : "true");
		}
		if (d->iommu[0] && !platform_unit(p, d->iommu)) {
			snprintf(path, sizeof(path), "$.platform.devices[%zu].iommu_unit", i);
			say(s, path, "%s is not in $.platform.iommu_units", d->iommu);
		}
	}
}

/* Where each device shows up in devices[], tests[] and verdicts[]: first index, -1 none. */
struct seen {
	const char *bdf;
	long device, test, verdict;
};

struct seen_list {
	struct seen *v;
	size_t n, cap;
};

static struct seen *seen_for(struct seen_list *l, const char *bdf)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].bdf, bdf))
			return &l->v[i];
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		struct seen *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n] = (struct seen){ .bdf = bdf, .device = -1, .test = -1, .verdict = -1 };
	return &l->v[l->n++];
}

/* Every test's evidence through the tally runner run feeds from the logs. */
static int tally_tests(json_object *tests, struct tally *t, struct seen_list *l)
{
	for (size_t i = 0; i < json_object_array_length(tests); i++) {
		json_object *test = json_object_array_get_idx(tests, i);
		json_object *evs = jmember(test, "evidence");
		const char *bdf = jmember_str(test, "device"), *suite = jmember_str(test, "suite");
		struct seen *sn;

		if (!bdf)
			continue;
		sn = seen_for(l, bdf);
		if (!sn)
			return -ENOMEM;
		if (sn->test < 0)
			sn->test = (long)i;
		for (size_t j = 0; j < json_object_array_length(evs); j++)
			if (tally_line(t, suite, bdf, json_object_array_get_idx(evs, j)))
				return -ENOMEM;
	}
	return 0;
}

static int check_devices(struct say *s, json_object *devs, const struct platform *p,
			 struct seen_list *l)
{
	char path[128];

	for (size_t i = 0; i < json_object_array_length(devs); i++) {
		json_object *dev = json_object_array_get_idx(devs, i);
		const char *bdf = jmember_str(dev, "bdf"), *before = jmember_str(dev, "driver_before");
		const struct pci_device_info *d = platform_device(p, bdf);
		struct seen *sn = seen_for(l, bdf);

		if (!sn)
			return -ENOMEM;
		if (sn->device >= 0) {
			snprintf(path, sizeof(path), "$.devices[%zu]", i);
			say(s, path, "a second entry for %s ($.devices[%ld])", bdf, sn->device);
			continue;
		}
		sn->device = (long)i;
		if (!d) {
			snprintf(path, sizeof(path), "$.devices[%zu].bdf", i);
			say(s, path, "%s is not in $.platform.devices", bdf);
		} else if (strcmp(before ? before : "", d->driver)) {
			snprintf(path, sizeof(path), "$.devices[%zu].driver_before", i);
			say(s, path, "recorded %s, the platform says %s", before ? before : "null",
			    d->driver[0] ? d->driver : "null");
		}
	}
	return 0;
}

/* The driver a device was left on, as devices[] recorded it; NULL when no entry. */
static const char *driver_after(json_object *devs, const struct seen *sn)
{
	const char *after;

	if (sn->device < 0)
		return NULL;
	after = jmember_str(json_object_array_get_idx(devs, (size_t)sn->device), "driver_after");
	return after ? after : "";
}

static int check_verdicts(struct say *s, json_object *doc, const struct platform *p,
			  struct tally *t, struct seen_list *l)
{
	json_object *verdicts = jmember(doc, "verdicts"), *devs = jmember(doc, "devices");
	char path[128];

	for (size_t i = 0; i < json_object_array_length(verdicts); i++) {
		json_object *v = json_object_array_get_idx(verdicts, i);
		const char *bdf = jmember_str(v, "device"), *label = jmember_str(v, "label");
		struct seen *sn = seen_for(l, bdf);
		const struct pci_device_info *d = platform_device(p, bdf);
		const struct iommu_unit *u = d && d->iommu[0] ? platform_unit(p, d->iommu) : NULL;
		struct device_tally *dt = tally_for(t, bdf);
		struct verdict_evidence e;
		struct verdict out;
		const char *want;

		if (!sn || !dt)
			return -ENOMEM;
		if (sn->verdict >= 0) {
			const char *first = jmember_str(json_object_array_get_idx(verdicts, (size_t)sn->verdict),
						"label");

			snprintf(path, sizeof(path), "$.verdicts[%zu]", i);
			if (strcmp(first, label))
				say(s, path, "a second verdict for %s, %s, contradicts $.verdicts[%ld], %s",
				    bdf, label, sn->verdict, first);
			else
				say(s, path, "a second verdict for %s, as $.verdicts[%ld]", bdf,
				    sn->verdict);
		} else {
			sn->verdict = (long)i;
		}
		if (sn->device < 0 && sn->test < 0) {
			snprintf(path, sizeof(path), "$.verdicts[%zu].device", i);
			say(s, path, "%s was not run: it has no devices[] entry and no tests", bdf);
		}
		gather_evidence(d, u, dt, driver_after(devs, sn), &e);
		verdict_decide(&e, &out);
		want = verdict_label_name(out.label);
		if (strcmp(label, want)) {
			snprintf(path, sizeof(path), "$.verdicts[%zu].label", i);
			say(s, path, "recorded %s, the evidence gives %s (%s)", label, want, out.why);
		}
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct seen *sn = &l->v[i];

		if (sn->verdict >= 0)
			continue;
		if (sn->device >= 0)
			say(s, "$.verdicts", "no verdict for %s, which has a devices[] entry "
			    "($.devices[%ld])", sn->bdf, sn->device);
		else
			say(s, "$.verdicts", "no verdict for %s, which has tests ($.tests[%ld])",
			    sn->bdf, sn->test);
	}
	return 0;
}

int rejudge_results(json_object *doc, const char *name, FILE *err)
{
	struct say s = { .name = name, .err = err };
	struct seen_list l = { 0 };
	struct tally t = { 0 };
	struct platform p;
	int ret = readback_platform(jmember(doc, "platform"), &p, name, err);

	if (ret >= 0) {
		s.n = ret;
		check_platform(&s, jmember(doc, "platform"), &p);
		ret = tally_tests(jmember(doc, "tests"), &t, &l);
	}
	if (!ret)
		ret = check_devices(&s, jmember(doc, "devices"), &p, &l);
	if (!ret)
		ret = check_verdicts(&s, doc, &p, &t, &l);
	if (ret == -ENOMEM)
		fprintf(err, "%s: out of memory while re-judging\n", name);
	free(l.v);
	tally_free(&t);
	platform_free(&p);
	return ret < 0 ? ret : s.n;
}

/* Members that differ between a run and a replay through no fault of the file. */
static bool ignored(const char *key)
{
	static const char *const keys[] = {
		"source", "virtual", "vendor_name", "device_name", "class_name",
	};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(key, keys[i]))
			return true;
	return false;
}

/*
 * The kernel identity's members (results/schema.json, all optional): a
 * file written before the runner recorded them has none of them, and a
 * capture replayed today gives them; that is an older file, not a
 * mismatch.
 */
static bool newer_than_file(const char *key, json_object *rec)
{
	static const char *const keys[] = { "arch", "build_id", "git_commit", "config" };

	if (json_object_object_get_ex(rec, "config", NULL))
		return false;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(key, keys[i]))
			return true;
	return false;
}

static void diff(struct say *s, const char *path, json_object *rec, json_object *rep);

/* Units and devices are matched by name and BDF: the order is not the point. */
static const char *match_key(json_object *a, json_object *b)
{
	json_object *first = json_object_array_get_idx(json_object_array_length(a) ? a : b, 0);

	if (jmember_str(first, "bdf"))
		return "bdf";
	if (jmember_str(first, "name"))
		return "name";
	return NULL;
}

static json_object *find_by(json_object *arr, const char *key, const char *val)
{
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i);
		const char *v = jmember_str(e, key);

		if (v && !strcmp(v, val))
			return e;
	}
	return NULL;
}

static void diff_arrays(struct say *s, const char *path, json_object *rec, json_object *rep)
{
	size_t nrec = json_object_array_length(rec), nrep = json_object_array_length(rep);
	const char *key = match_key(rec, rep);
	char sub[512];

	if (!key) {
		for (size_t i = 0; i < nrec && i < nrep; i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
			diff(s, sub, json_object_array_get_idx(rec, i), json_object_array_get_idx(rep, i));
		}
		if (nrec != nrep)
			say(s, path, "recorded %zu entries, the capture gives %zu", nrec, nrep);
		return;
	}
	for (size_t i = 0; i < nrec; i++) {
		json_object *e = json_object_array_get_idx(rec, i), *other;
		const char *v = jmember_str(e, key);

		snprintf(sub, sizeof(sub), "%s[%zu]", path, i);
		other = v ? find_by(rep, key, v) : NULL;
		if (!other)
			say(s, sub, "%s %s is not in the capture", key, v ? v : "(none)");
		else
			diff(s, sub, e, other);
	}
	for (size_t i = 0; i < nrep; i++) {
		const char *v = jmember_str(json_object_array_get_idx(rep, i), key);

		if (v && !find_by(rec, key, v))
			say(s, path, "the capture has %s %s, the file does not", key, v);
	}
}

static void diff(struct say *s, const char *path, json_object *rec, json_object *rep)
{
	char sub[512];

	if (json_object_is_type(rec, json_type_object) && json_object_is_type(rep, json_type_object)) {
		json_object_object_foreach(rec, key, val) {
			json_object *other;

			if (ignored(key))
				continue;
			snprintf(sub, sizeof(sub), "%s.%s", path, key);
			if (!json_object_object_get_ex(rep, key, &other))
				say(s, sub, "recorded %s, the capture has no such member", shown(val));
			else
				diff(s, sub, val, other);
		}
		json_object_object_foreach(rep, rkey, rval) {
			if (ignored(rkey) || json_object_object_get_ex(rec, rkey, NULL) ||
			    newer_than_file(rkey, rec))
				continue;
			snprintf(sub, sizeof(sub), "%s.%s", path, rkey);
			say(s, sub, "missing; the capture gives %s", shown(rval));
		}
		return;
	}
	if (json_object_is_type(rec, json_type_array) && json_object_is_type(rep, json_type_array))
		return diff_arrays(s, path, rec, rep);
	if (!json_object_equal(rec, rep)) {
		/* shown() may reuse a buffer of the object: one value per call. */
		char was[256];

		snprintf(was, sizeof(was), "%s", shown(rec));
		say(s, path, "recorded %s, the capture gives %s", was, shown(rep));
	}
}

int rejudge_replay(json_object *doc, json_object *replayed, const char *name, FILE *err)
{
	struct say s = { .name = name, .err = err };
	json_object *plat = jmember(doc, "platform");
	const char *id = jmember_str(plat, "platform_id"), *other = jmember_str(replayed, "platform_id");

	/* Another machine differs everywhere: one line says it all. */
	if (!id || !other || strcmp(id, other)) {
		say(&s, "$.platform.platform_id", "recorded \"%s\", the capture is of another "
		    "machine, \"%s\"", id ? id : "", other ? other : "");
		return s.n;
	}
	diff(&s, "$.platform", plat, replayed);
	return s.n;
}
