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

int kmsg_open(struct kmsg_cursor *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	c->fd = open(path ? path : "/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (c->fd < 0)
		return -errno;
	/* SEEK_END on /dev/kmsg: the next read returns the next new record. */
	if (lseek(c->fd, 0, SEEK_END) < 0) {
		int e = errno;

		close(c->fd);
		c->fd = -1;
		return -e;
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

/* Read every record available now; 1 if one matched, 0 if none, -errno. */
static int drain(struct kmsg_cursor *c, const char *const *needles)
{
	char rec[8192];
	int found = 0;

	for (;;) {
		ssize_t n = read(c->fd, rec, sizeof(rec));
		const char *msg;
		size_t mlen;

		if (n < 0 && errno == EPIPE)
			continue;	/* records were overwritten; go on */
		if (n < 0 && errno == EAGAIN)
			return found;
		if (n < 0)
			return -errno;
		if (n == 0)
			return found;
		msg = kmsg_record_text(rec, (size_t)n, &mlen);
		if (append(c, msg, mlen))
			return -ENOMEM;
		found |= line_has_all(msg, mlen, needles);
	}
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
