/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tri-state fact: known true, known false, or not known (with a reason
 * kept by whoever holds it). Discovery, the IOMMU units and the PCI devices
 * all state facts this way, so the type sits below all of them.
 */
#ifndef SNOOP_BASE_FACT_H
#define SNOOP_BASE_FACT_H

enum fact { FACT_UNKNOWN = -1, FACT_NO = 0, FACT_YES = 1 };

const char *fact_name(enum fact f);	/* "yes", "no", "unknown" */

#endif
