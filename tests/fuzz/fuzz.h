/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every libFuzzer harness under tests/fuzz/ shares: the input as a
 * file in a private directory (the parsers read files, as they do in a
 * run), the input as a C string (text parsers stop at a NUL, as
 * read_file()'s callers do), a sink for the parsers' complaints, and an
 * oracle check that stops the run with a message, so libFuzzer keeps the
 * input that broke it. `make fuzz` runs them (tests/run-fuzz.sh).
 */
#ifndef SNOOP_FUZZ_H
#define SNOOP_FUZZ_H

#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fsutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An oracle failed: say which and abort, so libFuzzer writes the crash file. */
__attribute__((format(printf, 1, 2), noreturn))
static inline void fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "oracle failed: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

#define FUZZ_CHECK(cond, ...) \
	do { if (!(cond)) fuzz_fail(__VA_ARGS__); } while (0)

static char fuzz_tmp[PATH_MAX];

static inline void fuzz_cleanup(void)
{
	if (fuzz_tmp[0])
		remove_tree(fuzz_tmp);
}

/*
 * A directory of this process's own, made on first use and removed at
 * exit. /dev/shm when there is one: the journal and results writers fsync.
 */
static inline const char *fuzz_dir(void)
{
	const char *base = getenv("TMPDIR");

	if (fuzz_tmp[0])
		return fuzz_tmp;
	if (access("/dev/shm", W_OK) == 0)
		base = "/dev/shm";
	snprintf(fuzz_tmp, sizeof(fuzz_tmp), "%s/snoop-fuzz-XXXXXX",
		 base && *base ? base : "/tmp");
	if (!mkdtemp(fuzz_tmp)) {
		perror(fuzz_tmp);
		abort();
	}
	atexit(fuzz_cleanup);
	return fuzz_tmp;
}

/* data, byte for byte, as fuzz_dir()/name; the path is static. */
static inline const char *fuzz_file(const char *name, const void *data, size_t size)
{
	static char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
	if (write_file_atomic(path, data, size)) {
		perror(path);
		abort();
	}
	return path;
}

/* The input up to its first NUL, NUL-terminated; the caller frees. */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Where the parsers' "file:line: expected ..." messages go: nowhere. */
static inline FILE *fuzz_null(void)
{
	static FILE *f;

	if (!f)
		f = fopen("/dev/null", "w");
	if (!f)
		abort();
	return f;
}

#endif
