/* The receipt is the lowercase hex of BLAKE2b-256 (crypto_generichash with 32
 * output bytes, no key) of the token input (docs/ARCHITECTURE.md §3). */
#include "tok_testlib.h"

static void
test_known_receipts(void)
{
	uint8_t input[32];
	char receipt[TOK_HEX_LEN + 1];

	/* Expected values from Python: hashlib.blake2b(x, digest_size=32). */
	for (int i = 0; i < 32; i++)
		input[i] = (uint8_t)i;
	tok_receipt(input, receipt);
	CHECK_STR(receipt, "cb2f5160fc1f7e05a55ef49d340b48da2e5a78099d53393351cd579dd42503d6");
	memset(input, 0xFF, sizeof(input));
	tok_receipt(input, receipt);
	CHECK_STR(receipt, "e2021160500f01190b8b9f36f9d0d1dacf8e91ae70deed6ddda43ed414585ed4");
	CHECK_INT(strlen(receipt), TOK_HEX_LEN);
}

int
main(void)
{
	RUN(test_known_receipts);
	return harness_done();
}
