// SPDX-License-Identifier: GPL-2.0-only
/* SHA-256 against the FIPS 180-2 examples, whole and in pieces. */
#include <string.h>

#include <kselftest_harness.h>

#include "base/sha256.h"

TEST(known_digests)
{
	char hex[SHA256_HEX_LEN];

	ASSERT_EQ(0, sha256_hex("abc", 3, hex));
	EXPECT_STREQ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex);
	ASSERT_EQ(0, sha256_hex("", 0, hex));
	EXPECT_STREQ("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex);
}

TEST(in_pieces_as_a_stream)
{
	const char *msg = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	struct sha256 h;
	char hex[SHA256_HEX_LEN];

	ASSERT_EQ(0, sha256_init(&h));
	for (size_t i = 0; i < strlen(msg); i += 7)
		sha256_update(&h, msg + i, strlen(msg) - i < 7 ? strlen(msg) - i : 7);
	sha256_final(&h, hex);
	EXPECT_STREQ("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1", hex);
}

TEST_HARNESS_MAIN
