// SPDX-License-Identifier: GPL-2.0-only
#include "discover/kconfig.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

static int bad(char *why, size_t whylen, const char *what, int err)
{
	if (why)
		snprintf(why, whylen, "%s", what);
	return err;
}

int kconfig_gunzip(const void *gz, size_t gzlen, char **text, size_t *len,
		   char *why, size_t whylen)
{
	z_stream z = { 0 };
	size_t cap = 64 << 10, used = 0;
	char *out = malloc(cap + 1), *grown;
	int ret;

	if (!out)
		return -ENOMEM;
	/* 16 + MAX_WBITS: a gzip header and trailer, never raw zlib */
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		free(out);
		return -ENOMEM;
	}
	z.next_in = (Bytef *)gz;
	z.avail_in = (uInt)gzlen;
	if (gzlen > UINT32_MAX) {
		ret = bad(why, whylen, "larger than 4 GiB", -EFBIG);
		goto fail;
	}
	for (;;) {
		if (used == cap) {
			if (cap >= KCONFIG_TEXT_MAX) {
				ret = bad(why, whylen, "inflates past 8 MiB", -EFBIG);
				goto fail;
			}
			cap *= 2;
			grown = realloc(out, cap + 1);
			if (!grown) {
				ret = -ENOMEM;
				goto fail;
			}
			out = grown;
		}
		z.next_out = (Bytef *)out + used;
		z.avail_out = (uInt)(cap - used);
		ret = inflate(&z, Z_NO_FLUSH);
		used = cap - z.avail_out;
		if (ret == Z_STREAM_END)
			break;
		if (ret == Z_OK)
			continue;
		if (ret == Z_BUF_ERROR && !z.avail_in) {
			ret = bad(why, whylen, "gzip stream cut short", -EINVAL);
			goto fail;
		}
		if (ret == Z_MEM_ERROR) {
			ret = -ENOMEM;
			goto fail;
		}
		ret = bad(why, whylen, z.msg ? z.msg : "not a gzip stream", -EINVAL);
		goto fail;
	}
	inflateEnd(&z);
	out[used] = '\0';
	*text = out;
	*len = used;
	return 0;
fail:
	inflateEnd(&z);
	free(out);
	return ret;
}

/* The line at p (up to end) as "CONFIG_X=v" or "# CONFIG_X is not set". */
static int match_line(const char *p, const char *end, const char *option, size_t on,
		      char *val, size_t vallen)
{
	static const char unset[] = " is not set";
	size_t n = (size_t)(end - p);

	if (n > on && !memcmp(p, option, on) && p[on] == '=') {
		n -= on + 1;
		if (n >= vallen)
			return -ENAMETOOLONG;
		memcpy(val, p + on + 1, n);
		val[n] = '\0';
		return 0;
	}
	if (n == 2 + on + sizeof(unset) - 1 && !memcmp(p, "# ", 2) && !memcmp(p + 2, option, on) &&
	    !memcmp(p + 2 + on, unset, sizeof(unset) - 1)) {
		if (vallen < 2)
			return -ENAMETOOLONG;
		strcpy(val, "n");
		return 0;
	}
	return -ENOENT;
}

int kconfig_lookup(const char *text, size_t len, const char *option, char *val, size_t vallen)
{
	size_t on = strlen(option);
	const char *p = text, *stop = text + len;

	while (p < stop) {
		const char *end = memchr(p, '\n', (size_t)(stop - p));
		int ret;

		if (!end)
			end = stop;
		ret = match_line(p, end, option, on, val, vallen);
		if (ret != -ENOENT)
			return ret;
		p = end + 1;
	}
	return -ENOENT;
}
