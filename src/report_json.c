/* The report's figures as JSON (schema "koe-report/1", see the README's
 * "Report JSON schema"). Written from the same struct report as the PDF, so
 * both show the same figures; a hidden group appears only as its code,
 * label and "shown": false. Numbers are rounded to 6 decimals so the output
 * is stable across platforms' last-bit differences; a figure that cannot be
 * computed is null. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "report_compare_internal.h"
#include "report_internal.h"

struct jw {
	bool oom;
};

/* Takes ownership of v. */
static void
put(struct jw *w, json_t *obj, const char *key, json_t *v)
{
	if (v == NULL || json_object_set_new(obj, key, v) != 0)
		w->oom = true;
}

/* Takes ownership of v. */
static void
push(struct jw *w, json_t *arr, json_t *v)
{
	if (v == NULL || json_array_append_new(arr, v) != 0)
		w->oom = true;
}

static json_t *
num(double x)
{
	if (!isfinite(x))
		return json_null();
	double y = round(x * 1e6) / 1e6;
	return json_real(y == 0 ? 0.0 : y); /* no "-0.0" */
}

static json_t *
str(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* A share with its Wilson interval, or null. Caller owns the result. */
static json_t *
prop(struct jw *w, const struct stats_prop *p)
{
	json_t *o;
	if (!report_prop_ok(p))
		return json_null();
	o = json_object();
	if (o == NULL)
		return NULL;
	put(w, o, "x", json_integer((json_int_t)p->x));
	put(w, o, "n", json_integer((json_int_t)p->n));
	put(w, o, "p", num(p->p));
	put(w, o, "lo", num(p->lo));
	put(w, o, "hi", num(p->hi));
	return o;
}

static json_t *
interval(double lo, double hi)
{
	json_t *a = json_array();
	if (a && (json_array_append_new(a, num(lo)) || json_array_append_new(a, num(hi)))) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* Pooled item-level shares, or null when hidden. */
static json_t *
pooled_obj(struct jw *w, const struct stats_pooled *p)
{
	json_t *o;
	if (p->shown != STATS_SHOWN || p->status != STATS_OK)
		return json_null();
	if ((o = json_object()) == NULL)
		return NULL;
	put(w, o, "items", json_integer((json_int_t)p->nitems));
	put(w, o, "answers", json_integer((json_int_t)p->answers));
	put(w, o, "people", json_integer((json_int_t)p->people));
	put(w, o, "favorable", num(p->fav));
	put(w, o, "favorable_ci", interval(p->fav_lo, p->fav_hi));
	put(w, o, "neutral", num(p->neutral));
	put(w, o, "unfavorable", num(p->unfav));
	put(w, o, "unfavorable_ci", interval(p->unfav_lo, p->unfav_hi));
	put(w, o, "fpc", json_boolean(p->fpc));
	return o;
}

static const char *
role_name(enum qn_role role)
{
	return role == QN_ROLE_NONE ? NULL : qn_role_name(role);
}

static json_t *
survey_obj(struct jw *w, const struct report *r)
{
	json_t *o = json_object();
	char date[32] = "";
	time_t t = (time_t)r->opt.epoch;
	struct tm tm;
	if (o == NULL)
		return NULL;
	if (gmtime_r(&t, &tm))
		strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	put(w, o, "id", str(r->s->id));
	put(w, o, "title", str(r->en && r->s->title_en ? r->s->title_en : r->s->title));
	put(w, o, "language", str(r->s->language));
	put(w, o, "min_group", json_integer(r->s->min_group));
	put(w, o, "state", str(r->rec->state == DB_CLOSED ? "closed" : "open"));
	put(w, o, "interim", json_boolean(r->opt.interim));
	put(w, o, "date", str(date));
	return o;
}

static json_t *
scale_prop(struct jw *w, const struct report *r, int scale, bool unfav)
{
	const struct stats_scale *sc;
	json_t *o;
	if (scale < 0)
		return json_null();
	sc = &r->st->scales[scale];
	if (sc->shown != STATS_SHOWN)
		return json_null();
	if ((o = json_object()) == NULL)
		return NULL;
	put(w, o, "scale", str(r->s->scales[scale].name));
	put(w, o, unfav ? "unfavorable" : "favorable", prop(w, unfav ? &sc->unfav : &sc->fav));
	return o;
}

static const char *const role_key[REPORT_NROLES] = {"support", "rejoin", "morale"};

static json_t *
roles_obj(struct jw *w, const struct report *r)
{
	json_t *o = json_object();
	for (int role = 0; o && role < REPORT_NROLES; role++) {
		int s = r->role_scale[role];
		json_t *e;
		if (s < 0) {
			put(w, o, role_key[role], json_null());
			continue;
		}
		if ((e = json_object()) == NULL) {
			w->oom = true;
			break;
		}
		put(w, e, "scale", str(r->s->scales[s].name));
		put(w, e, "pooled", pooled_obj(w, &r->st->pooled[s]));
		put(w, e, "reweighted", num(r->reweighted[role]));
		put(w, e, "direct", r->direct[role] >= 0
		                        ? str(r->s->items[r->stats_to_item[r->direct[role]]].key)
		                        : json_null());
		put(w, o, role_key[role], e);
	}
	return o;
}

static json_t *
findings_arr(struct jw *w, const struct report *r)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < r->nfindings; i++) {
		const struct report_finding *f = &r->findings[i];
		json_t *e = json_object();
		if (e) {
			put(w, e, "role", str(role_key[f->role]));
			put(w, e, "dimension", str(r->dim_key[f->dim]));
			put(w, e, "value", str(r->margins[f->margin].value));
			put(w, e, "direction", str(f->high ? "above" : "below"));
			put(w, e, "share", num(f->share));
			put(w, e, "others", interval(f->others_lo, f->others_hi));
			put(w, e, "gap", num(f->gap));
		}
		push(w, a, e);
	}
	return a;
}

static json_t *
margins_arr(struct jw *w, const struct report *r)
{
	json_t *a = json_array();
	for (size_t m = 0; a && m < r->nmargins; m++) {
		const struct report_margin *mg = &r->margins[m];
		bool any = false;
		for (int role = 0; role < REPORT_NROLES; role++)
			any |= r->role_scale[role] >= 0 && mg->pool[role].shown == STATS_SHOWN &&
			       mg->pool[role].status == STATS_OK;
		if (!any)
			continue; /* a hidden margin is not named, as a hidden group is not */
		json_t *e = json_object(), *ro = json_object();
		if (e == NULL || ro == NULL) {
			json_decref(e);
			json_decref(ro);
			w->oom = true;
			break;
		}
		put(w, e, "dimension", str(r->dim_key[mg->dim]));
		put(w, e, "value", str(mg->value));
		for (int role = 0; role < REPORT_NROLES; role++)
			if (r->role_scale[role] >= 0)
				put(w, ro, role_key[role], pooled_obj(w, &mg->pool[role]));
		put(w, e, "roles", ro);
		push(w, a, e);
	}
	return a;
}

static json_t *
summary_obj(struct jw *w, const struct report *r)
{
	const struct stats_report *st = r->st;
	json_t *o = json_object(), *a;
	if (o == NULL)
		return NULL;
	put(w, o, "support", scale_prop(w, r, st->support_scale, false));
	put(w, o, "rejoin", scale_prop(w, r, st->rejoin_scale, false));
	json_t *m = scale_prop(w, r, st->morale_scale, true);
	if (m && json_is_object(m)) {
		json_t *hot = json_array();
		for (size_t g = 0; hot && st->hotspots && g < r->nsegs; g++)
			if (st->hotspots[g].shown == STATS_SHOWN && st->hotspots[g].hot)
				push(w, hot, str(r->segs[g].code));
		put(w, m, "hot_spots", hot);
	}
	put(w, o, "morale_risk", m);
	if (r->enps >= 0 && st->items[r->enps].shown == STATS_SHOWN &&
	    st->items[r->enps].status != STATS_NO_DATA) {
		const struct stats_item *it = &st->items[r->enps];
		json_t *e = json_object();
		if (e) {
			put(w, e, "item", str(r->s->items[r->stats_to_item[r->enps]].key));
			put(w, e, "nps", num(it->nps));
			put(w, e, "ci", interval(it->nps_lo, it->nps_hi));
			put(w, e, "promoters", prop(w, &it->fav));
			put(w, e, "detractors", prop(w, &it->unfav));
		}
		put(w, o, "enps", e);
	} else {
		put(w, o, "enps", json_null());
	}
	a = json_array();
	for (size_t c = 0; a && c < r->nconcerns; c++) {
		size_t j = r->concerns[c], i = r->stats_to_item[j];
		json_t *e = json_object();
		if (e) {
			put(w, e, "item", str(r->s->items[i].key));
			put(w, e, "text", str(r->item_label[i]));
			put(w, e, "reverse", json_boolean(r->meta[j].reverse));
			put(w, e, "unfavorable", prop(w, &st->items[j].unfav));
		}
		push(w, a, e);
	}
	put(w, o, "concerns", a);
	put(w, o, "roles", roles_obj(w, r));
	put(w, o, "findings", findings_arr(w, r));
	return o;
}

/* Who question q was asked of: null for everyone, else its audience label
 * and, when include/koe/dc.h allows it, how many ("n": null otherwise). */
static json_t *
asked_obj(struct jw *w, const struct report *r, long q)
{
	if (q < 0 || r->asked == NULL || r->asked[q].label == NULL)
		return json_null();
	const struct report_asked *a = &r->asked[q];
	json_t *o = json_object();
	if (o == NULL) {
		w->oom = true;
		return NULL;
	}
	put(w, o, "label", str(a->label));
	put(w, o, "n", a->shown ? json_integer((json_int_t)a->n) : json_null());
	return o;
}

static json_t *
scales_arr(struct jw *w, const struct report *r)
{
	const struct stats_report *st = r->st;
	json_t *a = json_array();
	for (size_t si = 0; a && si < r->s->nscales; si++) {
		const struct stats_scale *sc = &st->scales[si];
		json_t *o = json_object(), *keys = json_array();
		if (o == NULL || keys == NULL) {
			json_decref(o);
			json_decref(keys);
			w->oom = true;
			break;
		}
		for (size_t i = 0; i < r->s->nitems; i++)
			if (r->s->items[i].kind == QN_ITEM_LIKERT && r->s->items[i].scale == (int)si)
				push(w, keys, str(r->s->items[i].key));
		put(w, o, "name", str(r->s->scales[si].name));
		put(w, o, "label", str(r->scale_label[si]));
		put(w, o, "role", str(role_name(r->s->scales[si].role)));
		put(w, o, "npoints", json_integer(r->s->scales[si].npoints));
		put(w, o, "items", keys);
		put(w, o, "asked", asked_obj(w, r, report_scale_asked(r, si)));
		put(w, o, "shown", json_boolean(sc->shown == STATS_SHOWN));
		if (sc->shown == STATS_SHOWN) {
			const struct stats_alpha *al = &st->alphas[si];
			put(w, o, "n", json_integer((json_int_t)sc->n));
			put(w, o, "mean", num(sc->mean));
			put(w, o, "sd", num(sc->sd));
			put(w, o, "ci", interval(sc->ci_lo, sc->ci_hi));
			put(w, o, "fpc", json_boolean(sc->fpc));
			put(w, o, "favorable", prop(w, &sc->fav));
			put(w, o, "unfavorable", prop(w, &sc->unfav));
			if (al->status == STATS_OK) {
				json_t *ao = json_object();
				if (ao) {
					put(w, ao, "value", num(al->alpha));
					put(w, ao, "n", json_integer((json_int_t)al->n));
				}
				put(w, o, "alpha", ao);
			} else {
				put(w, o, "alpha", json_null());
			}
		}
		push(w, a, o);
	}
	return a;
}

static json_t *
items_arr(struct jw *w, const struct report *r)
{
	const struct stats_report *st = r->st;
	json_t *a = json_array();
	for (size_t j = 0; a && j < r->nstats; j++) {
		const struct stats_item *it = &st->items[j];
		const struct qn_item *q = &r->s->items[r->stats_to_item[j]];
		bool nps = r->meta[j].kind == STATS_NPS;
		json_t *o = json_object();
		if (o == NULL) {
			w->oom = true;
			break;
		}
		put(w, o, "key", str(q->key));
		put(w, o, "label", str(r->item_label[r->stats_to_item[j]]));
		put(w, o, "kind", str(nps ? "nps" : "likert"));
		put(w, o, "scale", str(q->scale >= 0 ? r->s->scales[q->scale].name : NULL));
		put(w, o, "reverse", json_boolean(q->reverse));
		/* "scale": counted over the scale's complete cases, because its
		 * own respondents are only 1..k−1 more (include/koe/dc.h). */
		put(w, o, "base", str(st->item_on_cc[j] ? "scale" : "own"));
		put(w, o, "asked", asked_obj(w, r, (long)q->question));
		put(w, o, "shown", json_boolean(it->shown == STATS_SHOWN));
		if (it->shown == STATS_SHOWN) {
			json_t *counts = json_array();
			int np = nps ? 11 : r->meta[j].npoints;
			for (int p = 0; counts && p < np; p++)
				push(w, counts, json_integer((json_int_t)it->counts[p]));
			put(w, o, "n", json_integer((json_int_t)it->n));
			put(w, o, "counts", counts);
			put(w, o, "mean", num(it->mean));
			put(w, o, "sd", num(it->sd));
			put(w, o, "ci", interval(it->ci_lo, it->ci_hi));
			put(w, o, "fpc", json_boolean(it->fpc));
			put(w, o, "favorable", prop(w, &it->fav));
			put(w, o, "unfavorable", prop(w, &it->unfav));
			put(w, o, "neutral", num(it->neutral));
			if (nps) {
				put(w, o, "nps", num(it->nps));
				put(w, o, "nps_ci", interval(it->nps_lo, it->nps_hi));
			}
		}
		push(w, a, o);
	}
	return a;
}

static json_t *
choices_arr(struct jw *w, const struct report *r)
{
	json_t *a = json_array();
	for (size_t ci = 0; a && ci < r->nchoices; ci++) {
		const struct report_choice *c = &r->choices[ci];
		json_t *o = json_object(), *opts = json_array();
		if (o == NULL || opts == NULL) {
			json_decref(o);
			json_decref(opts);
			w->oom = true;
			break;
		}
		put(w, o, "key", str(r->s->items[c->item].key));
		put(w, o, "label", str(r->item_label[c->item]));
		put(w, o, "multiple", json_boolean(c->multi));
		put(w, o, "asked", asked_obj(w, r, (long)r->s->items[c->item].question));
		put(w, o, "shown", json_boolean(c->shown));
		if (c->shown) {
			put(w, o, "n", json_integer((json_int_t)c->n));
			put(w, o, "fpc", json_boolean(c->fpc));
			for (size_t k = 0; k < c->nopts; k++) {
				json_t *e = json_object();
				if (e) {
					put(w, e, "value", json_integer(c->opts[k].value));
					put(w, e, "label", str(c->opts[k].label));
					put(w, e, "share", prop(w, &c->opts[k].share));
				}
				push(w, opts, e);
			}
		}
		put(w, o, "options", opts);
		push(w, a, o);
	}
	return a;
}

static json_t *
segment_scale(struct jw *w, const struct report *r, size_t si, size_t g)
{
	const struct stats_report *st = r->st;
	const struct stats_scale *sc = &st->scales_by_group[si * r->nsegs + g];
	const struct stats_compare *cmp = &st->compare[si * r->nsegs + g];
	json_t *o = json_object();
	if (o == NULL)
		return NULL;
	put(w, o, "scale", str(r->s->scales[si].name));
	put(w, o, "shown", json_boolean(sc->shown == STATS_SHOWN));
	if (sc->shown != STATS_SHOWN)
		return o;
	put(w, o, "n", json_integer((json_int_t)sc->n));
	put(w, o, "mean", num(sc->mean));
	put(w, o, "fpc", json_boolean(sc->fpc));
	put(w, o, "favorable", prop(w, &sc->fav));
	put(w, o, "unfavorable", prop(w, &sc->unfav));
	if (cmp->welch.status == STATS_OK) {
		put(w, o, "diff", num(cmp->welch.diff));
		put(w, o, "p", num(cmp->welch.p));
		put(w, o, "q", num(cmp->welch.q));
		put(w, o, "flagged", json_boolean(cmp->welch.flagged));
	} else {
		put(w, o, "diff", json_null());
		put(w, o, "p", json_null());
		put(w, o, "q", json_null());
		put(w, o, "flagged", json_false());
	}
	put(w, o, "pooled", r->seg_pool ? pooled_obj(w, &r->seg_pool[si * r->nsegs + g])
	                                : json_null());
	return o;
}

static json_t *
segments_arr(struct jw *w, const struct report *r)
{
	const struct stats_report *st = r->st;
	json_t *a = json_array();
	for (size_t g = 0; a && g < r->nsegs; g++) {
		const struct report_segment *sg = &r->segs[g];
		json_t *o = json_object();
		if (o == NULL) {
			w->oom = true;
			break;
		}
		put(w, o, "code", str(sg->code));
		put(w, o, "label", str(sg->label));
		put(w, o, "shown", json_boolean(sg->shown));
		if (sg->shown) {
			json_t *sa = json_array();
			put(w, o, "invited", json_integer((json_int_t)sg->invited));
			put(w, o, "responded", json_integer((json_int_t)sg->responded));
			put(w, o, "rate", prop(w, &sg->rate));
			for (size_t si = 0; sa && si < r->s->nscales; si++)
				push(w, sa, segment_scale(w, r, si, g));
			put(w, o, "scales", sa);
			if (st->hotspots) {
				const struct stats_hotspot *h = &st->hotspots[g];
				json_t *m = json_object();
				if (m) {
					put(w, m, "shown", json_boolean(h->shown == STATS_SHOWN));
					if (h->shown == STATS_SHOWN) {
						put(w, m, "share", prop(w, &h->share));
						put(w, m, "diff", h->test.status == STATS_OK
						                      ? num(h->test.diff)
						                      : json_null());
						put(w, m, "p", h->test.status == STATS_OK ? num(h->test.p)
						                                          : json_null());
						put(w, m, "q", h->test.status == STATS_OK ? num(h->test.q)
						                                          : json_null());
						put(w, m, "hot", json_boolean(h->hot));
					}
				}
				put(w, o, "morale_risk", m);
			}
		}
		push(w, a, o);
	}
	return a;
}

static json_t *
drivers_obj(struct jw *w, const struct report *r)
{
	const struct stats_report *st = r->st;
	json_t *o, *a;
	/* An interim report has no answer figure (include/koe/dc.h rule 3). */
	if (st->support_scale < 0 || r->rounded)
		return json_null();
	if ((o = json_object()) == NULL || (a = json_array()) == NULL) {
		json_decref(o);
		return NULL;
	}
	put(w, o, "outcome", str(r->s->scales[st->support_scale].name));
	for (size_t d = 0; d < st->ndrivers; d++) {
		const struct stats_driver *dr = &st->drivers[d];
		json_t *e = json_object();
		bool scale = dr->kind == STATS_DRIVER_SCALE;
		if (e == NULL) {
			w->oom = true;
			break;
		}
		put(w, e, "kind", str(scale ? "scale" : "nps"));
		put(w, e, "name", str(scale ? r->s->scales[dr->index].name
		                            : r->s->items[r->stats_to_item[dr->index]].key));
		put(w, e, "label", str(scale ? r->scale_label[dr->index]
		                             : r->item_label[r->stats_to_item[dr->index]]));
		if (dr->corr.status == STATS_OK) {
			put(w, e, "n", json_integer((json_int_t)dr->corr.n));
			put(w, e, "r", num(dr->corr.r));
			put(w, e, "ci", interval(dr->corr.lo, dr->corr.hi));
			put(w, e, "p", num(dr->corr.p));
		} else {
			put(w, e, "n", json_null());
			put(w, e, "r", json_null());
			put(w, e, "ci", json_null());
			put(w, e, "p", json_null());
		}
		put(w, e, "beta", num(dr->beta));
		put(w, e, "dominance", num(dr->dominance));
		put(w, e, "dominance_ci", isfinite(dr->dominance_lo)
		                              ? interval(dr->dominance_lo, dr->dominance_hi)
		                              : json_null());
		push(w, a, e);
	}
	put(w, o, "drivers", a);
	json_t *reg = json_object();
	if (reg) {
		/* A count below k would describe fewer than k people. */
		put(w, reg, "n", st->ols.n >= (size_t)r->s->min_group
		                     ? json_integer((json_int_t)st->ols.n)
		                     : json_null());
		put(w, reg, "needed", json_integer((json_int_t)st->ols.needed));
		put(w, reg, "r2", num(st->ols.r2));
		put(w, reg, "status", str(stats_status_name(st->ols.status)));
	}
	put(w, o, "regression", reg);
	return o;
}

static json_t *
comments_obj(struct jw *w, const struct report *r)
{
	json_t *o = json_object(), *a = json_array();
	if (o == NULL || a == NULL) {
		json_decref(o);
		json_decref(a);
		return NULL;
	}
	put(w, o, "shown", json_boolean(r->comments_shown));
	for (size_t c = 0; c < r->ncomments; c++) {
		const struct report_comment *cm = &r->comments[c];
		json_t *e = json_object();
		if (e) {
			put(w, e, "item", str(r->s->items[cm->item].key));
			put(w, e, "text", str(cm->text));
			put(w, e, "segment", str(cm->segment));
		}
		push(w, a, e);
	}
	put(w, o, "items", a);
	json_t *gr = json_array();
	for (size_t c = 0; gr && c < r->ncomments; c++) {
		const struct report_comment *cm = &r->comments[c];
		json_t *e;
		if (cm->count == 0)
			continue;
		if ((e = json_object()) != NULL) {
			put(w, e, "item", str(r->s->items[cm->item].key));
			put(w, e, "text", str(cm->cluster_text));
			put(w, e, "count", json_integer((json_int_t)cm->count));
			put(w, e, "variants", json_integer((json_int_t)cm->variants));
			put(w, e, "segment", str(cm->run_segment));
		}
		push(w, gr, e);
	}
	put(w, o, "groups", gr);
	json_t *ta = json_array();
	for (size_t t = 0; ta && t < r->nthemes; t++) {
		const struct report_theme *th = &r->themes[t];
		const struct qn_theme *qt = &r->s->themes[t];
		json_t *e = json_object(), *kw = json_array(), *qa = json_array();
		for (size_t k = 0; kw && k < qt->nkeywords; k++)
			push(w, kw, str(qt->keywords[k]));
		for (int k = 0; qa && k < 2; k++)
			if (th->quotes[k] >= 0)
				push(w, qa, str(r->comments[th->quotes[k]].cluster_text));
		if (e) {
			put(w, e, "name", str(th->name));
			put(w, e, "keywords", kw);
			put(w, e, "share", prop(w, &th->share));
			put(w, e, "quotes", qa);
		} else {
			json_decref(kw);
			json_decref(qa);
		}
		push(w, ta, e);
	}
	put(w, o, "themes", ta);
	return o;
}

static json_t *
method_obj(struct jw *w, const struct report *r)
{
	json_t *o = json_object(), *hidden = json_array();
	if (o == NULL || hidden == NULL) {
		json_decref(o);
		json_decref(hidden);
		return NULL;
	}
	put(w, o, "min_group", json_integer(r->s->min_group));
	put(w, o, "key_id", str(r->rec->key_id));
	{
		json_t *h = json_array();
		for (size_t i = 0; h && i < r->nholders; i++)
			json_array_append_new(h, str(r->holders[i].name));
		put(w, o, "key_holders", h);
	}
	if (r->rec->state == DB_CLOSED && r->rec->receipts_digest) {
		json_t *rc = json_object();
		if (rc) {
			put(w, rc, "count", json_integer((json_int_t)r->rec->receipts_count));
			put(w, rc, "digest", str(r->rec->receipts_digest));
		}
		put(w, o, "receipts", rc);
	} else {
		put(w, o, "receipts", json_null());
	}
	put(w, o, "reissued", json_integer((json_int_t)r->rec->reissued));
	for (size_t g = 0; g < r->nsegs; g++)
		if (!r->segs[g].shown)
			push(w, hidden, str(r->segs[g].label));
	put(w, o, "suppressed_segments", hidden);
	put(w, o, "tests", json_integer((json_int_t)r->st->ntests));
	return o;
}

enum koe_err
report_json(const struct report *r, char **buf, size_t *len)
{
	struct jw w = {0};
	json_t *root = json_object();
	char *out = NULL;

	*buf = NULL;
	*len = 0;
	if (root == NULL)
		return KOE_ENOMEM;
	put(&w, root, "schema", str("koe-report/1"));
	put(&w, root, "survey", survey_obj(&w, r));
	json_t *resp = json_object();
	if (resp) {
		put(&w, resp, "invited", json_integer((json_int_t)r->rec->invited));
		put(&w, resp, "responded", json_integer((json_int_t)r->nresp_shown));
		/* Interim: every responded count is rounded down to a multiple
		 * of k (include/koe/dc.h, rule 3); final: 1, exact. */
		put(&w, resp, "rounded_to",
		    json_integer(r->rounded ? r->s->min_group : 1));
		put(&w, resp, "rate", prop(&w, &r->response));
		put(&w, resp, "shown", json_boolean(r->st->shown == STATS_SHOWN));
	}
	put(&w, root, "responses", resp);
	put(&w, root, "summary", summary_obj(&w, r));
	put(&w, root, "scales", scales_arr(&w, r));
	put(&w, root, "items", items_arr(&w, r));
	put(&w, root, "choices", choices_arr(&w, r));
	put(&w, root, "segments", segments_arr(&w, r));
	put(&w, root, "margins", margins_arr(&w, r));
	put(&w, root, "drivers", drivers_obj(&w, r));
	put(&w, root, "comments", comments_obj(&w, r));
	put(&w, root, "method", method_obj(&w, r));
	if (r->cmp)
		put(&w, root, "compare", cmp_json(r->cmp));
	if (!w.oom)
		out = json_dumps(root, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
	json_decref(root);
	if (out == NULL)
		return KOE_ENOMEM;
	*len = strlen(out);
	/* json_dumps leaves out the final newline a text file should have. */
	char *nl = realloc(out, *len + 2);
	if (nl == NULL) {
		free(out);
		return KOE_ENOMEM;
	}
	nl[(*len)++] = '\n';
	nl[*len] = '\0';
	*buf = nl;
	return KOE_OK;
}
