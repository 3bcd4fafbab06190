/* koe — roster files: the CSV list of employees HR exports from Excel.
 *
 * roster_parse() is a pure function: bytes in, struct out, no file I/O. It
 * accepts what Excel writes (docs/ARCHITECTURE.md §6):
 *
 *   - encoding: UTF-8 with or without BOM, or Shift_JIS as Japanese Excel
 *     saves it (read as CP932, Microsoft's superset, through glibc iconv). A
 *     file that is valid UTF-8 is UTF-8; otherwise it is converted from
 *     CP932; a file starting with a UTF-8 BOM is never reinterpreted.
 *   - line ends: CRLF, LF or a lone CR (old Mac Excel); the last line may
 *     lack one.
 *   - RFC 4180 quoting: "a, b", "say ""hi""", and line breaks inside quotes
 *     (kept as they are in the file).
 *
 * Header names are matched ASCII-case-insensitively. Surrounding whitespace
 * (space, tab, U+00A0 and the ideographic space U+3000) is trimmed from every
 * header name and every value, quoted or not: no roster value has meaningful
 * surrounding spaces, and an invisible trailing space would otherwise split
 * one department into two segments or make an employee id unfindable.
 * Whitespace between a closing quote and the next comma is ignored too.
 *
 * Columns: employee_id is required; email and name are optional; every
 * segment column the caller names is required. Other columns are ignored:
 * their values are not checked for length, and their names may repeat.
 * Records that are entirely empty (blank lines, or rows of bare commas that
 * Excel writes for formatted but empty rows) are skipped; the first other
 * record is the header, and at least one row must follow it. Segment values
 * may not be empty nor "*", which koe reserves for merged groups (seg.h).
 * Text after a closing quote (a quote that should have been doubled) is an
 * error, while a quote inside an unquoted value is taken literally, as Excel
 * does. A record with the wrong number of fields, or broken quoting, is
 * reported as such and its values are not checked further.
 *
 * Errors are collected, not stopped at: one call reports every problem of the
 * file into a koe_diags list, each with the physical line the record starts
 * on (or, for a problem with one value, the line and character column of that
 * value's first character). A file with any error yields no roster. */
#ifndef KOE_ROSTER_H
#define KOE_ROSTER_H

#include <stddef.h>

#include "koe/arena.h"
#include "koe/diag.h"
#include "koe/err.h"

/* Default hard limits, used by roster_parse(). */
#define ROSTER_MAX_BYTES ((size_t)64 * 1024 * 1024) /* input file size */
#define ROSTER_MAX_ROWS  ((size_t)1000000)          /* data rows */
#define ROSTER_MAX_FIELD ((size_t)1024)             /* bytes of a value koe reads */
#define ROSTER_MAX_COLS  ((size_t)256)              /* columns in the header */

struct roster_limits {
	size_t max_bytes; /* longer input: KOE_ETOOBIG before anything is read */
	size_t max_rows;  /* more data rows: KOE_ETOOBIG, parsing stops */
	size_t max_field; /* longer value (after unquoting and trimming): an
	                     ordinary error, parsing goes on */
	size_t max_cols;  /* more header columns: KOE_ETOOBIG, parsing stops */
};

struct roster_row {
	const char *employee_id;     /* never NULL nor empty; unique in the roster */
	const char *email;           /* never NULL; "" when absent or empty */
	const char *name;            /* never NULL; "" when absent or empty */
	const char *const *segments; /* [nsegments], in the order asked for;
	                                never empty, never "*"; NULL when
	                                nsegments is 0 */
	int line;                    /* physical line the record starts on */
};

struct roster {
	size_t nrows;
	struct roster_row *rows;           /* [nrows], in file order */
	size_t nsegments;
	const char *const *segment_names;  /* [nsegments], copies of the names
	                                      asked for; NULL when none */
	const char *const *segment_values; /* [nrows * nsegments], row-major: the
	                                      block rows[i].segments point into,
	                                      laid out as seg_build() takes it;
	                                      NULL when nsegments is 0 */
	int has_email;                     /* the header has an email column */
	int has_name;                      /* the header has a name column */
	struct arena arena;                /* owns every string above */
};

/* Parses a roster with the default limits (ROSTER_MAX_*).
 *
 * bytes/len: the whole file, borrowed for the duration of the call; it need
 * not be NUL-terminated. segment_cols: nsegments column names the survey uses
 * as segments, borrowed (may be NULL when nsegments is 0). diags: an
 * initialized list (zeroed is fine) that receives every error found; the
 * caller frees it with koe_diags_free().
 *
 * Returns KOE_OK and sets *out to a roster the caller frees with
 * roster_free(); all of its strings live until then. Otherwise sets *out to
 * NULL, appends at least one diagnostic (unless memory ran out) and returns:
 * KOE_EINVAL for errors in the data, KOE_EENCODING when the bytes are neither
 * UTF-8 nor Shift_JIS, KOE_ETOOBIG when a hard limit stopped the parse,
 * KOE_ENOMEM when an allocation failed. */
enum koe_err roster_parse(const char *bytes, size_t len,
                          const char *const *segment_cols, size_t nsegments,
                          struct roster **out, struct koe_diags *diags);

/* Same as roster_parse() with explicit limits; limits is borrowed, and NULL
 * means the defaults. A zero member also means its default. */
enum koe_err roster_parse_limits(const char *bytes, size_t len,
                                 const char *const *segment_cols, size_t nsegments,
                                 const struct roster_limits *limits,
                                 struct roster **out, struct koe_diags *diags);

/* Frees a roster and every string it owns. Accepts NULL. */
void roster_free(struct roster *r);

#endif
