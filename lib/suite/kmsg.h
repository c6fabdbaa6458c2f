/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel log from a point in time on: take a cursor at the end of
 * /dev/kmsg before an action, then collect what the kernel printed since
 * (an IOMMU fault is reported from an interrupt, a moment after the DMA,
 * so the collector can wait for a line to show up).
 */
#ifndef SNOOP_KMSG_H
#define SNOOP_KMSG_H

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

/*
 * The faulting address of an IOMMU fault line: "fault addr 0x..." (VT-d)
 * or "address=0x..." (AMD-Vi). 0 and *addr, or -ENOENT.
 */
int kmsg_fault_addr(const char *line, uint64_t *addr);

#endif
