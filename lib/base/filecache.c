// SPDX-License-Identifier: GPL-2.0-only
#include "base/filecache.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "base/trust.h"

#define MAGIC "snoopcheck-filecache 1\n"
/* Longer than any file system's timestamp granularity (ext4, xfs: a jiffy or so). */
#define RACY_NS (2LL * 1000000000)

int filecache_open(struct filecache *fc, const char *what, const char *salt)
{
	const char *env = getenv("SNOOPCHECK_CACHE_DIR"), *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	int r;

	memset(fc, 0, sizeof(*fc));
	if (sha256_hex(salt, strlen(salt), fc->salt))
		return -ENOMEM;
	if (env && *env)
		r = asprintf(&fc->dir, "%s/%s", env, what);
	else if (xdg && *xdg == '/')
		r = asprintf(&fc->dir, "%s/snoopcheck/%s", xdg, what);
	else if (home && *home == '/')
		r = asprintf(&fc->dir, "%s/.cache/snoopcheck/%s", home, what);
	else
		return 0;	/* nowhere to keep it: every file is read */
	if (r < 0) {
		fc->dir = NULL;
		return -ENOMEM;
	}
	/*
	 * A record stands in for a file: only a trusted owner may write one,
	 * or a planted record could hide a regression from the gate.
	 */
	if (mkdir_p(fc->dir))
		snprintf(fc->why, sizeof(fc->why), "%s: %s", fc->dir, strerror(errno));
	else if (!trust_path(fc->dir, S_IFDIR, fc->why, sizeof(fc->why)))
		return 0;
	free(fc->dir);
	fc->dir = NULL;
	return 0;
}

void filecache_close(struct filecache *fc)
{
	free(fc->dir);
	fc->dir = NULL;
}

void filecache_key(const struct filecache *fc, const struct stat *st, char key[SHA256_HEX_LEN])
{
	char id[256];
	int n = snprintf(id, sizeof(id), "%s %ju %ju %jd %jd.%09ld %jd.%09ld", fc->salt,
			 (uintmax_t)st->st_dev, (uintmax_t)st->st_ino, (intmax_t)st->st_size,
			 (intmax_t)st->st_mtim.tv_sec, st->st_mtim.tv_nsec,
			 (intmax_t)st->st_ctim.tv_sec, st->st_ctim.tv_nsec);

	if (sha256_hex(id, (size_t)n, key))
		key[0] = '\0';	/* no memory: a key nothing matches */
}

/* DIR/KEY[0..2]/KEY */
static char *record_path(const struct filecache *fc, const char *key)
{
	char *p;

	return asprintf(&p, "%s/%.2s/%s", fc->dir, key, key) < 0 ? NULL : p;
}

bool filecache_record_parse(const char *rec, size_t n, const char *key, const char **data,
			    size_t *len)
{
	size_t m = strlen(MAGIC), k = strlen(key), at, want;
	char sum[SHA256_HEX_LEN], head[SHA256_HEX_LEN];
	const char *p, *nl;
	char *end;

	if (n < m + k + 1 || memcmp(rec, MAGIC, m) || memcmp(rec + m, key, k) || rec[m + k] != '\n')
		return false;
	p = rec + m + k + 1;
	nl = memchr(p, '\n', n - (size_t)(p - rec));
	/* "LEN SHA256\n": digits, one space, 64 hex digits. */
	if (!nl || nl - p < 66 || p[0] < '0' || p[0] > '9')
		return false;
	errno = 0;
	want = strtoul(p, &end, 10);
	if (errno || end != nl - 65 || *end != ' ')
		return false;
	memcpy(head, end + 1, 64);
	head[64] = '\0';
	at = (size_t)(nl + 1 - rec);
	if (n - at != want || sha256_hex(rec + at, want, sum) || strcmp(sum, head))
		return false;
	*data = rec + at;
	*len = want;
	return true;
}

char *filecache_get(const struct filecache *fc, const struct stat *st, size_t *len)
{
	char key[SHA256_HEX_LEN], *path, *rec, *out = NULL;
	const char *data;
	size_t n;

	if (!fc->dir)
		return NULL;
	filecache_key(fc, st, key);
	path = record_path(fc, key);
	rec = path ? read_file_nofollow(path, &n) : NULL;
	if (rec && filecache_record_parse(rec, n, key, &data, len)) {
		out = malloc(*len + 1);
		if (out) {
			memcpy(out, data, *len);
			out[*len] = '\0';
		}
	}
	free(rec);
	free(path);
	return out;
}

bool filecache_same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static long long ns_of(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000 + t->tv_nsec;
}

/* Changed within RACY_NS of now: a later write could keep these times. */
static bool racy(const struct stat *st)
{
	struct timespec now;

	if (clock_gettime(CLOCK_REALTIME, &now))
		return true;
	return ns_of(&now) - ns_of(&st->st_mtim) < RACY_NS ||
	       ns_of(&now) - ns_of(&st->st_ctim) < RACY_NS;
}

static bool write_all(int fd, const void *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w <= 0)
			return false;
		p = (const char *)p + w;
		n -= (size_t)w;
	}
	return true;
}

bool filecache_put(const struct filecache *fc, const char *path, const struct stat *before,
		   const char *data, size_t len)
{
	char key[SHA256_HEX_LEN], sum[SHA256_HEX_LEN], head[256], *rec = NULL, *tmp = NULL;
	struct stat now;
	int fd = -1, hn;
	bool ok = false;

	if (!fc->dir || stat(path, &now) || !filecache_same_file(before, &now) || racy(&now))
		return false;
	filecache_key(fc, before, key);
	if (!key[0] || sha256_hex(data, len, sum))
		return false;
	rec = record_path(fc, key);
	/* Unique per writer: threads and processes may put at once; the last rename wins. */
	if (!rec || asprintf(&tmp, "%s.tmp.%ld.%p", rec, (long)getpid(), (void *)&now) < 0) {
		tmp = NULL;
		goto out;
	}
	if (mkdir_parents(rec))
		goto out;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		goto out;
	hn = snprintf(head, sizeof(head), "%s%s\n%zu %s\n", MAGIC, key, len, sum);
	ok = hn > 0 && (size_t)hn < sizeof(head) && write_all(fd, head, (size_t)hn) &&
	     write_all(fd, data, len);
	if (close(fd) || !ok || rename(tmp, rec)) {
		unlink(tmp);
		ok = false;
	}
out:
	free(tmp);
	free(rec);
	return ok;
}
