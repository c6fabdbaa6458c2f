// SPDX-License-Identifier: GPL-2.0-only
/*
 * dma: what the device does with the IOMMU in between, through every
 * attach path. A user-space DMA engine (lib/drivers/) makes the device
 * read a source buffer and write a destination buffer by DMA:
 *   - mapped: the data lands exactly where it was mapped, nothing around
 *     it changes, the source is left alone;
 *   - source or destination unmapped first: the data must not move, and
 *     the IOMMU must report a fault naming the device in the kernel log
 *     (an error from the device is recorded too, where it can see one).
 *     A copy that "succeeds" with no fault is the failure this exists for.
 * The kernel rate-limits fault reports (lib/suite/faultlimit.h): before
 * each copy the suite waits, only as long as needed, for a fault's report
 * to get through, so "no report" means "no fault"; a report that may
 * still have been dropped (other devices' reports crowding the kernel's
 * window) is said so, and never passes.
 * Every result carries bytes, time, faults and the time spent waiting on
 * the rate limit as "# evidence:" lines.
 *
 * usage: dma [BDF] [harness options]   (or SNOOPCHECK_DEVICE=BDF)
 * SNOOPCHECK_SCRATCH_NSID=N and SNOOPCHECK_SCRATCH_LBA=START+COUNT name the
 * blocks a storage device may use (the lab config's scratch_nsid and
 * scratch_lba; the runner sets them); SNOOPCHECK_DMA_TIMEOUT_MS
 * bounds every wait (default 10000: emulated devices are slow).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "vfio/dma.h"
#include "drivers/engine.h"
#include "vfio/iova.h"
#include "suite/devready.h"
#include "suite/faultlimit.h"
#include "suite/klog.h"
#include "suite/kmsg.h"
#include "base/clock.h"
#include "base/scratch.h"
#include "suite/suite.h"

#define CANARY_SRC	0x5a
#define CANARY_DST	0xa5
#define LAND_OFFSET	64	/* copies start off a page boundary, on purpose */
#define MAX_XFER	(16 * 1024)
#define FAULT_WAIT_MS	5000	/* the fault is reported from an interrupt */
/* Longest wait for room in the rate limit's window: a burst of other
 * devices' faults may hold it full; then go on and say so. */
#define RATELIMIT_MAX_WAIT_S (4 * FAULTLIMIT_SPAN_S)
#define QUIET_WAIT_MS	500
#define MAX_FAULTS	8

static char device_bdf[32];
static char device_short[16];
static char no_device[256];

FIXTURE(dma) {
	struct attach a;
	bool attached;
	struct iova_space iova;
	struct dma_engine e;
	bool engine_up;
	struct scratch_range scratch;
	struct dma_buf src, dst;
	uint8_t *pattern;	/* what src holds at [off, off + xfer) */
	size_t xfer;		/* bytes per copy */
	size_t off;		/* where in each buffer a copy starts */
	struct kmsg_cursor log;
};

FIXTURE_VARIANT(dma) {
	enum attach_path path;
};

ATTACH_PATH_VARIANTS(dma);

static int env_int(const char *name, int def)
{
	const char *v = getenv(name);

	return v && *v ? atoi(v) : def;
}

/* Whose rate limit our fault reports go through: the unit's kind. */
static enum faultlimit_kind fault_reporter(const char *bdf)
{
	struct iommu_unit u;

	if (devready_unit(bdf, &u))
		return FAULTLIMIT_UNMODELLED;
	switch (u.kind) {
	case IOMMU_KIND_INTEL_VTD:
		return FAULTLIMIT_VTD;
	case IOMMU_KIND_AMD_VI:
		return FAULTLIMIT_AMDVI;
	default:
		return FAULTLIMIT_UNMODELLED;
	}
}

FIXTURE_SETUP(dma)
{
	const struct dma_engine_ops *ops;
	struct pci_ident id;
	const char *env;
	char why[512];
	size_t ps = (size_t)sysconf(_SC_PAGESIZE);
	int ret;

	self->log.fd = -1;
	if (!device_bdf[0])
		SKIP(return, "%s", no_device);
	if (target_check_vfio(device_bdf, why, sizeof(why)))
		SKIP(return, "%s", why);
	ret = kmsg_open(&self->log, NULL);
	if (ret)
		SKIP(return, "cannot read /dev/kmsg (%s): IOMMU faults would go unseen; run as root",
		     strerror(-ret));

	ret = attach_open(&self->a, device_bdf, variant->path);
	if (ret == -EOPNOTSUPP)
		SKIP(return, "%s: %s", attach_path_name(variant->path), self->a.reason);
	ASSERT_EQ(0, ret) TH_LOG("attach %s through %s: %s", device_bdf,
				 attach_path_name(variant->path), self->a.reason);
	self->attached = true;

	ASSERT_EQ(0, engine_read_ident(self->a.device_fd, &id));
	ops = engine_find(&id);
	if (!ops) {
		attach_close(&self->a);
		SKIP(return, "no DMA engine for %04x:%04x class %06x (lib/drivers/ has edu and nvme)",
		     id.vendor, id.device, id.class_code);
	}
	env = getenv("SNOOPCHECK_SCRATCH_LBA");
	if (env) {
		ASSERT_EQ(0, scratch_parse(env, &self->scratch, why, sizeof(why)))
			TH_LOG("SNOOPCHECK_SCRATCH_LBA: %s", why);
		self->e.scratch = &self->scratch;
	}
	self->e.nsid = (uint32_t)env_int("SNOOPCHECK_SCRATCH_NSID", 1);
	self->e.timeout_ms = env_int("SNOOPCHECK_DMA_TIMEOUT_MS", 10000);
	ret = engine_init(&self->e, ops, &self->a, &self->iova);
	if (ret == -EINVAL && !self->e.scratch) {
		attach_close(&self->a);
		SKIP(return, "%s (the runner sets SNOOPCHECK_SCRATCH_LBA from it)", self->e.reason);
	}
	ASSERT_EQ(0, ret) TH_LOG("%s", self->e.reason);
	self->engine_up = true;

	self->xfer = self->e.max_memcpy_size < MAX_XFER ? self->e.max_memcpy_size : MAX_XFER;
	self->off = ps + LAND_OFFSET;
	ASSERT_EQ(0, dma_buf_alloc(&self->src, self->off + self->xfer + ps));
	ASSERT_EQ(0, dma_buf_alloc(&self->dst, self->off + self->xfer + ps));
	self->pattern = malloc(self->xfer);
	ASSERT_NE(NULL, self->pattern);
}

FIXTURE_TEARDOWN(dma)
{
	/* Quiesce the device before its memory goes away. */
	if (self->engine_up)
		EXPECT_EQ(0, engine_remove(&self->e))
			TH_LOG("restore-failed: %s", self->e.reason);
	dma_buf_free(&self->src, &self->a);
	dma_buf_free(&self->dst, &self->a);
	if (self->attached)
		attach_close(&self->a);
	kmsg_close(&self->log);
	free(self->pattern);
}

/* A fresh random pattern per run: stale data from an earlier run cannot pass. */
static void fill(FIXTURE_DATA(dma) *self)
{
	uint64_t x = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32) ^ (uintptr_t)self;

	for (size_t i = 0; i < self->xfer; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		self->pattern[i] = (uint8_t)x;
	}
	memset(self->src.va, CANARY_SRC, self->src.size);
	memcpy(self->src.va + self->off, self->pattern, self->xfer);
	memset(self->dst.va, CANARY_DST, self->dst.size);
}

/* First offset in [from, to) of b that is not c, or -1. */
static long first_not(const uint8_t *b, size_t from, size_t to, uint8_t c)
{
	for (size_t i = from; i < to; i++)
		if (b[i] != c)
			return (long)i;
	return -1;
}

/* 8-byte words of the copy window that hold the pattern. */
static size_t leaked_words(FIXTURE_DATA(dma) *self)
{
	size_t n = 0;

	for (size_t i = 0; i + 8 <= self->xfer; i += 8)
		n += !memcmp(self->dst.va + self->off + i, self->pattern + i, 8);
	return n;
}

/* The copy of the test window, src to dst; *ns: how long it took. */
static int timed_copy(FIXTURE_DATA(dma) *self, long *ns)
{
	double t0 = monotonic_s();
	int ret = engine_memcpy(&self->e, self->src.iova + self->off,
				self->dst.iova + self->off, self->xfer);

	*ns = (long)((monotonic_s() - t0) * 1e9);
	return ret;
}

struct faults {
	size_t n;		/* fault lines naming the device */
	uint64_t addr[MAX_FAULTS];
	size_t n_addr;
};

/* Fault lines for our device in what the log cursor collected. */
static void count_faults(struct kmsg_cursor *log, struct faults *f)
{
	struct klog_findings k = { 0 };

	memset(f, 0, sizeof(*f));
	if (!log->text || klog_scan(log->text, &k))
		return;
	for (size_t i = 0; i < k.n; i++) {
		if (k.v[i].kind != KLOG_IOMMU_FAULT || !strstr(k.v[i].line, device_short))
			continue;
		f->n++;
		if (f->n_addr < MAX_FAULTS && !kmsg_fault_addr(k.v[i].line, &f->addr[f->n_addr]))
			f->n_addr++;
	}
	klog_findings_free(&k);
}

static bool fault_in(const struct faults *f, const struct dma_buf *b)
{
	for (size_t i = 0; i < f->n_addr; i++)
		if (f->addr[i] >= b->iova && f->addr[i] - b->iova < b->size)
			return true;
	return false;
}

/*
 * The kernel's count of fault reports (lib/suite/faultlimit.h), kept in
 * memory shared by every test: the harness forks each one, and the count
 * runs across them. Set up in main().
 */
static struct faultlimit *limit;

/*
 * Room for a fault report: before a copy, wait until the kernel would
 * print a fault the copy causes; after it, say whether a report may have
 * been dropped all the same.
 */
struct report_room {
	double waited_s;		/* slept for room before the copy */
	int calls_before;		/* the window's calls when the copy went */
	bool gave_up;			/* went on with the window still full */
	unsigned long alarms;
};

/* At least one tick of the clock faultlimit_now() reads (USER_HZ, 10 ms). */
static void nap(double s)
{
	struct timespec ts;

	if (s < 0.01)
		s = 0.01;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);

	nanosleep(&ts, NULL);
}

static void room_wait(struct report_room *r)
{
	double start = faultlimit_now(), now, w;

	memset(r, 0, sizeof(*r));
	/* Unreadable: the limit is then unmodelled, and waits a whole span. */
	(void)faultlimit_read(limit, NULL);
	/*
	 * Sleep and ask again: what arrives meanwhile counts too, and the
	 * kernel's clock (jiffies) need not keep pace with nanosleep's.
	 */
	for (;;) {
		now = faultlimit_now();
		w = limit->kind == FAULTLIMIT_UNMODELLED ?
			start + FAULTLIMIT_SPAN_S - now : faultlimit_wait_s(limit, now);
		if (w <= 0 || now - start >= RATELIMIT_MAX_WAIT_S)
			break;
		nap(w);
		(void)faultlimit_read(limit, NULL);
	}
	r->gave_up = w > 0;
	r->waited_s = now - start;
	r->calls_before = faultlimit_in_window(limit, now);
	r->alarms = limit->alarms;
}

/* After the copy's log was collected: may its report have been dropped? */
static bool room_done(const struct report_room *r)
{
	(void)faultlimit_read(limit, NULL);
	return limit->alarms != r->alarms || r->gave_up;
}

static void room_evidence(struct json_object *ev, const struct report_room *r, bool doubt)
{
	json_object_object_add(ev, "ratelimit_wait_ms",
			       json_object_new_int64((int64_t)(r->waited_s * 1000)));
	json_object_object_add(ev, "ratelimit_calls_before", json_object_new_int(r->calls_before));
	json_object_object_add(ev, "report_may_be_dropped", json_object_new_boolean(doubt));
}

/* Start the log afresh: only what the next DMA causes counts. */
static int log_mark(struct kmsg_cursor *log)
{
	kmsg_close(log);
	return kmsg_open(log, NULL);
}

static struct json_object *evidence(FIXTURE_DATA(dma) *self,
				    const FIXTURE_VARIANT(dma) *variant,
				    const char *test, int ret, long ns,
				    const struct faults *f)
{
	struct json_object *o = json_object_new_object();
	struct json_object *addrs = json_object_new_array();
	char hex[32];

	json_object_object_add(o, "suite", json_object_new_string("dma"));
	json_object_object_add(o, "test", json_object_new_string(test));
	json_object_object_add(o, "device", json_object_new_string(device_bdf));
	json_object_object_add(o, "path", json_object_new_string(attach_path_name(variant->path)));
	json_object_object_add(o, "cc_enforced", json_object_new_int(attach_enforced(&self->a)));
	json_object_object_add(o, "engine", json_object_new_string(self->e.ops->name));
	json_object_object_add(o, "ident", json_object_new_string(self->e.ident));
	snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)(self->src.iova + self->off));
	json_object_object_add(o, "src_iova", json_object_new_string(hex));
	snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)(self->dst.iova + self->off));
	json_object_object_add(o, "dst_iova", json_object_new_string(hex));
	json_object_object_add(o, "bytes", json_object_new_int64((int64_t)self->xfer));
	json_object_object_add(o, "ns", json_object_new_int64(ns));
	json_object_object_add(o, "result", json_object_new_string(ret ? strerror(-ret) : "ok"));
	json_object_object_add(o, "device_status", json_object_new_string(self->e.status));
	json_object_object_add(o, "faults", json_object_new_int64((int64_t)f->n));
	for (size_t i = 0; i < f->n_addr; i++) {
		snprintf(hex, sizeof(hex), "0x%llx", (unsigned long long)f->addr[i]);
		json_object_array_add(addrs, json_object_new_string(hex));
	}
	json_object_object_add(o, "fault_addrs", addrs);
	return o;
}

TEST_F_TIMEOUT(dma, copy_lands_where_mapped, 180)
{
	const char *const needles[] = { device_short, "fault", NULL };
	struct report_room room;
	struct faults f;
	struct json_object *ev;
	long bad, ns;
	bool doubt;
	int ret;

	fill(self);
	ASSERT_EQ(0, dma_buf_map(&self->src, &self->a, &self->iova)) TH_LOG("%s", self->a.reason);
	ASSERT_EQ(0, dma_buf_map(&self->dst, &self->a, &self->iova)) TH_LOG("%s", self->a.reason);
	/* A fault here must be seen too, or "no fault" proves nothing. */
	room_wait(&room);
	ASSERT_EQ(0, log_mark(&self->log));

	ret = timed_copy(self, &ns);
	kmsg_collect(&self->log, needles, QUIET_WAIT_MS);
	count_faults(&self->log, &f);
	doubt = room_done(&room);
	ev = evidence(self, variant, "copy_lands_where_mapped", ret, ns, &f);
	room_evidence(ev, &room, doubt);
	json_object_object_add(ev, "bytes_to_device", json_object_new_int64((int64_t)self->xfer));
	json_object_object_add(ev, "bytes_to_ram", json_object_new_int64((int64_t)self->xfer));
	json_object_object_add(ev, "mib_per_s",
			       json_object_new_double(ns ? 2.0 * (double)self->xfer * 1e9 / (double)ns / 1048576.0 : 0));
	evidence_emit(stdout, ev);

	ASSERT_EQ(0, ret) TH_LOG("copy failed: %s (device status: %s)", self->e.reason, self->e.status);
	EXPECT_EQ(0, memcmp(self->dst.va + self->off, self->pattern, self->xfer))
		TH_LOG("the data did not arrive intact at the mapped destination");
	bad = first_not(self->dst.va, 0, self->off, CANARY_DST);
	EXPECT_EQ(-1, bad) TH_LOG("destination changed at byte %ld, before the copy window", bad);
	bad = first_not(self->dst.va, self->off + self->xfer, self->dst.size, CANARY_DST);
	EXPECT_EQ(-1, bad) TH_LOG("destination changed at byte %ld, after the copy window", bad);
	EXPECT_EQ(0, memcmp(self->src.va + self->off, self->pattern, self->xfer))
		TH_LOG("the device wrote into its source buffer");
	EXPECT_EQ(-1, first_not(self->src.va, 0, self->off, CANARY_SRC));
	EXPECT_EQ(0, f.n) TH_LOG("IOMMU faults for %s during a copy that should be clean", device_bdf);
	if (doubt && !f.n)
		TH_LOG("note: other fault reports crowded the kernel's rate limit during this copy; a fault of %s may have gone unreported",
		       device_bdf);
}

/*
 * Unmap one side, run the copy, and see that the IOMMU stopped it. side
 * is the buffer that loses its mapping; the check on the data differs:
 * an unmapped source must not reach the destination, an unmapped
 * destination must not be written.
 */
static void blocked_copy(struct __test_metadata *_metadata,
			 FIXTURE_DATA(dma) *self,
			 const FIXTURE_VARIANT(dma) *variant,
			 struct dma_buf *side, const char *test)
{
	const char *const needles[] = { device_short, "fault", NULL };
	struct report_room room;
	struct faults f;
	struct json_object *ev;
	bool device_error, landed, doubt;
	size_t leaked = 0;
	long bad = -1, ns;
	int ret;

	fill(self);
	ASSERT_EQ(0, dma_buf_map(&self->src, &self->a, &self->iova)) TH_LOG("%s", self->a.reason);
	ASSERT_EQ(0, dma_buf_map(&self->dst, &self->a, &self->iova)) TH_LOG("%s", self->a.reason);
	ASSERT_EQ(0, dma_buf_unmap(side, &self->a)) TH_LOG("unmap: %s", self->a.reason);
	/*
	 * Fault reports are rate-limited, and a report past the limit is
	 * dropped, not delayed: wait until the kernel's window has room for
	 * ours, so the absence of a fault line means something.
	 */
	room_wait(&room);
	ASSERT_EQ(0, log_mark(&self->log));

	ret = timed_copy(self, &ns);
	kmsg_collect(&self->log, needles, FAULT_WAIT_MS);
	count_faults(&self->log, &f);
	doubt = room_done(&room);

	device_error = ret == -EIO || ret == -ETIMEDOUT;
	if (side == &self->src) {
		leaked = leaked_words(self);
		landed = leaked > 0;
	} else {
		bad = first_not(self->dst.va, 0, self->dst.size, CANARY_DST);
		landed = bad >= 0;
	}
	ev = evidence(self, variant, test, ret, ns, &f);
	json_object_object_add(ev, "device_reported_error", json_object_new_boolean(device_error));
	json_object_object_add(ev, "engine_reports_dma_errors",
			       json_object_new_boolean(self->e.ops->reports_dma_errors));
	json_object_object_add(ev, "fault_in_unmapped_range", json_object_new_boolean(fault_in(&f, side)));
	json_object_object_add(ev, "data_moved", json_object_new_boolean(landed));
	room_evidence(ev, &room, doubt);
	evidence_emit(stdout, ev);

	EXPECT_TRUE(ret == 0 || device_error)
		TH_LOG("the copy failed for another reason: %s", self->e.reason);
	if (side == &self->src) {
		EXPECT_EQ(0, leaked) TH_LOG("%zu words of the source reached the destination through an unmapped IOVA",
					    leaked);
	} else {
		EXPECT_EQ(-1, bad) TH_LOG("the device wrote byte %ld of a destination whose IOVA was unmapped",
					  bad);
	}
	EXPECT_LT(0, f.n) TH_LOG("%s: no IOMMU fault naming %s in the kernel log within %d ms (device status: %s)",
				 doubt ? "inconclusive, the kernel's rate limit may have dropped the report (other fault reports crowded its window)" :
				 !device_error ? "silent success" : "device error only",
				 device_short, FAULT_WAIT_MS, self->e.status);
	if (f.n_addr) {
		EXPECT_TRUE(fault_in(&f, side)) TH_LOG("no fault address inside the unmapped IOVA range 0x%llx+0x%zx",
						       (unsigned long long)side->iova, side->size);
	}
	if (self->e.ops->reports_dma_errors && !device_error)
		TH_LOG("note: %s completed the copy as successful (%s) although the IOMMU blocked it; the device does not report blocked DMA",
		       self->e.ops->name, self->e.status);
}

TEST_F_TIMEOUT(dma, unmapped_source_is_blocked, 180)
{
	blocked_copy(_metadata, self, variant, &self->src, "unmapped_source_is_blocked");
}

TEST_F_TIMEOUT(dma, unmapped_destination_is_blocked, 180)
{
	blocked_copy(_metadata, self, variant, &self->dst, "unmapped_destination_is_blocked");
}

int main(int argc, char **argv)
{
	target_arg("dma", &argc, argv, device_bdf, sizeof(device_bdf), no_device, sizeof(no_device));
	target_short_bdf(device_bdf, device_short, sizeof(device_short));
	limit = mmap(NULL, sizeof(*limit), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (limit == MAP_FAILED) {
		fprintf(stderr, "dma: cannot map the fault-report count: %s\n", strerror(errno));
		return 1;
	}
	faultlimit_init(limit, device_bdf[0] ? fault_reporter(device_bdf) : FAULTLIMIT_UNMODELLED,
			device_bdf);
	return test_harness_run(argc, argv);
}
