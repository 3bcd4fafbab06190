/* Questionnaire parser: Qualtrics Advanced Format TXT plus koe's tags.
 *
 * The parser works in two passes. The first (qn_scan.c) walks the file line
 * by line and builds a loose picture of blocks, questions and choices,
 * reporting syntax errors (unknown tags, text in the wrong place) as it goes.
 * The second (qn_validate.c) validates the meaning (choices present, ids
 * unique, scales consistent) and derives the answer items. Both passes report
 * into the same koe_diags list so HR sees every problem of a file at once; a
 * file with any error yields no survey at all. This file is the entry point
 * and the helpers both passes use (qn_internal.h). */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "koe/utf8.h"
#include "qn_internal.h"

/* ---- small helpers ------------------------------------------------------ */

void *
qn_grow(struct ctx *c, void *v, size_t *cap, size_t n, size_t size)
{
	void *nv;
	size_t ncap;

	if (n < *cap)
		return v;
	ncap = *cap ? *cap * 2 : 8;
	nv = arena_alloc(c->a, ncap * size);
	if (nv == NULL) {
		c->oom = true;
		return NULL;
	}
	if (n)
		memcpy(nv, v, n * size);
	*cap = ncap;
	return nv;
}

char *
qn_dup(struct ctx *c, const char *s, size_t len)
{
	char *p = arena_strndup(c->a, s, len);
	if (p == NULL)
		c->oom = true;
	return p;
}

bool
qn_ieq(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return false;
	return true;
}

void
qn_trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

bool
qn_parse_int(const char *s, size_t len, long lo, long hi, long *out)
{
	long v = 0;
	bool neg = false;
	size_t i = 0;

	if (len && s[0] == '-') {
		neg = true;
		i = 1;
	}
	if (i == len || len - i > 9)
		return false;
	for (; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (neg)
		v = -v;
	if (v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

bool
qn_valid_id(const char *s, size_t len, bool allow_upper)
{
	if (len == 0 || len > QN_MAX_ID_LEN)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (islower(ch) || isdigit(ch) || ch == '-' || ch == '_')
			continue;
		if (allow_upper && isupper(ch))
			continue;
		return false;
	}
	return true;
}

/* Qualtrics ids may hold spaces and punctuation ("Stim 1", "Q1.a"); an answer
 * key must not (it is an HTML id, a JSON key and "id.N" for Matrix rows). Each
 * run of characters other than ASCII letters, digits, '-' and '_' becomes one
 * '_': a function of the id alone, so the same file always gives the same
 * keys, and the keys of two files agree wherever their ids do. Collisions
 * are reported by qn_validate.c. */
size_t
qn_id_key(const char *s, size_t len, char *out, size_t cap)
{
	size_t n = 0;
	bool run = false;

	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		bool keep = isalnum(ch) && ch < 0x80;
		if (!keep && ch != '-' && ch != '_') {
			if (run)
				continue;
			run = true;
			ch = '_';
		} else {
			run = false;
		}
		if (n + 1 >= cap)
			return 0;
		out[n++] = (char)ch;
	}
	out[n] = '\0';
	return n;
}

/* ---- entry point ------------------------------------------------------------- */

/* Reports the first invalid UTF-8 sequence or NUL byte; true when clean. */
static bool
check_utf8(struct ctx *c, const char *p, size_t len)
{
	int line = 1;
	size_t ls = 0;

	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n;
		if (p[i] == '\n') {
			line++;
			ls = i + 1;
			i++;
			continue;
		}
		if (p[i] == '\0') {
			ERR(c, line, utf8_col(p + ls, i - ls),
			    "a text file has no NUL bytes; was it saved as UTF-16?",
			    "NUL byte in the file");
			return false;
		}
		n = utf8_decode(p + i, len - i, &cp);
		if (n == 0) {
			ERR(c, line, utf8_col(p + ls, i - ls),
			    "save the file with the UTF-8 encoding",
			    "invalid UTF-8 byte 0x%02X", (unsigned char)p[i]);
			return false;
		}
		i += n;
	}
	return true;
}

/* Orders the diagnostics this parse added by position, as a reader of the
 * file expects; errors found by the second pass would otherwise come last. A
 * stable insertion sort: the lists are short and capped. */
static void
sort_diags(struct koe_diags *d, size_t from)
{
	for (size_t i = from + 1; i < d->n; i++) {
		struct koe_diag e = d->v[i];
		size_t j = i;
		while (j > from && (d->v[j - 1].line > e.line ||
		                    (d->v[j - 1].line == e.line && d->v[j - 1].col > e.col))) {
			d->v[j] = d->v[j - 1];
			j--;
		}
		d->v[j] = e;
	}
}

enum koe_err
qn_parse(const char *bytes, size_t len, const char *name, struct qn_survey **out,
         struct koe_diags *diags)
{
	struct ctx c;
	struct qn_survey *s;
	size_t before = koe_diags_errors(diags), from = diags->n;
	enum koe_err err = KOE_OK;

	*out = NULL;
	if (len > QN_MAX_FILE_BYTES) {
		koe_diags_add(diags, 0, 0, "a questionnaire is a small text file",
		              "file is larger than %d KiB", QN_MAX_FILE_BYTES / 1024);
		return KOE_ETOOBIG;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return KOE_ENOMEM;
	s->arena.limit = 64u * 1024 * 1024;
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.d = diags;
	c.a = &s->arena;
	c.st = ST_HEADER;

	/* A UTF-8 byte order mark, as Windows editors write it, is tolerated. */
	if (len >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) {
		bytes += 3;
		len -= 3;
	}
	if (check_utf8(&c, bytes, len)) {
		qn_scan(&c, bytes, len);
		if (!c.oom)
			qn_validate(&c, name);
	}
	sort_diags(diags, from);
	if (c.oom || diags->oom)
		err = KOE_ENOMEM;
	else if (koe_diags_errors(diags) > before)
		err = KOE_EINVAL;
	if (err != KOE_OK) {
		qn_survey_free(s);
		return err;
	}
	*out = s;
	return KOE_OK;
}

void
qn_survey_free(struct qn_survey *s)
{
	if (s == NULL)
		return;
	arena_free(&s->arena);
	free(s);
}

const struct qn_item *
qn_item_find(const struct qn_survey *s, const char *key)
{
	for (size_t i = 0; i < s->nitems; i++)
		if (strcmp(s->items[i].key, key) == 0)
			return &s->items[i];
	return NULL;
}

const char *
qn_type_name(enum qn_type t)
{
	switch (t) {
	case QN_MC_SINGLE: return "MC";
	case QN_MC_MULTI: return "MC";
	case QN_MATRIX: return "Matrix";
	case QN_TE_LINE: return "TE";
	case QN_TE_ESSAY: return "TE";
	case QN_DB: return "DB";
	case QN_NPS: return "NPS";
	}
	return "?";
}

const char *
qn_role_name(enum qn_role r)
{
	switch (r) {
	case QN_ROLE_NONE: return "none";
	case QN_ROLE_SUPPORT: return "support";
	case QN_ROLE_REJOIN: return "rejoin";
	case QN_ROLE_MORALE: return "morale";
	}
	return "?";
}
