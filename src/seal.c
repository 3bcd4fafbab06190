/* Sealed answers and key holders; see include/koe/seal.h for the
 * construction. */
#include <string.h>

#include <sodium.h>

#include "koe/seal.h"
#include "koe/testhooks.h"
#include "koe/tok.h"

#define SEAL_DEFAULT_OPS 3ULL
#define SEAL_DEFAULT_MEM (128ULL * 1024 * 1024)
#define SEAL_MIN_MEM     (8ULL * 1024 * 1024)

static const char key_domain[] = "koe/seal/v2";

void
seal_kdf_new(struct seal_kdf *k)
{
	KOE_ASSERT(tok_init() == KOE_OK);
	randombytes_buf(k->salt, sizeof(k->salt));
	k->ops = SEAL_DEFAULT_OPS;
	k->mem = testhook_kdf_mem(SEAL_DEFAULT_MEM);
}

enum koe_err
seal_holder_secret(const char *pass, size_t len, const struct seal_kdf *k,
                   uint8_t x[SEAL_SK_BYTES])
{
	uint8_t wide[64];
	enum koe_err err;

	if (tok_init() != KOE_OK)
		return KOE_ECRYPTO;
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
	err = tok_share_from_wide(wide, x);
	sodium_memzero(wide, sizeof(wide));
	return err;
}

enum koe_err
seal_holder_new(const char *survey, const char *name, const char *pass, size_t len,
                struct seal_holder *out)
{
	uint8_t x[SEAL_SK_BYTES];
	enum koe_err err;
	size_t nlen = strlen(name);

	if (nlen == 0 || nlen > SEAL_NAME_MAX)
		return KOE_EINVAL;
	memset(out, 0, sizeof(*out));
	memcpy(out->name, name, nlen);
	seal_kdf_new(&out->kdf);
	if ((err = seal_holder_secret(pass, len, &out->kdf, x)) == KOE_OK)
		err = tok_share_public(x, survey, out->name, out->pub, out->proof);
	sodium_memzero(x, sizeof(x));
	return err;
}

enum koe_err
seal_holder_verify(const char *survey, const struct seal_holder *h)
{
	if (tok_init() != KOE_OK)
		return KOE_ECRYPTO;
	if (h->name[0] == 0 || memchr(h->name, 0, sizeof(h->name)) == NULL)
		return KOE_EVERIFY;
	return tok_share_verify(survey, h->name, h->pub, h->proof);
}

enum koe_err
seal_holders_key(const struct seal_holder *h, size_t n, uint8_t pk[SEAL_PK_BYTES])
{
	uint8_t pubs[SEAL_HOLDERS_MAX][SEAL_PK_BYTES];

	if (n == 0 || n > SEAL_HOLDERS_MAX)
		return KOE_EINVAL;
	for (size_t i = 0; i < n; i++)
		memcpy(pubs[i], h[i].pub, SEAL_PK_BYTES);
	return tok_shares_sum((const uint8_t (*)[SEAL_PK_BYTES])pubs, n, pk);
}

void
seal_secret_add(uint8_t acc[SEAL_SK_BYTES], const uint8_t x[SEAL_SK_BYTES])
{
	tok_secret_add(acc, x);
}

int
seal_secret_matches(const uint8_t x[SEAL_SK_BYTES], const uint8_t pub[SEAL_PK_BYTES])
{
	return tok_secret_matches(x, pub);
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
	uint8_t shared[SEAL_PK_BYTES];
	enum koe_err err;

	if (tok_init() != KOE_OK)
		return KOE_ECRYPTO;
	if ((err = tok_dh_ephemeral(pk, k->epk, shared)) == KOE_OK)
		derive_key(shared, k->epk, pk, k->key);
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

	if (tok_dh(x, epk, shared) != KOE_OK)
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
