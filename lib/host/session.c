// SPDX-License-Identifier: GPL-2.0-only
#include "host/session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/sigflag.h"
#include "host/restore.h"
#include "host/runlock.h"

int session_begin(struct session *s, const char *dir, const struct bind_opts *o,
		  FILE *err)
{
	const char *cur;

	memset(s, 0, sizeof(*s));
	s->dir = dir;
	s->bind = *o;
	s->lock = s->sigfd = -1;
	if (!o->dry_run && (s->lock = runlock_take(dir, err)) < 0)
		return -EBUSY;
	s->sigfd = sigflag_install();
	if (s->sigfd < 0) {
		fprintf(err, "runner: cannot watch signals: %s\n", strerror(-s->sigfd));
		runlock_release(s->lock);
		s->lock = -1;
		return s->sigfd;
	}
	journal_init(&s->j, dir);
	/* What runs in between (a command, the suites) journals its DevCtl
	 * changes next to these records, where the give-back finds them. dir
	 * may be the variable's own value: then it stays as it is. */
	cur = getenv("SNOOPCHECK_RUNDIR");
	if ((!cur || strcmp(cur, dir)) && setenv("SNOOPCHECK_RUNDIR", dir, 1)) {
		int e = errno;

		fprintf(err, "runner: cannot set SNOOPCHECK_RUNDIR: %s\n", strerror(e));
		session_end(s);
		return -e;
	}
	s->bind.journal = &s->j;
	s->bind.pid = (long)getpid();
	s->bind.interrupted = sigflag_caught;
	return 0;
}

int session_bind(struct session *s, const struct selection *sel)
{
	struct bind_opts look = s->bind;
	int status = 0;

	s->res = calloc(sel->n ? sel->n : 1, sizeof(*s->res));
	if (!s->res)
		return 1;
	s->n = sel->n;
	/* Every refusal, for every device, before anything is touched. */
	look.dry_run = true;
	look.journal = NULL;
	for (size_t i = 0; i < s->n; i++)
		status |= bind_device(sel->v[i].bdf, &look, &s->res[i]) != 0;
	if (s->bind.dry_run)
		return status;
	for (size_t i = 0; i < s->n; i++) {
		int ret;

		if (s->res[i].refused)
			continue;
		if (s->broken || (s->bind.interrupted && s->bind.interrupted())) {
			/* not reached: nothing of it was touched */
			s->res[i].refused = true;
			snprintf(s->res[i].error, sizeof(s->res[i].error),
				 "not bound: binding stopped before it (%s)",
				 s->broken ? "a step failed on an earlier device" : "interrupted");
			status = 1;
			continue;
		}
		ret = bind_device(sel->v[i].bdf, &s->bind, &s->res[i]);
		status |= ret != 0;
		/* a refusal touched nothing; anything else leaves a half-made group */
		s->broken = ret && !s->res[i].refused;
	}
	journal_close(&s->j);
	return status;
}

bool session_ready(const struct session *s, size_t i)
{
	return i < s->n && !s->res[i].refused && !s->res[i].error[0];
}

void session_ready_list(const struct session *s, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < s->n; i++) {
		if (!session_ready(s, i))
			continue;
		if (buf[0])
			strncat(buf, " ", len - strlen(buf) - 1);
		strncat(buf, s->res[i].bdf, len - strlen(buf) - 1);
	}
}

bool session_moved_any(const struct session *s)
{
	for (size_t i = 0; i < s->n; i++)
		for (size_t m = 0; m < s->res[i].n_members; m++)
			if (s->res[i].member[m].action == MEMBER_BOUND)
				return true;
	return false;
}

int session_give_back(struct session *s, FILE *out, FILE *err)
{
	int ret = restore_journal(s->dir, s->bind.pid, out, err);

	if (ret == -ENOENT || !ret)
		return 0;
	fprintf(err, "runner: the journal in %s keeps what could not be given back; run `runner restore` once the cause is fixed\n",
		s->dir);
	return -EIO;
}

void session_end(struct session *s)
{
	if (s->sigfd >= 0)
		sigflag_remove();
	runlock_release(s->lock);
	free(s->res);
	s->res = NULL;
	s->n = 0;
}
