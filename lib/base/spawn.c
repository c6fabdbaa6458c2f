// SPDX-License-Identifier: GPL-2.0-only
#include "base/spawn.h"

#include <dirent.h>
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
#define REAP_TRIES 200		/* 10 ms apart: a killed tree has 2 s to go */

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

/* In the child: never returns. Failures exit 127 with errno in the pipe.
 * out and err: the write ends of the line pipes, -1 without on_line. */
static void child(char *const argv[], const struct spawn_opts *o, pid_t parent, int errfd,
		  int out, int err)
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
	/* dup2 leaves the copies open across exec; the originals close. */
	if (out >= 0 && (dup2(out, 1) < 0 || dup2(err, 2) < 0))
		goto fail;
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

/* pid's parent, from /proc/PID/stat (after the name, which may hold ')'). */
static pid_t parent_of(const char *pid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] && p[3] == ' ' ? (pid_t)atol(p + 4) : 0;
}

/* Every process below us, from one reading of /proc; *n of them. */
static pid_t *descendants(size_t *n)
{
	struct { pid_t pid, ppid; } *all = NULL;
	size_t na = 0, cap = 0;
	pid_t *below = NULL;
	DIR *d = opendir("/proc");

	*n = 0;
	for (struct dirent *de; d && (de = readdir(d));) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		if (na == cap) {
			void *v = realloc(all, (cap = cap ? 2 * cap : 256) * sizeof(*all));

			if (!v)
				break;
			all = v;
		}
		all[na].pid = (pid_t)atol(de->d_name);
		all[na++].ppid = parent_of(de->d_name);
	}
	if (d)
		closedir(d);
	if (na && !(below = calloc(na, sizeof(*below))))
		na = 0;
	/* Children of us, then of them, until no more are found. */
	for (bool grew = true; grew;) {
		grew = false;
		for (size_t i = 0; i < na; i++) {
			bool mine = all[i].ppid == getpid();

			for (size_t j = 0; !mine && j < *n; j++)
				mine = all[i].ppid == below[j];
			if (mine && all[i].pid) {
				below[(*n)++] = all[i].pid;
				all[i].pid = 0;		/* taken */
				grew = true;
			}
		}
	}
	free(all);
	return below;
}

static void signal_tree(int sig)
{
	size_t n;
	pid_t *below = descendants(&n);

	for (size_t i = 0; i < n; i++)
		kill(below[i], sig);
	free(below);
}

/* Kill and reap what is left below us; then stop being a subreaper. */
static void reap_tree(void)
{
	for (int i = 0; i < REAP_TRIES; i++) {
		size_t n;
		pid_t *below = descendants(&n);

		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		for (size_t j = 0; j < n; j++)
			kill(below[j], SIGKILL);
		free(below);
		if (!n)
			break;
		usleep(10 * 1000);
	}
	prctl(PR_SET_CHILD_SUBREAPER, 0);
}

/* One of the child's streams, read into lines for on_line. */
struct stream {
	int fd;			/* read end, -1 once at end of file */
	int which;		/* 1 stdout, 2 stderr */
	char *buf;
	size_t len, cap;
};

/* Hand every complete line in s->buf to on_line; with all, the rest too. */
static void emit_lines(struct stream *s, const struct spawn_opts *o, bool all)
{
	size_t start = 0;

	while (start < s->len) {
		char *nl = memchr(s->buf + start, '\n', s->len - start);
		size_t n = nl ? (size_t)(nl - (s->buf + start)) + 1 : s->len - start;

		if (!nl && !all && n < SPAWN_LINE_MAX)
			break;
		if (n > SPAWN_LINE_MAX)
			n = SPAWN_LINE_MAX;
		o->on_line(o->line_ctx, s->which, s->buf + start, n);
		start += n;
	}
	if (start) {
		memmove(s->buf, s->buf + start, s->len - start);
		s->len -= start;
	}
}

/* Read what the stream has now (it is non-blocking); at EOF close it. */
static void read_stream(struct stream *s, const struct spawn_opts *o)
{
	char chunk[16384];

	while (s->fd >= 0) {
		ssize_t n = read(s->fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			close(s->fd);
			s->fd = -1;
			return;
		}
		if (s->len + (size_t)n > s->cap) {
			size_t cap = s->len + (size_t)n + sizeof(chunk);
			char *b = realloc(s->buf, cap);

			if (!b) {
				/* Out of memory: what is held goes out as it is. */
				emit_lines(s, o, true);
				b = realloc(s->buf, cap = (size_t)n);
				if (!b)
					continue;
			}
			s->buf = b;
			s->cap = cap;
		}
		memcpy(s->buf + s->len, chunk, (size_t)n);
		s->len += (size_t)n;
		emit_lines(s, o, false);
	}
}

/* Both streams, stderr first (spawn.h says why); with last, to the end. */
static void read_streams(struct stream st[2], const struct spawn_opts *o, bool last)
{
	read_stream(&st[1], o);
	read_stream(&st[0], o);
	if (!last)
		return;
	for (int i = 1; i >= 0; i--) {
		emit_lines(&st[i], o, true);
		if (st[i].fd >= 0)
			close(st[i].fd);
		free(st[i].buf);
	}
}

/* The pipes for on_line: st[0] stdout, st[1] stderr; w the write ends. */
static int open_streams(struct stream st[2], int w[2])
{
	for (int i = 0; i < 2; i++) {
		int p[2];

		if (pipe2(p, O_CLOEXEC)) {
			int e = -errno;

			for (int j = 0; j < i; j++) {
				close(st[j].fd);
				close(w[j]);
			}
			return e;
		}
		fcntl(p[0], F_SETFL, O_NONBLOCK);
		st[i] = (struct stream){ .fd = p[0], .which = i + 1 };
		w[i] = p[1];
	}
	return 0;
}

int spawn_run(char *const argv[], const struct spawn_opts *opts, struct spawn_result *r)
{
	static const struct spawn_opts none;
	const struct spawn_opts *o = opts ? opts : &none;
	double deadline = o->timeout_s > 0 ? monotonic_s() + o->timeout_s : 0, kill_at = 0;
	struct stream streams[2] = { { .fd = -1 }, { .fd = -1 } };
	int errpipe[2], wr[2] = { -1, -1 }, st, e;
	pid_t parent = getpid(), pid, target;

	memset(r, 0, sizeof(*r));
	r->exit_status = -1;
	if (o->on_line && (o->stdout_path || o->stderr_path))
		return -EINVAL;
	if (o->on_line && (e = open_streams(streams, wr)))
		return e;
	if (pipe2(errpipe, O_CLOEXEC)) {
		e = -errno;
		goto fail_streams;
	}
	/* Orphans below the child come to us, not to init: we can stop them. */
	if (o->whole_tree && prctl(PR_SET_CHILD_SUBREAPER, 1)) {
		e = -errno;
		close(errpipe[0]);
		close(errpipe[1]);
		goto fail_streams;
	}
	fflush(NULL);	/* our output first, then the child's */
	pid = fork();
	if (pid < 0) {
		e = -errno;
		close(errpipe[0]);
		close(errpipe[1]);
		goto fail_streams;
	}
	if (pid == 0)
		child(argv, o, parent, errpipe[1], wr[0], wr[1]);
	close(errpipe[1]);
	for (int i = 0; i < 2; i++)
		if (wr[i] >= 0)
			close(wr[i]);
	/* Both sides set the group, so a kill right after fork reaches it. */
	if (!o->same_group)
		setpgid(pid, pid);
	target = o->same_group ? pid : -pid;
	for (;;) {
		struct pollfd p[3] = {
			{ .fd = o->wake_fd > 0 ? o->wake_fd : -1, .events = POLLIN },
			{ .fd = streams[0].fd, .events = POLLIN },
			{ .fd = streams[1].fd, .events = POLLIN },
		};
		pid_t w = waitpid(pid, &st, WNOHANG);
		double now;

		if (w == pid)
			break;
		if (w < 0 && errno != EINTR && errno != EAGAIN) {
			e = -errno;
			close(errpipe[0]);
			if (o->on_line)
				read_streams(streams, o, true);
			if (o->whole_tree)
				reap_tree();
			return e;
		}
		now = monotonic_s();
		if (!kill_at && ((deadline && now > deadline) ||
				 (o->interrupted && o->interrupted()))) {
			r->timed_out = deadline && now > deadline;
			r->interrupted = !r->timed_out;
			kill(target, SIGTERM);
			if (o->whole_tree)
				signal_tree(SIGTERM);
			kill_at = now + (o->grace_s > 0 ? o->grace_s : 0);
		}
		if (kill_at && now >= kill_at) {
			kill(target, SIGKILL);
			if (o->whole_tree)
				signal_tree(SIGKILL);
		}
		if (poll(p, 3, POLL_MS) > 0) {
			if (p[0].revents)
				drain(o->wake_fd);
			if (o->on_line)
				read_streams(streams, o, false);
		}
	}
	/* Whatever the child left in its group goes with it. */
	if (!o->same_group)
		kill(-pid, SIGKILL);
	if (o->whole_tree)
		reap_tree();
	/* What it wrote before it ended; nothing left behind is waited for. */
	if (o->on_line)
		read_streams(streams, o, true);
	if (read(errpipe[0], &e, sizeof(e)) == (ssize_t)sizeof(e))
		r->exec_errno = e;
	close(errpipe[0]);
	if (WIFEXITED(st))
		r->exit_status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		r->term_signal = WTERMSIG(st);
	return 0;

fail_streams:
	if (o->whole_tree)
		prctl(PR_SET_CHILD_SUBREAPER, 0);
	for (int i = 0; i < 2; i++) {
		if (streams[i].fd >= 0)
			close(streams[i].fd);
		if (wr[i] >= 0)
			close(wr[i]);
	}
	return e;
}
