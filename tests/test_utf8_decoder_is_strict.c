/* The one UTF-8 decoder (include/koe/utf8.h) accepts exactly RFC 3629's
 * well-formed sequences: every boundary of each length decodes, while
 * overlong forms, surrogates, values above U+10FFFF, stray continuation
 * bytes, invalid lead bytes and truncated sequences are refused; the
 * replacement walk, validation, counting and encoding agree with it.
 * Questionnaires, rosters and the report all rely on this (docs/ARCHITECTURE.md
 * §5, §6). */
#include <string.h>

#include "harness.h"
#include "koe/utf8.h"

/* Decodes the whole of s (len bytes); returns the code point, or -1 when
 * the decoder refuses it or stops short of len. */
static long
decode_all(const char *s, size_t len)
{
	uint32_t cp = 0xDEADu;
	size_t n = utf8_decode(s, len, &cp);
	if (n == 0) {
		CHECK(cp == 0xDEADu); /* left alone on refusal */
		return -1;
	}
	return n == len ? (long)cp : -1;
}

#define DEC(lit) decode_all(lit, sizeof(lit) - 1)

static void
valid_boundaries(void)
{
	CHECK_INT(decode_all("\0", 1), 0);
	CHECK_INT(DEC("A"), 0x41);
	CHECK_INT(DEC("\x7F"), 0x7F);
	CHECK_INT(DEC("\xC2\x80"), 0x80);
	CHECK_INT(DEC("\xDF\xBF"), 0x7FF);
	CHECK_INT(DEC("\xE0\xA0\x80"), 0x800);
	CHECK_INT(DEC("\xE3\x81\x82"), 0x3042); /* あ */
	CHECK_INT(DEC("\xED\x9F\xBF"), 0xD7FF);
	CHECK_INT(DEC("\xEE\x80\x80"), 0xE000);
	CHECK_INT(DEC("\xEF\xBF\xBD"), 0xFFFD);
	CHECK_INT(DEC("\xEF\xBF\xBF"), 0xFFFF);
	CHECK_INT(DEC("\xF0\x90\x80\x80"), 0x10000);
	CHECK_INT(DEC("\xF0\x9F\x98\x80"), 0x1F600);
	CHECK_INT(DEC("\xF4\x8F\xBF\xBF"), 0x10FFFF);
	/* Only the first character is decoded. */
	uint32_t cp;
	CHECK_INT(utf8_decode("\xE3\x81\x82X", 4, &cp), 3);
	CHECK_INT(cp, 0x3042);
}

static void
overlong(void)
{
	CHECK_INT(DEC("\xC0\x80"), -1);         /* U+0000 in two bytes */
	CHECK_INT(DEC("\xC1\xBF"), -1);         /* U+007F */
	CHECK_INT(DEC("\xE0\x80\x80"), -1);
	CHECK_INT(DEC("\xE0\x9F\xBF"), -1);     /* U+07FF in three */
	CHECK_INT(DEC("\xF0\x80\x80\x80"), -1);
	CHECK_INT(DEC("\xF0\x8F\xBF\xBF"), -1); /* U+FFFF in four */
}

static void
surrogates(void)
{
	CHECK_INT(DEC("\xED\xA0\x80"), -1); /* U+D800 */
	CHECK_INT(DEC("\xED\xAD\xBF"), -1); /* U+DB7F */
	CHECK_INT(DEC("\xED\xB0\x80"), -1); /* U+DC00 */
	CHECK_INT(DEC("\xED\xBF\xBF"), -1); /* U+DFFF */
	/* A CESU-8 pair for U+1F600 is two surrogates, not one character. */
	CHECK_INT(DEC("\xED\xA0\xBD\xED\xB8\x80"), -1);
}

static void
out_of_range(void)
{
	CHECK_INT(DEC("\xF4\x90\x80\x80"), -1); /* U+110000 */
	CHECK_INT(DEC("\xF4\xBF\xBF\xBF"), -1);
	CHECK_INT(DEC("\xF5\x80\x80\x80"), -1);
	CHECK_INT(DEC("\xF7\xBF\xBF\xBF"), -1);
	CHECK_INT(DEC("\xF8\x88\x80\x80\x80"), -1); /* old 5-byte form */
	CHECK_INT(DEC("\xFC\x84\x80\x80\x80\x80"), -1);
	CHECK_INT(DEC("\xFE"), -1);
	CHECK_INT(DEC("\xFF"), -1);
}

static void
truncated_and_stray(void)
{
	CHECK_INT(DEC("\x80"), -1);  /* continuation without a lead */
	CHECK_INT(DEC("\xBF"), -1);
	CHECK_INT(DEC("\xC2"), -1);
	CHECK_INT(DEC("\xE3\x81"), -1);
	CHECK_INT(DEC("\xF0\x9F\x98"), -1);
	/* The buffer's end counts even if the bytes after it would fit. */
	uint32_t cp;
	CHECK_INT(utf8_decode("\xE3\x81\x82", 2, &cp), 0);
	CHECK_INT(utf8_decode("A", 0, &cp), 0);
	/* A lead byte followed by a non-continuation byte. */
	CHECK_INT(DEC("\xC2\x41"), -1);
	CHECK_INT(DEC("\xE3\x41\x82"), -1);
	CHECK_INT(DEC("\xE3\x81\xC2"), -1);
	CHECK_INT(DEC("\xF0\x9F\x41\x80"), -1);
}

static void
replacement_walk(void)
{
	uint32_t cp;
	CHECK_INT(utf8_next("\xC0\x80", 2, &cp), 1);
	CHECK_INT(cp, UTF8_REPLACEMENT);
	CHECK_INT(utf8_next("\xED\xA0\x80", 3, &cp), 1);
	CHECK_INT(cp, UTF8_REPLACEMENT);
	CHECK_INT(utf8_next("\xE3\x81\x82", 3, &cp), 3);
	CHECK_INT(cp, 0x3042);
}

static void
validate_and_count(void)
{
	static const char ok[] = "a\xE3\x81\x82\xF0\x9F\x98\x80z";
	CHECK(utf8_valid(ok, sizeof(ok) - 1));
	CHECK(utf8_valid("", 0));
	CHECK(utf8_valid("a\0b", 3));
	CHECK_INT(utf8_valid_prefix("ab\xC0\x80", 4), 2);
	CHECK_INT(utf8_valid_prefix("\xE3\x81\x82\xE3\x81", 5), 3);
	CHECK_INT(utf8_valid_prefix("\xED\xA0\x80", 3), 0);
	CHECK(!utf8_valid("\xF4\x90\x80\x80", 4));
	CHECK_INT(utf8_count(ok, sizeof(ok) - 1), 4);
	CHECK_INT(utf8_count("", 0), 0);
	/* Columns: the character at byte 4 (after "a" and "あ") is column 3. */
	CHECK_INT(utf8_col(ok, 0), 1);
	CHECK_INT(utf8_col(ok, 4), 3);
	CHECK(utf8_is_cont(0x80) && utf8_is_cont(0xBF));
	CHECK(!utf8_is_cont(0x7F) && !utf8_is_cont(0xC0));
}

static void
encode_round_trip(void)
{
	static const uint32_t cps[] = {0, 0x41, 0x7F, 0x80, 0x7FF, 0x800, 0x3042,
	                               0xD7FF, 0xE000, 0xFFFF, 0x10000, 0x10FFFF};
	for (size_t i = 0; i < sizeof(cps) / sizeof(cps[0]); i++) {
		char buf[UTF8_MAX_LEN];
		uint32_t back = 0;
		size_t n = utf8_encode(cps[i], buf);
		CHECK(n >= 1 && n <= UTF8_MAX_LEN);
		CHECK_INT(utf8_decode(buf, n, &back), n);
		CHECK_INT(back, cps[i]);
	}
	char buf[UTF8_MAX_LEN];
	CHECK_INT(utf8_encode(0xD800, buf), 0);
	CHECK_INT(utf8_encode(0xDFFF, buf), 0);
	CHECK_INT(utf8_encode(0x110000, buf), 0);
}

int
main(void)
{
	RUN(valid_boundaries);
	RUN(overlong);
	RUN(surrogates);
	RUN(out_of_range);
	RUN(truncated_and_stray);
	RUN(replacement_walk);
	RUN(validate_and_count);
	RUN(encode_round_trip);
	return harness_done();
}
