/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Items found by a string key in O(log n), for what would otherwise scan
 * every item once per item (runner compare over thousands of files):
 * (key, position) pairs sorted by key, then position, so the first match
 * found is the item a scan in order would have found first. A NULL key is
 * a key of its own, equal only to NULL.
 */
#ifndef SNOOP_STRINDEX_H
#define SNOOP_STRINDEX_H

#include <stddef.h>

struct str_index {
	struct str_index_entry {
		const char *key;	/* borrowed */
		size_t at;
	} *v;
	size_t n;
};

/* key(ctx, i) for i < n, borrowed until str_index_free(). 0 or -ENOMEM. */
int str_index_build(struct str_index *x, size_t n, const char *(*key)(void *ctx, size_t i),
		    void *ctx);
/* The first entry (lowest position) with key, or x->n. */
size_t str_index_find(const struct str_index *x, const char *key);
/*
 * The lowest i < n whose element of base (n elements of size bytes, sorted
 * by cmp) is not below key, cmp(element, key) >= 0; n when none is: the one
 * binary search every sorted index here uses.
 */
size_t sorted_lower_bound(const void *base, size_t n, size_t size, const void *key,
			  int (*cmp)(const void *elem, const void *key));
/* NULL first, then strcmp(). */
int str_index_cmp(const char *a, const char *b);
void str_index_free(struct str_index *x);

#endif
