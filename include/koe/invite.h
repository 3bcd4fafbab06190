/* koe — invitation codes: the secret part of an employee's one-time link.
 *
 * A code is 128 random bits in base64url (22 characters). The database keeps
 * only a keyed hash of it (BLAKE2b keyed with a key derived from the master
 * seed), so a copy of the database cannot be used to answer. */
#ifndef KOE_INVITE_H
#define KOE_INVITE_H

#include <stdint.h>

#include "koe/err.h"

#define INVITE_RAW_BYTES 16
#define INVITE_CODE_LEN  22
#define INVITE_KEY_BYTES 32
#define INVITE_HASH_BYTES 32

/* The invite hashing key for a master seed. key is a secret the caller wipes. */
#define INVITE_SEED_BYTES 32 /* the master seed (tok.h TOK_SEED_BYTES) */
void invite_key_derive(const uint8_t seed[INVITE_SEED_BYTES], uint8_t key[INVITE_KEY_BYTES]);

/* Makes a fresh random code (NUL-terminated). */
void invite_new(char code[INVITE_CODE_LEN + 1]);

/* Hashes a code for a survey. KOE_EINVAL when code is not a well-formed
 * invite code (22 base64url characters encoding 16 bytes). */
enum koe_err invite_hash(const uint8_t key[INVITE_KEY_BYTES], const char *survey,
                         const char *code, uint8_t out[INVITE_HASH_BYTES]);

#endif
