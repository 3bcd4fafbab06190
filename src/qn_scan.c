/* Questionnaire parser, pass one: walks the file line by line and builds a
 * loose picture of the header, blocks, questions and choices (struct ctx),
 * reporting syntax errors (unknown tags, text in the wrong place) as it goes.
 * Meaning is checked afterwards by qn_validate.c. docs/ARCHITECTURE.md §5. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "koe/utf8.h"
#include "qn_internal.h"

/* ---- small helpers ------------------------------------------------------ */

static bool
valid_date(const char *s, size_t len)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	long y, m, dd;

	if (len != 10 || s[4] != '-' || s[7] != '-')
		return false;
	if (!qn_parse_int(s, 4, 2000, 9999, &y) || !qn_parse_int(s + 5, 2, 1, 12, &m) ||
	    !qn_parse_int(s + 8, 2, 1, 31, &dd))
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

static const char *const role_names[] = {"support", "rejoin", "morale"};

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
	return utf8_col(t->linestart, (size_t)(p - t->linestart));
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

/* ---- [[Question:TYPE:OPTION...]] ------------------------------------------ */

/* Which options a question type takes. */
enum qfamily { QF_MC, QF_MATRIX, QF_TE, QF_NONE };

/* The type words, in the order suggestions are tried. */
static const struct qtype_word {
	const char *name;
	enum qn_type type;
	enum qfamily family;
} qtype_words[] = {
	{"MC", QN_MC_SINGLE, QF_MC},
	{"Matrix", QN_MATRIX, QF_MATRIX},
	{"TE", QN_TE_LINE, QF_TE},
	{"DB", QN_DB, QF_NONE},
	{"Text", QN_DB, QF_NONE},
	{"NPS", QN_NPS, QF_NONE},
};
#define NQTYPE_WORDS (sizeof(qtype_words) / sizeof(qtype_words[0]))

#define KEEP (-1) /* an option that leaves the type or layout as it is */

/* The option words of each family, in the order hints list them. An option
 * sets the type and/or the layout, is accepted as a no-op, or is refused
 * with a message. Aliases are not offered as suggestions. */
static const struct qoption {
	enum qfamily family;
	const char *name;
	int type;           /* enum qn_type, or KEEP */
	int layout;         /* enum qn_layout, or KEEP */
	bool alias;         /* accepted, never suggested */
	const char *refuse; /* non-NULL: an error with this message */
	const char *refuse_hint;
} qoptions[] = {
	{QF_MC, "SingleAnswer", QN_MC_SINGLE, KEEP, false, NULL, NULL},
	{QF_MC, "MultipleAnswer", QN_MC_MULTI, KEEP, false, NULL, NULL},
	{QF_MC, "MultiSelect", QN_MC_MULTI, KEEP, true, NULL, NULL},
	{QF_MC, "Vertical", KEEP, QN_VERTICAL, false, NULL, NULL},
	{QF_MC, "Horizontal", KEEP, QN_HORIZONTAL, false, NULL, NULL},
	{QF_MC, "DropDown", KEEP, QN_DROPDOWN, false, NULL, NULL},
	{QF_MATRIX, "Likert", KEEP, KEEP, false, NULL, NULL},
	{QF_MATRIX, "SingleAnswer", KEEP, KEEP, false, NULL, NULL},
	{QF_MATRIX, "MultipleAnswer", KEEP, KEEP, true,
	 "koe supports single-answer Likert matrices only",
	 "use one MC:MultipleAnswer question per row"},
	{QF_TE, "SingleLine", QN_TE_LINE, KEEP, false, NULL, NULL},
	{QF_TE, "Essay", QN_TE_ESSAY, KEEP, false, NULL, NULL},
};
#define NQOPTIONS (sizeof(qoptions) / sizeof(qoptions[0]))

/* Splits the argument TYPE[:SUB]* into at most max parts, each trimmed as
 * Qualtrics does. Returns the number of parts (at least 1). */
static size_t
split_parts(const char *arg, size_t arglen, const char **parts, size_t *plen, size_t max)
{
	const char *p = arg, *end = arg + arglen;
	size_t np = 0;

	while (p <= end && np < max) {
		const char *colon = memchr(p, ':', (size_t)(end - p));
		const char *e = colon ? colon : end;
		const char *s = p;
		size_t l = (size_t)(e - p);
		qn_trim(&s, &l);
		parts[np] = s;
		plen[np] = l;
		np++;
		if (!colon)
			break;
		p = colon + 1;
	}
	return np;
}

/* Reports an option its family does not take, suggesting a likely one. */
static void
unknown_option(struct ctx *c, const struct tag *t, enum qfamily fam, const char *tw,
               size_t twl, const char *w, size_t wl)
{
	const char *cand[NQOPTIONS];
	size_t ncand = 0;
	char word[64], hint[160];

	for (size_t k = 0; k < NQOPTIONS; k++)
		if (qoptions[k].family == fam && !qoptions[k].alias)
			cand[ncand++] = qoptions[k].name;
	snprintf(word, sizeof(word), "%.*s", (int)wl, w);
	const char *g = ncand ? koe_suggest(word, cand, ncand) : NULL;
	if (g)
		snprintf(hint, sizeof(hint), "did you mean '%s'?", g);
	else if (ncand)
		snprintf(hint, sizeof(hint), "'%.*s' takes %s%s%s%s%s", (int)twl, tw, cand[0],
		         ncand > 1 ? ", " : "", ncand > 1 ? cand[1] : "", ncand > 2 ? ", ..." : "",
		         "");
	else
		snprintf(hint, sizeof(hint), "'%.*s' takes no options", (int)twl, tw);
	ERR(c, t->line, col_of(t, w), hint, "unknown option '%.*s' for %.*s questions", (int)wl,
	    w, (int)twl, tw);
}

/* Reads TYPE[:OPTION]* into q; sets q->type_ok when every word is known. */
static void
question_type(struct ctx *c, const struct tag *t, struct pquestion *q)
{
	const char *parts[6];
	size_t plen[6];
	size_t np = split_parts(t->arg, t->arglen, parts, plen, 6);
	const struct qtype_word *tw = NULL;
	int tcol = col_of(t, parts[0]);

	if (plen[0] == 0) {
		ERR(c, t->line, tcol, "write it as [[Question:MC]]",
		    "[[Question]] needs a question type");
		return;
	}
	for (size_t k = 0; k < NQTYPE_WORDS && tw == NULL; k++)
		if (qn_ieq(parts[0], plen[0], qtype_words[k].name))
			tw = &qtype_words[k];
	if (tw == NULL) {
		const char *names[NQTYPE_WORDS];
		char word[64], hint[160];
		for (size_t k = 0; k < NQTYPE_WORDS; k++)
			names[k] = qtype_words[k].name;
		snprintf(word, sizeof(word), "%.*s", (int)plen[0], parts[0]);
		const char *g = koe_suggest(word, names, NQTYPE_WORDS);
		if (g)
			snprintf(hint, sizeof(hint), "did you mean '%s'?", g);
		else
			snprintf(hint, sizeof(hint), "koe supports MC, Matrix, TE, DB, Text and NPS");
		ERR(c, t->line, tcol, hint, "unknown question type '%.*s'", (int)plen[0], parts[0]);
		return;
	}
	q->type = tw->type;
	q->layout = QN_VERTICAL;
	for (size_t i = 1; i < np; i++) {
		const struct qoption *o = NULL;
		if (plen[i] == 0)
			continue;
		for (size_t k = 0; k < NQOPTIONS && o == NULL; k++)
			if (qoptions[k].family == tw->family &&
			    qn_ieq(parts[i], plen[i], qoptions[k].name))
				o = &qoptions[k];
		if (o == NULL) {
			unknown_option(c, t, tw->family, parts[0], plen[0], parts[i], plen[i]);
			return;
		}
		if (o->refuse) {
			ERR(c, t->line, col_of(t, parts[i]), o->refuse_hint, "%s", o->refuse);
			return;
		}
		if (o->type != KEEP)
			q->type = (enum qn_type)o->type;
		if (o->layout != KEEP)
			q->layout = (enum qn_layout)o->layout;
	}
	q->type_ok = true;
}

/* Starts a new question (in an implicit first block when no [[Block]] came
 * yet), then reads its type. */
static void
tag_question(struct ctx *c, const struct tag *t)
{
	struct pquestion *q;

	if (c->nq >= QN_MAX_QUESTIONS) {
		if (c->nq == QN_MAX_QUESTIONS)
			ERR(c, t->line, t->col, NULL, "too many questions (at most %d)",
			    QN_MAX_QUESTIONS);
		c->nq++; /* count, so the message appears once */
		c->st = ST_QUESTION;
		return;
	}
	c->qs = qn_grow(c, c->qs, &c->capq, c->nq, sizeof(*c->qs));
	if (c->qs == NULL)
		return;
	if (c->nblocks == 0) {
		c->blocks = qn_grow(c, c->blocks, &c->capb, c->nblocks, sizeof(*c->blocks));
		if (c->blocks == NULL)
			return;
		c->blocks[c->nblocks++] = (struct qn_block){.name = "", .name_en = NULL};
	}
	q = &c->qs[c->nq++];
	memset(q, 0, sizeof(*q));
	q->line = t->line;
	q->block = c->nblocks - 1;
	q->page = c->page;
	c->page_used = true;
	c->st = ST_QUESTION;
	c->advanced = false;
	c->adv_open = false;

	if (need_arg(c, t, "[[Question:MC]]"))
		question_type(c, t, q);
}


static void
tag_block(struct ctx *c, const struct tag *t)
{
	const char *name = "";
	if (t->arg && t->arglen) {
		name = qn_dup(c, t->arg, t->arglen);
		if (name == NULL)
			return;
	}
	c->blocks = qn_grow(c, c->blocks, &c->capb, c->nblocks, sizeof(*c->blocks));
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
	v->v = qn_grow(c, v->v, &v->cap, v->n, sizeof(*v->v));
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
	*slot = qn_dup(c, t->arg, t->arglen);
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
		if (!qn_valid_id(t->arg, t->arglen, false)) {
			ERR(c, t->line, t->arg_col,
			    "use lower-case letters, digits and '-', at most 64 characters",
			    "invalid survey id '%.*s'", (int)t->arglen, t->arg);
			return;
		}
		s->id = qn_dup(c, t->arg, t->arglen);
	} else if (strcmp(which, "title") == 0) {
		if (!header_only(c, t, &c->line_title) || !need_arg(c, t, "[[Title:...]]"))
			return;
		s->title = qn_dup(c, t->arg, t->arglen);
		c->en = EN_TITLE;
	} else if (strcmp(which, "language") == 0) {
		if (!header_only(c, t, &c->line_language) || !need_arg(c, t, "[[Language:ja]]"))
			return;
		if (qn_ieq(t->arg, t->arglen, "ja"))
			s->language = "ja";
		else if (qn_ieq(t->arg, t->arglen, "en"))
			s->language = "en";
		else
			ERR(c, t->line, t->arg_col, "koe speaks 'ja' and 'en'",
			    "unsupported language '%.*s'", (int)t->arglen, t->arg);
	} else if (strcmp(which, "mingroup") == 0) {
		if (!header_only(c, t, &c->line_mingroup) || !need_arg(c, t, "[[MinGroup:5]]"))
			return;
		if (!qn_parse_int(t->arg, t->arglen, -1000000, 1000000, &v) || v > 1000) {
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
		if (!qn_parse_int(t->arg, t->arglen, -1000000, 1000000, &v) || v < 1 || v > 1000) {
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
		s->closes = qn_dup(c, t->arg, t->arglen);
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
		qn_trim(&w, &wl);
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
		if (qn_ieq(w, wl, "employee_id") || qn_ieq(w, wl, "email") || qn_ieq(w, wl, "name")) {
			ERR(c, t->line, wcol,
			    "segments group people (e.g. department); identifying columns would defeat anonymity",
			    "'%.*s' cannot be a segment", (int)wl, w);
			return;
		}
		for (size_t i = 0; i < n; i++)
			if (qn_ieq(w, wl, names[i])) {
				ERR(c, t->line, wcol, NULL, "segment '%.*s' is listed twice",
				    (int)wl, w);
				return;
			}
		if (n == QN_MAX_SEGMENTS) {
			ERR(c, t->line, wcol, "fewer dimensions keep groups large enough",
			    "at most %d segments", QN_MAX_SEGMENTS);
			return;
		}
		names[n] = qn_dup(c, w, wl);
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
	if (!qn_valid_id(t->arg, t->arglen, true)) {
		ERR(c, t->line, t->arg_col,
		    "use letters, digits, '-' and '_', at most 64 characters",
		    "invalid question id '%.*s'", (int)t->arglen, t->arg);
		return;
	}
	q->id = qn_dup(c, t->arg, t->arglen);
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
	if (!qn_valid_id(t->arg, t->arglen, false)) {
		ERR(c, t->line, t->arg_col,
		    "use lower-case letters, digits, '-' and '_'",
		    "invalid scale name '%.*s'", (int)t->arglen, t->arg);
		return;
	}
	q->scale = qn_dup(c, t->arg, t->arglen);
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
	if (qn_ieq(t->arg, t->arglen, "support"))
		r = QN_ROLE_SUPPORT;
	else if (qn_ieq(t->arg, t->arglen, "rejoin"))
		r = QN_ROLE_REJOIN;
	else if (qn_ieq(t->arg, t->arglen, "morale"))
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
		if (!qn_parse_int(t->arg, t->arglen, 0, 9999, &v)) {
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
	if (qn_ieq(nm, nl, "AdvancedFormat")) {
		if (c->line_advanced)
			ERR(c, t->line, t->name_col, NULL,
			    "[[AdvancedFormat]] appears twice (first on line %d)", c->line_advanced);
		else if (c->seen_any_line)
			ERR(c, t->line, t->name_col, "move it to the first line",
			    "[[AdvancedFormat]] must be the first line of the file");
		c->line_advanced = t->line;
	} else if (qn_ieq(nm, nl, "Survey")) {
		tag_header_value(c, t, "survey");
	} else if (qn_ieq(nm, nl, "Title")) {
		tag_header_value(c, t, "title");
	} else if (qn_ieq(nm, nl, "Language")) {
		tag_header_value(c, t, "language");
	} else if (qn_ieq(nm, nl, "MinGroup")) {
		tag_header_value(c, t, "mingroup");
	} else if (qn_ieq(nm, nl, "MinGroupComments")) {
		tag_header_value(c, t, "mingroupcomments");
	} else if (qn_ieq(nm, nl, "Closes")) {
		tag_header_value(c, t, "closes");
	} else if (qn_ieq(nm, nl, "Segments")) {
		tag_segments(c, t);
	} else if (qn_ieq(nm, nl, "Block")) {
		tag_block(c, t);
	} else if (qn_ieq(nm, nl, "PageBreak")) {
		tag_pagebreak(c, t);
	} else if (qn_ieq(nm, nl, "Question")) {
		tag_question(c, t);
	} else if (qn_ieq(nm, nl, "ID")) {
		tag_id(c, t);
	} else if (qn_ieq(nm, nl, "Scale")) {
		tag_scale(c, t);
	} else if (qn_ieq(nm, nl, "Role")) {
		tag_role(c, t);
	} else if (qn_ieq(nm, nl, "Required")) {
		tag_required(c, t);
		c->en = keep;
	} else if (qn_ieq(nm, nl, "Reverse")) {
		tag_reverse(c, t);
		c->en = keep;
	} else if (qn_ieq(nm, nl, "Choices")) {
		tag_list(c, t, false, false);
	} else if (qn_ieq(nm, nl, "AdvancedChoices")) {
		tag_list(c, t, false, true);
	} else if (qn_ieq(nm, nl, "Answers")) {
		tag_list(c, t, true, false);
	} else if (qn_ieq(nm, nl, "AdvancedAnswers")) {
		tag_list(c, t, true, true);
	} else if (qn_ieq(nm, nl, "Choice")) {
		tag_choice(c, t, false);
	} else if (qn_ieq(nm, nl, "Answer")) {
		tag_choice(c, t, true);
	} else if (qn_ieq(nm, nl, "En")) {
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

/* ---- the pass ------------------------------------------------------------------ */

void
qn_scan(struct ctx *c, const char *buf, size_t len)
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
		qn_trim(&s, &sl);
		if (sl == 0)
			continue;
		int col = utf8_col(ls, (size_t)(s - ls));
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
			qn_trim(&t.name, &t.namelen);
			t.name_col = utf8_col(ls, (size_t)(t.name - ls));
			if (colon) {
				t.arg = colon + 1;
				t.arglen = (size_t)((in + inl) - t.arg);
				qn_trim(&t.arg, &t.arglen);
				t.arg_col = utf8_col(ls, (size_t)(t.arg - ls));
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
