/* koe — token cryptography: RFC 9497 OPRF/VOPRF/POPRF, suite
 * ristretto255-SHA512, on libsodium 1.0.18, and koe's use of it (docs/ARCHITECTURE.md §3).
 *
 * tok_ is the only module that calls libsodium's group operations. The file
 * has three layers:
 *
 *   1. RFC 9497 itself, every mode, both sides, batches included. Tests drive
 *      it with the RFC's vectors; the blind and the proof's random scalar can
 *      be injected for that purpose and are random otherwise.
 *   2. koe's protocol: per-survey keys from the master seed, the POPRF info
 *      framing, issuance and redemption, receipts, and the client side used by
 *      tests and the load generator. Issuance and redemption come in a
 *      one-shot form and in a fast form over a precomputed tok_segment_key.
 *   3. The master seed file.
 *
 * Conventions: functions return enum koe_err. KOE_EINVAL means the caller's
 * (usually the network's) bytes are malformed: a non-canonical or identity
 * element, a non-canonical scalar, a bad length. KOE_EVERIFY means well-formed
 * data that does not verify. KOE_ECRYPTO means a computation landed on the
 * identity or a zero scalar, which only happens with negligible probability
 * or on adversarial key material. Secrets are wiped on every return path;
 * output buffers that would have held secrets are wiped on failure. No
 * function keeps a pointer it was given, except that tok_blind's result
 * borrows its input. Every function is thread-safe; a tok_segment_key may be
 * shared by threads once initialized. Results that decide whether something
 * is accepted are TOK_MUST_CHECK. */
#ifndef KOE_TOK_H
#define KOE_TOK_H

#include <stddef.h>
#include <stdint.h>

#include "koe/err.h"

#define TOK_MUST_CHECK __attribute__((warn_unused_result))

#define TOK_SCALAR_BYTES  32 /* Ns: little-endian, reduced mod the group order */
#define TOK_ELEMENT_BYTES 32 /* Ne: canonical ristretto255 encoding */
#define TOK_PROOF_BYTES   64 /* c || s */
#define TOK_OUTPUT_BYTES  64 /* Nh: SHA-512 */
#define TOK_SEED_BYTES    32 /* DeriveKeyPair seed and koe master seed */
#define TOK_BATCH_MAX     64 /* elements per BlindEvaluate/Finalize call */
#define TOK_INPUT_MAX  65535 /* RFC 9497 frames inputs and info with 2 bytes */

/* ------------------------------------------------------------------ */
/* 1. RFC 9497                                                        */
/* ------------------------------------------------------------------ */

enum tok_mode {
	TOK_MODE_OPRF = 0x00,
	TOK_MODE_VOPRF = 0x01,
	TOK_MODE_POPRF = 0x02,
};

/* Initializes libsodium (idempotent, thread-safe). Every tok_ function calls
 * it as needed; calling it early only moves the one-time cost. Returns KOE_OK
 * or KOE_ECRYPTO when libsodium cannot start (no entropy source). */
enum koe_err tok_init(void);

/* Checks that e is a canonical ristretto255 encoding of an element other than
 * the identity: DeserializeElement of RFC 9497 §4.1. Stricter than libsodium
 * 1.0.18's is_valid_point, which accepts the identity and ignores bit 255.
 * KOE_OK or KOE_EINVAL. */
enum koe_err tok_element_check(const uint8_t e[TOK_ELEMENT_BYTES])
	TOK_MUST_CHECK;

/* Checks that s is a canonical scalar (less than the group order; zero is
 * canonical): DeserializeScalar. Runs in constant time. KOE_OK or
 * KOE_EINVAL. */
enum koe_err tok_scalar_check(const uint8_t s[TOK_SCALAR_BYTES])
	TOK_MUST_CHECK;

/* expand_message_xmd of RFC 9380 §5.3.1 with SHA-512: writes out_len (1 to
 * 65535, at most 255·64) pseudorandom bytes derived from msg and dst (1 to 255
 * bytes) to out. KOE_OK or KOE_EINVAL for lengths outside those bounds. */
enum koe_err tok_expand_message_xmd(uint8_t *out, size_t out_len,
                                    const uint8_t *msg, size_t msg_len,
                                    const uint8_t *dst, size_t dst_len);

/* DeriveKeyPair(seed, info) of RFC 9497 §3.2.1 in the given mode. Writes the
 * secret scalar sk (wipe it after use) and pk = sk·G. info_len ≤
 * TOK_INPUT_MAX. KOE_OK, KOE_EINVAL, or KOE_ECRYPTO if 256 counters all gave
 * a zero scalar (DeriveKeyPairError). */
enum koe_err tok_derive_key_pair(enum tok_mode mode,
                                 const uint8_t seed[TOK_SEED_BYTES],
                                 const uint8_t *info, size_t info_len,
                                 uint8_t sk[TOK_SCALAR_BYTES],
                                 uint8_t pk[TOK_ELEMENT_BYTES]);

/* The client's state for one element of a (possibly batched) request. */
struct tok_blinded {
	const uint8_t *input;                 /* borrowed until tok_finalize returns */
	size_t input_len;                     /* ≤ TOK_INPUT_MAX */
	uint8_t blind[TOK_SCALAR_BYTES];      /* secret; wipe with tok_blinded_wipe */
	uint8_t element[TOK_ELEMENT_BYTES];   /* BlindedElement, sent to the server */
};

/* Blind(input) of RFC 9497 §3.3.1 (all modes; POPRF's tweaked key is computed
 * separately by tok_poprf_tweak_key). input is borrowed: out->input points to
 * it afterwards, so it must outlive out's use in tok_finalize. fixed_blind is
 * NULL in production, which draws a random blind; tests pass the RFC vectors'
 * Blind (a canonical nonzero scalar, else KOE_EINVAL). KOE_ECRYPTO if the input
 * hashes to the identity (InvalidInputError). On failure out is wiped. */
enum koe_err tok_blind(enum tok_mode mode, const uint8_t *input, size_t input_len,
                       const uint8_t *fixed_blind, struct tok_blinded *out);

/* Wipes the blind and the element. Accepts NULL. */
void tok_blinded_wipe(struct tok_blinded *b);

/* The POPRF client's tweakedKey = HashToScalar(framed info)·G + pk (§3.3.3
 * Blind). pk is validated (KOE_EINVAL); an identity result is KOE_ECRYPTO
 * (InvalidInputError). */
enum koe_err tok_poprf_tweak_key(const uint8_t pk[TOK_ELEMENT_BYTES],
                                 const uint8_t *info, size_t info_len,
                                 uint8_t tweaked[TOK_ELEMENT_BYTES]);

/* BlindEvaluate of RFC 9497 §3.3, batched over n (1..TOK_BATCH_MAX) blinded
 * elements, each validated (KOE_EINVAL). Batches are flat arrays: element i
 * starts at blinded + i·TOK_ELEMENT_BYTES. Writes n evaluated elements and, in
 * VOPRF and POPRF mode, one batch proof (proof must then be non-NULL; in OPRF
 * mode it must be NULL). pk is pkS, used in VOPRF mode only (NULL otherwise);
 * info is used in POPRF mode only (NULL/0 otherwise). proof_r is NULL in
 * production (a random ProofRandomScalar); tests pass the vectors' value.
 * KOE_ECRYPTO when the tweaked POPRF key is zero (InverseError). */
enum koe_err tok_blind_evaluate(enum tok_mode mode,
                                const uint8_t sk[TOK_SCALAR_BYTES],
                                const uint8_t *pk,
                                const uint8_t *info, size_t info_len,
                                size_t n, const uint8_t *blinded,
                                uint8_t *evaluated, uint8_t *proof,
                                const uint8_t *proof_r);

/* Finalize of RFC 9497 §3.3, batched over the n states b produced by
 * tok_blind and the server's n evaluated elements (a flat array of
 * n·TOK_ELEMENT_BYTES; each validated: KOE_EINVAL).
 * key is NULL in OPRF mode, pkS in VOPRF mode, and the tweaked key from
 * tok_poprf_tweak_key in POPRF mode; proof is verified in those two modes
 * before anything is unblinded (KOE_EVERIFY). info is POPRF's public input.
 * Writes n outputs of TOK_OUTPUT_BYTES each, one after the other, to outputs;
 * on failure they are wiped. */
enum koe_err tok_finalize(enum tok_mode mode, const uint8_t *key,
                          const uint8_t *info, size_t info_len,
                          const struct tok_blinded *b, size_t n,
                          const uint8_t *evaluated, const uint8_t *proof,
                          uint8_t *outputs)
	TOK_MUST_CHECK;

/* Evaluate(skS, input[, info]) of RFC 9497 §3.3: the server computes the PRF
 * output directly. KOE_ECRYPTO if input hashes to the identity or the tweaked
 * key is zero. */
enum koe_err tok_evaluate(enum tok_mode mode, const uint8_t sk[TOK_SCALAR_BYTES],
                          const uint8_t *input, size_t input_len,
                          const uint8_t *info, size_t info_len,
                          uint8_t output[TOK_OUTPUT_BYTES]);

/* ------------------------------------------------------------------ */
/* 2. koe's token protocol (docs/ARCHITECTURE.md §3), POPRF mode                  */
/* ------------------------------------------------------------------ */

#define TOK_INPUT_BYTES     32   /* the browser's random token input */
#define TOK_HEX_LEN         64   /* key_id and receipt, lowercase hex */
#define TOK_SURVEY_ID_MAX   128  /* bytes */
#define TOK_SEGMENT_MAX     512  /* bytes of a segment code */
#define TOK_INFO_MAX (2 + 5 + 2 + TOK_SURVEY_ID_MAX + 2 + TOK_SEGMENT_MAX)

/* A survey's POPRF key pair. Wipe with tok_survey_key_wipe. */
struct tok_survey_key {
	uint8_t sk[TOK_SCALAR_BYTES];   /* secret */
	uint8_t pk[TOK_ELEMENT_BYTES];  /* pkS, published in the manifest */
	char key_id[TOK_HEX_LEN + 1];   /* hex(SHA-256(pkS)), NUL-terminated */
};

/* DeriveKeyPair(seed, "koe-survey-v1:" || survey_id) in POPRF mode, plus the
 * key_id. survey_id is a NUL-terminated string of 1..TOK_SURVEY_ID_MAX bytes
 * (KOE_EINVAL otherwise); the caller has already checked its alphabet. */
enum koe_err tok_survey_key_derive(const uint8_t seed[TOK_SEED_BYTES],
                                   const char *survey_id,
                                   struct tok_survey_key *out);

/* Wipes the whole key. Accepts NULL. */
void tok_survey_key_wipe(struct tok_survey_key *key);

/* Writes key_id = lowercase hex(SHA-256(pk)) and a terminating NUL to out. */
void tok_key_id(const uint8_t pk[TOK_ELEMENT_BYTES], char out[TOK_HEX_LEN + 1]);

/* Builds info = lp("koe/1") || lp(survey_id) || lp(segment_code), lp(x) being
 * a 2-byte big-endian length and x, into out (cap bytes; TOK_INFO_MAX always
 * suffices) and sets *out_len. survey_id must hold 1..TOK_SURVEY_ID_MAX
 * bytes and segment_code at most TOK_SEGMENT_MAX (KOE_EINVAL, also for NULL);
 * both are NUL-terminated UTF-8 that the caller has validated. KOE_ETOOBIG if
 * cap is too small. */
enum koe_err tok_info_build(const char *survey_id, const char *segment_code,
                            uint8_t *out, size_t cap, size_t *out_len);

/* Everything about one (survey, segment) pair that issuance and redemption
 * can compute once: the tweaked key t = sk + HashToScalar(framed info), its
 * inverse, T = t·G, and the composite seed of the batch proof, which only
 * depends on T. With it, issuance costs exactly four variable-base and one
 * fixed-base scalar multiplication, and redemption one variable-base
 * multiplication plus the hash to the group. Read-only after init, so any
 * number of threads may use one concurrently. Wipe with
 * tok_segment_key_wipe. */
struct tok_segment_key {
	uint8_t t[TOK_SCALAR_BYTES];          /* secret */
	uint8_t t_inv[TOK_SCALAR_BYTES];      /* secret */
	uint8_t tweaked[TOK_ELEMENT_BYTES];   /* T, public */
	uint8_t composite_seed[64];           /* public */
	size_t info_len;
	uint8_t info[TOK_INFO_MAX];
};

/* Precomputes out for key and info (≤ TOK_INFO_MAX bytes, KOE_EINVAL
 * otherwise, usually from tok_info_build). key and info are copied from, not
 * kept. KOE_ECRYPTO if the tweaked key is zero. */
enum koe_err tok_segment_key_init(struct tok_segment_key *out,
                                  const struct tok_survey_key *key,
                                  const uint8_t *info, size_t info_len);

/* Wipes the whole segment key. Accepts NULL. */
void tok_segment_key_wipe(struct tok_segment_key *sk);

/* Issuance, fast path: POPRF BlindEvaluate of one blinded element (from the
 * network; KOE_EINVAL unless canonical and not the identity) with a fresh
 * proof. Writes evaluated and proof; the same blinded element always gives
 * the same evaluated element (the proof differs each time). */
enum koe_err tok_segment_issue(const struct tok_segment_key *sk,
                               const uint8_t blinded[TOK_ELEMENT_BYTES],
                               uint8_t evaluated[TOK_ELEMENT_BYTES],
                               uint8_t proof[TOK_PROOF_BYTES]);

/* Redemption, fast path: recomputes the POPRF output of input under the
 * segment's key and compares it with output in constant time. KOE_OK when the
 * token is valid for this survey and segment, KOE_EVERIFY otherwise. */
enum koe_err tok_segment_redeem_verify(const struct tok_segment_key *sk,
                                       const uint8_t input[TOK_INPUT_BYTES],
                                       const uint8_t output[TOK_OUTPUT_BYTES])
	TOK_MUST_CHECK;

/* Issuance, one shot: tok_segment_key_init + tok_segment_issue, for callers
 * that issue rarely. Same results and errors. */
enum koe_err tok_issue(const struct tok_survey_key *key,
                       const uint8_t *info, size_t info_len,
                       const uint8_t blinded[TOK_ELEMENT_BYTES],
                       uint8_t evaluated[TOK_ELEMENT_BYTES],
                       uint8_t proof[TOK_PROOF_BYTES]);

/* Redemption, one shot: tok_segment_key_init + tok_segment_redeem_verify. */
enum koe_err tok_redeem_verify(const struct tok_survey_key *key,
                               const uint8_t *info, size_t info_len,
                               const uint8_t input[TOK_INPUT_BYTES],
                               const uint8_t output[TOK_OUTPUT_BYTES])
	TOK_MUST_CHECK;

/* Writes the receipt, lowercase hex(crypto_generichash(32, input)), and a
 * terminating NUL to out. It is also the double-spend key. */
void tok_receipt(const uint8_t input[TOK_INPUT_BYTES], char out[TOK_HEX_LEN + 1]);
/* The same receipt as raw bytes (what the spent table stores). */
void tok_receipt_raw(const uint8_t input[TOK_INPUT_BYTES], uint8_t out[32]);

/* The client's side of one token (what the browser does). All three fields
 * are secret until the token is spent; wipe with tok_client_token_wipe. */
struct tok_client_token {
	uint8_t input[TOK_INPUT_BYTES];
	uint8_t blind[TOK_SCALAR_BYTES];
	uint8_t blinded[TOK_ELEMENT_BYTES];   /* sent to POST /api/v1/issue */
};

/* Draws a random input and blind and computes the blinded element. */
enum koe_err tok_client_blind(struct tok_client_token *tk);

/* Wipes the token. Accepts NULL. */
void tok_client_token_wipe(struct tok_client_token *tk);

/* Verifies the server's proof against pk (the manifest's public key) and info
 * (built by the client itself from the manifest's segment code), then unblinds
 * and writes the token's 64-byte output. evaluated and proof come from the
 * network: KOE_EINVAL if evaluated is not a valid element, KOE_EVERIFY if the
 * proof does not verify (wrong key, wrong info, tampering). */
enum koe_err tok_client_finalize(const struct tok_client_token *tk,
                                 const uint8_t pk[TOK_ELEMENT_BYTES],
                                 const uint8_t *info, size_t info_len,
                                 const uint8_t evaluated[TOK_ELEMENT_BYTES],
                                 const uint8_t proof[TOK_PROOF_BYTES],
                                 uint8_t output[TOK_OUTPUT_BYTES])
	TOK_MUST_CHECK;

/* ------------------------------------------------------------------ */
/* 3. Key files                                                       */
/* ------------------------------------------------------------------ */

/* Every loader below refuses a file that its group or others can read, write
 * or execute (KOE_EPERM), a file that is not a regular file (KOE_EINVAL) and a
 * file that is not exactly 32 bytes long (KOE_EINVAL). Missing files are
 * KOE_ENOTFOUND, other system errors KOE_EIO with errno set. When msg is not
 * NULL, a one-line English explanation naming the path is written to it on
 * every error; on success it is set to the empty string. */

/* Reads the 32-byte master seed from path into seed (wiped on failure). */
enum koe_err tok_seed_load(const char *path, uint8_t seed[TOK_SEED_BYTES],
                           struct koe_msg *msg)
	TOK_MUST_CHECK;

/* Like tok_seed_load, but when path does not exist, creates it atomically
 * with mode 0600 holding 32 fresh random bytes (written to a temporary file in
 * the same directory, synced, then linked into place, so a crash never leaves
 * a short key and a concurrent creator never gets replaced). *created (may be
 * NULL) is set to 1 when this call created the file, else 0. */
enum koe_err tok_seed_load_or_create(const char *path,
                                     uint8_t seed[TOK_SEED_BYTES], int *created,
                                     struct koe_msg *msg)
	TOK_MUST_CHECK;

/* Reads a serialized secret scalar (skS, 32 bytes little-endian) from a key
 * file, for tools that pin a given key instead of deriving one from the master
 * seed. Besides the file rules above, the scalar must be canonical and nonzero
 * (KOE_EINVAL). sk is wiped on failure. */
enum koe_err tok_secret_key_load(const char *path, uint8_t sk[TOK_SCALAR_BYTES],
                                 struct koe_msg *msg)
	TOK_MUST_CHECK;

/* ---- Key shares of the report's key holders, and sealing (seal.h) ----
 * The group operations behind seal.c, which only calls these. */

/* A holder's secret from 64 uniform bytes (Argon2id output), reduced.
 * KOE_ECRYPTO for the zero scalar (probability 2^-252). */
enum koe_err tok_share_from_wide(const uint8_t wide[64], uint8_t x[TOK_SCALAR_BYTES]);

/* X = x·G and a Schnorr proof of knowledge of x (T || s) bound to survey
 * and name. */
enum koe_err tok_share_public(const uint8_t x[TOK_SCALAR_BYTES], const char *survey,
                              const char *name, uint8_t pub[TOK_ELEMENT_BYTES],
                              uint8_t proof[2 * TOK_SCALAR_BYTES]);

/* Checks a share's proof (elements and scalar checked as in §3).
 * KOE_OK or KOE_EVERIFY. */
enum koe_err tok_share_verify(const char *survey, const char *name,
                              const uint8_t pub[TOK_ELEMENT_BYTES],
                              const uint8_t proof[2 * TOK_SCALAR_BYTES]) TOK_MUST_CHECK;

/* The sum of n public shares; KOE_ECRYPTO when it is the identity,
 * KOE_EINVAL for an invalid element or n == 0. */
enum koe_err tok_shares_sum(const uint8_t (*pub)[TOK_ELEMENT_BYTES], size_t n,
                            uint8_t sum[TOK_ELEMENT_BYTES]);

/* acc += x (mod the group order). */
void tok_secret_add(uint8_t acc[TOK_SCALAR_BYTES], const uint8_t x[TOK_SCALAR_BYTES]);

/* Whether x·G == pub. */
int tok_secret_matches(const uint8_t x[TOK_SCALAR_BYTES], const uint8_t pub[TOK_ELEMENT_BYTES]);

/* Sender side of a Diffie-Hellman with public key pk: a fresh r, epk = r·G,
 * shared = r·pk; r is wiped. */
enum koe_err tok_dh_ephemeral(const uint8_t pk[TOK_ELEMENT_BYTES], uint8_t epk[TOK_ELEMENT_BYTES],
                              uint8_t shared[TOK_ELEMENT_BYTES]);

/* Receiver side: shared = x·epk; KOE_ECRYPTO for an invalid epk. */
enum koe_err tok_dh(const uint8_t x[TOK_SCALAR_BYTES], const uint8_t epk[TOK_ELEMENT_BYTES],
                    uint8_t shared[TOK_ELEMENT_BYTES]);

#endif
