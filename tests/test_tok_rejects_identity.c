/* The identity element (all-zero encoding, which libsodium's is_valid_point
 * accepts) is refused wherever an element comes from outside, and a tweak
 * that lands on the identity or on a zero key is an error, not a key. */
#include "tok_testlib.h"

static const uint8_t IDENTITY[TOK_ELEMENT_BYTES];

static void
test_element_check(void)
{
	uint8_t base[TOK_ELEMENT_BYTES];

	CHECK_INT(crypto_core_ristretto255_is_valid_point(IDENTITY), 1);
	CHECK_INT(tok_element_check(IDENTITY), KOE_EINVAL);
	hex_fixture("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
	            base, sizeof(base));
	CHECK_INT(tok_element_check(base), KOE_OK);
}

static void
test_server_refuses_identity_blinded_element(void)
{
	struct tok_survey_key key;
	struct tok_segment_key seg;
	uint8_t info[TOK_INFO_MAX], evaluated[32], proof[64];
	uint8_t batch[2 * 32], out[2 * 32];
	size_t info_len = test_info(TEST_SURVEY, "eng", info);
	struct tok_client_token tk;

	test_survey_key(&key, TEST_SURVEY);
	CHECK_INT(tok_segment_key_init(&seg, &key, info, info_len), KOE_OK);
	memset(evaluated, 0xAA, sizeof(evaluated));
	memset(proof, 0xAA, sizeof(proof));
	CHECK_INT(tok_segment_issue(&seg, IDENTITY, evaluated, proof), KOE_EINVAL);
	CHECK(all_zero(evaluated, 32) && all_zero(proof, 64));
	CHECK_INT(tok_issue(&key, info, info_len, IDENTITY, evaluated, proof), KOE_EINVAL);

	/* One bad element fails the whole batch, in every mode. */
	CHECK_INT(tok_client_blind(&tk), KOE_OK);
	memcpy(batch, tk.blinded, 32);
	memset(batch + 32, 0, 32);
	CHECK_INT(tok_blind_evaluate(TOK_MODE_OPRF, key.sk, NULL, NULL, 0, 2, batch,
	                             out, NULL, NULL), KOE_EINVAL);
	CHECK_INT(tok_blind_evaluate(TOK_MODE_VOPRF, key.sk, key.pk, NULL, 0, 2, batch,
	                             out, proof, NULL), KOE_EINVAL);
	CHECK_INT(tok_blind_evaluate(TOK_MODE_POPRF, key.sk, NULL, info, info_len, 2,
	                             batch, out, proof, NULL), KOE_EINVAL);
	CHECK(all_zero(out, sizeof(out)));
	tok_client_token_wipe(&tk);
	tok_segment_key_wipe(&seg);
	tok_survey_key_wipe(&key);
}

static void
test_client_refuses_identity_from_server(void)
{
	struct tok_survey_key key;
	struct tok_client_token tk;
	uint8_t info[TOK_INFO_MAX], evaluated[32], proof[64], output[64];
	size_t info_len = test_info(TEST_SURVEY, "eng", info);

	test_survey_key(&key, TEST_SURVEY);
	test_issue_token(&key, info, info_len, &tk, evaluated, proof, output);
	memset(output, 0xAA, sizeof(output));
	CHECK_INT(tok_client_finalize(&tk, key.pk, info, info_len, IDENTITY, proof,
	                              output), KOE_EINVAL);
	CHECK(all_zero(output, sizeof(output)));
	/* An identity public key is refused before anything is computed. */
	CHECK_INT(tok_client_finalize(&tk, IDENTITY, info, info_len, evaluated, proof,
	                              output), KOE_EINVAL);
	CHECK_INT(tok_poprf_tweak_key(IDENTITY, info, info_len, evaluated), KOE_EINVAL);
	tok_client_token_wipe(&tk);
	tok_survey_key_wipe(&key);
}

/* m = HashToScalar("Info" || lp(info)) in POPRF mode, computed here from the
 * RFC's definition with the public expand_message_xmd. */
static void
info_scalar(const uint8_t *info, size_t info_len, uint8_t m[32])
{
	static const uint8_t dst[] = "HashToScalar-OPRFV1-\x02-ristretto255-SHA512";
	uint8_t msg[4 + 2 + TOK_INFO_MAX], wide[64];

	memcpy(msg, "Info", 4);
	msg[4] = (uint8_t)(info_len >> 8);
	msg[5] = (uint8_t)info_len;
	memcpy(msg + 6, info, info_len);
	CHECK_INT(tok_expand_message_xmd(wide, 64, msg, 6 + info_len, dst,
	                                 sizeof(dst) - 1), KOE_OK);
	crypto_core_ristretto255_scalar_reduce(m, wide);
}

static void
test_tweak_to_identity_is_an_error(void)
{
	uint8_t info[TOK_INFO_MAX], m[32], neg_m_G[32], tweaked[32];
	size_t info_len = test_info(TEST_SURVEY, "eng", info);
	struct tok_survey_key bad;
	struct tok_segment_key seg;
	struct tok_client_token tk;
	uint8_t evaluated[32], proof[64], output[64];

	/* A public key of -m·G makes the client's tweaked key the identity
	 * (InvalidInputError in RFC 9497 §3.3.3). */
	info_scalar(info, info_len, m);
	crypto_core_ristretto255_scalar_negate(m, m);
	CHECK_INT(crypto_scalarmult_ristretto255_base(neg_m_G, m), 0);
	CHECK_INT(tok_element_check(neg_m_G), KOE_OK);
	CHECK_INT(tok_poprf_tweak_key(neg_m_G, info, info_len, tweaked), KOE_ECRYPTO);

	/* The secret key -m makes the server's tweaked key t zero
	 * (InverseError): no segment key, no evaluation. */
	memset(&bad, 0, sizeof(bad));
	memcpy(bad.sk, m, 32);
	memcpy(bad.pk, neg_m_G, 32);
	CHECK_INT(tok_segment_key_init(&seg, &bad, info, info_len), KOE_ECRYPTO);
	CHECK(all_zero(seg.t_inv, 32));
	CHECK_INT(tok_client_blind(&tk), KOE_OK);
	CHECK_INT(tok_issue(&bad, info, info_len, tk.blinded, evaluated, proof), KOE_ECRYPTO);
	CHECK_INT(tok_blind_evaluate(TOK_MODE_POPRF, bad.sk, NULL, info, info_len, 1,
	                             tk.blinded, evaluated, proof, NULL), KOE_ECRYPTO);
	CHECK_INT(tok_evaluate(TOK_MODE_POPRF, bad.sk, tk.input, 32, info, info_len,
	                       output), KOE_ECRYPTO);
	CHECK(all_zero(output, sizeof(output)));
	tok_client_token_wipe(&tk);
	tok_survey_key_wipe(&bad);
}

int
main(void)
{
	RUN(test_element_check);
	RUN(test_server_refuses_identity_blinded_element);
	RUN(test_client_refuses_identity_from_server);
	RUN(test_tweak_to_identity_is_an_error);
	return harness_done();
}
