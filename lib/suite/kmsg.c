// SPDX-License-Identifier: GPL-2.0-only
#include "suite/kmsg.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/number.h"

int kmsg_open_fd(const char *path, bool from_start)
{
	int fd = open(path ? path : "/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	/*
	 * SEEK_END on /dev/kmsg: the next read returns the next new record;
	 * SEEK_SET: the oldest one still in the buffer (also where a fresh
	 * open starts, but a regular file standing in for it needs it said).
	 */
	if (lseek(fd, 0, from_start ? SEEK_SET : SEEK_END) < 0) {
		int e = errno;

		close(fd);
		return -e;
	}
	return fd;
}

int kmsg_open(struct kmsg_cursor *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	c->fd = kmsg_open_fd(path, false);
	if (c->fd < 0) {
		int e = c->fd;

		c->fd = -1;
		return e;
	}
	return 0;
}

const char *kmsg_record_text(const char *rec, size_t len, size_t *text_len)
{
	const char *semi = memchr(rec, ';', len);
	const char *end;

	if (!semi) {
		*text_len = 0;
		return rec;
	}
	semi++;
	/* Continuation lines (" KEY=value") follow the first newline. */
	end = memchr(semi, '\n', len - (size_t)(semi - rec));
	*text_len = end ? (size_t)(end - semi) : len - (size_t)(semi - rec);
	return semi;
}

static int append(struct kmsg_cursor *c, const char *s, size_t n)
{
	char *t = realloc(c->text, c->len + n + 2);

	if (!t)
		return -ENOMEM;
	c->text = t;
	memcpy(c->text + c->len, s, n);
	c->len += n;
	c->text[c->len++] = '\n';
	c->text[c->len] = '\0';
	return 0;
}

static int line_has_all(const char *line, size_t len, const char *const *needles)
{
	char buf[1024];

	if (!needles || !needles[0])
		return 0;
	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	for (size_t i = 0; needles[i]; i++)
		if (!strstr(buf, needles[i]))
			return 0;
	return 1;
}

int kmsg_record_parse(const char *rec, size_t len, struct kmsg_record *r)
{
	const char *semi = memchr(rec, ';', len);
	char head[96], *p, *end;

	memset(r, 0, sizeof(*r));
	if (!semi || (size_t)(semi - rec) >= sizeof(head))
		return -EINVAL;
	memcpy(head, rec, (size_t)(semi - rec));
	head[semi - rec] = '\0';
	/* PRI,SEQ,USEC,FLAGS (more fields may follow in later kernels) */
	p = strchr(head, ',');
	if (!p)
		return -EINVAL;
	r->seq = strtoull(p + 1, &end, 10);
	if (end == p + 1 || *end != ',')
		return -EINVAL;
	p = end;
	r->usec = strtoull(p + 1, &end, 10);
	if (end == p + 1 || (*end != ',' && *end))
		return -EINVAL;
	r->text = kmsg_record_text(rec, len, &r->len);
	return 0;
}

/*
 * One read of /dev/kmsg returns one record. A regular file standing in
 * for it (tests) returns many at once: a record ends where a line that is
 * not a " KEY=value" continuation begins.
 */
static int each_in_chunk(const char *buf, size_t n,
			 int (*fn)(void *ctx, const char *rec, size_t len), void *ctx)
{
	size_t start = 0;

	for (size_t i = 0; i < n; i++) {
		int ret;

		if (buf[i] != '\n' || (i + 1 < n && buf[i + 1] == ' '))
			continue;
		ret = fn(ctx, buf + start, i + 1 - start);
		if (ret)
			return ret;
		start = i + 1;
	}
	return start < n ? fn(ctx, buf + start, n - start) : 0;
}

int kmsg_read_each(int fd, int (*fn)(void *ctx, const char *rec, size_t len),
		   void *ctx)
{
	char rec[8192];

	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec));
		int ret;

		if (n < 0 && errno == EPIPE)
			continue;	/* records were overwritten; go on */
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		ret = each_in_chunk(rec, (size_t)n, fn, ctx);
		if (ret)
			return ret;
	}
}

struct drain_ctx {
	struct kmsg_cursor *c;
	const char *const *needles;
	int found;
};

static int drain_one(void *ctx, const char *rec, size_t len)
{
	struct drain_ctx *d = ctx;
	size_t mlen;
	const char *msg = kmsg_record_text(rec, len, &mlen);

	if (append(d->c, msg, mlen))
		return -ENOMEM;
	d->found |= line_has_all(msg, mlen, d->needles);
	return 0;
}

/* Read every record available now; 1 if one matched, 0 if none, -errno. */
static int drain(struct kmsg_cursor *c, const char *const *needles)
{
	struct drain_ctx d = { .c = c, .needles = needles };
	int ret = kmsg_read_each(c->fd, drain_one, &d);

	return ret ? ret : d.found;
}

int kmsg_collect(struct kmsg_cursor *c, const char *const *needles,
		 int timeout_ms)
{
	double deadline = monotonic_s() + timeout_ms / 1000.0;
	int ret;

	/* A match may already be in text from an earlier call. */
	if (needles && needles[0]) {
		for (const char *l = c->text; l && *l;) {
			const char *e = strchr(l, '\n');
			size_t n = e ? (size_t)(e - l) : strlen(l);

			if (line_has_all(l, n, needles))
				return 1;
			l = e ? e + 1 : NULL;
		}
	}
	for (;;) {
		struct pollfd p = { .fd = c->fd, .events = POLLIN };
		long left;

		ret = drain(c, needles);
		if (ret)
			return ret;
		left = (long)((deadline - monotonic_s()) * 1000);
		if (left <= 0 || !needles || !needles[0])
			return 0;
		/* A regular file (tests) polls ready at EOF: do not spin. */
		if (poll(&p, 1, (int)left) > 0)
			nanosleep(&(struct timespec){ .tv_nsec = 5000000 }, NULL);
	}
}

void kmsg_close(struct kmsg_cursor *c)
{
	if (c->fd >= 0)
		close(c->fd);
	free(c->text);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

int kmsg_fault_addr(const char *line, uint64_t *addr)
{
	static const char *const keys[] = { "fault addr 0x", "address=0x" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *p = strstr(line, keys[i]), *end;

		/*
		 * The one number reader, from the "0x" on: strtoull would also
		 * skip blanks and newlines, take a sign and saturate past 64 bits.
		 */
		if (p && !number_scan_u64(p + strlen(keys[i]) - 2, addr, &end))
			return 0;
	}
	return -ENOENT;
}
