// SPDX-License-Identifier: GPL-2.0-only
/*
 * runner fio: the "nothing lost" passes and the workload measurement on a
 * storage device's scratch range, through its kernel driver. Prints one
 * JSON document on stdout; exit 1 when a pass fails (with the offending
 * offsets in the JSON), 2 on bad input.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/fs.h>

#include <json-c/json.h>

#include "commands.h"
#include "host/journal.h"
#include "vfio/devctl.h"
#include "workload/fio.h"
#include "base/number.h"
#include "base/scratch.h"

#define USAGE "fio write|verify|measure --filename DEV --scratch-lba START+COUNT [--lba-size N] [--bdf BDF] [--timeout S] [--fio PATH]"

static void usage(FILE *f)
{
	fprintf(f, "usage: runner " USAGE "\n"
		"  write    lay a crc32c verify pattern on the scratch range\n"
		"  verify   check every block of it (after the VFIO cycle)\n"
		"  measure  bw/IOPS/latency of the same job; with --bdf once with\n"
		"           DevCtl Enable No Snoop set and once cleared, then the\n"
		"           register is restored (its original is journalled first in\n"
		"           $SNOOPCHECK_RUNDIR, default /run/snoopcheck, for `runner restore`)\n"
		"The range is the lab config's scratch_lba, in logical blocks of DEV\n"
		"(its own block size for a block device; --lba-size, default 512, for\n"
		"a file).\n"
		"fio is /usr/bin/fio or /usr/local/bin/fio, never found through PATH;\n"
		"--fio names another (an absolute path nobody else can write to).\n");
}

static int run_one(const struct fio_job *j, struct json_object **out)
{
	struct fio_result r;
	char why[512];
	int ret = fio_run(j, &r, stderr);

	if (ret) {
		fio_result_free(&r);
		return -1;
	}
	*out = fio_result_json(j, &r);
	ret = fio_verdict(j, &r, why, sizeof(why));
	if (ret)
		fprintf(stderr, "runner fio %s: %s\n", fio_pass_name(j->pass), why);
	fio_result_free(&r);
	return ret;
}

static int measure_with_ens(struct fio_job *j, const char *bdf,
			    struct json_object *doc)
{
	struct json_object *arr = json_object_new_array();
	struct devctl_view v, after;
	struct journal jn;
	int ret, failed = 0;

	json_object_object_add(doc, "measurements", arr);
	ret = devctl_read_libpci(bdf, &v);
	if (ret) {
		fprintf(stderr, "runner fio: %s: cannot read DevCtl through libpci: %s\n",
			bdf, strerror(-ret));
		return EXIT_BADINPUT;
	}
	json_object_object_add(doc, "devctl_original", json_object_new_int(v.devctl));
	/* Journalled first: a kill or a libpci error between here and the
	 * write-back leaves a record that `runner restore` puts back. */
	journal_init(&jn, journal_default_dir());
	ret = devctl_journal(&jn, bdf, v.devctl);
	if (ret) {
		fprintf(stderr, "runner fio: %s: cannot journal DevCtl before changing it: %s; DevCtl not changed\n",
			bdf, jn.why);
		journal_close(&jn);
		return EXIT_TESTFAIL;
	}
	for (int on = 1; on >= 0; on--) {
		struct json_object *m = NULL;

		ret = devctl_write_libpci(bdf, devctl_with_ens(v.devctl, on));
		if (ret) {
			fprintf(stderr, "runner fio: %s: writing DevCtl: %s\n", bdf, strerror(-ret));
			failed = 1;
			break;
		}
		if (run_one(j, &m))
			failed = 1;
		if (m) {
			json_object_object_add(m, "ens", json_object_new_boolean(on));
			json_object_array_add(arr, m);
		}
	}
	/* Put the register back however the runs went, and check it. */
	ret = devctl_write_libpci(bdf, v.devctl);
	if (!ret)
		ret = devctl_read_libpci(bdf, &after);
	if (ret || after.devctl != v.devctl) {
		fprintf(stderr, "runner fio: %s: restore-failed: DevCtl 0x%04x, wanted 0x%04x; the journal in %s keeps the original for `runner restore`\n",
			bdf, ret ? 0 : after.devctl, v.devctl, jn.dir);
		json_object_object_add(doc, "restore_failed", json_object_new_boolean(1));
		failed = 1;
	} else if (devctl_forget(&jn, bdf)) {
		/* harmless: restore finds DevCtl as journalled and drops it */
		fprintf(stderr, "runner fio: %s: DevCtl is back, but its record stays in %s/journal until `runner restore`\n",
			bdf, jn.dir);
	}
	journal_close(&jn);
	return failed ? EXIT_TESTFAIL : 0;
}

/*
 * The logical block size the scratch LBAs are counted in: the device's
 * own for a block device (a --lba-size that disagrees is an error), the
 * given one or 512 for a file. 0 or an exit status.
 */
static int device_lba_size(const char *path, bool blockdev, unsigned int *lba_size)
{
	int fd, ssz = 0;

	if (!blockdev) {
		if (!*lba_size)
			*lba_size = 512;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || ioctl(fd, BLKSSZGET, &ssz) || ssz <= 0) {
			fprintf(stderr, "runner fio: %s: logical block size: %s\n", path, strerror(errno));
			if (fd >= 0)
				close(fd);
			return EXIT_BADINPUT;
		}
		close(fd);
		if (*lba_size && *lba_size != (unsigned int)ssz) {
			fprintf(stderr, "runner fio: --lba-size %u, but %s has %d-byte blocks\n",
				*lba_size, path, ssz);
			return EXIT_BADINPUT;
		}
		*lba_size = (unsigned int)ssz;
	}
	if (*lba_size < 512 || *lba_size > 65536 || (*lba_size & (*lba_size - 1))) {
		fprintf(stderr, "runner fio: --lba-size %u: expected a power of two from 512 to 65536\n",
			*lba_size);
		return EXIT_BADINPUT;
	}
	return 0;
}

int cmd_fio(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "filename", required_argument, NULL, 'f' },
		{ "scratch-lba", required_argument, NULL, 's' },
		{ "lba-size", required_argument, NULL, 'L' },
		{ "bdf", required_argument, NULL, 'b' },
		{ "timeout", required_argument, NULL, 't' },
		{ "fio", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct fio_job j = { 0 };
	struct json_object *doc, *res = NULL;
	const char *scratch = NULL, *bdf = NULL;
	struct scratch_range lbas;
	unsigned int lba_size = 0;
	uint64_t lba_arg;
	char err[512];
	struct stat st;
	int opt, ret;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'f': j.filename = optarg; break;
		case 's': scratch = optarg; break;
		case 'b': bdf = optarg; break;
		case 'L':
			if (number_parse_u64(optarg, &lba_arg) || lba_arg > UINT_MAX) {
				fprintf(stderr, "runner fio: --lba-size: expected bytes per block (decimal or 0x hex), got '%s'\n",
					optarg);
				return EXIT_BADINPUT;
			}
			lba_size = (unsigned int)lba_arg;
			break;
		case 't':
			if (number_parse_timeout(optarg, &j.timeout_s)) {
				fprintf(stderr, "runner fio: --timeout: expected seconds 1..%d (decimal or 0x hex), got '%s'\n",
					TIMEOUT_MAX_S, optarg);
				return EXIT_BADINPUT;
			}
			break;
		case 'F':
			if (fio_check_binary(optarg, err, sizeof(err))) {
				fprintf(stderr, "runner fio: --fio: %s\n", err);
				return EXIT_BADINPUT;
			}
			j.fio = optarg;
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return EXIT_BADINPUT;
		}
	}
	if (optind != argc - 1 || !j.filename || !scratch) {
		usage(stderr);
		return EXIT_BADINPUT;
	}
	if (!strcmp(argv[optind], "write"))
		j.pass = FIO_WRITE;
	else if (!strcmp(argv[optind], "verify"))
		j.pass = FIO_VERIFY;
	else if (!strcmp(argv[optind], "measure"))
		j.pass = FIO_MEASURE;
	else {
		fprintf(stderr, "runner fio: unknown pass '%s' (expected write, verify or measure)\n",
			argv[optind]);
		return EXIT_BADINPUT;
	}
	if (scratch_parse(scratch, &lbas, err, sizeof(err))) {
		fprintf(stderr, "runner fio: --scratch-lba: %s\n", err);
		return EXIT_BADINPUT;
	}
	/* fio would create a missing file: the target must be there. */
	if (stat(j.filename, &st)) {
		fprintf(stderr, "runner fio: --filename %s: %s\n", j.filename, strerror(errno));
		return EXIT_BADINPUT;
	}
	/* O_DIRECT on a block device so the device, not the page cache, answers. */
	j.direct = S_ISBLK(st.st_mode);
	ret = device_lba_size(j.filename, j.direct, &lba_size);
	if (ret)
		return ret;
	if (scratch_bytes(&lbas, lba_size, &j.offset, &j.length)) {
		fprintf(stderr, "runner fio: --scratch-lba %s: too large for %u-byte blocks\n",
			scratch, lba_size);
		return EXIT_BADINPUT;
	}
	j.bs = j.offset % 4096 || j.length % 4096 ? lba_size : 4096;

	doc = json_object_new_object();
	if (j.pass == FIO_MEASURE && bdf) {
		ret = measure_with_ens(&j, bdf, doc);
	} else {
		ret = run_one(&j, &res);
		if (ret < 0)
			ret = EXIT_TESTFAIL;
		if (res)
			json_object_object_add(doc, j.pass == FIO_MEASURE ? "measurement" : "result", res);
	}
	printf("%s\n", json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
						      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
	return ret;
}
