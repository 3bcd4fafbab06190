/* Figures of one Likert or NPS item. Answers are small integers, so every
 * figure is derived from the counts per point: n, Σx and Σx² are exact
 * integers, and the variance n·Σx² − (Σx)² has no rounding before the final
 * division. One pass over the answers fills the counts of every group. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "stats_internal.h"

enum koe_err
stats_meta_check(const struct stats_item_meta *m)
{
	switch (m->kind) {
	case STATS_LIKERT:
		if (m->npoints < 2 || m->npoints > STATS_MAX_POINTS)
			return KOE_EINVAL;
		return KOE_OK;
	case STATS_NPS:
		/* An NPS answer is on 0..10 and cannot be averaged with 1..N
		 * items, so it belongs to no scale. */
		if (m->scale != -1 || m->reverse)
			return KOE_EINVAL;
		return KOE_OK;
	}
	return KOE_EINVAL;
}

/* An item with no figures: what a group without answers, or a hidden one,
 * shows. */
static void
item_blank(struct stats_item *it, enum stats_kind kind, enum stats_shown why)
{
	*it = (struct stats_item){.kind = kind, .shown = why,
	                          .mean = NAN, .sd = NAN, .ci_lo = NAN,
	                          .ci_hi = NAN, .status = STATS_NO_DATA,
	                          .neutral = NAN, .nps = NAN, .nps_lo = NAN,
	                          .nps_hi = NAN};
	stats_prop_empty(&it->fav);
	stats_prop_empty(&it->unfav);
}

void
stats_item_hide(struct stats_item *it, enum stats_shown why)
{
	item_blank(it, it->kind, why);
}

/* The favorable and unfavorable answer counts in the scored direction. */
static void
fav_counts(const size_t *counts, const struct stats_item_meta *m,
           size_t *fav, size_t *unfav)
{
	*fav = *unfav = 0;
	if (m->kind == STATS_NPS) {
		*fav = counts[9] + counts[10];
		for (size_t i = 0; i <= 6; i++)
			*unfav += counts[i];
		return;
	}
	/* Two points at each end, but one on 2- and 3-point items, where the
	 * top two would include the midpoint or the whole scale. */
	size_t np = (size_t)m->npoints, w = np >= 4 ? 2 : 1;
	size_t top = 0, bottom = 0;
	for (size_t i = 0; i < w; i++) {
		top += counts[np - 1 - i];
		bottom += counts[i];
	}
	*fav = m->reverse ? bottom : top;
	*unfav = m->reverse ? top : bottom;
}

enum koe_err
stats_item_from_counts(const size_t *counts, const struct stats_item_meta *m,
                       struct stats_item *out)
{
	enum koe_err err;
	uint64_t n = 0, sum = 0, sumsq = 0;
	size_t npts = m->kind == STATS_NPS ? 11 : (size_t)m->npoints;
	uint64_t base = m->kind == STATS_NPS ? 0 : 1;

	item_blank(out, m->kind, STATS_SHOWN);
	for (size_t i = 0; i < npts; i++) {
		uint64_t v = base + i, c = counts[i];
		out->counts[i] = counts[i];
		n += c;
		sum += c * v;
		sumsq += c * v * v;
	}
	out->n = (size_t)n;
	if (n == 0)
		return KOE_OK;

	double nn = (double)n;
	out->mean = (double)sum / nn;
	out->status = STATS_TOO_FEW;
	if (n >= 2) {
		/* Exact: n ≤ STATS_MAX_RESPONDENTS and x ≤ 11 keep both terms
		 * below 2^64. */
		uint64_t num = n * sumsq - sum * sum;
		out->sd = sqrt((double)num / (nn * (double)(n - 1)));
		err = stats_t_ci(out->mean, out->sd, (size_t)n, &out->ci_lo,
		                 &out->ci_hi);
		if (err != KOE_OK)
			return err;
		out->status = STATS_OK;
	}

	size_t fav, unfav;
	fav_counts(counts, m, &fav, &unfav);
	if ((err = stats_proportion(fav, (size_t)n, &out->fav)) != KOE_OK ||
	    (err = stats_proportion(unfav, (size_t)n, &out->unfav)) != KOE_OK)
		return err;
	out->neutral = (double)(n - fav - unfav) / nn;

	if (m->kind == STATS_NPS) {
		double pp = out->fav.p, pd = out->unfav.p;
		double var = fmax(0.0, pp + pd - (pp - pd) * (pp - pd));
		double half = 196 * sqrt(var / nn);
		out->nps = 100 * (pp - pd);
		/* The normal approximation can reach past the ends of the
		 * scale; an NPS outside [−100, 100] means nothing. */
		out->nps_lo = fmax(-100.0, out->nps - half);
		out->nps_hi = fmin(100.0, out->nps + half);
	}
	return KOE_OK;
}

enum koe_err
stats_item_compute(const double *col, size_t n,
                   const struct stats_item_meta *meta, struct stats_item *out)
{
	size_t counts[STATS_MAX_POINTS] = {0};
	enum koe_err err;

	stats_init();
	if ((err = stats_meta_check(meta)) != KOE_OK)
		return err;
	if (n > STATS_MAX_RESPONDENTS)
		return KOE_ETOOBIG;
	for (size_t r = 0; r < n; r++) {
		size_t idx;
		if (isnan(col[r]))
			continue;
		if (!stats_answer_index(meta, col[r], &idx))
			return KOE_EINVAL;
		counts[idx]++;
	}
	return stats_item_from_counts(counts, meta, out);
}
