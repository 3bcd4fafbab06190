/* Comparing a report with an earlier survey's: matching the two reports'
 * figures, the changes, the largest of them, what could not be matched, and
 * the JSON "compare" section (src/report_compare_internal.h has the rules;
 * README, "Comparing with an earlier survey"). report_compare.c reads the
 * figures. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "report_compare_internal.h"
#include "report_internal.h"

/* ---- matching ------------------------------------------------------------ */

static int
strcmp_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* The order figures are looked up in: what identifies a figure. */
static int
fig_cmp(const struct cmp_fig *a, const struct cmp_fig *b)
{
	int c;
	if (a->thing != b->thing)
		return a->thing < b->thing ? -1 : 1;
	if ((c = strcmp_null(a->name, b->name)) || (c = strcmp_null(a->segment, b->segment)) ||
	    (c = strcmp(a->figure, b->figure)))
		return c;
	if (a->has_option != b->has_option)
		return a->has_option ? 1 : -1;
	return a->option < b->option ? -1 : a->option > b->option;
}

static int
fig_pcmp(const void *a, const void *b)
{
	return fig_cmp(*(const struct cmp_fig *const *)a, *(const struct cmp_fig *const *)b);
}

static const struct cmp_fig *
lookup(struct cmp_fig *const *sorted, size_t n, const struct cmp_fig *f)
{
	const struct cmp_fig *const *hit = bsearch(&f, sorted, n, sizeof(*sorted), fig_pcmp);
	return hit ? *hit : NULL;
}

static const struct cmp_group *
group_find(const struct cmp_set *s, const char *label)
{
	for (size_t i = 0; i < s->ng; i++)
		if (strcmp(s->g[i].label, label) == 0)
			return &s->g[i];
	return NULL;
}

struct matcher {
	struct report_cmp *c;
	struct cmp_fig **sorted; /* the previous figures in fig_cmp order */
	bool *used;              /* per previous figure: matched */
	bool oom;
};

/* Records what could not be matched, once per thing (or group) and reason:
 * the figures of one thing are next to each other. */
static void
unmatched(struct matcher *m, const struct cmp_fig *f, bool group, enum cmp_reason why)
{
	struct report_cmp *c = m->c;
	if (c->num > 0) {
		const struct cmp_unmatched *l = &c->um[c->num - 1];
		if (l->reason == why && l->group == group &&
		    strcmp_null(l->segment, f->segment) == 0 &&
		    (group || (l->thing == f->thing && strcmp_null(l->name, f->name) == 0)))
			return;
	}
	struct cmp_unmatched *um = realloc(c->um, (c->num + 1) * sizeof(*um));
	if (um == NULL) {
		m->oom = true;
		return;
	}
	c->um = um;
	c->um[c->num++] = (struct cmp_unmatched){.thing = f->thing, .name = f->name,
	                                         .segment = f->segment, .label = f->label,
	                                         .group = group, .reason = why};
}

/* Whether sorted (n figures in fig_cmp order) has a figure of the same
 * thing as f (same name and group, any figure or option). */
static bool
has_thing(struct cmp_fig *const *sorted, size_t n, const struct cmp_fig *f)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cmp_fig *g = sorted[mid];
		int c = g->thing != f->thing ? (g->thing < f->thing ? -1 : 1)
		                             : strcmp_null(g->name, f->name);
		if (c == 0)
			c = strcmp_null(g->segment, f->segment);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static bool
compatible(const struct cmp_fig *a, const struct cmp_fig *b)
{
	return strcmp_null(a->compat, b->compat) == 0 && a->reverse == b->reverse &&
	       (a->npoints == 0 || b->npoints == 0 || a->npoints == b->npoints);
}

static enum koe_err
change_of(const struct cmp_fig *prev, const struct cmp_fig *cur, struct stats_change *ch)
{
	switch (cur->unit) {
	case CMP_SHARE:
		return stats_change_share(prev->v, prev->n, cur->v, cur->n, ch);
	case CMP_MEAN: {
		struct stats_moments a = {prev->n, prev->v, prev->sd * prev->sd};
		struct stats_moments b = {cur->n, cur->v, cur->sd * cur->sd};
		return stats_change_mean(&a, &b, ch);
	}
	case CMP_NPS:
		return stats_change_nps(prev->pro, prev->det, prev->n, cur->pro, cur->det, cur->n,
		                        ch);
	}
	return KOE_EINVAL;
}

/* One figure of this report: its change, or why it has none. A group
 * hidden in either report shows no change at all (its figures are absent
 * or null there, and nothing is computed against them). */
static enum koe_err
match_one(struct matcher *m, const struct cmp_fig *f)
{
	struct report_cmp *c = m->c;
	if (f->segment) {
		const struct cmp_group *g = group_find(&c->prev, f->segment);
		if (g == NULL || !g->shown) {
			unmatched(m, f, true, g ? CMP_HIDDEN_BEFORE : CMP_ONLY_NOW);
			return KOE_OK;
		}
	}
	if (!f->shown) {
		unmatched(m, f, false, CMP_HIDDEN_NOW);
		return m->oom ? KOE_ENOMEM : KOE_OK;
	}
	const struct cmp_fig *p = lookup(m->sorted, c->prev.n, f);
	if (p == NULL && f->thing == CMP_CHOICE) {
		/* A choice hidden in the previous report lists no options. */
		struct cmp_fig any = *f;
		any.has_option = false;
		p = lookup(m->sorted, c->prev.n, &any);
	}
	if (p)
		m->used[p - c->prev.f] = true;
	if (p == NULL)
		unmatched(m, f, false, CMP_ONLY_NOW);
	else if (!p->shown)
		unmatched(m, f, false, CMP_HIDDEN_BEFORE);
	else if (!compatible(p, f))
		unmatched(m, f, false, CMP_DIFFERENT);
	else {
		struct cmp_change *ch = &c->ch[c->nch];
		ch->cur = f;
		ch->prev = p;
		enum koe_err err = change_of(p, f, &ch->ch);
		if (err != KOE_OK)
			return err;
		c->nch++;
	}
	return m->oom ? KOE_ENOMEM : KOE_OK;
}

/* What the previous report had and this one has not: one entry per thing,
 * and one per group no longer in the report. A choice hidden now stands for
 * all its options (has_thing finds its one figure). */
static void
only_before(struct matcher *m, struct cmp_fig *const *cur_sorted)
{
	struct report_cmp *c = m->c;
	for (size_t i = 0; i < c->prev.n && !m->oom; i++) {
		const struct cmp_fig *f = &c->prev.f[i];
		if (m->used[i] || has_thing(cur_sorted, c->cur.n, f))
			continue;
		if (f->segment && group_find(&c->cur, f->segment) == NULL)
			unmatched(m, f, true, CMP_ONLY_BEFORE);
		else if (f->segment == NULL || group_find(&c->cur, f->segment)->shown)
			unmatched(m, f, false, CMP_ONLY_BEFORE);
	}
	for (size_t i = 0; i < c->prev.ng && !m->oom; i++) {
		const struct cmp_group *g = &c->prev.g[i];
		struct cmp_fig f = {.thing = CMP_GROUP_RATE, .segment = g->label, .figure = "rate"};
		if (!g->shown && group_find(&c->cur, g->label) == NULL)
			unmatched(m, &f, true, CMP_ONLY_BEFORE);
	}
	for (size_t i = 0; i < c->cur.ng && !m->oom; i++) {
		const struct cmp_group *g = &c->cur.g[i];
		struct cmp_fig f = {.thing = CMP_GROUP_RATE, .segment = g->label, .figure = "rate"};
		if (!g->shown)
			unmatched(m, &f, true, CMP_HIDDEN_NOW);
	}
}

double
cmp_points(const struct cmp_change *c)
{
	switch (c->cur->unit) {
	case CMP_SHARE: return 100 * c->ch.diff;
	case CMP_NPS:   return c->ch.diff;
	case CMP_MEAN:  break;
	}
	return NAN;
}

/* Whether scale is a role's (page 1's cards) in this report. */
static bool
role_scale(const struct report_cmp *c, const char *scale)
{
	for (size_t i = 0; i < c->cur.n; i++)
		if (c->cur.f[i].thing == CMP_ROLE && strcmp_null(c->cur.f[i].compat, scale) == 0)
			return true;
	return false;
}

/* Where a change may stand among page 1's largest: 0 a company figure of
 * page 1 (response rate, a role's card, an NPS), 1 a group's heatmap cell
 * of a role's scale with at least REPORT_MIN_COMPARE people in both waves;
 * -1 not at all (items and scale scores repeat the cards; smaller groups
 * move by chance). */
static int
tier(const struct report_cmp *c, const struct cmp_change *ch)
{
	const struct cmp_fig *f = ch->cur;
	if (!ch->ch.marked)
		return -1;
	if (f->thing == CMP_RATE || f->thing == CMP_ROLE ||
	    (f->thing == CMP_ITEM && f->unit == CMP_NPS))
		return 0;
	if (f->thing == CMP_GROUP_SCALE && f->n >= REPORT_MIN_COMPARE &&
	    ch->prev->n >= REPORT_MIN_COMPARE && role_scale(c, f->name))
		return 1;
	return -1;
}

/* Whether change a goes before change b among the largest. */
static bool
larger(const struct report_cmp *c, const struct cmp_change *a, const struct cmp_change *b)
{
	int ta = tier(c, a), tb = tier(c, b);
	if (ta != tb)
		return ta < tb;
	return fabs(cmp_points(a)) > fabs(cmp_points(b));
}

/* The largest changes for page 1: company figures first, then groups,
 * each by size in points. */
static void
rank(struct report_cmp *c)
{
	c->ntop = 0;
	for (size_t i = 0; i < c->nch; i++) {
		const struct cmp_change *ch = &c->ch[i];
		if (tier(c, ch) < 0 || !isfinite(cmp_points(ch)))
			continue;
		size_t pos = c->ntop < CMP_NTOP ? c->ntop++ : CMP_NTOP;
		while (pos > 0 && larger(c, ch, &c->ch[c->top[pos - 1]])) {
			if (pos < CMP_NTOP)
				c->top[pos] = c->top[pos - 1];
			pos--;
		}
		if (pos < CMP_NTOP)
			c->top[pos] = i;
	}
}

static void
cmp_free(struct report_cmp *c)
{
	if (c == NULL)
		return;
	cmp_set_free(&c->prev);
	cmp_set_free(&c->cur);
	free(c->ch);
	free(c->um);
	free(c);
}

void
report_cmp_free(struct report_cmp *c)
{
	cmp_free(c);
}

static struct cmp_fig **
sorted_of(const struct cmp_set *s)
{
	struct cmp_fig **a = malloc((s->n + 1) * sizeof(*a));
	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < s->n; i++)
		a[i] = &s->f[i];
	qsort(a, s->n, sizeof(*a), fig_pcmp);
	return a;
}

static enum koe_err
match_all(struct report_cmp *c)
{
	struct matcher m = {.c = c};
	struct cmp_fig **cur_sorted = sorted_of(&c->cur);
	enum koe_err err = KOE_ENOMEM;
	m.sorted = sorted_of(&c->prev);
	m.used = calloc(c->prev.n + 1, sizeof(*m.used));
	c->ch = calloc(c->cur.n + 1, sizeof(*c->ch));
	if (m.sorted == NULL || m.used == NULL || c->ch == NULL || cur_sorted == NULL)
		goto out;
	for (size_t i = 0; i < c->cur.n; i++)
		if ((err = match_one(&m, &c->cur.f[i])) != KOE_OK)
			goto out;
	only_before(&m, cur_sorted);
	err = m.oom ? KOE_ENOMEM : KOE_OK;
	rank(c);
out:
	free(cur_sorted);
	free(m.sorted);
	free(m.used);
	return err;
}

enum koe_err
report_compare(struct report *r, struct report_prev *prev, struct koe_msg *msg)
{
	struct report_cmp *c = calloc(1, sizeof(*c));
	char *json = NULL;
	size_t len;
	enum koe_err err = KOE_ENOMEM;

	if (c == NULL || prev == NULL)
		goto out;
	c->prev = prev->set;
	memset(&prev->set, 0, sizeof(prev->set));
	/* This wave as released: the report's own JSON, so that no figure
	 * the report hides can take part (see report_compare_internal.h). */
	report_cmp_free(r->cmp);
	r->cmp = NULL;
	if ((err = report_json(r, &json, &len)) != KOE_OK ||
	    (err = cmp_set_read(json, len, "this report", &c->cur, msg)) != KOE_OK ||
	    (err = match_all(c)) != KOE_OK)
		goto out;
	r->cmp = c;
	c = NULL;
out:
	if (err != KOE_OK && msg->text[0] == '\0')
		koe_msg_set(msg, err, "cannot compare the reports: %s", koe_strerror(err));
	cmp_free(c);
	report_prev_free(prev);
	free(json);
	return err;
}

/* ---- the JSON section ------------------------------------------------------ */

static const char *const thing_key[CMP_NTHINGS] = {
	"rate", "role", "scale", "item", "choice", "segment_rate", "segment_scale",
};
static const char *const reason_key[CMP_NREASONS] = {
	"not_in_previous", "not_in_this", "hidden_in_previous", "hidden_in_this", "different",
};
static const char *const unit_key[] = {"share", "mean", "nps"};
static const char *const method_key[] = {"two-proportion z (Newcombe interval)",
                                         "Welch t", "z (multinomial NPS variance)"};

/* Takes ownership of v; records a failure in *bad. */
static void
jput(json_t *o, const char *k, json_t *v, bool *bad)
{
	if (v == NULL || json_object_set_new(o, k, v) != 0)
		*bad = true;
}

static json_t *
jnum(double x)
{
	if (!isfinite(x))
		return json_null();
	double y = round(x * 1e6) / 1e6;
	return json_real(y == 0 ? 0.0 : y);
}

static json_t *
jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *
change_json(const struct cmp_change *c, bool *bad)
{
	const struct cmp_fig *f = c->cur;
	json_t *o = json_object(), *ci = json_array(), *t = json_object();
	if (o == NULL || ci == NULL || t == NULL) {
		json_decref(o);
		json_decref(ci);
		json_decref(t);
		return NULL;
	}
	jput(o, "thing", jstr(thing_key[f->thing]), bad);
	jput(o, "name", jstr(f->name), bad);
	jput(o, "segment", jstr(f->segment), bad);
	jput(o, "option", f->has_option ? json_integer(f->option) : json_null(), bad);
	jput(o, "figure", jstr(f->figure), bad);
	jput(o, "unit", jstr(unit_key[f->unit]), bad);
	jput(o, "n", json_integer((json_int_t)f->n), bad);
	jput(o, "previous_n", json_integer((json_int_t)c->prev->n), bad);
	jput(o, "previous", jnum(c->ch.prev), bad);
	jput(o, "current", jnum(c->ch.cur), bad);
	jput(o, "diff", jnum(c->ch.diff), bad);
	if (json_array_append_new(ci, jnum(c->ch.lo)) || json_array_append_new(ci, jnum(c->ch.hi)))
		*bad = true;
	jput(o, "ci", ci, bad);
	jput(t, "method", jstr(method_key[f->unit]), bad);
	jput(t, "stat", jnum(c->ch.stat), bad);
	jput(t, "df", jnum(c->ch.df), bad);
	jput(t, "p", jnum(c->ch.p), bad);
	jput(t, "status", jstr(stats_status_name(c->ch.status)), bad);
	jput(o, "test", t, bad);
	jput(o, "marked", json_boolean(c->ch.marked), bad);
	return o;
}

json_t *
cmp_json(const struct report_cmp *c)
{
	bool bad = false;
	json_t *o = json_object(), *pv = json_object(), *ch = json_array(), *top = json_array(),
	       *um = json_array();
	if (o == NULL || pv == NULL || ch == NULL || top == NULL || um == NULL) {
		json_decref(pv);
		json_decref(ch);
		json_decref(top);
		json_decref(um);
		bad = true;
		goto out;
	}
	jput(pv, "id", jstr(c->prev.id), &bad);
	jput(pv, "title", jstr(c->prev.title), &bad);
	jput(pv, "date", jstr(c->prev.date), &bad);
	jput(o, "previous", pv, &bad);
	for (size_t i = 0; i < c->nch; i++)
		if (json_array_append_new(ch, change_json(&c->ch[i], &bad)))
			bad = true;
	jput(o, "changes", ch, &bad);
	for (size_t i = 0; i < c->ntop; i++)
		if (json_array_append_new(top, json_integer((json_int_t)c->top[i])))
			bad = true;
	jput(o, "largest", top, &bad);
	for (size_t i = 0; i < c->num; i++) {
		const struct cmp_unmatched *u = &c->um[i];
		json_t *e = json_object();
		if (e) {
			jput(e, "thing", jstr(u->group ? "segment" : thing_key[u->thing]), &bad);
			jput(e, "name", jstr(u->group ? NULL : u->name), &bad);
			jput(e, "segment", jstr(u->segment), &bad);
			jput(e, "reason", jstr(reason_key[u->reason]), &bad);
		}
		if (e == NULL || json_array_append_new(um, e))
			bad = true;
	}
	jput(o, "unmatched", um, &bad);
out:
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}
