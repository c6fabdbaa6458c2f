/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A first look at an lspci -x/-xxx/-xxxx file before libpci's dump method
 * reads it: libpci skips lines it does not understand and names no line
 * when it fails, so a garbage or cut file would replay as "no devices" or
 * fail without a place. This check names file:line and what was expected.
 */
#ifndef SNOOP_DUMPCHECK_H
#define SNOOP_DUMPCHECK_H

#include <stdio.h>

/*
 * 0 if the file looks like an lspci hex dump; else -EINVAL, or -errno when
 * it cannot be read (message to err). Only a regular file is read, never
 * through a link: the dump is a capture's own file.
 */
int dump_check(const char *path, FILE *err);

#endif
