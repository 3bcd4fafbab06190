/* The figures of a report; see include/koe/report.h and report_internal.h.
 *
 * The statistics module sees a copy of the Likert and NPS columns only (it
 * knows nothing of choice or text items); the rest is counted here. Every
 * figure about a group of respondents is decided shown or hidden here,
 * once, with the statistics' own suppression rule, so the writers only
 * print what they are given. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "koe/tok.h"

#include "koe/dc.h"
#include "koe/utf8.h"
#include "report_internal.h"

void
report_free(struct report *r)
{
	if (r == NULL)
		return;
	stats_report_free(r->st);
	free(r->stats_to_item);
	free(r->item_to_stats);
	free(r->meta);
	free(r->item_label);
	free(r->question_label);
	free(r->scale_label);
	free(r->point_label);
	free(r->answer_label);
	free(r->segs);
	for (size_t i = 0; i < r->nchoices; i++)
		free(r->choices[i].opts);
	free(r->choices);
	free(r->comments);
	free(r->margins);
	free(r->seg_order);
	free(r->seg_pool);
	free(r->themes);
	free(r->asked);
	report_cmp_free(r->cmp);
	arena_free(&r->arena);
	free(r);
}

size_t
report_responses(const struct report *r)
{
	return r->nresp_shown;
}

bool
report_shown(const struct report *r)
{
	return r->st->shown == STATS_SHOWN;
}

/* The text of a question, choice or block in the report language, as plain
 * text (tags removed, entities decoded). Borrowed until arena_free(). */
static const char *
plain(struct report *r, const char *ja, const char *en)
{
	const char *html = r->en && en ? en : ja;
	return qn_html_to_plain(&r->arena, html ? html : "");
}

/* Length in code points of s up to its first clause delimiter (、。,.?？),
 * or of all of s; *bytes receives the byte length of that clause. */
static size_t
first_clause(const char *s, size_t *bytes)
{
	static const char *const delims[] = {"、", "。", "？", "，", ",", ".", "?"};
	size_t chars = 0, i = 0;
	while (s[i]) {
		for (size_t d = 0; d < sizeof(delims) / sizeof(delims[0]); d++)
			if (strncmp(s + i, delims[d], strlen(delims[d])) == 0)
				goto done;
		i++;
		while (utf8_is_cont((unsigned char)s[i]))
			i++;
		chars++;
	}
done:
	*bytes = i;
	return chars;
}

/* A short name for scale si (see the README's report section): the role's
 * name; else the name of its block when no other scale shares the block;
 * else the first clause of its question when that is short; else its id. */
static const char *
scale_label(struct report *r, size_t si)
{
	const struct qn_survey *s = r->s;
	const struct qn_question *first = NULL;
	size_t bytes;

	switch (s->scales[si].role) {
	case QN_ROLE_SUPPORT: return REPORT_TR(r, "制度への支持", "Support for the program");
	case QN_ROLE_REJOIN: return REPORT_TR(r, "再入社意向", "Willingness to return");
	case QN_ROLE_MORALE: return REPORT_TR(r, "職場の士気", "Morale");
	case QN_ROLE_NONE: break;
	}
	for (size_t q = 0; q < s->nquestions && first == NULL; q++)
		if (s->questions[q].scale == (int)si)
			first = &s->questions[q];
	if (first == NULL)
		return s->scales[si].name;
	bool alone = true;
	for (size_t q = 0; q < s->nquestions; q++)
		if (s->questions[q].block == first->block && s->questions[q].scale >= 0 &&
		    s->questions[q].scale != (int)si)
			alone = false;
	const struct qn_block *b = &s->blocks[first->block];
	if (alone && b->name && b->name[0] && (!r->en || b->name_en))
		return plain(r, b->name, b->name_en);
	const char *text = plain(r, first->text, first->text_en);
	if (text == NULL)
		return NULL;
	size_t chars = first_clause(text, &bytes);
	if (chars >= 4 && chars <= (r->en ? 40u : 24u))
		return arena_strndup(&r->arena, text, bytes);
	if (!r->en)
		return s->scales[si].name;
	/* "rejoin_terms" reads better as "Rejoin terms" in an English report. */
	char *id = arena_strdup(&r->arena, s->scales[si].name);
	if (id == NULL)
		return NULL;
	for (char *c = id; *c; c++)
		if (*c == '_' || *c == '-')
			*c = ' ';
	if (id[0] >= 'a' && id[0] <= 'z')
		id[0] = (char)(id[0] - 'a' + 'A');
	return id;
}

static enum koe_err
make_labels(struct report *r)
{
	const struct qn_survey *s = r->s;

	r->item_label = calloc(s->nitems + 1, sizeof(*r->item_label));
	r->question_label = calloc(s->nquestions + 1, sizeof(*r->question_label));
	r->scale_label = calloc(s->nscales + 1, sizeof(*r->scale_label));
	r->point_label = calloc(s->nscales + 1, sizeof(*r->point_label));
	r->answer_label = calloc(s->nquestions + 1, sizeof(*r->answer_label));
	if (!r->item_label || !r->question_label || !r->scale_label || !r->point_label ||
	    !r->answer_label)
		return KOE_ENOMEM;
	for (size_t q = 0; q < s->nquestions; q++) {
		const struct qn_question *qq = &s->questions[q];
		if ((r->question_label[q] = plain(r, qq->text, qq->text_en)) == NULL)
			return KOE_ENOMEM;
		if (qq->type != QN_MATRIX)
			continue;
		r->answer_label[q] = arena_alloc(&r->arena, (qq->nanswers + 1) * sizeof(char *));
		if (r->answer_label[q] == NULL)
			return KOE_ENOMEM;
		for (size_t a = 0; a < qq->nanswers; a++)
			if ((r->answer_label[q][a] = plain(r, qq->answers[a].text,
			                                   qq->answers[a].text_en)) == NULL)
				return KOE_ENOMEM;
	}
	for (size_t i = 0; i < s->nitems; i++) {
		const struct qn_item *it = &s->items[i];
		const struct qn_question *q = &s->questions[it->question];
		if (q->type == QN_MATRIX)
			r->item_label[i] = plain(r, q->choices[it->row].text, q->choices[it->row].text_en);
		else
			r->item_label[i] = r->question_label[it->question];
		if (r->item_label[i] == NULL)
			return KOE_ENOMEM;
	}
	for (size_t si = 0; si < s->nscales; si++) {
		const struct qn_question *q = NULL;
		int np = s->scales[si].npoints;
		if ((r->scale_label[si] = scale_label(r, si)) == NULL)
			return KOE_ENOMEM;
		for (size_t k = 0; k < s->nquestions && q == NULL; k++)
			if (s->questions[k].scale == (int)si)
				q = &s->questions[k];
		r->point_label[si] = arena_alloc(&r->arena, (size_t)(np > 0 ? np : 1) * sizeof(char *));
		if (r->point_label[si] == NULL)
			return KOE_ENOMEM;
		for (int p = 0; p < np; p++) {
			const struct qn_choice *c = NULL;
			if (q && q->type == QN_MATRIX && (size_t)p < q->nanswers)
				c = &q->answers[p];
			else if (q && (size_t)p < q->nchoices)
				c = &q->choices[p];
			r->point_label[si][p] = c ? plain(r, c->text, c->text_en) : "";
			if (r->point_label[si][p] == NULL)
				return KOE_ENOMEM;
		}
	}
	return KOE_OK;
}

static enum stats_role
stats_role_of(enum qn_role role)
{
	switch (role) {
	case QN_ROLE_SUPPORT: return STATS_ROLE_SUPPORT;
	case QN_ROLE_REJOIN: return STATS_ROLE_REJOIN;
	case QN_ROLE_MORALE: return STATS_ROLE_MORALE;
	case QN_ROLE_NONE: break;
	}
	return STATS_ROLE_NONE;
}

/* Runs the statistics over the Likert and NPS columns. The copy of the
 * columns and the group array live only for the call. */
static enum koe_err
compute_stats(struct report *r, const struct resp_table *t)
{
	const struct qn_survey *s = r->s;
	struct stats_data d = {0};
	double *x = NULL;
	int *group = NULL;
	enum stats_role *roles = NULL;
	enum koe_err err = KOE_ENOMEM;
	size_t n = t->n;

	r->stats_to_item = calloc(s->nitems + 1, sizeof(*r->stats_to_item));
	r->item_to_stats = calloc(s->nitems + 1, sizeof(*r->item_to_stats));
	r->meta = calloc(s->nitems + 1, sizeof(*r->meta));
	roles = calloc(s->nscales + 1, sizeof(*roles));
	group = calloc(n + 1, sizeof(*group));
	if (!r->stats_to_item || !r->item_to_stats || !r->meta || !roles || !group)
		goto done;
	for (size_t i = 0; i < s->nitems; i++) {
		const struct qn_item *it = &s->items[i];
		r->item_to_stats[i] = -1;
		if (it->kind != QN_ITEM_LIKERT && it->kind != QN_ITEM_NPS)
			continue;
		r->item_to_stats[i] = (long)r->nstats;
		r->stats_to_item[r->nstats] = i;
		if (it->kind == QN_ITEM_LIKERT)
			r->meta[r->nstats] = (struct stats_item_meta){
				.kind = STATS_LIKERT, .npoints = it->npoints, .reverse = it->reverse,
				.scale = it->scale};
		else
			r->meta[r->nstats] = (struct stats_item_meta){
				.kind = STATS_NPS, .scale = -1, .role = stats_role_of(it->role)};
		r->nstats++;
	}
	if (r->nstats && n > SIZE_MAX / sizeof(double) / r->nstats) {
		err = KOE_ETOOBIG;
		goto done;
	}
	if ((x = malloc(r->nstats * n * sizeof(*x) + 1)) == NULL)
		goto done;
	for (size_t j = 0; j < r->nstats; j++)
		memcpy(x + j * n, t->num + r->stats_to_item[j] * n, n * sizeof(*x));
	for (size_t i = 0; i < n; i++)
		group[i] = (int)t->segment[i];
	for (size_t si = 0; si < s->nscales; si++)
		roles[si] = stats_role_of(s->scales[si].role);
	d = (struct stats_data){
		.nresp = n, .nitems = r->nstats, .x = x, .items = r->meta,
		.nscales = s->nscales, .scale_role = roles,
		.group = t->nsegs ? group : NULL, .ngroups = t->nsegs,
		.k = (size_t)s->min_group,
	};
	err = stats_report_compute(&d, &r->st);
done:
	free(x);
	free(group);
	free(roles);
	return err;
}

/* A group label as people read it. koe writes "*" for a dimension merged
 * to keep groups at k people (docs/ARCHITECTURE.md §4.2): "人事部 / *" reads
 * "人事部 / （統合）", and a group merged in every dimension reads
 * "少人数のグループ（統合）". NULL when memory runs out. */
const char *
report_display_label(struct report *r, const char *label)
{
	static const char sep[] = " / ";
	const char *merged = REPORT_TR(r, "（統合）", "(merged)");
	size_t n = strlen(label), cap = 0, len = 0;
	bool all = true;
	char *out;

	/* Every "*" part grows to at most strlen(merged) bytes. */
	for (const char *q = label; *q; q++)
		cap += *q == '*' ? strlen(merged) : 1;
	for (const char *part = label; part <= label + n;) {
		const char *end = strstr(part, sep);
		size_t plen = end ? (size_t)(end - part) : strlen(part);
		all &= plen == 1 && part[0] == '*';
		if (end == NULL)
			break;
		part = end + sizeof(sep) - 1;
	}
	if (all)
		return REPORT_TR(r, "少人数のグループ（統合）", "Small groups (merged)");
	if ((out = arena_alloc(&r->arena, cap + 1)) == NULL)
		return NULL;
	for (const char *part = label;;) {
		const char *end = strstr(part, sep);
		size_t plen = end ? (size_t)(end - part) : strlen(part);
		if (plen == 1 && part[0] == '*') {
			memcpy(out + len, merged, strlen(merged));
			len += strlen(merged);
		} else {
			memcpy(out + len, part, plen);
			len += plen;
		}
		if (end == NULL)
			break;
		memcpy(out + len, sep, sizeof(sep) - 1);
		len += sizeof(sep) - 1;
		part = end + sizeof(sep) - 1;
	}
	out[len] = '\0';
	return out;
}

/* Natural order of two stored labels, dimension by dimension. */
static int
label_cmp(const char *a, const char *b)
{
	static const char sep[] = " / ";
	char x[256], y[256];
	for (;;) {
		const char *ea = strstr(a, sep), *eb = strstr(b, sep);
		size_t la = ea ? (size_t)(ea - a) : strlen(a), lb = eb ? (size_t)(eb - b) : strlen(b);
		snprintf(x, sizeof(x), "%.*s", (int)(la < 255 ? la : 255), a);
		snprintf(y, sizeof(y), "%.*s", (int)(lb < 255 ? lb : 255), b);
		int c = report_value_cmp(x, y);
		if (c != 0)
			return c;
		if (ea == NULL || eb == NULL)
			return (ea != NULL) - (eb != NULL);
		a = ea + sizeof(sep) - 1;
		b = eb + sizeof(sep) - 1;
	}
}

static int
seg_ptr_cmp(const void *a, const void *b)
{
	const struct report_segment *x = *(const struct report_segment *const *)a;
	const struct report_segment *y = *(const struct report_segment *const *)b;
	int c = label_cmp(x->label, y->label);
	return c ? c : (x > y) - (x < y);
}

static enum koe_err
order_segments(struct report *r)
{
	const struct report_segment **p = calloc(r->nsegs + 1, sizeof(*p));
	r->seg_order = calloc(r->nsegs + 1, sizeof(*r->seg_order));
	if (r->seg_order == NULL || p == NULL) {
		free(p);
		return KOE_ENOMEM;
	}
	for (size_t i = 0; i < r->nsegs; i++)
		p[i] = &r->segs[i];
	qsort(p, r->nsegs, sizeof(*p), seg_ptr_cmp);
	for (size_t i = 0; i < r->nsegs; i++)
		r->seg_order[i] = (size_t)(p[i] - r->segs);
	free(p);
	return KOE_OK;
}

static enum koe_err
make_segments(struct report *r, const struct report_source *src)
{
	const struct resp_table *t = src->table;
	const struct stats_report *st = r->st;

	r->nsegs = t->nsegs;
	r->segs = calloc(t->nsegs + 1, sizeof(*r->segs));
	if (r->segs == NULL)
		return KOE_ENOMEM;
	for (size_t g = 0; g < t->nsegs; g++) {
		struct report_segment *sg = &r->segs[g];
		sg->code = t->segs[g];
		sg->label = t->segs[g];
		for (size_t i = 0; i < src->nsegs; i++)
			if (strcmp(src->segs[i].code, t->segs[g]) == 0) {
				sg->label = src->segs[i].label;
				sg->invited = src->segs[i].invited;
			}
		if ((sg->display = report_display_label(r, sg->label)) == NULL)
			return KOE_ENOMEM;
		sg->shown = st->group_shown[g] == STATS_SHOWN;
		sg->rate = (struct stats_prop){.p = NAN, .lo = NAN, .hi = NAN,
		                               .status = STATS_NO_DATA};
		if (!sg->shown) {
			r->nhidden_segs++;
			continue;
		}
		size_t k = (size_t)r->s->min_group;
		sg->responded = r->rounded ? dc_floor(st->group_n[g], k) : st->group_n[g];
		dc_count_text(st->group_n[g], k, !r->rounded, r->en, sg->responded_text,
		              sizeof(sg->responded_text));
		if (sg->invited > 0 && sg->responded <= (size_t)sg->invited &&
		    stats_proportion(sg->responded, (size_t)sg->invited, &sg->rate) != KOE_OK)
			return KOE_EINVAL;
	}
	return KOE_OK;
}

/* No ▲ ▼ or hot spot for a group of fewer than REPORT_MIN_COMPARE people
 * (README, "Honest comparisons"): one person moves its share by 10 points
 * or more. The test stays in the Benjamini–Hochberg family, which only
 * makes the other q-values more conservative. */
static void
no_marks_for_small_groups(struct report *r)
{
	struct stats_report *st = r->st;
	size_t ng = st->ngroups;
	for (size_t s = 0; s < st->nscales; s++)
		for (size_t g = 0; g < ng; g++) {
			struct stats_compare *c = &st->compare[s * ng + g];
			if (c->group.n < REPORT_MIN_COMPARE)
				c->welch.flagged = false;
		}
	for (size_t g = 0; st->hotspots && g < ng; g++)
		if (st->hotspots[g].share.n < REPORT_MIN_COMPARE) {
			st->hotspots[g].hot = false;
			st->hotspots[g].test.flagged = false;
		}
}

/* The items with the largest unfavorable share: what people worry about
 * most. Only Likert items of the company as a whole, each shown, and not
 * items of the rejoin scale: "would not come back" is an answer about the
 * person, not a worry about the program, and reads as a double negative. */
static void
find_concerns(struct report *r)
{
	const struct stats_report *st = r->st;
	while (r->nconcerns < REPORT_NCONCERNS) {
		long best = -1;
		for (size_t j = 0; j < r->nstats; j++) {
			const struct stats_item *it = &st->items[j];
			bool taken = false;
			if (r->meta[j].kind != STATS_LIKERT || it->shown != STATS_SHOWN ||
			    (st->rejoin_scale >= 0 && r->meta[j].scale == st->rejoin_scale) ||
			    !report_prop_ok(&it->unfav) || it->unfav.x == 0)
				continue;
			for (size_t c = 0; c < r->nconcerns; c++)
				taken |= r->concerns[c] == j;
			/* Strictly greater: on ties the earlier item wins. */
			if (!taken && (best < 0 || it->unfav.p > st->items[best].unfav.p))
				best = (long)j;
		}
		if (best < 0)
			break;
		r->concerns[r->nconcerns++] = (size_t)best;
	}
}

static long
option_index(const struct report_choice *c, int value)
{
	for (size_t o = 0; o < c->nopts; o++)
		if (c->opts[o].value == value)
			return (long)o;
	return -1;
}

/* Shares of every single- and multiple-answer question outside the
 * statistics (Wilson intervals, docs/ARCHITECTURE.md §7), for the company as a whole. */
static enum koe_err
make_choices(struct report *r, const struct resp_table *t)
{
	const struct qn_survey *s = r->s;
	size_t n = t->n, k = (size_t)s->min_group;
	long *of_item = calloc(s->nitems + 1, sizeof(*of_item));
	size_t **counts = NULL;
	enum koe_err err = KOE_ENOMEM;

	r->choices = calloc(s->nitems + 1, sizeof(*r->choices));
	counts = calloc(s->nitems + 1, sizeof(*counts));
	if (of_item == NULL || r->choices == NULL || counts == NULL)
		goto done;
	for (size_t i = 0; i < s->nitems; i++) {
		const struct qn_item *it = &s->items[i];
		const struct qn_question *q = &s->questions[it->question];
		of_item[i] = -1;
		if (it->kind != QN_ITEM_CHOICE && it->kind != QN_ITEM_MULTI)
			continue;
		struct report_choice *c = &r->choices[r->nchoices];
		c->item = i;
		c->multi = it->kind == QN_ITEM_MULTI;
		c->nopts = q->nchoices;
		c->opts = calloc(q->nchoices + 1, sizeof(*c->opts));
		counts[r->nchoices] = calloc(q->nchoices + 1, sizeof(size_t));
		if (c->opts == NULL || counts[r->nchoices] == NULL)
			goto done;
		for (size_t o = 0; o < q->nchoices; o++) {
			c->opts[o].value = q->choices[o].recode;
			c->opts[o].label = plain(r, q->choices[o].text, q->choices[o].text_en);
			if (c->opts[o].label == NULL)
				goto done;
		}
		of_item[i] = (long)r->nchoices++;
		const double *col = t->num + i * n;
		for (size_t x = 0; x < n; x++) {
			if (isnan(col[x]))
				continue;
			c->n++;
			if (!c->multi) {
				long o = option_index(c, (int)col[x]);
				if (o < 0) {
					err = KOE_EINVAL;
					goto done;
				}
				counts[of_item[i]][o]++;
			}
		}
	}
	for (size_t m = 0; m < t->nmulti; m++) {
		const struct resp_multi *v = &t->multi[m];
		long ci = v->item < s->nitems ? of_item[v->item] : -1;
		long o = ci >= 0 ? option_index(&r->choices[ci], v->value) : -1;
		if (o < 0) {
			err = KOE_EINVAL;
			goto done;
		}
		counts[ci][o]++;
	}
	for (size_t ci = 0; ci < r->nchoices; ci++) {
		struct report_choice *c = &r->choices[ci];
		c->shown = c->n >= k && !r->rounded;
		if (!c->shown)
			c->n = 0;
		for (size_t o = 0; o < c->nopts; o++) {
			c->opts[o].share = (struct stats_prop){.p = NAN, .lo = NAN, .hi = NAN,
			                                       .status = STATS_NO_DATA};
			if (c->shown &&
			    (err = stats_proportion(counts[ci][o], c->n, &c->opts[o].share)) != KOE_OK)
				goto done;
		}
	}
	err = KOE_OK;
done:
	for (size_t ci = 0; counts && ci < s->nitems; ci++)
		free(counts[ci]);
	free(counts);
	free(of_item);
	return err;
}

/* Whether survey item i is asked of some people only ([[ShowIf]]): how
 * many of the invited would have been asked is unknown, so its intervals
 * take no finite-population correction. */
static bool
conditioned(const struct report *r, size_t i)
{
	const struct qn_question *q = &r->s->questions[r->s->items[i].question];
	return q->show_if != NULL || r->s->blocks[q->block].show_if != NULL;
}

bool
report_scale_conditioned(const struct report *r, size_t s)
{
	for (size_t i = 0; i < r->s->nitems; i++)
		if (r->s->items[i].kind == QN_ITEM_LIKERT && r->s->items[i].scale == (int)s &&
		    conditioned(r, i))
			return true;
	return false;
}

/* Intervals that describe this company's employees, or one group of them,
 * carry the finite-population correction over the people invited (README,
 * "Who answered"): items, scales and choices over everyone invited, each
 * group's cells over that group's invited headcount. A group that answered
 * more often than it was invited (reissued links) keeps the uncorrected,
 * wider interval. A final report only: an interim one has no figures. */
static enum koe_err
apply_fpc(struct report *r)
{
	struct stats_report *st = r->st;
	size_t ng = r->nsegs;
	double all = (double)r->rec->invited;
	enum koe_err err = KOE_OK;

	if (r->rounded || st->shown != STATS_SHOWN || !(all > 0))
		return KOE_OK;
	for (size_t j = 0; j < r->nstats && err == KOE_OK; j++)
		if (st->items[j].shown == STATS_SHOWN && (double)st->items[j].n <= all &&
		    !conditioned(r, r->stats_to_item[j]))
			err = stats_item_fpc(&st->items[j], all);
	for (size_t s = 0; s < st->nscales && err == KOE_OK; s++)
		if (st->scales[s].shown == STATS_SHOWN && (double)st->scales[s].n <= all &&
		    !report_scale_conditioned(r, s))
			err = stats_scale_fpc(&st->scales[s], all);
	for (size_t g = 0; g < ng && err == KOE_OK; g++) {
		double inv = (double)r->segs[g].invited;
		for (size_t j = 0; j < r->nstats && err == KOE_OK; j++) {
			struct stats_item *it = &st->items_by_group[j * ng + g];
			if (it->shown == STATS_SHOWN && inv > 0 && (double)it->n <= inv &&
			    !conditioned(r, r->stats_to_item[j]))
				err = stats_item_fpc(it, inv);
		}
		for (size_t s = 0; s < st->nscales && err == KOE_OK; s++) {
			struct stats_scale *sc = &st->scales_by_group[s * ng + g];
			if (sc->shown == STATS_SHOWN && inv > 0 && (double)sc->n <= inv &&
			    !report_scale_conditioned(r, s))
				err = stats_scale_fpc(sc, inv);
		}
	}
	return err;
}

/* The choice questions' shares, as apply_fpc. */
static enum koe_err
choices_fpc(struct report *r)
{
	double all = (double)r->rec->invited;
	enum koe_err err = KOE_OK;
	if (r->rounded || r->st->shown != STATS_SHOWN || !(all > 0))
		return KOE_OK;
	for (size_t c = 0; c < r->nchoices && err == KOE_OK; c++) {
		struct report_choice *ch = &r->choices[c];
		if (!ch->shown || (double)ch->n > all || conditioned(r, ch->item))
			continue;
		for (size_t o = 0; o < ch->nopts && err == KOE_OK; o++)
			err = stats_prop_fpc(&ch->opts[o].share, all);
		ch->fpc = err == KOE_OK;
	}
	return err;
}

enum koe_err
report_compute(const struct report_source *src, const struct report_options *opt,
               struct report **out)
{
	const struct resp_table *t = src->table;
	struct report *r = NULL;
	enum koe_err err = KOE_ENOMEM;

	*out = NULL;
	if (tok_init() != KOE_OK)
		return KOE_ECRYPTO;
	if (t->nitems != src->survey->nitems || (t->n && t->nsegs == 0))
		return KOE_EINVAL;
	for (size_t i = 0; i < t->n; i++)
		if (t->segment[i] >= t->nsegs)
			return KOE_EINVAL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return KOE_ENOMEM;
	r->s = src->survey;
	r->rec = src->rec;
	r->holders = src->holders;
	r->nholders = src->nholders;
	r->opt = *opt;
	r->en = strcmp(src->survey->language, "en") == 0;
	r->nresp = t->n;
	r->enps = -1;
	/* An interim report releases participation only, rounded down to
	 * steps of k (include/koe/dc.h, rule 3). */
	r->rounded = opt->interim || src->rec->state != DB_CLOSED;
	r->min_comments = (size_t)src->survey->min_group_comments;
	r->nresp_shown = r->rounded ? dc_floor(t->n, (size_t)src->survey->min_group) : t->n;
	dc_count_text(t->n, (size_t)src->survey->min_group, !r->rounded, r->en, r->nresp_text,
	              sizeof(r->nresp_text));
	if ((err = make_labels(r)) != KOE_OK || (err = compute_stats(r, t)) != KOE_OK ||
	    (err = make_segments(r, src)) != KOE_OK || (err = order_segments(r)) != KOE_OK)
		goto done;
	if (r->rounded)
		stats_report_participation_only(r->st);
	no_marks_for_small_groups(r);

	r->response = (struct stats_prop){.x = r->nresp_shown, .p = NAN, .lo = NAN, .hi = NAN,
	                                  .status = STATS_NO_DATA};
	if (src->rec->invited > 0 && r->nresp_shown <= (size_t)src->rec->invited &&
	    (err = stats_proportion(r->nresp_shown, (size_t)src->rec->invited, &r->response)) !=
	        KOE_OK)
		goto done;
	/* The employee NPS is the first NPS question without a role; one with
	 * [[Role:rejoin]] asks about returning and counts for rejoin. */
	for (size_t j = 0; j < r->nstats && r->enps < 0; j++)
		if (r->meta[j].kind == STATS_NPS && r->meta[j].role == STATS_ROLE_NONE)
			r->enps = (long)j;
	if ((err = apply_fpc(r)) != KOE_OK)
		goto done;
	find_concerns(r);
	if ((err = report_findings(r)) != KOE_OK)
		goto done;
	if ((err = make_choices(r, t)) != KOE_OK || (err = choices_fpc(r)) != KOE_OK ||
	    (err = report_make_comments(r, t)) != KOE_OK || (err = report_asked_compute(r, t)) != KOE_OK)
		goto done;
	*out = r;
	r = NULL;
	err = KOE_OK;
done:
	report_free(r);
	return err;
}
