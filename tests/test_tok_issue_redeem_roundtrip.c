/* The koe token flow end to end: the client blinds, the server issues (fast
 * path and one-shot agree), the client verifies and finalizes, the server
 * redeems. Issuing twice for the same blinded element gives the same
 * evaluated element; any change to input or output fails redemption. */
#include "tok_testlib.h"

static void
test_roundtrip(void)
{
	struct tok_survey_key key;
	struct tok_segment_key seg;
	struct tok_client_token tk;
	uint8_t info[TOK_INFO_MAX], ev1[32], ev2[32], pr1[64], pr2[64];
	uint8_t out1[64], out2[64], direct[64], bad[64];
	size_t info_len = test_info(TEST_SURVEY, "eng|3-5y", info);

	test_survey_key(&key, TEST_SURVEY);
	CHECK_INT(tok_segment_key_init(&seg, &key, info, info_len), KOE_OK);
	CHECK_INT(tok_client_blind(&tk), KOE_OK);
	CHECK_INT(tok_element_check(tk.blinded), KOE_OK);

	CHECK_INT(tok_segment_issue(&seg, tk.blinded, ev1, pr1), KOE_OK);
	CHECK_INT(tok_issue(&key, info, info_len, tk.blinded, ev2, pr2), KOE_OK);
	/* The evaluation is deterministic (a retried issuance can be answered
	 * consistently); the proofs use fresh randomness. */
	CHECK_MEM(ev1, ev2, 32);
	CHECK(memcmp(pr1, pr2, 64) != 0);

	CHECK_INT(tok_client_finalize(&tk, key.pk, info, info_len, ev1, pr1, out1), KOE_OK);
	CHECK_INT(tok_client_finalize(&tk, key.pk, info, info_len, ev2, pr2, out2), KOE_OK);
	CHECK_MEM(out1, out2, 64);

	/* The output is the RFC's POPRF Evaluate of the input. */
	CHECK_INT(tok_evaluate(TOK_MODE_POPRF, key.sk, tk.input, 32, info, info_len,
	                       direct), KOE_OK);
	CHECK_MEM(out1, direct, 64);

	CHECK_INT(tok_segment_redeem_verify(&seg, tk.input, out1), KOE_OK);
	CHECK_INT(tok_redeem_verify(&key, info, info_len, tk.input, out1), KOE_OK);

	memcpy(bad, out1, 64);
	bad[63] ^= 1;
	CHECK_INT(tok_segment_redeem_verify(&seg, tk.input, bad), KOE_EVERIFY);
	CHECK_INT(tok_redeem_verify(&key, info, info_len, tk.input, bad), KOE_EVERIFY);
	memcpy(bad, tk.input, 32);
	bad[0] ^= 1;
	CHECK_INT(tok_segment_redeem_verify(&seg, bad, out1), KOE_EVERIFY);
	CHECK_INT(tok_redeem_verify(&key, info, info_len, bad, out1), KOE_EVERIFY);

	tok_client_token_wipe(&tk);
	tok_segment_key_wipe(&seg);
	tok_survey_key_wipe(&key);
}

static void
test_tokens_are_unlinkable_values(void)
{
	struct tok_survey_key key;
	struct tok_client_token a, b;
	uint8_t info[TOK_INFO_MAX], ev[32], pr[64], oa[64], ob[64];
	size_t info_len = test_info(TEST_SURVEY, "eng", info);

	/* Two clients draw different inputs and blinds, so the server sees
	 * unrelated blinded elements and the outputs differ. */
	test_survey_key(&key, TEST_SURVEY);
	test_issue_token(&key, info, info_len, &a, ev, pr, oa);
	test_issue_token(&key, info, info_len, &b, ev, pr, ob);
	CHECK(memcmp(a.input, b.input, 32) != 0);
	CHECK(memcmp(a.blind, b.blind, 32) != 0);
	CHECK(memcmp(a.blinded, b.blinded, 32) != 0);
	CHECK(memcmp(oa, ob, 64) != 0);
	tok_client_token_wipe(&a);
	tok_client_token_wipe(&b);
	tok_survey_key_wipe(&key);
}

static void
test_wipe_functions_clear_secrets(void)
{
	struct tok_survey_key key;
	struct tok_segment_key seg;
	struct tok_client_token tk;
	uint8_t info[TOK_INFO_MAX];
	size_t info_len = test_info(TEST_SURVEY, "eng", info);

	test_survey_key(&key, TEST_SURVEY);
	CHECK_INT(tok_segment_key_init(&seg, &key, info, info_len), KOE_OK);
	CHECK_INT(tok_client_blind(&tk), KOE_OK);
	CHECK(!all_zero(seg.t_inv, 32) && !all_zero(key.sk, 32) && !all_zero(tk.blind, 32));
	tok_segment_key_wipe(&seg);
	tok_survey_key_wipe(&key);
	tok_client_token_wipe(&tk);
	CHECK(all_zero((const uint8_t *)&seg, sizeof(seg)));
	CHECK(all_zero((const uint8_t *)&key, sizeof(key)));
	CHECK(all_zero((const uint8_t *)&tk, sizeof(tk)));
	tok_segment_key_wipe(NULL);
	tok_survey_key_wipe(NULL);
	tok_client_token_wipe(NULL);
	tok_blinded_wipe(NULL);
}

int
main(void)
{
	RUN(test_roundtrip);
	RUN(test_tokens_are_unlinkable_values);
	RUN(test_wipe_functions_clear_secrets);
	return harness_done();
}
