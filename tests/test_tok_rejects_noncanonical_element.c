/* Non-canonical ristretto255 encodings (field element ≥ p, a "negative"
 * field element, the unused top bit set, bytes that decode to no point) are
 * refused wherever an element comes from outside. The top-bit case matters
 * most: libsodium 1.0.18's is_valid_point accepts it (it decodes to the same
 * point as the encoding without the bit), so only koe's own check stops it. */
#include "tok_testlib.h"

static const char *const BAD[] = {
	/* s = p = 2^255 - 19, not reduced */
	"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	/* s = 1 is odd, i.e. negative: canonical encodings are non-negative */
	"0100000000000000000000000000000000000000000000000000000000000000",
	/* the base point with bit 255 set */
	"e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2df6",
	/* all ones */
	"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
	/* s = p + 2, the same field element as 2 */
	"efffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
	/* s = 2 is non-negative and reduced but no point has it */
	"0200000000000000000000000000000000000000000000000000000000000000",
};
#define NBAD (sizeof(BAD) / sizeof(BAD[0]))
#define TOP_BIT 2 /* the index of the base point with bit 255 set */

static void
test_rejected_everywhere(void)
{
	struct tok_survey_key key;
	struct tok_segment_key seg;
	struct tok_client_token tk;
	uint8_t info[TOK_INFO_MAX], evaluated[32], proof[64], output[64], tweaked[32];
	uint8_t out[32];
	size_t info_len = test_info(TEST_SURVEY, "eng", info);

	test_survey_key(&key, TEST_SURVEY);
	CHECK_INT(tok_segment_key_init(&seg, &key, info, info_len), KOE_OK);
	test_issue_token(&key, info, info_len, &tk, evaluated, proof, output);
	for (size_t i = 0; i < NBAD; i++) {
		uint8_t e[32];

		hex_fixture(BAD[i], e, sizeof(e));
		harness_current = BAD[i];
		CHECK_INT(crypto_core_ristretto255_is_valid_point(e), i == TOP_BIT ? 1 : 0);
		CHECK_INT(tok_element_check(e), KOE_EINVAL);
		CHECK_INT(tok_segment_issue(&seg, e, out, proof), KOE_EINVAL);
		CHECK_INT(tok_issue(&key, info, info_len, e, out, proof), KOE_EINVAL);
		CHECK_INT(tok_blind_evaluate(TOK_MODE_VOPRF, key.sk, key.pk, NULL, 0, 1,
		                             e, out, proof, NULL), KOE_EINVAL);
		/* The honest proof is irrelevant: the element is refused first. */
		CHECK_INT(tok_client_finalize(&tk, key.pk, info, info_len, e, proof,
		                              output), KOE_EINVAL);
		CHECK_INT(tok_client_finalize(&tk, e, info, info_len, evaluated, proof,
		                              output), KOE_EINVAL);
		CHECK_INT(tok_poprf_tweak_key(e, info, info_len, tweaked), KOE_EINVAL);
	}
	tok_client_token_wipe(&tk);
	tok_segment_key_wipe(&seg);
	tok_survey_key_wipe(&key);
}

int
main(void)
{
	RUN(test_rejected_everywhere);
	return harness_done();
}
