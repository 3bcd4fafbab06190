/* The group math of the report's key holders and of sealing (seal.h):
 * kept here because tok_* is the only code that calls libsodium's group
 * operations (docs/ARCHITECTURE.md §1.2). See include/koe/tok.h. */
#include <string.h>

#include <sodium.h>

#include "koe/tok.h"
#include "tok_internal.h"

static const char proof_domain[] = "koe/holder-proof/v1";

enum koe_err
tok_share_from_wide(const uint8_t wide[64], uint8_t x[TOK_SCALAR_BYTES])
{
	static const uint8_t zero[TOK_SCALAR_BYTES];
	crypto_core_ristretto255_scalar_reduce(x, wide);
	/* A zero scalar has probability 2^-252; refuse it rather than publish
	 * the identity. */
	return sodium_memcmp(x, zero, TOK_SCALAR_BYTES) == 0 ? KOE_ECRYPTO : KOE_OK;
}

/* c = H(domain || lp(survey) || lp(name) || X || T), reduced. */
static void
proof_challenge(const char *survey, const char *name, const uint8_t pub[TOK_ELEMENT_BYTES],
                const uint8_t t[TOK_ELEMENT_BYTES], uint8_t c[TOK_SCALAR_BYTES])
{
	crypto_hash_sha512_state st;
	uint8_t h[crypto_hash_sha512_BYTES], lp[2];
	size_t a = strlen(survey), b = strlen(name);

	crypto_hash_sha512_init(&st);
	crypto_hash_sha512_update(&st, (const uint8_t *)proof_domain, sizeof(proof_domain) - 1);
	tok_be16(lp, a);
	crypto_hash_sha512_update(&st, lp, 2);
	crypto_hash_sha512_update(&st, (const uint8_t *)survey, a);
	tok_be16(lp, b);
	crypto_hash_sha512_update(&st, lp, 2);
	crypto_hash_sha512_update(&st, (const uint8_t *)name, b);
	crypto_hash_sha512_update(&st, pub, TOK_ELEMENT_BYTES);
	crypto_hash_sha512_update(&st, t, TOK_ELEMENT_BYTES);
	crypto_hash_sha512_final(&st, h);
	crypto_core_ristretto255_scalar_reduce(c, h);
	sodium_memzero(h, sizeof(h));
}

enum koe_err
tok_share_public(const uint8_t x[TOK_SCALAR_BYTES], const char *survey, const char *name,
                 uint8_t pub[TOK_ELEMENT_BYTES], uint8_t proof[2 * TOK_SCALAR_BYTES])
{
	uint8_t k[TOK_SCALAR_BYTES], c[TOK_SCALAR_BYTES], cx[TOK_SCALAR_BYTES];
	enum koe_err err = KOE_OK;

	if (crypto_scalarmult_ristretto255_base(pub, x) != 0)
		return KOE_ECRYPTO;
	/* Schnorr: T = k·G, s = k + c·x. */
	crypto_core_ristretto255_scalar_random(k);
	if (crypto_scalarmult_ristretto255_base(proof, k) != 0) {
		err = KOE_ECRYPTO;
		goto done;
	}
	proof_challenge(survey, name, pub, proof, c);
	crypto_core_ristretto255_scalar_mul(cx, c, x);
	crypto_core_ristretto255_scalar_add(proof + TOK_ELEMENT_BYTES, k, cx);
done:
	sodium_memzero(k, sizeof(k));
	sodium_memzero(cx, sizeof(cx));
	return err;
}

enum koe_err
tok_share_verify(const char *survey, const char *name, const uint8_t pub[TOK_ELEMENT_BYTES],
                 const uint8_t proof[2 * TOK_SCALAR_BYTES])
{
	uint8_t c[TOK_SCALAR_BYTES], sg[TOK_ELEMENT_BYTES], cxp[TOK_ELEMENT_BYTES];
	uint8_t rhs[TOK_ELEMENT_BYTES];
	const uint8_t *t = proof, *s = proof + TOK_ELEMENT_BYTES;

	/* The same checks as every element and scalar from outside (§3). */
	if (tok_element_check(pub) != KOE_OK || tok_element_check(t) != KOE_OK ||
	    tok_scalar_check(s) != KOE_OK)
		return KOE_EVERIFY;
	proof_challenge(survey, name, pub, t, c);
	/* s·G == T + c·X */
	if (crypto_scalarmult_ristretto255_base(sg, s) != 0 ||
	    crypto_scalarmult_ristretto255(cxp, c, pub) != 0 ||
	    crypto_core_ristretto255_add(rhs, t, cxp) != 0)
		return KOE_EVERIFY;
	return sodium_memcmp(sg, rhs, TOK_ELEMENT_BYTES) == 0 ? KOE_OK : KOE_EVERIFY;
}

enum koe_err
tok_shares_sum(const uint8_t (*pub)[TOK_ELEMENT_BYTES], size_t n, uint8_t sum[TOK_ELEMENT_BYTES])
{
	uint8_t acc[TOK_ELEMENT_BYTES];

	if (n == 0 || tok_element_check(pub[0]) != KOE_OK)
		return KOE_EINVAL;
	memcpy(acc, pub[0], TOK_ELEMENT_BYTES);
	for (size_t i = 1; i < n; i++) {
		if (tok_element_check(pub[i]) != KOE_OK)
			return KOE_EINVAL;
		/* add() fails only when the sum is the identity. */
		if (crypto_core_ristretto255_add(acc, acc, pub[i]) != 0)
			return KOE_ECRYPTO;
	}
	if (tok_element_check(acc) != KOE_OK)
		return KOE_ECRYPTO;
	memcpy(sum, acc, TOK_ELEMENT_BYTES);
	return KOE_OK;
}

void
tok_secret_add(uint8_t acc[TOK_SCALAR_BYTES], const uint8_t x[TOK_SCALAR_BYTES])
{
	crypto_core_ristretto255_scalar_add(acc, acc, x);
}

int
tok_secret_matches(const uint8_t x[TOK_SCALAR_BYTES], const uint8_t pub[TOK_ELEMENT_BYTES])
{
	uint8_t p[TOK_ELEMENT_BYTES];
	if (crypto_scalarmult_ristretto255_base(p, x) != 0)
		return 0;
	return sodium_memcmp(p, pub, TOK_ELEMENT_BYTES) == 0;
}

enum koe_err
tok_dh_ephemeral(const uint8_t pk[TOK_ELEMENT_BYTES], uint8_t epk[TOK_ELEMENT_BYTES],
                 uint8_t shared[TOK_ELEMENT_BYTES])
{
	uint8_t r[TOK_SCALAR_BYTES];
	enum koe_err err = KOE_OK;

	crypto_core_ristretto255_scalar_random(r);
	if (crypto_scalarmult_ristretto255_base(epk, r) != 0 ||
	    crypto_scalarmult_ristretto255(shared, r, pk) != 0)
		err = KOE_ECRYPTO;
	/* The ephemeral secret is never needed again. */
	sodium_memzero(r, sizeof(r));
	return err;
}

enum koe_err
tok_dh(const uint8_t x[TOK_SCALAR_BYTES], const uint8_t epk[TOK_ELEMENT_BYTES],
       uint8_t shared[TOK_ELEMENT_BYTES])
{
	if (tok_element_check(epk) != KOE_OK ||
	    crypto_scalarmult_ristretto255(shared, x, epk) != 0)
		return KOE_ECRYPTO;
	return KOE_OK;
}
