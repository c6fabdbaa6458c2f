// SPDX-License-Identifier: GPL-2.0-only
#include "base/kvconf.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/fsutil.h"

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int valid_key(const char *k)
{
	if (!*k)
		return 0;
	for (; *k; k++)
		if (!isalnum((unsigned char)*k) && *k != '_' && *k != '-')
			return 0;
	return 1;
}

static int add(struct kvconf *c, const char *k, const char *v, int line)
{
	struct kv *nv = realloc(c->v, (c->n + 1) * sizeof(*nv));

	if (!nv)
		return -ENOMEM;
	c->v = nv;
	nv[c->n].key = strdup(k);
	nv[c->n].value = strdup(v);
	nv[c->n].line = line;
	if (!nv[c->n].key || !nv[c->n].value) {
		free(nv[c->n].key);
		free(nv[c->n].value);
		return -ENOMEM;
	}
	c->n++;
	return 0;
}

int kvconf_load(struct kvconf *c, const char *path, FILE *err)
{
	char *text, *line, *next;
	int lineno = 0, ret = 0;

	memset(c, 0, sizeof(*c));
	snprintf(c->path, sizeof(c->path), "%s", path);
	text = read_file(path, NULL);
	if (!text) {
		ret = -errno;
		fprintf(err, "%s: cannot read: %s\n", path, read_file_strerror(errno));
		return ret;
	}
	for (line = text; line && !ret; line = next) {
		char *eq, *hash;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		/* A comment starts at a '#' at the line start or after a blank,
		 * not only at the first '#': "rack#3 # top" is "rack#3". */
		for (hash = strchr(line, '#'); hash; hash = strchr(hash + 1, '#')) {
			if (hash == line || isspace((unsigned char)hash[-1])) {
				*hash = '\0';
				break;
			}
		}
		line = trim(line);
		if (!*line)
			continue;
		eq = strchr(line, '=');
		if (!eq) {
			fprintf(err, "%s:%d: expected 'key = value', got '%s'\n",
				path, lineno, line);
			ret = -EINVAL;
			break;
		}
		*eq = '\0';
		if (!valid_key(trim(line))) {
			fprintf(err, "%s:%d: expected a key of letters, digits, '_' or '-' before '='\n",
				path, lineno);
			ret = -EINVAL;
			break;
		}
		ret = add(c, trim(line), trim(eq + 1), lineno);
	}
	free(text);
	if (ret)
		kvconf_free(c);
	return ret;
}

void kvconf_free(struct kvconf *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].value);
	}
	free(c->v);
	c->v = NULL;
	c->n = 0;
}

const char *kvconf_get(const struct kvconf *c, const char *key)
{
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].key, key))
			return c->v[i].value;
	return NULL;
}

int kvconf_check_keys(const struct kvconf *c, const char *const *allowed,
		      FILE *err)
{
	for (size_t i = 0; i < c->n; i++) {
		const char *const *a;

		for (a = allowed; *a && strcmp(*a, c->v[i].key); a++)
			;
		if (*a)
			continue;
		fprintf(err, "%s:%d: unknown key '%s' (expected one of:",
			c->path, c->v[i].line, c->v[i].key);
		for (a = allowed; *a; a++)
			fprintf(err, " %s", *a);
		fprintf(err, ")\n");
		return -EINVAL;
	}
	return 0;
}
