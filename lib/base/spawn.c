// SPDX-License-Identifier: GPL-2.0-only
#include "base/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"

#define POLL_MS 50

static int redirect(const char *path, int flags, int fd)
{
	int f = open(path, flags | O_CLOEXEC, 0644);

	if (f < 0 || dup2(f, fd) < 0)
		return -1;
	close(f);
	return 0;
}

/* Drop every NAME=VALUE whose name starts with prefix from our environ. */
static void unset_prefixed(const char *prefix)
{
	size_t n = strlen(prefix);
	char **w = environ;

	for (char **r = environ; r && *r; r++)
		if (strncmp(*r, prefix, n))
			*w++ = *r;
	if (w)
		*w = NULL;
}

/* In the child: never returns. Failures exit 127 with errno in the pipe. */
static void child(char *const argv[], const struct spawn_opts *o, pid_t parent, int errfd)
{
	int e;

	if (!o->same_group)
		setpgid(0, 0);
	if (o->die_with_parent &&
	    (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent))
		_exit(127);	/* the caller is already gone */
	if ((o->stdin_path && redirect(o->stdin_path, O_RDONLY, 0)) ||
	    (o->stdout_path && redirect(o->stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 1)))
		goto fail;
	if (o->stderr_path) {
		if (o->stdout_path && !strcmp(o->stderr_path, o->stdout_path)) {
			if (dup2(1, 2) < 0)
				goto fail;
		} else if (redirect(o->stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 2)) {
			goto fail;
		}
	}
	if (o->unset_prefix)
		unset_prefixed(o->unset_prefix);
	for (char *const *v = o->env; v && *v; v++)
		if (putenv(*v))
			goto fail;
	/* The caller may block signals it reads through a signalfd. */
	{
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
	}
	if (o->search_path)
		execvp(argv[0], argv);
	else
		execv(argv[0], argv);
fail:
	e = errno;
	if (write(errfd, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

static void drain(int fd)
{
	char buf[128];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

int spawn_run(char *const argv[], const struct spawn_opts *opts, struct spawn_result *r)
{
	static const struct spawn_opts none;
	const struct spawn_opts *o = opts ? opts : &none;
	double deadline = o->timeout_s > 0 ? monotonic_s() + o->timeout_s : 0, kill_at = 0;
	int errpipe[2], st, e;
	pid_t parent = getpid(), pid, target;

	memset(r, 0, sizeof(*r));
	r->exit_status = -1;
	if (pipe2(errpipe, O_CLOEXEC))
		return -errno;
	fflush(NULL);	/* our output first, then the child's */
	pid = fork();
	if (pid < 0) {
		e = -errno;
		close(errpipe[0]);
		close(errpipe[1]);
		return e;
	}
	if (pid == 0)
		child(argv, o, parent, errpipe[1]);
	close(errpipe[1]);
	/* Both sides set the group, so a kill right after fork reaches it. */
	if (!o->same_group)
		setpgid(pid, pid);
	target = o->same_group ? pid : -pid;
	for (;;) {
		struct pollfd p = { .fd = o->wake_fd > 0 ? o->wake_fd : -1, .events = POLLIN };
		pid_t w = waitpid(pid, &st, WNOHANG);
		double now;

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR && errno != EAGAIN) {
			e = -errno;
			close(errpipe[0]);
			return e;
		}
		now = monotonic_s();
		if (!kill_at && ((deadline && now > deadline) ||
				 (o->interrupted && o->interrupted()))) {
			r->timed_out = deadline && now > deadline;
			r->interrupted = !r->timed_out;
			kill(target, SIGTERM);
			kill_at = now + (o->grace_s > 0 ? o->grace_s : 0);
		}
		if (kill_at && now >= kill_at)
			kill(target, SIGKILL);
		if (poll(&p, 1, POLL_MS) > 0)
			drain(o->wake_fd);
	}
	/* Whatever the child left in its group goes with it. */
	if (!o->same_group)
		kill(-pid, SIGKILL);
	if (read(errpipe[0], &e, sizeof(e)) == (ssize_t)sizeof(e))
		r->exec_errno = e;
	close(errpipe[0]);
	if (WIFEXITED(st))
		r->exit_status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		r->term_signal = WTERMSIG(st);
	return 0;
}
