/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The project's small "key = value" data files (virtual-lab platforms, the
 * lab config): '#' comments, blank lines, repeated keys kept in order. Every
 * entry remembers its line so errors can say file:line.
 */
#ifndef SNOOP_KVCONF_H
#define SNOOP_KVCONF_H

#include <stddef.h>
#include <stdio.h>

struct kv {
	char *key;
	char *value;
	int line;
};

struct kvconf {
	char path[4096];
	struct kv *v;
	size_t n;
};

/* Parse path. On bad syntax prints "path:line: expected ..." to err and
 * returns -EINVAL; -errno when the file cannot be read. */
int kvconf_load(struct kvconf *c, const char *path, FILE *err);
void kvconf_free(struct kvconf *c);
/* The first value of key, or NULL. */
const char *kvconf_get(const struct kvconf *c, const char *key);
/*
 * Reject keys outside allowed (NULL-terminated) with "path:line: unknown
 * key 'k' (expected one of ...)"; -EINVAL then.
 */
int kvconf_check_keys(const struct kvconf *c, const char *const *allowed,
		      FILE *err);

#endif
