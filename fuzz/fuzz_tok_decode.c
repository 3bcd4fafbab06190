/* Fuzzes every tok_ entry point that takes bytes from the network, each with
 * an oracle. The first input byte selects the entry point, the rest is its
 * payload:
 *
 *   0  tok_element_check(32)       == libsodium's is_valid_point, minus the
 *                                     identity and encodings with bit 255 set
 *   1  tok_scalar_check(32)        == "value < L" computed byte by byte
 *   2  tok_segment_issue(32)       valid element -> the answer's proof verifies;
 *                                     invalid -> KOE_EINVAL, outputs wiped
 *   3  tok_segment_redeem_verify(input 32, output 64)
 *                                  OK exactly when output is the true PRF value
 *   4  tok_client_finalize(evaluated 32, proof 64)
 *                                  an accepted answer yields the true PRF value
 *                                     (soundness); a bad element is KOE_EINVAL
 *   5  tok_poprf_tweak_key(pk 32)  invalid element -> KOE_EINVAL
 *
 * The key, the client's input and its blind are fixed, so the committed seed
 * corpus (made with the same constants) holds valid answers too. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "koe/tok.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tok_survey_key key;
static struct tok_segment_key seg;
static uint8_t info[TOK_INFO_MAX];
static size_t info_len;
static struct tok_client_token tk;
static uint8_t true_output[TOK_OUTPUT_BYTES];

static void
setup(void)
{
	static int done;
	uint8_t seed[TOK_SEED_BYTES];
	struct tok_blinded b;

	if (done)
		return;
	memset(seed, 0x42, sizeof(seed));
	memset(tk.input, 0x11, sizeof(tk.input));
	memset(tk.blind, 0, sizeof(tk.blind));
	tk.blind[0] = 7;
	if (tok_init() != KOE_OK ||
	    tok_survey_key_derive(seed, "fuzz-survey", &key) != KOE_OK ||
	    tok_info_build("fuzz-survey", "eng", info, sizeof(info), &info_len) != KOE_OK ||
	    tok_segment_key_init(&seg, &key, info, info_len) != KOE_OK ||
	    tok_blind(TOK_MODE_POPRF, tk.input, 32, tk.blind, &b) != KOE_OK ||
	    tok_evaluate(TOK_MODE_POPRF, key.sk, tk.input, 32, info, info_len,
	                 true_output) != KOE_OK)
		abort();
	memcpy(tk.blinded, b.element, 32);
	done = 1;
}

static int
element_oracle(const uint8_t e[32])
{
	return !sodium_is_zero(e, 32) && (e[31] & 0x80) == 0 &&
	       crypto_core_ristretto255_is_valid_point(e) == 1;
}

static int
scalar_oracle(const uint8_t s[32])
{
	static const uint8_t L[32] = {
		0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7,
		0xa2, 0xde, 0xf9, 0xde, 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0x10,
	};

	for (int i = 31; i >= 0; i--)
		if (s[i] != L[i])
			return s[i] < L[i];
	return 0;
}

static void
fuzz_issue(const uint8_t blinded[32])
{
	uint8_t evaluated[32], proof[64], out[64];
	struct tok_blinded b;
	enum koe_err ret = tok_segment_issue(&seg, blinded, evaluated, proof);

	if (!element_oracle(blinded)) {
		if (ret != KOE_EINVAL || !sodium_is_zero(evaluated, 32) ||
		    !sodium_is_zero(proof, 64))
			abort();
		return;
	}
	if (ret != KOE_OK || tok_element_check(evaluated) != KOE_OK)
		abort();
	/* The client's Finalize checks the proof before unblinding; a blind
	 * of 1 is enough to run it on an element the fuzzer chose. */
	memset(&b, 0, sizeof(b));
	b.input = tk.input;
	b.input_len = 32;
	b.blind[0] = 1;
	memcpy(b.element, blinded, 32);
	if (tok_finalize(TOK_MODE_POPRF, seg.tweaked, info, info_len, &b, 1,
	                 evaluated, proof, out) != KOE_OK)
		abort();
}

static void
fuzz_redeem(const uint8_t input[32], const uint8_t output[64])
{
	uint8_t expected[64];
	enum koe_err ret = tok_segment_redeem_verify(&seg, input, output);

	if (tok_evaluate(TOK_MODE_POPRF, key.sk, input, 32, info, info_len,
	                 expected) != KOE_OK)
		abort();
	if ((ret == KOE_OK) != (memcmp(expected, output, 64) == 0))
		abort();
	if (ret != KOE_OK && ret != KOE_EVERIFY)
		abort();
	if (tok_segment_redeem_verify(&seg, input, expected) != KOE_OK)
		abort();
}

static void
fuzz_finalize(const uint8_t evaluated[32], const uint8_t proof[64])
{
	uint8_t out[64];
	enum koe_err ret = tok_client_finalize(&tk, key.pk, info, info_len,
	                                       evaluated, proof, out);

	if (!element_oracle(evaluated)) {
		if (ret != KOE_EINVAL)
			abort();
	} else if (ret == KOE_OK) {
		if (memcmp(out, true_output, 64) != 0)
			abort();
	} else if (ret != KOE_EVERIFY) {
		abort();
	}
	if (ret != KOE_OK && !sodium_is_zero(out, 64))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t buf[96];
	uint8_t tweaked[32];

	if (size < 1)
		return 0;
	setup();
	memset(buf, 0, sizeof(buf));
	memcpy(buf, data + 1, size - 1 < sizeof(buf) ? size - 1 : sizeof(buf));
	switch (data[0] % 6) {
	case 0:
		if ((tok_element_check(buf) == KOE_OK) != element_oracle(buf))
			abort();
		break;
	case 1:
		if ((tok_scalar_check(buf) == KOE_OK) != scalar_oracle(buf))
			abort();
		break;
	case 2:
		fuzz_issue(buf);
		break;
	case 3:
		fuzz_redeem(buf, buf + 32);
		break;
	case 4:
		fuzz_finalize(buf, buf + 32);
		break;
	case 5:
		if (!element_oracle(buf) &&
		    tok_poprf_tweak_key(buf, info, info_len, tweaked) != KOE_EINVAL)
			abort();
		break;
	}
	return 0;
}
