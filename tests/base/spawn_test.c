// SPDX-License-Identifier: GPL-2.0-only
/* The one spawn-with-deadline helper: status, files, env, deadline, group kill. */
#include <errno.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/clock.h"
#include "base/fsutil.h"
#include "base/spawn.h"

static char *sh(const char *script)
{
	static char *argv[4];

	argv[0] = "/bin/sh";
	argv[1] = "-c";
	argv[2] = (char *)script;
	argv[3] = NULL;
	return (char *)argv;
}

TEST(exit_status_and_stdout_file)
{
	char out[] = "/tmp/spawn-test-XXXXXX", *text;
	struct spawn_opts o = { .stdout_path = out, .stderr_path = out };
	struct spawn_result r;
	char *env[] = { "SPAWN_TEST=hello", NULL };
	int fd = mkstemp(out);

	ASSERT_LE(0, fd);
	close(fd);
	o.env = env;
	ASSERT_EQ(0, spawn_run((char **)sh("echo $SPAWN_TEST; echo err >&2; exit 3"), &o, &r));
	EXPECT_EQ(3, r.exit_status);
	EXPECT_FALSE(r.timed_out);
	text = read_file(out, NULL);
	ASSERT_NE(NULL, text);
	EXPECT_STREQ("hello\nerr\n", text);
	free(text);
	unlink(out);
}

/*
 * runner run's suites see only the plan's SNOOPCHECK_ values: one left in
 * root's shell (a scratch range for another disk) must not reach them.
 */
TEST(inherited_variables_of_a_prefix_are_dropped)
{
	char *env[] = { "SNOOP_SPAWN_KEEP=plan", NULL };
	struct spawn_opts o = { .env = env, .unset_prefix = "SNOOP_SPAWN_" };
	struct spawn_result r;

	ASSERT_EQ(0, setenv("SNOOP_SPAWN_SCRATCH_LBA", "0+999999", 1));
	ASSERT_EQ(0, setenv("SNOOP_SPAWN_DEVICE2", "0000:00:1f.0", 1));
	ASSERT_EQ(0, setenv("SNOOP_OTHER", "kept", 1));
	ASSERT_EQ(0, spawn_run((char **)sh("test -z \"${SNOOP_SPAWN_SCRATCH_LBA+set}\" && "
					  "test -z \"${SNOOP_SPAWN_DEVICE2+set}\" && "
					  "test \"$SNOOP_SPAWN_KEEP\" = plan && "
					  "test \"$SNOOP_OTHER\" = kept"), &o, &r));
	EXPECT_EQ(0, r.exit_status);
	/* ours is untouched: only the child's copy was pruned */
	EXPECT_STREQ("0+999999", getenv("SNOOP_SPAWN_SCRATCH_LBA"));
	o.unset_prefix = NULL;
	ASSERT_EQ(0, spawn_run((char **)sh("test \"$SNOOP_SPAWN_SCRATCH_LBA\" = 0+999999"), &o, &r));
	EXPECT_EQ(0, r.exit_status);
}

TEST(exec_failure_is_reported)
{
	char *argv[] = { "/nonexistent/snoopcheck-program", NULL };
	struct spawn_result r;

	ASSERT_EQ(0, spawn_run(argv, NULL, &r));
	EXPECT_EQ(127, r.exit_status);
	EXPECT_EQ(ENOENT, r.exec_errno);
}

/* Still running: exists and is not a zombie waiting for init to reap it. */
static bool running(long pid)
{
	char path[64], *stat;
	bool alive;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	stat = read_file(path, NULL);
	alive = stat && !strstr(stat, ") Z ");
	free(stat);
	return alive;
}

/* The deadline stops the child and the grandchild it left running. */
TEST(deadline_kills_the_whole_group)
{
	char pidfile[] = "/tmp/spawn-test-XXXXXX", script[256], *text;
	struct spawn_opts o = { .timeout_s = 0.5, .grace_s = 0.2 };
	struct spawn_result r;
	double t0 = monotonic_s();
	int fd = mkstemp(pidfile);
	long grandchild;

	ASSERT_LE(0, fd);
	close(fd);
	snprintf(script, sizeof(script),
		 "trap '' TERM; sleep 30 & echo $! > %s; wait", pidfile);
	ASSERT_EQ(0, spawn_run((char **)sh(script), &o, &r));
	EXPECT_TRUE(r.timed_out);
	EXPECT_EQ(-1, r.exit_status);
	EXPECT_EQ(SIGKILL, r.term_signal);
	EXPECT_GT(10.0, monotonic_s() - t0);
	text = read_file(pidfile, NULL);
	ASSERT_NE(NULL, text);
	grandchild = strtol(text, NULL, 10);
	free(text);
	unlink(pidfile);
	ASSERT_LT(1, grandchild);
	usleep(100 * 1000);
	EXPECT_FALSE(running(grandchild));
}

static int always(void)
{
	return 1;
}

TEST(interrupted_stops_it_with_sigterm)
{
	struct spawn_opts o = { .interrupted = always, .grace_s = 5 };
	struct spawn_result r;

	ASSERT_EQ(0, spawn_run((char **)sh("sleep 30"), &o, &r));
	EXPECT_TRUE(r.interrupted);
	EXPECT_FALSE(r.timed_out);
	EXPECT_EQ(SIGTERM, r.term_signal);
}

/*
 * The kselftest harness runs each test in a process group of its own: a
 * signal to the suite's group left it running, holding the device open
 * while the runner tried to give it back. setsid puts the grandchild here
 * out of the group's reach the same way.
 */
TEST(whole_tree_stops_what_left_the_group)
{
	char pidfile[] = "/tmp/spawn-test-XXXXXX", script[256], *text;
	struct spawn_opts o = { .grace_s = 0.3, .timeout_s = 1, .whole_tree = true };
	struct spawn_result r;
	int fd = mkstemp(pidfile);
	long grandchild;

	ASSERT_LE(0, fd);
	close(fd);
	snprintf(script, sizeof(script),
		 "setsid sh -c 'trap \"\" TERM; echo $$ > %s; exec sleep 30' & "
		 "while ! test -s %s; do sleep 0.05; done; wait", pidfile, pidfile);
	ASSERT_EQ(0, spawn_run((char **)sh(script), &o, &r));
	EXPECT_TRUE(r.timed_out);
	text = read_file(pidfile, NULL);
	ASSERT_NE(NULL, text);
	grandchild = strtol(text, NULL, 10);
	free(text);
	unlink(pidfile);
	ASSERT_LT(1, grandchild);
	EXPECT_FALSE(running(grandchild)) TH_LOG("pid %ld outlived the spawn", grandchild);
	if (running(grandchild))
		kill((pid_t)grandchild, SIGKILL);
}

/* What on_line saw: each stream's bytes, and how many calls and cut pieces. */
struct seen {
	char text[2][256];
	size_t bytes[2];
	int calls[2], without_newline[2];
	int bad;		/* calls with a bad fd, or two lines in one */
};

static void collect(void *ctx, int fd, const char *line, size_t len)
{
	struct seen *s = ctx;
	size_t have;

	if ((fd != 1 && fd != 2) || memchr(line, '\n', len - 1)) {
		s->bad++;
		return;
	}
	have = strlen(s->text[fd - 1]);
	s->bytes[fd - 1] += len;
	s->calls[fd - 1]++;
	s->without_newline[fd - 1] += line[len - 1] != '\n';
	if (have + len < sizeof(s->text[0]))
		memcpy(s->text[fd - 1] + have, line, len);
}

/* runner run reads a suite's output as it streams, to time its tests. */
TEST(lines_of_both_streams_reach_on_line_as_they_come)
{
	struct seen s = { 0 };
	struct spawn_opts o = { .on_line = collect, .line_ctx = &s };
	struct spawn_result r;

	ASSERT_EQ(0, spawn_run((char **)sh("echo one; echo oops >&2; sleep 0.2; echo two; "
					  "printf 'cut short' >&2; exit 5"), &o, &r));
	EXPECT_EQ(5, r.exit_status);
	EXPECT_STREQ("one\ntwo\n", s.text[0]);
	EXPECT_STREQ("oops\ncut short", s.text[1]);
	EXPECT_EQ(2, s.calls[0]);
	EXPECT_EQ(2, s.calls[1]);
	/* The last line, without its newline, still arrives. */
	EXPECT_EQ(0, s.without_newline[0]);
	EXPECT_EQ(1, s.without_newline[1]);
	EXPECT_EQ(0, s.bad);
}

/* A line with no end in sight does not grow without bound. */
TEST(a_line_longer_than_the_limit_comes_in_pieces)
{
	struct seen s = { 0 };
	struct spawn_opts o = { .on_line = collect, .line_ctx = &s };
	struct spawn_result r;
	char script[128];

	snprintf(script, sizeof(script), "head -c %d /dev/zero | tr '\\0' a; echo",
		 2 * SPAWN_LINE_MAX + 10);
	ASSERT_EQ(0, spawn_run((char **)sh(script), &o, &r));
	EXPECT_EQ(0, r.exit_status);
	EXPECT_EQ((size_t)(2 * SPAWN_LINE_MAX + 11), s.bytes[0]);
	EXPECT_EQ(3, s.calls[0]);
	EXPECT_EQ(2, s.without_newline[0]);
}

TEST(on_line_with_an_output_file_is_refused)
{
	struct seen s = { 0 };
	struct spawn_opts o = { .on_line = collect, .line_ctx = &s, .stdout_path = "/dev/null" };
	struct spawn_result r;

	EXPECT_EQ(-EINVAL, spawn_run((char **)sh("true"), &o, &r));
}

/* A child killed at its deadline still hands over what it printed. */
TEST(lines_before_the_deadline_are_kept)
{
	struct seen s = { 0 };
	struct spawn_opts o = { .on_line = collect, .line_ctx = &s, .timeout_s = 0.5,
				.grace_s = 0.2 };
	struct spawn_result r;

	ASSERT_EQ(0, spawn_run((char **)sh("echo before; sleep 30"), &o, &r));
	EXPECT_TRUE(r.timed_out);
	EXPECT_STREQ("before\n", s.text[0]);
}

TEST_HARNESS_MAIN
