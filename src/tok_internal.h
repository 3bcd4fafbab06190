/* koe — helpers shared by the tok_*.c files and nothing else. */
#ifndef KOE_TOK_INTERNAL_H
#define KOE_TOK_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "koe/tok.h"

/* One piece of a message that is hashed without being copied together. */
struct tok_part {
	const uint8_t *p;
	size_t n;
};

/* "OPRFV1-" || mode || "-" || "ristretto255-SHA512" */
#define TOK_CONTEXT_LEN 28
/* The longest DST prefix is "HashToScalar-" (13 bytes). */
#define TOK_DST_MAX (13 + TOK_CONTEXT_LEN)

/* Writes prefix || contextString(mode) to dst (TOK_DST_MAX bytes) and
 * returns its length. prefix is at most 13 bytes. */
size_t tok_dst(enum tok_mode mode, const char *prefix, uint8_t dst[TOK_DST_MAX]);

/* expand_message_xmd over the concatenation of the parts; see
 * tok_expand_message_xmd. Wipes its intermediate state, since the message may
 * be secret (DeriveKeyPair's seed). */
enum koe_err tok_xmd(uint8_t *out, size_t out_len, const struct tok_part *parts,
                     size_t nparts, const uint8_t *dst, size_t dst_len);

/* HashToScalar over the parts with the given DST (expand to 64 bytes, reduce
 * mod the group order). */
void tok_hash_to_scalar_dst(uint8_t s[TOK_SCALAR_BYTES],
                            const struct tok_part *parts, size_t nparts,
                            const uint8_t *dst, size_t dst_len);

/* HashToScalar with the default DST "HashToScalar-" || contextString. */
void tok_hash_to_scalar(enum tok_mode mode, uint8_t s[TOK_SCALAR_BYTES],
                        const struct tok_part *parts, size_t nparts);

/* HashToGroup(input) with DST "HashToGroup-" || contextString. KOE_ECRYPTO
 * when the result is the identity (InvalidInputError); out is then zero. */
enum koe_err tok_hash_to_group(enum tok_mode mode, const uint8_t *input,
                               size_t input_len, uint8_t out[TOK_ELEMENT_BYTES]);

/* The POPRF m = HashToScalar("Info" || lp(info)). */
void tok_info_scalar(const uint8_t *info, size_t info_len,
                     uint8_t m[TOK_SCALAR_BYTES]);

/* Derives the POPRF tweak of sk for info: t = sk + m, its inverse and, when
 * tweaked is not NULL, T = t·G. KOE_ECRYPTO when t is zero; t and t_inv are
 * wiped on failure. */
enum koe_err tok_tweak(const uint8_t sk[TOK_SCALAR_BYTES], const uint8_t *info,
                       size_t info_len, uint8_t t[TOK_SCALAR_BYTES],
                       uint8_t t_inv[TOK_SCALAR_BYTES], uint8_t *tweaked);

/* The final hash: SHA-512(lp(input) [|| lp(info)] || lp(element) ||
 * "Finalize"). info is included when with_info is nonzero (POPRF). */
void tok_finalize_hash(const uint8_t *input, size_t input_len, int with_info,
                       const uint8_t *info, size_t info_len,
                       const uint8_t element[TOK_ELEMENT_BYTES],
                       uint8_t out[TOK_OUTPUT_BYTES]);

/* seed = Hash(lp(B) || lp("Seed-" || contextString)), the first step of
 * ComputeComposites; it only depends on the public key B. */
void tok_composite_seed(enum tok_mode mode, const uint8_t B[TOK_ELEMENT_BYTES],
                        uint8_t seed[64]);

/* GenerateProof(k, G, B, C, D) of RFC 9497 §2.2.1 over n pairs; C and D are
 * flat arrays of n elements. seed is
 * tok_composite_seed(mode, B). r is the ProofRandomScalar or NULL for a
 * random one. KOE_ECRYPTO when an intermediate is the identity. */
enum koe_err tok_proof_generate(enum tok_mode mode, const uint8_t k[TOK_SCALAR_BYTES],
                                const uint8_t B[TOK_ELEMENT_BYTES],
                                const uint8_t seed[64],
                                const uint8_t *C, const uint8_t *D, size_t n,
                                const uint8_t *r, uint8_t proof[TOK_PROOF_BYTES]);

/* VerifyProof(G, B, C, D, proof) of RFC 9497 §2.2.2 over n pairs. All
 * elements must have been validated by the caller. KOE_OK or KOE_EVERIFY
 * (also for non-canonical proof scalars). */
enum koe_err tok_proof_verify(enum tok_mode mode, const uint8_t B[TOK_ELEMENT_BYTES],
                              const uint8_t *C, const uint8_t *D, size_t n,
                              const uint8_t proof[TOK_PROOF_BYTES]);

/* Writes I2OSP(n, 2). */
static inline void
tok_be16(uint8_t out[2], size_t n)
{
	out[0] = (uint8_t)(n >> 8);
	out[1] = (uint8_t)n;
}

#endif
