// SPDX-License-Identifier: GPL-2.0-only
/*
 * The binding journal (host/journal.h) that `runner restore` reads after
 * a crash. Beyond not crashing: every record it loads names a sysfs PCI
 * address and a sane state; the records written back by journal_rewrite
 * load back equal, line numbers included; and writing those again gives
 * the same bytes (the writer is a fixed point).
 */
#include "fuzz.h"
#include "base/bdf.h"
#include "host/journal.h"

static void check_rec(const struct journal_rec *r, int line)
{
	FUZZ_CHECK(r->line == line, "record %d has line %d", line, r->line);
	FUZZ_CHECK(bdf_is_pci_name(r->bdf), "line %d: bdf '%s'", line, r->bdf);
	FUZZ_CHECK(r->step[0], "line %d: empty step", line);
	FUZZ_CHECK(r->orig.sriov_numvfs >= -1, "line %d: sriov_numvfs %d", line, r->orig.sriov_numvfs);
}

static int same(const struct journal_rec *a, const struct journal_rec *b)
{
	return !strcmp(a->bdf, b->bdf) && !strcmp(a->step, b->step) &&
	       !strcmp(a->orig.driver, b->orig.driver) &&
	       !strcmp(a->orig.override, b->orig.override) &&
	       a->orig.sriov_numvfs == b->orig.sriov_numvfs && a->pid == b->pid &&
	       a->line == b->line;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct journal_rec *recs, *back;
	char in[PATH_MAX], out[PATH_MAX], path[PATH_MAX];
	char *first, *second;
	size_t n, n2;

	snprintf(in, sizeof(in), "%s/in", fuzz_dir());
	snprintf(out, sizeof(out), "%s/out", fuzz_dir());
	mkdir_p(in);
	mkdir_p(out);
	fuzz_file("in/" JOURNAL_NAME, data, size);
	if (journal_load(in, &recs, &n, fuzz_null())) {
		free(recs);	/* a damaged journal still hands back what it read */
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		check_rec(&recs[i], (int)i + 1);

	FUZZ_CHECK(!journal_rewrite(out, recs, n), "journal_rewrite failed");
	if (!n) {
		free(recs);
		return 0;
	}
	snprintf(path, sizeof(path), "%s/%s", out, JOURNAL_NAME);
	first = read_file(path, NULL);
	FUZZ_CHECK(!journal_load(out, &back, &n2, fuzz_null()),
		   "journal_rewrite wrote a journal journal_load refuses:\n%s", first);
	FUZZ_CHECK(n2 == n, "%zu records written back as %zu", n, n2);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(same(&recs[i], &back[i]), "record %zu changed when written back:\n%s", i, first);

	FUZZ_CHECK(!journal_rewrite(out, back, n2), "journal_rewrite failed the second time");
	second = read_file(path, NULL);
	FUZZ_CHECK(first && second && !strcmp(first, second), "rewrite not stable:\n%s\nthen\n%s",
		   first, second);
	free(first);
	free(second);
	free(back);
	free(recs);
	return 0;
}
