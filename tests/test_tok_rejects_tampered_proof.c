/* A proof that was altered in any way — one flipped bit, c and s swapped, a
 * scalar re-encoded as its non-canonical twin s + L, all zeros — or that
 * belongs to another evaluated element does not verify, and the client then
 * learns no output. */
#include "tok_testlib.h"

/* Adds the group order L to the little-endian scalar s (< L), giving a
 * different 32-byte string for the same value mod L. */
static void
add_order(uint8_t s[32])
{
	uint8_t L[32];
	unsigned carry = 0;

	hex_fixture("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010",
	            L, sizeof(L));
	for (size_t i = 0; i < 32; i++) {
		unsigned v = s[i] + L[i] + carry;
		s[i] = (uint8_t)v;
		carry = v >> 8;
	}
}

static void
test_tampered_proofs_fail(void)
{
	struct tok_survey_key key;
	struct tok_client_token tk, other;
	uint8_t info[TOK_INFO_MAX], evaluated[32], proof[64], output[64];
	uint8_t evaluated2[32], proof2[64], output2[64], bad[64];
	size_t info_len = test_info(TEST_SURVEY, "eng", info);
	int flips_rejected = 0;

	test_survey_key(&key, TEST_SURVEY);
	test_issue_token(&key, info, info_len, &tk, evaluated, proof, output);

	/* Every single bit of c || s matters. */
	for (size_t bit = 0; bit < 512; bit++) {
		memcpy(bad, proof, 64);
		bad[bit / 8] ^= (uint8_t)(1U << (bit % 8));
		memset(output2, 0xAA, sizeof(output2));
		if (tok_client_finalize(&tk, key.pk, info, info_len, evaluated, bad,
		                        output2) == KOE_EVERIFY && all_zero(output2, 64))
			flips_rejected++;
	}
	CHECK_INT(flips_rejected, 512);

	memcpy(bad, proof + 32, 32);
	memcpy(bad + 32, proof, 32);
	CHECK_INT(tok_client_finalize(&tk, key.pk, info, info_len, evaluated, bad,
	                              output2), KOE_EVERIFY);
	memset(bad, 0, sizeof(bad));
	CHECK_INT(tok_client_finalize(&tk, key.pk, info, info_len, evaluated, bad,
	                              output2), KOE_EVERIFY);

	/* s + L is the same scalar mod L, so the proof equation would still hold:
	 * only the canonical-scalar check refuses it. */
	memcpy(bad, proof, 64);
	add_order(bad + 32);
	CHECK_INT(tok_scalar_check(bad + 32), KOE_EINVAL);
	CHECK_INT(tok_client_finalize(&tk, key.pk, info, info_len, evaluated, bad,
	                              output2), KOE_EVERIFY);
	memcpy(bad, proof, 64);
	add_order(bad);
	CHECK_INT(tok_client_finalize(&tk, key.pk, info, info_len, evaluated, bad,
	                              output2), KOE_EVERIFY);

	/* A valid proof for another element does not vouch for this one, and
	 * this proof does not vouch for another element. */
	test_issue_token(&key, info, info_len, &other, evaluated2, proof2, output2);
	CHECK_INT(tok_client_finalize(&tk, key.pk, info, info_len, evaluated, proof2,
	                              output2), KOE_EVERIFY);
	CHECK_INT(tok_client_finalize(&tk, key.pk, info, info_len, evaluated2, proof,
	                              output2), KOE_EVERIFY);
	CHECK_INT(tok_client_finalize(&tk, key.pk, info, info_len, evaluated2, proof2,
	                              output2), KOE_EVERIFY);

	/* The untouched answer still finalizes to the same output. */
	CHECK_INT(tok_client_finalize(&tk, key.pk, info, info_len, evaluated, proof,
	                              output2), KOE_OK);
	CHECK_MEM(output2, output, 64);
	tok_client_token_wipe(&tk);
	tok_client_token_wipe(&other);
	tok_survey_key_wipe(&key);
}

int
main(void)
{
	RUN(test_tampered_proofs_fail);
	return harness_done();
}
