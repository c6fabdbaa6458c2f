// SPDX-License-Identifier: GPL-2.0-only
#include "vfio/vfio_region.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vfio.h>
#include <pci/header.h>

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "PCI registers are little-endian; add swapping for this host");

int vfio_region_info(int device_fd, uint32_t index, uint64_t *size,
		     uint64_t *offset, uint32_t *flags)
{
	struct vfio_region_info info = { .argsz = sizeof(info), .index = index };

	if (ioctl(device_fd, VFIO_DEVICE_GET_REGION_INFO, &info))
		return -errno;
	*size = info.size;
	*offset = info.offset;
	*flags = info.flags;
	return 0;
}

int vfio_bar_open(struct vfio_bar *bar, int device_fd, int n)
{
	uint32_t flags = 0;
	void *p;
	int ret;

	memset(bar, 0, sizeof(*bar));
	bar->device_fd = device_fd;
	bar->index = VFIO_PCI_BAR0_REGION_INDEX + (uint32_t)n;
	ret = vfio_region_info(device_fd, bar->index, &bar->size, &bar->offset,
			       &flags);
	if (ret)
		return ret;
	if (!bar->size)
		return -ENODEV;
	if (!(flags & VFIO_REGION_INFO_FLAG_MMAP))
		return 0;
	/*
	 * A BAR with a sparse-mmap capability (an MSI-X table inside it on
	 * older kernels) refuses a whole-BAR mmap; pread/pwrite still work.
	 */
	p = mmap(NULL, bar->size, PROT_READ | PROT_WRITE, MAP_SHARED,
		 device_fd, (off_t)bar->offset);
	if (p != MAP_FAILED)
		bar->map = p;
	return 0;
}

void vfio_bar_close(struct vfio_bar *bar)
{
	if (bar->map)
		munmap((void *)bar->map, bar->size);
	bar->map = NULL;
	bar->size = 0;
}

static void io_failed(struct vfio_bar *bar, int e)
{
	if (!bar->io_error)
		bar->io_error = e ? e : EIO;
}

static int in_bar(struct vfio_bar *bar, uint64_t off, size_t len)
{
	if (bar->size < len || off > bar->size - len || off % len) {
		io_failed(bar, EINVAL);
		return 0;
	}
	return 1;
}

static void bar_pread(struct vfio_bar *bar, uint64_t off, void *v, size_t len)
{
	if (pread(bar->device_fd, v, len, (off_t)(bar->offset + off)) != (ssize_t)len) {
		io_failed(bar, errno);
		memset(v, 0xff, len);
	}
}

static void bar_pwrite(struct vfio_bar *bar, uint64_t off, const void *v, size_t len)
{
	if (pwrite(bar->device_fd, v, len, (off_t)(bar->offset + off)) != (ssize_t)len)
		io_failed(bar, errno);
}

uint32_t vfio_bar_read32(struct vfio_bar *bar, uint64_t off)
{
	uint32_t v = UINT32_MAX;

	if (!in_bar(bar, off, sizeof(v)))
		return v;
	if (bar->map)
		return *(volatile uint32_t *)(bar->map + off);
	bar_pread(bar, off, &v, sizeof(v));
	return v;
}

uint64_t vfio_bar_read64(struct vfio_bar *bar, uint64_t off)
{
	uint64_t v = UINT64_MAX;

	if (!in_bar(bar, off, sizeof(v)))
		return v;
	if (bar->map)
		return *(volatile uint64_t *)(bar->map + off);
	bar_pread(bar, off, &v, sizeof(v));
	return v;
}

void vfio_bar_write32(struct vfio_bar *bar, uint64_t off, uint32_t val)
{
	if (!in_bar(bar, off, sizeof(val)))
		return;
	if (bar->map)
		*(volatile uint32_t *)(bar->map + off) = val;
	else
		bar_pwrite(bar, off, &val, sizeof(val));
}

void vfio_bar_write64(struct vfio_bar *bar, uint64_t off, uint64_t val)
{
	if (!in_bar(bar, off, sizeof(val)))
		return;
	if (bar->map)
		*(volatile uint64_t *)(bar->map + off) = val;
	else
		bar_pwrite(bar, off, &val, sizeof(val));
}

static int config_offset(int device_fd, uint64_t *offset, uint64_t *size)
{
	uint32_t flags = 0;

	return vfio_region_info(device_fd, VFIO_PCI_CONFIG_REGION_INDEX,
				size, offset, &flags);
}

static int config_rw(int device_fd, uint32_t off, void *buf, size_t len,
		     bool write)
{
	uint64_t base = 0, size = 0;
	ssize_t n;
	int ret;

	if ((len != 1 && len != 2 && len != 4) || off % len)
		return -EINVAL;
	ret = config_offset(device_fd, &base, &size);
	if (ret)
		return ret;
	if (off + len > size)
		return -EINVAL;
	n = write ? pwrite(device_fd, buf, len, (off_t)(base + off))
		  : pread(device_fd, buf, len, (off_t)(base + off));
	if (n < 0)
		return -errno;
	return n == (ssize_t)len ? 0 : -EIO;
}

int vfio_config_read(int device_fd, uint32_t off, void *buf, size_t len)
{
	return config_rw(device_fd, off, buf, len, false);
}

int vfio_config_write(int device_fd, uint32_t off, const void *buf, size_t len)
{
	return config_rw(device_fd, off, (void *)buf, len, true);
}

int vfio_config_read16(int device_fd, uint32_t off, uint16_t *val)
{
	return vfio_config_read(device_fd, off, val, sizeof(*val));
}

int vfio_config_write16(int device_fd, uint32_t off, uint16_t val)
{
	return vfio_config_write(device_fd, off, &val, sizeof(val));
}

int vfio_config_find_cap(int device_fd, uint8_t id)
{
	uint16_t status;
	uint8_t pos, hdr[2];
	int ret, hops;

	ret = vfio_config_read16(device_fd, PCI_STATUS, &status);
	if (ret)
		return ret;
	if (!(status & PCI_STATUS_CAP_LIST))
		return 0;
	ret = vfio_config_read(device_fd, PCI_CAPABILITY_LIST, &pos, 1);
	if (ret)
		return ret;
	/* 48 hops at most, as the kernel's own walk: a loop is a bad device. */
	for (hops = 0; pos >= 0x40 && hops < 48; hops++) {
		pos &= ~3;
		ret = vfio_config_read(device_fd, pos, &hdr[0], 1);
		if (!ret)
			ret = vfio_config_read(device_fd, pos + 1, &hdr[1], 1);
		if (ret)
			return ret;
		if (hdr[0] == id)
			return pos;
		pos = hdr[1];
	}
	return 0;
}

int vfio_bus_master(int device_fd, bool enable)
{
	const uint16_t bits = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	uint16_t cmd;
	int ret;

	ret = vfio_config_read16(device_fd, PCI_COMMAND, &cmd);
	if (ret)
		return ret;
	/* Turning DMA off leaves memory decode on: the BAR stays readable. */
	cmd = enable ? (cmd | bits) : (cmd & ~PCI_COMMAND_MASTER);
	return vfio_config_write16(device_fd, PCI_COMMAND, cmd);
}
