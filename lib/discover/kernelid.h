/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which kernel build this is, as far as the machine can tell: the
 * architecture, the GNU build-id of the running image, a git commit when
 * the release carries one, and the config options snoopcheck's results
 * depend on. Read through the sysfs seam, so a capture records it and a
 * replay reproduces it. Unknown stays unknown ("" / KOPT_UNKNOWN): never
 * a guessed value.
 */
#ifndef SNOOP_KERNELID_H
#define SNOOP_KERNELID_H

#include <stddef.h>

#include "discover/elfnote.h"

/* The options recorded, in this order (kernelid.c says why each matters). */
#define KERNELID_N_OPTIONS 14

struct kernel_identity {
	char arch[64];				/* /proc/sys/kernel/arch (uname -m) */
	char build_id[2 * ELFNOTE_BUILD_ID_MAX + 1];	/* /sys/kernel/notes */
	char git_commit[41];			/* from "-gSHA" in the release */
	char config_source[160];		/* the file the options came from, "" none */
	char options[KERNELID_N_OPTIONS][64];	/* as written, "n" not set; "" unknown */
};

/* The name of option i ("CONFIG_IOMMUFD"). */
const char *kernelid_option_name(size_t i);

/* Option name's value in id: "y", "m", "n", or "" unknown (or not recorded). */
const char *kernelid_option(const struct kernel_identity *id, const char *name);

/*
 * Why the running kernel lacks what option builds, for a skip reason a lab
 * engineer can act on: "kernel 6.1.192 predates CONFIG_IOMMUFD, new in
 * 6.2)", "kernel R is built without CONFIG_IOMMUFD (/proc/config.gz)", or
 * as much as is known. since: the release that brought the option, NULL
 * when every kernel we run has it.
 */
void kernelid_why_missing(const char *option, const char *since, char *out, size_t len);

/*
 * Fill id for the kernel whose release is given (for /boot/config-RELEASE
 * and the git commit). Problems with a file that is there but unreadable
 * as what it should be are said on stderr, naming it; the facts it would
 * have given stay unknown.
 */
void kernelid_read(struct kernel_identity *id, const char *release);

/*
 * The abbreviated or full commit in a release such as
 * "6.12.0-rc1-00012-gabcdef123456" (CONFIG_LOCALVERSION_AUTO, git
 * describe's "-g"), optionally followed by "-dirty" or "+": 7 to 40 hex
 * digits into out (41 bytes). 0 found, -ENOENT none.
 */
int kernelid_git_commit(const char *release, char *out, size_t len);

#endif
