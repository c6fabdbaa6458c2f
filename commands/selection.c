// SPDX-License-Identifier: GPL-2.0-only
#include "selection.h"

#include <stdio.h>
#include <string.h>

#include <errno.h>

#include "base/fsutil.h"
#include "host/journal.h"

void selection_args_init(struct selection_args *a)
{
	memset(a, 0, sizeof(*a));
	a->dir = journal_default_dir();
}

int selection_option(struct selection_args *a, int c, const char *arg)
{
	switch (c) {
	case 'c':
		if (!path_arg_ok("--config", arg, stderr))
			return -EINVAL;
		a->sel.config = arg;
		return 0;
	case 'd': return select_add_device(&a->sel, arg, stderr);
	case 'V': return select_set_vendor(&a->sel, arg, stderr);
	case 'C': return select_set_class(&a->sel, arg, stderr);
	case 'f': a->bind.force = true; return 0;
	case 'r':
		if (!path_arg_ok("--run-dir", arg, stderr))
			return -EINVAL;
		a->dir = arg;
		return 0;
	default: return 1;
	}
}
