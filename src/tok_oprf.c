/* koe — the three protocols of RFC 9497 §3 (OPRF, VOPRF, POPRF) for the
 * ristretto255-SHA512 suite: DeriveKeyPair, Blind, BlindEvaluate, Finalize
 * and Evaluate, batched where the RFC batches. */
#include <string.h>

#include <sodium.h>

#include "koe/tok.h"
#include "tok_internal.h"

static int
mode_ok(enum tok_mode mode)
{
	return mode == TOK_MODE_OPRF || mode == TOK_MODE_VOPRF ||
	       mode == TOK_MODE_POPRF;
}

/* A (pointer, length) pair is usable when the length fits the RFC's 2-byte
 * framing and a nonzero length comes with a pointer. */
static int
bytes_ok(const uint8_t *p, size_t n)
{
	return n <= TOK_INPUT_MAX && (p != NULL || n == 0);
}

enum koe_err
tok_derive_key_pair(enum tok_mode mode, const uint8_t seed[TOK_SEED_BYTES],
                    const uint8_t *info, size_t info_len,
                    uint8_t sk[TOK_SCALAR_BYTES], uint8_t pk[TOK_ELEMENT_BYTES])
{
	uint8_t dst[TOK_DST_MAX], len[2], counter = 0;
	struct tok_part parts[4] = {
		{ seed, TOK_SEED_BYTES }, { len, 2 }, { info, info_len }, { &counter, 1 },
	};
	size_t dst_len;
	enum koe_err ret = KOE_ECRYPTO;

	if (!mode_ok(mode) || !bytes_ok(info, info_len))
		return KOE_EINVAL;
	dst_len = tok_dst(mode, "DeriveKeyPair", dst);
	tok_be16(len, info_len);
	for (unsigned i = 0; i < 256; i++) {
		counter = (uint8_t)i;
		tok_hash_to_scalar_dst(sk, parts, 4, dst, dst_len);
		if (!sodium_is_zero(sk, TOK_SCALAR_BYTES)) {
			ret = KOE_OK;
			break;
		}
	}
	if (ret != KOE_OK)
		goto out;
	if (crypto_scalarmult_ristretto255_base(pk, sk) != 0)
		ret = KOE_ECRYPTO;
out:
	if (ret != KOE_OK) {
		sodium_memzero(sk, TOK_SCALAR_BYTES);
		sodium_memzero(pk, TOK_ELEMENT_BYTES);
	}
	return ret;
}

void
tok_blinded_wipe(struct tok_blinded *b)
{
	if (b == NULL)
		return;
	sodium_memzero(b, sizeof(*b));
}

enum koe_err
tok_blind(enum tok_mode mode, const uint8_t *input, size_t input_len,
          const uint8_t *fixed_blind, struct tok_blinded *out)
{
	uint8_t P[TOK_ELEMENT_BYTES];
	enum koe_err ret = KOE_OK;

	sodium_memzero(out, sizeof(*out));
	if (!mode_ok(mode) || !bytes_ok(input, input_len)) {
		ret = KOE_EINVAL;
		goto out;
	}
	if ((ret = tok_init()) != KOE_OK)
		goto out;
	if (fixed_blind != NULL) {
		if (tok_scalar_check(fixed_blind) != KOE_OK ||
		    sodium_is_zero(fixed_blind, TOK_SCALAR_BYTES)) {
			ret = KOE_EINVAL;
			goto out;
		}
		memcpy(out->blind, fixed_blind, TOK_SCALAR_BYTES);
	} else {
		crypto_core_ristretto255_scalar_random(out->blind);
	}
	if ((ret = tok_hash_to_group(mode, input, input_len, P)) != KOE_OK)
		goto out;
	if (crypto_scalarmult_ristretto255(out->element, out->blind, P) != 0) {
		ret = KOE_ECRYPTO;
		goto out;
	}
	out->input = input;
	out->input_len = input_len;
out:
	if (ret != KOE_OK)
		tok_blinded_wipe(out);
	sodium_memzero(P, sizeof(P));
	return ret;
}

enum koe_err
tok_poprf_tweak_key(const uint8_t pk[TOK_ELEMENT_BYTES], const uint8_t *info,
                    size_t info_len, uint8_t tweaked[TOK_ELEMENT_BYTES])
{
	uint8_t m[TOK_SCALAR_BYTES], T[TOK_ELEMENT_BYTES];
	enum koe_err ret = KOE_OK;

	if (!bytes_ok(info, info_len) || tok_element_check(pk) != KOE_OK) {
		ret = KOE_EINVAL;
		goto out;
	}
	tok_info_scalar(info, info_len, m);
	/* m·G is the identity only for m = 0, and libsodium refuses to return
	 * the identity, so that case is the key itself. */
	if (sodium_is_zero(m, sizeof(m))) {
		memcpy(tweaked, pk, TOK_ELEMENT_BYTES);
	} else if (crypto_scalarmult_ristretto255_base(T, m) != 0 ||
	           crypto_core_ristretto255_add(tweaked, T, pk) != 0) {
		ret = KOE_ECRYPTO;
		goto out;
	}
	if (sodium_is_zero(tweaked, TOK_ELEMENT_BYTES))
		ret = KOE_ECRYPTO;
out:
	return ret;
}

enum koe_err
tok_blind_evaluate(enum tok_mode mode, const uint8_t sk[TOK_SCALAR_BYTES],
                   const uint8_t *pk, const uint8_t *info, size_t info_len,
                   size_t n, const uint8_t *blinded, uint8_t *evaluated,
                   uint8_t *proof, const uint8_t *proof_r)
{
	uint8_t t[TOK_SCALAR_BYTES], t_inv[TOK_SCALAR_BYTES];
	uint8_t T[TOK_ELEMENT_BYTES], seed[64];
	enum koe_err ret = KOE_OK;

	sodium_memzero(t, sizeof(t));
	sodium_memzero(t_inv, sizeof(t_inv));
	if (!mode_ok(mode) || n == 0 || n > TOK_BATCH_MAX ||
	    (mode == TOK_MODE_OPRF) != (proof == NULL) ||
	    (mode == TOK_MODE_VOPRF && pk == NULL) || !bytes_ok(info, info_len) ||
	    tok_scalar_check(sk) != KOE_OK) {
		ret = KOE_EINVAL;
		goto out;
	}
	if (mode == TOK_MODE_VOPRF && tok_element_check(pk) != KOE_OK) {
		ret = KOE_EINVAL;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (tok_element_check(blinded + i * TOK_ELEMENT_BYTES) != KOE_OK) {
			ret = KOE_EINVAL;
			goto out;
		}
	}
	if ((ret = tok_init()) != KOE_OK)
		goto out;

	if (mode != TOK_MODE_POPRF) {
		for (size_t i = 0; i < n; i++) {
			if (crypto_scalarmult_ristretto255(evaluated + i * TOK_ELEMENT_BYTES,
			                                   sk, blinded + i * TOK_ELEMENT_BYTES) != 0) {
				ret = KOE_ECRYPTO;
				goto out;
			}
		}
		if (mode == TOK_MODE_VOPRF) {
			tok_composite_seed(mode, pk, seed);
			ret = tok_proof_generate(mode, sk, pk, seed, blinded, evaluated,
			                         n, proof_r, proof);
		}
		goto out;
	}

	/* POPRF evaluates with the inverse of the tweaked key and proves the
	 * relation the other way round: t maps each evaluated element back to
	 * its blinded element, and G to T. */
	if ((ret = tok_tweak(sk, info, info_len, t, t_inv, T)) != KOE_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (crypto_scalarmult_ristretto255(evaluated + i * TOK_ELEMENT_BYTES,
		                                   t_inv, blinded + i * TOK_ELEMENT_BYTES) != 0) {
			ret = KOE_ECRYPTO;
			goto out;
		}
	}
	tok_composite_seed(mode, T, seed);
	ret = tok_proof_generate(mode, t, T, seed, evaluated, blinded, n, proof_r, proof);
out:
	if (ret != KOE_OK && mode_ok(mode) && n > 0 && n <= TOK_BATCH_MAX) {
		sodium_memzero(evaluated, n * TOK_ELEMENT_BYTES);
		if (proof != NULL)
			sodium_memzero(proof, TOK_PROOF_BYTES);
	}
	sodium_memzero(t, sizeof(t));
	sodium_memzero(t_inv, sizeof(t_inv));
	return ret;
}

enum koe_err
tok_finalize(enum tok_mode mode, const uint8_t *key, const uint8_t *info,
             size_t info_len, const struct tok_blinded *b, size_t n,
             const uint8_t *evaluated, const uint8_t *proof, uint8_t *outputs)
{
	uint8_t blinded[TOK_BATCH_MAX * TOK_ELEMENT_BYTES];
	uint8_t inv[TOK_SCALAR_BYTES], N[TOK_ELEMENT_BYTES];
	int verifiable = mode == TOK_MODE_VOPRF || mode == TOK_MODE_POPRF;
	enum koe_err ret = KOE_OK;

	sodium_memzero(inv, sizeof(inv));
	sodium_memzero(N, sizeof(N));
	if (!mode_ok(mode) || n == 0 || n > TOK_BATCH_MAX ||
	    (verifiable != (key != NULL)) || (verifiable != (proof != NULL)) ||
	    !bytes_ok(info, info_len)) {
		ret = KOE_EINVAL;
		goto out;
	}
	if (verifiable && tok_element_check(key) != KOE_OK) {
		ret = KOE_EINVAL;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		if (!bytes_ok(b[i].input, b[i].input_len) ||
		    tok_element_check(b[i].element) != KOE_OK ||
		    tok_element_check(evaluated + i * TOK_ELEMENT_BYTES) != KOE_OK) {
			ret = KOE_EINVAL;
			goto out;
		}
		memcpy(blinded + i * TOK_ELEMENT_BYTES, b[i].element, TOK_ELEMENT_BYTES);
	}
	if ((ret = tok_init()) != KOE_OK)
		goto out;

	/* Nothing is unblinded before the proof holds, so a cheating server
	 * learns nothing from how the client reacts. */
	if (mode == TOK_MODE_VOPRF)
		ret = tok_proof_verify(mode, key, blinded, evaluated, n, proof);
	else if (mode == TOK_MODE_POPRF)
		ret = tok_proof_verify(mode, key, evaluated, blinded, n, proof);
	if (ret != KOE_OK)
		goto out;

	for (size_t i = 0; i < n; i++) {
		if (crypto_core_ristretto255_scalar_invert(inv, b[i].blind) != 0) {
			ret = KOE_EINVAL;
			goto out;
		}
		if (crypto_scalarmult_ristretto255(N, inv, evaluated + i * TOK_ELEMENT_BYTES) != 0) {
			ret = KOE_ECRYPTO;
			goto out;
		}
		tok_finalize_hash(b[i].input, b[i].input_len, mode == TOK_MODE_POPRF,
		                  info, info_len, N, outputs + i * TOK_OUTPUT_BYTES);
	}
out:
	if (ret != KOE_OK && n > 0 && n <= TOK_BATCH_MAX)
		sodium_memzero(outputs, n * TOK_OUTPUT_BYTES);
	sodium_memzero(inv, sizeof(inv));
	sodium_memzero(N, sizeof(N));
	return ret;
}

enum koe_err
tok_evaluate(enum tok_mode mode, const uint8_t sk[TOK_SCALAR_BYTES],
             const uint8_t *input, size_t input_len, const uint8_t *info,
             size_t info_len, uint8_t output[TOK_OUTPUT_BYTES])
{
	uint8_t P[TOK_ELEMENT_BYTES], N[TOK_ELEMENT_BYTES];
	uint8_t t[TOK_SCALAR_BYTES], t_inv[TOK_SCALAR_BYTES];
	const uint8_t *k = sk;
	enum koe_err ret = KOE_OK;

	sodium_memzero(P, sizeof(P));
	sodium_memzero(t, sizeof(t));
	sodium_memzero(t_inv, sizeof(t_inv));
	if (!mode_ok(mode) || !bytes_ok(input, input_len) ||
	    !bytes_ok(info, info_len) || tok_scalar_check(sk) != KOE_OK) {
		ret = KOE_EINVAL;
		goto out;
	}
	if ((ret = tok_hash_to_group(mode, input, input_len, P)) != KOE_OK)
		goto out;
	if (mode == TOK_MODE_POPRF) {
		if ((ret = tok_tweak(sk, info, info_len, t, t_inv, NULL)) != KOE_OK)
			goto out;
		k = t_inv;
	}
	if (crypto_scalarmult_ristretto255(N, k, P) != 0) {
		ret = KOE_ECRYPTO;
		goto out;
	}
	tok_finalize_hash(input, input_len, mode == TOK_MODE_POPRF, info, info_len,
	                  N, output);
out:
	if (ret != KOE_OK)
		sodium_memzero(output, TOK_OUTPUT_BYTES);
	sodium_memzero(P, sizeof(P));
	sodium_memzero(N, sizeof(N));
	sodium_memzero(t, sizeof(t));
	sodium_memzero(t_inv, sizeof(t_inv));
	return ret;
}
