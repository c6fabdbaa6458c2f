/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The options that say which devices a command may touch and how, shared
 * by runner bind and runner run so they accept and check them alike.
 */
#ifndef SNOOP_SELECTION_OPTS_H
#define SNOOP_SELECTION_OPTS_H

#include <getopt.h>

#include "host/bind.h"
#include "host/select.h"

#define SELECTION_LONG_OPTIONS \
	{ "config", required_argument, NULL, 'c' }, \
	{ "device", required_argument, NULL, 'd' }, \
	{ "vendor", required_argument, NULL, 'V' }, \
	{ "class", required_argument, NULL, 'C' }, \
	{ "force", no_argument, NULL, 'f' }, \
	{ "run-dir", required_argument, NULL, 'r' }
#define SELECTION_SHORT_OPTIONS "c:d:fr:"

struct selection_args {
	struct select_opts sel;
	struct bind_opts bind;
	const char *dir;	/* run directory: lock and journal */
};

/* Defaults: the run directory from journal_default_dir(). */
void selection_args_init(struct selection_args *a);
/*
 * Option c (from getopt_long) with its argument: 0 taken, -EINVAL bad
 * value (the message is printed), 1 not a selection option.
 */
int selection_option(struct selection_args *a, int c, const char *arg);

#endif
