/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The platform a results file recorded, read back into the structures
 * discovery fills, so that runner validate decides verdicts from it with
 * the code runner run used on the live platform. Only what a verdict or a
 * register check reads comes back: unit kind, raw registers and
 * enforcement; device driver, unit, config size, PCIe type, Enable No
 * Snoop and allowlist class. Names and allowlist evidence do not.
 */
#ifndef SNOOP_READBACK_H
#define SNOOP_READBACK_H

#include <stdio.h>

#include <json.h>

#include "discover/platform.h"

/*
 * plat: a results file's "platform" member, schema-valid. Every value that
 * cannot be read back (a register that is not hex, a PCIe type this runner
 * does not name) is one line "name: $.platform...: what" on err. Returns
 * how many such lines, or -ENOMEM; free p with platform_free() either way.
 */
int readback_platform(json_object *plat, struct platform *p, const char *name, FILE *err);

#endif
