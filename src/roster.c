/* Roster CSV parser: see include/koe/roster.h for the accepted format.
 *
 * The work is done in two stages. roster_decode() (roster_decode.c) turns the
 * input into UTF-8 text (borrowing the caller's bytes when they already are
 * UTF-8, converting from CP932 otherwise). The CSV stage then scans that text
 * once, record by record (roster_csv.c); each record's fields are kept as
 * offsets into the text, and this file checks the header and the rows and
 * copies only the values koe uses, unquoted, into the roster's arena. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "koe/arena.h"
#include "koe/roster.h"
#include "koe/testhooks.h"
#include "koe/utf8.h"
#include "roster_internal.h"

void *
roster_malloc(size_t n)
{
	if (TESTHOOK_FAIL(roster)) /* test builds only: testhooks.h */
		return NULL;
	return malloc(n);
}

void *
roster_realloc(void *p, size_t n)
{
	if (TESTHOOK_FAIL(roster)) /* test builds only: testhooks.h */
		return NULL;
	return realloc(p, n);
}

/* Strings of a roster come from its arena (include/koe/arena.h); this
 * wrapper lets the roster's fault injection reach those allocations too. */
static char *
roster_strbuf(struct roster *r, size_t n)
{
	if (TESTHOOK_FAIL(roster)) /* test builds only: testhooks.h */
		return NULL;
	return arena_alloc(&r->arena, n);
}

/* ---- text helpers ---- */

#define SHOW_MAX 48

/* Copies s into out (at least SHOW_MAX + 4 bytes) for a message: at most
 * SHOW_MAX bytes cut at a character boundary, "..." when cut, and control
 * characters (a line break inside quotes) shown as spaces. */
static const char *
show(char *out, const char *s)
{
	size_t i = 0, o = 0;

	while (s[i] != '\0') {
		size_t clen = 1;
		unsigned char c = (unsigned char)s[i];

		while (s[i + clen] != '\0' && utf8_is_cont((unsigned char)s[i + clen]))
			clen++;
		if (o + clen > SHOW_MAX) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c == 0x7F) {
			out[o++] = ' ';
		} else {
			memcpy(out + o, s + i, clen);
			o += clen;
		}
		i += clen;
	}
	out[o] = '\0';
	return out;
}

/* ASCII case-insensitive equality; header names are matched this way so that
 * "Employee_ID" works, without depending on the process locale. */
static int
name_eq(const char *a, const char *b)
{
	for (;; a++, b++) {
		unsigned char x = (unsigned char)*a, y = (unsigned char)*b;
		if (x >= 'A' && x <= 'Z')
			x = (unsigned char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (unsigned char)(y - 'A' + 'a');
		if (x != y)
			return 0;
		if (x == '\0')
			return 1;
	}
}

/* ---- parser state ---- */

struct idslot {
	uint64_t hash;
	size_t row; /* index + 1 into rows; 0 marks an empty slot */
};

void
roster_perr(struct parse *p, int line, int col, const char *hint, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	koe_diags_add(p->d, line, col, hint, "%s", buf);
	p->nerr++;
}

void
roster_oom(struct parse *p)
{
	if (p->fatal != KOE_ENOMEM)
		roster_perr(p, 0, 0, NULL, "out of memory while reading the roster");
	p->fatal = KOE_ENOMEM;
}

static size_t
field_len(const struct field *fl)
{
	return fl->vend - fl->vstart - fl->ndq;
}

/* Copies a field's value into the arena, undoubling quotes. Returns NULL when
 * memory runs out. */
static char *
field_copy(struct parse *p, const struct field *fl)
{
	char *v = roster_strbuf(p->r, field_len(fl) + 1);
	size_t o = 0;

	if (v == NULL) {
		roster_oom(p);
		return NULL;
	}
	if (fl->ndq == 0) {
		memcpy(v, p->s + fl->vstart, fl->vend - fl->vstart);
		o = fl->vend - fl->vstart;
	} else {
		for (size_t j = fl->vstart; j < fl->vend; j++) {
			v[o++] = p->s[j];
			/* Inside quotes a quote only occurs doubled. */
			if (p->s[j] == '"')
				j++;
		}
	}
	v[o] = '\0';
	return v;
}

/* ---- header ---- */

/* Writes "columns found: a, b, c" into hint (size bytes), shortened with
 * "..." when the header is wide. */
static void
columns_found(const struct parse *p, char *hint, size_t size)
{
	size_t o = (size_t)snprintf(hint, size, "columns found:");
	int any = 0;

	for (size_t j = 0; j < p->ncols; j++) {
		char shown[SHOW_MAX + 4];
		int w;

		if (p->colname[j][0] == '\0')
			continue;
		show(shown, p->colname[j]);
		if (o + strlen(shown) + 8 >= size) {
			snprintf(hint + o, size - o, ", ...");
			return;
		}
		w = snprintf(hint + o, size - o, "%s%s", any ? ", " : " ", shown);
		o += (size_t)w;
		any = 1;
	}
	if (!any)
		snprintf(hint + o, size - o, " none");
}

/* Reports a required column that the header lacks, with the columns it does
 * have and the likeliest misspelling among them. */
static void
missing_column(struct parse *p, int line, const char *want, const char *why)
{
	/* found leaves room for the misspelling note, so hint never truncates. */
	char hint[512], found[400];
	char shown[SHOW_MAX + 4], sugg[SHOW_MAX + 4];
	const char *s;

	columns_found(p, found, sizeof(found));
	s = koe_suggest(want, (const char *const *)p->colname, p->ncols);
	if (p->ncols == 1 && strpbrk(p->colname[0], "\t;") != NULL)
		snprintf(hint, sizeof(hint), "the header is one single column, so the "
		         "file seems to be separated by tabs or semicolons, not "
		         "commas; %s", roster_hint_save_as);
	else if (s != NULL)
		snprintf(hint, sizeof(hint), "is '%s' a misspelling? %s", show(sugg, s),
		         found);
	else
		snprintf(hint, sizeof(hint), "%s", found);
	roster_perr(p, line, 1, hint, "the header has no '%s' column%s", show(shown, want),
	     why);
}

static int
is_known_column(const struct parse *p, const char *name)
{
	if (name_eq(name, "employee_id") || name_eq(name, "email") ||
	    name_eq(name, "name"))
		return 1;
	for (size_t s = 0; s < p->nseg; s++)
		if (name_eq(name, p->seg_names[s]))
			return 1;
	return 0;
}

/* Maps the header's columns to what koe reads. Returns 0 when parsing must
 * stop (too many columns, a broken header, out of memory). */
static int
read_header(struct parse *p, const struct record *rec)
{
	if (rec->broken)
		return 0;
	if (rec->nf > p->lim->max_cols) {
		roster_perr(p, rec->line, 1, "remove the columns koe does not need",
		     "the header has %zu columns; at most %zu are supported",
		     rec->nf, p->lim->max_cols);
		p->fatal = KOE_ETOOBIG;
		return 0;
	}
	p->ncols = rec->nf;
	p->colname = roster_malloc(p->ncols * sizeof(*p->colname));
	if (p->colname == NULL) {
		roster_oom(p);
		return 0;
	}
	for (size_t j = 0; j < p->ncols; j++) {
		p->colname[j] = field_copy(p, &p->f[j]);
		if (p->colname[j] == NULL)
			return 0;
	}

	for (size_t j = 0; j < p->ncols; j++) {
		const char *nm = p->colname[j];
		char shown[SHOW_MAX + 4];
		size_t k;

		if (nm[0] == '\0' || !is_known_column(p, nm))
			continue;
		for (k = 0; k < j; k++)
			if (name_eq(p->colname[k], nm))
				break;
		if (k < j) {
			roster_perr(p, p->f[j].line, roster_field_col(p, &p->f[j]), NULL,
			     "duplicate column name '%s' (same as column %zu)",
			     show(shown, nm), k + 1);
			continue;
		}
		if (name_eq(nm, "employee_id"))
			p->id_col = j;
		if (name_eq(nm, "email"))
			p->email_col = j;
		if (name_eq(nm, "name"))
			p->name_col = j;
		for (size_t s = 0; s < p->nseg; s++)
			if (name_eq(nm, p->seg_names[s]))
				p->seg_col[s] = j;
	}

	if (p->id_col == NO_COL)
		missing_column(p, rec->line, "employee_id", "");
	for (size_t s = 0; s < p->nseg; s++)
		if (p->seg_col[s] == NO_COL)
			missing_column(p, rec->line, p->seg_names[s],
			               ", which the survey uses as a segment");
	return 1;
}

/* ---- rows ---- */

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325u; /* FNV-1a */

	for (; *s != '\0'; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3u;
	}
	return h;
}

static int
tab_grow(struct parse *p)
{
	size_t cap = p->tabcap ? p->tabcap * 2 : 1024;
	struct idslot *t = roster_malloc(cap * sizeof(*t));

	if (t == NULL) {
		roster_oom(p);
		return 0;
	}
	memset(t, 0, cap * sizeof(*t));
	for (size_t k = 0; k < p->tabcap; k++) {
		size_t j;

		if (p->tab[k].row == 0)
			continue;
		for (j = p->tab[k].hash & (cap - 1); t[j].row != 0; j = (j + 1) & (cap - 1))
			;
		t[j] = p->tab[k];
	}
	free(p->tab);
	p->tab = t;
	p->tabcap = cap;
	return 1;
}

/* Returns the row that already has this id, or NULL after recording that row
 * index now has it. */
static const struct roster_row *
id_seen(struct parse *p, const char *id, size_t row)
{
	uint64_t h = hash_str(id);
	size_t j;

	if ((p->tabused + 1) * 2 > p->tabcap && !tab_grow(p))
		return NULL;
	for (j = h & (p->tabcap - 1); p->tab[j].row != 0; j = (j + 1) & (p->tabcap - 1)) {
		const struct roster_row *other = &p->r->rows[p->tab[j].row - 1];
		if (p->tab[j].hash == h && strcmp(other->employee_id, id) == 0)
			return other;
	}
	p->tab[j].hash = h;
	p->tab[j].row = row + 1;
	p->tabused++;
	return NULL;
}

static int
rows_reserve(struct parse *p)
{
	struct roster *r = p->r;
	size_t cap;
	struct roster_row *rows;
	const char **sv;

	if (r->nrows < p->rows_cap)
		return 1;
	cap = p->rows_cap ? p->rows_cap * 2 : 256;
	rows = roster_realloc(r->rows, cap * sizeof(*rows));
	if (rows == NULL) {
		roster_oom(p);
		return 0;
	}
	r->rows = rows;
	if (p->nseg > 0) {
		sv = roster_realloc(p->segvals, cap * p->nseg * sizeof(*sv));
		if (sv == NULL) {
			roster_oom(p);
			return 0;
		}
		p->segvals = sv;
	}
	p->rows_cap = cap;
	return 1;
}

/* Checks the length and characters of a value koe reads. Returns 1 when it
 * fits. Line breaks and tabs are kept in names only: a quoted line break is
 * valid CSV and a name goes no further than the mail-merge file. */
static int
fits(struct parse *p, const struct field *fl, size_t col)
{
	int is_name = col == p->name_col;
	char shown[SHOW_MAX + 4];
	size_t len = field_len(fl);

	if (len > p->lim->max_field) {
		roster_perr(p, fl->line, roster_field_col(p, fl), NULL,
		     "value of column '%s' is too long (%zu bytes; at most %zu)",
		     show(shown, p->colname[col]), len, p->lim->max_field);
		return 0;
	}
	/* Control characters (C0, DEL, C1) in an id, an address or a segment
	 * value would break a mail header, the page or the report; a line break
	 * inside a quoted value is usually an Alt+Enter typed into an Excel cell. */
	for (size_t j = fl->vstart, clen; j < fl->vend; j += clen) {
		uint32_t cp;
		/* The text is valid UTF-8 (roster_decode), so this walks characters. */
		clen = utf8_next(p->s + j, fl->vend - j, &cp);
		if (is_name && (cp == '\n' || cp == '\r' || cp == '\t'))
			continue;
		if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
			roster_perr(p, fl->line, roster_field_col(p, fl),
			     cp == 0x0A || cp == 0x0D ? "a line break inside a cell (Alt+Enter in Excel)"
			                              : NULL,
			     "value of column '%s' contains the control character U+%04X",
			     show(shown, p->colname[col]), (unsigned)cp);
			return 0;
		}
	}
	return 1;
}

/* Validates one data record that has the header's number of fields and,
 * when its employee_id is usable, appends it to the roster. Rows are kept even
 * after errors elsewhere so that every duplicate id is still found; the other
 * values are only copied while the roster can still be returned. */
static void
read_row(struct parse *p, const struct record *rec)
{
	struct roster *r = p->r;
	struct roster_row row;
	char shown[SHOW_MAX + 4];
	int keep = p->id_col != NO_COL;

	memset(&row, 0, sizeof(row));
	row.line = rec->line;
	row.email = "";
	row.name = "";

	if (keep) {
		const struct field *idf = &p->f[p->id_col];
		const struct roster_row *other;

		if (field_len(idf) == 0) {
			roster_perr(p, idf->line, roster_field_col(p, idf), NULL, "employee_id is empty");
			keep = 0;
		} else if (!fits(p, idf, p->id_col)) {
			keep = 0;
		} else {
			if (!rows_reserve(p))
				return;
			row.employee_id = field_copy(p, idf);
			if (row.employee_id == NULL)
				return;
			other = id_seen(p, row.employee_id, r->nrows);
			if (p->fatal != KOE_OK)
				return;
			if (other != NULL) {
				roster_perr(p, idf->line, roster_field_col(p, idf), NULL,
				     "duplicate employee_id '%s' (first seen on line %d)",
				     show(shown, row.employee_id), other->line);
				keep = 0;
			}
		}
	}

	if (p->email_col != NO_COL && fits(p, &p->f[p->email_col], p->email_col) &&
	    p->nerr == 0) {
		row.email = field_copy(p, &p->f[p->email_col]);
		if (row.email == NULL)
			return;
	}
	if (p->name_col != NO_COL && fits(p, &p->f[p->name_col], p->name_col) &&
	    p->nerr == 0) {
		row.name = field_copy(p, &p->f[p->name_col]);
		if (row.name == NULL)
			return;
	}
	for (size_t s = 0; s < p->nseg; s++) {
		const struct field *sf;
		const char *v = "";

		if (p->seg_col[s] == NO_COL)
			continue;
		sf = &p->f[p->seg_col[s]];
		if (field_len(sf) == 0) {
			roster_perr(p, sf->line, roster_field_col(p, sf), NULL,
			     "missing value for segment column '%s'",
			     show(shown, p->colname[p->seg_col[s]]));
		} else if (!fits(p, sf, p->seg_col[s])) {
			/* reported by fits() */
		} else if (field_len(sf) == 1 && p->s[sf->vstart] == '*') {
			roster_perr(p, sf->line, roster_field_col(p, sf),
			     "koe writes '*' for small groups merged to keep answers anonymous",
			     "'*' cannot be a value of segment column '%s'",
			     show(shown, p->colname[p->seg_col[s]]));
		} else if (p->nerr == 0) {
			v = field_copy(p, sf);
			if (v == NULL)
				return;
		}
		if (keep)
			p->segvals[r->nrows * p->nseg + s] = v;
	}
	if (keep)
		r->rows[r->nrows++] = row;
}

/* ---- entry points ---- */

/* Writes "the first row names the columns, e.g. employee_id,email,..." for
 * an empty file, with the survey's segment columns. */
static void
example_header(const struct parse *p, char *hint, size_t size)
{
	size_t o = (size_t)snprintf(hint, size,
	                            "the first row names the columns, e.g. "
	                            "employee_id,email,name");

	for (size_t s = 0; s < p->nseg; s++) {
		char shown[SHOW_MAX + 4];

		/* Stop whole names short of the end rather than let snprintf
		 * cut a character in half. */
		show(shown, p->seg_names[s]);
		if (o + strlen(shown) + 5 >= size) {
			snprintf(hint + o, size - o, ",...");
			return;
		}
		o += (size_t)snprintf(hint + o, size - o, ",%s", shown);
	}
}

/* Hands the parsed rows over to the roster: points every row at its segment
 * values and copies the segment names asked for. Returns 0 on allocation
 * failure. */
static int
finish(struct parse *p)
{
	struct roster *r = p->r;
	const char **names;

	r->nsegments = p->nseg;
	r->has_email = p->email_col != NO_COL;
	r->has_name = p->name_col != NO_COL;
	r->segment_values = p->segvals;
	p->segvals = NULL;
	for (size_t k = 0; k < r->nrows; k++)
		r->rows[k].segments = p->nseg ? r->segment_values + k * p->nseg : NULL;
	if (p->nseg == 0)
		return 1;
	names = roster_malloc(p->nseg * sizeof(*names));
	if (names == NULL)
		return 0;
	r->segment_names = names;
	for (size_t s = 0; s < p->nseg; s++) {
		size_t len = strlen(p->seg_names[s]);
		char *copy = roster_strbuf(r, len + 1);

		if (copy == NULL)
			return 0;
		memcpy(copy, p->seg_names[s], len + 1);
		names[s] = copy;
	}
	return 1;
}

/* Parses the header and every record of the decoded text. Errors are left in
 * p->nerr and p->fatal. */
static void
parse_text(struct parse *p)
{
	struct record rec;
	size_t nrecords = 0;
	int have_header = 0;
	char hint[512];

	while (p->i < p->n && p->fatal == KOE_OK) {
		roster_scan_record(p, &rec);
		if (!rec.blank) {
			have_header = 1;
			break;
		}
	}
	if (p->fatal != KOE_OK)
		return;
	if (!have_header) {
		example_header(p, hint, sizeof(hint));
		roster_perr(p, 0, 0, hint, "the file is empty; a roster needs a header row");
		return;
	}
	if (!read_header(p, &rec))
		return;

	while (p->i < p->n && p->fatal == KOE_OK) {
		roster_scan_record(p, &rec);
		if (p->fatal != KOE_OK || rec.blank)
			continue;
		if (++nrecords > p->lim->max_rows) {
			roster_perr(p, rec.line, 1, "split the roster or remove rows that are not employees",
			     "too many rows: at most %zu are supported", p->lim->max_rows);
			p->fatal = KOE_ETOOBIG;
			return;
		}
		if (rec.broken)
			continue;
		if (rec.nf != p->ncols) {
			roster_perr(p, rec.line, 1,
			     rec.nf > p->ncols ? "a value that contains a comma must be "
			                         "enclosed in double quotes" : NULL,
			     "expected %zu fields as in the header, got %zu", p->ncols,
			     rec.nf);
			continue;
		}
		read_row(p, &rec);
	}
	if (p->fatal == KOE_OK && nrecords == 0)
		roster_perr(p, 0, 0, NULL, "the roster has a header but no rows");
}

enum koe_err
roster_parse_limits(const char *bytes, size_t len,
                    const char *const *segment_cols, size_t nsegments,
                    const struct roster_limits *limits, struct roster **out,
                    struct koe_diags *diags)
{
	struct roster_limits lim = {ROSTER_MAX_BYTES, ROSTER_MAX_ROWS,
	                            ROSTER_MAX_FIELD, ROSTER_MAX_COLS};
	struct parse p;
	char *owned = NULL;
	enum koe_err err;

	*out = NULL;
	if (limits != NULL) {
		if (limits->max_bytes)
			lim.max_bytes = limits->max_bytes;
		if (limits->max_rows)
			lim.max_rows = limits->max_rows;
		if (limits->max_field)
			lim.max_field = limits->max_field;
		if (limits->max_cols)
			lim.max_cols = limits->max_cols;
	}
	memset(&p, 0, sizeof(p));
	p.lim = &lim;
	p.d = diags;
	p.line = 1;
	p.cc_col = 1;
	p.seg_names = segment_cols;
	p.nseg = nsegments;
	p.id_col = p.email_col = p.name_col = NO_COL;

	if (len > lim.max_bytes) {
		roster_perr(&p, 0, 0, "split the roster or remove columns koe does not need",
		     "the file is too large (%zu bytes; at most %zu)", len, lim.max_bytes);
		p.fatal = KOE_ETOOBIG;
		goto done;
	}
	p.r = roster_malloc(sizeof(*p.r));
	if (p.r == NULL) {
		roster_oom(&p);
		goto done;
	}
	memset(p.r, 0, sizeof(*p.r));
	p.seg_col = roster_malloc((nsegments + 1) * sizeof(*p.seg_col));
	if (p.seg_col == NULL) {
		roster_oom(&p);
		goto done;
	}
	for (size_t s = 0; s < nsegments; s++)
		p.seg_col[s] = NO_COL;

	p.fatal = roster_decode(bytes, len, &p.s, &p.n, &owned, diags);
	if (p.fatal != KOE_OK) {
		p.nerr++;
		goto done;
	}
	parse_text(&p);
	if (p.fatal == KOE_OK && p.nerr == 0) {
		if (finish(&p)) {
			*out = p.r;
			p.r = NULL;
		} else {
			roster_oom(&p);
		}
	}
done:
	err = p.fatal != KOE_OK ? p.fatal : p.nerr > 0 ? KOE_EINVAL : KOE_OK;
	roster_free(p.r);
	free(p.segvals);
	free(p.tab);
	free(p.f);
	free(p.colname);
	free(p.seg_col);
	free(owned);
	return err;
}

enum koe_err
roster_parse(const char *bytes, size_t len, const char *const *segment_cols,
             size_t nsegments, struct roster **out, struct koe_diags *diags)
{
	return roster_parse_limits(bytes, len, segment_cols, nsegments, NULL, out,
	                           diags);
}

void
roster_free(struct roster *r)
{
	if (r == NULL)
		return;
	free(r->rows);
	free((void *)r->segment_names);
	free((void *)r->segment_values);
	arena_free(&r->arena);
	free(r);
}

