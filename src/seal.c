/* Sealed answers and key holders; see include/koe/seal.h for the
 * construction. */
#include <string.h>

#include <sodium.h>

#include "koe/seal.h"
#include "koe/testhooks.h"

#define SEAL_DEFAULT_OPS 3ULL
#define SEAL_DEFAULT_MEM (128ULL * 1024 * 1024)
#define SEAL_MIN_MEM     (8ULL * 1024 * 1024)

static const char proof_domain[] = "koe/holder-proof/v1";
static const char key_domain[] = "koe/seal/v2";

void
seal_kdf_new(struct seal_kdf *k)
{
	KOE_ASSERT(sodium_init() >= 0);
	randombytes_buf(k->salt, sizeof(k->salt));
	k->ops = SEAL_DEFAULT_OPS;
	k->mem = testhook_kdf_mem(SEAL_DEFAULT_MEM);
}

enum koe_err
seal_holder_secret(const char *pass, size_t len, const struct seal_kdf *k,
                   uint8_t x[SEAL_SK_BYTES])
{
	uint8_t wide[crypto_core_ristretto255_NONREDUCEDSCALARBYTES];
	static const uint8_t zero[SEAL_SK_BYTES];

	if (sodium_init() < 0)
		return KOE_ENOMEM;
	if (len < SEAL_PASS_MIN || len > SEAL_PASS_MAX)
		return KOE_EINVAL;
	if (k->ops < crypto_pwhash_OPSLIMIT_MIN || k->mem < SEAL_MIN_MEM ||
	    k->mem > crypto_pwhash_MEMLIMIT_MAX)
		return KOE_EINVAL;
	if (crypto_pwhash(wide, sizeof(wide), pass, len, k->salt, k->ops, (size_t)k->mem,
	                  crypto_pwhash_ALG_ARGON2ID13) != 0) {
		sodium_memzero(wide, sizeof(wide));
		return KOE_ENOMEM;
	}
	crypto_core_ristretto255_scalar_reduce(x, wide);
	sodium_memzero(wide, sizeof(wide));
	/* A zero scalar has probability 2^-252; refuse it rather than publish
	 * the identity. */
	if (sodium_memcmp(x, zero, SEAL_SK_BYTES) == 0)
		return KOE_ECRYPTO;
	return KOE_OK;
}

/* c = H(domain || lp(survey) || lp(name) || X || T), reduced. */
static void
proof_challenge(const char *survey, const char *name, const uint8_t pub[SEAL_PK_BYTES],
                const uint8_t t[SEAL_PK_BYTES], uint8_t c[SEAL_SK_BYTES])
{
	crypto_hash_sha512_state st;
	uint8_t h[crypto_hash_sha512_BYTES], lp[2];
	size_t a = strlen(survey), b = strlen(name);

	crypto_hash_sha512_init(&st);
	crypto_hash_sha512_update(&st, (const uint8_t *)proof_domain, sizeof(proof_domain) - 1);
	lp[0] = (uint8_t)(a >> 8);
	lp[1] = (uint8_t)a;
	crypto_hash_sha512_update(&st, lp, 2);
	crypto_hash_sha512_update(&st, (const uint8_t *)survey, a);
	lp[0] = (uint8_t)(b >> 8);
	lp[1] = (uint8_t)b;
	crypto_hash_sha512_update(&st, lp, 2);
	crypto_hash_sha512_update(&st, (const uint8_t *)name, b);
	crypto_hash_sha512_update(&st, pub, SEAL_PK_BYTES);
	crypto_hash_sha512_update(&st, t, SEAL_PK_BYTES);
	crypto_hash_sha512_final(&st, h);
	crypto_core_ristretto255_scalar_reduce(c, h);
}

enum koe_err
seal_holder_new(const char *survey, const char *name, const char *pass, size_t len,
                struct seal_holder *out)
{
	uint8_t x[SEAL_SK_BYTES], k[SEAL_SK_BYTES], c[SEAL_SK_BYTES], cx[SEAL_SK_BYTES];
	enum koe_err err;
	size_t nlen = strlen(name);

	if (nlen == 0 || nlen > SEAL_NAME_MAX)
		return KOE_EINVAL;
	memset(out, 0, sizeof(*out));
	memcpy(out->name, name, nlen);
	seal_kdf_new(&out->kdf);
	if ((err = seal_holder_secret(pass, len, &out->kdf, x)) != KOE_OK)
		goto done;
	if (crypto_scalarmult_ristretto255_base(out->pub, x) != 0) {
		err = KOE_ECRYPTO;
		goto done;
	}
	/* Schnorr: T = k·G, s = k + c·x. */
	crypto_core_ristretto255_scalar_random(k);
	if (crypto_scalarmult_ristretto255_base(out->proof, k) != 0) {
		err = KOE_ECRYPTO;
		goto done;
	}
	proof_challenge(survey, out->name, out->pub, out->proof, c);
	crypto_core_ristretto255_scalar_mul(cx, c, x);
	crypto_core_ristretto255_scalar_add(out->proof + SEAL_PK_BYTES, k, cx);
done:
	sodium_memzero(x, sizeof(x));
	sodium_memzero(k, sizeof(k));
	sodium_memzero(cx, sizeof(cx));
	return err;
}

/* A scalar is canonical when reducing it (padded to 64 bytes) leaves it
 * unchanged; libsodium has no direct check. */
static int
scalar_canonical(const uint8_t s[SEAL_SK_BYTES])
{
	uint8_t wide[64] = {0}, red[SEAL_SK_BYTES];
	memcpy(wide, s, SEAL_SK_BYTES);
	crypto_core_ristretto255_scalar_reduce(red, wide);
	return memcmp(red, s, SEAL_SK_BYTES) == 0;
}

enum koe_err
seal_holder_verify(const char *survey, const struct seal_holder *h)
{
	uint8_t c[SEAL_SK_BYTES], sg[SEAL_PK_BYTES], cxp[SEAL_PK_BYTES], rhs[SEAL_PK_BYTES];
	const uint8_t *t = h->proof, *s = h->proof + SEAL_PK_BYTES;

	if (sodium_init() < 0)
		return KOE_ENOMEM;
	if (h->name[0] == 0 || memchr(h->name, 0, sizeof(h->name)) == NULL)
		return KOE_EVERIFY;
	if (!crypto_core_ristretto255_is_valid_point(h->pub) ||
	    !crypto_core_ristretto255_is_valid_point(t) || !scalar_canonical(s))
		return KOE_EVERIFY;
	proof_challenge(survey, h->name, h->pub, t, c);
	/* s·G == T + c·X */
	if (crypto_scalarmult_ristretto255_base(sg, s) != 0 ||
	    crypto_scalarmult_ristretto255(cxp, c, h->pub) != 0 ||
	    crypto_core_ristretto255_add(rhs, t, cxp) != 0)
		return KOE_EVERIFY;
	return sodium_memcmp(sg, rhs, SEAL_PK_BYTES) == 0 ? KOE_OK : KOE_EVERIFY;
}

enum koe_err
seal_holders_key(const struct seal_holder *h, size_t n, uint8_t pk[SEAL_PK_BYTES])
{
	uint8_t acc[SEAL_PK_BYTES];

	if (n == 0 || !crypto_core_ristretto255_is_valid_point(h[0].pub))
		return KOE_EINVAL;
	memcpy(acc, h[0].pub, SEAL_PK_BYTES);
	for (size_t i = 1; i < n; i++) {
		if (!crypto_core_ristretto255_is_valid_point(h[i].pub))
			return KOE_EINVAL;
		/* add() fails only when the sum is the identity. */
		if (crypto_core_ristretto255_add(acc, acc, h[i].pub) != 0)
			return KOE_ECRYPTO;
	}
	if (!crypto_core_ristretto255_is_valid_point(acc))
		return KOE_ECRYPTO;
	memcpy(pk, acc, SEAL_PK_BYTES);
	return KOE_OK;
}

void
seal_secret_add(uint8_t acc[SEAL_SK_BYTES], const uint8_t x[SEAL_SK_BYTES])
{
	crypto_core_ristretto255_scalar_add(acc, acc, x);
}

int
seal_secret_matches(const uint8_t x[SEAL_SK_BYTES], const uint8_t pub[SEAL_PK_BYTES])
{
	uint8_t p[SEAL_PK_BYTES];
	if (crypto_scalarmult_ristretto255_base(p, x) != 0)
		return 0;
	return sodium_memcmp(p, pub, SEAL_PK_BYTES) == 0;
}

static void
derive_key(const uint8_t shared[SEAL_PK_BYTES], const uint8_t epk[SEAL_PK_BYTES],
           const uint8_t pk[SEAL_PK_BYTES], uint8_t key[SEAL_KEY_BYTES])
{
	crypto_generichash_state st;
	crypto_generichash_init(&st, NULL, 0, SEAL_KEY_BYTES);
	crypto_generichash_update(&st, (const uint8_t *)key_domain, sizeof(key_domain) - 1);
	crypto_generichash_update(&st, shared, SEAL_PK_BYTES);
	crypto_generichash_update(&st, epk, SEAL_PK_BYTES);
	crypto_generichash_update(&st, pk, SEAL_PK_BYTES);
	crypto_generichash_final(&st, key, SEAL_KEY_BYTES);
	sodium_memzero(&st, sizeof(st));
}

enum koe_err
seal_key_new(struct seal_key *k, const uint8_t pk[SEAL_PK_BYTES])
{
	uint8_t r[SEAL_SK_BYTES], shared[SEAL_PK_BYTES];
	enum koe_err err = KOE_OK;

	if (sodium_init() < 0)
		return KOE_ENOMEM;
	crypto_core_ristretto255_scalar_random(r);
	if (crypto_scalarmult_ristretto255_base(k->epk, r) != 0 ||
	    crypto_scalarmult_ristretto255(shared, r, pk) != 0)
		err = KOE_ECRYPTO;
	else
		derive_key(shared, k->epk, pk, k->key);
	/* The ephemeral secret is never needed again. */
	sodium_memzero(r, sizeof(r));
	sodium_memzero(shared, sizeof(shared));
	if (err != KOE_OK)
		seal_key_wipe(k);
	return err;
}

void
seal_key_wipe(struct seal_key *k)
{
	sodium_memzero(k, sizeof(*k));
}

enum koe_err
seal_key_open(const uint8_t x[SEAL_SK_BYTES], const uint8_t pk[SEAL_PK_BYTES],
              const uint8_t epk[SEAL_PK_BYTES], struct seal_key *out)
{
	uint8_t shared[SEAL_PK_BYTES];

	if (crypto_scalarmult_ristretto255(shared, x, epk) != 0)
		return KOE_ECRYPTO;
	memcpy(out->epk, epk, SEAL_PK_BYTES);
	derive_key(shared, epk, pk, out->key);
	sodium_memzero(shared, sizeof(shared));
	return KOE_OK;
}

void
seal_box(const struct seal_key *k, const uint8_t *ad, size_t adlen,
         const uint8_t plain[SEAL_PLAIN_BYTES], uint8_t box[SEAL_BOX_BYTES])
{
	unsigned long long clen;
	randombytes_buf(box, SEAL_NONCE_BYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(box + SEAL_NONCE_BYTES, &clen, plain,
	                                           SEAL_PLAIN_BYTES, ad, adlen, NULL, box, k->key);
	KOE_ASSERT(clen == SEAL_PLAIN_BYTES + SEAL_TAG_BYTES);
}

enum koe_err
seal_unbox(const struct seal_key *k, const uint8_t *ad, size_t adlen,
           const uint8_t box[SEAL_BOX_BYTES], uint8_t plain[SEAL_PLAIN_BYTES])
{
	unsigned long long mlen;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &mlen, NULL, box + SEAL_NONCE_BYTES,
	                                               SEAL_BOX_BYTES - SEAL_NONCE_BYTES, ad,
	                                               adlen, box, k->key) != 0)
		return KOE_EVERIFY;
	return KOE_OK;
}
