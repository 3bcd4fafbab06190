/* Invitation codes and their keyed hashes; see include/koe/invite.h. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "koe/b64.h"
#include "koe/invite.h"
#include "koe/tok.h"

void
invite_key_derive(const uint8_t seed[INVITE_SEED_BYTES], uint8_t key[INVITE_KEY_BYTES])
{
	static const char label[] = "koe-invite-v1";
	KOE_ASSERT(tok_init() == KOE_OK);
	crypto_generichash(key, INVITE_KEY_BYTES, (const uint8_t *)label, sizeof(label) - 1, seed,
	                   INVITE_SEED_BYTES);
}

void
invite_new(char code[INVITE_CODE_LEN + 1])
{
	uint8_t raw[INVITE_RAW_BYTES];
	KOE_ASSERT(tok_init() == KOE_OK);
	randombytes_buf(raw, sizeof(raw));
	/* The buffer size is fixed above. */
	KOE_ASSERT(b64url_encode(code, INVITE_CODE_LEN + 1, raw, sizeof(raw)) == KOE_OK);
	sodium_memzero(raw, sizeof(raw));
}

enum koe_err
invite_hash(const uint8_t key[INVITE_KEY_BYTES], const char *survey, const char *code,
            uint8_t out[INVITE_HASH_BYTES])
{
	crypto_generichash_state st;
	uint8_t raw[INVITE_RAW_BYTES];
	static const uint8_t zero = 0;

	if (strlen(code) != INVITE_CODE_LEN ||
	    b64url_decode(raw, sizeof(raw), code, INVITE_CODE_LEN) != KOE_OK)
		return KOE_EINVAL;
	crypto_generichash_init(&st, key, INVITE_KEY_BYTES, INVITE_HASH_BYTES);
	crypto_generichash_update(&st, (const uint8_t *)survey, strlen(survey));
	crypto_generichash_update(&st, &zero, 1);
	crypto_generichash_update(&st, raw, sizeof(raw));
	crypto_generichash_final(&st, out, INVITE_HASH_BYTES);
	sodium_memzero(raw, sizeof(raw));
	return KOE_OK;
}
