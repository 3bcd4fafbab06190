/* Roster parser: the CSV tokenizer. Splits UTF-8 text into records and
 * fields as RFC 4180 and Excel have them (CRLF, LF or a lone CR; quotes
 * doubled inside quoted values), trims spaces, tabs, U+00A0 and U+3000
 * around values, and counts columns in characters for messages. Fields are
 * offsets into the text; roster.c copies the values it keeps.
 * docs/ARCHITECTURE.md §6. */
#include <stdlib.h>
#include <string.h>

#include "koe/utf8.h"
#include "roster_internal.h"

/* Byte length of the whitespace character at s[i] (space, tab, U+00A0 or
 * U+3000), or 0 when s[i] starts anything else. */
static size_t
ws_at(const char *s, size_t n, size_t i)
{
	const unsigned char *u = (const unsigned char *)s;

	if (i >= n)
		return 0;
	if (u[i] == ' ' || u[i] == '\t')
		return 1;
	if (u[i] == 0xC2 && i + 1 < n && u[i + 1] == 0xA0)
		return 2;
	if (u[i] == 0xE3 && i + 2 < n && u[i + 1] == 0x80 && u[i + 2] == 0x80)
		return 3;
	return 0;
}

/* Byte length of the whitespace character ending just before s[end], looking
 * no further back than s[start]. The text is valid UTF-8, so a lead byte
 * found there really starts that character. */
static size_t
ws_before(const char *s, size_t start, size_t end)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = end - start;

	if (len >= 1 && (u[end - 1] == ' ' || u[end - 1] == '\t'))
		return 1;
	if (len >= 2 && u[end - 2] == 0xC2 && u[end - 1] == 0xA0)
		return 2;
	if (len >= 3 && u[end - 3] == 0xE3 && u[end - 2] == 0x80 && u[end - 1] == 0x80)
		return 3;
	return 0;
}

/* Character column of pos on the line starting at line_start. Consecutive
 * calls on one line continue from the previous answer, so reporting many
 * errors on a very long line stays linear; once the diagnostics list is full
 * nobody will see the column, so it is not computed at all. */
int
roster_col_of(struct parse *p, size_t line_start, size_t pos)
{
	if (p->d->n >= KOE_DIAGS_MAX)
		return 0;
	if (line_start != p->cc_line_start || pos < p->cc_pos) {
		p->cc_line_start = line_start;
		p->cc_pos = line_start;
		p->cc_col = 1;
	}
	p->cc_col += (int)utf8_count(p->s + p->cc_pos, pos - p->cc_pos);
	p->cc_pos = pos;
	return p->cc_col;
}

int
roster_field_col(struct parse *p, const struct field *fl)
{
	return roster_col_of(p, fl->line_start, fl->pos);
}

/* Consumes the line break at s[i] (CRLF, LF or CR). */
static void
newline(struct parse *p)
{
	if (p->s[p->i] == '\r' && p->i + 1 < p->n && p->s[p->i + 1] == '\n')
		p->i++;
	p->i++;
	p->line++;
	p->line_start = p->i;
}

static int
at_field_end(const struct parse *p)
{
	return p->i >= p->n || p->s[p->i] == ',' || p->s[p->i] == '\n' ||
	       p->s[p->i] == '\r';
}

const char roster_hint_save_as[] =
	"in Excel, use File > Save As and choose \"CSV UTF-8 (Comma delimited) (*.csv)\"";
static const char HINT_DOUBLE_QUOTE[] =
	"a quote inside a quoted value must be doubled (\"\")";

/* Scans a quoted field whose opening quote is at s[i]. Returns 0 when the
 * quote is never closed. */
static int
scan_quoted(struct parse *p, struct field *fl, struct record *rec)
{
	size_t start, end;

	p->i++;
	start = p->i;
	for (;;) {
		const char *q;

		if (p->i >= p->n) {
			roster_perr(p, fl->line, roster_field_col(p, fl), HINT_DOUBLE_QUOTE,
			     "quoted value is never closed: the quote opened here "
			     "runs to the end of the file");
			rec->broken = 1;
			fl->vstart = fl->vend = start;
			return 0;
		}
		/* Jump to the next byte that matters: a quote or a line break. */
		q = p->s + p->i;
		while (q < p->s + p->n && *q != '"' && *q != '\n' && *q != '\r')
			q++;
		p->i = (size_t)(q - p->s);
		if (p->i >= p->n)
			continue;
		if (*q == '"') {
			if (p->i + 1 < p->n && q[1] == '"') {
				fl->ndq++;
				p->i += 2;
				continue;
			}
			break;
		}
		newline(p);
	}
	end = p->i;
	p->i++;
	while (start < end && ws_at(p->s, end, start))
		start += ws_at(p->s, end, start);
	while (end > start && ws_before(p->s, start, end))
		end -= ws_before(p->s, start, end);
	fl->vstart = start;
	fl->vend = end;

	while (ws_at(p->s, p->n, p->i))
		p->i += ws_at(p->s, p->n, p->i);
	if (!at_field_end(p)) {
		roster_perr(p, p->line, roster_col_of(p, p->line_start, p->i), HINT_DOUBLE_QUOTE,
		     "unexpected text after a closing quote");
		rec->broken = 1;
		while (!at_field_end(p))
			p->i++;
	}
	return 1;
}

/* Scans one record starting at s[i], storing up to fcap fields (growing the
 * array up to the column limit) and counting all of them. Leaves s[i] at the
 * start of the next record. */
void
roster_scan_record(struct parse *p, struct record *rec)
{
	rec->line = p->line;
	rec->nf = 0;
	rec->blank = 1;
	rec->broken = 0;

	for (;;) {
		struct field fl;

		while (ws_at(p->s, p->n, p->i))
			p->i += ws_at(p->s, p->n, p->i);
		memset(&fl, 0, sizeof(fl));
		fl.pos = p->i;
		fl.line = p->line;
		fl.line_start = p->line_start;
		if (p->i < p->n && p->s[p->i] == '"') {
			fl.quoted = 1;
			rec->blank = 0;
			if (!scan_quoted(p, &fl, rec))
				return;
		} else {
			size_t end;

			fl.vstart = p->i;
			while (!at_field_end(p))
				p->i++;
			end = p->i;
			while (end > fl.vstart && ws_before(p->s, fl.vstart, end))
				end -= ws_before(p->s, fl.vstart, end);
			fl.vend = end;
			if (end > fl.vstart)
				rec->blank = 0;
		}

		if (rec->nf == p->fcap && p->fcap < p->lim->max_cols + 1) {
			size_t cap = p->fcap ? p->fcap * 2 : 16;
			struct field *nf;

			if (cap > p->lim->max_cols + 1)
				cap = p->lim->max_cols + 1;
			nf = roster_realloc(p->f, cap * sizeof(*nf));
			if (nf == NULL) {
				roster_oom(p);
				return;
			}
			p->f = nf;
			p->fcap = cap;
		}
		if (rec->nf < p->fcap)
			p->f[rec->nf] = fl;
		rec->nf++;

		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->i < p->n)
			newline(p);
		return;
	}
}
