// SPDX-License-Identifier: GPL-2.0-only
#include "judge/suitelog.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/fsutil.h"
#include "sysfs/sysroot.h"

static void names(struct suite_log *l, const char *suite, const char *bdf)
{
	memset(l, 0, sizeof(*l));
	snprintf(l->suite, sizeof(l->suite), "%s", suite);
	snprintf(l->bdf, sizeof(l->bdf), "%s", bdf);
	snprintf(l->stem, sizeof(l->stem), "%s@%s", l->suite, l->bdf);
	l->fd[0] = l->fd[1] = -1;
	l->started = l->finished = NAN;
}

static int create(const char *dir, const char *stem, const char *ext)
{
	char path[PATH_MAX];

	path_fmt(path, sizeof(path), "%s/%s.%s", dir, stem, ext);
	/* New files only: a run's directory starts empty, and as root a name
	 * someone else put there (a link) must not be written through. */
	return open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
}

int suitelog_open(struct suite_log *l, const char *dir, const char *suite, const char *bdf)
{
	names(l, suite, bdf);
	l->started = monotonic_s();
	ktap_init(&l->k, l->stem);
	for (int i = 0; i < 2; i++) {
		if ((l->fd[i] = create(dir, l->stem, i ? "err" : "ktap")) < 0) {
			l->error = errno;
			return -l->error;
		}
	}
	l->has_err = true;
	return 0;
}

/* All of buf, or the reason it could not be. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

void suitelog_line(void *ctx, int fd, const char *line, size_t len)
{
	struct suite_log *l = ctx;
	double t = monotonic_s();
	int e = 0, ret;

	/* On disk first, as the suite wrote it; a full disk loses no result. */
	if (l->fd[fd == 1 ? 0 : 1] >= 0)
		e = write_all(l->fd[fd == 1 ? 0 : 1], line, len);
	if (e && !l->error)
		l->error = e;
	ret = ktap_line(&l->k, fd, line, len, t);
	if (ret && !l->error)
		l->error = -ret;
}

int suitelog_kmsg(struct suite_log *l, const char *dir, const char *text, size_t len)
{
	int fd = create(dir, l->stem, "kmsg"), e;

	if (fd < 0)
		return -errno;
	e = write_all(fd, text, len);
	if (close(fd) && !e)
		e = errno;
	l->has_kmsg = !e;
	return -e;
}

int suitelog_close(struct suite_log *l, const char *ended)
{
	int ret;

	snprintf(l->ended, sizeof(l->ended), "%s", ended ? ended : "");
	ret = ktap_end(&l->k, l->ended[0] ? l->ended : NULL);
	if (ret && !l->error)
		l->error = -ret;
	for (int i = 0; i < 2; i++) {
		if (l->fd[i] >= 0 && close(l->fd[i]) && !l->error)
			l->error = errno;
		l->fd[i] = -1;
	}
	l->finished = monotonic_s();
	return -l->error;
}

static int is_log(const struct dirent *de)
{
	size_t n = strlen(de->d_name);

	return strchr(de->d_name, '@') && n > 5 && !strcmp(de->d_name + n - 5, ".ktap");
}

/* DIR/STEM.ktap into l, named after the file. 0 or -errno. */
static int load(struct suite_log *l, const char *dir, const char *file)
{
	char path[PATH_MAX], stem[NAME_MAX + 1], *at, *text;
	int ret;

	snprintf(stem, sizeof(stem), "%.*s", (int)(strlen(file) - 5), file);
	at = strchr(stem, '@');
	*at = '\0';
	names(l, stem, at + 1);
	path_fmt(path, sizeof(path), "%s/%s", dir, file);
	if (!(text = read_file(path, NULL)))
		return -errno;
	ktap_init(&l->k, l->stem);
	ret = 0;
	for (const char *p = text, *e; !ret && p && *p; p = e ? e + 1 : NULL) {
		e = strchr(p, '\n');
		ret = ktap_line(&l->k, 1, p, e ? (size_t)(e - p) : strlen(p), NAN);
	}
	free(text);
	ret = ret ? ret : ktap_end(&l->k, NULL);
	path_fmt(path, sizeof(path), "%s/%s.err", dir, l->stem);
	l->has_err = access(path, F_OK) == 0;
	path_fmt(path, sizeof(path), "%s/%s.kmsg", dir, l->stem);
	l->has_kmsg = access(path, F_OK) == 0;
	return ret;
}

int suitelog_load_dir(const char *dir, struct suite_log **logs, size_t *n)
{
	struct dirent **files;
	int nf = scandir(dir, &files, is_log, alphasort), ret = 0;

	*logs = NULL;
	*n = 0;
	if (nf < 0)
		return -errno;
	if (nf && !(*logs = calloc((size_t)nf, sizeof(**logs))))
		ret = -ENOMEM;
	for (int i = 0; i < nf; i++) {
		if (!ret) {
			ret = load(&(*logs)[*n], dir, files[i]->d_name);
			if (ret)
				suitelog_done(&(*logs)[*n]);
			else
				(*n)++;
		}
		free(files[i]);
	}
	free(files);
	if (ret) {
		suitelog_free(*logs, *n);
		*logs = NULL;
		*n = 0;
	}
	return ret;
}

void suitelog_done(struct suite_log *l)
{
	for (int j = 0; j < 2; j++)
		if (l->fd[j] >= 0)
			close(l->fd[j]);
	l->fd[0] = l->fd[1] = -1;
	ktap_free(&l->k);
}

void suitelog_free(struct suite_log *logs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		suitelog_done(&logs[i]);
	free(logs);
}
