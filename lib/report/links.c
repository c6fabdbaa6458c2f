// SPDX-License-Identifier: GPL-2.0-only
#include "report/links.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jsonfile.h"

char *link_rel(const char *from, const char *target)
{
	char *to = realpath(target, NULL), *rel = NULL;
	size_t common = 0, ups = 0, len;
	const char *rest;

	if (!to)
		return NULL;
	/* The longest common prefix that ends at a component boundary. */
	for (size_t i = 0;; i++) {
		bool end_f = !from[i] || from[i] == '/', end_t = !to[i] || to[i] == '/';

		if (end_f && end_t)
			common = i;
		if (!from[i] || !to[i] || from[i] != to[i])
			break;
	}
	for (const char *p = from + common; *p; p++)
		ups += *p == '/' && p[1] && p[1] != '/';
	rest = to + common + (to[common] == '/');
	len = ups * 3 + strlen(rest) + 3;
	rel = malloc(len);
	if (rel) {
		rel[0] = '\0';
		for (size_t i = 0; i < ups; i++)
			strcat(rel, "../");
		if (*rest)
			strcat(rel, rest);
		else if (ups)
			rel[strlen(rel) - 1] = '\0';	/* "../..": the target is a directory above */
		else
			strcpy(rel, ".");
		if (!ups && *rest)	/* "./NAME": a name with ':' is never a scheme */
			memmove(rel + 2, rel, strlen(rel) + 1), memcpy(rel, "./", 2);
	} else {
		errno = ENOMEM;
	}
	free(to);
	return rel;
}

bool link_name_stays(const char *name)
{
	const char *p = name;

	if (!name || !*name || *name == '/')
		return false;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && !strncmp(p, "..", 2))
			return false;
		p += n;
		p += *p == '/';
	}
	return true;
}

char *link_log(const char *from, const struct rundoc *d, const char *name)
{
	const char *logs = jmember_str(rundoc_run(d), "logs_dir");
	const char *slash = strrchr(d->path, '/');
	char *target, *rel;
	int n;

	if (!logs) {
		errno = ENOENT;
		return NULL;
	}
	if (!link_name_stays(logs) || (name && !link_name_stays(name))) {
		errno = EPERM;
		return NULL;
	}
	n = asprintf(&target, "%.*s%s%s%s%s", slash ? (int)(slash - d->path + 1) : 0, d->path,
		     logs, name ? "/" : "", name ? name : "", "");
	if (n < 0) {
		errno = ENOMEM;
		return NULL;
	}
	rel = link_rel(from, target);
	free(target);
	return rel;
}
