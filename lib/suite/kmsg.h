/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel log from a point in time on: take a cursor at the end of
 * /dev/kmsg before an action, then collect what the kernel printed since
 * (an IOMMU fault is reported from an interrupt, a moment after the DMA,
 * so the collector can wait for a line to show up).
 */
#ifndef SNOOP_KMSG_H
#define SNOOP_KMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kmsg_cursor {
	int fd;
	char *text;		/* message lines since the cursor, '\n'-ended */
	size_t len;
};

/* Open /dev/kmsg (or path, for tests) positioned at its end. 0 or -errno. */
int kmsg_open(struct kmsg_cursor *c, const char *path);
/*
 * Append the records printed since the last call to c->text, waiting up
 * to timeout_ms for a line that contains every one of needles
 * (NULL-terminated; NULL or empty list: just drain). Returns 1 when such
 * a line is in c->text, 0 when not, -errno on a read error.
 */
int kmsg_collect(struct kmsg_cursor *c, const char *const *needles,
		 int timeout_ms);
void kmsg_close(struct kmsg_cursor *c);

/*
 * One /dev/kmsg record ("PRI,SEQ,USEC,FLAGS;message\n KEY=v\n...") to its
 * message text: returns a pointer into rec and its length. For tests.
 */
const char *kmsg_record_text(const char *rec, size_t len, size_t *text_len);

/* A record with its header: sequence number and timestamp (the kernel's
 * printk clock, microseconds since boot). text points into the record. */
struct kmsg_record {
	uint64_t seq;
	uint64_t usec;
	const char *text;
	size_t len;
};

/* Parse one record. 0, or -EINVAL when it has no "PRI,SEQ,USEC,...;" header. */
int kmsg_record_parse(const char *rec, size_t len, struct kmsg_record *r);

/*
 * Open /dev/kmsg (or path) non-blocking: at its end when from_start is
 * false (the next read returns the next new record), else at the oldest
 * record the kernel still holds. The fd, or -errno.
 */
int kmsg_open_fd(const char *path, bool from_start);

/*
 * Read every record available now from fd (opened by kmsg_open_fd) and
 * call fn on each; a record the kernel overwrote before it was read is
 * skipped (the sequence numbers show the gap). 0 when all are read, the
 * first non-zero fn returned, or -errno.
 */
int kmsg_read_each(int fd, int (*fn)(void *ctx, const char *rec, size_t len),
		   void *ctx);

/*
 * The faulting address of an IOMMU fault line: "fault addr 0x..." (VT-d)
 * or "address=0x..." (AMD-Vi). 0 and *addr, or -ENOENT.
 */
int kmsg_fault_addr(const char *line, uint64_t *addr);

#endif
