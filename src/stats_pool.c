/* Pooled item-level shares of a scale (stats.h, stats_pool): every answer
 * to the scale's items counts once, as Culture Amp or Glint report a
 * category. The share is Σ favorable answers / Σ answers, so it is the
 * answer-weighted mean of the item shares printed under it. */
#include <math.h>
#include <stdlib.h>

#include "stats_internal.h"

enum koe_err
stats_wilson(double p, double n, double *lo, double *hi)
{
	*lo = *hi = NAN;
	if (!(n > 0) || !(p >= 0 && p <= 1))
		return n == 0 ? KOE_OK : KOE_EINVAL;
	double z = stats_z975();
	if (!isfinite(z))
		return KOE_EINVAL;
	double z2 = z * z, denom = 1 + z2 / n;
	double centre = (p + z2 / (2 * n)) / denom;
	double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom;
	*lo = p == 0 ? 0.0 : centre - half;
	*hi = p == 1 ? 1.0 : centre + half;
	return KOE_OK;
}

enum koe_err
stats_pool_counts(const struct stats_data *d, size_t scale, const bool *on_cc,
                  const double *scores, struct stats_pool_acc *acc, size_t *nitems)
{
	size_t m = 0, ng = d->group ? d->ngroups : 1;
	int npoints = 0;
	enum koe_err err;
	size_t *idx;

	stats_init();
	if (scale >= d->nscales)
		return KOE_EINVAL;
	for (size_t g = 0; g < ng; g++)
		acc[g] = (struct stats_pool_acc){0};
	if ((idx = calloc(d->nitems + 1, sizeof(*idx))) == NULL)
		return KOE_ENOMEM;
	if ((err = stats_scale_items(d, scale, idx, &m, &npoints)) != KOE_OK)
		goto done;
	*nitems = m;
	for (size_t r = 0; r < d->nresp; r++) {
		bool any = false;
		size_t g = d->group ? (size_t)d->group[r] : 0;
		if (g >= ng) {
			err = KOE_EINVAL;
			goto done;
		}
		for (size_t a = 0; a < m; a++) {
			size_t j = idx[a], pi;
			double v = d->x[j * d->nresp + r];
			if (isnan(v) || (on_cc && on_cc[j] && isnan(scores[r])))
				continue;
			if (!stats_answer_index(&d->items[j], v, &pi)) {
				err = KOE_EINVAL;
				goto done;
			}
			/* The item's own rule (stats_item_from_counts): top two
			 * scored points, one on 2- and 3-point items. */
			size_t np = (size_t)d->items[j].npoints, w = np >= 4 ? 2 : 1;
			bool top = pi >= np - w, bottom = pi < w;
			bool rev = d->items[j].reverse;
			acc[g].answers++;
			acc[g].fav += rev ? bottom : top;
			acc[g].unfav += rev ? top : bottom;
			any = true;
		}
		acc[g].people += any;
	}
	err = KOE_OK;
done:
	free(idx);
	return err;
}

enum koe_err
stats_pooled_from(const struct stats_pool_acc *a, size_t nitems, struct stats_pooled *out)
{
	enum koe_err err;

	*out = (struct stats_pooled){.shown = STATS_SHOWN, .nitems = nitems, .answers = a->answers,
	                             .people = a->people, .fav_x = a->fav, .unfav_x = a->unfav,
	                             .fav = NAN, .neutral = NAN, .unfav = NAN, .fav_lo = NAN,
	                             .fav_hi = NAN, .unfav_lo = NAN, .unfav_hi = NAN,
	                             .status = STATS_NO_DATA};
	if (a->fav + a->unfav > a->answers || a->people > a->answers)
		return KOE_EINVAL;
	if (a->answers == 0)
		return KOE_OK;
	double n = (double)a->answers;
	out->fav = (double)a->fav / n;
	out->unfav = (double)a->unfav / n;
	out->neutral = (double)(a->answers - a->fav - a->unfav) / n;
	/* One person's answers to one scale go together, so the pooled
	 * answers are not independent: the interval is taken at n = people,
	 * the worst case of the design effect (all of a person's answers
	 * alike), which is never narrower than the truth. */
	if ((err = stats_wilson(out->fav, (double)a->people, &out->fav_lo, &out->fav_hi)) != KOE_OK ||
	    (err = stats_wilson(out->unfav, (double)a->people, &out->unfav_lo, &out->unfav_hi)) !=
	        KOE_OK)
		return err;
	out->status = STATS_OK;
	return KOE_OK;
}
