/* koe — base64url without padding (RFC 4648 §5), the encoding of every binary
 * field in koe's JSON (docs/ARCHITECTURE.md §3).
 *
 * Decoding is strict, so that every byte string has exactly one accepted
 * text form: padding, characters outside A-Z a-z 0-9 - _, a length of 1 mod 4
 * and nonzero trailing bits are all rejected. Neither direction branches on
 * or indexes by the data, because the data are often token secrets. */
#ifndef KOE_B64_H
#define KOE_B64_H

#include <stddef.h>
#include <stdint.h>

#include "koe/err.h"

/* Length of the unpadded encoding of n bytes, without a terminating NUL. */
#define B64URL_ENCODED_LEN(n) (((n) / 3) * 4 + ((n) % 3 ? (n) % 3 + 1 : 0))

/* Same as B64URL_ENCODED_LEN, as a function. */
size_t b64url_encoded_len(size_t n);

/* Encodes the n bytes at in into out, which has room for cap bytes, and
 * terminates it with a NUL. KOE_ETOOBIG (out untouched) unless cap >
 * b64url_encoded_len(n). */
enum koe_err b64url_encode(char *out, size_t cap, const uint8_t *in, size_t n);

/* Decodes the in_len characters at in (no NUL needed; a NUL inside is an
 * invalid character) into exactly out_len bytes at out. KOE_EINVAL if the
 * text is malformed or does not decode to exactly out_len bytes; no decoded
 * byte is then left in out. This is the form to use for every fixed-size network field. */
enum koe_err b64url_decode(uint8_t *out, size_t out_len,
                           const char *in, size_t in_len)
	__attribute__((warn_unused_result));

/* Decodes into at most cap bytes at out and sets *out_len. KOE_EINVAL if the
 * text is malformed (out wiped), KOE_ETOOBIG if it decodes to more than cap
 * bytes (out untouched). */
enum koe_err b64url_decode_var(uint8_t *out, size_t cap, size_t *out_len,
                               const char *in, size_t in_len)
	__attribute__((warn_unused_result));

#endif
