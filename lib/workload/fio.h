/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fio as the "nothing lost" witness and as a workload. One job on the
 * scratch range of a storage device (through its kernel driver):
 *   write   lay down a verify pattern (crc32c headers) and do not read it
 *   verify  read the range back and check every block (--verify_only)
 *   measure write and read back the same pattern, for bw/IOPS/latency
 * fio writes its JSON report to a file of its own (--output), so nothing
 * it prints on stdout or stderr can corrupt it; stderr is kept apart and
 * searched for the blocks that failed verification, with their offsets.
 */
#ifndef SNOOP_FIO_H
#define SNOOP_FIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>


enum fio_pass { FIO_WRITE, FIO_VERIFY, FIO_MEASURE };

struct fio_job {
	const char *filename;		/* /dev/nvme0n1, or a file in tests */
	uint64_t offset, length;	/* bytes: the scratch range, nothing else */
	enum fio_pass pass;
	bool direct;			/* O_DIRECT: yes for block devices */
	unsigned int bs;		/* block size, 0: 4096 */
	int timeout_s;			/* kill fio after this, 0: 600 */
	const char *fio;		/* the binary, an absolute path; NULL: fio_find() */
};

struct fio_stats {
	uint64_t io_bytes;
	uint64_t bw_bytes;		/* bytes per second */
	double iops;
	uint64_t clat_p50_ns, clat_p99_ns, clat_p999_ns;	/* 0: none */
};

struct fio_bad_block {
	uint64_t offset;		/* byte offset in the file */
	uint64_t length;
	char what[64];			/* "verify: bad magic header 86e0, wanted acca" */
};

struct fio_result {
	int exit_status;		/* fio's exit status, -1 killed */
	bool timed_out;
	char version[32];
	int job_error;			/* jobs[0].error (errno, 84 = EILSEQ: verify) */
	uint64_t total_err;		/* jobs[0].total_err */
	struct fio_stats read, write;
	struct fio_bad_block *bad;
	size_t n_bad;
	char *err_text;			/* fio's stderr, as printed */
};

#define FIO_MAX_ARGS 24

struct fio_args {
	char *argv[FIO_MAX_ARGS + 1];
	char buf[FIO_MAX_ARGS][256];
	int argc;
};

const char *fio_pass_name(enum fio_pass pass);
/*
 * fio by absolute path, never through PATH, which a root run must not
 * trust: the first of /usr/bin/fio and /usr/local/bin/fio that
 * fio_check_binary() accepts, looked up once. NULL when neither is, with
 * why (why may be NULL).
 */
const char *fio_find(char *why, size_t len);
/*
 * bin may be run as fio: an absolute path to an executable regular file
 * that trust_path() accepts (base/trust.h). 0 or -errno with why.
 */
int fio_check_binary(const char *bin, char *why, size_t len);
/*
 * The command line for j, reporting JSON into json_path: j->fio or
 * fio_find() first (-ENOENT when there is none), and the file name
 * escaped as fio wants it (fio splits --filename at ':', a colon of the
 * name itself is written "\:"). 0, -ENOENT or -EINVAL.
 */
int fio_build_args(const struct fio_job *j, const char *json_path,
		   struct fio_args *a);

/*
 * Run j and fill r. 0 when fio ran and its report was read (the verdict
 * is fio_verdict's); -errno when it could not run or left no report (a
 * message on err, with fio's stderr).
 */
int fio_run(const struct fio_job *j, struct fio_result *r, FILE *err);

/*
 * fio's JSON report (text may start with lines that are not JSON, as fio
 * prints them on stdout). source names it in messages: "source: $.path:
 * expected ...". 0 or -EINVAL.
 */
int fio_parse_json(const char *text, const char *source, struct fio_result *r,
		   FILE *err);
/* Collect "... at file F offset N, length L" verify failures. 0 or -ENOMEM. */
int fio_parse_stderr(const char *text, struct fio_result *r);

/*
 * 0 when the pass did all of its I/O and fio saw no error; 1 with why
 * otherwise (a verify pass that read less than the range is a failure:
 * a check that checked nothing proves nothing).
 */
int fio_verdict(const struct fio_job *j, const struct fio_result *r,
		char *why, size_t len);

/* The result as JSON for evidence and measurements (new reference). */
struct json_object *fio_result_json(const struct fio_job *j,
				    const struct fio_result *r);
void fio_result_free(struct fio_result *r);

#endif
