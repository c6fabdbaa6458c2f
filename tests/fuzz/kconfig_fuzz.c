// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel config readers (discover/kconfig.h): the input as a gzip
 * stream, then as config text. Beyond not crashing: whatever inflates is
 * NUL-terminated at its length and within the bound; a value found is on
 * a line of the text exactly as written ("CONFIG_X=value"), or "n" from a
 * "# CONFIG_X is not set" line; and the text inflated from gzip (zlib's
 * own compress of it) reads back the same.
 */
#include <errno.h>

#include <zlib.h>

#include "fuzz.h"
#include "discover/kconfig.h"

static const char *const options[] = { "CONFIG_IOMMUFD", "CONFIG_KVM", "CONFIG_A" };

static void check_text(const char *text, size_t len)
{
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		char val[64], line[160];
		int ret = kconfig_lookup(text, len, options[i], val, sizeof(val));

		FUZZ_CHECK(!ret || ret == -ENOENT || ret == -ENAMETOOLONG, "returned %d", ret);
		if (ret)
			continue;
		if (!strcmp(val, "n")) {
			snprintf(line, sizeof(line), "# %s is not set", options[i]);
			if (memmem(text, len, line, strlen(line)))
				continue;
		}
		snprintf(line, sizeof(line), "%s=%s", options[i], val);
		FUZZ_CHECK(memmem(text, len, line, strlen(line)), "%s: '%s' is on no line",
			   options[i], val);
	}
}

/* text, gzip'd by zlib, inflates back to itself */
static void round_trip(const char *text, size_t len)
{
	z_stream z = { 0 };
	uint8_t gz[1 << 16];
	char *back, why[128];
	size_t blen;

	if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return;
	z.next_in = (Bytef *)text;
	z.avail_in = (uInt)len;
	z.next_out = gz;
	z.avail_out = sizeof(gz);
	if (deflate(&z, Z_FINISH) != Z_STREAM_END) {
		deflateEnd(&z);
		return;
	}
	FUZZ_CHECK(!kconfig_gunzip(gz, z.total_out, &back, &blen, why, sizeof(why)),
		   "zlib's own gzip of %zu bytes refused: %s", len, why);
	FUZZ_CHECK(blen == len && !memcmp(back, text, len), "inflated %zu bytes, not the %zu given",
		   blen, len);
	free(back);
	deflateEnd(&z);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text, why[128];
	size_t len;
	int ret;

	if (size > 1 << 15)
		return 0;
	ret = kconfig_gunzip(data, size, &text, &len, why, sizeof(why));
	FUZZ_CHECK(!ret || ret == -EINVAL || ret == -EFBIG, "gunzip returned %d", ret);
	if (!ret) {
		FUZZ_CHECK(len <= KCONFIG_TEXT_MAX && !text[len], "inflated text not terminated");
		check_text(text, len);
		free(text);
	}
	check_text((const char *)data, size);
	round_trip((const char *)data, size);
	return 0;
}
