/* SPDX-License-Identifier: GPL-2.0-only */
/* Where the runner finds its own data: the source tree it was built from. */
#ifndef SNOOP_LABPATHS_H
#define SNOOP_LABPATHS_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The repository the runner was built in (vm/, drivers-allowlist/,
 * suites/, ...), or $SNOOPCHECK_SRCDIR. As root the variable is honoured
 * only when that tree, its suites/, vm/ and drivers-allowlist/ pass
 * trust_dir_chain() (base/trust.h); otherwise stderr says why, once, and
 * the build tree is used.
 */
const char *lab_srcdir(void);
/*
 * A virtual-lab kernel. series NULL: the default one, $KERNEL if set, else
 * the cached build from vm/build-kernel.sh (built on first use; as root,
 * only a script that passes trust_path()). series "6.1" and the like:
 * `vm/build-kernel.sh SERIES`, which honours KERNEL_6_1 and knows which
 * series exist. 0, or -1 with a message.
 */
int lab_kernel(const char *series, char *buf, size_t len);
/* Is s shaped like a kernel series, digits.digits ("6.1", "6.12")? */
bool lab_kernel_series_ok(const char *s);

#endif
