// SPDX-License-Identifier: GPL-2.0-only
/*
 * A minimal user-space NVMe driver over VFIO: enough to make the device
 * move data by DMA, nothing more. Controller reset and enable, an admin
 * queue pair, Identify Controller and Namespace, one I/O queue pair,
 * polled completions (no interrupts), a timeout on every wait.
 *
 * It writes only inside the scratch range the lab config names for the
 * device, and puts back what it overwrote: init reads the blocks it will
 * use, remove writes them back and flushes. So fio's verify pattern on
 * the scratch range survives a whole VFIO cycle, which the "nothing lost"
 * check proves. Without a scratch range it refuses to start.
 *
 * A copy is a Write from src to the first blocks of the scratch range,
 * then a Read of those blocks into dst.
 */
#include "drivers/engine.h"
#include "drivers/nvme/nvme.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vfio/dma.h"
#include "vfio/vfio_region.h"

/* Controller registers (NVMe base specification, section 3.1) */
#define NVME_CAP	0x00
#define NVME_VS		0x08
#define NVME_INTMS	0x0c
#define NVME_CC		0x14
#define NVME_CSTS	0x1c
#define NVME_AQA	0x24
#define NVME_ASQ	0x28
#define NVME_ACQ	0x30
#define NVME_DOORBELL	0x1000

#define CAP_MQES(c)	((uint32_t)((c) & 0xffff))
#define CAP_TO(c)	((uint32_t)(((c) >> 24) & 0xff))	/* 500 ms units */
#define CAP_DSTRD(c)	((uint32_t)(((c) >> 32) & 0xf))
#define CAP_CSS_NVM(c)	(((c) >> 37) & 1)
#define CAP_MPSMIN(c)	((uint32_t)(((c) >> 48) & 0xf))

#define CC_EN		(1u << 0)
#define CC_SHN_NORMAL	(1u << 14)
#define CC_IOSQES	(6u << 16)	/* 64-byte SQ entries */
#define CC_IOCQES	(4u << 20)	/* 16-byte CQ entries */
#define CSTS_RDY	(1u << 0)
#define CSTS_CFS	(1u << 1)
#define CSTS_SHST_MASK	(3u << 2)
#define CSTS_SHST_DONE	(2u << 2)

/* Opcodes */
#define ADM_DELETE_SQ	0x00
#define ADM_CREATE_SQ	0x01
#define ADM_DELETE_CQ	0x04
#define ADM_CREATE_CQ	0x05
#define ADM_IDENTIFY	0x06
#define IO_FLUSH	0x00
#define IO_WRITE	0x01
#define IO_READ		0x02

#define NVME_PAGE	4096u
#define QDEPTH		32u
#define MAX_COPY	(128u * 1024)	/* one PRP list page covers 2 MiB */

struct nvme_sqe {
	uint32_t cdw0;		/* opcode 7:0, command id 31:16 */
	uint32_t nsid;
	uint32_t rsvd[2];
	uint64_t mptr;
	uint64_t prp1, prp2;
	uint32_t cdw10, cdw11, cdw12, cdw13, cdw14, cdw15;
};
_Static_assert(sizeof(struct nvme_sqe) == 64, "SQ entry is 64 bytes");

struct nvme_cqe {
	uint32_t dw0, dw1;
	uint16_t sq_head, sq_id;
	uint16_t cid;
	uint16_t status;	/* phase in bit 0, Status Field above it */
};
_Static_assert(sizeof(struct nvme_cqe) == 16, "CQ entry is 16 bytes");

struct nvme_queue {
	uint16_t qid;
	uint16_t depth;
	struct nvme_sqe *sq;
	struct nvme_cqe *cq;
	uint64_t sq_iova, cq_iova;
	uint16_t sq_tail, cq_head;
	uint8_t phase;
};

/* Pages of the driver's own DMA memory. */
enum { PG_ASQ, PG_ACQ, PG_IOSQ, PG_IOCQ, PG_IDENT, PG_PRPLIST, PG_COUNT };

struct nvme {
	struct vfio_bar bar0;
	uint64_t cap;
	uint32_t db_stride;		/* bytes between doorbells */
	struct dma_buf mem;		/* queues, identify data, PRP list */
	struct dma_buf saved;		/* the scratch blocks we overwrite */
	struct nvme_queue admin, io;
	bool io_queues, enabled, saved_valid;
	uint16_t next_cid;
	uint32_t lba_size;
	uint64_t slba;			/* first block of the scratch range */
	/* the read leg of the copy in flight */
	bool read_pending;
	uint16_t read_cid;
};

void nvme_status_describe(uint16_t sf, char *buf, size_t len)
{
	static const struct { uint8_t sct, sc; const char *name; } names[] = {
		{ 0, 0x00, "Successful Completion" },
		{ 0, 0x01, "Invalid Command Opcode" },
		{ 0, 0x02, "Invalid Field in Command" },
		{ 0, 0x03, "Command ID Conflict" },
		{ 0, 0x04, "Data Transfer Error" },
		{ 0, 0x05, "Commands Aborted due to Power Loss Notification" },
		{ 0, 0x06, "Internal Error" },
		{ 0, 0x07, "Command Abort Requested" },
		{ 0, 0x08, "Command Aborted due to SQ Deletion" },
		{ 0, 0x0b, "Invalid Namespace or Format" },
		{ 0, 0x0c, "Command Sequence Error" },
		{ 0, 0x13, "Invalid PRP Offset" },
		{ 0, 0x80, "LBA Out of Range" },
		{ 0, 0x81, "Capacity Exceeded" },
		{ 0, 0x82, "Namespace Not Ready" },
		{ 1, 0x00, "Completion Queue Invalid" },
		{ 1, 0x01, "Invalid Queue Identifier" },
		{ 1, 0x02, "Invalid Queue Size" },
		{ 1, 0x08, "Invalid Interrupt Vector" },
		{ 1, 0x0c, "Invalid Queue Deletion" },
		{ 2, 0x80, "Write Fault" },
		{ 2, 0x81, "Unrecovered Read Error" },
		{ 2, 0x82, "End-to-end Guard Check Error" },
		{ 2, 0x85, "Compare Failure" },
		{ 2, 0x86, "Access Denied" },
		{ 2, 0x87, "Deallocated or Unwritten Logical Block" },
		{ 3, 0x00, "Internal Path Error" },
	};
	uint8_t sc = sf & 0xff, sct = (sf >> 8) & 0x7;
	const char *name = "unknown status";

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].sct == sct && names[i].sc == sc)
			name = names[i].name;
	snprintf(buf, len, "sct 0x%x sc 0x%02x %s%s", sct, sc, name,
		 (sf >> 14) & 1 ? " (DNR)" : "");
}

static uint64_t rd64(struct nvme *n, uint32_t off)
{
	/* Two 32-bit reads, low first: every controller must accept that. */
	uint64_t lo = vfio_bar_read32(&n->bar0, off);

	return lo | (uint64_t)vfio_bar_read32(&n->bar0, off + 4) << 32;
}

static void wr64(struct nvme *n, uint32_t off, uint64_t v)
{
	vfio_bar_write32(&n->bar0, off, (uint32_t)v);
	vfio_bar_write32(&n->bar0, off + 4, (uint32_t)(v >> 32));
}

static int fail(struct dma_engine *e, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct dma_engine *e, int err, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(e->reason, sizeof(e->reason), "nvme: ");

	va_start(ap, fmt);
	vsnprintf(e->reason + n, sizeof(e->reason) - (size_t)n, fmt, ap);
	va_end(ap);
	return err;
}

/* Wait until (CSTS & mask) == want; CFS or all-ones ends the wait early. */
static int wait_csts(struct dma_engine *e, struct nvme *n, uint32_t mask,
		     uint32_t want, int timeout_ms, const char *what)
{
	long deadline = engine_now_ms() + timeout_ms;
	uint32_t csts;

	for (;;) {
		csts = vfio_bar_read32(&n->bar0, NVME_CSTS);
		if (csts == UINT32_MAX)
			return fail(e, -EIO, "%s: CSTS reads all ones (device gone or BAR access failed%s%s)",
				    what, n->bar0.io_error ? ": " : "",
				    n->bar0.io_error ? strerror(n->bar0.io_error) : "");
		if ((csts & mask) == want)
			return 0;
		if ((csts & CSTS_CFS) && !(mask & CSTS_CFS))
			return fail(e, -EIO, "%s: controller fatal status (CSTS 0x%x)", what, csts);
		if (engine_now_ms() > deadline)
			return fail(e, -ETIMEDOUT, "%s: CSTS 0x%x after %d ms", what, csts, timeout_ms);
		engine_sleep_us(1000);
	}
}

static int enable_timeout_ms(struct dma_engine *e, struct nvme *n)
{
	int to = (int)CAP_TO(n->cap) * 500;

	return to > e->timeout_ms ? to : e->timeout_ms;
}

static int disable(struct dma_engine *e, struct nvme *n)
{
	uint32_t cc = vfio_bar_read32(&n->bar0, NVME_CC);

	if (!(cc & CC_EN) && !(vfio_bar_read32(&n->bar0, NVME_CSTS) & CSTS_RDY))
		return 0;
	vfio_bar_write32(&n->bar0, NVME_CC, cc & ~CC_EN);
	return wait_csts(e, n, CSTS_RDY, 0, enable_timeout_ms(e, n),
			 "disabling the controller");
}

static void queue_setup(struct nvme *n, struct nvme_queue *q, uint16_t qid,
			uint16_t depth, int sq_page, int cq_page)
{
	memset(q, 0, sizeof(*q));
	q->qid = qid;
	q->depth = depth;
	q->sq = (void *)(n->mem.va + (size_t)sq_page * NVME_PAGE);
	q->cq = (void *)(n->mem.va + (size_t)cq_page * NVME_PAGE);
	q->sq_iova = n->mem.iova + (uint64_t)sq_page * NVME_PAGE;
	q->cq_iova = n->mem.iova + (uint64_t)cq_page * NVME_PAGE;
	q->phase = 1;
	memset(q->sq, 0, NVME_PAGE);
	memset(q->cq, 0, NVME_PAGE);
}

static uint16_t submit(struct nvme *n, struct nvme_queue *q, struct nvme_sqe *cmd)
{
	uint16_t cid = n->next_cid++;

	cmd->cdw0 = (cmd->cdw0 & 0xffff) | (uint32_t)cid << 16;
	q->sq[q->sq_tail] = *cmd;
	q->sq_tail = (uint16_t)((q->sq_tail + 1) % q->depth);
	/* The entry must be in memory before the device hears the doorbell. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	vfio_bar_write32(&n->bar0, NVME_DOORBELL + 2u * q->qid * n->db_stride,
			 q->sq_tail);
	return cid;
}

/*
 * Wait for the completion of cid on q. 0 on success, -EIO with e->status
 * for an error status, -ETIMEDOUT, or -EPROTO for a completion that is not
 * the one we wait for (one command in flight per queue, always).
 */
static int complete(struct dma_engine *e, struct nvme *n, struct nvme_queue *q,
		    uint16_t cid, const char *what, uint32_t *dw0)
{
	long deadline = engine_now_ms() + e->timeout_ms;
	volatile struct nvme_cqe *cqe = &q->cq[q->cq_head];
	uint16_t status, sf;

	while (((status = cqe->status) & 1) != q->phase) {
		uint32_t csts = vfio_bar_read32(&n->bar0, NVME_CSTS);

		if (csts == UINT32_MAX || (csts & CSTS_CFS))
			return fail(e, -EIO, "%s: no completion, CSTS 0x%x", what, csts);
		if (engine_now_ms() > deadline) {
			snprintf(e->status, sizeof(e->status), "no completion within %d ms",
				 e->timeout_ms);
			return fail(e, -ETIMEDOUT, "%s: no completion within %d ms",
				    what, e->timeout_ms);
		}
		engine_sleep_us(200);
	}
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (cqe->cid != cid)
		return fail(e, -EPROTO, "%s: completion for command %u, expected %u",
			    what, cqe->cid, cid);
	if (dw0)
		*dw0 = cqe->dw0;
	q->cq_head = (uint16_t)((q->cq_head + 1) % q->depth);
	if (!q->cq_head)
		q->phase ^= 1;
	vfio_bar_write32(&n->bar0, NVME_DOORBELL + (2u * q->qid + 1) * n->db_stride,
			 q->cq_head);
	sf = status >> 1;
	nvme_status_describe(sf, e->status, sizeof(e->status));
	if (sf & 0x7ff)
		return fail(e, -EIO, "%s: %s", what, e->status);
	return 0;
}

static int admin(struct dma_engine *e, struct nvme *n, struct nvme_sqe *cmd,
		 const char *what, uint32_t *dw0)
{
	return complete(e, n, &n->admin, submit(n, &n->admin, cmd), what, dw0);
}

/*
 * PRP1/PRP2 for [iova, iova + size): the first entry may start inside a
 * page, the rest are whole pages, listed in the PRP list page when more
 * than two are needed.
 */
static int build_prps(struct dma_engine *e, struct nvme *n, uint64_t iova,
		      uint64_t size, struct nvme_sqe *cmd)
{
	uint64_t first_len = NVME_PAGE - (iova & (NVME_PAGE - 1));
	uint64_t next = (iova & ~(uint64_t)(NVME_PAGE - 1)) + NVME_PAGE;
	uint64_t *list = (uint64_t *)(n->mem.va + (size_t)PG_PRPLIST * NVME_PAGE);
	size_t pages;

	if (iova & 3)
		return fail(e, -EINVAL, "buffer IOVA 0x%llx is not dword aligned",
			    (unsigned long long)iova);
	cmd->prp1 = iova;
	cmd->prp2 = 0;
	if (size <= first_len)
		return 0;
	pages = (size_t)((size - first_len + NVME_PAGE - 1) / NVME_PAGE);
	if (pages == 1) {
		cmd->prp2 = next;
		return 0;
	}
	if (pages > NVME_PAGE / sizeof(uint64_t))
		return fail(e, -EINVAL, "transfer of %llu bytes needs more than one PRP list page",
			    (unsigned long long)size);
	for (size_t i = 0; i < pages; i++)
		list[i] = next + i * NVME_PAGE;
	cmd->prp2 = n->mem.iova + (uint64_t)PG_PRPLIST * NVME_PAGE;
	return 0;
}

static int io_submit(struct dma_engine *e, struct nvme *n, uint8_t opcode,
		     uint64_t iova, uint64_t size, uint16_t *cid)
{
	struct nvme_sqe cmd = { .cdw0 = opcode, .nsid = e->nsid };
	uint32_t nlb = (uint32_t)(size / n->lba_size);
	int ret;

	if (opcode != IO_FLUSH) {
		ret = build_prps(e, n, iova, size, &cmd);
		if (ret)
			return ret;
		cmd.cdw10 = (uint32_t)n->slba;
		cmd.cdw11 = (uint32_t)(n->slba >> 32);
		cmd.cdw12 = nlb - 1;
	}
	*cid = submit(n, &n->io, &cmd);
	return 0;
}

static int io_sync(struct dma_engine *e, struct nvme *n, uint8_t opcode,
		   uint64_t iova, uint64_t size, const char *what)
{
	uint16_t cid;
	int ret = io_submit(e, n, opcode, iova, size, &cid);

	return ret ? ret : complete(e, n, &n->io, cid, what, NULL);
}

static void copy_trimmed(char *dst, size_t dlen, const uint8_t *src, size_t slen)
{
	while (slen && (src[slen - 1] == ' ' || !src[slen - 1]))
		slen--;
	if (slen >= dlen)
		slen = dlen - 1;
	memcpy(dst, src, slen);
	dst[slen] = '\0';
}

static int identify(struct dma_engine *e, struct nvme *n)
{
	uint8_t *data = n->mem.va + (size_t)PG_IDENT * NVME_PAGE;
	uint64_t iova = n->mem.iova + (uint64_t)PG_IDENT * NVME_PAGE;
	struct nvme_sqe cmd = { .cdw0 = ADM_IDENTIFY, .prp1 = iova, .cdw10 = 1 };
	char model[41], serial[21];
	uint64_t nsze, max = MAX_COPY, bytes, scratch_len;
	uint32_t lbaf;
	uint8_t mdts, flbas;
	int ret;

	memset(data, 0, NVME_PAGE);
	ret = admin(e, n, &cmd, "Identify Controller", NULL);
	if (ret)
		return ret;
	copy_trimmed(serial, sizeof(serial), data + 4, 20);
	copy_trimmed(model, sizeof(model), data + 24, 40);
	mdts = data[77];
	snprintf(e->ident, sizeof(e->ident), "%s (serial %s)", model, serial);
	if (mdts && mdts < 32 && ((uint64_t)NVME_PAGE << mdts) < max)
		max = (uint64_t)NVME_PAGE << mdts;

	memset(data, 0, NVME_PAGE);
	cmd = (struct nvme_sqe){ .cdw0 = ADM_IDENTIFY, .nsid = e->nsid,
				 .prp1 = iova, .cdw10 = 0 };
	ret = admin(e, n, &cmd, "Identify Namespace", NULL);
	if (ret)
		return ret;
	memcpy(&nsze, data, sizeof(nsze));
	flbas = data[26];
	memcpy(&lbaf, data + 128 + 4 * (flbas & 0xf), sizeof(lbaf));
	if (!nsze)
		return fail(e, -ENODEV, "namespace %u is not active (size 0)", e->nsid);
	if ((lbaf & 0xffff) != 0)
		return fail(e, -EINVAL, "namespace %u has %u bytes of metadata per block; this driver handles none",
			    e->nsid, lbaf & 0xffff);
	if (((lbaf >> 16) & 0xff) < 9 || ((lbaf >> 16) & 0xff) > 16)
		return fail(e, -EINVAL, "namespace %u reports an LBA data size of 2^%u",
			    e->nsid, (lbaf >> 16) & 0xff);
	n->lba_size = 1u << ((lbaf >> 16) & 0xff);

	/* The scratch range must lie inside the namespace. */
	if (!scratch_fits(e->scratch, nsze) ||
	    scratch_bytes(e->scratch, n->lba_size, &bytes, &scratch_len))
		return fail(e, -EINVAL, "scratch_lba %llu+%llu runs past the end of namespace %u (%llu blocks)",
			    (unsigned long long)e->scratch->start,
			    (unsigned long long)e->scratch->count, e->nsid,
			    (unsigned long long)nsze);
	n->slba = e->scratch->start;
	if (max > scratch_len)
		max = scratch_len;
	max -= max % n->lba_size;
	if (max < n->lba_size)
		return fail(e, -EINVAL, "no room for one %u-byte block", n->lba_size);
	e->max_memcpy_size = max;
	return 0;
}

static int create_io_queues(struct dma_engine *e, struct nvme *n)
{
	struct nvme_sqe cmd = { .cdw0 = ADM_CREATE_CQ, .prp1 = n->io.cq_iova,
				.cdw10 = (uint32_t)(n->io.depth - 1) << 16 | n->io.qid,
				.cdw11 = 1 /* physically contiguous, no interrupts */ };
	int ret = admin(e, n, &cmd, "Create I/O Completion Queue", NULL);

	if (ret)
		return ret;
	cmd = (struct nvme_sqe){ .cdw0 = ADM_CREATE_SQ, .prp1 = n->io.sq_iova,
				 .cdw10 = (uint32_t)(n->io.depth - 1) << 16 | n->io.qid,
				 .cdw11 = (uint32_t)n->io.qid << 16 | 1 };
	ret = admin(e, n, &cmd, "Create I/O Submission Queue", NULL);
	if (ret) {
		cmd = (struct nvme_sqe){ .cdw0 = ADM_DELETE_CQ, .cdw10 = n->io.qid };
		admin(e, n, &cmd, "Delete I/O Completion Queue", NULL);
		return ret;
	}
	n->io_queues = true;
	return 0;
}

static int delete_io_queues(struct dma_engine *e, struct nvme *n)
{
	struct nvme_sqe cmd = { .cdw0 = ADM_DELETE_SQ, .cdw10 = n->io.qid };
	int ret, ret2;

	if (!n->io_queues)
		return 0;
	ret = admin(e, n, &cmd, "Delete I/O Submission Queue", NULL);
	cmd = (struct nvme_sqe){ .cdw0 = ADM_DELETE_CQ, .cdw10 = n->io.qid };
	ret2 = admin(e, n, &cmd, "Delete I/O Completion Queue", NULL);
	n->io_queues = false;
	return ret ? ret : ret2;
}

static int enable(struct dma_engine *e, struct nvme *n)
{
	uint32_t depth = CAP_MQES(n->cap) + 1;
	int ret;

	ret = disable(e, n);
	if (ret)
		return ret;
	if (depth > QDEPTH)
		depth = QDEPTH;
	queue_setup(n, &n->admin, 0, QDEPTH, PG_ASQ, PG_ACQ);
	queue_setup(n, &n->io, 1, (uint16_t)depth, PG_IOSQ, PG_IOCQ);
	vfio_bar_write32(&n->bar0, NVME_INTMS, UINT32_MAX);	/* we poll */
	vfio_bar_write32(&n->bar0, NVME_AQA, (QDEPTH - 1) << 16 | (QDEPTH - 1));
	wr64(n, NVME_ASQ, n->admin.sq_iova);
	wr64(n, NVME_ACQ, n->admin.cq_iova);
	vfio_bar_write32(&n->bar0, NVME_CC, CC_EN | CC_IOSQES | CC_IOCQES);
	ret = wait_csts(e, n, CSTS_RDY, CSTS_RDY, enable_timeout_ms(e, n),
			"enabling the controller");
	if (!ret)
		n->enabled = true;
	return ret;
}

static int nvme_probe(const struct pci_ident *id)
{
	/* Mass storage, Non-Volatile Memory, NVM Express I/O controller */
	return id->class_code != 0x010802;
}

static void nvme_free(struct dma_engine *e, struct nvme *n)
{
	dma_buf_free(&n->saved, e->a);
	dma_buf_free(&n->mem, e->a);
	vfio_bar_close(&n->bar0);
	free(n);
	e->priv = NULL;
}

static int nvme_init(struct dma_engine *e)
{
	struct nvme *n;
	int ret;

	if (!e->scratch)
		return fail(e, -EINVAL, "no scratch_nsid/scratch_lba for this device in the lab config: refusing to write anything");
	if (!e->nsid)
		e->nsid = 1;
	if (sysconf(_SC_PAGESIZE) != NVME_PAGE)
		return fail(e, -EOPNOTSUPP, "host page size %ld, this driver assumes 4096",
			    sysconf(_SC_PAGESIZE));
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	e->priv = n;
	ret = vfio_bar_open(&n->bar0, e->a->device_fd, 0);
	if (ret) {
		fail(e, ret, "BAR0: %s", strerror(-ret));
		goto err;
	}
	n->cap = rd64(n, NVME_CAP);
	if (n->cap == UINT64_MAX || !CAP_CSS_NVM(n->cap) || CAP_MPSMIN(n->cap) != 0) {
		ret = fail(e, -ENODEV, "CAP 0x%llx: want the NVM command set and 4 KiB pages",
			   (unsigned long long)n->cap);
		goto err;
	}
	n->db_stride = 4u << CAP_DSTRD(n->cap);
	ret = dma_buf_alloc(&n->mem, (size_t)PG_COUNT * NVME_PAGE);
	if (!ret)
		ret = dma_buf_map(&n->mem, e->a, e->iova);
	if (ret) {
		fail(e, ret, "queue memory: %s", e->a->reason[0] ? e->a->reason : strerror(-ret));
		goto err;
	}
	ret = vfio_bus_master(e->a->device_fd, true);
	if (ret) {
		fail(e, ret, "bus master enable: %s", strerror(-ret));
		goto err;
	}
	ret = enable(e, n);
	if (!ret)
		ret = identify(e, n);
	if (!ret)
		ret = create_io_queues(e, n);
	if (ret)
		goto err_disable;

	/* Keep what we will overwrite, so remove() can put it back. */
	ret = dma_buf_alloc(&n->saved, e->max_memcpy_size);
	if (!ret)
		ret = dma_buf_map(&n->saved, e->a, e->iova);
	if (ret) {
		fail(e, ret, "save buffer: %s", e->a->reason[0] ? e->a->reason : strerror(-ret));
		goto err_disable;
	}
	ret = io_sync(e, n, IO_READ, n->saved.iova, e->max_memcpy_size,
		      "saving the scratch blocks");
	if (ret)
		goto err_disable;
	n->saved_valid = true;
	e->status[0] = '\0';
	return 0;

err_disable:
	delete_io_queues(e, n);
	disable(e, n);
	vfio_bus_master(e->a->device_fd, false);
err:
	nvme_free(e, n);
	return ret;
}

static int nvme_memcpy_start(struct dma_engine *e, uint64_t src, uint64_t dst,
			     uint64_t size)
{
	struct nvme *n = e->priv;
	int ret;

	if (!size || size > e->max_memcpy_size || size % n->lba_size)
		return fail(e, -EINVAL, "copy of %llu bytes: want whole %u-byte blocks, at most %llu",
			    (unsigned long long)size, n->lba_size,
			    (unsigned long long)e->max_memcpy_size);
	e->status[0] = '\0';
	n->read_pending = false;
	/* The device reads src (RAM to device) ... */
	ret = io_sync(e, n, IO_WRITE, src, size, "Write from the source buffer");
	if (ret)
		return ret;
	/* ... and writes dst (device to RAM). */
	ret = io_submit(e, n, IO_READ, dst, size, &n->read_cid);
	if (!ret)
		n->read_pending = true;
	return ret;
}

static int nvme_memcpy_wait(struct dma_engine *e)
{
	struct nvme *n = e->priv;

	if (!n->read_pending)
		return 0;	/* memcpy_start() failed and said so */
	n->read_pending = false;
	return complete(e, n, &n->io, n->read_cid, "Read into the destination buffer", NULL);
}

static int nvme_remove(struct dma_engine *e)
{
	struct nvme *n = e->priv;
	char why[sizeof(e->reason)] = "";
	int ret = 0, r;

	if (!n)
		return 0;
	if (n->saved_valid) {
		/* Put the scratch blocks back and make them durable. */
		r = io_sync(e, n, IO_WRITE, n->saved.iova, e->max_memcpy_size,
			    "restoring the scratch blocks");
		if (!r)
			r = io_sync(e, n, IO_FLUSH, 0, 0, "Flush");
		if (r && !ret) {
			ret = r;
			snprintf(why, sizeof(why), "%s", e->reason);
		}
	}
	r = delete_io_queues(e, n);
	if (r && !ret) {
		ret = r;
		snprintf(why, sizeof(why), "%s", e->reason);
	}
	if (n->enabled) {
		/* Normal shutdown first, so the kernel driver finds it clean. */
		uint32_t cc = vfio_bar_read32(&n->bar0, NVME_CC);

		vfio_bar_write32(&n->bar0, NVME_CC, cc | CC_SHN_NORMAL);
		wait_csts(e, n, CSTS_SHST_MASK, CSTS_SHST_DONE,
			  enable_timeout_ms(e, n), "shutting down");
		r = disable(e, n);
		if (r && !ret) {
			ret = r;
			snprintf(why, sizeof(why), "%s", e->reason);
		}
	}
	vfio_bus_master(e->a->device_fd, false);
	nvme_free(e, n);
	if (ret)
		snprintf(e->reason, sizeof(e->reason), "%s", why);
	return ret;
}

const struct dma_engine_ops nvme_ops = {
	.name = "nvme",
	.dma_mask = UINT64_MAX,
	.reports_dma_errors = true,
	.probe = nvme_probe,
	.init = nvme_init,
	.remove = nvme_remove,
	.memcpy_start = nvme_memcpy_start,
	.memcpy_wait = nvme_memcpy_wait,
};
