/* A token is bound to its survey and segment through the POPRF info: the
 * client refuses an answer made for another segment, and a token made for one
 * segment or survey does not redeem in another. */
#include "tok_testlib.h"

static void
test_client_detects_other_segment(void)
{
	struct tok_survey_key key;
	struct tok_client_token tk;
	uint8_t eng[TOK_INFO_MAX], sales[TOK_INFO_MAX];
	uint8_t evaluated[32], proof[64], output[64];
	size_t eng_len = test_info(TEST_SURVEY, "eng", eng);
	size_t sales_len = test_info(TEST_SURVEY, "sales", sales);

	test_survey_key(&key, TEST_SURVEY);
	CHECK_INT(tok_client_blind(&tk), KOE_OK);
	/* The server evaluates for "sales"; the client expects "eng". */
	CHECK_INT(tok_issue(&key, sales, sales_len, tk.blinded, evaluated, proof), KOE_OK);
	memset(output, 0xAA, sizeof(output));
	CHECK_INT(tok_client_finalize(&tk, key.pk, eng, eng_len, evaluated, proof,
	                              output), KOE_EVERIFY);
	CHECK(all_zero(output, sizeof(output)));
	CHECK_INT(tok_client_finalize(&tk, key.pk, sales, sales_len, evaluated, proof,
	                              output), KOE_OK);
	tok_client_token_wipe(&tk);
	tok_survey_key_wipe(&key);
}

static void
test_token_does_not_redeem_elsewhere(void)
{
	struct tok_survey_key key, other;
	struct tok_segment_key seg_eng, seg_sales, seg_other;
	struct tok_client_token tk;
	uint8_t eng[TOK_INFO_MAX], sales[TOK_INFO_MAX], other_eng[TOK_INFO_MAX];
	uint8_t evaluated[32], proof[64], output[64];
	size_t eng_len = test_info(TEST_SURVEY, "eng", eng);
	size_t sales_len = test_info(TEST_SURVEY, "sales", sales);
	size_t other_len = test_info("another-survey", "eng", other_eng);

	test_survey_key(&key, TEST_SURVEY);
	test_survey_key(&other, "another-survey");
	test_issue_token(&key, eng, eng_len, &tk, evaluated, proof, output);
	CHECK_INT(tok_segment_key_init(&seg_eng, &key, eng, eng_len), KOE_OK);
	CHECK_INT(tok_segment_key_init(&seg_sales, &key, sales, sales_len), KOE_OK);
	CHECK_INT(tok_segment_key_init(&seg_other, &other, other_eng, other_len), KOE_OK);

	CHECK_INT(tok_segment_redeem_verify(&seg_eng, tk.input, output), KOE_OK);
	CHECK_INT(tok_segment_redeem_verify(&seg_sales, tk.input, output), KOE_EVERIFY);
	CHECK_INT(tok_segment_redeem_verify(&seg_other, tk.input, output), KOE_EVERIFY);
	CHECK_INT(tok_redeem_verify(&key, eng, eng_len, tk.input, output), KOE_OK);
	CHECK_INT(tok_redeem_verify(&key, sales, sales_len, tk.input, output), KOE_EVERIFY);
	/* The same survey id framed under the other survey's key fails too. */
	CHECK_INT(tok_redeem_verify(&other, eng, eng_len, tk.input, output), KOE_EVERIFY);

	tok_segment_key_wipe(&seg_eng);
	tok_segment_key_wipe(&seg_sales);
	tok_segment_key_wipe(&seg_other);
	tok_client_token_wipe(&tk);
	tok_survey_key_wipe(&key);
	tok_survey_key_wipe(&other);
}

int
main(void)
{
	RUN(test_client_detects_other_segment);
	RUN(test_token_does_not_redeem_elsewhere);
	return harness_done();
}
