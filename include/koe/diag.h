/* koe — compiler-style diagnostics for files HR writes (questionnaires,
 * rosters).
 *
 * A parser appends every problem it finds to a koe_diags list instead of
 * stopping at the first one, so HR sees all errors of a file in one run.
 * Lines and columns are 1-based; columns count characters (UTF-8 code points),
 * not bytes, so they match what an editor shows for Japanese text. */
#ifndef KOE_DIAG_H
#define KOE_DIAG_H

#include <stddef.h>
#include <stdio.h>

#include "koe/err.h"

#define KOE_DIAGS_MAX 200 /* further errors are counted, not stored */

struct koe_diag {
	int line;      /* 1-based; 0 when the problem concerns the whole file */
	int col;       /* 1-based character column; 0 when unknown */
	char *message; /* owned; never NULL */
	char *hint;    /* owned; NULL when there is none */
	int warning;   /* 1: a warning (the file still loads), 0: an error */
};

struct koe_diags {
	struct koe_diag *v;
	size_t n;
	size_t cap;
	size_t dropped; /* errors beyond KOE_DIAGS_MAX */
	size_t nwarn;   /* entries of v that are warnings */
	size_t dropped_warn; /* warnings beyond KOE_DIAGS_MAX (counted in dropped) */
	int oom;        /* set when an allocation failed while recording */
};

/* Appends an error. hint may be NULL. The message is formatted with printf
 * rules. Never fails from the caller's point of view: on allocation failure
 * the list remembers it in ->oom. */
void koe_diags_add(struct koe_diags *d, int line, int col, const char *hint,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Appends a warning: something the parser changed or left out but that does
 * not stop the file from loading (HTML it does not show). Same rules as
 * koe_diags_add(). */
void koe_diags_warn(struct koe_diags *d, int line, int col, const char *hint,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The number of errors (not warnings) recorded, dropped ones included. */
size_t koe_diags_errors(const struct koe_diags *d);

/* Prints every diagnostic as "file:line:col: error: message (hint)", or
 * "warning:" for a warning. */
void koe_diags_print(const struct koe_diags *d, const char *file, FILE *out);

/* Frees what the list owns and resets it to empty. Accepts an empty list. */
void koe_diags_free(struct koe_diags *d);

/* Returns the candidate closest to word (case-insensitive edit distance) when
 * it is close enough to be a plausible typo, else NULL. The result is borrowed
 * from candidates. */
const char *koe_suggest(const char *word, const char *const *candidates, size_t n);

#endif
