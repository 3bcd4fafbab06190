/* Key holder files; see include/koe/holder.h for the format. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "koe/b64.h"
#include "koe/holder.h"
#include "koe/utf8.h"

enum koe_err
holder_format(const struct seal_holder *h, const char *survey, char *buf, size_t cap)
{
	char pub[64], salt[32], proof[100];
	int n;

	if (b64url_encode(pub, sizeof(pub), h->pub, SEAL_PK_BYTES) != KOE_OK ||
	    b64url_encode(salt, sizeof(salt), h->kdf.salt, SEAL_SALT_BYTES) != KOE_OK ||
	    b64url_encode(proof, sizeof(proof), h->proof, SEAL_PROOF_BYTES) != KOE_OK)
		return KOE_ETOOBIG;
	n = snprintf(buf, cap,
	             "# koe key holder: public part. Safe to send; it opens nothing.\n"
	             "# 鍵の保有者の公開部分です。送っても回答は読めません。\n"
	             "koe-holder: 1\n"
	             "survey: %s\n"
	             "name: %s\n"
	             "public: %s\n"
	             "salt: %s\n"
	             "kdf: %" PRIu64 " %" PRIu64 "\n"
	             "proof: %s\n",
	             survey, h->name, pub, salt, h->kdf.ops, h->kdf.mem, proof);
	return n > 0 && (size_t)n < cap ? KOE_OK : KOE_ETOOBIG;
}

static enum koe_err
fail(struct koe_msg *msg, int line, const char *what)
{
	if (line > 0)
		koe_msg_set(msg, KOE_OK, "line %d: %s", line, what);
	else
		koe_msg_set(msg, KOE_OK, "%s", what);
	return KOE_EINVAL;
}

enum koe_err
holder_parse(const char *text, size_t len, char survey[HOLDER_SURVEY_MAX],
             struct seal_holder *out, struct koe_msg *msg)
{
	enum { F_VERSION = 1, F_SURVEY = 2, F_NAME = 4, F_PUBLIC = 8, F_SALT = 16, F_KDF = 32,
	       F_PROOF = 64, F_ALL = 127 };
	int seen = 0, line = 0;
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	survey[0] = 0;
	if (len >= HOLDER_FILE_MAX * 4)
		return fail(msg, 0, "the file is far too large for a key holder's public part");
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		size_t end = pos, klen, vstart, vlen;
		char key[16], val[HOLDER_FILE_MAX];
		const char *colon;
		line++;
		while (end < len && text[end] != '\n')
			end++;
		size_t l = end - pos;
		if (l > 0 && text[pos + l - 1] == '\r')
			l--;
		const char *p = text + pos;
		pos = end + 1;
		if (l == 0 || p[0] == '#')
			continue;
		if ((colon = memchr(p, ':', l)) == NULL)
			return fail(msg, line, "expected 'field: value'");
		klen = (size_t)(colon - p);
		vstart = klen + 1;
		while (vstart < l && p[vstart] == ' ')
			vstart++;
		vlen = l - vstart;
		if (klen >= sizeof(key) || vlen >= sizeof(val))
			return fail(msg, line, "a field or value is too long");
		memcpy(key, p, klen);
		key[klen] = 0;
		memcpy(val, p + vstart, vlen);
		val[vlen] = 0;
		if (memchr(val, 0, vlen) != NULL)
			return fail(msg, line, "the value holds a NUL byte");
		if (strcmp(key, "koe-holder") == 0) {
			if (strcmp(val, "1") != 0)
				return fail(msg, line, "unknown version (this koe reads version 1)");
			seen |= F_VERSION;
		} else if (strcmp(key, "survey") == 0) {
			if (vlen == 0 || vlen >= HOLDER_SURVEY_MAX)
				return fail(msg, line, "the survey id is empty or too long");
			memcpy(survey, val, vlen + 1);
			seen |= F_SURVEY;
		} else if (strcmp(key, "name") == 0) {
			if (vlen == 0 || vlen > SEAL_NAME_MAX)
				return fail(msg, line, "the name is empty or longer than 64 bytes");
			if (!utf8_valid(val, vlen))
				return fail(msg, line, "the name is not valid UTF-8");
			memcpy(out->name, val, vlen + 1);
			seen |= F_NAME;
		} else if (strcmp(key, "public") == 0) {
			if (b64url_decode(out->pub, SEAL_PK_BYTES, val, vlen) != KOE_OK)
				return fail(msg, line, "'public' is not 32 bytes of base64url");
			seen |= F_PUBLIC;
		} else if (strcmp(key, "salt") == 0) {
			if (b64url_decode(out->kdf.salt, SEAL_SALT_BYTES, val, vlen) != KOE_OK)
				return fail(msg, line, "'salt' is not 16 bytes of base64url");
			seen |= F_SALT;
		} else if (strcmp(key, "kdf") == 0) {
			char *e1, *e2;
			unsigned long long ops = strtoull(val, &e1, 10), mem = strtoull(e1, &e2, 10);
			if (e1 == val || e2 == e1 || *e2 != 0 || ops == 0 || mem == 0)
				return fail(msg, line, "'kdf' must be two numbers: passes and bytes");
			out->kdf.ops = ops;
			out->kdf.mem = mem;
			seen |= F_KDF;
		} else if (strcmp(key, "proof") == 0) {
			if (b64url_decode(out->proof, SEAL_PROOF_BYTES, val, vlen) != KOE_OK)
				return fail(msg, line, "'proof' is not 64 bytes of base64url");
			seen |= F_PROOF;
		} else {
			return fail(msg, line, "unknown field");
		}
	}
	if (seen != F_ALL)
		return fail(msg, 0,
		            "this is not a whole key holder file (make it with 'koe holder')");
	return KOE_OK;
}
