// SPDX-License-Identifier: GPL-2.0-only
/*
 * The drivers-allowlist files through allowlist_load_file. Beyond not
 * crashing: an accepted entry is what its line spells (IDS read back in
 * the format's own spelling, '*', 'VVVV:*' or 'VVVV:DDDD'; a known class;
 * some evidence), and allowlist_lookup finds a match for every entry.
 */
#include <ctype.h>
#include <strings.h>

#include "fuzz.h"
#include "discover/allowlist.h"

/* Word n (0-based) of line number lineno of text, comments cut; "" none. */
static void word_of_line(const char *text, int lineno, int n, char *out, size_t len)
{
	const char *l = text;
	char buf[4096], *w, *save;

	for (int i = 1; i < lineno && l; i++) {
		l = strchr(l, '\n');
		l = l ? l + 1 : NULL;
	}
	out[0] = '\0';
	if (!l)
		return;
	snprintf(buf, sizeof(buf), "%.*s", (int)strcspn(l, "\n#"), l);
	for (w = strtok_r(buf, " \t\r\v\f", &save); w && n--; w = strtok_r(NULL, " \t\r\v\f", &save))
		;
	if (w)
		snprintf(out, len, "%s", w);
}

static void check_entry(const struct allowlist *a, const struct allow_entry *e, const char *text)
{
	char ids[64], want[16];

	FUZZ_CHECK(e->driver[0] && e->evidence[0], "line %d: empty driver or evidence", e->line);
	FUZZ_CHECK(e->cls == ALLOW_NEVER || e->cls == ALLOW_MAY || e->cls == ALLOW_UNKNOWN,
		   "line %d: class %d", e->line, e->cls);
	FUZZ_CHECK(e->vendor >= -1 && e->vendor <= 0xffff && e->device >= -1 && e->device <= 0xffff &&
		   (e->device < 0 || e->vendor >= 0), "line %d: ids %d:%d", e->line, e->vendor, e->device);
	word_of_line(text, e->line, 1, ids, sizeof(ids));
	if (e->vendor < 0)
		snprintf(want, sizeof(want), "*");
	else if (e->device < 0)
		snprintf(want, sizeof(want), "%04x:*", e->vendor);
	else
		snprintf(want, sizeof(want), "%04x:%04x", e->vendor, e->device);
	FUZZ_CHECK(!strcasecmp(ids, want), "line %d: IDS '%s' was read as '%s'", e->line, ids, want);
	FUZZ_CHECK(allowlist_lookup(a, e->driver, (uint16_t)(e->vendor < 0 ? 0 : e->vendor),
				    (uint16_t)(e->device < 0 ? 0 : e->device)) != NULL,
		   "line %d: lookup of its own driver '%s' found nothing", e->line, e->driver);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_file("fuzz.list", data, size);
	char *text = fuzz_str(data, size);
	struct allowlist a = { 0 };

	allowlist_load_file(&a, path, fuzz_null());
	for (size_t i = 0; i < a.n; i++) {
		check_entry(&a, &a.e[i], text);
		FUZZ_CHECK(!i || a.e[i].line > a.e[i - 1].line, "lines out of order");
	}
	allowlist_free(&a);
	free(text);
	return 0;
}
