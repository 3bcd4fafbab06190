/* koe — the one UTF-8 module: decoding, validation, counting, encoding.
 *
 * Every parser and writer that looks inside UTF-8 text goes through here, so
 * "well-formed" means the same thing everywhere: Unicode's definition (RFC
 * 3629), with no overlong forms, no surrogates (U+D800..U+DFFF) and nothing
 * above U+10FFFF. NUL is a well-formed character; callers that refuse it say
 * so themselves. Pure functions, no allocation, no locale. */
#ifndef KOE_UTF8_H
#define KOE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_MAX_LEN 4          /* bytes of the longest sequence */
#define UTF8_REPLACEMENT 0xFFFDu /* U+FFFD, what utf8_next() yields for bad bytes */

/* True for a continuation byte (10xxxxxx): one that never starts a character. */
static inline bool
utf8_is_cont(unsigned char b)
{
	return (b & 0xC0) == 0x80;
}

/* Decodes the character at s, of which n > 0 bytes may be read. Returns its
 * length (1..4) and sets *cp; returns 0 (and leaves *cp alone) when s does
 * not start a well-formed sequence: a continuation or invalid lead byte
 * (0x80..0xC1, 0xF5..0xFF), a missing continuation byte, a sequence cut off
 * by n, an overlong form, a surrogate or a code point above U+10FFFF. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* Like utf8_decode() but never fails, for code that must walk any bytes
 * (drawing text): a malformed sequence yields U+FFFD and length 1. */
size_t utf8_next(const char *s, size_t n, uint32_t *cp);

/* Length of the longest well-formed prefix of s[0..n): n when all of it is
 * UTF-8, else the offset of the first byte that does not start a
 * well-formed sequence. */
size_t utf8_valid_prefix(const char *s, size_t n);

/* True when all of s[0..n) is well-formed. */
bool utf8_valid(const char *s, size_t n);

/* Characters in s[0..n): the bytes that are not continuation bytes. Exact
 * for well-formed text; on other bytes it still terminates and never fails,
 * which is what a length limit or a column number needs. */
size_t utf8_count(const char *s, size_t n);

/* 1-based column of the character at byte offset off of a line starting at
 * s, counted in characters as an editor shows it: utf8_count(s, off) + 1. */
int utf8_col(const char *s, size_t off);

/* Writes the UTF-8 form of cp into out (room for UTF8_MAX_LEN bytes) and
 * returns its length; returns 0 and writes nothing for a surrogate or a
 * value above U+10FFFF. U+0000 is written as one NUL byte. */
size_t utf8_encode(uint32_t cp, char *out);

#endif
