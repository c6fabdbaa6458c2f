// SPDX-License-Identifier: GPL-2.0-only
/*
 * The expectations reader (judge/expect.h), which `make check-vm` and
 * `make check-hw` gate on. Beyond not crashing: an expectation it accepts
 * has what the format requires (a name, a reason, an http(s) URL with no
 * blank, a platform, PCI IDs or a kernel glob, exactly one of a suite+test
 * or a verdict, a skip's reason glob exactly when it expects a skip), and
 * its line is a line of the file.
 */
#include "fuzz.h"
#include "judge/expect.h"
#include "judge/verdict.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct expectations e;
	int lines = 1;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	if (expect_load(&e, fuzz_file("fuzz.conf", data, size), fuzz_null())) {
		FUZZ_CHECK(e.n == 0 || e.v, "refused, but %zu expectations half-kept", e.n);
		expect_free(&e);
		return 0;
	}
	for (size_t i = 0; i < e.n; i++) {
		const struct expectation *x = &e.v[i];

		FUZZ_CHECK(x->name && *x->name, "expectation %zu has no name", i);
		FUZZ_CHECK(x->reason && *x->reason, "%s: no reason", x->name);
		FUZZ_CHECK(x->url && (!strncmp(x->url, "https://", 8) || !strncmp(x->url, "http://", 7)) &&
			   !strpbrk(x->url, " \t"), "%s: url '%s'", x->name, x->url ? x->url : "(none)");
		FUZZ_CHECK(x->platform || x->vendor >= 0 || x->kernel,
			   "%s: neither platform, pci nor kernel", x->name);
		FUZZ_CHECK(!!x->because == (x->outcome && !strcmp(x->outcome, "skip")),
			   "%s: because '%s' with outcome '%s'", x->name, x->because ? x->because : "",
			   x->outcome ? x->outcome : "");
		FUZZ_CHECK((x->verdict >= 0) != (x->suite != NULL),
			   "%s: a verdict and a suite, or neither", x->name);
		FUZZ_CHECK(x->verdict < 0 || verdict_label_fails((enum verdict_label)x->verdict),
			   "%s: expects a verdict that does not fail", x->name);
		FUZZ_CHECK(x->line >= 1 && x->line <= lines, "%s: line %d of %d", x->name,
			   x->line, lines);
	}
	expect_free(&e);
	return 0;
}
