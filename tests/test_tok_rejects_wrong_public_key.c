/* A client that checks the server's proof against another public key (a
 * different survey's, or one the server did not use) refuses the answer:
 * this is what stops a server from tagging one respondent with a key of its
 * own. */
#include "tok_testlib.h"

static void
test_other_survey_key_fails(void)
{
	struct tok_survey_key key, other;
	struct tok_client_token tk;
	uint8_t info[TOK_INFO_MAX], evaluated[32], proof[64], output[64];
	size_t info_len = test_info(TEST_SURVEY, "eng", info);

	test_survey_key(&key, TEST_SURVEY);
	test_survey_key(&other, "another-survey");
	CHECK(memcmp(key.pk, other.pk, 32) != 0);
	test_issue_token(&key, info, info_len, &tk, evaluated, proof, output);
	memset(output, 0xAA, sizeof(output));
	CHECK_INT(tok_client_finalize(&tk, other.pk, info, info_len, evaluated, proof,
	                              output), KOE_EVERIFY);
	CHECK(all_zero(output, sizeof(output)));

	/* The server answering with the other key is caught as well. */
	CHECK_INT(tok_issue(&other, info, info_len, tk.blinded, evaluated, proof), KOE_OK);
	CHECK_INT(tok_client_finalize(&tk, key.pk, info, info_len, evaluated, proof,
	                              output), KOE_EVERIFY);
	CHECK_INT(tok_client_finalize(&tk, other.pk, info, info_len, evaluated, proof,
	                              output), KOE_OK);
	tok_client_token_wipe(&tk);
	tok_survey_key_wipe(&key);
	tok_survey_key_wipe(&other);
}

static void
test_voprf_wrong_key_fails(void)
{
	static const uint8_t input[] = "input";
	struct tok_survey_key key, other;
	struct tok_blinded b;
	uint8_t evaluated[32], proof[64], output[64];

	test_survey_key(&key, TEST_SURVEY);
	test_survey_key(&other, "another-survey");
	CHECK_INT(tok_blind(TOK_MODE_VOPRF, input, 5, NULL, &b), KOE_OK);
	CHECK_INT(tok_blind_evaluate(TOK_MODE_VOPRF, key.sk, key.pk, NULL, 0, 1,
	                             b.element, evaluated, proof, NULL), KOE_OK);
	CHECK_INT(tok_finalize(TOK_MODE_VOPRF, other.pk, NULL, 0, &b, 1, evaluated,
	                       proof, output), KOE_EVERIFY);
	CHECK_INT(tok_finalize(TOK_MODE_VOPRF, key.pk, NULL, 0, &b, 1, evaluated,
	                       proof, output), KOE_OK);
	tok_blinded_wipe(&b);
	tok_survey_key_wipe(&key);
	tok_survey_key_wipe(&other);
}

int
main(void)
{
	RUN(test_other_survey_key_fails);
	RUN(test_voprf_wrong_key_fails);
	return harness_done();
}
