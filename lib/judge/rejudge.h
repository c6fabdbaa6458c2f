/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * runner validate past the schema: a results file re-judged from its own
 * content with the code runner run judged it with, and its platform held
 * against a replay of the capture submitted with it. Every problem is one
 * line "NAME: $.path: what" on err, e.g.
 *   r.json: $.verdicts[1].label: recorded blocked-by-iommu, the evidence
 *   gives cc-misreported (a path reported no enforcement ...)
 */
#ifndef SNOOP_REJUDGE_H
#define SNOOP_REJUDGE_H

#include <stdio.h>

#include <json.h>

/*
 * doc: a schema-valid results document. Checks that
 *  - each IOMMU unit's decoded facts and enforces_coherency are what its
 *    raw registers give (unit_to_json, iommu_unit_can_enforce), and each
 *    device's integrated_endpoint what its pcie_type gives;
 *  - every device with tests or a devices[] entry has exactly one verdict,
 *    and no verdict names a device that was not run;
 *  - each verdict's label is what verdict_decide() gives from the recorded
 *    platform, the tests' evidence (tally_line) and devices[].driver_after,
 *    put together by gather_evidence() as runner run does;
 *  - devices[].driver_before is the platform's driver for that device.
 * Returns how many problems, or -ENOMEM.
 */
int rejudge_results(json_object *doc, const char *name, FILE *err);

/*
 * doc's platform against replayed (platform_to_json() of a capture): every
 * member, IOMMU units matched by name and devices by BDF, except those that
 * differ through no fault of the file: source ("live" against the capture
 * path), virtual (written by runner run only) and vendor_name, device_name,
 * class_name (from the pci.ids of whichever machine reads them). Returns
 * how many members differ.
 */
int rejudge_replay(json_object *doc, json_object *replayed, const char *name, FILE *err);

#endif
