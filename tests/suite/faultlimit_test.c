// SPDX-License-Identifier: GPL-2.0-only
/*
 * faultlimit: the kernel's fault-report rate limit, counted from the log.
 * Records are fed as /dev/kmsg gives them; "seen" is when they were read,
 * on the jiffies clock. The last test runs the kernel's own rule
 * (lib/ratelimit.c, fixed windows in jiffies) against the wait this asks
 * for, and no report of ours may be dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "suite/faultlimit.h"

#define EDU "0000:00:06.0"
#define STATUS "DMAR: DRHD: handling fault status reg 2"
#define OURS "DMAR: [DMA Read NO_PASID] Request device [00:06.0] fault addr 0x101000 [fault reason 0x06] PTE Read access is not set"
#define THEIRS "DMAR: [DMA Write NO_PASID] Request device [00:04.0] fault addr 0x12e000 [fault reason 0x05] PTE Write access is not set"
#define SPAN FAULTLIMIT_SPAN_S

/* Waits are computed, not measured: equal to a microsecond. */
#define EXPECT_SECONDS(want, got) do {						\
	double w_ = (want), g_ = (got);						\
	EXPECT_TRUE(w_ - g_ < 1e-6 && g_ - w_ < 1e-6)				\
		TH_LOG("wanted %.6f s, got %.6f s", w_, g_);			\
} while (0)

struct feeder {
	uint64_t seq;
};

static void feed(struct faultlimit *l, struct feeder *f, double ts, const char *text)
{
	/* read the moment it was printed */
	faultlimit_record(l, f->seq++, text, strlen(text), ts);
}

/* One blocked copy on VT-d: one handler call with one record, 3 calls. */
static void vtd_fault(struct faultlimit *l, struct feeder *f, double ts, const char *rec)
{
	feed(l, f, ts, STATUS);
	feed(l, f, ts, rec);
}

TEST(vtd_three_faults_fill_the_window_a_fourth_waits_for_the_first_to_age_out)
{
	struct faultlimit l;
	struct feeder f = { 0 };

	faultlimit_init(&l, FAULTLIMIT_VTD, EDU);
	feed(&l, &f, 90.0, "Linux version 6.12");
	EXPECT_EQ(0, faultlimit_wait_s(&l, 100.0));
	vtd_fault(&l, &f, 100.0, OURS);
	vtd_fault(&l, &f, 100.5, OURS);
	/* 6 of 10 used: the next report (status + record) fits */
	EXPECT_EQ(0, faultlimit_wait_s(&l, 100.6));
	EXPECT_EQ(6, faultlimit_in_window(&l, 100.6));
	vtd_fault(&l, &f, 101.0, OURS);
	/* 9 used, a report needs 2: wait until the first fault's calls leave */
	EXPECT_EQ(9, faultlimit_in_window(&l, 101.1));
	EXPECT_SECONDS(100.0 + SPAN - 101.1, faultlimit_wait_s(&l, 101.1));
	EXPECT_EQ(0, faultlimit_wait_s(&l, 100.0 + SPAN + 0.001));
	vtd_fault(&l, &f, 105.3, OURS);
	/* the second fault's three, the third's and this one's: 9 again */
	EXPECT_SECONDS(100.5 + SPAN - 105.4, faultlimit_wait_s(&l, 105.4));
	EXPECT_EQ(0, l.alarms);
}

TEST(vtd_status_without_pending_fault_costs_one_call)
{
	struct faultlimit l;
	struct feeder f = { 0 };

	faultlimit_init(&l, FAULTLIMIT_VTD, EDU);
	feed(&l, &f, 10.0, "DMAR: DRHD: handling fault status reg 1");
	EXPECT_EQ(1, faultlimit_in_window(&l, 10.0));
	feed(&l, &f, 10.0, "DMAR: DRHD: handling fault status reg 3");
	EXPECT_EQ(3, faultlimit_in_window(&l, 10.0));
	/* not the fault handler's lines: no calls */
	feed(&l, &f, 10.0, "DMAR: Dump dmar0 table entries for IOVA 0x101000");
	feed(&l, &f, 10.0, "DMAR: dmar0: Using Queued invalidation");
	EXPECT_EQ(3, faultlimit_in_window(&l, 10.0));
}

TEST(vtd_one_state_for_every_device_and_other_devices_raise_an_alarm)
{
	struct faultlimit l;
	struct feeder f = { 0 };

	faultlimit_init(&l, FAULTLIMIT_VTD, EDU);
	vtd_fault(&l, &f, 1.0, OURS);
	EXPECT_EQ(0, l.alarms);
	vtd_fault(&l, &f, 1.0, THEIRS);
	EXPECT_EQ(1, l.alarms);
	EXPECT_EQ(6, faultlimit_in_window(&l, 1.0));
	feed(&l, &f, 1.0, "DMAR: [INTR-REMAP] Request device [f0:1f.0] fault index 0x0 [fault reason 0x25] Blocked a compatibility format interrupt request");
	EXPECT_EQ(7, faultlimit_in_window(&l, 1.0));
	EXPECT_EQ(2, l.alarms);
}

TEST(a_burst_over_the_limit_and_callbacks_suppressed_raise_alarms)
{
	struct faultlimit l;
	struct feeder f = { 0 };

	faultlimit_init(&l, FAULTLIMIT_VTD, EDU);
	for (int i = 0; i < 3; i++)
		vtd_fault(&l, &f, 1.0 + i * 0.1, OURS);
	EXPECT_EQ(0, l.alarms);
	vtd_fault(&l, &f, 1.4, OURS);	/* calls 10..12: 11 and 12 were dropped */
	EXPECT_EQ(2, l.alarms);
	feed(&l, &f, 7.0, "dmar_fault: 2 callbacks suppressed");
	EXPECT_EQ(2, l.suppressed);
	EXPECT_EQ(3, l.alarms);
	/* another reporter's suppression is not ours */
	feed(&l, &f, 7.0, "nvme_handle_cqe: 5 callbacks suppressed");
	EXPECT_EQ(2, l.suppressed);
	EXPECT_EQ(3, l.alarms);
}

TEST(lost_records_mean_wait_a_whole_interval)
{
	struct faultlimit l;
	struct feeder f = { 0 };

	faultlimit_init(&l, FAULTLIMIT_VTD, EDU);
	feed(&l, &f, 20.0, "usb 1-1: new device");
	EXPECT_EQ(0, faultlimit_wait_s(&l, 20.0));
	f.seq += 7;	/* overwritten before they were read */
	feed(&l, &f, 21.0, "usb 1-1: gone");
	EXPECT_EQ(1, l.alarms);
	EXPECT_SECONDS(SPAN - 0.5, faultlimit_wait_s(&l, 21.5));
	EXPECT_EQ(0, faultlimit_wait_s(&l, 21.0 + SPAN));
}

TEST(a_log_that_does_not_start_at_the_first_record_is_in_doubt_from_its_start)
{
	struct faultlimit l;
	struct feeder f = { .seq = 5000 };

	faultlimit_init(&l, FAULTLIMIT_VTD, EDU);
	feed(&l, &f, 30.0, "oldest record the buffer still holds");
	feed(&l, &f, 31.0, "newer");
	EXPECT_EQ(0, l.alarms);
	EXPECT_SECONDS(30.0 + SPAN - 31.0, faultlimit_wait_s(&l, 31.0));
	/* an old start is no doubt at all */
	EXPECT_EQ(0, faultlimit_wait_s(&l, 36.0));
}

TEST(records_already_counted_are_skipped_and_history_counts_as_now)
{
	struct faultlimit l;
	struct feeder f = { 0 };

	faultlimit_init(&l, FAULTLIMIT_VTD, EDU);
	/* Three faults printed long ago, but read only now, at 200: their
	 * age is unknown, so they count as if printed at 200. */
	vtd_fault(&l, &f, 200.0, OURS);
	vtd_fault(&l, &f, 200.0, OURS);
	vtd_fault(&l, &f, 200.0, OURS);
	EXPECT_SECONDS(SPAN, faultlimit_wait_s(&l, 200.0));
	/* A second pass over the log (the next test reads it from its start)
	 * counts nothing twice. */
	for (uint64_t seq = 0; seq < f.seq; seq++)
		faultlimit_record(&l, seq, seq % 2 ? OURS : STATUS, strlen(seq % 2 ? OURS : STATUS), 203.0);
	EXPECT_EQ(9, l.calls);
	EXPECT_EQ(0, l.alarms);
	EXPECT_EQ(0, faultlimit_wait_s(&l, 200.0 + SPAN));
}

TEST(amdvi_counts_only_its_own_device)
{
	static const char ours[] = "vfio-pci 0000:00:06.0: Event logged [IO_PAGE_FAULT domain=0x0002 address=0x101000 flags=0x0000]";
	static const char theirs[] = "vfio-pci 0000:00:04.0: Event logged [IO_PAGE_FAULT domain=0x0003 address=0x12e000 flags=0x0020]";
	struct faultlimit l;
	struct feeder f = { 0 };

	faultlimit_init(&l, FAULTLIMIT_AMDVI, EDU);
	for (int i = 0; i < 20; i++)
		feed(&l, &f, 1.0, theirs);
	EXPECT_EQ(0, faultlimit_in_window(&l, 1.0));
	EXPECT_EQ(0, l.alarms);
	for (int i = 0; i < 9; i++)
		feed(&l, &f, 1.0 + i * 0.1, ours);
	/* one call per event: the tenth still fits */
	EXPECT_EQ(0, faultlimit_wait_s(&l, 2.0));
	feed(&l, &f, 2.0, ours);
	EXPECT_SECONDS(1.0 + SPAN - 2.0, faultlimit_wait_s(&l, 2.0));
	feed(&l, &f, 7.0, "amd_iommu_report_page_fault: 4 callbacks suppressed");
	EXPECT_EQ(4, l.suppressed);
}

TEST(unmodelled_reporters_wait_a_whole_interval)
{
	struct faultlimit l;

	faultlimit_init(&l, FAULTLIMIT_UNMODELLED, EDU);
	EXPECT_SECONDS(SPAN, faultlimit_wait_s(&l, 1.0));
	faultlimit_init(&l, FAULTLIMIT_VTD, EDU);
	EXPECT_EQ(0, faultlimit_wait_s(&l, 1.0));
	/* a log it cannot read: unmodelled from then on */
	EXPECT_EQ(-ENOENT, faultlimit_read(&l, "/nonexistent/kmsg"));
	EXPECT_SECONDS(SPAN, faultlimit_wait_s(&l, 1.0));
}

static int put(int fd, const char *s)
{
	return write(fd, s, strlen(s)) == (ssize_t)strlen(s) ? 0 : -1;
}

/* A regular file stands in for /dev/kmsg: read from its first record. */
TEST(reads_the_log_from_its_oldest_record_each_time_counting_only_the_new)
{
	char path[] = "/tmp/snoop-faultlimit-XXXXXX";
	struct faultlimit l;
	int fd = mkstemp(path);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, put(fd, "6,0,1000000,-;Linux version 6.12\n"
			     "3,1,2000000,-;" STATUS "\n"
			     "3,2,2000100,-;" OURS "\n SUBSYSTEM=pci\n DEVICE=+pci:0000:00:06.0\n"));
	faultlimit_init(&l, FAULTLIMIT_VTD, EDU);
	ASSERT_EQ(0, faultlimit_read(&l, path));
	EXPECT_EQ(3, l.calls);
	EXPECT_EQ(3, l.next_seq);
	ASSERT_EQ(0, put(fd, "3,3,3000000,-;" STATUS "\n3,4,3000100,-;" THEIRS "\n"));
	ASSERT_EQ(0, faultlimit_read(&l, path));
	EXPECT_EQ(6, l.calls);
	EXPECT_EQ(1, l.alarms);
	EXPECT_EQ(0, faultlimit_read(&l, path));
	EXPECT_EQ(6, l.calls);
	/* the kernel's clock moves, in whole ticks of USER_HZ */
	EXPECT_LT(0, faultlimit_now());
	close(fd);
	unlink(path);
}

/*
 * The kernel's rule, as lib/ratelimit.c ___ratelimit() applies it to
 * dmar_fault()'s one state: a window of 5 * HZ jiffies opens at the first
 * call after the last one closed ("jiffies > begin + interval"), at most
 * 10 calls in it get through.
 */
struct kernel_rs {
	long hz;
	double jiffy_skew;	/* where jiffies steps fall against times()'s */
	long begin, printed, missed;
	bool started;
};

static bool kernel_ratelimit(struct kernel_rs *rs, double t, bool *released)
{
	long j = (long)((t + rs->jiffy_skew) * (double)rs->hz);	/* t > 0: floor */

	*released = false;
	if (!rs->started) {
		rs->started = true;
		rs->begin = j;
	}
	if (j > rs->begin + 5 * rs->hz) {
		*released = rs->missed > 0;
		rs->missed = 0;
		rs->begin = j;
		rs->printed = 0;
	}
	if (rs->printed < 10) {
		rs->printed++;
		return true;
	}
	rs->missed++;
	return false;
}

static uint64_t xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

/*
 * One call at true time t: through the kernel's rule, and what it printed
 * to the model, read 2 ms later on a times() clock (10 ms steps).
 */
static bool call(struct kernel_rs *rs, struct faultlimit *l, struct feeder *f,
		 double t, const char *line)
{
	bool released, ok = kernel_ratelimit(rs, t, &released);
	double seen = (double)(long)((t + 0.002) * 100) / 100;

	if (released)
		faultlimit_record(l, f->seq++, "dmar_fault: 1 callbacks suppressed", 34, seen);
	if (ok && line)
		faultlimit_record(l, f->seq++, line, strlen(line), seen);
	return ok;
}

TEST(the_wait_it_asks_for_never_lets_the_kernel_drop_our_report)
{
	static const long hzs[] = { 100, 250, 300, 1000 };
	uint64_t x = 0x9e3779b97f4a7c15ull;

	for (size_t h = 0; h < sizeof(hzs) / sizeof(hzs[0]); h++) {
		struct kernel_rs rs = { .hz = hzs[h] };
		struct faultlimit l;
		struct feeder f = { 0 };
		double t = 50.0, waited = 0;
		int dropped = 0, copies = 0;

		/* jiffies and times() both count the one jiffies_64, in steps
		 * that need not line up */
		rs.jiffy_skew = (double)(xorshift(&x) % 9) / 1000.0;
		faultlimit_init(&l, FAULTLIMIT_VTD, EDU);
		for (int i = 0; i < 300; i++) {
			/* like the NVMe: one to five handler calls per copy */
			int handlers = 1 + (int)(xorshift(&x) % 5);
			double w = faultlimit_wait_s(&l, (double)(long)(t * 100) / 100);

			/* the suite sleeps, then asks again */
			while (w > 0) {
				w = w < 0.01 ? 0.01 : w;	/* a nap is a tick at least */
				t += w;
				waited += w;
				w = faultlimit_wait_s(&l, (double)(long)(t * 100) / 100);
			}
			copies++;
			for (int k = 0; k < handlers; k++) {
				double th = t + k * 0.003;
				bool st = call(&rs, &l, &f, th, STATUS);
				bool rec = call(&rs, &l, &f, th, OURS);

				call(&rs, &l, &f, th, NULL);	/* the walk's end */
				if (k == 0 && !(st && rec))
					dropped++;
			}
			/* the rest of the test, 0 to 2 s */
			t += (double)(xorshift(&x) % 2000) / 1000.0;
		}
		EXPECT_EQ(0, dropped) TH_LOG("HZ=%ld: %d of %d first reports dropped",
					     hzs[h], dropped, copies);
		/* and it waits well under a whole interval before each copy, though
		 * a copy costs 9 of the 10 calls on average */
		TH_LOG("HZ=%ld: %d copies, %.0f s waited", hzs[h], copies, waited);
		EXPECT_LT(waited, copies * SPAN * 0.6);
	}
}

TEST_HARNESS_MAIN
