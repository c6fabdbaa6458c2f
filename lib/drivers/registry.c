// SPDX-License-Identifier: GPL-2.0-only
/* The engines we have, and the glue every one of them shares. */
#include "drivers/engine.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <pci/header.h>

#include "base/clock.h"
#include "vfio/vfio_region.h"

static const struct dma_engine_ops *const engines[] = {
	&edu_ops,
	&nvme_ops,
};

int engine_read_ident(int device_fd, struct pci_ident *id)
{
	uint32_t class_rev;
	int ret;

	ret = vfio_config_read16(device_fd, PCI_VENDOR_ID, &id->vendor);
	if (!ret)
		ret = vfio_config_read16(device_fd, PCI_DEVICE_ID, &id->device);
	if (!ret)
		ret = vfio_config_read(device_fd, PCI_CLASS_REVISION, &class_rev,
				       sizeof(class_rev));
	if (ret)
		return ret;
	id->class_code = class_rev >> 8;
	return 0;
}

const struct dma_engine_ops *engine_find(const struct pci_ident *id)
{
	for (size_t i = 0; i < sizeof(engines) / sizeof(engines[0]); i++)
		if (!engines[i]->probe(id))
			return engines[i];
	return NULL;
}

int engine_init(struct dma_engine *e, const struct dma_engine_ops *ops,
		struct attach *a, struct iova_space *space)
{
	int ret;

	e->ops = ops;
	e->a = a;
	e->iova = space;
	e->reason[0] = e->status[0] = '\0';
	if (!e->timeout_ms)
		e->timeout_ms = 5000;
	ret = engine_read_ident(a->device_fd, &e->id);
	if (ret) {
		snprintf(e->reason, sizeof(e->reason),
			 "reading the identity through the VFIO config region: %s",
			 strerror(-ret));
		return ret;
	}
	ret = iova_space_query(space, a, ops->dma_mask);
	if (ret) {
		snprintf(e->reason, sizeof(e->reason), "IOVA space: %s", a->reason);
		return ret;
	}
	ret = ops->init(e);
	if (ret && !e->reason[0])
		snprintf(e->reason, sizeof(e->reason), "%s init: %s", ops->name,
			 strerror(-ret));
	return ret;
}

int engine_remove(struct dma_engine *e)
{
	int ret = e->ops ? e->ops->remove(e) : 0;

	e->ops = NULL;
	return ret;
}

int engine_memcpy(struct dma_engine *e, uint64_t src, uint64_t dst,
		  uint64_t size)
{
	int ret = e->ops->memcpy_start(e, src, dst, size);

	return ret ? ret : e->ops->memcpy_wait(e);
}

long engine_now_ms(void)
{
	return (long)(monotonic_s() * 1000);
}

void engine_sleep_us(long us)
{
	struct timespec ts = { us / 1000000L, (us % 1000000L) * 1000L };

	nanosleep(&ts, NULL);
}
