/* koe — answers sealed at rest to the report's key holders
 * (docs/ARCHITECTURE.md §4.1, §4.3).
 *
 * Key holders. The report key is split additively among one or more
 * holders (HR, an employee representative, the 産業医, an outside firm). Each
 * holder derives a ristretto255 scalar x_i from their own passphrase with
 * Argon2id and their own salt, on their own machine, and hands koe only the
 * public part X_i = x_i·G with a Schnorr proof that they know x_i, bound to
 * their name and the survey id (so nobody can pick an X_i that cancels
 * another holder's: the rogue-key attack). The sealing key is X = ΣX_i and
 * its secret x = Σx_i exists only when every holder has typed their
 * passphrase into one `koe report`; nothing less opens a single answer.
 *
 * Sealing. The server makes one ephemeral key per survey and server run:
 * R = r·G, shared key K = BLAKE2b(r·X || R || X); r is wiped at once. Each
 * chunk of an answer is sealed with XChaCha20-Poly1305 under K with a random
 * nonce and the survey id as associated data. The ephemeral public keys are
 * stored apart from the answers, and a sealed chunk carries no reference to
 * the key it was sealed with: the reader tries its few keys (one per server
 * run), so a copy of the database cannot tell which answers were sealed
 * under the same key, while reading 100,000 answers still needs only a
 * handful of key agreements.
 *
 * Every sealed chunk has the same size, SEAL_BOX_BYTES, whatever it holds. */
#ifndef KOE_SEAL_H
#define KOE_SEAL_H

#include <stddef.h>
#include <stdint.h>

#include "koe/err.h"

#define SEAL_PK_BYTES     32   /* a ristretto255 element */
#define SEAL_SK_BYTES     32   /* a ristretto255 scalar */
#define SEAL_KEY_BYTES    32   /* an XChaCha20-Poly1305 key */
#define SEAL_SALT_BYTES   16
#define SEAL_NONCE_BYTES  24
#define SEAL_TAG_BYTES    16
#define SEAL_PROOF_BYTES  64   /* Schnorr proof: commitment T || response s */
#define SEAL_PLAIN_BYTES  512  /* plaintext of one sealed chunk */
#define SEAL_BOX_BYTES    (SEAL_NONCE_BYTES + SEAL_PLAIN_BYTES + SEAL_TAG_BYTES)
#define SEAL_PASS_MIN     10   /* characters a passphrase needs at least */
#define SEAL_PASS_MAX     1024 /* bytes */
#define SEAL_NAME_MAX     64   /* bytes of a holder's name */
#define SEAL_HOLDERS_MAX  8

/* Argon2id parameters, stored per holder so a report uses what the holder
 * used. */
struct seal_kdf {
	uint8_t salt[SEAL_SALT_BYTES];
	uint64_t ops;
	uint64_t mem; /* bytes */
};

/* Fills k with a random salt and koe's cost (3 passes, 128 MiB). Only a
 * test build (KOE_TEST_HOOKS) lets the environment lower the memory cost;
 * see testhooks.h. */
void seal_kdf_new(struct seal_kdf *k);

/* A key holder's public part, as handed to `koe open`. */
struct seal_holder {
	char name[SEAL_NAME_MAX + 1];
	uint8_t pub[SEAL_PK_BYTES];
	struct seal_kdf kdf;
	uint8_t proof[SEAL_PROOF_BYTES];
};

/* Derives a holder's secret scalar from a passphrase. x is a secret the
 * caller wipes. KOE_EINVAL for a passphrase shorter than SEAL_PASS_MIN bytes
 * or longer than SEAL_PASS_MAX, or unusable parameters; KOE_ENOMEM when
 * Argon2id cannot get its memory. */
enum koe_err seal_holder_secret(const char *pass, size_t len, const struct seal_kdf *k,
                                uint8_t x[SEAL_SK_BYTES]);

/* Makes a holder's public part for survey: a new salt, x from the
 * passphrase, X = x·G and the proof. name and pass are borrowed. */
enum koe_err seal_holder_new(const char *survey, const char *name, const char *pass,
                             size_t len, struct seal_holder *out);

/* Checks a holder's proof for survey. KOE_EVERIFY when it does not verify
 * (another survey, another name, or a key the holder does not know). */
enum koe_err seal_holder_verify(const char *survey, const struct seal_holder *h)
	__attribute__((warn_unused_result));

/* The sealing key X = ΣX_i of n holders. KOE_ECRYPTO when the sum is the
 * identity, KOE_EINVAL for n == 0 or an invalid element. */
enum koe_err seal_holders_key(const struct seal_holder *h, size_t n, uint8_t pk[SEAL_PK_BYTES]);

/* Adds holder secret x into the running sum acc (acc starts zeroed). */
void seal_secret_add(uint8_t acc[SEAL_SK_BYTES], const uint8_t x[SEAL_SK_BYTES]);

/* Whether secret x belongs to public element pub (x·G == pub), in constant
 * time over the result. */
int seal_secret_matches(const uint8_t x[SEAL_SK_BYTES], const uint8_t pub[SEAL_PK_BYTES]);

/* A sealing key of the server: the ephemeral public key R to store and the
 * shared key K. Held in sodium_malloc'd memory and wiped with
 * seal_key_wipe(). */
struct seal_key {
	uint8_t epk[SEAL_PK_BYTES];
	uint8_t key[SEAL_KEY_BYTES];
};

/* Server side: a new ephemeral key for sealing key pk (borrowed). */
enum koe_err seal_key_new(struct seal_key *k, const uint8_t pk[SEAL_PK_BYTES]);
void seal_key_wipe(struct seal_key *k);

/* Reader side: the shared key for ephemeral key epk, given the secret
 * x = Σx_i and its public pk. KOE_ECRYPTO for an invalid epk. */
enum koe_err seal_key_open(const uint8_t x[SEAL_SK_BYTES], const uint8_t pk[SEAL_PK_BYTES],
                           const uint8_t epk[SEAL_PK_BYTES], struct seal_key *out);

/* Seals exactly SEAL_PLAIN_BYTES of plaintext into SEAL_BOX_BYTES. */
void seal_box(const struct seal_key *k, const uint8_t *ad, size_t adlen,
              const uint8_t plain[SEAL_PLAIN_BYTES], uint8_t box[SEAL_BOX_BYTES]);

/* Opens a box into SEAL_PLAIN_BYTES. KOE_EVERIFY when the box was altered,
 * moved to another survey, or sealed under another key. */
enum koe_err seal_unbox(const struct seal_key *k, const uint8_t *ad, size_t adlen,
                        const uint8_t box[SEAL_BOX_BYTES], uint8_t plain[SEAL_PLAIN_BYTES])
	__attribute__((warn_unused_result));

#endif
