/* koe — answers sealed at rest to the report owner's key (DESIGN.md §4.3).
 *
 * The report key pair is derived from HR's passphrase with Argon2id; the
 * database keeps only its public half and the salt. The server seals each
 * response without being able to open it again: it makes an ephemeral X25519
 * key pair per batch, keeps only the shared key in memory (the ephemeral
 * secret is wiped at once) and encrypts each response with
 * XChaCha20-Poly1305 under that key, a random nonce, and the survey and
 * segment as associated data. The batch's ephemeral public key is stored with
 * each response. Opening needs one key agreement per batch, not one per
 * response, which keeps a 100,000-response report fast.
 *
 * Plaintexts are padded to a multiple of SEAL_PAD bytes so a sealed answer's
 * length says little about what was written. */
#ifndef KOE_SEAL_H
#define KOE_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "koe/err.h"

#define SEAL_PK_BYTES    32
#define SEAL_SK_BYTES    32
#define SEAL_KEY_BYTES   32
#define SEAL_SALT_BYTES  16
#define SEAL_NONCE_BYTES 24
#define SEAL_TAG_BYTES   16
#define SEAL_PAD         128
#define SEAL_PASS_MIN    10   /* characters (bytes) a passphrase needs at least */
#define SEAL_PASS_MAX    1024

/* Argon2id parameters, stored per survey so a report uses what open used. */
struct seal_kdf {
	uint8_t salt[SEAL_SALT_BYTES];
	uint64_t ops;
	uint64_t mem; /* bytes */
};

/* Fills k with a random salt and koe's default cost (3 passes, 128 MiB).
 * The environment variable KOE_KDF_MEMLIMIT (bytes, at least 8 MiB) lowers
 * the memory cost for tests and small machines. */
void seal_kdf_new(struct seal_kdf *k);

/* Derives the report key pair from a passphrase. pass is borrowed; sk is a
 * secret the caller wipes with sodium_memzero() after use. Returns
 * KOE_EINVAL for a passphrase shorter than SEAL_PASS_MIN or longer than
 * SEAL_PASS_MAX, KOE_ENOMEM when Argon2id cannot get its memory. */
enum koe_err seal_keypair_from_passphrase(const char *pass, size_t len,
                                          const struct seal_kdf *k,
                                          uint8_t pk[SEAL_PK_BYTES],
                                          uint8_t sk[SEAL_SK_BYTES]);

/* A sealing batch, held by the server: the shared key with the report key
 * and the ephemeral public key that goes with every response sealed in it. */
struct seal_batch {
	uint8_t epk[SEAL_PK_BYTES];
	uint8_t key[SEAL_KEY_BYTES];
};

/* Starts a batch for report_pk (borrowed). Wipe with seal_batch_wipe(). */
enum koe_err seal_batch_new(struct seal_batch *b, const uint8_t report_pk[SEAL_PK_BYTES]);
void seal_batch_wipe(struct seal_batch *b);

/* Bytes seal_box() writes for a plaintext of len bytes. */
size_t seal_box_len(size_t len);

/* Seals plain (len bytes) with associated data ad. out must hold
 * seal_box_len(len) bytes; *outlen receives that length. */
enum koe_err seal_box(const struct seal_batch *b, const uint8_t *ad, size_t adlen,
                      const uint8_t *plain, size_t len, uint8_t *out, size_t *outlen);

/* Reader side: the batch key for an ephemeral public key, given the report
 * secret key. key is a secret the caller wipes. KOE_ECRYPTO for a bad epk. */
enum koe_err seal_batch_key(const uint8_t sk[SEAL_SK_BYTES],
                            const uint8_t epk[SEAL_PK_BYTES],
                            uint8_t key[SEAL_KEY_BYTES]);

/* Opens a box. plain must hold boxlen bytes; *plainlen receives the
 * unpadded length. KOE_EVERIFY when the box was altered, moved to another
 * survey or segment, or sealed under another key. */
enum koe_err seal_unbox(const uint8_t key[SEAL_KEY_BYTES], const uint8_t *ad, size_t adlen,
                        const uint8_t *box, size_t boxlen, uint8_t *plain, size_t *plainlen)
	__attribute__((warn_unused_result));

#endif
