/* Questionnaire parser, pass two: checks the meaning of what qn_scan.c read
 * (header defaults, each question's text and lists, scales and roles, unique
 * ids) and derives the answer items and page numbers. One function per step;
 * every step reports into the same diagnostics list, which qn_parse() sorts
 * by position afterwards. docs/ARCHITECTURE.md §5. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qn_internal.h"

/* Role bookkeeping across questions: where each role and each scale's role
 * was declared, for "already given" messages. */
struct roles {
	int role_line[4];                     /* by enum qn_role */
	int scale_role_line[QN_MAX_QUESTIONS]; /* by scale index */
};

/* ---- header -------------------------------------------------------------- */

/* The survey id from the file name: base name without ".txt", lower-cased,
 * '_' and ' ' read as '-'. */
static void
default_id(struct ctx *c, const char *filename)
{
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
	if (ok && qn_valid_id(low, bl, false) && memchr(low, '_', bl) == NULL)
		c->s->id = qn_dup(c, low, bl);
	else
		ERR(c, 0, 0, "add a line such as [[Survey:alumni-readiness-2026]]",
		    "the file name does not make a valid survey id");
}

static void
validate_header(struct ctx *c, const char *filename)
{
	struct qn_survey *s = c->s;

	if (!c->line_advanced)
		ERR(c, 1, 1,
		    "koe reads Qualtrics Advanced Format; add [[AdvancedFormat]] as the first line",
		    "missing [[AdvancedFormat]]");
	if (s->id == NULL && !c->line_survey)
		default_id(c, filename);
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
}

/* ---- choices ------------------------------------------------------------- */

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
		out[i].text = p->raw ? qn_text_html(c, p->raw,
		                                    p->rawlen > QN_MAX_TEXT_BYTES ? 0 : p->rawlen,
		                                    &p->pos, p->line, p->col)
		                     : "";
		out[i].text_en = p->en ? qn_text_html(c, p->en, strlen(p->en), NULL, p->en_line,
		                                      p->en_col)
		                       : NULL;
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


/* ---- questions ------------------------------------------------------------ */

/* Copies what needs no checking and gives the question its id ("Q<n>" by
 * position when it has no [[ID]]). */
static void
question_init(struct ctx *c, size_t i)
{
	const struct pquestion *p = &c->qs[i];
	struct qn_question *q = &c->s->questions[i];

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
		q->id_text = p->id_text;
		q->id_line = p->id_line;
		q->id_col = p->id_col;
	} else {
		char autoid[16];
		snprintf(autoid, sizeof(autoid), "Q%zu", i + 1);
		q->id = qn_dup(c, autoid, strlen(autoid));
	}
}

static void
question_text(struct ctx *c, const struct pquestion *p, struct qn_question *q)
{
	if (p->rawlen == 0)
		ERR(c, p->line, 1, "write the question on the lines after its tags",
		    "question '%s' has no text", q->id);
	else if (p->rawlen > QN_MAX_TEXT_BYTES)
		ERR(c, p->text_line, 1, NULL, "question '%s' text is longer than %d bytes", q->id,
		    QN_MAX_TEXT_BYTES);
	q->text = p->raw && p->rawlen <= QN_MAX_TEXT_BYTES
	                  ? qn_text_html(c, p->raw, p->rawlen, &p->pos, p->text_line, 1)
	                  : "";
	q->text_en = p->en ? qn_text_html(c, p->en, strlen(p->en), NULL, p->en_line, p->en_col)
	                   : NULL;
	/* NULL from the sanitizer means the arena ran out, not "no text". */
	if (q->text == NULL || (p->en != NULL && q->text_en == NULL))
		c->oom = true;
}

static bool
wants_choices(enum qn_type t)
{
	return t == QN_MC_SINGLE || t == QN_MC_MULTI || t == QN_MATRIX;
}

/* Which lists and tags a type takes. */
static void
question_lists(struct ctx *c, const struct pquestion *p, const struct qn_question *q)
{
	if (!wants_choices(q->type) && p->saw_choices)
		ERR(c, p->choices_line, 1, NULL, "%s question '%s' takes no choices",
		    qn_type_name(q->type), q->id);
	if (q->type != QN_MATRIX && p->saw_answers)
		ERR(c, p->answers_line, 1, "only Matrix questions have answer columns",
		    "%s question '%s' takes no [[Answers]]", qn_type_name(q->type), q->id);
	if (q->type == QN_DB && p->required)
		ERR(c, p->required_line, 1, NULL, "descriptive text '%s' has no answer to require",
		    q->id);
}

/* A Matrix: rows are items, answer columns are the scale points. */
static void
matrix_lists(struct ctx *c, const struct pquestion *p, struct qn_question *q)
{
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
		ERR(c, p->line, 1, NULL, "Matrix question '%s' has %zu answer columns (at most %d)",
		    q->id, q->nanswers, QN_MAX_LIKERT);
	if (q->answers)
		qsort(q->answers, q->nanswers, sizeof(*q->answers), cmp_recode);
	if (p->reverse)
		for (size_t r = 0; r < q->nchoices; r++)
			q->choices[r].reverse = !q->choices[r].reverse;
}

/* An MC question; likert when it is a scale item (its choices are points). */
static void
mc_choices(struct ctx *c, const struct pquestion *p, struct qn_question *q, bool likert)
{
	q->choices = finish_choices(c, q->id, &p->choices, likert, "choice");
	q->nchoices = q->choices ? p->choices.n : 0;
	if (q->nchoices == 0)
		ERR(c, p->line, 1, "list the choices after [[Choices]]",
		    "question '%s' has no choices", q->id);
	else if (q->nchoices == 1)
		ERR(c, p->line, 1, "add at least one more choice", "question '%s' has only one choice",
		    q->id);
	if (likert && q->nchoices > QN_MAX_LIKERT)
		ERR(c, p->line, 1, NULL, "scale question '%s' has %zu points (at most %d)", q->id,
		    q->nchoices, QN_MAX_LIKERT);
}

/* Only scale items are scored, so only they can be reverse-coded. */
static void
question_reverse(struct ctx *c, const struct pquestion *p, const struct qn_question *q)
{
	if (p->reverse && q->type != QN_MATRIX && !(q->type == QN_MC_SINGLE && p->scale))
		ERR(c, p->line, 1, "only scale items are scored, so only they can be reversed",
		    "[[Reverse]] on question '%s', which is not in a scale", q->id);
	for (size_t r = 0; r < q->nchoices && q->type != QN_MATRIX; r++)
		if (p->choices.v[r].reverse)
			ERR(c, p->choices.v[r].line, 1, NULL, "only Matrix rows can be reversed");
}

/* ---- scales and roles ------------------------------------------------------ */

/* Gives the scale its role, unless it or the role is already taken. */
static void
scale_role(struct ctx *c, const struct pquestion *p, int si, struct roles *rl)
{
	struct qn_scale *sc = &c->s->scales[si];

	if (sc->role != QN_ROLE_NONE && sc->role != p->role)
		ERR(c, p->role_line, p->role_col, NULL, "scale '%s' already has role '%s' (line %d)",
		    sc->name, qn_role_name(sc->role), rl->scale_role_line[si]);
	else if (sc->role != QN_ROLE_NONE)
		ERR(c, p->role_line, p->role_col, "declare a scale's role once",
		    "role of scale '%s' is declared twice (first on line %d)", sc->name,
		    rl->scale_role_line[si]);
	else if (rl->role_line[p->role])
		ERR(c, p->role_line, p->role_col, "each role belongs to one scale",
		    "role '%s' is already given to another scale (line %d)", qn_role_name(p->role),
		    rl->role_line[p->role]);
	else {
		sc->role = p->role;
		rl->scale_role_line[si] = p->role_line;
		rl->role_line[p->role] = p->role_line;
	}
}

/* Puts a scale item into its scale (made by its first item), checking that
 * all items of a scale have the same points. */
static void
question_scale(struct ctx *c, const struct pquestion *p, struct qn_question *q, bool likert,
               struct roles *rl)
{
	struct qn_survey *s = c->s;

	if (!p->scale) {
		if (p->role != QN_ROLE_NONE && q->type != QN_NPS)
			ERR(c, p->role_line, p->role_col,
			    "add [[Scale:name]] to this question; a role belongs to a scale",
			    "[[Role]] without a [[Scale]]");
		return;
	}
	if (!likert) {
		ERR(c, p->scale_line, p->scale_col,
		    "scales are made of Matrix rows or single-answer MC questions",
		    "%s question '%s' cannot belong to a scale", qn_type_name(q->type), q->id);
		return;
	}
	int si = find_scale(s, p->scale);
	int npoints = q->type == QN_MATRIX ? (int)q->nanswers : (int)q->nchoices;
	if (si < 0) {
		si = (int)s->nscales++;
		s->scales[si] = (struct qn_scale){.name = p->scale, .role = QN_ROLE_NONE,
		                                  .npoints = npoints};
		rl->scale_role_line[si] = 0;
	} else if (s->scales[si].npoints != npoints) {
		ERR(c, p->scale_line, p->scale_col, "give every item of a scale the same answer points",
		    "scale '%s' mixes %d-point and %d-point items", p->scale, s->scales[si].npoints,
		    npoints);
	}
	q->scale = si;
	if (p->role != QN_ROLE_NONE)
		scale_role(c, p, si, rl);
}

/* Checks question i and returns how many answer items it makes. */
static size_t
validate_question(struct ctx *c, size_t i, struct roles *rl)
{
	const struct pquestion *p = &c->qs[i];
	struct qn_question *q = &c->s->questions[i];
	bool likert;

	question_init(c, i);
	if (!p->type_ok)
		return 0;
	question_text(c, p, q);
	question_lists(c, p, q);
	likert = q->type == QN_MATRIX || (q->type == QN_MC_SINGLE && p->scale);
	if (q->type == QN_MATRIX)
		matrix_lists(c, p, q);
	else if (wants_choices(q->type))
		mc_choices(c, p, q, likert);
	question_reverse(c, p, q);
	question_scale(c, p, q, likert, rl);
	switch (q->type) {
	case QN_MATRIX: return q->nchoices;
	case QN_DB: return 0;
	default: return 1;
	}
}

/* Questions i and j (j first) have the same answer key: either the same id
 * or two ids written differently that make the same key ("Stim 1" and
 * "Stim_1"), which would mix their answers in reports and comparisons. */
static void
id_clash(struct ctx *c, size_t i, size_t j)
{
	const struct pquestion *p = &c->qs[i], *f = &c->qs[j];
	const struct qn_question *q = &c->s->questions[i], *fq = &c->s->questions[j];
	int line = p->id_line ? p->id_line : p->line, col = p->id_line ? p->id_col : 1;
	const char *a = q->id_text ? q->id_text : q->id, *b = fq->id_text ? fq->id_text : fq->id;

	if (strcmp(a, b) == 0) {
		ERR(c, line, col, "give every question its own [[ID]]",
		    "duplicate question id '%s' (first on line %d)", q->id, fq->line);
		return;
	}
	ERR(c, line, col, "change one of the two ids",
	    "question id '%s' makes the answer key '%s', as '%s' at %d:%d does", a, q->id, b,
	    f->id_line ? f->id_line : f->line, f->id_line ? f->id_col : 1);
}

/* Question ids are unique, including the Q<n> ones given by position; an
 * NPS question may carry a role directly (e.g. a 0–10 "would you return"
 * item counts for rejoin) but then belongs to no scale. */
static void
validate_ids(struct ctx *c, size_t nq)
{
	struct qn_survey *s = c->s;

	for (size_t i = 0; i < nq; i++)
		for (size_t j = 0; j < i; j++)
			if (s->questions[i].id && s->questions[j].id &&
			    strcmp(s->questions[i].id, s->questions[j].id) == 0) {
				id_clash(c, i, j);
				break;
			}
	for (size_t i = 0; i < nq; i++)
		if (s->questions[i].type == QN_NPS && c->qs[i].role != QN_ROLE_NONE && c->qs[i].scale)
			ERR(c, c->qs[i].scale_line, c->qs[i].scale_col, NULL,
			    "NPS question '%s' cannot belong to a scale", s->questions[i].id);
}

/* Checks every question; returns the number of answer items they make, or
 * SIZE_MAX when memory ran out. */
static size_t
validate_questions(struct ctx *c, size_t nq)
{
	struct qn_survey *s = c->s;
	struct roles rl = {{0}, {0}};
	size_t nitems = 0;

	s->questions = arena_alloc(c->a, (nq ? nq : 1) * sizeof(*s->questions));
	s->scales = arena_alloc(c->a, (nq ? nq : 1) * sizeof(*s->scales));
	if (s->questions == NULL || s->scales == NULL) {
		c->oom = true;
		return SIZE_MAX;
	}
	for (size_t i = 0; i < nq; i++)
		nitems += validate_question(c, i, &rl);
	validate_ids(c, nq);
	return nitems;
}

/* ---- answer items ---------------------------------------------------------- */

static void
matrix_items(struct ctx *c, size_t i)
{
	struct qn_survey *s = c->s;
	const struct qn_question *q = &s->questions[i];

	for (size_t r = 0; r < q->nchoices; r++) {
		char key[QN_MAX_ID_LEN + 16];
		snprintf(key, sizeof(key), "%s.%d", q->id, q->choices[r].recode);
		s->items[s->nitems++] = (struct qn_item){
			.key = qn_dup(c, key, strlen(key)),
			.kind = QN_ITEM_LIKERT,
			.question = i,
			.row = r,
			.scale = q->scale,
			.reverse = q->choices[r].reverse,
			.required = q->required,
			.npoints = (int)q->nanswers,
		};
	}
}

/* The answer items in questionnaire order (only for a file without errors),
 * and each scale's item count and role. */
static void
build_items(struct ctx *c, size_t nq, size_t nitems)
{
	struct qn_survey *s = c->s;

	s->items = arena_alloc(c->a, (nitems ? nitems : 1) * sizeof(*s->items));
	if (s->items == NULL) {
		c->oom = true;
		return;
	}
	for (size_t i = 0; i < nq && koe_diags_errors(c->d) == 0; i++) {
		const struct qn_question *q = &s->questions[i];
		if (q->type == QN_MATRIX) {
			matrix_items(c, i);
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
}

/* ---- pages ------------------------------------------------------------------- */

/* Page numbers skip empty pages (a PageBreak right before a Block). */
static void
number_pages(struct qn_survey *s, size_t nq)
{
	s->npages = 0;
	for (size_t i = 0; i < nq; i++)
		if (s->questions[i].page + 1 > s->npages)
			s->npages = s->questions[i].page + 1;
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
}

/* ---- the pass ------------------------------------------------------------------ */

void
qn_validate(struct ctx *c, const char *filename)
{
	struct qn_survey *s = c->s;
	size_t nq = c->nq > QN_MAX_QUESTIONS ? QN_MAX_QUESTIONS : c->nq;
	size_t nitems;

	validate_header(c, filename);
	nitems = validate_questions(c, nq);
	if (nitems == SIZE_MAX)
		return;
	s->nquestions = nq;
	if (nitems == 0 && koe_diags_errors(c->d) == 0)
		ERR(c, 0, 0, "add at least one [[Question]] that people answer",
		    "the survey has no questions to answer");
	build_items(c, nq, nitems);
	if (s->items == NULL)
		return;
	number_pages(s, nq);
	s->blocks = c->blocks;
	s->nblocks = c->nblocks;
	qn_conds_finish(c);
}
