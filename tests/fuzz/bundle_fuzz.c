// SPDX-License-Identifier: GPL-2.0-only
/*
 * A submission bundle as `runner validate BUNDLE.tar` opens it
 * (judge/bundle.h): whatever the archive holds, unpacking stays inside its
 * own temporary directory, and the directory is gone afterwards.
 */
#include <sys/stat.h>

#include "fuzz.h"
#include "judge/bundle.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bundle_unpacked u;
	struct stat st;
	char tmp[PATH_MAX];
	int n;

	memset(&u, 0, sizeof(u));
	n = bundle_unpack(fuzz_file("fuzz.tar", data, size), &u, fuzz_null());
	snprintf(tmp, sizeof(tmp), "%s", u.tmp);
	if (n >= 0) {
		FUZZ_CHECK(u.tmp[0], "unpacked, but into no directory");
		FUZZ_CHECK(!strncmp(u.root, u.tmp, strlen(u.tmp)), "root %s outside %s", u.root,
			   u.tmp);
	}
	bundle_unpacked_free(&u);
	FUZZ_CHECK(!tmp[0] || lstat(tmp, &st), "%s left behind", tmp);
	return 0;
}
