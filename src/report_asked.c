/* Who was asked ([[ShowIf]], docs/ARCHITECTURE.md §8.8): for each question
 * with a display condition, the respondents it was shown to, found by
 * evaluating the compiled condition on each opened response.
 *
 * The statistics need nothing more: a hidden question has no answer, so an
 * item's n, a scale's complete cases and every breakdown are already
 * computed over the people who were asked. What is new is the count of
 * people asked itself. It is a count of an answer (how many gave the
 * triggering answer), so it is released like one: only after close, and
 * as a cell of rule 1 of include/koe/dc.h (0, or at least k people; the
 * people not asked are the other answers of the trigger, whose company
 * shares the report prints anyway). It is never released per group:
 * a group's asked count would tell how many in the group gave the
 * triggering answer, a figure no breakdown releases; per group, the
 * conditioned items' own n go through the column suppression of every item
 * (test_dc_attack7_asked_base). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

struct row {
	const struct qn_survey *s;
	const struct resp_table *t;
	size_t r;
};

/* First multi entry at or after (resp, item): entries are appended row by
 * row, in item order within a row. */
static size_t
multi_lower(const struct resp_table *t, size_t resp, size_t item)
{
	size_t lo = 0, hi = t->nmulti;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct resp_multi *m = &t->multi[mid];
		if (m->resp < resp || (m->resp == resp && m->item < item))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The qn_has_fn of one opened response: the table holds the value of a
 * single answer, and the count of a multiple answer's ticked choices, which
 * are listed in t->multi. */
static bool
row_has(const void *ctx, size_t item, int lo, int hi)
{
	const struct row *w = ctx;
	const struct resp_table *t = w->t;
	double x = t->num[item * t->n + w->r];

	if (isnan(x))
		return false;
	if (w->s->items[item].kind != QN_ITEM_MULTI)
		return x >= lo && x <= hi;
	for (size_t m = multi_lower(t, w->r, item);
	     m < t->nmulti && t->multi[m].resp == w->r && t->multi[m].item == item; m++)
		if (t->multi[m].value >= lo && t->multi[m].value <= hi)
			return true;
	return false;
}

enum koe_err
report_asked_compute(struct report *r, const struct resp_table *t)
{
	const struct qn_survey *s = r->s;
	size_t k = (size_t)s->min_group;

	r->asked = calloc(s->nquestions ? s->nquestions : 1, sizeof(*r->asked));
	if (r->asked == NULL)
		return KOE_ENOMEM;
	for (size_t q = 0; q < s->nquestions; q++) {
		struct report_asked *a = &r->asked[q];
		char buf[512];
		const char *label = qn_audience(s, q, r->en, buf, sizeof(buf));
		if (label == NULL)
			continue;
		if ((a->label = arena_strndup(&r->arena, label, strlen(label))) == NULL)
			return KOE_ENOMEM;
		for (size_t i = 0; i < t->n; i++) {
			struct row w = {s, t, i};
			if (qn_question_shown(s, q, row_has, &w))
				a->n++;
		}
		/* A cell of people like any other: 0, or at least k. */
		a->shown = !r->rounded && (a->n == 0 || a->n >= k);
		if (!a->shown)
			a->n = 0;
	}
	return KOE_OK;
}

const char *
report_asked_line(const struct report *r, size_t q, char *buf, size_t cap)
{
	const struct report_asked *a = r->asked ? &r->asked[q] : NULL;
	if (a == NULL || a->label == NULL)
		return NULL;
	if (a->shown)
		snprintf(buf, cap, r->en ? "Asked of: %s · n = %zu" : "対象: %s n = %zu", a->label, a->n);
	else
		snprintf(buf, cap,
		         r->en ? "Asked of: %s (how many is not shown: fewer than %d)"
		               : "対象: %s（人数は %d 人未満のため表示しません）",
		         a->label, r->s->min_group);
	return buf;
}

long
report_scale_asked(const struct report *r, size_t si)
{
	long q = -1;
	for (size_t i = 0; i < r->s->nitems; i++) {
		const struct qn_item *it = &r->s->items[i];
		if (it->scale != (int)si)
			continue;
		if (r->asked == NULL || r->asked[it->question].label == NULL)
			return -1;
		if (q >= 0 && strcmp(r->asked[q].label, r->asked[it->question].label) != 0)
			return -1;
		if (q < 0)
			q = (long)it->question;
	}
	return q;
}
