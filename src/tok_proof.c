/* koe — the batched discrete-log-equality proofs of RFC 9497 §2.2:
 * GenerateProof with ComputeCompositesFast, VerifyProof with
 * ComputeComposites. A proof shows that the same secret k maps every C[i] to
 * D[i] and the generator to B, without revealing k. */
#include <string.h>

#include <sodium.h>

#include "koe/tok.h"
#include "tok_internal.h"

/* I2OSP(32, 2) and I2OSP(64, 2): the length prefixes of elements and seeds. */
static const uint8_t len32[2] = { 0, 32 };
static const uint8_t len64[2] = { 0, 64 };

void
tok_composite_seed(enum tok_mode mode, const uint8_t B[TOK_ELEMENT_BYTES],
                   uint8_t seed[64])
{
	crypto_hash_sha512_state st;
	uint8_t dst[TOK_DST_MAX];
	uint8_t dst_len[2];
	size_t n = tok_dst(mode, "Seed-", dst);

	tok_be16(dst_len, n);
	crypto_hash_sha512_init(&st);
	crypto_hash_sha512_update(&st, len32, 2);
	crypto_hash_sha512_update(&st, B, TOK_ELEMENT_BYTES);
	crypto_hash_sha512_update(&st, dst_len, 2);
	crypto_hash_sha512_update(&st, dst, n);
	crypto_hash_sha512_final(&st, seed);
}

/* d_i = HashToScalar(lp(seed) || I2OSP(i, 2) || lp(C_i) || lp(D_i) ||
 * "Composite"). */
static void
composite_scalar(enum tok_mode mode, const uint8_t seed[64], size_t i,
                 const uint8_t *Ci, const uint8_t *Di, uint8_t d[TOK_SCALAR_BYTES])
{
	uint8_t idx[2];
	struct tok_part parts[8] = {
		{ len64, 2 }, { seed, 64 }, { idx, 2 },
		{ len32, 2 }, { Ci, TOK_ELEMENT_BYTES },
		{ len32, 2 }, { Di, TOK_ELEMENT_BYTES },
		{ (const uint8_t *)"Composite", 9 },
	};

	tok_be16(idx, i);
	tok_hash_to_scalar(mode, d, parts, 8);
}

/* M = Σ d_i·C_i, and Z = k·M when k is not NULL (the prover, who knows k),
 * else Z = Σ d_i·D_i (the verifier). KOE_ECRYPTO when a product is the
 * identity, which libsodium reports as -1. */
static enum koe_err
composites(enum tok_mode mode, const uint8_t seed[64], const uint8_t *C,
           const uint8_t *D, size_t n, const uint8_t *k,
           uint8_t M[TOK_ELEMENT_BYTES], uint8_t Z[TOK_ELEMENT_BYTES])
{
	uint8_t d[TOK_SCALAR_BYTES];
	uint8_t term[TOK_ELEMENT_BYTES];
	enum koe_err ret = KOE_OK;

	for (size_t i = 0; i < n; i++) {
		const uint8_t *Ci = C + i * TOK_ELEMENT_BYTES;
		const uint8_t *Di = D + i * TOK_ELEMENT_BYTES;

		composite_scalar(mode, seed, i, Ci, Di, d);
		if (crypto_scalarmult_ristretto255(i == 0 ? M : term, d, Ci) != 0) {
			ret = KOE_ECRYPTO;
			goto out;
		}
		if (i > 0 && crypto_core_ristretto255_add(M, M, term) != 0) {
			ret = KOE_ECRYPTO;
			goto out;
		}
		if (k != NULL)
			continue;
		if (crypto_scalarmult_ristretto255(i == 0 ? Z : term, d, Di) != 0) {
			ret = KOE_ECRYPTO;
			goto out;
		}
		if (i > 0 && crypto_core_ristretto255_add(Z, Z, term) != 0) {
			ret = KOE_ECRYPTO;
			goto out;
		}
	}
	if (k != NULL && crypto_scalarmult_ristretto255(Z, k, M) != 0) {
		ret = KOE_ECRYPTO;
		goto out;
	}
	/* A sum can cancel out to the identity; nothing sound follows. */
	if (sodium_is_zero(M, TOK_ELEMENT_BYTES) || sodium_is_zero(Z, TOK_ELEMENT_BYTES))
		ret = KOE_ECRYPTO;
out:
	return ret;
}

/* c = HashToScalar(lp(B) || lp(M) || lp(Z) || lp(t2) || lp(t3) ||
 * "Challenge"). */
static void
challenge(enum tok_mode mode, const uint8_t *B, const uint8_t *M,
          const uint8_t *Z, const uint8_t *t2, const uint8_t *t3,
          uint8_t c[TOK_SCALAR_BYTES])
{
	struct tok_part parts[11] = {
		{ len32, 2 }, { B, TOK_ELEMENT_BYTES },
		{ len32, 2 }, { M, TOK_ELEMENT_BYTES },
		{ len32, 2 }, { Z, TOK_ELEMENT_BYTES },
		{ len32, 2 }, { t2, TOK_ELEMENT_BYTES },
		{ len32, 2 }, { t3, TOK_ELEMENT_BYTES },
		{ (const uint8_t *)"Challenge", 9 },
	};

	tok_hash_to_scalar(mode, c, parts, 11);
}

enum koe_err
tok_proof_generate(enum tok_mode mode, const uint8_t k[TOK_SCALAR_BYTES],
                   const uint8_t B[TOK_ELEMENT_BYTES], const uint8_t seed[64],
                   const uint8_t *C, const uint8_t *D, size_t n,
                   const uint8_t *r_fixed, uint8_t proof[TOK_PROOF_BYTES])
{
	uint8_t r[TOK_SCALAR_BYTES], ck[TOK_SCALAR_BYTES], c[TOK_SCALAR_BYTES];
	uint8_t M[TOK_ELEMENT_BYTES], Z[TOK_ELEMENT_BYTES];
	uint8_t t2[TOK_ELEMENT_BYTES], t3[TOK_ELEMENT_BYTES];
	enum koe_err ret;

	if (r_fixed != NULL)
		memcpy(r, r_fixed, sizeof(r));
	else
		crypto_core_ristretto255_scalar_random(r);
	ret = composites(mode, seed, C, D, n, k, M, Z);
	if (ret != KOE_OK)
		goto out;
	/* Both products fail only for r = 0, which scalar_random never draws. */
	if (crypto_scalarmult_ristretto255_base(t2, r) != 0 ||
	    crypto_scalarmult_ristretto255(t3, r, M) != 0) {
		ret = KOE_ECRYPTO;
		goto out;
	}
	challenge(mode, B, M, Z, t2, t3, c);
	crypto_core_ristretto255_scalar_mul(ck, c, k);
	crypto_core_ristretto255_scalar_sub(proof + TOK_SCALAR_BYTES, r, ck);
	memcpy(proof, c, TOK_SCALAR_BYTES);
out:
	if (ret != KOE_OK)
		sodium_memzero(proof, TOK_PROOF_BYTES);
	sodium_memzero(r, sizeof(r));
	sodium_memzero(ck, sizeof(ck));
	return ret;
}

enum koe_err
tok_proof_verify(enum tok_mode mode, const uint8_t B[TOK_ELEMENT_BYTES],
                 const uint8_t *C, const uint8_t *D, size_t n,
                 const uint8_t proof[TOK_PROOF_BYTES])
{
	const uint8_t *c = proof;
	const uint8_t *s = proof + TOK_SCALAR_BYTES;
	uint8_t seed[64], expected[TOK_SCALAR_BYTES];
	uint8_t M[TOK_ELEMENT_BYTES], Z[TOK_ELEMENT_BYTES];
	uint8_t left[TOK_ELEMENT_BYTES], right[TOK_ELEMENT_BYTES];
	uint8_t t2[TOK_ELEMENT_BYTES], t3[TOK_ELEMENT_BYTES];
	enum koe_err ret = KOE_EVERIFY;

	/* A scalar ≥ the group order would let one proof have several
	 * encodings; DeserializeScalar rejects it. */
	if (tok_scalar_check(c) != KOE_OK || tok_scalar_check(s) != KOE_OK)
		goto out;
	tok_composite_seed(mode, B, seed);
	if (composites(mode, seed, C, D, n, NULL, M, Z) != KOE_OK)
		goto out;
	/* libsodium fails a product that is the identity, i.e. c = 0 or s = 0
	 * here. Rejecting those proofs is safe: only a forger could make such
	 * a proof verify, so no honest proof is lost. */
	if (crypto_scalarmult_ristretto255_base(left, s) != 0 ||
	    crypto_scalarmult_ristretto255(right, c, B) != 0 ||
	    crypto_core_ristretto255_add(t2, left, right) != 0)
		goto out;
	if (crypto_scalarmult_ristretto255(left, s, M) != 0 ||
	    crypto_scalarmult_ristretto255(right, c, Z) != 0 ||
	    crypto_core_ristretto255_add(t3, left, right) != 0)
		goto out;
	challenge(mode, B, M, Z, t2, t3, expected);
	if (sodium_memcmp(expected, c, TOK_SCALAR_BYTES) == 0)
		ret = KOE_OK;
out:
	return ret;
}
