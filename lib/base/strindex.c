// SPDX-License-Identifier: GPL-2.0-only
#include "base/strindex.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int str_index_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return !!a - !!b;
	return strcmp(a, b);
}

static int by_key_then_at(const void *pa, const void *pb)
{
	const struct str_index_entry *a = pa, *b = pb;
	int c = str_index_cmp(a->key, b->key);

	return c ? c : (a->at > b->at) - (a->at < b->at);
}

int str_index_build(struct str_index *x, size_t n, const char *(*key)(void *ctx, size_t i),
		    void *ctx)
{
	x->n = 0;
	x->v = malloc((n ? n : 1) * sizeof(*x->v));
	if (!x->v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		x->v[i] = (struct str_index_entry){ key(ctx, i), i };
	qsort(x->v, n, sizeof(*x->v), by_key_then_at);
	x->n = n;
	return 0;
}

size_t sorted_lower_bound(const void *base, size_t n, size_t size, const void *key,
			  int (*cmp)(const void *elem, const void *key))
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cmp((const char *)base + mid * size, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* An entry against a key (a const char **). */
static int entry_vs_key(const void *elem, const void *key)
{
	return str_index_cmp(((const struct str_index_entry *)elem)->key, *(const char *const *)key);
}

size_t str_index_find(const struct str_index *x, const char *key)
{
	size_t lo = sorted_lower_bound(x->v, x->n, sizeof(*x->v), &key, entry_vs_key);

	return lo < x->n && !str_index_cmp(x->v[lo].key, key) ? lo : x->n;
}

void str_index_free(struct str_index *x)
{
	free(x->v);
	x->v = NULL;
	x->n = 0;
}
