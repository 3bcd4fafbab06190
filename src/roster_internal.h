/* What the roster parser's files share: roster.c (the CSV stage) and
 * roster_decode.c (bytes to UTF-8 text). docs/ARCHITECTURE.md §6. Not a
 * public interface: only roster*.c include it. */
#ifndef KOE_ROSTER_INTERNAL_H
#define KOE_ROSTER_INTERNAL_H

#include <stddef.h>

#include "koe/diag.h"
#include "koe/err.h"

/* malloc and realloc through the roster's fault injection (testhooks.h), so
 * test_roster_alloc_failure reaches every allocation of both stages. */
void *roster_malloc(size_t n);
void *roster_realloc(void *p, size_t n);

/* The hint for every encoding problem: how Excel saves CSV as UTF-8. */
extern const char roster_hint_save_as[];

/* Sets *text and *tlen to the input as UTF-8 without a BOM: the caller's
 * bytes when they are UTF-8, else a conversion from CP932 (Shift_JIS as
 * Windows writes it) into *owned, which the caller frees (NULL when
 * borrowing). Returns KOE_OK; or, after adding exactly one diagnostic,
 * KOE_EENCODING when the input is not usable text (UTF-16, neither UTF-8
 * nor CP932, a NUL byte) or KOE_ENOMEM. */
enum koe_err roster_decode(const char *bytes, size_t len, const char **text, size_t *tlen,
                           char **owned, struct koe_diags *d);

#endif
