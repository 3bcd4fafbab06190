/* Questionnaire parser: Qualtrics Advanced Format TXT plus koe's tags.
 *
 * The parser works in two passes. The first walks the file line by line and
 * builds a loose picture of blocks, questions and choices, reporting syntax
 * errors (unknown tags, text in the wrong place) as it goes. The second
 * validates the meaning (choices present, ids unique, scales consistent) and
 * derives the answer items. Both passes report into the same koe_diags list
 * so HR sees every problem of a file at once; a file with any error yields no
 * survey at all. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "koe/qn.h"

/* ---- parse-side structures ------------------------------------------- */

struct pchoice {
	char *raw;       /* unsanitized text (lines joined with <br>) */
	size_t rawlen;
	const char *en;
	int recode;      /* -1 when not given */
	int recode_col;
	bool reverse;
	int line, col;
};

struct pvec { /* a growable array of pchoice inside the arena */
	struct pchoice *v;
	size_t n, cap;
};

struct pquestion {
	enum qn_type type;
	enum qn_layout layout;
	bool type_ok;      /* false when the [[Question]] tag had an error */
	const char *id;
	int id_line, id_col;
	char *raw;
	size_t rawlen;
	int text_line;
	const char *en;
	bool required, reverse;
	int required_line;
	const char *scale;
	int scale_line, scale_col;
	enum qn_role role;
	int role_line, role_col;
	struct pvec choices, answers;
	bool saw_choices, saw_answers; /* a [[Choices]]/[[Answers]] tag appeared */
	int choices_line, answers_line;
	size_t block, page;
	int line;
};

enum state {
	ST_HEADER,   /* before the first block or question */
	ST_BLOCK,    /* after [[Block]] or [[PageBreak]], before a question */
	ST_QUESTION, /* question tags and text */
	ST_CHOICES,  /* after [[Choices]] / [[AdvancedChoices]] */
	ST_ANSWERS,  /* after [[Answers]] / [[AdvancedAnswers]] */
};

/* What a following [[En:...]] would translate. */
enum en_target { EN_NONE, EN_TITLE, EN_BLOCK, EN_QUESTION, EN_CHOICE, EN_ANSWER };

struct ctx {
	struct qn_survey *s;
	struct koe_diags *d;
	struct arena *a;
	bool oom;

	/* header */
	bool seen_any_line;
	int line_advanced, line_survey, line_title, line_language, line_mingroup,
	    line_segments, line_closes, line_mincomments, col_mincomments;

	enum state st;
	bool advanced;          /* inside [[AdvancedChoices]]/[[AdvancedAnswers]] */
	bool adv_open;          /* an advanced [[Choice]]/[[Answer]] awaits text */
	enum en_target en;

	struct pquestion *qs;
	size_t nq, capq;
	struct qn_block *blocks;
	size_t nblocks, capb;
	size_t page;
	bool page_used;         /* the current page has a question */
};

/* ---- small helpers ------------------------------------------------------ */

static void *
grow(struct ctx *c, void *v, size_t *cap, size_t n, size_t size)
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

static char *
dup(struct ctx *c, const char *s, size_t len)
{
	char *p = arena_strndup(c->a, s, len);
	if (p == NULL)
		c->oom = true;
	return p;
}

static bool
ieq(const char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);
	if (alen != blen)
		return false;
	for (size_t i = 0; i < alen; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return false;
	return true;
}

static void
trim(const char **s, size_t *len)
{
	while (*len && isspace((unsigned char)**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && isspace((unsigned char)(*s)[*len - 1]))
		(*len)--;
}

/* Parses a whole decimal integer in [lo, hi]; false otherwise. */
static bool
parse_int(const char *s, size_t len, long lo, long hi, long *out)
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

static bool
valid_id(const char *s, size_t len, bool allow_upper)
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

static bool
valid_date(const char *s, size_t len)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	long y, m, dd;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	if (!parse_int(s, 4, 2000, 9999, &y) || !parse_int(s + 5, 2, 1, 12, &m) ||
	    !parse_int(s + 8, 2, 1, 31, &dd))
		return false;
	if (dd > mdays[m - 1])
		return false;
	if (m == 2 && dd == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	return true;
}

/* Appends one line of text to a raw buffer, joining lines with <br>. */
static void
append_text(struct ctx *c, char **raw, size_t *rawlen, const char *s, size_t len)
{
	size_t sep = *rawlen ? 4 : 0;
	char *n;

	if (*rawlen + sep + len > QN_MAX_TEXT_BYTES) {
		/* Keep the first part; the length check in validation reports it. */
		*rawlen = QN_MAX_TEXT_BYTES + 1;
		return;
	}
	n = arena_alloc(c->a, *rawlen + sep + len + 1);
	if (n == NULL) {
		c->oom = true;
		return;
	}
	if (*rawlen)
		memcpy(n, *raw, *rawlen);
	memcpy(n + *rawlen, "<br>", sep);
	memcpy(n + *rawlen + sep, s, len);
	*rawlen += sep + len;
	n[*rawlen] = '\0';
	*raw = n;
}

static const char *const known_tags[] = {
	"AdvancedFormat", "Block", "PageBreak", "Question", "ID", "Choices",
	"Answers", "AdvancedChoices", "AdvancedAnswers", "Choice", "Answer",
	"Survey", "Title", "Language", "MinGroup", "MinGroupComments", "Segments", "Closes", "Scale",
	"Reverse", "Required", "Role", "En",
};
#define NKNOWN_TAGS (sizeof(known_tags) / sizeof(known_tags[0]))

static const char *const question_types[] = {"MC", "Matrix", "TE", "DB", "Text", "NPS"};
static const char *const role_names[] = {"support", "rejoin", "morale"};

#define ERR(c, line, col, hint, ...) koe_diags_add((c)->d, (line), (col), (hint), __VA_ARGS__)

static struct pquestion *
cur_q(struct ctx *c)
{
	return c->nq ? &c->qs[c->nq - 1] : NULL;
}

/* ---- tags ---------------------------------------------------------------- */

struct tag {
	const char *name;  /* points into the line */
	size_t namelen;
	const char *arg;   /* NULL when the tag has no ':' */
	size_t arglen;
	int col;           /* column of the tag's "[[" */
	int name_col;
	int arg_col;
	int line;
	const char *linestart;
};

static int
col_of(const struct tag *t, const char *p)
{
	return koe_utf8_col(t->linestart, (size_t)(p - t->linestart));
}

/* Requires a non-empty argument; reports and returns false otherwise. */
static bool
need_arg(struct ctx *c, const struct tag *t, const char *example)
{
	if (t->arg && t->arglen)
		return true;
	char hint[128];
	snprintf(hint, sizeof(hint), "write it as %s", example);
	ERR(c, t->line, t->name_col, hint, "[[%.*s]] needs a value", (int)t->namelen, t->name);
	return false;
}

static bool
header_only(struct ctx *c, const struct tag *t, int *seen_line)
{
	if (c->st != ST_HEADER) {
		ERR(c, t->line, t->name_col,
		    "put it at the top of the file, before the first block or question",
		    "[[%.*s]] belongs to the survey header", (int)t->namelen, t->name);
		return false;
	}
	if (*seen_line) {
		ERR(c, t->line, t->name_col, NULL,
		    "[[%.*s]] appears twice (first on line %d)", (int)t->namelen, t->name,
		    *seen_line);
		return false;
	}
	*seen_line = t->line;
	return true;
}

static void
tag_question(struct ctx *c, const struct tag *t)
{
	struct pquestion *q;
	const char *p, *end;

	if (c->nq >= QN_MAX_QUESTIONS) {
		if (c->nq == QN_MAX_QUESTIONS)
			ERR(c, t->line, t->col, NULL, "too many questions (at most %d)",
			    QN_MAX_QUESTIONS);
		c->nq++; /* count, so the message appears once */
		c->st = ST_QUESTION;
		return;
	}
	c->qs = grow(c, c->qs, &c->capq, c->nq, sizeof(*c->qs));
	if (c->qs == NULL)
		return;
	if (c->nblocks == 0) {
		/* Questions before any [[Block]] form an implicit first block. */
		c->blocks = grow(c, c->blocks, &c->capb, c->nblocks, sizeof(*c->blocks));
		if (c->blocks == NULL)
			return;
		c->blocks[c->nblocks++] = (struct qn_block){.name = "", .name_en = NULL};
	}
	q = &c->qs[c->nq++];
	memset(q, 0, sizeof(*q));
	q->line = t->line;
	q->block = c->nblocks - 1;
	q->page = c->page;
	q->scale_line = 0;
	c->page_used = true;
	c->st = ST_QUESTION;
	c->advanced = false;
	c->adv_open = false;

	if (!need_arg(c, t, "[[Question:MC]]"))
		return;
	/* The argument is TYPE[:SUB]*, each part trimmed as Qualtrics does. */
	p = t->arg;
	end = t->arg + t->arglen;
	const char *parts[6];
	size_t plen[6];
	size_t np = 0;
	while (p <= end && np < 6) {
		const char *colon = memchr(p, ':', (size_t)(end - p));
		const char *e = colon ? colon : end;
		const char *s = p;
		size_t l = (size_t)(e - p);
		trim(&s, &l);
		parts[np] = s;
		plen[np] = l;
		np++;
		if (!colon)
			break;
		p = colon + 1;
	}
	int tcol = col_of(t, parts[0]);
	if (plen[0] == 0) {
		ERR(c, t->line, tcol, "write it as [[Question:MC]]",
		    "[[Question]] needs a question type");
		return;
	}
	enum qn_type type;
	if (ieq(parts[0], plen[0], "MC"))
		type = QN_MC_SINGLE;
	else if (ieq(parts[0], plen[0], "Matrix"))
		type = QN_MATRIX;
	else if (ieq(parts[0], plen[0], "TE"))
		type = QN_TE_LINE;
	else if (ieq(parts[0], plen[0], "DB") || ieq(parts[0], plen[0], "Text"))
		type = QN_DB;
	else if (ieq(parts[0], plen[0], "NPS"))
		type = QN_NPS;
	else {
		char word[64], hint[160];
		snprintf(word, sizeof(word), "%.*s", (int)plen[0], parts[0]);
		const char *g = koe_suggest(word, question_types,
		                            sizeof(question_types) / sizeof(question_types[0]));
		if (g)
			snprintf(hint, sizeof(hint), "did you mean '%s'?", g);
		else
			snprintf(hint, sizeof(hint),
			         "koe supports MC, Matrix, TE, DB, Text and NPS");
		ERR(c, t->line, tcol, hint, "unknown question type '%.*s'", (int)plen[0],
		    parts[0]);
		return;
	}
	q->type = type;
	q->layout = QN_VERTICAL;
	for (size_t i = 1; i < np; i++) {
		const char *w = parts[i];
		size_t wl = plen[i];
		int wcol = col_of(t, w);
		bool ok = false;
		if (wl == 0)
			continue;
		switch (type) {
		case QN_MC_SINGLE:
		case QN_MC_MULTI:
			if (ieq(w, wl, "SingleAnswer")) {
				q->type = QN_MC_SINGLE;
				ok = true;
			} else if (ieq(w, wl, "MultipleAnswer") || ieq(w, wl, "MultiSelect")) {
				q->type = QN_MC_MULTI;
				ok = true;
			} else if (ieq(w, wl, "Vertical")) {
				q->layout = QN_VERTICAL;
				ok = true;
			} else if (ieq(w, wl, "Horizontal")) {
				q->layout = QN_HORIZONTAL;
				ok = true;
			} else if (ieq(w, wl, "DropDown") || ieq(w, wl, "Dropdown")) {
				q->layout = QN_DROPDOWN;
				ok = true;
			}
			break;
		case QN_MATRIX:
			if (ieq(w, wl, "Likert") || ieq(w, wl, "SingleAnswer"))
				ok = true;
			else if (ieq(w, wl, "MultipleAnswer")) {
				ERR(c, t->line, wcol, "use one MC:MultipleAnswer question per row",
				    "koe supports single-answer Likert matrices only");
				return;
			}
			break;
		case QN_TE_LINE:
		case QN_TE_ESSAY:
			if (ieq(w, wl, "SingleLine")) {
				q->type = QN_TE_LINE;
				ok = true;
			} else if (ieq(w, wl, "Essay")) {
				q->type = QN_TE_ESSAY;
				ok = true;
			}
			break;
		default:
			break;
		}
		if (!ok) {
			static const char *const mc[] = {"SingleAnswer", "MultipleAnswer",
			                                 "Vertical", "Horizontal", "DropDown"};
			static const char *const mx[] = {"Likert", "SingleAnswer"};
			static const char *const te[] = {"SingleLine", "Essay"};
			const char *const *cand = NULL;
			size_t ncand = 0;
			char word[64], hint[160];
			if (type == QN_MC_SINGLE || type == QN_MC_MULTI) {
				cand = mc;
				ncand = 5;
			} else if (type == QN_MATRIX) {
				cand = mx;
				ncand = 2;
			} else if (type == QN_TE_LINE) {
				cand = te;
				ncand = 2;
			}
			snprintf(word, sizeof(word), "%.*s", (int)wl, w);
			const char *g = cand ? koe_suggest(word, cand, ncand) : NULL;
			if (g)
				snprintf(hint, sizeof(hint), "did you mean '%s'?", g);
			else if (ncand)
				snprintf(hint, sizeof(hint), "'%.*s' takes %s%s%s%s%s",
				         (int)plen[0], parts[0], cand[0],
				         ncand > 1 ? ", " : "", ncand > 1 ? cand[1] : "",
				         ncand > 2 ? ", ..." : "", "");
			else
				snprintf(hint, sizeof(hint), "'%.*s' takes no options",
				         (int)plen[0], parts[0]);
			ERR(c, t->line, wcol, hint, "unknown option '%.*s' for %.*s questions",
			    (int)wl, w, (int)plen[0], parts[0]);
			return;
		}
	}
	q->type_ok = true;
}

static void
tag_block(struct ctx *c, const struct tag *t)
{
	const char *name = "";
	if (t->arg && t->arglen) {
		name = dup(c, t->arg, t->arglen);
		if (name == NULL)
			return;
	}
	c->blocks = grow(c, c->blocks, &c->capb, c->nblocks, sizeof(*c->blocks));
	if (c->blocks == NULL)
		return;
	c->blocks[c->nblocks++] = (struct qn_block){.name = name, .name_en = NULL};
	if (c->page_used) {
		c->page++;
		c->page_used = false;
	}
	c->st = ST_BLOCK;
	c->en = EN_BLOCK;
}

static struct pchoice *
new_choice(struct ctx *c, struct pvec *v, int line, int col)
{
	if (v->n >= QN_MAX_CHOICES) {
		if (v->n == QN_MAX_CHOICES)
			ERR(c, line, col, NULL, "too many choices in one question (at most %d)",
			    QN_MAX_CHOICES);
		v->n++;
		return NULL;
	}
	v->v = grow(c, v->v, &v->cap, v->n, sizeof(*v->v));
	if (v->v == NULL)
		return NULL;
	struct pchoice *ch = &v->v[v->n++];
	memset(ch, 0, sizeof(*ch));
	ch->recode = -1;
	ch->line = line;
	ch->col = col;
	return ch;
}

static struct pvec *
cur_vec(struct ctx *c)
{
	struct pquestion *q = cur_q(c);
	if (q == NULL || c->nq > QN_MAX_QUESTIONS)
		return NULL;
	return c->st == ST_ANSWERS ? &q->answers : &q->choices;
}

static struct pchoice *
last_choice(struct ctx *c)
{
	struct pvec *v = cur_vec(c);
	if (v == NULL || v->n == 0 || v->n > QN_MAX_CHOICES)
		return NULL;
	return &v->v[v->n - 1];
}

static void
tag_en(struct ctx *c, const struct tag *t)
{
	struct pquestion *q = cur_q(c);
	struct pchoice *ch;
	const char **slot = NULL;

	if (!need_arg(c, t, "[[En:English text]]"))
		return;
	switch (c->en) {
	case EN_TITLE:
		slot = &c->s->title_en;
		break;
	case EN_BLOCK:
		slot = &c->blocks[c->nblocks - 1].name_en;
		break;
	case EN_QUESTION:
		if (q && c->nq <= QN_MAX_QUESTIONS)
			slot = &q->en;
		break;
	case EN_CHOICE:
	case EN_ANSWER:
		ch = last_choice(c);
		if (ch)
			slot = &ch->en;
		break;
	case EN_NONE:
		break;
	}
	if (slot == NULL) {
		ERR(c, t->line, t->name_col,
		    "put [[En:...]] right after the title, block, question text or choice it translates",
		    "[[En]] has nothing to translate here");
		return;
	}
	if (*slot) {
		ERR(c, t->line, t->name_col, NULL, "a second [[En]] for the same text");
		return;
	}
	*slot = dup(c, t->arg, t->arglen);
}

static void
tag_header_value(struct ctx *c, const struct tag *t, const char *which)
{
	struct qn_survey *s = c->s;
	long v;

	if (strcmp(which, "survey") == 0) {
		if (!header_only(c, t, &c->line_survey) ||
		    !need_arg(c, t, "[[Survey:alumni-readiness-2026]]"))
			return;
		if (!valid_id(t->arg, t->arglen, false)) {
			ERR(c, t->line, t->arg_col,
			    "use lower-case letters, digits and '-', at most 64 characters",
			    "invalid survey id '%.*s'", (int)t->arglen, t->arg);
			return;
		}
		s->id = dup(c, t->arg, t->arglen);
	} else if (strcmp(which, "title") == 0) {
		if (!header_only(c, t, &c->line_title) || !need_arg(c, t, "[[Title:...]]"))
			return;
		s->title = dup(c, t->arg, t->arglen);
		c->en = EN_TITLE;
	} else if (strcmp(which, "language") == 0) {
		if (!header_only(c, t, &c->line_language) || !need_arg(c, t, "[[Language:ja]]"))
			return;
		if (ieq(t->arg, t->arglen, "ja"))
			s->language = "ja";
		else if (ieq(t->arg, t->arglen, "en"))
			s->language = "en";
		else
			ERR(c, t->line, t->arg_col, "koe speaks 'ja' and 'en'",
			    "unsupported language '%.*s'", (int)t->arglen, t->arg);
	} else if (strcmp(which, "mingroup") == 0) {
		if (!header_only(c, t, &c->line_mingroup) || !need_arg(c, t, "[[MinGroup:5]]"))
			return;
		if (!parse_int(t->arg, t->arglen, -1000000, 1000000, &v) || v > 1000) {
			ERR(c, t->line, t->arg_col, "use a whole number such as 5",
			    "MinGroup must be a number from %d to 1000, not '%.*s'",
			    QN_MIN_GROUP_FLOOR, (int)t->arglen, t->arg);
			return;
		}
		if (v < QN_MIN_GROUP_FLOOR) {
			ERR(c, t->line, t->arg_col,
			    "smaller groups could identify people; the default is 5",
			    "MinGroup must be at least %d, not %ld", QN_MIN_GROUP_FLOOR, v);
			return;
		}
		s->min_group = (int)v;
	} else if (strcmp(which, "mingroupcomments") == 0) {
		if (!header_only(c, t, &c->line_mincomments) ||
		    !need_arg(c, t, "[[MinGroupComments:10]]"))
			return;
		if (!parse_int(t->arg, t->arglen, -1000000, 1000000, &v) || v < 1 || v > 1000) {
			ERR(c, t->line, t->arg_col, "use a whole number such as 10",
			    "MinGroupComments must be a number from 1 to 1000, not '%.*s'",
			    (int)t->arglen, t->arg);
			return;
		}
		/* Checked against MinGroup once the whole header is read. */
		c->col_mincomments = t->arg_col;
		s->min_group_comments = (int)v;
	} else if (strcmp(which, "closes") == 0) {
		if (!header_only(c, t, &c->line_closes) || !need_arg(c, t, "[[Closes:2026-12-15]]"))
			return;
		if (!valid_date(t->arg, t->arglen)) {
			ERR(c, t->line, t->arg_col, "write the date as YYYY-MM-DD, e.g. 2026-12-15",
			    "invalid closing date '%.*s'", (int)t->arglen, t->arg);
			return;
		}
		s->closes = dup(c, t->arg, t->arglen);
	}
}

static void
tag_segments(struct ctx *c, const struct tag *t)
{
	const char *p, *end;
	const char *names[QN_MAX_SEGMENTS];
	size_t n = 0;

	if (!header_only(c, t, &c->line_segments) ||
	    !need_arg(c, t, "[[Segments:department,tenure]]"))
		return;
	p = t->arg;
	end = t->arg + t->arglen;
	for (;;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end;
		const char *w = p;
		size_t wl = (size_t)(e - p);
		trim(&w, &wl);
		int wcol = col_of(t, w);
		if (wl == 0) {
			ERR(c, t->line, wcol, "separate column names with single commas",
			    "empty segment name");
			return;
		}
		if (wl > QN_MAX_ID_LEN) {
			ERR(c, t->line, wcol, NULL, "segment name is longer than %d bytes",
			    QN_MAX_ID_LEN);
			return;
		}
		if (ieq(w, wl, "employee_id") || ieq(w, wl, "email") || ieq(w, wl, "name")) {
			ERR(c, t->line, wcol,
			    "segments group people (e.g. department); identifying columns would defeat anonymity",
			    "'%.*s' cannot be a segment", (int)wl, w);
			return;
		}
		for (size_t i = 0; i < n; i++)
			if (ieq(w, wl, names[i])) {
				ERR(c, t->line, wcol, NULL, "segment '%.*s' is listed twice",
				    (int)wl, w);
				return;
			}
		if (n == QN_MAX_SEGMENTS) {
			ERR(c, t->line, wcol, "fewer dimensions keep groups large enough",
			    "at most %d segments", QN_MAX_SEGMENTS);
			return;
		}
		names[n] = dup(c, w, wl);
		if (names[n] == NULL)
			return;
		n++;
		if (!comma)
			break;
		p = comma + 1;
	}
	c->s->segments = arena_alloc(c->a, n * sizeof(*c->s->segments));
	if (c->s->segments == NULL) {
		c->oom = true;
		return;
	}
	memcpy(c->s->segments, names, n * sizeof(*names));
	c->s->nsegments = n;
}

/* Tags that only make sense inside a question: ID, Scale, Role, Required. */
static struct pquestion *
in_question(struct ctx *c, const struct tag *t)
{
	struct pquestion *q = cur_q(c);
	if (c->st == ST_HEADER || c->st == ST_BLOCK || q == NULL) {
		ERR(c, t->line, t->name_col, "put it after a [[Question:...]] tag",
		    "[[%.*s]] outside a question", (int)t->namelen, t->name);
		return NULL;
	}
	if (c->nq > QN_MAX_QUESTIONS)
		return NULL;
	return q;
}

static void
tag_id(struct ctx *c, const struct tag *t)
{
	struct pquestion *q = in_question(c, t);
	if (q == NULL || !need_arg(c, t, "[[ID:q1]]"))
		return;
	if (q->id) {
		ERR(c, t->line, t->name_col, NULL, "question already has [[ID:%s]] (line %d)",
		    q->id, q->id_line);
		return;
	}
	if (!valid_id(t->arg, t->arglen, true)) {
		ERR(c, t->line, t->arg_col,
		    "use letters, digits, '-' and '_', at most 64 characters",
		    "invalid question id '%.*s'", (int)t->arglen, t->arg);
		return;
	}
	q->id = dup(c, t->arg, t->arglen);
	q->id_line = t->line;
	q->id_col = t->arg_col;
}

static void
tag_scale(struct ctx *c, const struct tag *t)
{
	struct pquestion *q = in_question(c, t);
	if (q == NULL || !need_arg(c, t, "[[Scale:morale]]"))
		return;
	if (q->scale) {
		ERR(c, t->line, t->name_col, "a question belongs to one scale",
		    "question already has [[Scale:%s]]", q->scale);
		return;
	}
	if (!valid_id(t->arg, t->arglen, false)) {
		ERR(c, t->line, t->arg_col,
		    "use lower-case letters, digits, '-' and '_'",
		    "invalid scale name '%.*s'", (int)t->arglen, t->arg);
		return;
	}
	q->scale = dup(c, t->arg, t->arglen);
	q->scale_line = t->line;
	q->scale_col = t->arg_col;
}

static void
tag_role(struct ctx *c, const struct tag *t)
{
	struct pquestion *q = in_question(c, t);
	enum qn_role r = QN_ROLE_NONE;
	if (q == NULL || !need_arg(c, t, "[[Role:support]]"))
		return;
	if (ieq(t->arg, t->arglen, "support"))
		r = QN_ROLE_SUPPORT;
	else if (ieq(t->arg, t->arglen, "rejoin"))
		r = QN_ROLE_REJOIN;
	else if (ieq(t->arg, t->arglen, "morale"))
		r = QN_ROLE_MORALE;
	else {
		char word[64], hint[128];
		snprintf(word, sizeof(word), "%.*s", (int)t->arglen, t->arg);
		const char *g = koe_suggest(word, role_names, 3);
		if (g)
			snprintf(hint, sizeof(hint), "did you mean '%s'?", g);
		else
			snprintf(hint, sizeof(hint), "roles are support, rejoin and morale");
		ERR(c, t->line, t->arg_col, hint, "unknown role '%.*s'", (int)t->arglen, t->arg);
		return;
	}
	if (q->role != QN_ROLE_NONE) {
		ERR(c, t->line, t->name_col, NULL, "question already has a [[Role]] (line %d)",
		    q->role_line);
		return;
	}
	q->role = r;
	q->role_line = t->line;
	q->role_col = t->arg_col;
}

static void
tag_required(struct ctx *c, const struct tag *t)
{
	struct pquestion *q = in_question(c, t);
	if (q == NULL)
		return;
	if (t->arg && t->arglen) {
		ERR(c, t->line, t->arg_col, "write [[Required]] alone", "[[Required]] takes no value");
		return;
	}
	q->required = true;
	q->required_line = t->line;
}

static void
tag_reverse(struct ctx *c, const struct tag *t)
{
	struct pquestion *q = in_question(c, t);
	if (q == NULL)
		return;
	if (t->arg && t->arglen) {
		ERR(c, t->line, t->arg_col, "write [[Reverse]] alone", "[[Reverse]] takes no value");
		return;
	}
	if (c->st == ST_CHOICES) {
		struct pchoice *ch = last_choice(c);
		if (ch == NULL) {
			ERR(c, t->line, t->name_col,
			    "put [[Reverse]] right after the Matrix row it applies to",
			    "[[Reverse]] before any choice");
			return;
		}
		if (q->type != QN_MATRIX) {
			ERR(c, t->line, t->name_col,
			    "put [[Reverse]] before [[Choices]] to reverse the whole question",
			    "only Matrix rows can be reverse-coded one by one");
			return;
		}
		ch->reverse = true;
		return;
	}
	if (c->st == ST_ANSWERS) {
		ERR(c, t->line, t->name_col,
		    "mark the row (after its [[Choices]] line) instead of a scale point",
		    "[[Reverse]] cannot apply to a Matrix answer column");
		return;
	}
	q->reverse = true;
}

static void
tag_list(struct ctx *c, const struct tag *t, bool answers, bool advanced)
{
	struct pquestion *q = cur_q(c);
	if (c->st == ST_HEADER || c->st == ST_BLOCK || q == NULL) {
		ERR(c, t->line, t->name_col, "put it after a [[Question:...]] tag and its text",
		    "[[%.*s]] outside a question", (int)t->namelen, t->name);
		return;
	}
	if (t->arg && t->arglen) {
		ERR(c, t->line, t->arg_col, NULL, "[[%.*s]] takes no value", (int)t->namelen,
		    t->name);
		return;
	}
	if (c->nq > QN_MAX_QUESTIONS)
		return;
	if (answers) {
		if (q->saw_answers) {
			ERR(c, t->line, t->name_col, NULL,
			    "a second answer list in the same question (first on line %d)",
			    q->answers_line);
			return;
		}
		q->saw_answers = true;
		q->answers_line = t->line;
		c->st = ST_ANSWERS;
	} else {
		if (q->saw_choices) {
			ERR(c, t->line, t->name_col, NULL,
			    "a second choice list in the same question (first on line %d)",
			    q->choices_line);
			return;
		}
		q->saw_choices = true;
		q->choices_line = t->line;
		c->st = ST_CHOICES;
	}
	c->advanced = advanced;
	c->adv_open = false;
	c->en = EN_NONE;
}

static void
tag_choice(struct ctx *c, const struct tag *t, bool answer)
{
	bool ok_state = answer ? c->st == ST_ANSWERS : c->st == ST_CHOICES;
	struct pchoice *ch;
	long v;

	if (!ok_state || !c->advanced) {
		ERR(c, t->line, t->name_col, answer ? "put it after [[AdvancedAnswers]]"
		                                    : "put it after [[AdvancedChoices]]",
		    "[[%.*s]] outside an advanced %s list", (int)t->namelen, t->name,
		    answer ? "answer" : "choice");
		return;
	}
	ch = new_choice(c, cur_vec(c), t->line, t->col);
	c->adv_open = true;
	c->en = answer ? EN_ANSWER : EN_CHOICE;
	if (ch == NULL)
		return;
	if (t->arg && t->arglen) {
		if (!parse_int(t->arg, t->arglen, 0, 9999, &v)) {
			ERR(c, t->line, t->arg_col, "use a whole number from 0 to 9999",
			    "invalid recode value '%.*s'", (int)t->arglen, t->arg);
			return;
		}
		ch->recode = (int)v;
		ch->recode_col = t->arg_col;
	}
}

static void
tag_pagebreak(struct ctx *c, const struct tag *t)
{
	if (c->st == ST_HEADER) {
		ERR(c, t->line, t->name_col, "page breaks go between questions",
		    "[[PageBreak]] before the first question");
		return;
	}
	if (c->page_used) {
		c->page++;
		c->page_used = false;
	}
	c->st = ST_BLOCK;
	c->en = EN_NONE;
}

static void
do_tag(struct ctx *c, struct tag *t)
{
	enum en_target keep = c->en;
	const char *nm = t->name;
	size_t nl = t->namelen;

	/* Most tags end what a following [[En]] could translate. */
	c->en = EN_NONE;
	if (ieq(nm, nl, "AdvancedFormat")) {
		if (c->line_advanced)
			ERR(c, t->line, t->name_col, NULL,
			    "[[AdvancedFormat]] appears twice (first on line %d)", c->line_advanced);
		else if (c->seen_any_line)
			ERR(c, t->line, t->name_col, "move it to the first line",
			    "[[AdvancedFormat]] must be the first line of the file");
		c->line_advanced = t->line;
	} else if (ieq(nm, nl, "Survey")) {
		tag_header_value(c, t, "survey");
	} else if (ieq(nm, nl, "Title")) {
		tag_header_value(c, t, "title");
	} else if (ieq(nm, nl, "Language")) {
		tag_header_value(c, t, "language");
	} else if (ieq(nm, nl, "MinGroup")) {
		tag_header_value(c, t, "mingroup");
	} else if (ieq(nm, nl, "MinGroupComments")) {
		tag_header_value(c, t, "mingroupcomments");
	} else if (ieq(nm, nl, "Closes")) {
		tag_header_value(c, t, "closes");
	} else if (ieq(nm, nl, "Segments")) {
		tag_segments(c, t);
	} else if (ieq(nm, nl, "Block")) {
		tag_block(c, t);
	} else if (ieq(nm, nl, "PageBreak")) {
		tag_pagebreak(c, t);
	} else if (ieq(nm, nl, "Question")) {
		tag_question(c, t);
	} else if (ieq(nm, nl, "ID")) {
		tag_id(c, t);
	} else if (ieq(nm, nl, "Scale")) {
		tag_scale(c, t);
	} else if (ieq(nm, nl, "Role")) {
		tag_role(c, t);
	} else if (ieq(nm, nl, "Required")) {
		tag_required(c, t);
		c->en = keep;
	} else if (ieq(nm, nl, "Reverse")) {
		tag_reverse(c, t);
		c->en = keep;
	} else if (ieq(nm, nl, "Choices")) {
		tag_list(c, t, false, false);
	} else if (ieq(nm, nl, "AdvancedChoices")) {
		tag_list(c, t, false, true);
	} else if (ieq(nm, nl, "Answers")) {
		tag_list(c, t, true, false);
	} else if (ieq(nm, nl, "AdvancedAnswers")) {
		tag_list(c, t, true, true);
	} else if (ieq(nm, nl, "Choice")) {
		tag_choice(c, t, false);
	} else if (ieq(nm, nl, "Answer")) {
		tag_choice(c, t, true);
	} else if (ieq(nm, nl, "En")) {
		/* The target stays, so a second [[En]] is reported as such. */
		c->en = keep;
		tag_en(c, t);
	} else {
		char word[64], hint[128];
		snprintf(word, sizeof(word), "%.*s", (int)(nl < 63 ? nl : 63), nm);
		const char *g = koe_suggest(word, known_tags, NKNOWN_TAGS);
		if (g)
			snprintf(hint, sizeof(hint), "did you mean '%s'?", g);
		ERR(c, t->line, t->name_col, g ? hint : NULL, "unknown tag '[[%.*s]]'",
		    (int)nl, nm);
		c->en = keep;
	}
}

/* ---- plain text lines ----------------------------------------------------- */

static void
do_text(struct ctx *c, const char *s, size_t len, int line, int col)
{
	struct pquestion *q = cur_q(c);
	struct pchoice *ch;

	switch (c->st) {
	case ST_HEADER:
	case ST_BLOCK:
		ERR(c, line, col, "start a question with a [[Question:...]] tag",
		    "text outside a question");
		return;
	case ST_QUESTION:
		if (c->nq > QN_MAX_QUESTIONS || q == NULL)
			return;
		if (q->en) {
			ERR(c, line, col, "put [[En:...]] after the last line of the question text",
			    "question text continues after its [[En]] translation");
			return;
		}
		if (q->rawlen == 0)
			q->text_line = line;
		append_text(c, &q->raw, &q->rawlen, s, len);
		c->en = EN_QUESTION;
		return;
	case ST_CHOICES:
	case ST_ANSWERS:
		if (c->nq > QN_MAX_QUESTIONS || q == NULL)
			return;
		if (c->advanced) {
			ch = last_choice(c);
			if (!c->adv_open || ch == NULL) {
				if (ch == NULL && cur_vec(c)->n > QN_MAX_CHOICES)
					return;
				ERR(c, line, col,
				    c->st == ST_ANSWERS ? "start each answer with [[Answer]]"
				                        : "start each choice with [[Choice]]",
				    "text in an advanced list must follow a [[%s]] tag",
				    c->st == ST_ANSWERS ? "Answer" : "Choice");
				return;
			}
			if (ch->en) {
				ERR(c, line, col, "put [[En:...]] after the last line of the choice",
				    "choice text continues after its [[En]] translation");
				return;
			}
			append_text(c, &ch->raw, &ch->rawlen, s, len);
			return;
		}
		ch = new_choice(c, cur_vec(c), line, col);
		c->en = c->st == ST_ANSWERS ? EN_ANSWER : EN_CHOICE;
		if (ch)
			append_text(c, &ch->raw, &ch->rawlen, s, len);
		return;
	}
}

/* ---- the first pass ---------------------------------------------------------- */

static void
scan_lines(struct ctx *c, const char *buf, size_t len)
{
	int line = 0;
	size_t i = 0;

	while (i < len) {
		const char *ls = buf + i;
		const char *nl = memchr(ls, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - ls) : len - i;
		i += ll + (nl ? 1 : 0);
		line++;
		if (ll && ls[ll - 1] == '\r')
			ll--;
		const char *s = ls;
		size_t sl = ll;
		trim(&s, &sl);
		if (sl == 0)
			continue;
		int col = koe_utf8_col(ls, (size_t)(s - ls));
		if (sl >= 2 && s[0] == '[' && s[1] == '[') {
			struct tag t = {0};
			const char *in = s + 2;
			size_t inl = sl - 2;
			if (sl >= 4 && s[sl - 1] == ']' && s[sl - 2] == ']') {
				inl = sl - 4;
			} else {
				/* Report, then read it as if closed so one typo does
				 * not cascade into errors on the lines after it. */
				ERR(c, line, col,
				    "a tag is written [[Name]] or [[Name:value]] on its own line",
				    "unterminated tag");
				while (inl && in[inl - 1] == ']')
					inl--;
			}
			const char *colon = memchr(in, ':', inl);
			t.linestart = ls;
			t.line = line;
			t.col = col;
			t.name = in;
			t.namelen = colon ? (size_t)(colon - in) : inl;
			trim(&t.name, &t.namelen);
			t.name_col = koe_utf8_col(ls, (size_t)(t.name - ls));
			if (colon) {
				t.arg = colon + 1;
				t.arglen = (size_t)((in + inl) - t.arg);
				trim(&t.arg, &t.arglen);
				t.arg_col = koe_utf8_col(ls, (size_t)(t.arg - ls));
			}
			if (t.namelen == 0) {
				ERR(c, line, col, NULL, "empty tag");
			} else {
				do_tag(c, &t);
			}
		} else {
			do_text(c, s, sl, line, col);
		}
		c->seen_any_line = true;
		if (c->oom)
			return;
	}
}

/* ---- the second pass: meaning ---------------------------------------------- */

/* Converts parse-side choices into final ones, checking recodes. likert means
 * the recodes must be exactly 1..n (they are scale points). */
static struct qn_choice *
finish_choices(struct ctx *c, const char *qid, const struct pvec *v,
               bool likert, const char *what)
{
	size_t n = v->n > QN_MAX_CHOICES ? QN_MAX_CHOICES : v->n;
	struct qn_choice *out;
	bool explicit_any = false;

	if (n == 0)
		return NULL;
	out = arena_alloc(c->a, n * sizeof(*out));
	if (out == NULL) {
		c->oom = true;
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const struct pchoice *p = &v->v[i];
		if (p->rawlen == 0) {
			ERR(c, p->line, p->col, "write the text on the line after the tag",
			    "%s has no text", what);
		} else if (p->rawlen > QN_MAX_TEXT_BYTES) {
			ERR(c, p->line, p->col, NULL, "%s text is longer than %d bytes", what,
			    QN_MAX_TEXT_BYTES);
		}
		out[i].recode = p->recode >= 0 ? p->recode : (int)i + 1;
		if (p->recode >= 0)
			explicit_any = true;
		out[i].text = p->raw ? qn_html_sanitize(c->a, p->raw,
		                                        p->rawlen > QN_MAX_TEXT_BYTES ? 0 : p->rawlen)
		                     : "";
		out[i].text_en = p->en ? qn_html_sanitize(c->a, p->en, strlen(p->en)) : NULL;
		out[i].reverse = p->reverse;
		out[i].line = p->line;
		if (out[i].text == NULL || (p->en && out[i].text_en == NULL))
			c->oom = true;
		for (size_t j = 0; j < i; j++)
			if (out[j].recode == out[i].recode) {
				ERR(c, p->line, p->recode_col ? p->recode_col : p->col,
				    "give every choice of a question its own value",
				    "recode value %d is used twice in question '%s' (first on line %d)",
				    out[i].recode, qid, out[j].line);
				break;
			}
	}
	if (likert && explicit_any) {
		/* Scale points must be exactly 1..n so reverse coding (n + 1 - x)
		 * and favorable shares mean what they say. */
		for (size_t i = 0; i < n; i++)
			if (out[i].recode < 1 || (size_t)out[i].recode > n) {
				const struct pchoice *p = &v->v[i];
				ERR(c, p->line, p->recode_col ? p->recode_col : p->col,
				    "number the scale points 1 to the number of points",
				    "scale point value %d is outside 1..%zu", out[i].recode, n);
				break;
			}
	}
	return out;
}

static int
cmp_recode(const void *a, const void *b)
{
	const struct qn_choice *x = a, *y = b;
	return (x->recode > y->recode) - (x->recode < y->recode);
}

static int
find_scale(struct qn_survey *s, const char *name)
{
	for (size_t i = 0; i < s->nscales; i++)
		if (strcmp(s->scales[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void
validate(struct ctx *c, const char *filename)
{
	struct qn_survey *s = c->s;
	size_t nq = c->nq > QN_MAX_QUESTIONS ? QN_MAX_QUESTIONS : c->nq;
	int role_line[4] = {0};
	int scale_role_line[QN_MAX_QUESTIONS];
	size_t nitems = 0;

	if (!c->line_advanced)
		ERR(c, 1, 1,
		    "koe reads Qualtrics Advanced Format; add [[AdvancedFormat]] as the first line",
		    "missing [[AdvancedFormat]]");

	/* Header defaults. */
	if (s->id == NULL && !c->line_survey) {
		const char *base = filename ? strrchr(filename, '/') : NULL;
		base = base ? base + 1 : filename;
		size_t bl = base ? strlen(base) : 0;
		if (bl > 4 && strcmp(base + bl - 4, ".txt") == 0)
			bl -= 4;
		char low[QN_MAX_ID_LEN + 1];
		bool ok = bl > 0 && bl <= QN_MAX_ID_LEN;
		for (size_t i = 0; ok && i < bl; i++) {
			low[i] = (char)tolower((unsigned char)base[i]);
			if (low[i] == '_' || low[i] == ' ')
				low[i] = '-';
		}
		if (ok && valid_id(low, bl, false) && memchr(low, '_', bl) == NULL)
			s->id = dup(c, low, bl);
		else
			ERR(c, 0, 0, "add a line such as [[Survey:alumni-readiness-2026]]",
			    "the file name does not make a valid survey id");
	}
	if (s->title == NULL && !c->line_title)
		s->title = s->id;
	if (s->language == NULL)
		s->language = "ja";
	if (s->min_group == 0)
		s->min_group = QN_MIN_GROUP_DEFAULT;
	/* A comment is one person's words: naming its group never needs fewer
	 * people than a figure does (include/koe/dc.h, rule 4). */
	if (s->min_group_comments == 0)
		s->min_group_comments = s->min_group > QN_MIN_GROUP_COMMENTS_DEFAULT
		                            ? s->min_group
		                            : QN_MIN_GROUP_COMMENTS_DEFAULT;
	else if (s->min_group_comments < s->min_group)
		ERR(c, c->line_mincomments, c->col_mincomments,
		    "a comment is one person's words; use at least MinGroup",
		    "MinGroupComments (%d) must not be below MinGroup (%d)", s->min_group_comments,
		    s->min_group);

	/* Questions. */
	s->questions = arena_alloc(c->a, (nq ? nq : 1) * sizeof(*s->questions));
	s->scales = arena_alloc(c->a, (nq ? nq : 1) * sizeof(*s->scales));
	if (s->questions == NULL || s->scales == NULL) {
		c->oom = true;
		return;
	}
	for (size_t i = 0; i < nq; i++) {
		const struct pquestion *p = &c->qs[i];
		struct qn_question *q = &s->questions[i];
		char autoid[16];
		bool likert;

		memset(q, 0, sizeof(*q));
		q->type = p->type;
		q->layout = p->layout;
		q->line = p->line;
		q->block = p->block;
		q->page = p->page;
		q->required = p->required;
		q->reverse = p->reverse;
		q->scale = -1;
		if (p->id) {
			q->id = p->id;
		} else {
			snprintf(autoid, sizeof(autoid), "Q%zu", i + 1);
			q->id = dup(c, autoid, strlen(autoid));
		}
		if (!p->type_ok)
			continue;
		if (p->rawlen == 0)
			ERR(c, p->line, 1, "write the question on the lines after its tags",
			    "question '%s' has no text", q->id);
		else if (p->rawlen > QN_MAX_TEXT_BYTES)
			ERR(c, p->text_line, 1, NULL, "question '%s' text is longer than %d bytes",
			    q->id, QN_MAX_TEXT_BYTES);
		q->text = p->raw && p->rawlen <= QN_MAX_TEXT_BYTES
		                  ? qn_html_sanitize(c->a, p->raw, p->rawlen)
		                  : "";
		q->text_en = p->en ? qn_html_sanitize(c->a, p->en, strlen(p->en)) : NULL;
		/* NULL from the sanitizer means the arena ran out, not "no text". */
		if (q->text == NULL || (p->en != NULL && q->text_en == NULL))
			c->oom = true;

		/* Which lists a type takes. */
		bool wants_choices = q->type == QN_MC_SINGLE || q->type == QN_MC_MULTI ||
		                     q->type == QN_MATRIX;
		if (!wants_choices && p->saw_choices)
			ERR(c, p->choices_line, 1, NULL, "%s question '%s' takes no choices",
			    qn_type_name(q->type), q->id);
		if (q->type != QN_MATRIX && p->saw_answers)
			ERR(c, p->answers_line, 1, "only Matrix questions have answer columns",
			    "%s question '%s' takes no [[Answers]]", qn_type_name(q->type), q->id);
		if (q->type == QN_DB && p->required)
			ERR(c, p->required_line, 1, NULL,
			    "descriptive text '%s' has no answer to require", q->id);

		likert = q->type == QN_MATRIX || (q->type == QN_MC_SINGLE && p->scale);
		if (q->type == QN_MATRIX) {
			q->choices = finish_choices(c, q->id, &p->choices, false, "row");
			q->nchoices = q->choices ? p->choices.n : 0;
			q->answers = finish_choices(c, q->id, &p->answers, true, "answer");
			q->nanswers = q->answers ? p->answers.n : 0;
			if (q->nchoices == 0)
				ERR(c, p->line, 1, "list the statements after [[Choices]]",
				    "Matrix question '%s' has no rows", q->id);
			if (q->nanswers < 2)
				ERR(c, p->line, 1, "list the scale points after [[Answers]]",
				    "Matrix question '%s' needs at least 2 answer columns", q->id);
			else if (q->nanswers > QN_MAX_LIKERT)
				ERR(c, p->line, 1, NULL,
				    "Matrix question '%s' has %zu answer columns (at most %d)", q->id,
				    q->nanswers, QN_MAX_LIKERT);
			if (q->answers)
				qsort(q->answers, q->nanswers, sizeof(*q->answers), cmp_recode);
			if (p->reverse)
				for (size_t r = 0; r < q->nchoices; r++)
					q->choices[r].reverse = !q->choices[r].reverse;
		} else if (wants_choices) {
			q->choices = finish_choices(c, q->id, &p->choices, likert, "choice");
			q->nchoices = q->choices ? p->choices.n : 0;
			if (q->nchoices == 0)
				ERR(c, p->line, 1, "list the choices after [[Choices]]",
				    "question '%s' has no choices", q->id);
			else if (q->nchoices == 1)
				ERR(c, p->line, 1, "add at least one more choice",
				    "question '%s' has only one choice", q->id);
			if (likert && q->nchoices > QN_MAX_LIKERT)
				ERR(c, p->line, 1, NULL,
				    "scale question '%s' has %zu points (at most %d)", q->id,
				    q->nchoices, QN_MAX_LIKERT);
		}
		if (p->reverse && q->type != QN_MATRIX && !(q->type == QN_MC_SINGLE && p->scale))
			ERR(c, p->line, 1, "only scale items are scored, so only they can be reversed",
			    "[[Reverse]] on question '%s', which is not in a scale", q->id);
		for (size_t r = 0; r < q->nchoices && q->type != QN_MATRIX; r++)
			if (p->choices.v[r].reverse)
				ERR(c, p->choices.v[r].line, 1, NULL, "only Matrix rows can be reversed");

		/* Scales and roles. */
		if (p->scale) {
			if (!likert) {
				ERR(c, p->scale_line, p->scale_col,
				    "scales are made of Matrix rows or single-answer MC questions",
				    "%s question '%s' cannot belong to a scale",
				    qn_type_name(q->type), q->id);
			} else {
				int si = find_scale(s, p->scale);
				int npoints = q->type == QN_MATRIX ? (int)q->nanswers : (int)q->nchoices;
				if (si < 0) {
					si = (int)s->nscales++;
					s->scales[si] = (struct qn_scale){.name = p->scale,
					                                  .role = QN_ROLE_NONE,
					                                  .npoints = npoints};
					scale_role_line[si] = 0;
				} else if (s->scales[si].npoints != npoints) {
					ERR(c, p->scale_line, p->scale_col,
					    "give every item of a scale the same answer points",
					    "scale '%s' mixes %d-point and %d-point items",
					    p->scale, s->scales[si].npoints, npoints);
				}
				q->scale = si;
				if (p->role != QN_ROLE_NONE) {
					struct qn_scale *sc = &s->scales[si];
					if (sc->role != QN_ROLE_NONE && sc->role != p->role)
						ERR(c, p->role_line, p->role_col, NULL,
						    "scale '%s' already has role '%s' (line %d)", sc->name,
						    qn_role_name(sc->role), scale_role_line[si]);
					else if (sc->role != QN_ROLE_NONE)
						ERR(c, p->role_line, p->role_col,
						    "declare a scale's role once",
						    "role of scale '%s' is declared twice (first on line %d)",
						    sc->name, scale_role_line[si]);
					else if (role_line[p->role])
						ERR(c, p->role_line, p->role_col,
						    "each role belongs to one scale",
						    "role '%s' is already given to another scale (line %d)",
						    qn_role_name(p->role), role_line[p->role]);
					else {
						sc->role = p->role;
						scale_role_line[si] = p->role_line;
						role_line[p->role] = p->role_line;
					}
				}
			}
		} else if (p->role != QN_ROLE_NONE && q->type != QN_NPS) {
			ERR(c, p->role_line, p->role_col,
			    "add [[Scale:name]] to this question; a role belongs to a scale",
			    "[[Role]] without a [[Scale]]");
		}

		switch (q->type) {
		case QN_MATRIX: nitems += q->nchoices; break;
		case QN_DB: break;
		default: nitems++; break;
		}
	}

	/* Question ids are unique, including the Q<n> ones given by position. */
	for (size_t i = 0; i < nq; i++)
		for (size_t j = 0; j < i; j++)
			if (s->questions[i].id && s->questions[j].id &&
			    strcmp(s->questions[i].id, s->questions[j].id) == 0) {
				const struct pquestion *p = &c->qs[i];
				ERR(c, p->id_line ? p->id_line : p->line, p->id_line ? p->id_col : 1,
				    "give every question its own [[ID]]",
				    "duplicate question id '%s' (first on line %d)",
				    s->questions[i].id, s->questions[j].line);
				break;
			}

	/* NPS role: an NPS question may carry a role directly (e.g. a 0–10
	 * "would you return" item counts for rejoin). */
	for (size_t i = 0; i < nq; i++)
		if (s->questions[i].type == QN_NPS && c->qs[i].role != QN_ROLE_NONE &&
		    c->qs[i].scale)
			ERR(c, c->qs[i].scale_line, c->qs[i].scale_col, NULL,
			    "NPS question '%s' cannot belong to a scale", s->questions[i].id);

	s->nquestions = nq;
	if (nitems == 0 && c->d->n == 0)
		ERR(c, 0, 0, "add at least one [[Question]] that people answer",
		    "the survey has no questions to answer");

	/* Answer items in questionnaire order. */
	s->items = arena_alloc(c->a, (nitems ? nitems : 1) * sizeof(*s->items));
	if (s->items == NULL) {
		c->oom = true;
		return;
	}
	for (size_t i = 0; i < nq && c->d->n == 0; i++) {
		struct qn_question *q = &s->questions[i];
		if (q->type == QN_MATRIX) {
			for (size_t r = 0; r < q->nchoices; r++) {
				char key[QN_MAX_ID_LEN + 16];
				snprintf(key, sizeof(key), "%s.%d", q->id, q->choices[r].recode);
				s->items[s->nitems++] = (struct qn_item){
					.key = dup(c, key, strlen(key)),
					.kind = QN_ITEM_LIKERT,
					.question = i,
					.row = r,
					.scale = q->scale,
					.reverse = q->choices[r].reverse,
					.required = q->required,
					.npoints = (int)q->nanswers,
				};
			}
			continue;
		}
		if (q->type == QN_DB)
			continue;
		struct qn_item it = {.key = q->id, .question = i, .scale = q->scale,
		                     .reverse = q->reverse, .required = q->required};
		switch (q->type) {
		case QN_MC_SINGLE:
			it.kind = q->scale >= 0 ? QN_ITEM_LIKERT : QN_ITEM_CHOICE;
			it.npoints = q->scale >= 0 ? (int)q->nchoices : 0;
			break;
		case QN_MC_MULTI: it.kind = QN_ITEM_MULTI; break;
		case QN_NPS:
			it.kind = QN_ITEM_NPS;
			it.npoints = 11;
			it.role = c->qs[i].role;
			break;
		default: it.kind = QN_ITEM_TEXT; break;
		}
		s->items[s->nitems++] = it;
	}
	for (size_t i = 0; i < s->nitems; i++)
		if (s->items[i].scale >= 0) {
			s->scales[s->items[i].scale].nitems++;
			s->items[i].role = s->scales[s->items[i].scale].role;
		}
	s->npages = 0;
	for (size_t i = 0; i < nq; i++)
		if (s->questions[i].page + 1 > s->npages)
			s->npages = s->questions[i].page + 1;
	/* Page numbers skip empty pages (a PageBreak right before a Block). */
	if (nq) {
		size_t prev = s->questions[0].page, renum = 0;
		for (size_t i = 0; i < nq; i++) {
			if (s->questions[i].page != prev) {
				prev = s->questions[i].page;
				renum++;
			}
			s->questions[i].page = renum;
		}
		s->npages = renum + 1;
	}
	s->blocks = c->blocks;
	s->nblocks = c->nblocks;
}

/* ---- entry point ------------------------------------------------------------- */

/* Reports the first invalid UTF-8 sequence or NUL byte; true when clean. */
static bool
check_utf8(struct ctx *c, const unsigned char *p, size_t len)
{
	int line = 1;
	size_t ls = 0;

	for (size_t i = 0; i < len;) {
		unsigned char b = p[i];
		size_t n;
		unsigned long cp;
		if (b == '\n') {
			line++;
			ls = i + 1;
			i++;
			continue;
		}
		if (b == 0) {
			ERR(c, line, koe_utf8_col((const char *)p + ls, i - ls),
			    "a text file has no NUL bytes; was it saved as UTF-16?",
			    "NUL byte in the file");
			return false;
		}
		if (b < 0x80) {
			i++;
			continue;
		}
		if (b >= 0xC2 && b <= 0xDF) {
			n = 2;
			cp = b & 0x1F;
		} else if (b >= 0xE0 && b <= 0xEF) {
			n = 3;
			cp = b & 0x0F;
		} else if (b >= 0xF0 && b <= 0xF4) {
			n = 4;
			cp = b & 0x07;
		} else {
			n = 0;
			cp = 0;
		}
		bool ok = n && i + n <= len;
		for (size_t k = 1; ok && k < n; k++) {
			if ((p[i + k] & 0xC0) != 0x80)
				ok = false;
			cp = (cp << 6) | (p[i + k] & 0x3F);
		}
		if (ok && ((n == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		           (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))))
			ok = false;
		if (!ok) {
			ERR(c, line, koe_utf8_col((const char *)p + ls, i - ls),
			    "save the file with the UTF-8 encoding",
			    "invalid UTF-8 byte 0x%02X", b);
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
	size_t before = diags->n + diags->dropped;
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
	if (check_utf8(&c, (const unsigned char *)bytes, len)) {
		scan_lines(&c, bytes, len);
		if (!c.oom)
			validate(&c, name);
	}
	sort_diags(diags, before < diags->n ? before : diags->n);
	if (c.oom || diags->oom)
		err = KOE_ENOMEM;
	else if (diags->n + diags->dropped > before)
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
