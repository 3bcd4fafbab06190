/* info = lp("koe/1") || lp(survey_id) || lp(segment_code) with 2-byte
 * big-endian lengths (docs/ARCHITECTURE.md §3, a contract shared with the browser). */
#include "tok_testlib.h"

static void
test_exact_bytes(void)
{
	uint8_t info[TOK_INFO_MAX], want[64];
	size_t len = 0;

	CHECK_INT(tok_info_build("alumni-readiness-2026", "営業", info, sizeof(info),
	                         &len), KOE_OK);
	CHECK_INT(len, 7 + 2 + 21 + 2 + 6);
	hex_fixture("00056b6f652f31"
	            "0015616c756d6e692d72656164696e6573732d32303236"
	            "0006e596b6e6a5ad", want, 38);
	CHECK_MEM(info, want, 38);

	/* An empty segment code is framed as a zero length. */
	CHECK_INT(tok_info_build("s", "", info, sizeof(info), &len), KOE_OK);
	CHECK_INT(len, 7 + 3 + 2);
	hex_fixture("00056b6f652f310001730000", want, 12);
	CHECK_MEM(info, want, 12);
}

static void
test_limits(void)
{
	uint8_t info[TOK_INFO_MAX];
	char sid[TOK_SURVEY_ID_MAX + 2], seg[TOK_SEGMENT_MAX + 2];
	size_t len = 0;

	memset(sid, 's', sizeof(sid));
	memset(seg, 'g', sizeof(seg));
	sid[TOK_SURVEY_ID_MAX] = '\0';
	seg[TOK_SEGMENT_MAX] = '\0';
	CHECK_INT(tok_info_build(sid, seg, info, sizeof(info), &len), KOE_OK);
	CHECK_INT(len, TOK_INFO_MAX);
	CHECK_INT(info[7], TOK_SURVEY_ID_MAX >> 8);
	CHECK_INT(info[8], TOK_SURVEY_ID_MAX & 0xFF);
	CHECK_INT(tok_info_build(sid, seg, info, TOK_INFO_MAX - 1, &len), KOE_ETOOBIG);

	sid[TOK_SURVEY_ID_MAX] = 's';
	sid[TOK_SURVEY_ID_MAX + 1] = '\0';
	CHECK_INT(tok_info_build(sid, "x", info, sizeof(info), &len), KOE_EINVAL);
	seg[TOK_SEGMENT_MAX] = 'g';
	seg[TOK_SEGMENT_MAX + 1] = '\0';
	CHECK_INT(tok_info_build("s", seg, info, sizeof(info), &len), KOE_EINVAL);
	CHECK_INT(tok_info_build("", "x", info, sizeof(info), &len), KOE_EINVAL);
}

static void
test_segment_key_takes_at_most_info_max(void)
{
	struct tok_survey_key key;
	struct tok_segment_key seg;
	static uint8_t big[TOK_INFO_MAX + 1];

	test_survey_key(&key, TEST_SURVEY);
	CHECK_INT(tok_segment_key_init(&seg, &key, big, TOK_INFO_MAX), KOE_OK);
	CHECK_INT(tok_segment_key_init(&seg, &key, big, TOK_INFO_MAX + 1), KOE_EINVAL);
	tok_segment_key_wipe(&seg);
	tok_survey_key_wipe(&key);
}

int
main(void)
{
	RUN(test_exact_bytes);
	RUN(test_limits);
	RUN(test_segment_key_takes_at_most_info_max);
	return harness_done();
}
