/* DeserializeScalar: exactly the values 0..L-1 in their 32-byte
 * little-endian form are accepted; L and above, which libsodium would
 * silently reduce, are refused. A chosen blind must also be nonzero. */
#include "tok_testlib.h"

static void
test_boundaries(void)
{
	uint8_t s[32];

	memset(s, 0, sizeof(s));
	CHECK_INT(tok_scalar_check(s), KOE_OK);
	hex_fixture("ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010", s, 32);
	CHECK_INT(tok_scalar_check(s), KOE_OK);          /* L - 1 */
	hex_fixture("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010", s, 32);
	CHECK_INT(tok_scalar_check(s), KOE_EINVAL);      /* L */
	hex_fixture("eed3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010", s, 32);
	CHECK_INT(tok_scalar_check(s), KOE_EINVAL);      /* L + 1 */
	hex_fixture("0000000000000000000000000000000000000000000000000000000000000020", s, 32);
	CHECK_INT(tok_scalar_check(s), KOE_EINVAL);      /* 2^253 */
	memset(s, 0xFF, sizeof(s));
	CHECK_INT(tok_scalar_check(s), KOE_EINVAL);
}

static void
test_injected_blind_must_be_valid(void)
{
	uint8_t L[32], zero[32] = { 0 };
	struct tok_blinded b;

	hex_fixture("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010", L, 32);
	CHECK_INT(tok_blind(TOK_MODE_OPRF, (const uint8_t *)"x", 1, L, &b), KOE_EINVAL);
	CHECK_INT(tok_blind(TOK_MODE_OPRF, (const uint8_t *)"x", 1, zero, &b), KOE_EINVAL);
	CHECK(all_zero(b.element, 32));
}

int
main(void)
{
	RUN(test_boundaries);
	RUN(test_injected_blind_must_be_valid);
	return harness_done();
}
