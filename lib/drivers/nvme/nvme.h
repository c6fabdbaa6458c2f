/* SPDX-License-Identifier: GPL-2.0-only */
/* NVMe completion status, decoded for people (the engine is in nvme.c). */
#ifndef SNOOP_DRIVERS_NVME_H
#define SNOOP_DRIVERS_NVME_H

#include <stddef.h>
#include <stdint.h>

/*
 * sf is the 15-bit Status Field of a completion entry (DW3 bits 31:17):
 * SC in bits 7:0, SCT in bits 10:8, More bit 13, DNR bit 14. Writes e.g.
 * "sct 0x0 sc 0x04 Data Transfer Error (DNR)" into buf.
 */
void nvme_status_describe(uint16_t sf, char *buf, size_t len);

#endif
