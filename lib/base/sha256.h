/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * SHA-256, from libcrypto (Debian libssl-dev), as lower-case hex: the
 * checksums a submission bundle's manifest lists and validate rechecks.
 */
#ifndef SNOOP_SHA256_H
#define SNOOP_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 65	/* 64 hex digits and the NUL */

struct sha256 {
	void *ctx;		/* EVP_MD_CTX, kept out of the header */
};

/* 0, or -ENOMEM. */
int sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t len);
/* The digest as hex; frees the context (sha256_init again to reuse). */
void sha256_final(struct sha256 *h, char hex[SHA256_HEX_LEN]);
/* A whole buffer at once. 0, or -ENOMEM. */
int sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN]);

#endif
