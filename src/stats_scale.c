/* Scale scores, scale figures and Cronbach's α.
 *
 * Scale figures of many groups come from one pass over the scores: each
 * group accumulates Σ(x − c) and Σ(x − c)² around the overall mean c. The
 * mean and variance of a group, and of "everyone but the group" (total minus
 * group), follow without a pass per group, and shifting by c keeps the
 * subtraction s2 − s1²/n well conditioned (the classic shifted-data
 * algorithm). */
#include <math.h>
#include <stdlib.h>

#include "stats_internal.h"

void
stats_scores_of(const struct stats_data *d, const size_t *idx, size_t m,
                double *out, unsigned *cnt)
{
	size_t nresp = d->nresp;

	for (size_t r = 0; r < nresp; r++) {
		out[r] = 0;
		cnt[r] = 0;
	}
	for (size_t j = 0; j < m; j++) {
		const struct stats_item_meta *it = &d->items[idx[j]];
		const double *col = d->x + idx[j] * nresp;
		double flip = it->npoints + 1;
		for (size_t r = 0; r < nresp; r++) {
			double v = col[r];
			if (isnan(v))
				continue;
			out[r] += it->reverse ? flip - v : v;
			cnt[r]++;
		}
	}
	for (size_t r = 0; r < nresp; r++)
		/* Complete cases only (include/koe/dc.h, rule 2): a score over
		 * some of the items would make the scale and its items
		 * figures over different people, which subtract. */
		out[r] = m > 0 && (size_t)cnt[r] == m ? out[r] / (double)m : NAN;
}

enum koe_err
stats_scale_items(const struct stats_data *d, size_t scale, size_t *idx,
                  size_t *m, int *npoints)
{
	*m = 0;
	*npoints = 0;
	for (size_t j = 0; j < d->nitems; j++) {
		const struct stats_item_meta *it = &d->items[j];
		if (stats_meta_check(it) != KOE_OK || it->scale < -1 ||
		    (it->scale >= 0 && (size_t)it->scale >= d->nscales))
			return KOE_EINVAL;
		if (it->kind != STATS_LIKERT || it->scale != (int)scale)
			continue;
		/* A scale score averages points, which only means something
		 * when every item has the same points. */
		if (*npoints != 0 && it->npoints != *npoints)
			return KOE_EINVAL;
		*npoints = it->npoints;
		idx[(*m)++] = j;
	}
	return KOE_OK;
}

/* Checks the answers of the listed items. */
static enum koe_err
check_answers(const struct stats_data *d, const size_t *idx, size_t m)
{
	for (size_t j = 0; j < m; j++) {
		const double *col = d->x + idx[j] * d->nresp;
		size_t slot;
		for (size_t r = 0; r < d->nresp; r++)
			if (!isnan(col[r]) &&
			    !stats_answer_index(&d->items[idx[j]], col[r], &slot))
				return KOE_EINVAL;
	}
	return KOE_OK;
}

/* The items of one scale, checked, in a buffer the caller frees. */
static enum koe_err
scale_setup(const struct stats_data *d, size_t scale, size_t **idx, size_t *m,
            int *npoints)
{
	enum koe_err err;

	*idx = NULL;
	if (d->nresp > STATS_MAX_RESPONDENTS || d->nitems > STATS_MAX_ITEMS ||
	    d->nscales > STATS_MAX_SCALES)
		return KOE_ETOOBIG;
	if (scale >= d->nscales || (d->x == NULL && d->nresp && d->nitems))
		return KOE_EINVAL;
	if ((*idx = malloc((d->nitems ? d->nitems : 1) * sizeof(**idx))) == NULL)
		return KOE_ENOMEM;
	if ((err = stats_scale_items(d, scale, *idx, m, npoints)) != KOE_OK)
		return err;
	return check_answers(d, *idx, *m);
}

enum koe_err
stats_scale_scores(const struct stats_data *d, size_t scale, double *scores)
{
	size_t *idx = NULL, m;
	unsigned *cnt = NULL;
	int npoints;
	enum koe_err err;

	stats_init();
	if ((err = scale_setup(d, scale, &idx, &m, &npoints)) != KOE_OK)
		goto out;
	if ((cnt = malloc((d->nresp ? d->nresp : 1) * sizeof(*cnt))) == NULL) {
		err = KOE_ENOMEM;
		goto out;
	}
	stats_scores_of(d, idx, m, scores, cnt);
out:
	free(cnt);
	free(idx);
	return err;
}

void
stats_scale_hide(struct stats_scale *sc, enum stats_shown why)
{
	int npoints = sc->npoints;
	*sc = (struct stats_scale){.shown = why, .npoints = npoints,
	                           .mean = NAN, .sd = NAN, .ci_lo = NAN,
	                           .ci_hi = NAN, .status = STATS_NO_DATA};
	stats_prop_empty(&sc->fav);
	stats_prop_empty(&sc->unfav);
}

void
stats_moments_from_acc(const struct stats_acc *a, double c,
                       struct stats_moments *out)
{
	out->n = a->n;
	out->mean = a->n ? c + a->s1 / (double)a->n : NAN;
	out->var = NAN;
	if (a->n < 2)
		return;
	/* When every score of the group is equal the variance is exactly
	 * zero; the shifted sums would leave rounding noise instead, and a
	 * noise-sized SD would pass for a real one. */
	if (a->min == a->max)
		out->var = 0;
	else
		out->var = fmax(0.0, (a->s2 - a->s1 * a->s1 / (double)a->n) /
		                         (double)(a->n - 1));
}

enum koe_err
stats_scale_from_acc(const struct stats_acc *a, double c, int npoints,
                     struct stats_scale *out)
{
	struct stats_moments mo;
	enum koe_err err;

	*out = (struct stats_scale){.npoints = npoints};
	stats_scale_hide(out, STATS_SHOWN);
	out->n = a->n;
	if (a->n == 0)
		return KOE_OK;
	stats_moments_from_acc(a, c, &mo);
	out->mean = mo.mean;
	out->status = STATS_TOO_FEW;
	if (a->n >= 2) {
		out->sd = sqrt(mo.var);
		if ((err = stats_t_ci(out->mean, out->sd, a->n, &out->ci_lo,
		                      &out->ci_hi)) != KOE_OK)
			return err;
		out->status = STATS_OK;
	}
	if ((err = stats_proportion(a->fav, a->n, &out->fav)) != KOE_OK)
		return err;
	return stats_proportion(a->unfav, a->n, &out->unfav);
}

enum koe_err
stats_scale_compute(const double *scores, size_t n, int npoints,
                    struct stats_scale *out)
{
	struct stats_acc a = {.min = INFINITY, .max = -INFINITY};
	double sum = 0, c = 0;
	size_t have = 0;

	stats_init();
	if (npoints < 2 || npoints > STATS_MAX_POINTS)
		return KOE_EINVAL;
	if (n > STATS_MAX_RESPONDENTS)
		return KOE_ETOOBIG;
	for (size_t r = 0; r < n; r++) {
		if (isnan(scores[r]))
			continue;
		if (!(scores[r] >= 1 && scores[r] <= npoints))
			return KOE_EINVAL;
		sum += scores[r];
		have++;
	}
	if (have)
		c = sum / (double)have;
	double tf = stats_fav_threshold(npoints) - STATS_EPS;
	double tu = stats_unfav_threshold(npoints) + STATS_EPS;
	for (size_t r = 0; r < n; r++) {
		double x = scores[r];
		if (isnan(x))
			continue;
		double dx = x - c;
		a.n++;
		a.s1 += dx;
		a.s2 += dx * dx;
		a.fav += x >= tf;
		a.unfav += x <= tu;
		a.min = fmin(a.min, x);
		a.max = fmax(a.max, x);
	}
	return stats_scale_from_acc(&a, c, npoints, out);
}

enum koe_err
stats_alpha_of(const struct stats_data *d, const size_t *idx, size_t m,
               unsigned *cnt, double *total, struct stats_alpha *out)
{
	size_t nresp = d->nresp, ncc = 0;

	*out = (struct stats_alpha){.m = m, .alpha = NAN,
	                            .status = STATS_TOO_FEW};
	for (size_t r = 0; r < nresp; r++) {
		cnt[r] = 0;
		total[r] = 0;
	}
	for (size_t j = 0; j < m; j++) {
		const struct stats_item_meta *it = &d->items[idx[j]];
		const double *col = d->x + idx[j] * nresp;
		for (size_t r = 0; r < nresp; r++)
			if (!isnan(col[r])) {
				total[r] += it->reverse ? it->npoints + 1 - col[r]
				                        : col[r];
				cnt[r]++;
			}
	}
	for (size_t r = 0; r < nresp; r++)
		ncc += cnt[r] == m;
	out->n = ncc;
	if (m < 2 || ncc < 2)
		return KOE_OK;

	/* Item variances by two passes over the complete cases. Reverse
	 * coding does not change an item's variance, but it does change the
	 * total, so the total above is built from scored values. */
	double sumvar = 0;
	for (size_t j = 0; j < m; j++) {
		const double *col = d->x + idx[j] * nresp;
		double s = 0, ss = 0;
		for (size_t r = 0; r < nresp; r++)
			if (cnt[r] == m)
				s += col[r];
		double mean = s / (double)ncc;
		for (size_t r = 0; r < nresp; r++)
			if (cnt[r] == m)
				ss += (col[r] - mean) * (col[r] - mean);
		sumvar += ss / (double)(ncc - 1);
	}
	double s = 0, ss = 0;
	for (size_t r = 0; r < nresp; r++)
		if (cnt[r] == m)
			s += total[r];
	double mean = s / (double)ncc;
	for (size_t r = 0; r < nresp; r++)
		if (cnt[r] == m)
			ss += (total[r] - mean) * (total[r] - mean);
	double vartotal = ss / (double)(ncc - 1);
	if (vartotal == 0) {
		out->status = STATS_NO_VARIANCE;
		return KOE_OK;
	}
	out->alpha = (double)m / (double)(m - 1) * (1 - sumvar / vartotal);
	out->status = STATS_OK;
	return KOE_OK;
}

enum koe_err
stats_alpha(const struct stats_data *d, size_t scale, struct stats_alpha *out)
{
	size_t *idx = NULL, m;
	unsigned *cnt = NULL;
	double *total = NULL;
	int npoints;
	enum koe_err err;

	stats_init();
	if ((err = scale_setup(d, scale, &idx, &m, &npoints)) != KOE_OK)
		goto out;
	size_t nr = d->nresp ? d->nresp : 1;
	if ((cnt = malloc(nr * sizeof(*cnt))) == NULL ||
	    (total = malloc(nr * sizeof(*total))) == NULL) {
		err = KOE_ENOMEM;
		goto out;
	}
	err = stats_alpha_of(d, idx, m, cnt, total, out);
out:
	free(total);
	free(cnt);
	free(idx);
	return err;
}
