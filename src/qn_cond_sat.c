/* Whether a display condition can ever be true (docs/ARCHITECTURE.md §5.2).
 *
 * A condition only tests earlier answers, and those questions may carry
 * conditions of their own: "b = 1" cannot hold when b is only shown to
 * people who answered a = 2 and the condition also asks a = 1. The check
 * tries every combination of answers to the questions involved (each
 * possible value or no answer; for a multiple-answer question, every subset
 * of the choices the conditions mention), skips the combinations in which a
 * hidden question has an answer, and reports the condition when none makes
 * it true. Questionnaires are small and hand-written; when the combinations
 * exceed a bound the check does not guess: it says with a warning that it
 * could not tell. */
#include <stdlib.h>
#include <string.h>

#include "qn_internal.h"

#define SAT_MAX_ITEMS 12
#define SAT_MAX_MULTI 10        /* mentioned choices of one multiple-answer item */
#define SAT_MAX_TRIES 200000

struct sat {
	const struct qn_survey *s;
	size_t n;
	size_t item[SAT_MAX_ITEMS];
	bool multi[SAT_MAX_ITEMS];
	int vals[SAT_MAX_ITEMS][QN_MAX_CHOICES]; /* possible values (multi: mentioned) */
	size_t nvals[SAT_MAX_ITEMS];
	size_t size[SAT_MAX_ITEMS]; /* choices of pick: absent + values, or 2^nvals */
	size_t pick[SAT_MAX_ITEMS]; /* 0: no answer; k: vals[k-1]; multi: bit mask */
	bool too_big;
};

static long
slot_of(const struct sat *st, size_t item)
{
	for (size_t j = 0; j < st->n; j++)
		if (st->item[j] == item)
			return (long)j;
	return -1;
}

static void
add_value(struct sat *st, size_t j, int v)
{
	for (size_t k = 0; k < st->nvals[j]; k++)
		if (st->vals[j][k] == v)
			return;
	if (st->nvals[j] == SAT_MAX_MULTI) {
		st->too_big = true;
		return;
	}
	st->vals[j][st->nvals[j]++] = v;
}

static void
add_item(struct sat *st, size_t item)
{
	const struct qn_item *it = &st->s->items[item];
	const struct qn_question *q = &st->s->questions[it->question];
	size_t j = st->n;

	if (j == SAT_MAX_ITEMS) {
		st->too_big = true;
		return;
	}
	st->item[j] = item;
	st->multi[j] = it->kind == QN_ITEM_MULTI;
	st->nvals[j] = 0;
	st->n++;
	if (st->multi[j])
		return; /* values come from the tests that mention them */
	if (it->kind == QN_ITEM_NPS) {
		for (int v = 0; v <= 10; v++)
			st->vals[j][st->nvals[j]++] = v;
		return;
	}
	const struct qn_choice *list = q->type == QN_MATRIX ? q->answers : q->choices;
	size_t nl = q->type == QN_MATRIX ? q->nanswers : q->nchoices;
	for (size_t k = 0; k < nl && k < QN_MAX_CHOICES; k++)
		st->vals[j][st->nvals[j]++] = list[k].recode;
}

/* Adds the items a condition tests (and the choices it mentions of
 * multiple-answer ones). */
static void
add_cond(struct sat *st, const struct qn_cond *c)
{
	for (size_t i = 0; c && i < c->nnodes && !st->too_big; i++) {
		const struct qn_cond_node *n = &c->nodes[i];
		if (n->op != QN_COND_TEST)
			continue;
		if (slot_of(st, n->item) < 0)
			add_item(st, n->item);
		long j = slot_of(st, n->item);
		if (j < 0 || !st->multi[j])
			continue;
		const struct qn_question *q = &st->s->questions[st->s->items[n->item].question];
		for (size_t r = 0; r < n->nranges; r++)
			for (size_t k = 0; k < q->nchoices; k++)
				if (q->choices[k].recode >= n->ranges[r].lo &&
				    q->choices[k].recode <= n->ranges[r].hi)
					add_value(st, (size_t)j, q->choices[k].recode);
	}
}

static bool
sat_has(const void *ctx, size_t item, int lo, int hi)
{
	const struct sat *st = ctx;
	long j = slot_of(st, item);
	if (j < 0)
		return false;
	if (st->multi[j]) {
		for (size_t k = 0; k < st->nvals[j]; k++)
			if ((st->pick[j] >> k & 1u) && st->vals[j][k] >= lo && st->vals[j][k] <= hi)
				return true;
		return false;
	}
	if (st->pick[j] == 0)
		return false;
	int v = st->vals[j][st->pick[j] - 1];
	return v >= lo && v <= hi;
}

/* Every answered question of the combination is one its asker would see. */
static bool
consistent(const struct sat *st)
{
	for (size_t j = 0; j < st->n; j++)
		if (st->pick[j] != 0 &&
		    !qn_question_shown(st->s, st->s->items[st->item[j]].question, sat_has, st))
			return false;
	return true;
}

static bool
target_true(const struct sat *st, const struct pcond *pc)
{
	if (pc->on_block)
		return qn_cond_eval(st->s->blocks[pc->index].show_if, sat_has, st);
	return qn_question_shown(st->s, pc->index, sat_has, st);
}

/* Collects the items and their domains; false when too many to try. */
static bool
sat_setup(struct sat *st, const struct pcond *pc)
{
	const struct qn_survey *s = st->s;
	if (pc->on_block) {
		add_cond(st, s->blocks[pc->index].show_if);
	} else {
		add_cond(st, s->blocks[s->questions[pc->index].block].show_if);
		add_cond(st, s->questions[pc->index].show_if);
	}
	/* The conditions of the questions tested, and of theirs, in turn. */
	for (size_t j = 0; j < st->n && !st->too_big; j++) {
		const struct qn_question *q = &s->questions[s->items[st->item[j]].question];
		add_cond(st, s->blocks[q->block].show_if);
		add_cond(st, q->show_if);
	}
	double tries = 1;
	for (size_t j = 0; j < st->n; j++) {
		st->size[j] = st->multi[j] ? (size_t)1 << st->nvals[j] : st->nvals[j] + 1;
		tries *= (double)st->size[j];
	}
	return !st->too_big && tries <= SAT_MAX_TRIES;
}

void
qn_cond_check_reachable(struct ctx *c, const struct pcond *pc)
{
	struct sat *st = calloc(1, sizeof(*st));
	if (st == NULL) {
		c->oom = true;
		return;
	}
	st->s = c->s;
	bool reachable = !sat_setup(st, pc);
	if (reachable) {
		/* Too many combinations to try: say so rather than guess. */
		koe_diags_warn(c->d, pc->line, pc->col,
		               "preview the questionnaire (koe preview) and answer along this path",
		               "koe could not check whether this [[ShowIf]] can ever be true: its "
		               "conditions involve too many answers to try");
	}
	while (!reachable) {
		if (consistent(st) && target_true(st, pc)) {
			reachable = true;
			break;
		}
		size_t j = 0; /* next combination, odometer style */
		while (j < st->n && ++st->pick[j] == st->size[j])
			st->pick[j++] = 0;
		if (j == st->n)
			break;
	}
	if (!reachable) {
		const struct qn_question *q = pc->on_block ? NULL : &c->s->questions[pc->index];
		const char *hint = "check the values and 'and'/'or'; a question that is hidden "
		                   "itself has no answer";
		if (q == NULL)
			ERR(c, pc->line, pc->col, hint, "block '%s' can never be shown: no answers make its [[ShowIf]] true",
			    c->s->blocks[pc->index].name);
		else
			ERR(c, pc->line, pc->col, hint, "%squestion '%s' can never be shown: no answers make its [[ShowIf]] true",
			    q->required ? "required " : "", q->id);
	}
	free(st);
}
