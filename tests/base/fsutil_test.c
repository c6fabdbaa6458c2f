// SPDX-License-Identifier: GPL-2.0-only
/*
 * fsutil: the atomic writer never writes through a name someone else
 * prepared and leaves no temp file behind; the reader reads regular files
 * only, and only so much of them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <kselftest_harness.h>

#include "base/fsutil.h"
#include "sysfs/sysroot.h"

FIXTURE(dir) {
	char dir[PATH_MAX];
	char victim[PATH_MAX];	/* outside dir: must never change */
};

FIXTURE_SETUP(dir)
{
	char tmpl[] = "/tmp/snoop-fsutil-XXXXXX";

	ASSERT_NE(NULL, mkdtemp(tmpl));
	path_fmt(self->dir, sizeof(self->dir), "%s", tmpl);
	path_fmt(self->victim, sizeof(self->victim), "%s-victim", tmpl);
	ASSERT_EQ(0, write_file_atomic(self->victim, "precious\n", 9));
}

FIXTURE_TEARDOWN(dir)
{
	chmod(self->dir, 0755);
	remove_tree(self->dir);
	unlink(self->victim);
}

/* Entries of dir whose name holds ".tmp." (any temp file, old or new style). */
static int temps_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		n += strstr(de->d_name, ".tmp.") != NULL;
	closedir(d);
	return n;
}

static void expect_content(struct __test_metadata *_metadata, const char *path,
			   const char *want)
{
	char *text = read_file(path, NULL);

	ASSERT_NE(NULL, text) TH_LOG("%s: %s", path, strerror(errno));
	EXPECT_STREQ(want, text);
	free(text);
}

/*
 * A link planted where the temp file goes (the name this writer uses, and
 * the one it used before) must not be written through: O_EXCL|O_NOFOLLOW.
 */
TEST_F(dir, never_writes_through_a_link_at_the_temp_name)
{
	char out[PATH_MAX], link[PATH_MAX];
	struct stat st;

	path_fmt(out, sizeof(out), "%s/out", self->dir);
	path_fmt(link, sizeof(link), "%s/.out.tmp.%d.0", self->dir, getpid());
	ASSERT_EQ(0, symlink(self->victim, link));
	path_fmt(link, sizeof(link), "%s/out.tmp.%d", self->dir, getpid());
	ASSERT_EQ(0, symlink(self->victim, link));

	ASSERT_EQ(0, write_file_atomic(out, "new\n", 4)) TH_LOG("%s", strerror(errno));
	expect_content(_metadata, out, "new\n");
	expect_content(_metadata, self->victim, "precious\n");
	ASSERT_EQ(0, lstat(link, &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	/* only the two planted links remain: our own temp file is gone */
	EXPECT_EQ(2, temps_in(self->dir));
}

/* A link at the name itself is replaced by the file, not followed. */
TEST_F(dir, replaces_a_link_at_the_name)
{
	char out[PATH_MAX];
	struct stat st;

	path_fmt(out, sizeof(out), "%s/out", self->dir);
	ASSERT_EQ(0, symlink(self->victim, out));
	ASSERT_EQ(0, write_file_atomic(out, "new\n", 4));
	ASSERT_EQ(0, lstat(out, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	expect_content(_metadata, self->victim, "precious\n");
}

TEST_F(dir, no_temp_file_left_after_an_error)
{
	char out[PATH_MAX], file[PATH_MAX], sub[PATH_MAX];

	/* the rename fails: a directory holding a file sits at the name */
	path_fmt(out, sizeof(out), "%s/out", self->dir);
	path_fmt(sub, sizeof(sub), "%s/out/keep", self->dir);
	ASSERT_EQ(0, mkdir_parents(sub));
	ASSERT_EQ(0, write_file_atomic(sub, "", 0));
	EXPECT_EQ(-1, write_file_atomic(out, "new\n", 4));
	EXPECT_EQ(0, temps_in(self->dir));

	/* the parent is a file */
	path_fmt(file, sizeof(file), "%s/file", self->dir);
	ASSERT_EQ(0, write_file_atomic(file, "x", 1));
	path_fmt(out, sizeof(out), "%s/file/out", self->dir);
	EXPECT_EQ(-1, write_file_atomic(out, "new\n", 4));
	EXPECT_EQ(ENOTDIR, errno);
	EXPECT_EQ(0, temps_in(self->dir));

	/* no last component */
	path_fmt(out, sizeof(out), "%s/", self->dir);
	EXPECT_EQ(-1, write_file_atomic(out, "new\n", 4));
	EXPECT_EQ(EISDIR, errno);

	/* a read-only directory (root writes anyway: nothing to see then) */
	if (geteuid() != 0) {
		ASSERT_EQ(0, chmod(self->dir, 0555));
		path_fmt(out, sizeof(out), "%s/ro", self->dir);
		EXPECT_EQ(-1, write_file_atomic(out, "new\n", 4));
		EXPECT_EQ(EACCES, errno);
		ASSERT_EQ(0, chmod(self->dir, 0755));
		EXPECT_EQ(0, temps_in(self->dir));
	}
}

/*
 * A writer killed mid-way leaves its temp file; the next successful write
 * of the same name removes it once its writer is gone, and nothing else:
 * not one of a live writer, not one of another name.
 */
TEST_F(dir, next_write_removes_the_temp_of_a_dead_writer)
{
	char out[PATH_MAX], dead[PATH_MAX], live[PATH_MAX], other[PATH_MAX];
	pid_t child = fork();
	struct stat st;

	ASSERT_LE(0, child);
	if (!child)
		_exit(0);
	ASSERT_EQ(child, waitpid(child, NULL, 0));

	path_fmt(out, sizeof(out), "%s/out", self->dir);
	path_fmt(dead, sizeof(dead), "%s/.out.tmp.%d.0", self->dir, child);
	path_fmt(live, sizeof(live), "%s/.out.tmp.%d.0", self->dir, getppid());
	path_fmt(other, sizeof(other), "%s/.other.tmp.%d.0", self->dir, child);
	ASSERT_EQ(0, write_file_atomic(dead, "half", 4));
	ASSERT_EQ(0, write_file_atomic(live, "half", 4));
	ASSERT_EQ(0, write_file_atomic(other, "half", 4));

	ASSERT_EQ(0, write_file_atomic(out, "new\n", 4));
	expect_content(_metadata, out, "new\n");
	EXPECT_NE(0, lstat(dead, &st));
	EXPECT_EQ(0, lstat(live, &st));
	EXPECT_EQ(0, lstat(other, &st));
}

/*
 * Only regular files are read, and pipes where read_file() takes input
 * given as <(...); neither a FIFO nor a device may hang or feed a read.
 */
TEST_F(dir, reads_regular_files_only)
{
	char fifo[PATH_MAX], link[PATH_MAX], fd_path[64];
	char *text;
	int p[2];

	alarm(10);	/* a hang is a failure, not a stuck test run */
	path_fmt(fifo, sizeof(fifo), "%s/fifo", self->dir);
	ASSERT_EQ(0, mkfifo(fifo, 0600));
	errno = 0;
	EXPECT_EQ(NULL, read_file_nofollow(fifo, NULL));
	EXPECT_EQ(ENOTSUP, errno);
	EXPECT_STREQ("not a regular file", read_file_strerror(errno));
	/* a pipe nobody writes is empty at once, not a hang */
	text = read_file(fifo, NULL);
	EXPECT_STREQ("", text);
	free(text);
	/* and one with a writer is read to its end, as <(...) is */
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(6, write(p[1], "piped\n", 6));
	close(p[1]);
	path_fmt(fd_path, sizeof(fd_path), "/dev/fd/%d", p[0]);
	text = read_file(fd_path, NULL);
	EXPECT_STREQ("piped\n", text);
	free(text);
	close(p[0]);

	EXPECT_EQ(NULL, read_file(self->dir, NULL));
	EXPECT_EQ(EISDIR, errno);

	/* a device node is refused before it is opened */
	EXPECT_EQ(NULL, read_file("/dev/zero", NULL));
	EXPECT_EQ(ENOTSUP, errno);

	/* links: followed by read_file(), refused by read_file_nofollow() */
	path_fmt(link, sizeof(link), "%s/link", self->dir);
	ASSERT_EQ(0, symlink(self->victim, link));
	expect_content(_metadata, link, "precious\n");
	EXPECT_EQ(NULL, read_file_nofollow(link, NULL));
	EXPECT_EQ(ELOOP, errno);
	text = read_file_nofollow(self->victim, NULL);
	EXPECT_STREQ("precious\n", text);
	free(text);
	alarm(0);
}

/* A file past READ_FILE_MAX is refused, not read into memory. */
TEST_F(dir, reads_are_bounded)
{
	char big[PATH_MAX];
	size_t len = 1;
	int fd;

	path_fmt(big, sizeof(big), "%s/big", self->dir);
	fd = open(big, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, (off_t)READ_FILE_MAX + 1));	/* sparse */
	close(fd);
	EXPECT_EQ(NULL, read_file(big, &len));
	EXPECT_EQ(EFBIG, errno);
	EXPECT_EQ(1, len);	/* untouched on failure */

	/* an empty file reads as "" with length 0 */
	fd = open(big, O_WRONLY | O_TRUNC);
	ASSERT_LE(0, fd);
	close(fd);
	{
		char *text = read_file(big, &len);

		ASSERT_NE(NULL, text);
		EXPECT_EQ(0, len);
		EXPECT_STREQ("", text);
		free(text);
	}
}

TEST_HARNESS_MAIN
