// SPDX-License-Identifier: GPL-2.0-only
/*
 * QEMU's "edu" teaching device (1234:11e8), hw/misc/edu.c. BAR0 holds a
 * 4 KiB buffer that the device fills from RAM or empties into RAM by DMA:
 * 0x80 source, 0x88 destination, 0x90 count, 0x98 command (bit 0 run,
 * bit 1 direction: 0 RAM to device, 1 device to RAM, bit 2 interrupt).
 * The copy runs from a timer 100 ms (virtual clock) after the command;
 * the device clears the run bit when done. The device masks addresses to
 * 28 bits by default, so IOVAs must stay below 256 MiB.
 *
 * edu reports nothing when a DMA fails: QEMU ignores the result of
 * pci_dma_read/pci_dma_write. A blocked read leaves what the bus returned
 * (zeros) in the buffer; a blocked write is dropped. The only witnesses
 * are the IOMMU's fault report and the data that did not arrive.
 */
#include "drivers/engine.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfio/vfio_region.h"

#define EDU_ID			0x00	/* 0xRRrr00ed: version, then 0xed */
#define EDU_DMA_SRC		0x80
#define EDU_DMA_DST		0x88
#define EDU_DMA_COUNT		0x90
#define EDU_DMA_CMD		0x98
#define EDU_CMD_RUN		0x1
#define EDU_CMD_TO_RAM		0x2	/* direction: device buffer to RAM */
#define EDU_BUFFER		0x40000	/* the device's buffer, as a bus address */
/*
 * The buffer is 4 KiB, but QEMU 7.2's edu_check_range() rejects a copy that
 * ends exactly at its end and then calls hw_error(), killing the whole VM
 * ("DMA range 0x40000-0x40fff out of bounds (0x40000-0x40fff)"). Measured
 * in the lab; so never use the last byte.
 */
#define EDU_BUFFER_SIZE		(4096 - 64)

struct edu {
	struct vfio_bar bar0;
	uint64_t dst, size;	/* second leg of the copy in flight */
	bool pending_to_ram;
};

static int edu_probe(const struct pci_ident *id)
{
	return !(id->vendor == 0x1234 && id->device == 0x11e8);
}

static int edu_init(struct dma_engine *e)
{
	struct edu *edu = calloc(1, sizeof(*edu));
	uint32_t id;
	int ret;

	if (!edu)
		return -ENOMEM;
	ret = vfio_bar_open(&edu->bar0, e->a->device_fd, 0);
	if (ret) {
		snprintf(e->reason, sizeof(e->reason), "edu: BAR0: %s", strerror(-ret));
		free(edu);
		return ret;
	}
	ret = vfio_bus_master(e->a->device_fd, true);
	id = vfio_bar_read32(&edu->bar0, EDU_ID);
	if (ret || (id & 0xff) != 0xed) {
		snprintf(e->reason, sizeof(e->reason),
			 "edu: identification register reads 0x%08x (want 0x..ed)%s%s",
			 id, ret ? ", bus master: " : "", ret ? strerror(-ret) : "");
		vfio_bar_close(&edu->bar0);
		free(edu);
		return ret ? ret : -ENODEV;
	}
	snprintf(e->ident, sizeof(e->ident), "edu v%u.%u", id >> 24, (id >> 16) & 0xff);
	e->max_memcpy_size = EDU_BUFFER_SIZE;
	e->priv = edu;
	return 0;
}

/* Wait for the run bit to clear. 0, -ETIMEDOUT or -EIO (BAR access failed). */
static int edu_wait_idle(struct dma_engine *e, struct edu *edu)
{
	long deadline = engine_now_ms() + e->timeout_ms;

	for (;;) {
		uint64_t cmd = vfio_bar_read64(&edu->bar0, EDU_DMA_CMD);

		if (edu->bar0.io_error) {
			snprintf(e->reason, sizeof(e->reason),
				 "edu: BAR0 access failed: %s", strerror(edu->bar0.io_error));
			return -EIO;
		}
		if (!(cmd & EDU_CMD_RUN))
			return 0;
		if (engine_now_ms() > deadline) {
			snprintf(e->reason, sizeof(e->reason),
				 "edu: DMA still running after %d ms (cmd 0x%llx)",
				 e->timeout_ms, (unsigned long long)cmd);
			return -ETIMEDOUT;
		}
		engine_sleep_us(1000);
	}
}

static void edu_kick(struct edu *edu, uint64_t src, uint64_t dst,
		     uint64_t size, uint64_t dir)
{
	vfio_bar_write64(&edu->bar0, EDU_DMA_SRC, src);
	vfio_bar_write64(&edu->bar0, EDU_DMA_DST, dst);
	vfio_bar_write64(&edu->bar0, EDU_DMA_COUNT, size);
	vfio_bar_write64(&edu->bar0, EDU_DMA_CMD, EDU_CMD_RUN | dir);
}

static int edu_memcpy_start(struct dma_engine *e, uint64_t src, uint64_t dst,
			    uint64_t size)
{
	struct edu *edu = e->priv;
	int ret;

	if (!size || size > EDU_BUFFER_SIZE || src > edu_ops.dma_mask - size + 1 ||
	    dst > edu_ops.dma_mask - size + 1) {
		snprintf(e->reason, sizeof(e->reason),
			 "edu: copy of %llu bytes at 0x%llx -> 0x%llx is outside its 4 KiB buffer or 28-bit reach",
			 (unsigned long long)size, (unsigned long long)src,
			 (unsigned long long)dst);
		return -EINVAL;
	}
	ret = edu_wait_idle(e, edu);
	if (ret)
		return ret;
	e->status[0] = '\0';
	edu->dst = dst;
	edu->size = size;
	edu->pending_to_ram = true;
	edu_kick(edu, src, EDU_BUFFER, size, 0);
	return 0;
}

static int edu_memcpy_wait(struct dma_engine *e)
{
	struct edu *edu = e->priv;
	int ret = edu_wait_idle(e, edu);

	if (ret || !edu->pending_to_ram)
		return ret;
	edu->pending_to_ram = false;
	edu_kick(edu, EDU_BUFFER, edu->dst, edu->size, EDU_CMD_TO_RAM);
	ret = edu_wait_idle(e, edu);
	if (!ret)
		snprintf(e->status, sizeof(e->status),
			 "done (edu cannot report a failed DMA)");
	return ret;
}

static int edu_remove(struct dma_engine *e)
{
	struct edu *edu = e->priv;
	int ret;

	if (!edu)
		return 0;
	/* No DMA may be in flight when the caller unmaps its memory. */
	ret = edu_wait_idle(e, edu);
	vfio_bus_master(e->a->device_fd, false);
	vfio_bar_close(&edu->bar0);
	free(edu);
	e->priv = NULL;
	return ret;
}

const struct dma_engine_ops edu_ops = {
	.name = "edu",
	.dma_mask = (1ULL << 28) - 1,
	.reports_dma_errors = false,
	.probe = edu_probe,
	.init = edu_init,
	.remove = edu_remove,
	.memcpy_start = edu_memcpy_start,
	.memcpy_wait = edu_memcpy_wait,
};
