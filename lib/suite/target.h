/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The device a suite runs on: named by BDF as the first argument or in
 * SNOOPCHECK_DEVICE (the runner sets it), and the checks that turn "this
 * cannot be tested here" into a skip reason a lab engineer can act on.
 *
 * NOTE: the attach suite needs the same; one copy should serve both.
 */
#ifndef SNOOP_TARGET_H
#define SNOOP_TARGET_H

#include <stddef.h>

/*
 * The BDF to test: argv[1] if it looks like one (then removed from argv
 * so the harness sees only its own options), else $SNOOPCHECK_DEVICE.
 * Written to bdf in full form (0000:00:03.0). 0, or -ENOENT when none
 * was given, -EINVAL when what was given is not a BDF (msg says so).
 */
int target_bdf(int *argc, char **argv, char *bdf, size_t len,
	       char *msg, size_t msglen);

/*
 * A suite's main(): target_bdf(), and for a BDF that is not one the
 * message "SUITE: ..." on stderr and exit status 2 (bad input). Returns
 * bdf, or NULL when none was given (bdf is then "" and msg says how to
 * give one, for the skip reason).
 */
const char *target_arg(const char *suite, int *argc, char **argv, char *bdf, size_t len,
		       char *msg, size_t msglen);

/* "00:03.0" from "0000:00:03.0": the form DMAR fault lines use. */
void target_short_bdf(const char *bdf, char *out, size_t len);

/*
 * 0 when bdf is bound to vfio-pci behind a real IOMMU; else -errno and
 * reason (no such device, bound elsewhere, no IOMMU / noiommu mode).
 */
int target_check_vfio(const char *bdf, char *reason, size_t len);

#endif
