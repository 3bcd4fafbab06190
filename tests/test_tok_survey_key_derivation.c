/* A survey's key is DeriveKeyPair(seed, "koe-survey-v1:" || survey_id) in
 * POPRF mode, deterministic and distinct per survey, and its key_id is the
 * lowercase hex SHA-256 of the public key (docs/ARCHITECTURE.md §3, a contract). */
#include "tok_testlib.h"

static void
test_matches_rfc_derivation(void)
{
	static const char info[] = "koe-survey-v1:" TEST_SURVEY;
	uint8_t seed[32], sk[32], pk[32];
	struct tok_survey_key key, again;

	memset(seed, 0x42, sizeof(seed));
	CHECK_INT(tok_survey_key_derive(seed, TEST_SURVEY, &key), KOE_OK);
	CHECK_INT(tok_derive_key_pair(TOK_MODE_POPRF, seed, (const uint8_t *)info,
	                              sizeof(info) - 1, sk, pk), KOE_OK);
	CHECK_MEM(key.sk, sk, 32);
	CHECK_MEM(key.pk, pk, 32);
	CHECK_INT(tok_survey_key_derive(seed, TEST_SURVEY, &again), KOE_OK);
	CHECK_MEM(again.sk, key.sk, 32);
	/* Pinned so that a change to the derivation, which would orphan every
	 * published key_id, cannot pass unnoticed. */
	CHECK_STR(key.key_id, "1efae9dbbf70ff03905aa6d153ca474a499f56ff09ebb3f893c1d27ca650676e");
	sodium_memzero(sk, sizeof(sk));
	tok_survey_key_wipe(&key);
	tok_survey_key_wipe(&again);
}

static void
test_key_id_is_sha256_hex(void)
{
	uint8_t pk[32], h[32];
	char want[65], got[65];

	hex_fixture("c647bef38497bc6ec077c22af65b696efa43bff3b4a1975a3e8e0a1c5a79d631",
	            pk, sizeof(pk));
	/* Computed independently: hashlib.sha256(bytes.fromhex(pk)).hexdigest(). */
	tok_key_id(pk, got);
	CHECK_STR(got, "b46d489e57552c92c42cfc1f37026324b7d9b26bb33c2c408bd54ddae550b3b0");
	crypto_hash_sha256(h, pk, 32);
	sodium_bin2hex(want, sizeof(want), h, 32);
	CHECK_STR(got, want);
}

static void
test_surveys_and_seeds_give_distinct_keys(void)
{
	uint8_t seed[32];
	struct tok_survey_key a, b, c;

	memset(seed, 0x42, sizeof(seed));
	CHECK_INT(tok_survey_key_derive(seed, "survey-a", &a), KOE_OK);
	CHECK_INT(tok_survey_key_derive(seed, "survey-b", &b), KOE_OK);
	seed[31] ^= 1;
	CHECK_INT(tok_survey_key_derive(seed, "survey-a", &c), KOE_OK);
	CHECK(memcmp(a.pk, b.pk, 32) != 0);
	CHECK(memcmp(a.pk, c.pk, 32) != 0);
	CHECK(strcmp(a.key_id, b.key_id) != 0);
	CHECK_INT(strlen(a.key_id), 64);
	tok_survey_key_wipe(&a);
	tok_survey_key_wipe(&b);
	tok_survey_key_wipe(&c);
}

static void
test_bad_survey_ids(void)
{
	uint8_t seed[32] = { 0 };
	char long_id[TOK_SURVEY_ID_MAX + 2];
	struct tok_survey_key key;

	memset(&key, 0xAA, sizeof(key));
	CHECK_INT(tok_survey_key_derive(seed, "", &key), KOE_EINVAL);
	CHECK(all_zero((const uint8_t *)&key, sizeof(key)));
	CHECK_INT(tok_survey_key_derive(seed, NULL, &key), KOE_EINVAL);
	memset(long_id, 'a', sizeof(long_id));
	long_id[TOK_SURVEY_ID_MAX + 1] = '\0';
	CHECK_INT(tok_survey_key_derive(seed, long_id, &key), KOE_EINVAL);
	long_id[TOK_SURVEY_ID_MAX] = '\0';
	CHECK_INT(tok_survey_key_derive(seed, long_id, &key), KOE_OK);
	tok_survey_key_wipe(&key);
}

int
main(void)
{
	RUN(test_matches_rfc_derivation);
	RUN(test_key_id_is_sha256_hex);
	RUN(test_surveys_and_seeds_give_distinct_keys);
	RUN(test_bad_survey_ids);
	return harness_done();
}
