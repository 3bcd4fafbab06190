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

/* Appends one line of text (at line:col of the file) to a raw buffer,
 * joining lines with <br>, and remembers where it came from. */
static void
append_text(struct ctx *c, char **raw, size_t *rawlen, struct tlines *pos, const char *s,
            size_t len, int line, int col)
{
	size_t sep = *rawlen ? 4 : 0;
	char *n;

	pos->v = qn_grow(c, pos->v, &pos->cap, pos->n, sizeof(*pos->v));
	if (pos->v == NULL)
		return;
	pos->v[pos->n++] = (struct tline){.off = *rawlen + sep, .line = line, .col = col};

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

static const char *const role_names[] = {"support", "rejoin", "morale"};

static struct pquestion *
cur_q(struct ctx *c)
{
	return c->nq ? &c->qs[c->nq - 1] : NULL;
}

/* ---- tags ---------------------------------------------------------------- */

int
qn_col_of(const struct tag *t, const char *p)
{
	return utf8_col(t->linestart, (size_t)(p - t->linestart));
}

/* Requires a non-empty argument; reports and returns false otherwise. */
bool
qn_need_arg(struct ctx *c, const struct tag *t, const char *example)
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

	if (!qn_need_arg(c, t, "[[En:English text]]"))
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
	case EN_COND:
		slot = &c->conds[c->nconds - 1].label_en;
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
	if (c->en == EN_QUESTION) {
		q->en_line = t->line;
		q->en_col = t->arg_col;
	} else if (c->en == EN_CHOICE || c->en == EN_ANSWER) {
		ch = last_choice(c);
		ch->en_line = t->line;
		ch->en_col = t->arg_col;
	}
}

static void
tag_survey(struct ctx *c, const struct tag *t)
{
	if (!header_only(c, t, &c->line_survey) ||
	    !qn_need_arg(c, t, "[[Survey:alumni-readiness-2026]]"))
		return;
	if (!qn_valid_id(t->arg, t->arglen, false)) {
		ERR(c, t->line, t->arg_col,
		    "use lower-case letters, digits and '-', at most 64 characters",
		    "invalid survey id '%.*s'", (int)t->arglen, t->arg);
		return;
	}
	c->s->id = qn_dup(c, t->arg, t->arglen);
}

static void
tag_title(struct ctx *c, const struct tag *t)
{
	if (!header_only(c, t, &c->line_title) || !qn_need_arg(c, t, "[[Title:...]]"))
		return;
	c->s->title = qn_dup(c, t->arg, t->arglen);
	c->en = EN_TITLE;
}

static void
tag_language(struct ctx *c, const struct tag *t)
{
	if (!header_only(c, t, &c->line_language) || !qn_need_arg(c, t, "[[Language:ja]]"))
		return;
	if (qn_ieq(t->arg, t->arglen, "ja"))
		c->s->language = "ja";
	else if (qn_ieq(t->arg, t->arglen, "en"))
		c->s->language = "en";
	else
		ERR(c, t->line, t->arg_col, "koe speaks 'ja' and 'en'",
		    "unsupported language '%.*s'", (int)t->arglen, t->arg);
}

static void
tag_mingroup(struct ctx *c, const struct tag *t)
{
	long v;

	if (!header_only(c, t, &c->line_mingroup) || !qn_need_arg(c, t, "[[MinGroup:5]]"))
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
	c->s->min_group = (int)v;
}

static void
tag_mingroupcomments(struct ctx *c, const struct tag *t)
{
	long v;

	if (!header_only(c, t, &c->line_mincomments) ||
	    !qn_need_arg(c, t, "[[MinGroupComments:10]]"))
		return;
	if (!qn_parse_int(t->arg, t->arglen, -1000000, 1000000, &v) || v < 1 || v > 1000) {
		ERR(c, t->line, t->arg_col, "use a whole number such as 10",
		    "MinGroupComments must be a number from 1 to 1000, not '%.*s'",
		    (int)t->arglen, t->arg);
		return;
	}
	/* Checked against MinGroup once the whole header is read. */
	c->col_mincomments = t->arg_col;
	c->s->min_group_comments = (int)v;
}

static void
tag_closes(struct ctx *c, const struct tag *t)
{
	if (!header_only(c, t, &c->line_closes) || !qn_need_arg(c, t, "[[Closes:2026-12-15]]"))
		return;
	if (!valid_date(t->arg, t->arglen)) {
		ERR(c, t->line, t->arg_col, "write the date as YYYY-MM-DD, e.g. 2026-12-15",
		    "invalid closing date '%.*s'", (int)t->arglen, t->arg);
		return;
	}
	c->s->closes = qn_dup(c, t->arg, t->arglen);
}

/* [[Theme:情報管理|情報,漏れ,管理]]: a comment theme and its keywords
 * (header only, repeatable). */
static void
tag_theme(struct ctx *c, const struct tag *t)
{
	const char *bar, *p, *end;
	const char *words[QN_MAX_THEME_WORDS];
	size_t n = 0;

	if (c->st != ST_HEADER) {
		ERR(c, t->line, t->name_col,
		    "put it at the top of the file, before the first block or question",
		    "[[%.*s]] belongs to the survey header", (int)t->namelen, t->name);
		return;
	}
	if (!qn_need_arg(c, t, "[[Theme:情報管理|情報,漏れ,管理]]"))
		return;
	bar = memchr(t->arg, '|', t->arglen);
	if (bar == NULL) {
		ERR(c, t->line, t->arg_col, "write the theme, a bar, then its keywords",
		    "[[Theme]] needs keywords: [[Theme:name|keyword,keyword]]");
		return;
	}
	const char *name = t->arg;
	size_t nl = (size_t)(bar - t->arg);
	qn_trim(&name, &nl);
	if (nl == 0) {
		ERR(c, t->line, t->arg_col, NULL, "[[Theme]] needs a name before the bar");
		return;
	}
	if (c->s->nthemes == QN_MAX_THEMES) {
		ERR(c, t->line, t->name_col, NULL, "at most %d themes", QN_MAX_THEMES);
		return;
	}
	p = bar + 1;
	end = t->arg + t->arglen;
	for (;;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end;
		const char *w = p;
		size_t wl = (size_t)(e - p);
		qn_trim(&w, &wl);
		if (wl == 0) {
			ERR(c, t->line, qn_col_of(t, w), "separate keywords with single commas",
			    "empty keyword in [[Theme]]");
			return;
		}
		if (n == QN_MAX_THEME_WORDS) {
			ERR(c, t->line, qn_col_of(t, w), NULL, "at most %d keywords per theme",
			    QN_MAX_THEME_WORDS);
			return;
		}
		if ((words[n++] = qn_dup(c, w, wl)) == NULL)
			return;
		if (!comma)
			break;
		p = comma + 1;
	}
	if (c->s->themes == NULL &&
	    (c->s->themes = arena_alloc(c->a, QN_MAX_THEMES * sizeof(*c->s->themes))) == NULL) {
		c->oom = true;
		return;
	}
	struct qn_theme *th = &c->s->themes[c->s->nthemes];
	th->name = qn_dup(c, name, nl);
	th->keywords = arena_alloc(c->a, n * sizeof(*th->keywords));
	if (th->name == NULL || th->keywords == NULL) {
		c->oom = true;
		return;
	}
	memcpy(th->keywords, words, n * sizeof(*words));
	th->nkeywords = n;
	c->s->nthemes++;
}

static void
tag_segments(struct ctx *c, const struct tag *t)
{
	const char *p, *end;
	const char *names[QN_MAX_SEGMENTS];
	size_t n = 0;

	if (!header_only(c, t, &c->line_segments) ||
	    !qn_need_arg(c, t, "[[Segments:department,tenure]]"))
		return;
	p = t->arg;
	end = t->arg + t->arglen;
	for (;;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end;
		const char *w = p;
		size_t wl = (size_t)(e - p);
		qn_trim(&w, &wl);
		int wcol = qn_col_of(t, w);
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
	if (q == NULL || !qn_need_arg(c, t, "[[ID:q1]]"))
		return;
	if (q->id) {
		ERR(c, t->line, t->name_col, NULL, "question already has [[ID:%s]] (line %d)",
		    q->id, q->id_line);
		return;
	}
	/* Ids as Qualtrics exports them ("Stim 1") are kept as written for
	 * koe check and get a safe answer key (qn_id_key). */
	char key[QN_MAX_ID_LEN + 1];
	size_t kl = t->arglen <= QN_MAX_ID_TEXT ? qn_id_key(t->arg, t->arglen, key, sizeof(key)) : 0;
	if (kl == 0 || strspn(key, "_-") == kl) {
		ERR(c, t->line, t->arg_col,
		    "use ASCII letters and digits; spaces and other characters become '_', at most 64 in all",
		    "invalid question id '%.*s'", (int)t->arglen, t->arg);
		return;
	}
	q->id = qn_dup(c, key, kl);
	if (kl != t->arglen || memcmp(key, t->arg, kl) != 0)
		q->id_text = qn_dup(c, t->arg, t->arglen);
	q->id_line = t->line;
	q->id_col = t->arg_col;
}

static void
tag_scale(struct ctx *c, const struct tag *t)
{
	struct pquestion *q = in_question(c, t);
	if (q == NULL || !qn_need_arg(c, t, "[[Scale:morale]]"))
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
	if (q == NULL || !qn_need_arg(c, t, "[[Role:support]]"))
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
tag_advancedformat(struct ctx *c, const struct tag *t)
{
	if (c->line_advanced)
		ERR(c, t->line, t->name_col, NULL,
		    "[[AdvancedFormat]] appears twice (first on line %d)", c->line_advanced);
	else if (c->seen_any_line)
		ERR(c, t->line, t->name_col, "move it to the first line",
		    "[[AdvancedFormat]] must be the first line of the file");
	c->line_advanced = t->line;
}

/* The table's handlers all take (ctx, tag); these fix which list. */
static void tag_choices(struct ctx *c, const struct tag *t) { tag_list(c, t, false, false); }
static void tag_advchoices(struct ctx *c, const struct tag *t) { tag_list(c, t, false, true); }
static void tag_answers(struct ctx *c, const struct tag *t) { tag_list(c, t, true, false); }
static void tag_advanswers(struct ctx *c, const struct tag *t) { tag_list(c, t, true, true); }
static void tag_one_choice(struct ctx *c, const struct tag *t) { tag_choice(c, t, false); }
static void tag_one_answer(struct ctx *c, const struct tag *t) { tag_choice(c, t, true); }

/* Every tag koe reads, in the order typo suggestions are tried. Most tags end
 * what a following [[En]] could translate; keeps_en marks those that do not
 * ([[En]] itself keeps it, so a second [[En]] is reported as such). */
static const struct tag_def {
	const char *name;
	void (*fn)(struct ctx *c, const struct tag *t);
	bool keeps_en;
} tag_defs[] = {
	{"AdvancedFormat", tag_advancedformat, false},
	{"Block", tag_block, false},
	{"PageBreak", tag_pagebreak, false},
	{"Question", qn_tag_question, false},
	{"ID", tag_id, false},
	{"Choices", tag_choices, false},
	{"Answers", tag_answers, false},
	{"AdvancedChoices", tag_advchoices, false},
	{"AdvancedAnswers", tag_advanswers, false},
	{"Choice", tag_one_choice, false},
	{"Answer", tag_one_answer, false},
	{"Survey", tag_survey, false},
	{"Title", tag_title, false},
	{"Language", tag_language, false},
	{"MinGroup", tag_mingroup, false},
	{"MinGroupComments", tag_mingroupcomments, false},
	{"Segments", tag_segments, false},
	{"Theme", tag_theme, false},
	{"Closes", tag_closes, false},
	{"Scale", tag_scale, false},
	{"Reverse", tag_reverse, true},
	{"Required", tag_required, true},
	{"Role", tag_role, false},
	{"ShowIf", qn_tag_showif, false},
	{"En", tag_en, true},
};
#define NTAG_DEFS (sizeof(tag_defs) / sizeof(tag_defs[0]))

static void
do_tag(struct ctx *c, const struct tag *t)
{
	for (size_t k = 0; k < NTAG_DEFS; k++)
		if (qn_ieq(t->name, t->namelen, tag_defs[k].name)) {
			if (!tag_defs[k].keeps_en)
				c->en = EN_NONE;
			tag_defs[k].fn(c, t);
			return;
		}

	const char *names[NTAG_DEFS];
	char word[64], hint[128];
	size_t nl = t->namelen;
	for (size_t k = 0; k < NTAG_DEFS; k++)
		names[k] = tag_defs[k].name;
	snprintf(word, sizeof(word), "%.*s", (int)(nl < 63 ? nl : 63), t->name);
	const char *g = koe_suggest(word, names, NTAG_DEFS);
	if (g)
		snprintf(hint, sizeof(hint), "did you mean '%s'?", g);
	ERR(c, t->line, t->name_col, g ? hint : NULL, "unknown tag '[[%.*s]]'", (int)nl, t->name);
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
		append_text(c, &q->raw, &q->rawlen, &q->pos, s, len, line, col);
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
			append_text(c, &ch->raw, &ch->rawlen, &ch->pos, s, len, line, col);
			return;
		}
		ch = new_choice(c, cur_vec(c), line, col);
		c->en = c->st == ST_ANSWERS ? EN_ANSWER : EN_CHOICE;
		if (ch)
			append_text(c, &ch->raw, &ch->rawlen, &ch->pos, s, len, line, col);
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
