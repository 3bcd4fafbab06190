/* koe — base64url without padding; see include/koe/b64.h.
 *
 * The character mapping is computed with masks instead of a lookup table or
 * branches, in the style of libsodium's codecs.c, so that the time taken does
 * not depend on token secrets that pass through here. */
#include <string.h>

#include <sodium.h>

#include "koe/b64.h"

/* All ones when lo <= c <= hi, else zero; c, lo and hi are below 256. For an
 * out-of-range c one of the two differences wraps around and sets bits above
 * bit 7, which the shift turns into a nonzero x. */
static unsigned
mask_in(unsigned c, unsigned lo, unsigned hi)
{
	unsigned x = ((c - lo) | (hi - c)) >> 8;
	return 0U - ((x - 1U) >> 31);
}

/* The 6-bit value of character c; sets *bad to 1 when c is not in the
 * base64url alphabet. */
static unsigned
decode_char(unsigned char ch, unsigned *bad)
{
	unsigned c = ch;
	unsigned upper = mask_in(c, 'A', 'Z');
	unsigned lower = mask_in(c, 'a', 'z');
	unsigned digit = mask_in(c, '0', '9');
	unsigned dash = mask_in(c, '-', '-');
	unsigned under = mask_in(c, '_', '_');
	unsigned v = (upper & (c - 'A')) | (lower & (c - 'a' + 26)) |
	             (digit & (c - '0' + 52)) | (dash & 62U) | (under & 63U);

	*bad |= ~(upper | lower | digit | dash | under) & 1U;
	return v & 63U;
}

/* The character for the 6-bit value v. Starting from 'A' + v, each step adds
 * the distance to the next range once v passes its start; (k - v) >> 8 is all
 * ones exactly when v > k. */
static char
encode_char(unsigned v)
{
	unsigned c = v + 'A';

	c += ((25U - v) >> 8) & 6U;   /* 26..51 -> 'a'..'z' */
	c -= ((51U - v) >> 8) & 75U;  /* 52..61 -> '0'..'9' */
	c -= ((61U - v) >> 8) & 13U;  /* 62 -> '-' */
	c += ((62U - v) >> 8) & 49U;  /* 63 -> '_' */
	return (char)(c & 0xFFU);
}

size_t
b64url_encoded_len(size_t n)
{
	return B64URL_ENCODED_LEN(n);
}

enum koe_err
b64url_encode(char *out, size_t cap, const uint8_t *in, size_t n)
{
	size_t i, j = 0;
	size_t full = n - n % 3;

	if (n > (SIZE_MAX - 1) / 4 * 3 || cap <= b64url_encoded_len(n))
		return KOE_ETOOBIG;
	for (i = 0; i < full; i += 3) {
		unsigned w = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		out[j++] = encode_char(w >> 18);
		out[j++] = encode_char((w >> 12) & 63U);
		out[j++] = encode_char((w >> 6) & 63U);
		out[j++] = encode_char(w & 63U);
	}
	if (n % 3 == 1) {
		unsigned w = (unsigned)in[i] << 16;
		out[j++] = encode_char(w >> 18);
		out[j++] = encode_char((w >> 12) & 63U);
	} else if (n % 3 == 2) {
		unsigned w = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
		out[j++] = encode_char(w >> 18);
		out[j++] = encode_char((w >> 12) & 63U);
		out[j++] = encode_char((w >> 6) & 63U);
	}
	out[j] = '\0';
	return KOE_OK;
}

enum koe_err
b64url_decode_var(uint8_t *out, size_t cap, size_t *out_len,
                  const char *in, size_t in_len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t rem = in_len % 4;
	size_t full = in_len - rem;
	size_t n, i, j = 0;
	unsigned bad = 0;
	enum koe_err ret = KOE_OK;

	/* One leftover character carries 6 bits, less than a byte: no encoder
	 * produces that. */
	if (rem == 1)
		return KOE_EINVAL;
	n = full / 4 * 3 + (rem ? rem - 1 : 0);
	if (n > cap)
		return KOE_ETOOBIG;
	for (i = 0; i < full; i += 4) {
		unsigned w = decode_char(s[i], &bad) << 18 |
		             decode_char(s[i + 1], &bad) << 12 |
		             decode_char(s[i + 2], &bad) << 6 |
		             decode_char(s[i + 3], &bad);
		out[j++] = (uint8_t)(w >> 16);
		out[j++] = (uint8_t)(w >> 8);
		out[j++] = (uint8_t)w;
	}
	if (rem == 2) {
		unsigned a = decode_char(s[i], &bad);
		unsigned b = decode_char(s[i + 1], &bad);
		out[j++] = (uint8_t)(a << 2 | b >> 4);
		/* The 4 bits below the last byte must be zero, or two texts
		 * would decode to the same bytes. */
		bad |= (b & 15U) != 0;
	} else if (rem == 3) {
		unsigned a = decode_char(s[i], &bad);
		unsigned b = decode_char(s[i + 1], &bad);
		unsigned c = decode_char(s[i + 2], &bad);
		out[j++] = (uint8_t)(a << 2 | b >> 4);
		out[j++] = (uint8_t)((b & 15U) << 4 | c >> 2);
		bad |= (c & 3U) != 0;
	}
	if (bad) {
		sodium_memzero(out, n);
		ret = KOE_EINVAL;
		goto out;
	}
	*out_len = n;
out:
	return ret;
}

enum koe_err
b64url_decode(uint8_t *out, size_t out_len, const char *in, size_t in_len)
{
	size_t got = 0;
	enum koe_err ret;

	if (out_len > SIZE_MAX / 4 || in_len != b64url_encoded_len(out_len))
		return KOE_EINVAL;
	ret = b64url_decode_var(out, out_len, &got, in, in_len);
	if (ret == KOE_OK && got != out_len) {
		sodium_memzero(out, out_len);
		ret = KOE_EINVAL;
	}
	return ret;
}
