/* expand_message_xmd with SHA-512 (RFC 9380 §5.3.1) reproduces the RFC's
 * Appendix K.3 vectors for 32 and 128 output bytes, and refuses the lengths
 * the RFC forbids. */
#include "tok_testlib.h"

static const char *const DST = "QUUX-V01-CS02-with-expander-SHA512-256";

struct xmd_vector {
	const char *msg;
	size_t len;
	const char *hex;
};

static void
test_rfc9380_k3_vectors(void)
{
	static char q128[5 + 128 + 1], a512[5 + 512 + 1];
	struct xmd_vector v[] = {
		{ "", 0x20, "6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba" },
		{ "abc", 0x20, "0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc" },
		{ "abcdef0123456789", 0x20, "087e45a86e2939ee8b91100af1583c4938e0f5fc6c9db4b107b83346bc967f58" },
		{ q128, 0x20, "7336234ee9983902440f6bc35b348352013becd88938d2afec44311caf8356b3" },
		{ a512, 0x20, "57b5f7e766d5be68a6bfe1768e3c2b7f1228b3e4b3134956dd73a59b954c66f4" },
		{ "", 0x80, "41b037d1734a5f8df225dd8c7de38f851efdb45c372887be655212d07251b921"
		            "b052b62eaed99b46f72f2ef4cc96bfaf254ebbbec091e1a3b9e4fb5e5b619d2e"
		            "0c5414800a1d882b62bb5cd1778f098b8eb6cb399d5d9d18f5d5842cf5d13d7e"
		            "b00a7cff859b605da678b318bd0e65ebff70bec88c753b159a805d2c89c55961" },
		{ "abc", 0x80, "7f1dddd13c08b543f2e2037b14cefb255b44c83cc397c1786d975653e36a6b11"
		               "bdd7732d8b38adb4a0edc26a0cef4bb45217135456e58fbca1703cd6032cb134"
		               "7ee720b87972d63fbf232587043ed2901bce7f22610c0419751c065922b48843"
		               "1851041310ad659e4b23520e1772ab29dcdeb2002222a363f0c2b1c972b3efe1" },
		{ "abcdef0123456789", 0x80,
		  "3f721f208e6199fe903545abc26c837ce59ac6fa45733f1baaf0222f8b7acb04"
		  "24814fcb5eecf6c1d38f06e9d0a6ccfbf85ae612ab8735dfdf9ce84c372a77c8"
		  "f9e1c1e952c3a61b7567dd0693016af51d2745822663d0c2367e3f4f0bed827f"
		  "eecc2aaf98c949b5ed0d35c3f1023d64ad1407924288d366ea159f46287e61ac" },
		{ q128, 0x80, "b799b045a58c8d2b4334cf54b78260b45eec544f9f2fb5bd12fb603eaee70db7"
		              "317bf807c406e26373922b7b8920fa29142703dd52bdf280084fb7ef69da78af"
		              "df80b3586395b433dc66cde048a258e476a561e9deba7060af40adf30c64249c"
		              "a7ddea79806ee5beb9a1422949471d267b21bc88e688e4014087a0b592b695ed" },
		{ a512, 0x80, "05b0bfef265dcee87654372777b7c44177e2ae4c13a27f103340d9cd11c86cb2"
		              "426ffcad5bd964080c2aee97f03be1ca18e30a1f14e27bc11ebbd650f305269c"
		              "c9fb1db08bf90bfc79b42a952b46daf810359e7bc36452684784a64952c343c5"
		              "2e5124cd1f71d474d5197fefc571a92929c9084ffe1112cf5eea5192ebff330b" },
	};

	memcpy(q128, "q128_", 5);
	memset(q128 + 5, 'q', 128);
	memcpy(a512, "a512_", 5);
	memset(a512 + 5, 'a', 512);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		uint8_t want[0x80], got[0x80];

		hex_fixture(v[i].hex, want, v[i].len);
		CHECK_INT(tok_expand_message_xmd(got, v[i].len, (const uint8_t *)v[i].msg,
		                                 strlen(v[i].msg), (const uint8_t *)DST,
		                                 strlen(DST)), KOE_OK);
		CHECK_MEM(got, want, v[i].len);
	}
}

static void
test_forbidden_lengths(void)
{
	static uint8_t out[255 * 64 + 1];
	uint8_t long_dst[256];

	memset(long_dst, 'd', sizeof(long_dst));
	/* ell = ceil(len / 64) must be at most 255. */
	CHECK_INT(tok_expand_message_xmd(out, 255 * 64, NULL, 0, long_dst, 10), KOE_OK);
	CHECK_INT(tok_expand_message_xmd(out, 255 * 64 + 1, NULL, 0, long_dst, 10), KOE_EINVAL);
	CHECK_INT(tok_expand_message_xmd(out, 0, NULL, 0, long_dst, 10), KOE_EINVAL);
	/* The DST is framed with one length byte. */
	CHECK_INT(tok_expand_message_xmd(out, 32, NULL, 0, long_dst, 255), KOE_OK);
	CHECK_INT(tok_expand_message_xmd(out, 32, NULL, 0, long_dst, 256), KOE_EINVAL);
	CHECK_INT(tok_expand_message_xmd(out, 32, NULL, 0, long_dst, 0), KOE_EINVAL);
}

int
main(void)
{
	RUN(test_rfc9380_k3_vectors);
	RUN(test_forbidden_lengths);
	return harness_done();
}
