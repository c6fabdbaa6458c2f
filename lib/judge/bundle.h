/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A submission bundle: what a vendor sends, as one tar archive (written and
 * read with libarchive) under one directory NAME/:
 *   NAME/results.json    the results file, byte for byte as validated
 *   NAME/logs/...        the run's raw logs directory, when there is one
 *   NAME/capture/...     `runner capture` of the machine, when given
 *   NAME/manifest.json   the run's identity and every entry above: files
 *                        with size and SHA-256, links with their target
 * NAME is snoopcheck-PLATFORM-KERNEL-STAMP-DIGEST: platform id, kernel
 * release and the run id's UTC stamp say whose run it is, the first eight
 * hex digits of the results file's SHA-256 keep two runs apart that share
 * all three (identical machines started in the same second). Characters
 * other than [A-Za-z0-9._-] become '_'.
 *
 * Directories are walked without following links: a link is stored as a
 * link (a capture needs them: sysfs's driver and iommu_group links), a
 * file is read only if it is a regular file when opened (O_NOFOLLOW), and
 * anything else (a device node, a FIFO) refuses the bundle.
 */
#ifndef SNOOP_BUNDLE_H
#define SNOOP_BUNDLE_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include <json.h>

struct bundle_spec {
	const char *results;		/* the results file's bytes */
	size_t results_len;
	const char *logs_dir;		/* NULL: none */
	const char *capture_dir;	/* NULL: none */
	const char *platform_id, *kernel_release, *run_id;
	const char *commit;		/* snoopcheck's git commit; NULL, "": unknown */
};

/* NAME (no ".tar") into name. 0, or -ENOMEM. */
int bundle_name(const struct bundle_spec *s, char *name, size_t len);

/*
 * Write OUTDIR/NAME.tar (a temp file, then linked into place: an existing
 * bundle is never overwritten). The path written into path. 0 or -errno,
 * with the reason on err.
 */
int bundle_write(const struct bundle_spec *s, const char *outdir, char *path, size_t len,
		 FILE *err);

struct bundle_unpacked {
	char tmp[PATH_MAX];		/* the directory it was unpacked into */
	char root[PATH_MAX];		/* tmp/NAME */
	char name[256];			/* NAME */
	json_object *manifest;		/* NULL when absent or unreadable */
};

/*
 * Unpack tar into a new directory under $TMPDIR (or /tmp) and check it
 * against its manifest: every entry under one NAME/, only files,
 * directories and relative links that stay inside NAME/, every file listed
 * with its size and SHA-256, nothing unlisted. Each problem is a line
 * "TAR: NAME/path: what" on err. Returns how many, or -1 when tar cannot
 * be read as a bundle at all (said on err). Free with bundle_unpacked_free().
 */
int bundle_unpack(const char *tar, struct bundle_unpacked *u, FILE *err);
/* Remove the unpacked directory. */
void bundle_unpacked_free(struct bundle_unpacked *u);

#endif
