/* A secret-key file must hold a canonical nonzero scalar: L, L + 1, all ones
 * (values libsodium would silently reduce) and zero are refused with
 * KOE_EINVAL; L - 1 and the RFC 9497 POPRF key load unchanged. */
#include "tok_testlib.h"

static void
test_scalars(void)
{
	static const struct {
		const char *hex;
		enum koe_err want;
		const char *why;
	} cases[] = {
		{ "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010",
		  KOE_EINVAL, "not reduced" },
		{ "eed3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010",
		  KOE_EINVAL, "not reduced" },
		{ "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
		  KOE_EINVAL, "not reduced" },
		{ "0000000000000000000000000000000000000000000000000000000000000000",
		  KOE_EINVAL, "zero" },
		{ "ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010",
		  KOE_OK, NULL },
		{ "145c79c108538421ac164ecbe131942136d5570b16d8bf41a24d4337da981e07",
		  KOE_OK, NULL },
	};
	char dir[64];
	struct koe_msg msg;
	uint8_t s[32], got[32];

	tmpdir_make(dir);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *path;

		hex_fixture(cases[i].hex, s, 32);
		path = write_key_file(dir, "survey.key", s, 32, 0600);
		memset(got, 0xAA, sizeof(got));
		msg.text[0] = '\0';
		harness_current = cases[i].hex;
		CHECK_INT(tok_secret_key_load(path, got, &msg), cases[i].want);
		if (cases[i].want == KOE_OK) {
			CHECK_MEM(got, s, 32);
		} else {
			CHECK(all_zero(got, 32));
			CHECK(strstr(msg.text, cases[i].why) != NULL);
		}
	}
	tmpdir_remove(dir);
}

int
main(void)
{
	RUN(test_scalars);
	return harness_done();
}
