/* The finite-population correction (README, "Who answered"; docs/ARCHITECTURE.md
 * §7): a figure that describes this company's employees — or one group of
 * them — is about a finite population of N people of whom n answered, so
 * its sampling variance is the infinite-population one times
 * (N − n)/(N − 1). Wilson intervals are taken at the effective n =
 * n (N − 1)/(N − n); t and NPS half-widths are multiplied by
 * √((N − n)/(N − 1)); with everyone answering a figure is the population's
 * own and its interval is the point. The tests compare with R
 * (tests/data/stats/reference.R, "finite-population correction"). */
#include <math.h>

#include "stats_internal.h"

/* The variance factor (N − n)/(N − 1), in [0, 1]; KOE_EINVAL when N < n or
 * either is not a positive count. */
static enum koe_err
fpc_factor(double n, double population, double *f)
{
	if (!(n > 0) || !(population >= n) || !isfinite(population))
		return KOE_EINVAL;
	*f = population <= 1 || n >= population ? 0.0 : (population - n) / (population - 1);
	return KOE_OK;
}

/* Wilson at the effective n, or the point when everyone answered. */
static enum koe_err
wilson_fpc(double p, double n, double f, double *lo, double *hi)
{
	if (f == 0) {
		*lo = *hi = p;
		return KOE_OK;
	}
	return stats_wilson(p, n / f, lo, hi);
}

enum koe_err
stats_pooled_fpc(struct stats_pooled *p, double population)
{
	double f;
	enum koe_err err;
	if (p->status != STATS_OK || (err = fpc_factor((double)p->people, population, &f)) != KOE_OK)
		return KOE_EINVAL;
	if ((err = wilson_fpc(p->fav, (double)p->people, f, &p->fav_lo, &p->fav_hi)) != KOE_OK ||
	    (err = wilson_fpc(p->unfav, (double)p->people, f, &p->unfav_lo, &p->unfav_hi)) != KOE_OK)
		return err;
	p->fpc = true;
	return KOE_OK;
}

enum koe_err
stats_prop_fpc(struct stats_prop *p, double population)
{
	double f;
	if (p->status != STATS_OK || p->n == 0)
		return KOE_OK; /* nothing to correct */
	if (fpc_factor((double)p->n, population, &f) != KOE_OK)
		return KOE_EINVAL;
	return wilson_fpc(p->p, (double)p->n, f, &p->lo, &p->hi);
}

/* A symmetric t interval narrowed by √f around its centre. */
static void
t_fpc(double mean, double f, double *lo, double *hi)
{
	if (!isfinite(*lo) || !isfinite(*hi))
		return;
	double half = (*hi - *lo) / 2 * sqrt(f);
	*lo = mean - half;
	*hi = mean + half;
}

/* What items and scales share: the t interval around the mean and both
 * shares, for n answers; *f gets the variance factor. */
static enum koe_err
mean_and_shares_fpc(size_t n, enum stats_status status, double mean, double *lo, double *hi,
                    struct stats_prop *fav, struct stats_prop *unfav, double population,
                    double *f)
{
	enum koe_err err;
	if (fpc_factor((double)n, population, f) != KOE_OK)
		return KOE_EINVAL;
	if (status == STATS_OK)
		t_fpc(mean, *f, lo, hi);
	if ((err = stats_prop_fpc(fav, population)) != KOE_OK)
		return err;
	return stats_prop_fpc(unfav, population);
}

enum koe_err
stats_item_fpc(struct stats_item *it, double population)
{
	double f;
	enum koe_err err;
	if (it->n == 0)
		return KOE_OK;
	if ((err = mean_and_shares_fpc(it->n, it->status, it->mean, &it->ci_lo, &it->ci_hi, &it->fav,
	                               &it->unfav, population, &f)) != KOE_OK)
		return err;
	if (it->kind == STATS_NPS) {
		/* The NPS half-width of stats_item_from_counts, before clamping. */
		double pp = it->fav.p, pd = it->unfav.p;
		double var = fmax(0.0, pp + pd - (pp - pd) * (pp - pd));
		double half = 196 * sqrt(var / (double)it->n) * sqrt(f);
		it->nps_lo = fmax(-100.0, it->nps - half);
		it->nps_hi = fmin(100.0, it->nps + half);
	}
	it->fpc = true;
	return KOE_OK;
}

enum koe_err
stats_scale_fpc(struct stats_scale *sc, double population)
{
	double f;
	enum koe_err err;
	if (sc->n == 0)
		return KOE_OK;
	if ((err = mean_and_shares_fpc(sc->n, sc->status, sc->mean, &sc->ci_lo, &sc->ci_hi, &sc->fav,
	                               &sc->unfav, population, &f)) != KOE_OK)
		return err;
	sc->fpc = true;
	return KOE_OK;
}
