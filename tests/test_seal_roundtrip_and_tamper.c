/* Sealed answers open only with the report key, only unchanged, and only for
 * the survey and segment they were sealed for; their length does not tell
 * how much was written. */
#include <sodium.h>

#include "harness.h"
#include "koe/seal.h"

static uint8_t pk[SEAL_PK_BYTES], sk[SEAL_SK_BYTES];

static void
roundtrip(void)
{
	struct seal_batch b;
	uint8_t box[1024], plain[1024], key[SEAL_KEY_BYTES];
	size_t boxlen, plen;
	static const uint8_t msg[] = "回答: とてもそう思う";
	static const uint8_t ad[] = "survey\0g01";

	CHECK_INT(seal_batch_new(&b, pk), KOE_OK);
	CHECK_INT(seal_box(&b, ad, sizeof(ad), msg, sizeof(msg), box, &boxlen), KOE_OK);
	CHECK_INT(boxlen, seal_box_len(sizeof(msg)));
	CHECK_INT(seal_batch_key(sk, b.epk, key), KOE_OK);
	CHECK_INT(seal_unbox(key, ad, sizeof(ad), box, boxlen, plain, &plen), KOE_OK);
	CHECK_INT(plen, sizeof(msg));
	CHECK_MEM(plain, msg, sizeof(msg));

	/* Any flipped bit fails. */
	for (size_t i = 0; i < boxlen; i += 7) {
		box[i] ^= 1;
		CHECK_INT(seal_unbox(key, ad, sizeof(ad), box, boxlen, plain, &plen), KOE_EVERIFY);
		box[i] ^= 1;
	}
	/* Moved to another segment (associated data) fails. */
	static const uint8_t other[] = "survey\0g02";
	CHECK_INT(seal_unbox(key, other, sizeof(other), box, boxlen, plain, &plen), KOE_EVERIFY);
	/* Truncated fails. */
	CHECK_INT(seal_unbox(key, ad, sizeof(ad), box, boxlen - 1, plain, &plen), KOE_EVERIFY);
	seal_batch_wipe(&b);
}

static void
wrong_key_fails(void)
{
	struct seal_batch b;
	uint8_t pk2[SEAL_PK_BYTES], sk2[SEAL_SK_BYTES], key[SEAL_KEY_BYTES];
	uint8_t box[512], plain[512];
	size_t boxlen, plen;
	crypto_box_keypair(pk2, sk2);
	CHECK_INT(seal_batch_new(&b, pk), KOE_OK);
	CHECK_INT(seal_box(&b, (const uint8_t *)"a", 1, (const uint8_t *)"x", 1, box, &boxlen),
	          KOE_OK);
	CHECK_INT(seal_batch_key(sk2, b.epk, key), KOE_OK);
	CHECK_INT(seal_unbox(key, (const uint8_t *)"a", 1, box, boxlen, plain, &plen), KOE_EVERIFY);
	seal_batch_wipe(&b);
}

static void
length_is_padded(void)
{
	CHECK_INT(seal_box_len(1), seal_box_len(100));
	CHECK_INT(seal_box_len(0), seal_box_len(SEAL_PAD - 1));
	CHECK(seal_box_len(SEAL_PAD) > seal_box_len(SEAL_PAD - 1));
}

static void
batch_keeps_no_secret(void)
{
	/* The batch holds the epk and the shared key only; two batches for the
	 * same report key differ (fresh ephemeral keys). */
	struct seal_batch a, b;
	CHECK_INT(seal_batch_new(&a, pk), KOE_OK);
	CHECK_INT(seal_batch_new(&b, pk), KOE_OK);
	CHECK(memcmp(a.epk, b.epk, SEAL_PK_BYTES) != 0);
	CHECK(memcmp(a.key, b.key, SEAL_KEY_BYTES) != 0);
	seal_batch_wipe(&a);
	seal_batch_wipe(&b);
}

static void
passphrase_rules(void)
{
	struct seal_kdf k;
	uint8_t p1[SEAL_PK_BYTES], s1[SEAL_SK_BYTES], p2[SEAL_PK_BYTES], s2[SEAL_SK_BYTES];
	seal_kdf_new(&k);
	CHECK_INT(seal_keypair_from_passphrase("short", 5, &k, p1, s1), KOE_EINVAL);
	CHECK_INT(seal_keypair_from_passphrase("long enough phrase", 18, &k, p1, s1), KOE_OK);
	CHECK_INT(seal_keypair_from_passphrase("long enough phrase", 18, &k, p2, s2), KOE_OK);
	CHECK_MEM(p1, p2, SEAL_PK_BYTES); /* deterministic for a salt */
	CHECK_INT(seal_keypair_from_passphrase("long enough phrasE", 18, &k, p2, s2), KOE_OK);
	CHECK(memcmp(p1, p2, SEAL_PK_BYTES) != 0);
	k.salt[0] ^= 1;
	CHECK_INT(seal_keypair_from_passphrase("long enough phrase", 18, &k, p2, s2), KOE_OK);
	CHECK(memcmp(p1, p2, SEAL_PK_BYTES) != 0);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 2;
	setenv("KOE_KDF_MEMLIMIT", "8388608", 1);
	crypto_box_keypair(pk, sk);
	RUN(roundtrip);
	RUN(wrong_key_fails);
	RUN(length_is_padded);
	RUN(batch_keeps_no_secret);
	RUN(passphrase_rules);
	return harness_done();
}
