/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Kprobe events through tracefs, owned by one suite run: a probe on a
 * kernel function is added (kprobe_events), enabled (events/GROUP/NAME/
 * enable), counted (kprobe_profile) and removed again. Names carry the
 * pid, so two runs never touch each other's probes; nothing else in
 * kprobe_events is ever cleared (the file is only appended to: opening it
 * with O_TRUNC would delete every probe on the machine).
 */
#ifndef SNOOP_KPROBE_H
#define SNOOP_KPROBE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#define KPROBE_GROUP "snoopcheck"

struct kprobe {
	char root[PATH_MAX];	/* the tracefs mount */
	char name[64];		/* event name, unique to this process */
	char symbol[128];	/* the probed kernel function */
	bool added;
	bool enabled;
};

/*
 * The tracefs mount under which kprobe events can be made: tracefs at
 * /sys/kernel/tracing (mounted there when it is not yet), else the old
 * /sys/kernel/debug/tracing. 0 and root filled in; else -errno and why
 * names what to enable (CONFIG_KPROBE_EVENTS, CONFIG_FTRACE, tracefs).
 */
int kprobe_tracefs(char *root, size_t len, char *why, size_t wlen);

/*
 * Probe symbol as KPROBE_GROUP/PREFIX_PID under root and enable it.
 * 0, or -errno with why saying which step failed (a symbol that cannot be
 * probed, inlined or unknown, fails here). A probe added but not enabled
 * is removed again before returning.
 */
int kprobe_add(struct kprobe *k, const char *root, const char *prefix,
	       const char *symbol, char *why, size_t wlen);

/* How often the probe has fired since it was added (kprobe_profile); -errno. */
long kprobe_hits(const struct kprobe *k);

/* "snoopcheck/NAME": how evidence names the probe. */
void kprobe_id(const struct kprobe *k, char *buf, size_t len);

/* Disable and delete; safe to call on a probe never added or removed. 0 or -errno. */
int kprobe_remove(struct kprobe *k);

#endif
