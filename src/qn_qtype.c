/* Questionnaire parser: the [[Question:TYPE:OPTION...]] tag. Question types
 * and their options are read from the two tables below; a new Qualtrics
 * spelling is a new row, and the rest of the parser sees only enum qn_type
 * and enum qn_layout. docs/ARCHITECTURE.md §5. */
#include <stdio.h>
#include <string.h>

#include "qn_internal.h"

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
	ERR(c, t->line, qn_col_of(t, w), hint, "unknown option '%.*s' for %.*s questions", (int)wl,
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
	int tcol = qn_col_of(t, parts[0]);

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
			ERR(c, t->line, qn_col_of(t, parts[i]), o->refuse_hint, "%s", o->refuse);
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
void
qn_tag_question(struct ctx *c, const struct tag *t)
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

	if (qn_need_arg(c, t, "[[Question:MC]]"))
		question_type(c, t, q);
}
