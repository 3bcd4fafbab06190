/* base64url without padding: the RFC 4648 §10 vectors (minus padding), the
 * two URL-safe characters, agreement with libsodium's encoder for every
 * length up to 200, and decode(encode(x)) == x. */
#include <sodium.h>
#include <string.h>

#include "harness.h"
#include "koe/b64.h"

static void
test_rfc4648_vectors(void)
{
	static const struct {
		const char *bin;
		const char *text;
	} v[] = {
		{ "", "" }, { "f", "Zg" }, { "fo", "Zm8" }, { "foo", "Zm9v" },
		{ "foob", "Zm9vYg" }, { "fooba", "Zm9vYmE" }, { "foobar", "Zm9vYmFy" },
	};
	char out[16];
	uint8_t back[16];
	size_t n = 99;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		size_t len = strlen(v[i].bin);

		CHECK_INT(b64url_encoded_len(len), strlen(v[i].text));
		CHECK_INT(b64url_encode(out, sizeof(out), (const uint8_t *)v[i].bin, len), KOE_OK);
		CHECK_STR(out, v[i].text);
		CHECK_INT(b64url_decode(back, len, v[i].text, strlen(v[i].text)), KOE_OK);
		CHECK_MEM(back, v[i].bin, len);
		CHECK_INT(b64url_decode_var(back, sizeof(back), &n, v[i].text,
		                            strlen(v[i].text)), KOE_OK);
		CHECK_INT(n, len);
	}
}

static void
test_url_safe_characters(void)
{
	static const uint8_t dashes[] = { 0xFB, 0xEF, 0xBE };
	static const uint8_t unders[] = { 0xFF, 0xFF, 0xFF };
	static const uint8_t mixed[] = { 0xFB, 0xFF };
	char out[8];

	CHECK_INT(b64url_encode(out, sizeof(out), dashes, 3), KOE_OK);
	CHECK_STR(out, "----");
	CHECK_INT(b64url_encode(out, sizeof(out), unders, 3), KOE_OK);
	CHECK_STR(out, "____");
	CHECK_INT(b64url_encode(out, sizeof(out), mixed, 2), KOE_OK);
	CHECK_STR(out, "-_8");
}

static void
test_agrees_with_libsodium(void)
{
	uint8_t bin[200], back[200];
	char ours[300], theirs[300];
	int mismatches = 0;

	CHECK(sodium_init() >= 0);
	for (size_t len = 0; len <= sizeof(bin); len++) {
		randombytes_buf(bin, len);
		if (len == 100)
			memset(bin, 0xFF, len);
		sodium_bin2base64(theirs, sizeof(theirs), bin, len,
		                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
		if (b64url_encode(ours, sizeof(ours), bin, len) != KOE_OK ||
		    strcmp(ours, theirs) != 0 ||
		    b64url_decode(back, len, ours, strlen(ours)) != KOE_OK ||
		    memcmp(back, bin, len) != 0)
			mismatches++;
	}
	CHECK_INT(mismatches, 0);
}

static void
test_encode_needs_room_for_nul(void)
{
	static const uint8_t bin[32];
	char out[44];

	CHECK_INT(b64url_encoded_len(32), 43);
	CHECK_INT(b64url_encode(out, 43, bin, 32), KOE_ETOOBIG);
	CHECK_INT(b64url_encode(out, 44, bin, 32), KOE_OK);
	CHECK_INT(strlen(out), 43);
}

int
main(void)
{
	RUN(test_rfc4648_vectors);
	RUN(test_url_safe_characters);
	RUN(test_agrees_with_libsodium);
	RUN(test_encode_needs_room_for_nul);
	return harness_done();
}
