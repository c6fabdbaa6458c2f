/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Regions of a VFIO PCI device: BARs (mmap'd where the kernel allows,
 * else read and written through the device fd) and the config region. All
 * through VFIO_DEVICE_GET_REGION_INFO on the device fd, so this works on
 * every attach path.
 */
#ifndef SNOOP_VFIO_REGION_H
#define SNOOP_VFIO_REGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vfio_bar {
	int device_fd;
	uint32_t index;		/* VFIO_PCI_BAR0_REGION_INDEX + n */
	uint64_t size;
	uint64_t offset;	/* of the region in the device fd */
	volatile uint8_t *map;	/* NULL: go through pread/pwrite */
	int io_error;		/* first errno of a failed access, sticky */
};

/* Size, offset and flags of region index. 0 or -errno. */
int vfio_region_info(int device_fd, uint32_t index, uint64_t *size,
		     uint64_t *offset, uint32_t *flags);

/* Open BAR n; mmap it when the kernel allows. 0 or -errno (-ENODEV: no BAR). */
int vfio_bar_open(struct vfio_bar *bar, int device_fd, int n);
void vfio_bar_close(struct vfio_bar *bar);

/*
 * Register access at off (aligned to the width). A failed access reads as
 * all ones, like a master abort, and records errno in bar->io_error.
 */
uint32_t vfio_bar_read32(struct vfio_bar *bar, uint64_t off);
uint64_t vfio_bar_read64(struct vfio_bar *bar, uint64_t off);
void vfio_bar_write32(struct vfio_bar *bar, uint64_t off, uint32_t val);
void vfio_bar_write64(struct vfio_bar *bar, uint64_t off, uint64_t val);

/* Config space through the VFIO config region. len 1, 2 or 4. 0 or -errno. */
int vfio_config_read(int device_fd, uint32_t off, void *buf, size_t len);
int vfio_config_write(int device_fd, uint32_t off, const void *buf, size_t len);
int vfio_config_read16(int device_fd, uint32_t off, uint16_t *val);
int vfio_config_write16(int device_fd, uint32_t off, uint16_t val);

/*
 * Offset of standard capability id (PCI_CAP_ID_*) as the VFIO config view
 * shows it; 0 when absent, -errno on a read error.
 */
int vfio_config_find_cap(int device_fd, uint8_t id);

/* Memory decode and bus mastering on (the device may DMA) or off. */
int vfio_bus_master(int device_fd, bool enable);

#endif
