// SPDX-License-Identifier: GPL-2.0-only
#include "base/sha256.h"

#include <errno.h>
#include <stdio.h>

#include <openssl/evp.h>

int sha256_init(struct sha256 *h)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		EVP_MD_CTX_free(ctx);
		h->ctx = NULL;
		return -ENOMEM;
	}
	h->ctx = ctx;
	return 0;
}

void sha256_update(struct sha256 *h, const void *data, size_t len)
{
	EVP_DigestUpdate(h->ctx, data, len);
}

void sha256_final(struct sha256 *h, char hex[SHA256_HEX_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_DigestFinal_ex(h->ctx, md, &n);
	EVP_MD_CTX_free(h->ctx);
	h->ctx = NULL;
	for (unsigned int i = 0; i < n && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[64] = '\0';
}

int sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN])
{
	struct sha256 h;

	if (sha256_init(&h))
		return -ENOMEM;
	sha256_update(&h, data, len);
	sha256_final(&h, hex);
	return 0;
}
