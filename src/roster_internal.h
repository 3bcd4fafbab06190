/* What the roster parser's files share: roster.c (header, rows, entry
 * points), roster_csv.c (the RFC 4180 tokenizer and columns) and
 * roster_decode.c (bytes to UTF-8 text). docs/ARCHITECTURE.md §6. Not a
 * public interface: only roster*.c include it. */
#ifndef KOE_ROSTER_INTERNAL_H
#define KOE_ROSTER_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "koe/diag.h"
#include "koe/err.h"
#include "koe/roster.h"

/* ---- parser state (roster.c owns it, roster_csv.c scans with it) ---- */

struct idslot; /* the duplicate-id table, roster.c's alone */

#define NO_COL SIZE_MAX

struct field {
	size_t pos;        /* first character after leading whitespace */
	size_t line_start; /* offset of the line pos is on */
	int line;
	int quoted;
	size_t vstart;     /* value, trimmed; inside the quotes when quoted */
	size_t vend;
	size_t ndq;        /* doubled quotes ("") inside [vstart, vend) */
};

struct record {
	int line;          /* physical line of its first character */
	size_t nf;         /* fields seen, possibly more than stored */
	int blank;         /* every field unquoted and empty */
	int broken;        /* a quoting error made its fields unreliable */
};

struct parse {
	const struct roster_limits *lim;
	struct koe_diags *d;
	size_t nerr;          /* diagnostics this parse added */
	enum koe_err fatal;   /* KOE_OK, or why parsing stopped early */

	const char *s;        /* UTF-8 text */
	size_t n;
	size_t i;             /* scan position */
	int line;             /* line of s[i] */
	size_t line_start;

	size_t cc_line_start; /* column cache, see roster_col_of() */
	size_t cc_pos;
	int cc_col;

	struct field *f;      /* fields of the current record */
	size_t fcap;

	const char *const *seg_names;
	size_t nseg;
	size_t ncols;         /* header columns */
	char **colname;       /* [ncols] trimmed header names, in the arena */
	size_t id_col, email_col, name_col;
	size_t *seg_col;      /* [nseg] */

	struct roster *r;
	size_t rows_cap;
	const char **segvals; /* [rows_cap * nseg] */
	struct idslot *tab;
	size_t tabcap;        /* power of two */
	size_t tabused;
};

/* Reports one error at line:col (hint may be NULL) and counts it. */
void roster_perr(struct parse *p, int line, int col, const char *hint, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Reports running out of memory, once, and stops the parse. */
void roster_oom(struct parse *p);

/* ---- the tokenizer (roster_csv.c) ---- */

/* Character column of pos on the line starting at line_start (0 once the
 * diagnostics list is full). */
int roster_col_of(struct parse *p, size_t line_start, size_t pos);
/* Column of a field's first character. */
int roster_field_col(struct parse *p, const struct field *fl);
/* Scans one record starting at s[i] into p->f (up to the column limit) and
 * rec, reporting quoting errors; leaves s[i] at the next record. */
void roster_scan_record(struct parse *p, struct record *rec);

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
