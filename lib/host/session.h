/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One binding session, for `runner bind` and `runner run` alike: the lock
 * on the run directory, the signal flag, the journal, and what happened to
 * each selected device. Devices stay on vfio-pci until session_give_back()
 * (or, after SIGKILL, `runner restore`), so whatever runs in between (a
 * command, the suites) is the caller's business.
 */
#ifndef SNOOP_SESSION_H
#define SNOOP_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "host/bind.h"
#include "host/journal.h"
#include "host/select.h"

struct session {
	const char *dir;		/* run directory: lock and journal */
	struct bind_opts bind;
	struct bind_result *res;	/* one per device reached, in order */
	size_t n;
	bool broken;			/* a failed step left a group half-made */
	int lock;			/* -1: not taken (dry run) */
	int sigfd;			/* readable after SIGINT/SIGTERM/SIGHUP */
	struct journal j;
};

/*
 * Take the lock (not for a dry run) and watch signals. o's journal, pid
 * and interrupted are filled in here, and SNOOPCHECK_RUNDIR is set to dir
 * for the processes started in between (their DevCtl records go into the
 * same journal). 0, or -errno with a message on err.
 */
int session_begin(struct session *s, const char *dir, const struct bind_opts *o,
		  FILE *err);
/*
 * Decide for every selected device first (a dry run: every refusal is
 * found and reported before anything is touched), then bind the others in
 * order; stop at a step that fails part way (broken) or at a signal, the
 * devices not reached marked refused. Every selected device gets a result.
 * Returns 0 when every device is on vfio-pci (or would be), else 1.
 */
int session_bind(struct session *s, const struct selection *sel);
/* Device i of the results is on vfio-pci (or would be, in a dry run). */
bool session_ready(const struct session *s, size_t i);
/* The addresses of the ready devices, space separated, into buf. */
void session_ready_list(const struct session *s, char *buf, size_t len);
/* Anything moved to vfio-pci by this session. */
bool session_moved_any(const struct session *s);
/*
 * Give back what this runner changed, from the journal. 0, or -EIO with a
 * message on err saying that `runner restore` can finish once fixed.
 */
int session_give_back(struct session *s, FILE *out, FILE *err);
/* Stop watching signals, release the lock, free the results. */
void session_end(struct session *s);

#endif
