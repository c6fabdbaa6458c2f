// SPDX-License-Identifier: GPL-2.0-only
/*
 * A kept record read back (base/filecache.h): the one check between a
 * file in the cache directory, which anyone may have written or torn, and
 * compare taking it for a file's summary. The key checked against is the
 * one the input names (so the fuzzer reaches past it). Beyond not
 * crashing: a record it accepts has its payload inside the input, ends
 * the input, and is exactly as long and of the SHA-256 its header states.
 */
#include "fuzz.h"
#include "base/filecache.h"
#include "base/sha256.h"

#define MAGIC_LEN 23	/* "snoopcheck-filecache 1\n" */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *rec = (const char *)data, *payload;
	char key[SHA256_HEX_LEN] = "", sum[SHA256_HEX_LEN];
	size_t len, hdr_end;

	if (size >= MAGIC_LEN + 64) {
		memcpy(key, rec + MAGIC_LEN, 64);
		key[64] = '\0';
		if (strlen(key) != 64)
			return 0;	/* a key has no NUL */
	}
	if (!filecache_record_parse(rec, size, key, &payload, &len))
		return 0;
	FUZZ_CHECK(payload >= rec && payload + len == rec + size,
		   "payload at %td, %zu bytes, of a %zu-byte record", payload - rec, len, size);
	hdr_end = (size_t)(payload - rec);
	FUZZ_CHECK(hdr_end > 66 && rec[hdr_end - 1] == '\n' && rec[hdr_end - 66] == ' ',
		   "header does not end \" SHA256\\n\"");
	FUZZ_CHECK(!sha256_hex(payload, len, sum) && !memcmp(sum, rec + hdr_end - 65, 64),
		   "accepted a payload whose SHA-256 is not the stated one");
	FUZZ_CHECK(strtoull(rec + MAGIC_LEN + 65, NULL, 10) == len, "length is not the stated one");
	return 0;
}
