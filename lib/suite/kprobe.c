// SPDX-License-Identifier: GPL-2.0-only
#include "suite/kprobe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "base/fsutil.h"
#include "sysfs/sysroot.h"

/* Write s to path in one write(); append keeps what the file holds. */
static int put(const char *path, const char *s, bool append)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | (append ? O_APPEND : O_TRUNC));
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	err = n == (ssize_t)strlen(s) ? 0 : n < 0 ? -errno : -EIO;
	close(fd);
	return err;
}

static bool has_kprobe_events(const char *root)
{
	char p[PATH_MAX];

	path_fmt(p, sizeof(p), "%s/kprobe_events", root);
	return access(p, W_OK) == 0;
}

int kprobe_tracefs(char *root, size_t len, char *why, size_t wlen)
{
	char dir[PATH_MAX];

	path_fmt(dir, sizeof(dir), "/sys/kernel/tracing");
	if (access(dir, F_OK))
		goto old;
	/* An empty mount point: tracefs is there but not mounted yet. */
	if (!has_kprobe_events(dir) && access(dir, W_OK) == 0) {
		char probe[PATH_MAX];

		path_fmt(probe, sizeof(probe), "%s/trace", dir);
		if (access(probe, F_OK))
			mount("nodev", dir, "tracefs", 0, NULL);
	}
	if (has_kprobe_events(dir)) {
		snprintf(root, len, "%s", dir);
		return 0;
	}
old:
	path_fmt(dir, sizeof(dir), "/sys/kernel/debug/tracing");
	if (has_kprobe_events(dir)) {
		snprintf(root, len, "%s", dir);
		return 0;
	}
	path_fmt(dir, sizeof(dir), "/sys/kernel/tracing/trace");
	snprintf(why, wlen, access(dir, F_OK) ?
		 "no tracefs at /sys/kernel/tracing: build the kernel with CONFIG_FTRACE "
		 "(tracefs) or mount it (mount -t tracefs nodev /sys/kernel/tracing)" :
		 "tracefs has no writable kprobe_events: build the kernel with "
		 "CONFIG_KPROBES and CONFIG_KPROBE_EVENTS, and run as root");
	return -ENOENT;
}

void kprobe_id(const struct kprobe *k, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", KPROBE_GROUP, k->name);
}

int kprobe_add(struct kprobe *k, const char *root, const char *prefix,
	       const char *symbol, char *why, size_t wlen)
{
	char path[PATH_MAX], def[256];
	int err;

	memset(k, 0, sizeof(*k));
	snprintf(k->root, sizeof(k->root), "%s", root);
	snprintf(k->name, sizeof(k->name), "%s_%ld", prefix, (long)getpid());
	snprintf(k->symbol, sizeof(k->symbol), "%s", symbol);
	snprintf(def, sizeof(def), "p:%s/%s %s\n", KPROBE_GROUP, k->name, symbol);
	path_fmt(path, sizeof(path), "%s/kprobe_events", root);
	err = put(path, def, true);
	if (err) {
		snprintf(why, wlen, "cannot probe %s (%s: %s): is it a kernel function "
			 "that is built in and not inlined? (CONFIG_KALLSYMS, CONFIG_KPROBES)",
			 symbol, path, strerror(-err));
		return err;
	}
	k->added = true;
	path_fmt(path, sizeof(path), "%s/events/%s/%s/enable", root, KPROBE_GROUP, k->name);
	err = put(path, "1\n", false);
	if (err) {
		snprintf(why, wlen, "cannot enable the probe on %s (%s: %s)", symbol, path,
			 strerror(-err));
		kprobe_remove(k);
		return err;
	}
	k->enabled = true;
	return 0;
}

/* kprobe_profile: one line per probe, "  NAME  NHIT  NMISSED". */
long kprobe_hits(const struct kprobe *k)
{
	char path[PATH_MAX];
	char *text, *line, *save = NULL;
	long hits = -ENOENT;

	path_fmt(path, sizeof(path), "%s/kprobe_profile", k->root);
	text = read_file(path, NULL);
	if (!text)
		return -errno;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[128];
		unsigned long nhit;

		if (sscanf(line, " %127s %lu", name, &nhit) == 2 && !strcmp(name, k->name)) {
			hits = (long)nhit;
			break;
		}
	}
	free(text);
	return hits;
}

int kprobe_remove(struct kprobe *k)
{
	char path[PATH_MAX], def[160];
	int err = 0;

	if (k->enabled) {
		path_fmt(path, sizeof(path), "%s/events/%s/%s/enable", k->root,
			 KPROBE_GROUP, k->name);
		err = put(path, "0\n", false);
		k->enabled = false;
	}
	if (k->added) {
		int e;

		snprintf(def, sizeof(def), "-:%s/%s\n", KPROBE_GROUP, k->name);
		path_fmt(path, sizeof(path), "%s/kprobe_events", k->root);
		e = put(path, def, true);
		err = err ? err : e;
		k->added = false;
	}
	return err;
}
