/* koe — the token protocol of docs/ARCHITECTURE.md §3 on top of RFC 9497's POPRF:
 * per-survey keys, the info framing, issuance, redemption, receipts, and the
 * client side. */
#include <string.h>

#include <sodium.h>

#include "koe/tok.h"
#include "tok_internal.h"

#define KEY_INFO_PREFIX "koe-survey-v1:"
#define KEY_INFO_PREFIX_LEN (sizeof(KEY_INFO_PREFIX) - 1)
#define INFO_TAG "koe/1"
#define INFO_TAG_LEN (sizeof(INFO_TAG) - 1)

void
tok_key_id(const uint8_t pk[TOK_ELEMENT_BYTES], char out[TOK_HEX_LEN + 1])
{
	uint8_t h[crypto_hash_sha256_BYTES];

	crypto_hash_sha256(h, pk, TOK_ELEMENT_BYTES);
	sodium_bin2hex(out, TOK_HEX_LEN + 1, h, sizeof(h));
}

void
tok_receipt_raw(const uint8_t input[TOK_INPUT_BYTES], uint8_t out[32])
{
	crypto_generichash(out, 32, input, TOK_INPUT_BYTES, NULL, 0);
}

void
tok_receipt(const uint8_t input[TOK_INPUT_BYTES], char out[TOK_HEX_LEN + 1])
{
	uint8_t h[32];

	tok_receipt_raw(input, h);
	sodium_bin2hex(out, TOK_HEX_LEN + 1, h, sizeof(h));
	sodium_memzero(h, sizeof(h));
}

void
tok_survey_key_wipe(struct tok_survey_key *key)
{
	if (key == NULL)
		return;
	sodium_memzero(key, sizeof(*key));
}

enum koe_err
tok_survey_key_derive(const uint8_t seed[TOK_SEED_BYTES], const char *survey_id,
                      struct tok_survey_key *out)
{
	uint8_t key_info[KEY_INFO_PREFIX_LEN + TOK_SURVEY_ID_MAX];
	size_t n = survey_id != NULL ? strnlen(survey_id, TOK_SURVEY_ID_MAX + 1) : 0;
	enum koe_err ret;

	if (n == 0 || n > TOK_SURVEY_ID_MAX) {
		ret = KOE_EINVAL;
		goto out;
	}
	memcpy(key_info, KEY_INFO_PREFIX, KEY_INFO_PREFIX_LEN);
	memcpy(key_info + KEY_INFO_PREFIX_LEN, survey_id, n);
	ret = tok_derive_key_pair(TOK_MODE_POPRF, seed, key_info,
	                          KEY_INFO_PREFIX_LEN + n, out->sk, out->pk);
	if (ret == KOE_OK)
		tok_key_id(out->pk, out->key_id);
out:
	if (ret != KOE_OK)
		tok_survey_key_wipe(out);
	return ret;
}

enum koe_err
tok_info_build(const char *survey_id, const char *segment_code, uint8_t *out,
               size_t cap, size_t *out_len)
{
	size_t a, b, total;
	uint8_t *p = out;

	if (survey_id == NULL || segment_code == NULL)
		return KOE_EINVAL;
	a = strnlen(survey_id, TOK_SURVEY_ID_MAX + 1);
	b = strnlen(segment_code, TOK_SEGMENT_MAX + 1);
	total = 2 + INFO_TAG_LEN + 2 + a + 2 + b;
	if (a == 0 || a > TOK_SURVEY_ID_MAX || b > TOK_SEGMENT_MAX)
		return KOE_EINVAL;
	if (total > cap)
		return KOE_ETOOBIG;
	tok_be16(p, INFO_TAG_LEN);
	memcpy(p + 2, INFO_TAG, INFO_TAG_LEN);
	p += 2 + INFO_TAG_LEN;
	tok_be16(p, a);
	memcpy(p + 2, survey_id, a);
	p += 2 + a;
	tok_be16(p, b);
	memcpy(p + 2, segment_code, b);
	*out_len = total;
	return KOE_OK;
}

void
tok_segment_key_wipe(struct tok_segment_key *sk)
{
	if (sk == NULL)
		return;
	sodium_memzero(sk, sizeof(*sk));
}

enum koe_err
tok_segment_key_init(struct tok_segment_key *out, const struct tok_survey_key *key,
                     const uint8_t *info, size_t info_len)
{
	enum koe_err ret;

	sodium_memzero(out, sizeof(*out));
	if (info_len > TOK_INFO_MAX || (info == NULL && info_len > 0) ||
	    tok_scalar_check(key->sk) != KOE_OK) {
		ret = KOE_EINVAL;
		goto out;
	}
	if ((ret = tok_init()) != KOE_OK)
		goto out;
	ret = tok_tweak(key->sk, info, info_len, out->t, out->t_inv, out->tweaked);
	if (ret != KOE_OK)
		goto out;
	tok_composite_seed(TOK_MODE_POPRF, out->tweaked, out->composite_seed);
	if (info_len > 0)
		memcpy(out->info, info, info_len);
	out->info_len = info_len;
out:
	if (ret != KOE_OK)
		tok_segment_key_wipe(out);
	return ret;
}

enum koe_err
tok_segment_issue(const struct tok_segment_key *sk,
                  const uint8_t blinded[TOK_ELEMENT_BYTES],
                  uint8_t evaluated[TOK_ELEMENT_BYTES], uint8_t proof[TOK_PROOF_BYTES])
{
	enum koe_err ret;

	if (tok_element_check(blinded) != KOE_OK) {
		ret = KOE_EINVAL;
		goto out;
	}
	if ((ret = tok_init()) != KOE_OK)
		goto out;
	/* The blinded element is valid and t_inv nonzero, so the product is
	 * never the identity; the check stays because libsodium reports it. */
	if (crypto_scalarmult_ristretto255(evaluated, sk->t_inv, blinded) != 0) {
		ret = KOE_ECRYPTO;
		goto out;
	}
	ret = tok_proof_generate(TOK_MODE_POPRF, sk->t, sk->tweaked,
	                         sk->composite_seed, evaluated, blinded, 1, NULL, proof);
out:
	if (ret != KOE_OK) {
		sodium_memzero(evaluated, TOK_ELEMENT_BYTES);
		sodium_memzero(proof, TOK_PROOF_BYTES);
	}
	return ret;
}

enum koe_err
tok_segment_redeem_verify(const struct tok_segment_key *sk,
                          const uint8_t input[TOK_INPUT_BYTES],
                          const uint8_t output[TOK_OUTPUT_BYTES])
{
	uint8_t P[TOK_ELEMENT_BYTES], N[TOK_ELEMENT_BYTES];
	uint8_t expected[TOK_OUTPUT_BYTES];
	enum koe_err ret = KOE_EVERIFY;

	sodium_memzero(N, sizeof(N));
	sodium_memzero(expected, sizeof(expected));
	/* An input that hashes to the identity (never seen in practice) has no
	 * valid token, so it simply does not verify. */
	if (tok_hash_to_group(TOK_MODE_POPRF, input, TOK_INPUT_BYTES, P) != KOE_OK)
		goto out;
	if (crypto_scalarmult_ristretto255(N, sk->t_inv, P) != 0)
		goto out;
	tok_finalize_hash(input, TOK_INPUT_BYTES, 1, sk->info, sk->info_len, N, expected);
	if (sodium_memcmp(expected, output, TOK_OUTPUT_BYTES) == 0)
		ret = KOE_OK;
out:
	sodium_memzero(P, sizeof(P));
	sodium_memzero(N, sizeof(N));
	sodium_memzero(expected, sizeof(expected));
	return ret;
}

enum koe_err
tok_issue(const struct tok_survey_key *key, const uint8_t *info, size_t info_len,
          const uint8_t blinded[TOK_ELEMENT_BYTES],
          uint8_t evaluated[TOK_ELEMENT_BYTES], uint8_t proof[TOK_PROOF_BYTES])
{
	struct tok_segment_key sk;
	enum koe_err ret;

	ret = tok_segment_key_init(&sk, key, info, info_len);
	if (ret != KOE_OK)
		goto out;
	ret = tok_segment_issue(&sk, blinded, evaluated, proof);
out:
	if (ret != KOE_OK) {
		sodium_memzero(evaluated, TOK_ELEMENT_BYTES);
		sodium_memzero(proof, TOK_PROOF_BYTES);
	}
	tok_segment_key_wipe(&sk);
	return ret;
}

enum koe_err
tok_redeem_verify(const struct tok_survey_key *key, const uint8_t *info,
                  size_t info_len, const uint8_t input[TOK_INPUT_BYTES],
                  const uint8_t output[TOK_OUTPUT_BYTES])
{
	uint8_t expected[TOK_OUTPUT_BYTES];
	enum koe_err ret;

	/* RFC 9497's Evaluate skips T and the composite seed that a segment
	 * key would compute for issuance. */
	if (info_len > TOK_INFO_MAX) {
		ret = KOE_EINVAL;
		goto out;
	}
	ret = tok_evaluate(TOK_MODE_POPRF, key->sk, input, TOK_INPUT_BYTES, info,
	                   info_len, expected);
	if (ret == KOE_ECRYPTO)
		ret = KOE_EVERIFY;
	if (ret != KOE_OK)
		goto out;
	if (sodium_memcmp(expected, output, TOK_OUTPUT_BYTES) != 0)
		ret = KOE_EVERIFY;
out:
	sodium_memzero(expected, sizeof(expected));
	return ret;
}

void
tok_client_token_wipe(struct tok_client_token *tk)
{
	if (tk == NULL)
		return;
	sodium_memzero(tk, sizeof(*tk));
}

enum koe_err
tok_client_blind(struct tok_client_token *tk)
{
	struct tok_blinded b;
	enum koe_err ret;

	sodium_memzero(&b, sizeof(b));
	if ((ret = tok_init()) != KOE_OK)
		goto out;
	randombytes_buf(tk->input, TOK_INPUT_BYTES);
	ret = tok_blind(TOK_MODE_POPRF, tk->input, TOK_INPUT_BYTES, NULL, &b);
	if (ret != KOE_OK)
		goto out;
	memcpy(tk->blind, b.blind, TOK_SCALAR_BYTES);
	memcpy(tk->blinded, b.element, TOK_ELEMENT_BYTES);
out:
	if (ret != KOE_OK)
		tok_client_token_wipe(tk);
	tok_blinded_wipe(&b);
	return ret;
}

enum koe_err
tok_client_finalize(const struct tok_client_token *tk,
                    const uint8_t pk[TOK_ELEMENT_BYTES], const uint8_t *info,
                    size_t info_len, const uint8_t evaluated[TOK_ELEMENT_BYTES],
                    const uint8_t proof[TOK_PROOF_BYTES],
                    uint8_t output[TOK_OUTPUT_BYTES])
{
	struct tok_blinded b;
	uint8_t tweaked[TOK_ELEMENT_BYTES];
	enum koe_err ret;

	sodium_memzero(&b, sizeof(b));
	ret = tok_poprf_tweak_key(pk, info, info_len, tweaked);
	if (ret != KOE_OK)
		goto out;
	b.input = tk->input;
	b.input_len = TOK_INPUT_BYTES;
	memcpy(b.blind, tk->blind, TOK_SCALAR_BYTES);
	memcpy(b.element, tk->blinded, TOK_ELEMENT_BYTES);
	ret = tok_finalize(TOK_MODE_POPRF, tweaked, info, info_len, &b, 1,
	                   evaluated, proof, output);
out:
	if (ret != KOE_OK)
		sodium_memzero(output, TOK_OUTPUT_BYTES);
	tok_blinded_wipe(&b);
	return ret;
}
