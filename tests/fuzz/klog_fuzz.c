// SPDX-License-Identifier: GPL-2.0-only
/*
 * Kernel log text: the console log or /dev/kmsg lines through klog_scan,
 * each finding's fault address through kmsg_fault_addr, and the input as
 * one /dev/kmsg record through kmsg_record_text. Beyond not crashing:
 * a finding is the start of a line of the input, at most one per line,
 * counted once by klog_count; a record's text lies inside the record and
 * stops at its first newline.
 */
#include "fuzz.h"
#include "suite/klog.h"
#include "suite/kmsg.h"

/* Is f (a finding's text) the start of one of text's lines, '\r' cut? */
static int starts_a_line(const char *text, const char *f)
{
	size_t fl = strlen(f);

	for (const char *l = text; l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
		size_t len = strcspn(l, "\n");

		if (len && l[len - 1] == '\r')
			len--;
		if (fl <= len && !memcmp(l, f, fl) && (fl == len || fl == sizeof(((struct klog_finding *)0)->line) - 1))
			return 1;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_str(data, size);
	struct klog_findings f = { 0 };
	size_t lines = 1, counted = 0, tl;
	const char *t;

	for (const char *p = text; *p; p++)
		lines += *p == '\n';
	if (!klog_scan(text, &f)) {
		FUZZ_CHECK(f.n <= lines, "%zu findings in %zu lines", f.n, lines);
		for (size_t i = 0; i < f.n; i++) {
			uint64_t addr;

			FUZZ_CHECK(f.v[i].kind < KLOG_NR_KINDS, "finding %zu: kind %d", i, f.v[i].kind);
			FUZZ_CHECK(starts_a_line(text, f.v[i].line), "finding %zu '%s' is no line of the input",
				   i, f.v[i].line);
			kmsg_fault_addr(f.v[i].line, &addr);
		}
		for (int k = 0; k < KLOG_NR_KINDS; k++)
			counted += klog_count(&f, (enum klog_kind)k, "");
		FUZZ_CHECK(counted == f.n, "klog_count counts %zu of %zu findings", counted, f.n);
	}
	klog_findings_free(&f);

	t = kmsg_record_text((const char *)data, size, &tl);
	FUZZ_CHECK(t >= (const char *)data && tl <= size - (size_t)(t - (const char *)data),
		   "record text outside the record");
	FUZZ_CHECK(!memchr(t, '\n', tl), "record text runs past its first newline");
	free(text);
	return 0;
}
