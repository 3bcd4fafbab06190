/* koe — the key holder's public part as a small text file
 * (docs/ARCHITECTURE.md §4.1).
 *
 * A holder makes it on their own machine with `koe holder` and sends it to
 * whoever runs `koe open`; it opens nothing and can travel by e-mail:
 *
 *   # koe key holder: public part. Safe to send; it opens nothing.
 *   koe-holder: 1
 *   survey: alumni-readiness-2026
 *   name: 従業員代表 佐藤
 *   public: <base64url, 32 bytes>
 *   salt: <base64url, 16 bytes>
 *   kdf: <Argon2id passes> <memory bytes>
 *   proof: <base64url, 64 bytes>
 *
 * Lines starting with '#' and blank lines are ignored; CRLF is accepted. */
#ifndef KOE_HOLDER_H
#define KOE_HOLDER_H

#include <stddef.h>

#include "koe/err.h"
#include "koe/seal.h"

#define HOLDER_FILE_MAX 2048 /* bytes of a well-formed file, with room */
#define HOLDER_SURVEY_MAX 128

/* Writes h for survey into buf (cap bytes, HOLDER_FILE_MAX is enough). */
enum koe_err holder_format(const struct seal_holder *h, const char *survey, char *buf,
                           size_t cap);

/* Parses a file's text (len bytes). On KOE_EINVAL writes what is wrong, with
 * the line number, into msg. The proof is not checked here: call
 * seal_holder_verify() with the survey it must belong to. */
enum koe_err holder_parse(const char *text, size_t len, char survey[HOLDER_SURVEY_MAX],
                          struct seal_holder *out, struct koe_msg *msg);

#endif
