// SPDX-License-Identifier: GPL-2.0-only
/*
 * The ELF note walk over /sys/kernel/notes (discover/elfnote.h). Beyond
 * not crashing: a build-id found is lower-case hex of an even length the
 * format allows, and the same bytes with a well-formed non-GNU note put
 * in front (what a kernel's Xen or Linux notes are) give the same answer.
 */
#include <errno.h>

#include "fuzz.h"
#include "discover/elfnote.h"

static void check_hex(const char *hex)
{
	size_t n = strlen(hex);

	FUZZ_CHECK(n && n % 2 == 0 && n <= 2 * ELFNOTE_BUILD_ID_MAX, "build-id '%s' of length %zu",
		   hex, n);
	FUZZ_CHECK(strspn(hex, "0123456789abcdef") == n, "build-id '%s' is not lower-case hex", hex);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* namesz 6 ("Linux\0", padded to 8), descsz 4, type 6: a note to step over */
	static const uint8_t other[] = { 6, 0, 0, 0, 4, 0, 0, 0, 6, 0, 0, 0,
					 'L', 'i', 'n', 'u', 'x', 0, 0, 0, 1, 2, 3, 4 };
	char hex[2 * ELFNOTE_BUILD_ID_MAX + 1], hex2[sizeof(hex)], why[128];
	uint8_t *both;
	int ret, ret2;

	if (size > 1 << 16)
		return 0;
	ret = elfnote_build_id(data, size, hex, sizeof(hex), why, sizeof(why));
	FUZZ_CHECK(ret == 0 || ret == -ENOENT || ret == -EINVAL, "returned %d", ret);
	if (!ret)
		check_hex(hex);
	if (size % 4)
		return 0;	/* a note after ours starts on a 4-byte boundary */
	both = malloc(sizeof(other) + size + 1);
	if (!both)
		return 0;
	memcpy(both, other, sizeof(other));
	memcpy(both + sizeof(other), data, size);
	ret2 = elfnote_build_id(both, sizeof(other) + size, hex2, sizeof(hex2), why, sizeof(why));
	FUZZ_CHECK(ret2 == ret, "a note in front changed %d into %d", ret, ret2);
	FUZZ_CHECK(ret || !strcmp(hex, hex2), "a note in front changed %s into %s", hex, hex2);
	free(both);
	return 0;
}
