/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * User-space DMA engines: a small driver per device that can make the
 * device copy memory by DMA, behind one ops table in the habit of the
 * kernel's tools/testing/selftests/vfio drivers (probe, init, remove,
 * memcpy_start, memcpy_wait). One file per device in lib/drivers/; the
 * registry picks one by PCI identity. Adding an engine (IOAT, DSA, a GPU
 * copy engine) is one more file and one line in registry.c.
 *
 * A "memcpy" copies size bytes from IOVA src to IOVA dst through the
 * device: the device reads src by DMA (RAM to device) and writes dst by
 * DMA (device to RAM), staging the data in its own buffer (edu) or on a
 * scratch range of its medium (NVMe).
 */
#ifndef SNOOP_DRIVERS_ENGINE_H
#define SNOOP_DRIVERS_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "vfio/attach.h"
#include "vfio/iova.h"
#include "base/scratch.h"

struct pci_ident {
	uint16_t vendor, device;
	uint32_t class_code;	/* base << 16 | sub << 8 | prog-if */
};

struct dma_engine;

struct dma_engine_ops {
	const char *name;
	/* Highest IOVA the device can put on the bus (its DMA mask). */
	uint64_t dma_mask;
	/* Can memcpy_wait() see a DMA that the IOMMU blocked? */
	bool reports_dma_errors;

	/* 0 if this engine drives the device, else non-zero. */
	int (*probe)(const struct pci_ident *id);
	/*
	 * Bring the device up: BARs, bus mastering, the engine's own DMA
	 * memory (queues, descriptors). Sets e->max_memcpy_size. 0, or
	 * -errno with e->reason (-EINVAL: a parameter is missing or wrong).
	 */
	int (*init)(struct dma_engine *e);
	/*
	 * Quiesce the device (no DMA after this returns), put back what init
	 * changed, free the engine's memory. 0, or -errno with e->reason when
	 * something could not be put back.
	 */
	int (*remove)(struct dma_engine *e);
	/*
	 * Start copying [src, src + size) to [dst, dst + size), both IOVAs,
	 * size <= max_memcpy_size. Returns at once for a DMA engine; a
	 * storage device may block until the reads from src are done.
	 * 0 or -errno with e->reason.
	 */
	int (*memcpy_start)(struct dma_engine *e, uint64_t src, uint64_t dst,
			    uint64_t size);
	/*
	 * Wait, bounded by e->timeout_ms per step, until every DMA started by
	 * memcpy_start() is over. 0; -EIO when the device reported an error
	 * (e->status says which); -ETIMEDOUT; other -errno with e->reason.
	 */
	int (*memcpy_wait)(struct dma_engine *e);
};

struct dma_engine {
	const struct dma_engine_ops *ops;
	struct attach *a;		/* device_fd, and mapping of its memory */
	struct iova_space *iova;	/* where its own memory gets IOVAs */
	struct pci_ident id;

	/* parameters, set before init */
	const struct scratch_range *scratch;	/* storage: the only LBAs it may write */
	uint32_t nsid;			/* NVMe namespace of those LBAs (0: 1) */
	int timeout_ms;			/* every wait, per step */

	/* set by init */
	uint64_t max_memcpy_size;
	char ident[128];		/* model/serial or the like, for evidence */

	/* results */
	char status[160];		/* device's verdict on the last copy, decoded */
	char reason[384];		/* why the last call failed (room for a->reason) */
	void *priv;
};

extern const struct dma_engine_ops edu_ops;
extern const struct dma_engine_ops nvme_ops;

/* Identity from the VFIO config region of device_fd. 0 or -errno. */
int engine_read_ident(int device_fd, struct pci_ident *id);
/* The engine for id, or NULL. */
const struct dma_engine_ops *engine_find(const struct pci_ident *id);

/*
 * Set up e for a attached device with ops (from engine_find()): reads the
 * identity, asks the kernel for the IOVA space clipped to the device's DMA
 * mask, and calls ops->init. Parameters (scratch, nsid, timeout_ms) must
 * already be in e; timeout_ms 0 means 5000. 0 or -errno with e->reason.
 */
int engine_init(struct dma_engine *e, const struct dma_engine_ops *ops,
		struct attach *a, struct iova_space *space);
int engine_remove(struct dma_engine *e);
/* memcpy_start then memcpy_wait. */
int engine_memcpy(struct dma_engine *e, uint64_t src, uint64_t dst,
		  uint64_t size);

/* Sleep-poll helper for engines: monotonic milliseconds. */
long engine_now_ms(void);
void engine_sleep_us(long us);

#endif
