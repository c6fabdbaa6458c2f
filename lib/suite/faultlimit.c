// SPDX-License-Identifier: GPL-2.0-only
#include "suite/faultlimit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/times.h>
#include <unistd.h>

#include "suite/kmsg.h"
#include "suite/target.h"

#define DMA_FSTS_PPF 0x2	/* drivers/iommu/intel/iommu.h: Primary Pending Fault */

void faultlimit_init(struct faultlimit *l, enum faultlimit_kind kind, const char *bdf)
{
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	snprintf(l->bdf, sizeof(l->bdf), "%s", bdf ? bdf : "");
}

double faultlimit_now(void)
{
	struct tms t;
	/* times() returns jiffies_64_to_clock_t(get_jiffies_64()): jiffies in
	 * USER_HZ (kernel/sys.c). */
	clock_t ticks = times(&t);
	long hz = sysconf(_SC_CLK_TCK);

	return (double)ticks / (double)(hz > 0 ? hz : 100);
}

/*
 * Calls that must get through for one fault of ours to be reported:
 * VT-d, the handler's status call and its first record's; AMD-Vi, the
 * event's own.
 */
static size_t need(const struct faultlimit *l)
{
	return l->kind == FAULTLIMIT_VTD ? 2 : 1;
}

/* The k-th most recent call (1: the latest); k <= min(calls, BURST). */
static double recent(const struct faultlimit *l, size_t k)
{
	return l->call[(l->calls - k) % FAULTLIMIT_BURST];
}

static size_t held(const struct faultlimit *l)
{
	return l->calls < FAULTLIMIT_BURST ? l->calls : FAULTLIMIT_BURST;
}

/* One __ratelimit() call of the reporter, read at time t. */
static void push(struct faultlimit *l, double t)
{
	if (l->calls && t < recent(l, 1))
		t = recent(l, 1);	/* keep the ring in order */
	/* The burst-th call before this one within one span: this one may
	 * have been dropped, and a report with it. */
	if (l->calls >= FAULTLIMIT_BURST && recent(l, FAULTLIMIT_BURST) > t - FAULTLIMIT_SPAN_S)
		l->alarms++;
	l->call[l->calls % FAULTLIMIT_BURST] = t;
	l->calls++;
}

static bool starts(const char *text, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	return len >= n && !memcmp(text, prefix, n);
}

/* strstr bounded by len; the record text is not NUL-terminated. */
static bool has(const char *text, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (!memcmp(text + i, needle, n))
			return true;
	return false;
}

/* "FUNC: N callbacks suppressed" from ___ratelimit(), for our reporter. */
static bool suppressed_line(const struct faultlimit *l, const char *text, size_t len,
			    unsigned long *n)
{
	const char *func = l->kind == FAULTLIMIT_VTD ? "dmar_fault: " : "amd_iommu_report_";
	const char *colon;

	if (!starts(text, len, func) || !has(text, len, " callbacks suppressed"))
		return false;
	colon = memchr(text, ':', len);
	*n = colon ? strtoul(colon + 1, NULL, 10) : 0;
	return true;
}

static void vtd_record(struct faultlimit *l, double t, const char *text, size_t len)
{
	static const char status[] = "DMAR: DRHD: handling fault status reg ";
	static const char *const records[] = {
		"DMAR: [DMA Read", "DMAR: [DMA Write", "DMAR: [INTR-REMAP",
	};
	char dev[BDF_LEN + 2], hex[17];

	if (starts(text, len, status)) {
		size_t n = len - (sizeof(status) - 1);

		if (n >= sizeof(hex))
			n = sizeof(hex) - 1;
		memcpy(hex, text + sizeof(status) - 1, n);
		hex[n] = '\0';
		push(l, t);
		/* The record walk's last pass, which finds none and prints nothing. */
		if (strtoul(hex, NULL, 16) & DMA_FSTS_PPF)
			push(l, t);
		return;
	}
	for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
		if (!starts(text, len, records[i]))
			continue;
		push(l, t);
		/* Another device's report shares the state: it may crowd ours out
		 * (and a handler running on another CPU at the same moment makes
		 * ours fail the trylock in ___ratelimit(), uncounted). */
		dev[0] = '[';
		target_short_bdf(l->bdf, dev + 1, sizeof(dev) - 2);
		strcat(dev, "]");
		if (!has(text, len, dev))
			l->alarms++;
		return;
	}
}

static void amdvi_record(struct faultlimit *l, double t, const char *text, size_t len)
{
	if (l->bdf[0] && has(text, len, l->bdf) && has(text, len, "Event logged ["))
		push(l, t);
}

void faultlimit_record(struct faultlimit *l, uint64_t seq, const char *text,
		       size_t len, double seen)
{
	unsigned long n;

	if (l->have_seq && seq < l->next_seq)
		return;	/* counted already */
	/*
	 * A gap in the sequence (the oldest record held is not the first the
	 * kernel printed, or records were overwritten before they were read):
	 * what was lost may have used the burst, as late as now.
	 */
	if (l->have_seq ? seq != l->next_seq : seq != 0) {
		if (seen + FAULTLIMIT_SPAN_S > l->doubt_until)
			l->doubt_until = seen + FAULTLIMIT_SPAN_S;
		if (l->have_seq)
			l->alarms++;
	}
	l->have_seq = true;
	l->next_seq = seq + 1;

	if (l->kind == FAULTLIMIT_UNMODELLED)
		return;
	if (suppressed_line(l, text, len, &n)) {
		l->suppressed += n;
		l->alarms++;
		return;
	}
	if (l->kind == FAULTLIMIT_VTD)
		vtd_record(l, seen, text, len);
	else
		amdvi_record(l, seen, text, len);
}

double faultlimit_wait_s(const struct faultlimit *l, double now)
{
	size_t room = FAULTLIMIT_BURST - need(l);
	double until = l->doubt_until;

	if (l->kind == FAULTLIMIT_UNMODELLED)
		return FAULTLIMIT_SPAN_S;
	/* More than room calls in the span: wait until the oldest of the
	 * latest room + 1 has left it. */
	if (held(l) > room && recent(l, room + 1) + FAULTLIMIT_SPAN_S > until)
		until = recent(l, room + 1) + FAULTLIMIT_SPAN_S;
	return until > now ? until - now : 0;
}

int faultlimit_in_window(const struct faultlimit *l, double now)
{
	int n = 0;

	for (size_t k = 1; k <= held(l); k++)
		n += recent(l, k) > now - FAULTLIMIT_SPAN_S;
	return n;
}

static int feed(void *ctx, const char *rec, size_t len)
{
	struct faultlimit *l = ctx;
	struct kmsg_record r;

	if (!kmsg_record_parse(rec, len, &r))
		faultlimit_record(l, r.seq, r.text, r.len, faultlimit_now());
	return 0;
}

int faultlimit_read(struct faultlimit *l, const char *path)
{
	int fd = kmsg_open_fd(path, true), ret;

	if (fd < 0) {
		l->kind = FAULTLIMIT_UNMODELLED;
		return fd;
	}
	ret = kmsg_read_each(fd, feed, l);
	close(fd);
	return ret;
}
