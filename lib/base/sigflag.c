// SPDX-License-Identifier: GPL-2.0-only
#include "base/sigflag.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static const int watched[] = { SIGINT, SIGTERM, SIGHUP };
static volatile sig_atomic_t caught;
static int pipe_fd[2] = { -1, -1 };

/* Only async-signal-safe calls: an assignment and write(). */
static void on_signal(int sig)
{
	int saved = errno;
	char c = (char)sig;

	if (!caught)
		caught = sig;
	if (write(pipe_fd[1], &c, 1) < 0) {
		/* pipe full: the flag already says enough */
	}
	errno = saved;
}

int sigflag_install(void)
{
	struct sigaction sa;

	caught = 0;
	if (pipe2(pipe_fd, O_CLOEXEC | O_NONBLOCK))
		return -errno;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* no SA_RESTART: a blocking wait should return and look at the flag */
	for (size_t i = 0; i < sizeof(watched) / sizeof(watched[0]); i++)
		if (sigaction(watched[i], &sa, NULL))
			return -errno;
	return pipe_fd[0];
}

int sigflag_caught(void)
{
	return caught;
}

void sigflag_remove(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(watched) / sizeof(watched[0]); i++)
		sigaction(watched[i], &sa, NULL);
	for (int i = 0; i < 2; i++) {
		if (pipe_fd[i] >= 0)
			close(pipe_fd[i]);
		pipe_fd[i] = -1;
	}
}
