// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner capture DIR: run discovery live while recording every file it
 * reads under DIR, and the config space as DIR/lspci-xxxx.txt, so that
 * `runner list --from DIR` reproduces this machine anywhere. DIR must be
 * new, or an empty directory only its user may write (see
 * sysroot_capture_to()): the capture runs as root and writes only inside.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "discover.h"
#include "base/fsutil.h"
#include "discover/pci.h"
#include "sysfs/sysroot.h"

static int write_dump(void)
{
	char *buf = NULL;
	size_t len = 0;
	struct pci_access *a;
	FILE *f;
	int ret;

	a = pcidev_open(NULL, stderr);
	if (!a)
		return -EIO;
	f = open_memstream(&buf, &len);
	if (!f) {
		pcidev_close(a);
		return -errno;
	}
	ret = pcidev_write_dump(a, f, stderr);
	fclose(f);
	pcidev_close(a);
	if (!ret)
		ret = sysroot_capture_write("/lspci-xxxx.txt", buf, len);
	free(buf);
	return ret;
}

static int write_info(void)
{
	char text[512];
	time_t now = time(NULL);
	struct tm tm;
	int n;

	gmtime_r(&now, &tm);
	n = snprintf(text, sizeof(text),
		     "captured: %04d-%02d-%02dT%02d:%02d:%02dZ\n"
		     "by: snoopcheck runner capture\n"
		     "root: %s\n",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		     tm.tm_min, tm.tm_sec, geteuid() == 0 ? "yes" :
		     "no (config space past 64 bytes was not readable)");
	return sysroot_capture_write("/capture-info.txt", text, (size_t)n);
}

int cmd_capture(int argc, char **argv)
{
	struct platform p;
	struct allowlist a;
	const char *dir;
	int ret;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: runner capture DIR\n");
		return EXIT_BADINPUT;
	}
	dir = argv[1];
	if (!path_arg_ok("runner capture", dir, stderr))
		return EXIT_BADINPUT;
	if (sysroot_capture_to(dir))
		return EXIT_BADINPUT;	/* it said why */
	ret = discover(&p, &a, NULL, NULL);
	if (!ret) {
		discover_done(&p, &a);
		ret = write_dump();
		if (!ret)
			ret = write_info();
		if (ret) {
			fprintf(stderr, "%s: capture incomplete: %s\n", dir, strerror(-ret));
			ret = EXIT_TESTFAIL;
		}
	}
	sysroot_capture_to(NULL);
	if (!ret)
		printf("captured to %s; replay with: runner list --from %s\n", dir, dir);
	return ret;
}
