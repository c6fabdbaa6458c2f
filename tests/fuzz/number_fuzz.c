// SPDX-License-Identifier: GPL-2.0-only
/*
 * Numbers as people write them (base/number.h): every reader of the form
 * must read the same value, or refuse it the same way. number_parse_u64
 * is the reference; number_scan_u64, scratch_parse's START and COUNT,
 * kmsg_fault_addr's hex (a fault address is a number too) and the offset
 * fio_parse_stderr reads from a verify failure must agree with it, and
 * scratch_format's text must read back as the range it came from.
 */
#include <errno.h>

#include "fuzz.h"
#include "base/number.h"
#include "base/scratch.h"
#include "suite/kmsg.h"
#include "workload/fio.h"

/* s followed by suffix, or suffix followed by s, malloc'd. */
static char *join(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	char *s = malloc(la + lb + 1);

	if (!s)
		abort();
	memcpy(s, a, la);
	memcpy(s + la, b, lb + 1);
	return s;
}

static void scratch_roundtrip(const struct scratch_range *r)
{
	struct scratch_range back;
	char text[64], again[64], why[160];

	scratch_format(r, text, sizeof(text));
	FUZZ_CHECK(!scratch_parse(text, &back, why, sizeof(why)),
		   "scratch_format wrote '%s', which scratch_parse refuses: %s", text, why);
	FUZZ_CHECK(back.start == r->start && back.count == r->count,
		   "'%s' reads back as %llu+%llu", text,
		   (unsigned long long)back.start, (unsigned long long)back.count);
	scratch_format(&back, again, sizeof(again));
	FUZZ_CHECK(!strcmp(text, again), "scratch_format not stable: '%s' then '%s'", text, again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), *t, why[160];
	struct scratch_range r;
	const char *end;
	uint64_t v, w;
	int ret = number_parse_u64(s, &v), sret;

	FUZZ_CHECK(ret == 0 || ret == -EINVAL || ret == -ERANGE, "number_parse_u64 returned %d", ret);

	/* The scanner reads the whole of s exactly when the parser accepts it. */
	sret = number_scan_u64(s, &w, &end);
	if (!ret)
		FUZZ_CHECK(!sret && w == v && !*end, "scan and parse disagree on '%s'", s);
	else if (!sret)
		FUZZ_CHECK(*end && ret == -EINVAL, "scan read all of '%s' that parse refused", s);
	if (!sret)
		FUZZ_CHECK(end > s && end <= s + strlen(s), "scan's end outside '%s'", s);

	/* START of a scratch range: s+1. */
	t = join(s, "+1");
	sret = scratch_parse(t, &r, why, sizeof(why));
	if (!ret && v < UINT64_MAX)
		FUZZ_CHECK(!sret && r.start == v && r.count == 1, "START '%s' not read as %llu", s,
			   (unsigned long long)v);
	else if (ret && !strchr(s, '+'))
		FUZZ_CHECK(sret, "START '%s' refused by number_parse_u64 but read by scratch_parse", s);
	free(t);

	/* COUNT of a scratch range: 0+s. */
	t = join("0+", s);
	sret = scratch_parse(t, &r, why, sizeof(why));
	if (!ret && v)
		FUZZ_CHECK(!sret && r.start == 0 && r.count == v, "COUNT '%s' not read as %llu", s,
			   (unsigned long long)v);
	else
		FUZZ_CHECK(sret, "COUNT '%s' read by scratch_parse, refused by number_parse_u64", s);
	free(t);

	/* Whatever scratch_parse accepts, its writer writes back the same. */
	if (!scratch_parse(s, &r, why, sizeof(why)))
		scratch_roundtrip(&r);

	/* A fault address: "fault addr 0x" then hex digits up to a delimiter. */
	if (!strstr(s, "address=0x") && !strstr(s, "fault addr 0x")) {
		uint64_t addr;
		int kret;

		t = join("fault addr 0x", s);
		kret = kmsg_fault_addr(t, &addr);
		sret = number_scan_u64(t + strlen("fault addr "), &w, &end);
		if (!sret)
			FUZZ_CHECK(!kret && addr == w, "fault addr in '%s': kmsg reads %d/%llx, number_scan_u64 %llx",
				   t, kret, (unsigned long long)addr, (unsigned long long)w);
		else
			FUZZ_CHECK(kret, "fault addr in '%s' read by kmsg (%llx), refused by number_scan_u64",
				   t, (unsigned long long)addr);
		free(t);
	}
	/* fio's "... at file F offset N, length L": what it reads as N, we read as N. */
	if (!strpbrk(s, ",\n") && !strstr(s, "offset")) {
		struct fio_result fr = { 0 };

		t = join("verify: bad magic at file f offset ", s);
		free(s);
		s = join(t, ", length 4096\n");
		FUZZ_CHECK(!fio_parse_stderr(s, &fr), "fio_parse_stderr failed");
		if (fr.n_bad) {
			ret = number_parse_u64(t + strlen("verify: bad magic at file f offset "), &v);
			FUZZ_CHECK(fr.n_bad == 1 && !ret && fr.bad[0].offset == v && fr.bad[0].length == 4096,
				   "fio_parse_stderr read '%s' as offset %llu, number_parse_u64 %s",
				   s, (unsigned long long)fr.bad[0].offset, ret ? "refuses it" : "differs");
		}
		fio_result_free(&fr);
		free(t);
	}
	free(s);
	return 0;
}
