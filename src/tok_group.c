/* koe — the prime-order group and hashing layer of RFC 9497's
 * ristretto255-SHA512 suite: element and scalar validation, expand_message_xmd
 * (RFC 9380 §5.3.1), HashToGroup, HashToScalar and the final hash. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "koe/tok.h"
#include "tok_internal.h"

/* SHA-512's input block size: the zero prefix Z_pad of expand_message_xmd. */
#define XMD_BLOCK 128
#define XMD_HASH 64

enum koe_err
tok_init(void)
{
	return sodium_init() < 0 ? KOE_ECRYPTO : KOE_OK;
}

enum koe_err
tok_element_check(const uint8_t e[TOK_ELEMENT_BYTES])
{
	/* is_valid_point accepts the all-zero encoding of the identity, which
	 * RFC 9497 §4.1 tells us to reject: an identity blinded element would
	 * make the server's answer independent of its key. */
	if (sodium_is_zero(e, TOK_ELEMENT_BYTES))
		return KOE_EINVAL;
	/* libsodium 1.0.18 ignores bit 255 when decoding (later releases
	 * reject it), so an element would have two encodings. RFC 9496 §4.3.1
	 * makes the encoding canonical only with that bit clear. */
	if ((e[31] & 0x80) != 0)
		return KOE_EINVAL;
	if (crypto_core_ristretto255_is_valid_point(e) != 1)
		return KOE_EINVAL;
	return KOE_OK;
}

enum koe_err
tok_scalar_check(const uint8_t s[TOK_SCALAR_BYTES])
{
	/* libsodium has no canonical-scalar test for ristretto255, so reduce
	 * the zero-padded value and see whether it changed. */
	uint8_t wide[64] = { 0 };
	uint8_t reduced[TOK_SCALAR_BYTES];
	enum koe_err ret;

	memcpy(wide, s, TOK_SCALAR_BYTES);
	crypto_core_ristretto255_scalar_reduce(reduced, wide);
	ret = sodium_memcmp(reduced, s, TOK_SCALAR_BYTES) == 0 ? KOE_OK : KOE_EINVAL;
	sodium_memzero(wide, sizeof(wide));
	sodium_memzero(reduced, sizeof(reduced));
	return ret;
}

size_t
tok_dst(enum tok_mode mode, const char *prefix, uint8_t dst[TOK_DST_MAX])
{
	static const char suite[] = "ristretto255-SHA512";
	size_t n = strlen(prefix);

	memcpy(dst, prefix, n);
	memcpy(dst + n, "OPRFV1-", 7);
	n += 7;
	dst[n++] = (uint8_t)mode;
	dst[n++] = '-';
	memcpy(dst + n, suite, sizeof(suite) - 1);
	return n + sizeof(suite) - 1;
}

/* Every expand_message_xmd starts by hashing Z_pad, one full block of
 * zeros; the state after it is computed once and copied, which saves one of
 * the three to five SHA-512 compressions of each call on the hot paths. */
static crypto_hash_sha512_state z_pad_state;
static pthread_once_t z_pad_once = PTHREAD_ONCE_INIT;

static void
z_pad_init(void)
{
	static const uint8_t z_pad[XMD_BLOCK];

	crypto_hash_sha512_init(&z_pad_state);
	crypto_hash_sha512_update(&z_pad_state, z_pad, sizeof(z_pad));
}

enum koe_err
tok_xmd(uint8_t *out, size_t out_len, const struct tok_part *parts,
        size_t nparts, const uint8_t *dst, size_t dst_len)
{
	crypto_hash_sha512_state st;
	uint8_t b0[XMD_HASH], bi[XMD_HASH], mixed[XMD_HASH];
	uint8_t lib[2], dst_len8, idx;
	size_t ell = (out_len + XMD_HASH - 1) / XMD_HASH;
	enum koe_err ret = KOE_OK;

	if (out_len == 0 || out_len > 65535 || ell > 255 || dst_len == 0 ||
	    dst_len > 255)
		return KOE_EINVAL;
	tok_be16(lib, out_len);
	dst_len8 = (uint8_t)dst_len;

	/* b_0 = H(Z_pad || msg || l_i_b_str || I2OSP(0, 1) || DST_prime) */
	idx = 0;
	KOE_ASSERT(pthread_once(&z_pad_once, z_pad_init) == 0);
	memcpy(&st, &z_pad_state, sizeof(st));
	for (size_t i = 0; i < nparts; i++)
		crypto_hash_sha512_update(&st, parts[i].p, parts[i].n);
	crypto_hash_sha512_update(&st, lib, 2);
	crypto_hash_sha512_update(&st, &idx, 1);
	crypto_hash_sha512_update(&st, dst, dst_len);
	crypto_hash_sha512_update(&st, &dst_len8, 1);
	crypto_hash_sha512_final(&st, b0);

	/* b_1 = H(b_0 || I2OSP(1, 1) || DST_prime), then
	 * b_i = H(strxor(b_0, b_(i-1)) || I2OSP(i, 1) || DST_prime). */
	memcpy(mixed, b0, XMD_HASH);
	for (size_t i = 1; i <= ell; i++) {
		size_t off = (i - 1) * XMD_HASH;
		size_t take = out_len - off < XMD_HASH ? out_len - off : XMD_HASH;

		if (i > 1)
			for (size_t j = 0; j < XMD_HASH; j++)
				mixed[j] = b0[j] ^ bi[j];
		idx = (uint8_t)i;
		crypto_hash_sha512_init(&st);
		crypto_hash_sha512_update(&st, mixed, XMD_HASH);
		crypto_hash_sha512_update(&st, &idx, 1);
		crypto_hash_sha512_update(&st, dst, dst_len);
		crypto_hash_sha512_update(&st, &dst_len8, 1);
		crypto_hash_sha512_final(&st, bi);
		memcpy(out + off, bi, take);
	}

	sodium_memzero(&st, sizeof(st));
	sodium_memzero(b0, sizeof(b0));
	sodium_memzero(bi, sizeof(bi));
	sodium_memzero(mixed, sizeof(mixed));
	return ret;
}

enum koe_err
tok_expand_message_xmd(uint8_t *out, size_t out_len, const uint8_t *msg,
                       size_t msg_len, const uint8_t *dst, size_t dst_len)
{
	struct tok_part part = { msg, msg_len };

	return tok_xmd(out, out_len, &part, 1, dst, dst_len);
}

void
tok_hash_to_scalar_dst(uint8_t s[TOK_SCALAR_BYTES], const struct tok_part *parts,
                       size_t nparts, const uint8_t *dst, size_t dst_len)
{
	uint8_t wide[64];
	enum koe_err ret;

	ret = tok_xmd(wide, sizeof(wide), parts, nparts, dst, dst_len);
	/* Our DSTs and the 64-byte length are fixed and within bounds. */
	KOE_ASSERT(ret == KOE_OK);
	crypto_core_ristretto255_scalar_reduce(s, wide);
	sodium_memzero(wide, sizeof(wide));
}

void
tok_hash_to_scalar(enum tok_mode mode, uint8_t s[TOK_SCALAR_BYTES],
                   const struct tok_part *parts, size_t nparts)
{
	uint8_t dst[TOK_DST_MAX];
	size_t dst_len = tok_dst(mode, "HashToScalar-", dst);

	tok_hash_to_scalar_dst(s, parts, nparts, dst, dst_len);
}

enum koe_err
tok_hash_to_group(enum tok_mode mode, const uint8_t *input, size_t input_len,
                  uint8_t out[TOK_ELEMENT_BYTES])
{
	uint8_t dst[TOK_DST_MAX];
	uint8_t wide[64];
	struct tok_part part = { input, input_len };
	size_t dst_len = tok_dst(mode, "HashToGroup-", dst);
	enum koe_err ret = KOE_OK;

	KOE_ASSERT(tok_xmd(wide, sizeof(wide), &part, 1, dst, dst_len) == KOE_OK);
	/* hash_to_ristretto255 of RFC 9380 / RFC 9496 §4.3.4: libsodium's
	 * from_hash maps both 32-byte halves and adds them. */
	if (crypto_core_ristretto255_from_hash(out, wide) != 0 ||
	    sodium_is_zero(out, TOK_ELEMENT_BYTES)) {
		sodium_memzero(out, TOK_ELEMENT_BYTES);
		ret = KOE_ECRYPTO;
	}
	sodium_memzero(wide, sizeof(wide));
	return ret;
}

void
tok_info_scalar(const uint8_t *info, size_t info_len, uint8_t m[TOK_SCALAR_BYTES])
{
	uint8_t len[2];
	struct tok_part parts[3] = {
		{ (const uint8_t *)"Info", 4 }, { len, 2 }, { info, info_len },
	};

	tok_be16(len, info_len);
	tok_hash_to_scalar(TOK_MODE_POPRF, m, parts, 3);
}

enum koe_err
tok_tweak(const uint8_t sk[TOK_SCALAR_BYTES], const uint8_t *info,
          size_t info_len, uint8_t t[TOK_SCALAR_BYTES],
          uint8_t t_inv[TOK_SCALAR_BYTES], uint8_t *tweaked)
{
	uint8_t m[TOK_SCALAR_BYTES];
	enum koe_err ret = KOE_OK;

	tok_info_scalar(info, info_len, m);
	crypto_core_ristretto255_scalar_add(t, sk, m);
	/* invert returns -1 exactly when t is zero: the RFC's InverseError. */
	if (crypto_core_ristretto255_scalar_invert(t_inv, t) != 0) {
		ret = KOE_ECRYPTO;
		goto out;
	}
	if (tweaked != NULL && crypto_scalarmult_ristretto255_base(tweaked, t) != 0) {
		ret = KOE_ECRYPTO;
		goto out;
	}
out:
	if (ret != KOE_OK) {
		sodium_memzero(t, TOK_SCALAR_BYTES);
		sodium_memzero(t_inv, TOK_SCALAR_BYTES);
	}
	sodium_memzero(m, sizeof(m));
	return ret;
}

void
tok_finalize_hash(const uint8_t *input, size_t input_len, int with_info,
                  const uint8_t *info, size_t info_len,
                  const uint8_t element[TOK_ELEMENT_BYTES],
                  uint8_t out[TOK_OUTPUT_BYTES])
{
	crypto_hash_sha512_state st;
	uint8_t len[2];

	crypto_hash_sha512_init(&st);
	tok_be16(len, input_len);
	crypto_hash_sha512_update(&st, len, 2);
	crypto_hash_sha512_update(&st, input, input_len);
	if (with_info) {
		tok_be16(len, info_len);
		crypto_hash_sha512_update(&st, len, 2);
		crypto_hash_sha512_update(&st, info, info_len);
	}
	tok_be16(len, TOK_ELEMENT_BYTES);
	crypto_hash_sha512_update(&st, len, 2);
	crypto_hash_sha512_update(&st, element, TOK_ELEMENT_BYTES);
	crypto_hash_sha512_update(&st, (const uint8_t *)"Finalize", 8);
	crypto_hash_sha512_final(&st, out);
	sodium_memzero(&st, sizeof(st));
}
