/* Sealed answers; see include/koe/seal.h for the construction. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "koe/seal.h"

#define SEAL_DEFAULT_OPS 3ULL
#define SEAL_DEFAULT_MEM (128ULL * 1024 * 1024)
#define SEAL_MIN_MEM     (8ULL * 1024 * 1024)

void
seal_kdf_new(struct seal_kdf *k)
{
	const char *env = getenv("KOE_KDF_MEMLIMIT");
	if (sodium_init() < 0)
		abort();
	randombytes_buf(k->salt, sizeof(k->salt));
	k->ops = SEAL_DEFAULT_OPS;
	k->mem = SEAL_DEFAULT_MEM;
	if (env && *env) {
		unsigned long long v = strtoull(env, NULL, 10);
		if (v >= SEAL_MIN_MEM && v < SEAL_DEFAULT_MEM)
			k->mem = v;
	}
}

enum koe_err
seal_keypair_from_passphrase(const char *pass, size_t len, const struct seal_kdf *k,
                             uint8_t pk[SEAL_PK_BYTES], uint8_t sk[SEAL_SK_BYTES])
{
	uint8_t seed[crypto_box_SEEDBYTES];
	enum koe_err err = KOE_OK;

	if (sodium_init() < 0)
		return KOE_ENOMEM;
	if (len < SEAL_PASS_MIN || len > SEAL_PASS_MAX)
		return KOE_EINVAL;
	if (k->ops < crypto_pwhash_OPSLIMIT_MIN || k->mem < SEAL_MIN_MEM ||
	    k->mem > crypto_pwhash_MEMLIMIT_MAX)
		return KOE_EINVAL;
	if (crypto_pwhash(seed, sizeof(seed), pass, len, k->salt, k->ops, (size_t)k->mem,
	                  crypto_pwhash_ALG_ARGON2ID13) != 0) {
		err = KOE_ENOMEM;
		goto done;
	}
	if (crypto_box_seed_keypair(pk, sk, seed) != 0)
		err = KOE_ECRYPTO;
done:
	sodium_memzero(seed, sizeof(seed));
	return err;
}

enum koe_err
seal_batch_new(struct seal_batch *b, const uint8_t report_pk[SEAL_PK_BYTES])
{
	uint8_t esk[crypto_box_SECRETKEYBYTES];
	enum koe_err err = KOE_OK;

	if (sodium_init() < 0)
		return KOE_ENOMEM;
	crypto_box_keypair(b->epk, esk);
	/* X25519 then HSalsa20: the same key the report side computes from
	 * its secret key and epk. The ephemeral secret is not needed again. */
	if (crypto_box_beforenm(b->key, report_pk, esk) != 0)
		err = KOE_ECRYPTO;
	sodium_memzero(esk, sizeof(esk));
	if (err != KOE_OK)
		seal_batch_wipe(b);
	return err;
}

void
seal_batch_wipe(struct seal_batch *b)
{
	sodium_memzero(b, sizeof(*b));
}

size_t
seal_box_len(size_t len)
{
	/* sodium_pad always adds at least one byte (the 0x80 marker). */
	size_t padded = (len / SEAL_PAD + 1) * SEAL_PAD;
	return SEAL_NONCE_BYTES + padded + SEAL_TAG_BYTES;
}

enum koe_err
seal_box(const struct seal_batch *b, const uint8_t *ad, size_t adlen, const uint8_t *plain,
         size_t len, uint8_t *out, size_t *outlen)
{
	size_t total = seal_box_len(len);
	size_t cap = total - SEAL_NONCE_BYTES - SEAL_TAG_BYTES;
	size_t padded;
	uint8_t *body = out + SEAL_NONCE_BYTES;
	unsigned long long clen;

	/* The plaintext is padded in place inside out, then encrypted in place. */
	memcpy(body, plain, len);
	if (sodium_pad(&padded, body, len, SEAL_PAD, cap) != 0)
		return KOE_EINVAL;
	randombytes_buf(out, SEAL_NONCE_BYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt(body, &clen, body, padded, ad, adlen, NULL,
	                                           out, b->key);
	*outlen = SEAL_NONCE_BYTES + (size_t)clen;
	return KOE_OK;
}

enum koe_err
seal_batch_key(const uint8_t sk[SEAL_SK_BYTES], const uint8_t epk[SEAL_PK_BYTES],
               uint8_t key[SEAL_KEY_BYTES])
{
	if (crypto_box_beforenm(key, epk, sk) != 0)
		return KOE_ECRYPTO;
	return KOE_OK;
}

enum koe_err
seal_unbox(const uint8_t key[SEAL_KEY_BYTES], const uint8_t *ad, size_t adlen,
           const uint8_t *box, size_t boxlen, uint8_t *plain, size_t *plainlen)
{
	unsigned long long mlen;
	size_t unpadded;

	if (boxlen < SEAL_NONCE_BYTES + SEAL_TAG_BYTES + SEAL_PAD)
		return KOE_EVERIFY;
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain, &mlen, NULL, box + SEAL_NONCE_BYTES,
	                                               boxlen - SEAL_NONCE_BYTES, ad, adlen,
	                                               box, key) != 0)
		return KOE_EVERIFY;
	if (sodium_unpad(&unpadded, plain, (size_t)mlen, SEAL_PAD) != 0)
		return KOE_EVERIFY;
	*plainlen = unpadded;
	return KOE_OK;
}
