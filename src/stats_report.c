/* Every figure of a report in a few passes over the answers:
 *
 *   1. one pass per item fills the answer counts of every group at once;
 *   2. one pass per scale item sums the scale scores;
 *   3. two passes per scale over the scores give every group's figures and,
 *      by subtraction, every "rest of the company" for the Welch tests;
 *   4. a few passes per scale for α, and per driver for r and the OLS.
 *
 * Time is linear in respondents × items; nothing is quadratic in
 * respondents or groups. Suppression is applied per figure, and hidden
 * figures are wiped before the report is returned. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "koe/dc.h"
#include "stats_internal.h"

/* Bounds the report's own arrays (items and scales × groups). */
#define STATS_MAX_CELLS 20000000

/* Scratch memory of one computation. */
struct work {
	size_t **scale_idx;  /* per scale: its Likert items */
	size_t *scale_m;
	int *scale_np;
	size_t *counts;      /* (ngroups + 1) × STATS_MAX_POINTS */
	size_t *sizes;       /* ngroups */
	enum stats_shown *shown; /* ngroups */
	struct stats_acc *acc;   /* ngroups + 1, the last is everyone */
	double *rest_min, *rest_max; /* ngroups */
	unsigned *cnt;       /* nresp */
	double *total;       /* nresp */
};

static void
work_free(struct work *w, size_t nscales)
{
	if (w->scale_idx)
		for (size_t s = 0; s < nscales; s++)
			free(w->scale_idx[s]);
	free(w->scale_idx);
	free(w->scale_m);
	free(w->scale_np);
	free(w->counts);
	free(w->sizes);
	free(w->shown);
	free(w->acc);
	free(w->rest_min);
	free(w->rest_max);
	free(w->cnt);
	free(w->total);
}

void
stats_report_free(struct stats_report *r)
{
	if (r == NULL)
		return;
	free(r->group_n);
	free(r->group_shown);
	free(r->items);
	free(r->item_on_cc);
	free(r->items_by_group);
	free(r->scores);
	free(r->scales);
	free(r->pooled);
	free(r->item_group_n);
	free(r->pool_by_group);
	free(r->scales_by_group);
	free(r->alphas);
	free(r->compare);
	free(r->rejoin_items);
	free(r->drivers);
	free(r->hotspots);
	free(r);
}

/* calloc of a × b elements of size sz, NULL on overflow. Never returns NULL
 * for an empty array, so NULL always means out of memory. */
static void *
alloc_array(size_t a, size_t b, size_t sz)
{
	if (b && a > SIZE_MAX / b)
		return NULL;
	size_t n = a * b;
	return calloc(n ? n : 1, sz);
}

/* Checks everything about d but the answers, which the passes check as they
 * read them. */
static enum koe_err
check_data(const struct stats_data *d)
{
	if (d->nresp > STATS_MAX_RESPONDENTS || d->nitems > STATS_MAX_ITEMS ||
	    d->nscales > STATS_MAX_SCALES || d->ngroups > STATS_MAX_GROUPS)
		return KOE_ETOOBIG;
	if ((d->nitems + 3 * d->nscales) * (d->ngroups + 1) > STATS_MAX_CELLS)
		return KOE_ETOOBIG;
	if (d->k == 0 || (d->nitems && d->items == NULL) ||
	    (d->nresp && d->nitems && d->x == NULL) ||
	    (d->nscales && d->scale_role == NULL) ||
	    (d->ngroups && d->nresp && d->group == NULL))
		return KOE_EINVAL;

	bool seen[STATS_ROLE_MORALE + 1] = {false};
	for (size_t s = 0; s < d->nscales; s++) {
		enum stats_role role = d->scale_role[s];
		if ((int)role < 0 || role > STATS_ROLE_MORALE)
			return KOE_EINVAL;
		if (role != STATS_ROLE_NONE && seen[role])
			return KOE_EINVAL;
		seen[role] = true;
	}
	for (size_t r = 0; r < d->nresp && d->ngroups; r++)
		if (d->group[r] < 0 || (size_t)d->group[r] >= d->ngroups)
			return KOE_EINVAL;
	return KOE_OK;
}

static enum koe_err
alloc_all(const struct stats_data *d, struct stats_report *r, struct work *w)
{
	size_t ni = d->nitems, ns = d->nscales, ng = d->ngroups, nr = d->nresp;

	r->group_n = alloc_array(ng, 1, sizeof(*r->group_n));
	r->group_shown = alloc_array(ng, 1, sizeof(*r->group_shown));
	r->items = alloc_array(ni, 1, sizeof(*r->items));
	r->item_on_cc = alloc_array(ni, 1, sizeof(*r->item_on_cc));
	r->items_by_group = alloc_array(ni, ng, sizeof(*r->items_by_group));
	r->item_group_n = alloc_array(ni, ng, sizeof(*r->item_group_n));
	r->scores = alloc_array(ns, nr, sizeof(*r->scores));
	r->scales = alloc_array(ns, 1, sizeof(*r->scales));
	r->scales_by_group = alloc_array(ns, ng, sizeof(*r->scales_by_group));
	r->alphas = alloc_array(ns, 1, sizeof(*r->alphas));
	r->compare = alloc_array(ns, ng, sizeof(*r->compare));
	w->scale_idx = alloc_array(ns, 1, sizeof(*w->scale_idx));
	w->scale_m = alloc_array(ns, 1, sizeof(*w->scale_m));
	w->scale_np = alloc_array(ns, 1, sizeof(*w->scale_np));
	w->counts = alloc_array(ng + 1, STATS_MAX_POINTS, sizeof(*w->counts));
	w->sizes = alloc_array(ng, 1, sizeof(*w->sizes));
	w->shown = alloc_array(ng, 1, sizeof(*w->shown));
	w->acc = alloc_array(ng + 1, 1, sizeof(*w->acc));
	w->rest_min = alloc_array(ng, 1, sizeof(*w->rest_min));
	w->rest_max = alloc_array(ng, 1, sizeof(*w->rest_max));
	w->cnt = alloc_array(nr, 1, sizeof(*w->cnt));
	w->total = alloc_array(nr, 1, sizeof(*w->total));
	if (!r->group_n || !r->group_shown || !r->items || !r->item_on_cc || !r->items_by_group ||
	    !r->item_group_n ||
	    !r->scores || !r->scales || !r->scales_by_group || !r->alphas ||
	    !r->compare || !w->scale_idx || !w->scale_m || !w->scale_np ||
	    !w->counts || !w->sizes || !w->shown || !w->acc || !w->rest_min ||
	    !w->rest_max || !w->cnt || !w->total)
		return KOE_ENOMEM;
	for (size_t s = 0; s < ns; s++) {
		if ((w->scale_idx[s] = alloc_array(ni, 1, sizeof(size_t))) == NULL)
			return KOE_ENOMEM;
		enum koe_err err = stats_scale_items(d, s, w->scale_idx[s],
		                                     &w->scale_m[s],
		                                     &w->scale_np[s]);
		if (err != KOE_OK)
			return err;
	}
	return KOE_OK;
}

static enum stats_shown
overall_shown(size_t n, size_t k)
{
	return n >= k ? STATS_SHOWN : STATS_HIDDEN_BELOW_K;
}

/* Respondents per group, and the breakdown's own suppression. */
static enum koe_err
do_groups(const struct stats_data *d, struct stats_report *r)
{
	for (size_t i = 0; i < d->nresp && d->ngroups; i++)
		r->group_n[d->group[i]]++;
	enum koe_err err = stats_suppress(r->group_n, d->ngroups, d->k,
	                                  r->group_shown);
	if (err != KOE_OK)
		return err;
	for (size_t g = 0; g < d->ngroups; g++)
		if (r->group_shown[g] != STATS_SHOWN)
			r->group_n[g] = 0;
	return KOE_OK;
}

/* One pass per item: answer counts of every group, then the figures. */
static enum koe_err
do_items(const struct stats_data *d, struct stats_report *r, struct work *w)
{
	size_t ng = d->ngroups, nr = d->nresp;
	enum koe_err err;

	for (size_t j = 0; j < d->nitems; j++) {
		const struct stats_item_meta *m = &d->items[j];
		const double *col = d->x + j * nr;
		size_t *all = w->counts + ng * STATS_MAX_POINTS;
		/* Rule 2 of include/koe/dc.h: an item of a scale is counted
		 * over the scale's complete cases (those with a score) when
		 * its own respondents are only 1..k−1 more. */
		const double *cc = NULL;
		if (m->kind == STATS_LIKERT && m->scale >= 0) {
			const double *sc = r->scores + (size_t)m->scale * nr;
			size_t own = 0, complete = 0;
			for (size_t i = 0; i < nr; i++) {
				own += !isnan(col[i]);
				complete += !isnan(sc[i]);
			}
			if (dc_item_on_complete_cases(own, complete, d->k)) {
				cc = sc;
				r->item_on_cc[j] = true;
			}
		}

		memset(w->counts, 0,
		       (ng + 1) * STATS_MAX_POINTS * sizeof(*w->counts));
		for (size_t i = 0; i < nr; i++) {
			size_t slot;
			if (isnan(col[i]) || (cc && isnan(cc[i])))
				continue;
			if (!stats_answer_index(m, col[i], &slot))
				return KOE_EINVAL;
			all[slot]++;
			if (ng)
				w->counts[(size_t)d->group[i] * STATS_MAX_POINTS + slot]++;
		}

		struct stats_item *it = &r->items[j];
		if ((err = stats_item_from_counts(all, m, it)) != KOE_OK)
			return err;
		it->shown = overall_shown(it->n, d->k);
		if (it->shown != STATS_SHOWN)
			stats_item_hide(it, it->shown);

		struct stats_item *byg = r->items_by_group + j * ng;
		for (size_t g = 0; g < ng; g++) {
			err = stats_item_from_counts(w->counts + g * STATS_MAX_POINTS,
			                             m, &byg[g]);
			if (err != KOE_OK)
				return err;
			w->sizes[g] = byg[g].n;
			r->item_group_n[j * ng + g] = byg[g].n;
		}
		if ((err = stats_suppress(w->sizes, ng, d->k, w->shown)) != KOE_OK)
			return err;
		for (size_t g = 0; g < ng; g++)
			if (w->shown[g] != STATS_SHOWN)
				stats_item_hide(&byg[g], w->shown[g]);
	}
	return KOE_OK;
}

/* Min and max of everyone outside group g, from prefix and suffix extremes
 * of the groups' own, so that a constant rest is recognised exactly. */
static void
rest_extremes(struct work *w, size_t ng)
{
	double lo = INFINITY, hi = -INFINITY;
	for (size_t g = 0; g < ng; g++) {
		w->rest_min[g] = lo;
		w->rest_max[g] = hi;
		lo = fmin(lo, w->acc[g].min);
		hi = fmax(hi, w->acc[g].max);
	}
	lo = INFINITY;
	hi = -INFINITY;
	for (size_t g = ng; g-- > 0;) {
		w->rest_min[g] = fmin(w->rest_min[g], lo);
		w->rest_max[g] = fmax(w->rest_max[g], hi);
		lo = fmin(lo, w->acc[g].min);
		hi = fmax(hi, w->acc[g].max);
	}
}

/* Scores, figures, α and Welch tests of scale s. */
static enum koe_err
do_scale(const struct stats_data *d, struct stats_report *r, struct work *w,
         size_t s)
{
	size_t ng = d->ngroups, nr = d->nresp;
	int np = w->scale_np[s];
	double *sc = r->scores + s * nr;
	struct stats_acc *all = &w->acc[ng];
	enum koe_err err;

	double sum = 0, c = 0;
	size_t have = 0;
	for (size_t i = 0; i < nr; i++)
		if (!isnan(sc[i])) {
			sum += sc[i];
			have++;
		}
	if (have)
		c = sum / (double)have;

	for (size_t g = 0; g <= ng; g++)
		w->acc[g] = (struct stats_acc){.min = INFINITY, .max = -INFINITY};
	double tf = stats_fav_threshold(np) - STATS_EPS;
	double tu = stats_unfav_threshold(np) + STATS_EPS;
	for (size_t i = 0; i < nr; i++) {
		double x = sc[i];
		if (isnan(x))
			continue;
		double dx = x - c;
		struct stats_acc *a = ng ? &w->acc[d->group[i]] : all;
		a->n++;
		a->s1 += dx;
		a->s2 += dx * dx;
		a->fav += x >= tf;
		a->unfav += x <= tu;
		a->min = fmin(a->min, x);
		a->max = fmax(a->max, x);
	}
	if (ng) {
		for (size_t g = 0; g < ng; g++) {
			all->n += w->acc[g].n;
			all->s1 += w->acc[g].s1;
			all->s2 += w->acc[g].s2;
			all->fav += w->acc[g].fav;
			all->unfav += w->acc[g].unfav;
			all->min = fmin(all->min, w->acc[g].min);
			all->max = fmax(all->max, w->acc[g].max);
		}
		rest_extremes(w, ng);
	}

	struct stats_scale *ov = &r->scales[s];
	if ((err = stats_scale_from_acc(all, c, np, ov)) != KOE_OK)
		return err;
	ov->shown = overall_shown(ov->n, d->k);
	if (ov->shown != STATS_SHOWN)
		stats_scale_hide(ov, ov->shown);

	err = stats_alpha_of(d, w->scale_idx[s], w->scale_m[s], w->cnt,
	                     w->total, &r->alphas[s]);
	if (err != KOE_OK)
		return err;
	if (r->alphas[s].n < d->k && r->alphas[s].status == STATS_OK) {
		/* α over fewer than k complete answers describes fewer than
		 * k people. */
		r->alphas[s].alpha = NAN;
		r->alphas[s].status = STATS_TOO_FEW;
	}

	struct stats_scale *byg = r->scales_by_group + s * ng;
	struct stats_compare *cmp = r->compare + s * ng;
	for (size_t g = 0; g < ng; g++) {
		if ((err = stats_scale_from_acc(&w->acc[g], c, np, &byg[g])) !=
		    KOE_OK)
			return err;
		w->sizes[g] = w->acc[g].n;
	}
	if ((err = stats_suppress(w->sizes, ng, d->k, w->shown)) != KOE_OK)
		return err;
	for (size_t g = 0; g < ng; g++) {
		cmp[g] = (struct stats_compare){.shown = w->shown[g]};
		stats_test_empty(&cmp[g].welch, STATS_NO_DATA);
		cmp[g].group.mean = cmp[g].group.var = NAN;
		cmp[g].rest.mean = cmp[g].rest.var = NAN;
		if (w->shown[g] != STATS_SHOWN) {
			stats_scale_hide(&byg[g], w->shown[g]);
			continue;
		}
		struct stats_acc rest = {
			.n = all->n - w->acc[g].n,
			.s1 = all->s1 - w->acc[g].s1,
			.s2 = all->s2 - w->acc[g].s2,
			.min = w->rest_min[g],
			.max = w->rest_max[g],
		};
		stats_moments_from_acc(&w->acc[g], c, &cmp[g].group);
		stats_moments_from_acc(&rest, c, &cmp[g].rest);
		/* The rest of the company is a group too (dc_rest_ok). */
		if (!dc_rest_ok(all->n, w->acc[g].n, d->k)) {
			cmp[g].rest.mean = cmp[g].rest.var = NAN;
			stats_test_empty(&cmp[g].welch, STATS_TOO_FEW);
			continue;
		}
		if ((err = stats_welch(&cmp[g].group, &cmp[g].rest,
		                       &cmp[g].welch)) != KOE_OK)
			return err;
	}
	return KOE_OK;
}

/* Morale risk of every shown group against the rest. */
static enum koe_err
do_hotspots(const struct stats_data *d, struct stats_report *r)
{
	size_t ng = d->ngroups, ms = (size_t)r->morale_scale;
	const struct stats_scale *all = &r->scales[ms];
	const struct stats_scale *byg = r->scales_by_group + ms * ng;
	enum koe_err err;

	/* A group is only shown when the company is, so the overall figure
	 * exists whenever a test runs. */
	size_t xall = all->unfav.x, nall = all->unfav.n;
	for (size_t g = 0; g < ng; g++) {
		struct stats_hotspot *h = &r->hotspots[g];
		h->shown = byg[g].shown;
		h->share = byg[g].unfav;
		stats_test_empty(&h->test, STATS_NO_DATA);
		if (h->shown != STATS_SHOWN)
			continue;
		size_t x = h->share.x, n = h->share.n;
		if (!dc_rest_ok(nall, n, d->k)) {
			stats_test_empty(&h->test, STATS_TOO_FEW);
			continue;
		}
		if ((err = stats_prop_greater(x, n, xall - x, nall - n,
		                              &h->test)) != KOE_OK)
			return err;
	}
	return KOE_OK;
}

/* Benjamini–Hochberg over every test the report computed. */
static enum koe_err
do_bh(const struct stats_data *d, struct stats_report *r)
{
	size_t ng = d->ngroups, cap = d->nscales * ng + (r->hotspots ? ng : 0);
	struct stats_test **tests = alloc_array(cap, 1, sizeof(*tests));
	double *p = alloc_array(cap, 1, sizeof(*p));
	size_t n = 0;
	enum koe_err err = KOE_OK;

	if (tests == NULL || p == NULL) {
		err = KOE_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < d->nscales * ng; i++)
		if (r->compare[i].welch.status == STATS_OK)
			tests[n++] = &r->compare[i].welch;
	for (size_t g = 0; r->hotspots && g < ng; g++)
		if (r->hotspots[g].test.status == STATS_OK)
			tests[n++] = &r->hotspots[g].test;
	for (size_t i = 0; i < n; i++)
		p[i] = tests[i]->p;
	if ((err = stats_bh(p, n, p)) != KOE_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		tests[i]->q = p[i];
		tests[i]->flagged = p[i] < 0.05;
	}
	for (size_t g = 0; r->hotspots && g < ng; g++)
		r->hotspots[g].hot = r->hotspots[g].test.flagged;
	r->ntests = n;
out:
	free(p);
	free(tests);
	return err;
}

/* Correlations of support with the other scales and NPS items, and the OLS
 * on the other scales. */
static enum koe_err
do_drivers(const struct stats_data *d, struct stats_report *r)
{
	size_t ns = d->nscales, nr = d->nresp, sup = (size_t)r->support_scale;
	size_t nnps = 0, nd = 0, npred = ns - 1;
	const double **x = NULL;
	double *beta = NULL;
	enum koe_err err = KOE_OK;

	for (size_t j = 0; j < d->nitems; j++)
		nnps += d->items[j].kind == STATS_NPS;
	r->drivers = alloc_array(npred + nnps, 1, sizeof(*r->drivers));
	x = alloc_array(npred, 1, sizeof(*x));
	beta = alloc_array(npred, 1, sizeof(*beta));
	if (r->drivers == NULL || x == NULL || beta == NULL) {
		err = KOE_ENOMEM;
		goto out;
	}

	const double *y = r->scores + sup * nr;
	for (size_t s = 0; s < ns; s++)
		if (s != sup) {
			x[nd] = r->scores + s * nr;
			r->drivers[nd++] = (struct stats_driver){
				.kind = STATS_DRIVER_SCALE, .index = s};
		}
	for (size_t j = 0; j < d->nitems; j++)
		if (d->items[j].kind == STATS_NPS)
			r->drivers[nd++] = (struct stats_driver){
				.kind = STATS_DRIVER_NPS, .index = j};
	r->ndrivers = nd;

	for (size_t i = 0; i < nd; i++) {
		struct stats_driver *dr = &r->drivers[i];
		const double *v = dr->kind == STATS_DRIVER_SCALE
		                      ? r->scores + dr->index * nr
		                      : d->x + dr->index * nr;
		dr->beta = NAN;
		if ((err = stats_corr(v, y, nr, &dr->corr)) != KOE_OK)
			goto out;
		if (dr->corr.n < d->k && dr->corr.status != STATS_NO_DATA) {
			/* A correlation over fewer than k people is a figure
			 * about fewer than k people. */
			dr->corr = (struct stats_corr){
				.n = dr->corr.n, .r = NAN, .lo = NAN, .hi = NAN,
				.p = NAN, .status = STATS_TOO_FEW};
		}
	}

	if ((err = stats_ols(y, x, npred, nr, beta, &r->ols)) != KOE_OK)
		goto out;
	if (r->ols.status == STATS_OK && r->ols.n < d->k) {
		r->ols.status = STATS_TOO_FEW;
		r->ols.r2 = NAN;
	}
	for (size_t i = 0; i < npred; i++)
		r->drivers[i].beta = r->ols.status == STATS_OK ? beta[i] : NAN;
	for (size_t i = 0; i < nd; i++)
		r->drivers[i].dominance = r->drivers[i].dominance_lo = r->drivers[i].dominance_hi = NAN;
	if (r->ols.status == STATS_OK && npred <= STATS_DOMINANCE_MAX) {
		struct stats_ols dom;
		struct stats_boot boot = {.resamples = STATS_BOOT_RESAMPLES, .seed = 0};
		double lo[STATS_DOMINANCE_MAX], hi[STATS_DOMINANCE_MAX];
		if ((err = stats_dominance(y, x, npred, nr, NULL, &boot, beta, lo, hi, &dom)) != KOE_OK)
			goto out;
		for (size_t i = 0; i < npred && dom.status == STATS_OK; i++) {
			r->drivers[i].dominance = beta[i];
			r->drivers[i].dominance_lo = lo[i];
			r->drivers[i].dominance_hi = hi[i];
		}
	}
out:
	free(beta);
	free(x);
	return err;
}

/* Which items describe rejoin attitude (see stats.h). */
static enum koe_err
do_rejoin_items(const struct stats_data *d, struct stats_report *r)
{
	r->rejoin_items = alloc_array(d->nitems, 1, sizeof(*r->rejoin_items));
	if (r->rejoin_items == NULL)
		return KOE_ENOMEM;
	for (size_t j = 0; j < d->nitems; j++) {
		const struct stats_item_meta *m = &d->items[j];
		if (m->kind == STATS_LIKERT && r->rejoin_scale >= 0 &&
		    m->scale == r->rejoin_scale)
			r->rejoin_items[r->nrejoin_items++] = j;
	}
	for (size_t j = 0; j < d->nitems; j++)
		if (d->items[j].kind == STATS_NPS &&
		    d->items[j].role == STATS_ROLE_REJOIN)
			r->rejoin_items[r->nrejoin_items++] = j;
	return KOE_OK;
}

static int
role_scale(const struct stats_data *d, enum stats_role role)
{
	for (size_t s = 0; s < d->nscales; s++)
		if (d->scale_role[s] == role)
			return (int)s;
	return -1;
}

/* Pooled item-level shares per scale: the counts of every group (kept for
 * margins, never written out) and the company's shares from their sum. */
static enum koe_err
do_pooled(const struct stats_data *d, struct stats_report *r)
{
	size_t ng = d->group ? d->ngroups : 0, slots = ng ? ng : 1;
	enum koe_err err;

	r->pooled = alloc_array(d->nscales, 1, sizeof(*r->pooled));
	r->pool_by_group = alloc_array(d->nscales, slots, sizeof(*r->pool_by_group));
	if (r->pooled == NULL || r->pool_by_group == NULL)
		return KOE_ENOMEM;
	for (size_t s = 0; s < d->nscales; s++) {
		struct stats_pool_acc *acc = r->pool_by_group + s * slots, sum = {0};
		size_t m = 0;
		if ((err = stats_pool_counts(d, s, r->item_on_cc, r->scores + s * d->nresp, acc, &m)) !=
		    KOE_OK)
			return err;
		for (size_t g = 0; g < slots; g++) {
			sum.answers += acc[g].answers;
			sum.fav += acc[g].fav;
			sum.unfav += acc[g].unfav;
			sum.people += acc[g].people;
		}
		if ((err = stats_pooled_from(&sum, m, &r->pooled[s])) != KOE_OK)
			return err;
		r->pooled[s].shown = r->shown;
		if (r->shown != STATS_SHOWN) {
			struct stats_pooled blank = {.shown = r->shown, .nitems = m, .fav = NAN,
			                             .neutral = NAN, .unfav = NAN, .fav_lo = NAN,
			                             .fav_hi = NAN, .unfav_lo = NAN, .unfav_hi = NAN,
			                             .status = STATS_NO_DATA};
			r->pooled[s] = blank;
		}
	}
	return KOE_OK;
}

enum koe_err
stats_report_compute(const struct stats_data *d, struct stats_report **out)
{
	struct stats_report *r = NULL;
	struct work w = {0};
	enum koe_err err;

	stats_init();
	*out = NULL;
	if ((err = check_data(d)) != KOE_OK)
		goto out;
	if ((r = calloc(1, sizeof(*r))) == NULL) {
		err = KOE_ENOMEM;
		goto out;
	}
	r->nresp = d->nresp;
	r->nitems = d->nitems;
	r->nscales = d->nscales;
	r->ngroups = d->ngroups;
	r->k = d->k;
	r->shown = overall_shown(d->nresp, d->k);
	r->support_scale = role_scale(d, STATS_ROLE_SUPPORT);
	r->rejoin_scale = role_scale(d, STATS_ROLE_REJOIN);
	r->morale_scale = role_scale(d, STATS_ROLE_MORALE);
	r->ols = (struct stats_ols){.r2 = NAN, .status = STATS_NO_DATA};
	if ((err = alloc_all(d, r, &w)) != KOE_OK)
		goto out;
	if (r->morale_scale >= 0 &&
	    (r->hotspots = alloc_array(d->ngroups, 1, sizeof(*r->hotspots))) ==
	        NULL) {
		err = KOE_ENOMEM;
		goto out;
	}

	/* Every scale's scores first: items of a scale may be counted over
	 * its complete cases. */
	for (size_t s = 0; s < d->nscales; s++)
		stats_scores_of(d, w.scale_idx[s], w.scale_m[s],
		                r->scores + s * d->nresp, w.cnt);
	if ((err = do_rejoin_items(d, r)) != KOE_OK ||
	    (err = do_groups(d, r)) != KOE_OK ||
	    (err = do_items(d, r, &w)) != KOE_OK ||
	    (err = do_pooled(d, r)) != KOE_OK)
		goto out;
	for (size_t s = 0; s < d->nscales; s++)
		if ((err = do_scale(d, r, &w, s)) != KOE_OK)
			goto out;
	if (r->morale_scale >= 0 && (err = do_hotspots(d, r)) != KOE_OK)
		goto out;
	if ((err = do_bh(d, r)) != KOE_OK)
		goto out;
	if (r->support_scale >= 0 && (err = do_drivers(d, r)) != KOE_OK)
		goto out;
	*out = r;
	r = NULL;
out:
	work_free(&w, d->nscales);
	stats_report_free(r);
	return err;
}

void
stats_report_participation_only(struct stats_report *r)
{
	size_t ng = r->ngroups;
	for (size_t j = 0; j < r->nitems; j++) {
		stats_item_hide(&r->items[j], STATS_HIDDEN_INTERIM);
		for (size_t g = 0; g < ng; g++)
			stats_item_hide(&r->items_by_group[j * ng + g], STATS_HIDDEN_INTERIM);
	}
	for (size_t s = 0; s < r->nscales; s++) {
		stats_scale_hide(&r->scales[s], STATS_HIDDEN_INTERIM);
		r->alphas[s] = (struct stats_alpha){.m = r->alphas[s].m, .alpha = NAN,
		                                    .status = STATS_NO_DATA};
		for (size_t g = 0; g < ng; g++) {
			stats_scale_hide(&r->scales_by_group[s * ng + g], STATS_HIDDEN_INTERIM);
			struct stats_compare *c = &r->compare[s * ng + g];
			*c = (struct stats_compare){.shown = STATS_HIDDEN_INTERIM};
			c->group.mean = c->group.var = c->rest.mean = c->rest.var = NAN;
			stats_test_empty(&c->welch, STATS_NO_DATA);
		}
	}
	if (r->scores)
		for (size_t i = 0; i < r->nscales * r->nresp; i++)
			r->scores[i] = NAN;
	for (size_t s = 0; r->pooled && s < r->nscales; s++)
		r->pooled[s] = (struct stats_pooled){
			.shown = STATS_HIDDEN_INTERIM, .nitems = r->pooled[s].nitems, .fav = NAN,
			.neutral = NAN, .unfav = NAN, .fav_lo = NAN, .fav_hi = NAN, .unfav_lo = NAN,
			.unfav_hi = NAN, .status = STATS_NO_DATA};
	if (r->item_group_n)
		memset(r->item_group_n, 0, r->nitems * r->ngroups * sizeof(*r->item_group_n));
	if (r->pool_by_group)
		memset(r->pool_by_group, 0,
		       r->nscales * (r->ngroups ? r->ngroups : 1) * sizeof(*r->pool_by_group));
	for (size_t g = 0; r->hotspots && g < ng; g++) {
		struct stats_hotspot *h = &r->hotspots[g];
		h->shown = STATS_HIDDEN_INTERIM;
		stats_prop_empty(&h->share);
		stats_test_empty(&h->test, STATS_NO_DATA);
		h->hot = false;
	}
	for (size_t i = 0; i < r->ndrivers; i++) {
		struct stats_driver *dr = &r->drivers[i];
		dr->corr = (struct stats_corr){.r = NAN, .lo = NAN, .hi = NAN, .p = NAN,
		                               .status = STATS_NO_DATA};
		dr->beta = NAN;
		dr->dominance = dr->dominance_lo = dr->dominance_hi = NAN;
	}
	r->ols = (struct stats_ols){.npred = r->ols.npred, .needed = r->ols.needed, .r2 = NAN,
	                            .status = STATS_NO_DATA};
	r->ntests = 0;
}
