/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A kernel's .config, as /proc/config.gz (CONFIG_IKCONFIG_PROC, gzip) or
 * /boot/config-RELEASE (text) holds it: "CONFIG_NAME=value" lines and
 * "# CONFIG_NAME is not set" lines, other comments and blanks ignored.
 */
#ifndef SNOOP_KCONFIG_H
#define SNOOP_KCONFIG_H

#include <stddef.h>

/* The most a config may inflate to; a distribution's is about 300 KiB. */
#define KCONFIG_TEXT_MAX ((size_t)8 << 20)

/*
 * Inflate a gzip stream (zlib). *text is malloc'd and NUL-terminated,
 * *len without the NUL. 0; -EINVAL not gzip, corrupt or cut short (why
 * says which, may be NULL); -EFBIG past KCONFIG_TEXT_MAX; -ENOMEM.
 */
int kconfig_gunzip(const void *gz, size_t gzlen, char **text, size_t *len,
		   char *why, size_t whylen);

/*
 * The value of option (e.g. "CONFIG_IOMMUFD", name included) in text[len]:
 * copied into val ("y", "m", a number or a string as written, quotes
 * kept), "n" for "# CONFIG_X is not set". 0 found; -ENOENT not in the
 * file (Kconfig leaves out options whose dependencies are off and options
 * the kernel does not have: off either way); -ENAMETOOLONG val too short
 * for it.
 */
int kconfig_lookup(const char *text, size_t len, const char *option, char *val, size_t vallen);

#endif
