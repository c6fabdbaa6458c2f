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

size_t str_index_find(const struct str_index *x, const char *key)
{
	size_t lo = 0, hi = x->n;

	/* The lowest entry not below key. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (str_index_cmp(x->v[mid].key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < x->n && !str_index_cmp(x->v[lo].key, key) ? lo : x->n;
}

void str_index_free(struct str_index *x)
{
	free(x->v);
	x->v = NULL;
	x->n = 0;
}
