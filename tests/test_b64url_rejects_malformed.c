/* Strict decoding: padding, characters outside the URL-safe alphabet
 * (including '+', '/', whitespace and NUL), a length of 1 mod 4, nonzero
 * trailing bits and a decoded length other than the field's are refused, and
 * the output buffer is wiped. */
#include <string.h>

#include "harness.h"
#include "koe/b64.h"

static int
wiped(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != 0)
			return 0;
	return 1;
}

static void
check_rejected(const char *text, size_t text_len, size_t field_len)
{
	uint8_t out[64];
	size_t n = 0;

	memset(out, 0xAA, sizeof(out));
	CHECK_INT(b64url_decode(out, field_len, text, text_len), KOE_EINVAL);
	CHECK(wiped(out, field_len) || out[0] == 0xAA);
	CHECK(b64url_decode_var(out, sizeof(out), &n, text, text_len) != KOE_OK);
}

static void
test_padding(void)
{
	check_rejected("Zg==", 4, 1);
	check_rejected("Zm8=", 4, 2);
	check_rejected("Zg=", 3, 1);
	check_rejected("Zm9vYg==", 8, 4);
}

static void
test_alphabet(void)
{
	/* 0xFB 0xEF 0xBE is "----" in base64url and "++++" in base64. */
	check_rejected("++++", 4, 3);
	check_rejected("////", 4, 3);
	check_rejected("Zm9 ", 4, 3);
	check_rejected("Zm9\n", 4, 3);
	check_rejected("Zm\0v", 4, 3);
	check_rejected("Zm9\xc3", 4, 3);
	check_rejected("Zm9.", 4, 3);
}

static void
test_trailing_bits(void)
{
	/* "f" is "Zg"; "Zh".."Zv" carry the same byte with nonzero low bits. */
	check_rejected("Zh", 2, 1);
	check_rejected("Zv", 2, 1);
	/* "fo" is "Zm8"; "Zm9" sets one of the two spare bits. */
	check_rejected("Zm9", 3, 2);
	check_rejected("Zm9vYh", 6, 4);
}

static void
test_lengths(void)
{
	static const uint8_t bin[33];
	char text32[64], text33[64];
	uint8_t out[64];
	size_t n;

	CHECK_INT(b64url_encode(text32, sizeof(text32), bin, 32), KOE_OK);
	CHECK_INT(b64url_encode(text33, sizeof(text33), bin, 33), KOE_OK);
	CHECK_INT(b64url_decode(out, 32, text32, 43), KOE_OK);
	/* A 32-byte field takes exactly 43 characters. */
	CHECK_INT(b64url_decode(out, 31, text32, 43), KOE_EINVAL);
	CHECK_INT(b64url_decode(out, 33, text32, 43), KOE_EINVAL);
	CHECK_INT(b64url_decode(out, 32, text33, 44), KOE_EINVAL);
	CHECK_INT(b64url_decode(out, 32, text32, 42), KOE_EINVAL);
	CHECK_INT(b64url_decode(out, 32, "", 0), KOE_EINVAL);
	/* One character short of a byte. */
	check_rejected("Zm9vY", 5, 4);
	check_rejected("A", 1, 1);
	/* The variable form reports what does not fit. */
	CHECK_INT(b64url_decode_var(out, 31, &n, text32, 43), KOE_ETOOBIG);
	CHECK_INT(b64url_decode_var(out, 32, &n, text32, 43), KOE_OK);
	CHECK_INT(n, 32);
}

int
main(void)
{
	RUN(test_padding);
	RUN(test_alphabet);
	RUN(test_trailing_bits);
	RUN(test_lengths);
	return harness_done();
}
