/* Display conditions: [[ShowIf:condition | label]] on a question or a block
 * (docs/ARCHITECTURE.md §5.2). Pass one (qn_tag_showif) only records where
 * the tag is and what it says; pass two (qn_conds_finish) parses the
 * condition, resolves every reference against the earlier questions,
 * checks the values against their recodes, compiles it into postfix nodes
 * and reports a condition that can never be true. The server, the report
 * and the simulated employees evaluate the compiled nodes (qn_cond_eval);
 * the page evaluates the same nodes from the manifest.
 *
 * Grammar (README, "Showing a question only to some people"):
 *   condition := term { "or" term }
 *   term      := factor { "and" factor }
 *   factor    := "(" condition ")" | test
 *   test      := ref "=" value { "," value }
 *   ref       := question id | Matrix id "." row recode
 *   value     := integer [ ".." integer ]
 * A test holds when the answer is one of the values (a multiple-answer
 * question: when any ticked choice is); an unanswered or unshown question
 * satisfies no test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "koe/utf8.h"
#include "qn_internal.h"

/* ---- pass one: the tag ---------------------------------------------------- */

static struct pcond *
cond_target(struct ctx *c, const struct tag *t, bool *on_block, size_t *index)
{
	if (c->st == ST_BLOCK && c->nblocks > 0 &&
	    (c->nq == 0 || c->qs[c->nq - 1].block != c->nblocks - 1)) {
		*on_block = true;
		*index = c->nblocks - 1;
	} else if ((c->st == ST_QUESTION || c->st == ST_CHOICES || c->st == ST_ANSWERS) &&
	           c->nq > 0) {
		if (c->nq > QN_MAX_QUESTIONS)
			return NULL;
		*on_block = false;
		*index = c->nq - 1;
	} else {
		ERR(c, t->line, t->name_col,
		    "put it right after [[Block:...]] (the whole block) or after [[Question:...]]",
		    "[[ShowIf]] belongs to a question or to a block before its first question");
		return NULL;
	}
	for (size_t i = 0; i < c->nconds; i++)
		if (c->conds[i].on_block == *on_block && c->conds[i].index == *index) {
			ERR(c, t->line, t->name_col, "join the conditions with 'and'",
			    "a second [[ShowIf]] for the same %s (first on line %d)",
			    *on_block ? "block" : "question", c->conds[i].line);
			return NULL;
		}
	c->conds = qn_grow(c, c->conds, &c->capconds, c->nconds, sizeof(*c->conds));
	return c->conds ? &c->conds[c->nconds] : NULL;
}

void
qn_tag_showif(struct ctx *c, const struct tag *t)
{
	bool on_block;
	size_t index;

	if (!qn_need_arg(c, t, "[[ShowIf:saw_leave = 1 | 同僚の退職を見聞きした人]]"))
		return;
	struct pcond *pc = cond_target(c, t, &on_block, &index);
	if (pc == NULL)
		return;
	memset(pc, 0, sizeof(*pc));
	const char *bar = memchr(t->arg, '|', t->arglen);
	pc->expr = t->arg;
	pc->exprlen = bar ? (size_t)(bar - t->arg) : t->arglen;
	qn_trim(&pc->expr, &pc->exprlen);
	if (bar) {
		const char *l = bar + 1;
		size_t ll = (size_t)(t->arg + t->arglen - l);
		qn_trim(&l, &ll);
		if (ll == 0) {
			ERR(c, t->line, qn_col_of(t, bar), "write who is asked after the bar, or drop the bar",
			    "empty label in [[ShowIf]]");
			return;
		}
		if ((pc->label = qn_dup(c, l, ll)) == NULL)
			return;
	}
	if (pc->exprlen == 0) {
		ERR(c, t->line, t->arg_col, "write a condition such as saw_leave = 1",
		    "[[ShowIf]] has no condition");
		return;
	}
	pc->linestart = t->linestart;
	pc->line = t->line;
	pc->col = t->name_col;
	pc->on_block = on_block;
	pc->index = index;
	c->nconds++;
	/* A following [[En:...]] translates the label. */
	c->en = pc->label ? EN_COND : EN_NONE;
}

/* ---- evaluation ------------------------------------------------------------ */

bool
qn_cond_eval(const struct qn_cond *c, qn_has_fn has, const void *ctx)
{
	bool v[QN_MAX_COND_NODES];

	if (c == NULL || c->nnodes == 0)
		return true;
	for (size_t i = 0; i < c->nnodes; i++) {
		const struct qn_cond_node *n = &c->nodes[i];
		switch (n->op) {
		case QN_COND_TEST:
			v[i] = false;
			for (size_t r = 0; r < n->nranges && !v[i]; r++)
				v[i] = has(ctx, n->item, n->ranges[r].lo, n->ranges[r].hi);
			break;
		case QN_COND_AND: v[i] = v[n->left] && v[n->right]; break;
		case QN_COND_OR: v[i] = v[n->left] || v[n->right]; break;
		}
	}
	return v[c->nnodes - 1];
}

bool
qn_question_shown(const struct qn_survey *s, size_t q, qn_has_fn has, const void *ctx)
{
	const struct qn_question *qq = &s->questions[q];
	return qn_cond_eval(s->blocks[qq->block].show_if, has, ctx) &&
	       qn_cond_eval(qq->show_if, has, ctx);
}

static const char *
cond_words(const struct qn_cond *c, bool en)
{
	if (c->label == NULL)
		return c->text;
	return en && c->label_en ? c->label_en : c->label;
}

const char *
qn_audience(const struct qn_survey *s, size_t q, bool en, char *buf, size_t cap)
{
	const struct qn_question *qq = &s->questions[q];
	const struct qn_cond *b = s->blocks[qq->block].show_if, *own = qq->show_if;

	if (b == NULL || own == NULL)
		return b ? cond_words(b, en) : own ? cond_words(own, en) : NULL;
	snprintf(buf, cap, en ? "%s, and %s" : "%s、かつ%s", cond_words(b, en), cond_words(own, en));
	return buf;
}

/* ---- pass two: parsing ------------------------------------------------------- */

struct cparse {
	struct ctx *c;
	const struct pcond *pc;
	const char *p, *end;
	size_t first_q;   /* tests may look at questions before this one */
	bool failed;      /* one error per condition: the rest would cascade */
	int depth;
	struct qn_cond_node nodes[QN_MAX_COND_NODES];
	size_t nnodes;
	struct qn_cond_range ranges[QN_MAX_COND_RANGES];
	size_t nranges;
	size_t tq[QN_MAX_COND_NODES]; /* TEST: question index */
};

#define CERR(cp, at, hint, ...)                                                              \
	do {                                                                                 \
		if (!(cp)->failed)                                                           \
			ERR((cp)->c, (cp)->pc->line,                                         \
			    utf8_col((cp)->pc->linestart, (size_t)((at) - (cp)->pc->linestart)), \
			    (hint), __VA_ARGS__);                                            \
		(cp)->failed = true;                                                         \
	} while (0)

static void
skip_space(struct cparse *cp)
{
	while (cp->p < cp->end && (*cp->p == ' ' || *cp->p == '\t'))
		cp->p++;
}

static bool
id_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_' || ch == '-';
}

/* A keyword ("and", "or") at the cursor, followed by a space, '(' or the end. */
static bool
keyword(struct cparse *cp, const char *kw)
{
	size_t n = strlen(kw);
	skip_space(cp);
	if ((size_t)(cp->end - cp->p) < n || !qn_ieq(cp->p, n, kw))
		return false;
	if (cp->p + n < cp->end && id_char(cp->p[n]))
		return false;
	cp->p += n;
	return true;
}

static size_t
add_node(struct cparse *cp, struct qn_cond_node n)
{
	if (cp->nnodes == QN_MAX_COND_NODES) {
		CERR(cp, cp->p, "split the question or simplify the condition",
		     "condition is too long (at most %d tests and operators)", QN_MAX_COND_NODES);
		return 0;
	}
	cp->nodes[cp->nnodes] = n;
	return cp->nnodes++;
}

static bool
read_int(struct cparse *cp, int *out)
{
	const char *s = cp->p;
	long v;
	while (cp->p < cp->end && *cp->p >= '0' && *cp->p <= '9')
		cp->p++;
	if (cp->p == s || !qn_parse_int(s, (size_t)(cp->p - s), 0, 9999, &v)) {
		CERR(cp, s, "values are the recode numbers of the choices, e.g. 1 or 9..10",
		     "expected a number from 0 to 9999");
		return false;
	}
	*out = (int)v;
	return true;
}

/* value { "," value } into cp->ranges; returns the first range's index. */
static size_t
read_values(struct cparse *cp, size_t *count)
{
	size_t first = cp->nranges;
	*count = 0;
	do {
		struct qn_cond_range r;
		skip_space(cp);
		const char *at = cp->p;
		if (!read_int(cp, &r.lo))
			return first;
		r.hi = r.lo;
		if (cp->end - cp->p >= 2 && cp->p[0] == '.' && cp->p[1] == '.') {
			cp->p += 2;
			if (!read_int(cp, &r.hi))
				return first;
			if (r.hi < r.lo) {
				CERR(cp, at, "write the smaller number first", "range %d..%d is empty",
				     r.lo, r.hi);
				return first;
			}
		}
		if (cp->nranges == QN_MAX_COND_RANGES) {
			CERR(cp, at, NULL, "too many values in one condition (at most %d)",
			     QN_MAX_COND_RANGES);
			return first;
		}
		cp->ranges[cp->nranges++] = r;
		(*count)++;
		skip_space(cp);
		if (cp->p == cp->end || *cp->p != ',')
			return first;
		cp->p++; /* another value follows the comma */
	} while (true);
}

static size_t parse_or(struct cparse *cp);

static bool resolve_test(struct cparse *cp, const char *ref, size_t reflen, size_t node,
                         const char *vals);

static size_t
parse_test(struct cparse *cp)
{
	skip_space(cp);
	const char *ref = cp->p;
	while (cp->p < cp->end && (id_char(*cp->p) || *cp->p == '.'))
		cp->p++;
	size_t reflen = (size_t)(cp->p - ref);
	if (reflen == 0) {
		CERR(cp, ref, "start with a question id, e.g. saw_leave = 1",
		     cp->p < cp->end ? "expected a question id here" : "the condition ends too early");
		return 0;
	}
	skip_space(cp);
	if (cp->p >= cp->end || *cp->p != '=') {
		CERR(cp, cp->p, "compare with '=', e.g. saw_leave = 1 or enps = 0..6",
		     "expected '=' after '%.*s'", (int)reflen, ref);
		return 0;
	}
	cp->p++;
	skip_space(cp);
	const char *vals = cp->p;
	size_t count, first = read_values(cp, &count);
	if (cp->failed)
		return 0;
	size_t n = add_node(cp, (struct qn_cond_node){.op = QN_COND_TEST, .nranges = count});
	if (cp->failed)
		return 0;
	cp->nodes[n].ranges = &cp->ranges[first]; /* rebased when copied out */
	resolve_test(cp, ref, reflen, n, vals);
	return n;
}

static size_t
parse_factor(struct cparse *cp)
{
	skip_space(cp);
	if (cp->p < cp->end && *cp->p == '(') {
		const char *open = cp->p++;
		if (++cp->depth > QN_MAX_COND_DEPTH) {
			CERR(cp, open, NULL, "parentheses nested too deeply (at most %d)",
			     QN_MAX_COND_DEPTH);
			return 0;
		}
		size_t n = parse_or(cp);
		skip_space(cp);
		if (cp->p < cp->end && *cp->p == ')')
			cp->p++;
		else
			CERR(cp, open, "close it with ')'", "unbalanced '('");
		cp->depth--;
		return n;
	}
	return parse_test(cp);
}

static size_t
parse_and(struct cparse *cp)
{
	size_t left = parse_factor(cp);
	while (!cp->failed && keyword(cp, "and")) {
		size_t right = parse_factor(cp);
		if (cp->failed)
			break;
		left = add_node(cp, (struct qn_cond_node){.op = QN_COND_AND, .left = left,
		                                          .right = right});
	}
	return left;
}

static size_t
parse_or(struct cparse *cp)
{
	size_t left = parse_and(cp);
	while (!cp->failed && keyword(cp, "or")) {
		size_t right = parse_and(cp);
		if (cp->failed)
			break;
		left = add_node(cp, (struct qn_cond_node){.op = QN_COND_OR, .left = left,
		                                          .right = right});
	}
	return left;
}

/* ---- pass two: what a test refers to ------------------------------------------- */

static long
find_question(const struct ctx *c, const char *id, size_t len)
{
	for (size_t i = 0; i < c->s->nquestions; i++) {
		const char *qid = c->s->questions[i].id;
		if (qid && strlen(qid) == len && memcmp(qid, id, len) == 0)
			return (long)i;
	}
	return -1;
}

static void
unknown_ref(struct cparse *cp, const char *ref, size_t len)
{
	const char *names[QN_MAX_QUESTIONS];
	size_t n = 0;
	char word[QN_MAX_ID_LEN + 1], hint[QN_MAX_ID_LEN + 32];
	for (size_t i = 0; i < cp->first_q && i < cp->c->s->nquestions; i++)
		if (cp->c->s->questions[i].id)
			names[n++] = cp->c->s->questions[i].id;
	snprintf(word, sizeof(word), "%.*s", (int)(len < QN_MAX_ID_LEN ? len : QN_MAX_ID_LEN), ref);
	const char *g = koe_suggest(word, names, n);
	if (g)
		snprintf(hint, sizeof(hint), "did you mean '%s'?", g);
	CERR(cp, ref, g ? hint : "name an earlier question by its [[ID]] (or Q1, Q2, ...)",
	     "[[ShowIf]] refers to unknown question '%.*s'", (int)len, ref);
}

/* Whether v is an answer the question (or its Matrix row) can carry. */
static bool
value_ok(const struct qn_question *q, int v)
{
	const struct qn_choice *list = q->type == QN_MATRIX ? q->answers : q->choices;
	size_t n = q->type == QN_MATRIX ? q->nanswers : q->nchoices;
	if (q->type == QN_NPS)
		return v >= 0 && v <= 10;
	for (size_t i = 0; i < n; i++)
		if (list[i].recode == v)
			return true;
	return false;
}

static void
check_values(struct cparse *cp, const struct qn_question *q, const char *qid,
             const struct qn_cond_node *n, const char *vals)
{
	for (size_t r = 0; r < n->nranges; r++) {
		int bad = !value_ok(q, n->ranges[r].lo) ? n->ranges[r].lo
		          : !value_ok(q, n->ranges[r].hi) ? n->ranges[r].hi : -1;
		if (bad < 0)
			continue;
		/* Point at the offending number as written. */
		const char *at = vals;
		char num[16];
		snprintf(num, sizeof(num), "%d", bad);
		for (const char *p = vals; p + strlen(num) <= cp->end; p++)
			if (memcmp(p, num, strlen(num)) == 0 &&
			    (p == vals || !(p[-1] >= '0' && p[-1] <= '9'))) {
				at = p;
				break;
			}
		CERR(cp, at,
		     q->type == QN_NPS      ? "NPS answers are 0 to 10"
		     : q->type == QN_MATRIX ? "a Matrix row is answered with its column values, 1 to "
		                              "the number of columns"
		                            : "use the recode value of a choice (1, 2, ... in order, or "
		                              "its [[Choice:N]])",
		     "%d is not an answer of '%s'", bad, qid);
		return;
	}
}

static bool
resolve_test(struct cparse *cp, const char *ref, size_t reflen, size_t node, const char *vals)
{
	const char *dot = memchr(ref, '.', reflen);
	size_t idlen = dot ? (size_t)(dot - ref) : reflen;
	long qi = find_question(cp->c, ref, idlen);
	const struct qn_question *q;

	if (qi < 0) {
		unknown_ref(cp, ref, idlen);
		return false;
	}
	q = &cp->c->s->questions[qi];
	if ((size_t)qi >= cp->first_q) {
		CERR(cp, ref, "a condition can only use answers given before the question or block "
		              "it belongs to",
		     (size_t)qi == cp->first_q && !cp->pc->on_block
		             ? "[[ShowIf]] of question '%.*s' refers to itself"
		             : "[[ShowIf]] refers to '%.*s', which comes later",
		     (int)idlen, ref);
		return false;
	}
	if (q->type == QN_TE_LINE || q->type == QN_TE_ESSAY || q->type == QN_DB) {
		CERR(cp, ref, "a condition tests choices, NPS and Matrix rows by their values",
		     q->type == QN_DB ? "'%s' is descriptive text and has no answer"
		                      : "'%s' is free text; a condition cannot test it",
		     q->id);
		return false;
	}
	cp->tq[node] = (size_t)qi;
	cp->nodes[node].item = 0;
	if (q->type == QN_MATRIX) {
		long row = -1;
		long rv;
		if (dot == NULL || !qn_parse_int(dot + 1, reflen - idlen - 1, 0, 9999, &rv)) {
			CERR(cp, ref, "name one row, e.g. engage.1 for its first row",
			     "'%s' is a Matrix; a condition tests one of its rows", q->id);
			return false;
		}
		for (size_t r = 0; r < q->nchoices; r++)
			if (q->choices[r].recode == rv)
				row = (long)r;
		if (row < 0) {
			CERR(cp, dot + 1, NULL, "Matrix '%s' has no row %ld", q->id, rv);
			return false;
		}
		cp->nodes[node].item = (size_t)row; /* the row until items are known */
	} else if (dot) {
		CERR(cp, dot, "only Matrix rows are named with '.'", "'%s' has no rows", q->id);
		return false;
	}
	check_values(cp, q, q->id, &cp->nodes[node], vals);
	return !cp->failed;
}

/* ---- pass two: the step ---------------------------------------------------------- */

static size_t
first_question_of_block(const struct ctx *c, size_t b)
{
	for (size_t i = 0; i < c->s->nquestions; i++)
		if (c->s->questions[i].block == b)
			return i;
	return c->s->nquestions;
}

/* The item of (question, row), once items exist. */
static bool
item_of(const struct qn_survey *s, size_t q, size_t row, size_t *out)
{
	for (size_t i = 0; i < s->nitems; i++)
		if (s->items[i].question == q && s->items[i].row == row) {
			*out = i;
			return true;
		}
	return false;
}

/* Copies a parsed condition into the arena; NULL when it failed. */
static struct qn_cond *
cond_copy(struct cparse *cp)
{
	struct ctx *c = cp->c;
	struct qn_cond *out = arena_alloc(c->a, sizeof(*out));
	struct qn_cond_node *nodes = arena_alloc(c->a, cp->nnodes * sizeof(*nodes));
	struct qn_cond_range *ranges = arena_alloc(c->a, (cp->nranges ? cp->nranges : 1) *
	                                                     sizeof(*ranges));
	char *text = qn_dup(c, cp->pc->expr, cp->pc->exprlen);

	if (out == NULL || nodes == NULL || ranges == NULL || text == NULL) {
		c->oom = true;
		return NULL;
	}
	memcpy(ranges, cp->ranges, cp->nranges * sizeof(*ranges));
	for (size_t i = 0; i < cp->nnodes; i++) {
		nodes[i] = cp->nodes[i];
		if (nodes[i].op != QN_COND_TEST)
			continue;
		nodes[i].ranges = ranges + (cp->nodes[i].ranges - cp->ranges);
		if (!item_of(c->s, cp->tq[i], cp->nodes[i].item, &nodes[i].item))
			return NULL; /* items are built only for a file without errors */
	}
	*out = (struct qn_cond){.text = text, .label = cp->pc->label,
	                        .label_en = cp->pc->label_en, .nodes = nodes,
	                        .nnodes = cp->nnodes, .line = cp->pc->line};
	return out;
}

static void
finish_one(struct ctx *c, const struct pcond *pc)
{
	struct cparse *cp = calloc(1, sizeof(*cp));
	if (cp == NULL) {
		c->oom = true;
		return;
	}
	cp->c = c;
	cp->pc = pc;
	cp->p = pc->expr;
	cp->end = pc->expr + pc->exprlen;
	cp->first_q = pc->on_block ? first_question_of_block(c, pc->index) : pc->index;
	parse_or(cp);
	skip_space(cp);
	if (!cp->failed && cp->p < cp->end)
		CERR(cp, cp->p, "join tests with 'and' or 'or'", "unexpected '%.*s' in [[ShowIf]]",
		     (int)(cp->end - cp->p > 16 ? 16 : cp->end - cp->p), cp->p);
	if (!cp->failed) {
		struct qn_cond *cond = cond_copy(cp);
		if (cond && pc->on_block)
			c->s->blocks[pc->index].show_if = cond;
		else if (cond)
			c->s->questions[pc->index].show_if = cond;
		if (cond)
			qn_cond_check_reachable(c, pc);
	}
	free(cp);
}

void
qn_conds_finish(struct ctx *c)
{
	c->s->nconds = c->nconds;
	for (size_t i = 0; i < c->nconds && !c->oom; i++)
		finish_one(c, &c->conds[i]);
}
