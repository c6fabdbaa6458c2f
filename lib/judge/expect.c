// SPDX-License-Identifier: GPL-2.0-only
#include "judge/expect.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/fsutil.h"
#include "base/jsonfile.h"
#include "base/pciid.h"
#include "judge/verdict.h"
#include "sysfs/sysroot.h"

static const char *const keys[] = {
	"expect", "platform", "pci", "kernel", "suite", "test", "outcome", "because", "verdict",
	"reason", "url", NULL,
};

/* Only these characters, at least one. */
static bool made_of(const char *s, const char *extra)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && !strchr(extra, *s))
			return false;
	return true;
}

/* The block being read: which keys it had, at which line. */
struct block {
	struct expectation x;
	int seen[sizeof(keys) / sizeof(keys[0])];
};

static int key_index(const char *k)
{
	for (int i = 0; keys[i]; i++)
		if (!strcmp(keys[i], k))
			return i;
	return -1;
}

/* One value into the block; a message and false when it is not what the key takes. */
static bool set(struct block *b, const struct kvconf *c, const struct kv *kv, FILE *err)
{
	struct expectation *x = &b->x;
	const char *v = kv->value;
	uint16_t vendor;
	int dev;

	if (!strcmp(kv->key, "platform")) {
		if (!made_of(v, "-")) {
			fprintf(err, "%s:%d: expected a platform id (lower-case letters, digits and '-', as runner list prints it), got '%s'\n",
				c->path, kv->line, v);
			return false;
		}
		x->platform = v;
	} else if (!strcmp(kv->key, "pci")) {
		if (!pciid_parse(v, &vendor, &dev)) {
			fprintf(err, "%s:%d: expected VVVV:DDDD or VVVV (PCI vendor and device IDs in hex, as lspci -n shows them), got '%s'\n",
				c->path, kv->line, v);
			return false;
		}
		x->vendor = vendor;
		x->device = dev;
	} else if (!strcmp(kv->key, "kernel")) {
		if (!*v || strpbrk(v, " \t")) {
			fprintf(err, "%s:%d: expected a kernel release or glob (6.1.*, as uname -r prints it), got '%s'\n",
				c->path, kv->line, v);
			return false;
		}
		x->kernel = v;
	} else if (!strcmp(kv->key, "because")) {
		if (!*v) {
			fprintf(err, "%s:%d: expected a glob of the skip reason (*predates CONFIG_IOMMUFD*)\n",
				c->path, kv->line);
			return false;
		}
		x->because = v;
	} else if (!strcmp(kv->key, "suite")) {
		if (!made_of(v, "_")) {
			fprintf(err, "%s:%d: expected a suite name (a program in suites/, such as dma), got '%s'\n",
				c->path, kv->line, v);
			return false;
		}
		x->suite = v;
	} else if (!strcmp(kv->key, "test")) {
		if (!*v) {
			fprintf(err, "%s:%d: expected a test name or glob (fixture.variant.test, such as dma.*.unmapped_*)\n",
				c->path, kv->line);
			return false;
		}
		x->test = v;
	} else if (!strcmp(kv->key, "outcome")) {
		if (strcmp(v, "fail") && strcmp(v, "error") && strcmp(v, "timeout") && strcmp(v, "skip")) {
			fprintf(err, "%s:%d: expected a failing outcome (fail, error or timeout) or skip, got '%s'\n",
				c->path, kv->line, v);
			return false;
		}
		x->outcome = v;
	} else if (!strcmp(kv->key, "verdict")) {
		x->verdict = verdict_label_from_name(v);
		if (x->verdict < 0 || !verdict_label_fails((enum verdict_label)x->verdict)) {
			fprintf(err, "%s:%d: expected a failing verdict label (%s, %s or %s), got '%s'\n",
				c->path, kv->line, verdict_label_name(VERDICT_CC_MISREPORTED),
				verdict_label_name(VERDICT_KVM_MISINFORMED),
				verdict_label_name(VERDICT_RESTORE_FAILED), v);
			x->verdict = -1;
			return false;
		}
	} else if (!strcmp(kv->key, "reason")) {
		if (!*v) {
			fprintf(err, "%s:%d: expected a reason: why this fails, in a sentence\n",
				c->path, kv->line);
			return false;
		}
		x->reason = v;
	} else if (!strcmp(kv->key, "url")) {
		if ((strncmp(v, "https://", 8) && strncmp(v, "http://", 7)) || strpbrk(v, " \t")) {
			fprintf(err, "%s:%d: expected a URL (https://...) where the reason is documented, got '%s'\n",
				c->path, kv->line, v);
			return false;
		}
		x->url = v;
	}
	return true;
}

/* The checks that need the whole block. */
static bool complete(const struct block *b, const char *path, FILE *err)
{
	const struct expectation *x = &b->x;
	const char *why = NULL;
	/* Keys given but refused were reported already: judge by what was seen. */
	bool pl = b->seen[key_index("platform")], pci = b->seen[key_index("pci")];
	bool ke = b->seen[key_index("kernel")], be = b->seen[key_index("because")];
	bool su = b->seen[key_index("suite")], te = b->seen[key_index("test")];
	bool ou = b->seen[key_index("outcome")], ve = b->seen[key_index("verdict")];
	bool skip = x->outcome && !strcmp(x->outcome, "skip");

	if (!pl && !pci && !ke)
		why = "platform = PLATFORM_ID, pci = VVVV:DDDD or kernel = GLOB (without one it would hold on every machine)";
	else if (be && !skip)
		why = "outcome = skip with because (only a skip has a reason to match)";
	else if (skip && !be)
		why = "because = GLOB with outcome = skip (which skip: its reason)";
	else if (ve && (su || te || ou))
		why = "a test (suite, test, outcome) or a verdict, not both";
	else if (!ve && !su && !te)
		why = "suite = SUITE and test = GLOB, or verdict = LABEL (what fails)";
	else if (!ve && !te)
		why = "test = GLOB with suite";
	else if (!ve && !su)
		why = "suite = SUITE with test";
	else if (ou && !te)
		why = "test = GLOB with outcome";
	else if (!b->seen[key_index("reason")])
		why = "reason = TEXT (why it fails)";
	else if (!b->seen[key_index("url")])
		why = "url = https://... (where the reason is documented)";
	if (why)
		fprintf(err, "%s:%d: expected %s in expectation '%s'\n", path, x->line, why, x->name);
	return !why;
}

static int push(struct expectations *e, const struct expectation *x)
{
	struct expectation *nv = realloc(e->v, (e->n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	e->v = nv;
	nv[e->n++] = *x;
	return 0;
}

static const struct expectation *named(const struct expectations *e, const char *name)
{
	for (size_t i = 0; i < e->n; i++)
		if (!strcmp(e->v[i].name, name))
			return &e->v[i];
	return NULL;
}

/* The blocks of one parsed file; every problem reported. */
static int blocks(struct expectations *e, const struct kvconf *c, FILE *err)
{
	struct block b;
	bool open = false, ok = true, block_ok = true;
	int ret = 0;

	for (size_t i = 0; i <= c->n && !ret; i++) {
		const struct kv *kv = i < c->n ? &c->v[i] : NULL;
		int k = kv ? key_index(kv->key) : 0;

		if (!kv || !strcmp(kv->key, "expect")) {
			if (open && complete(&b, c->path, err) && block_ok)
				ret = push(e, &b.x);
			else if (open)
				ok = false;
			if (!kv)
				break;
			memset(&b, 0, sizeof(b));
			b.x = (struct expectation){ .file = c->path, .line = kv->line, .name = kv->value,
						    .vendor = -1, .device = -1, .verdict = -1 };
			open = true;
			block_ok = true;
			if (!made_of(kv->value, "_.-")) {
				fprintf(err, "%s:%d: expected a name (lower-case letters, digits, '_', '.', '-') after 'expect ='\n",
					c->path, kv->line);
				block_ok = false;
			} else if (named(e, kv->value)) {
				fprintf(err, "%s:%d: expected a new name: expectation '%s' is already at %s:%d\n",
					c->path, kv->line, kv->value, named(e, kv->value)->file,
					named(e, kv->value)->line);
				block_ok = false;
			}
			b.seen[k] = kv->line;
			continue;
		}
		if (!open) {
			fprintf(err, "%s:%d: expected 'expect = NAME' to open a block before '%s'\n",
				c->path, kv->line, kv->key);
			ok = false;
			continue;
		}
		if (b.seen[k]) {
			fprintf(err, "%s:%d: expected '%s' once in expectation '%s' (already at line %d)\n",
				c->path, kv->line, kv->key, b.x.name, b.seen[k]);
			block_ok = false;
			continue;
		}
		b.seen[k] = kv->line;
		block_ok &= set(&b, c, kv, err);
	}
	return ret ? ret : ok ? 0 : -EINVAL;
}

static int load_file(struct expectations *e, const char *path, FILE *err)
{
	struct kvconf **nf = realloc(e->files, (e->n_files + 1) * sizeof(*nf)), *c;
	int ret;

	if (!nf)
		return -ENOMEM;
	e->files = nf;
	/* Each on its own: expectations keep pointers to its path. */
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	ret = kvconf_load(c, path, err);
	if (ret) {
		free(c);
		return ret == -ENOMEM ? ret : -EINVAL;
	}
	nf[e->n_files++] = c;
	ret = kvconf_check_keys(c, keys, err);
	return ret ? -EINVAL : blocks(e, c, err);
}

static int load_one(void *ctx, const char *path, FILE *err)
{
	return load_file(ctx, path, err);
}

static int load_dir(struct expectations *e, const char *dir, FILE *err)
{
	int n = dir_each(dir, ".conf", load_one, e, err);

	return n < 0 ? n : 0;
}

int expect_load(struct expectations *e, const char *path, FILE *err)
{
	struct stat st;

	memset(e, 0, sizeof(*e));
	if (!path_arg_ok("--expect", path, err))
		return -EINVAL;
	if (!stat(path, &st) && S_ISDIR(st.st_mode))
		return load_dir(e, path, err);
	return load_file(e, path, err);
}

void expect_free(struct expectations *e)
{
	for (size_t i = 0; i < e->n_files; i++) {
		kvconf_free(e->files[i]);
		free(e->files[i]);
	}
	free(e->files);
	free(e->v);
	memset(e, 0, sizeof(*e));
}

static bool hex_is(const char *s, int want)
{
	uint32_t v;

	return want < 0 || (s && hex_fixed(s, 4, &v) && (int)v == want);
}

static bool ids_match(const struct expectation *x, json_object *dev)
{
	return dev && hex_is(jmember_str(dev, "vendor"), x->vendor) &&
	       hex_is(jmember_str(dev, "device"), x->device);
}

/* The platform and kernel x names, if it names them. */
static bool scope_holds(const struct expectation *x, const struct rundoc *d)
{
	const char *id = rundoc_platform_id(d), *kernel = rundoc_kernel(d);

	if (x->platform && (!id || strcmp(x->platform, id)))
		return false;
	return !x->kernel || (kernel && !fnmatch(x->kernel, kernel, 0));
}

bool expect_applies(const struct expectation *x, const struct rundoc *d)
{
	json_object *devs = jmember(d->plat, "devices");

	if (!scope_holds(x, d))
		return false;
	if (x->vendor < 0)
		return true;
	for (size_t i = 0; i < jarray_len(devs); i++)
		if (ids_match(x, jarray_at(devs, i)))
			return true;
	return false;
}

/* Platform, kernel and the device's PCI IDs. */
static bool holds_for(const struct expectation *x, const struct rundoc *d, const char *bdf)
{
	return scope_holds(x, d) && (x->vendor < 0 || ids_match(x, rundoc_device(d, bdf)));
}

bool expect_covers(const struct expectation *x, const struct rundoc *d, json_object *test)
{
	const char *suite = jmember_str(test, "suite"), *name = jmember_str(test, "name");
	const char *outcome = jmember_str(test, "outcome"), *reason = jmember_str(test, "reason");
	bool skip = outcome && !strcmp(outcome, "skip");

	if (!suite || !name || !x->test || strcmp(x->suite, suite) || fnmatch(x->test, name, 0))
		return false;
	/* a skip only by a skip expectation with its reason; a failure by any other */
	if (skip ? !x->outcome || strcmp(x->outcome, "skip") || !reason ||
		   fnmatch(x->because, reason, 0) :
		   !rundoc_outcome_fails(outcome) || (x->outcome && strcmp(x->outcome, outcome)))
		return false;
	return holds_for(x, d, jmember_str(test, "device"));
}

const struct expectation *expect_test(const struct expectations *e, const struct rundoc *d,
				      json_object *test)
{
	for (size_t i = 0; i < e->n; i++)
		if (expect_covers(&e->v[i], d, test))
			return &e->v[i];
	return NULL;
}

const struct expectation *expect_verdict(const struct expectations *e, const struct rundoc *d,
					 json_object *verdict)
{
	int label = verdict_label_from_name(jmember_str(verdict, "label"));

	if (label < 0 || !verdict_label_fails((enum verdict_label)label))
		return NULL;
	for (size_t i = 0; i < e->n; i++) {
		const struct expectation *x = &e->v[i];

		if (x->verdict != label || !holds_for(x, d, jmember_str(verdict, "device")))
			continue;
		return x;
	}
	return NULL;
}

json_object *expect_to_json(const struct expectation *x)
{
	json_object *o;

	if (!x)
		return NULL;
	o = json_object_new_object();
	json_object_object_add(o, "name", json_object_new_string(x->name));
	json_object_object_add(o, "file", json_object_new_string(x->file));
	json_object_object_add(o, "line", json_object_new_int(x->line));
	json_object_object_add(o, "reason", x->reason ? json_object_new_string(x->reason) : NULL);
	json_object_object_add(o, "url", x->url ? json_object_new_string(x->url) : NULL);
	return o;
}
