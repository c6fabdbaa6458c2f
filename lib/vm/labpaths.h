/* SPDX-License-Identifier: GPL-2.0-only */
/* Where the runner finds its own data: the source tree it was built from. */
#ifndef SNOOP_LABPATHS_H
#define SNOOP_LABPATHS_H

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
 * The virtual lab's kernel: $KERNEL if set, else the cached build from
 * vm/build-kernel.sh (built on first use; as root, only a script that
 * passes trust_path()). 0, or -1 with a message.
 */
int lab_kernel(char *buf, size_t len);

#endif
