/* Fuzzes the base64url decoder that every binary JSON field from the network
 * passes through, against libsodium's strict decoder as an oracle: both must
 * accept exactly the same texts and decode them to the same bytes, every
 * accepted text must be the canonical encoding of its bytes, and encoding the
 * raw input must agree with libsodium and decode back.
 *
 * One known difference is excluded from the comparison: libsodium 1.0.18
 * reads the text through a signed char and decodes every byte from 0x80 to
 * 0xFF as if it were '_' (this fuzzer found it), so "\x82AAA" and "_AAA" are
 * the same bytes to it. koe's decoder must reject such texts instead. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "koe/b64.h"

#define CAP 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t out[CAP], ref[CAP], back[CAP];
	static char text[2 * CAP], ref_text[2 * CAP];
	const char *in = (const char *)data;
	size_t n = 0, ref_n = 0;
	enum koe_err ret;
	int ref_ok, ascii = 1;

	if (size > CAP || sodium_init() < 0)
		return 0;

	for (size_t i = 0; i < size; i++)
		ascii &= data[i] < 0x80;
	ret = b64url_decode_var(out, CAP, &n, in, size);
	ref_ok = ascii && sodium_base642bin(ref, CAP, in, size, NULL, &ref_n, NULL,
	                                    sodium_base64_VARIANT_URLSAFE_NO_PADDING) == 0;
	if ((ret == KOE_OK) != ref_ok)
		abort();
	if (ret == KOE_OK) {
		if (n != ref_n || memcmp(out, ref, n) != 0)
			abort();
		if (b64url_encode(text, sizeof(text), out, n) != KOE_OK ||
		    strlen(text) != size || memcmp(text, in, size) != 0)
			abort();
		if (b64url_decode(back, n, in, size) != KOE_OK || memcmp(back, out, n) != 0)
			abort();
	} else if (ret == KOE_EINVAL && size >= 2 && size % 4 != 1) {
		/* A text that fails must fail for every field length too. */
		size_t want = size / 4 * 3 + (size % 4 ? size % 4 - 1 : 0);
		if (b64url_decode(back, want, in, size) != KOE_EINVAL)
			abort();
	}

	if (b64url_encode(text, sizeof(text), data, size) != KOE_OK)
		abort();
	sodium_bin2base64(ref_text, sizeof(ref_text), data, size,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	if (strcmp(text, ref_text) != 0)
		abort();
	if (b64url_decode(back, size, text, strlen(text)) != KOE_OK ||
	    memcmp(back, data, size) != 0)
		abort();
	return 0;
}
