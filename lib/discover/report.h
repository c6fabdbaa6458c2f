/* SPDX-License-Identifier: GPL-2.0-only */
/* The platform for people (an aligned table) and for machines (JSON). */
#ifndef SNOOP_REPORT_H
#define SNOOP_REPORT_H

#include <stdio.h>

#include <json.h>

#include "discover/platform.h"

void platform_print_table(FILE *f, const struct platform *p);
/* A new object: {kernel, dmi, platform_id, iommu_units[], devices[]}. */
json_object *platform_to_json(const struct platform *p);
json_object *device_to_json(const struct pci_device_info *d);
json_object *unit_to_json(const struct iommu_unit *u);

#endif
