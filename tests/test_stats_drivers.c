/* Drivers of support: Pearson r with every other scale and NPS item
 * (pairwise complete) with Fisher z CI, and the standardized OLS on the
 * other scales, agree with R's cor.test() and lm(); the OLS is reported as
 * not computed below 10 complete cases per driver, and collinear or
 * constant drivers are reported, not fitted. */
#include "test_stats_fixture.h"

static struct fixture *fx;

static const char *
driver_name(const struct fixture *f, const struct stats_driver *dr)
{
	return dr->kind == STATS_DRIVER_SCALE ? f->scale_names[dr->index]
	                                      : f->keys[dr->index];
}

static void
drivers_match_r(void)
{
	struct stats_report *r = NULL;
	CHECK_INT(stats_report_compute(&fx->d, &r), KOE_OK);
	if (r == NULL)
		return;
	CHECK_INT(r->ndrivers, 5); /* three scales, two NPS items */
	for (size_t i = 0; i < r->ndrivers; i++) {
		const struct stats_driver *dr = &r->drivers[i];
		const char *name = driver_name(fx, dr);
		CHECK_INT(dr->corr.status, STATS_OK);
		CHECK_REF((double)dr->corr.n, "corr.%s.n", name);
		CHECK_REF(dr->corr.r, "corr.%s.r", name);
		CHECK_REF(dr->corr.lo, "corr.%s.lo", name);
		CHECK_REF(dr->corr.hi, "corr.%s.hi", name);
		CHECK_REF(dr->corr.p, "corr.%s.p", name);
		/* Scale scores are over complete cases (include/koe/dc.h rule
		 * 2): only 19 respondents of the fixture have all four, fewer
		 * than the 30 the OLS needs, so no β (R's lm() still fits). */
		CHECK(isnan(dr->beta));
	}
	CHECK_INT(r->ols.status, STATS_TOO_FEW);
	CHECK_INT(r->ols.npred, 3);
	CHECK_INT(r->ols.needed, 30);
	CHECK_REF((double)r->ols.n, "ols.n");
	CHECK(isnan(r->ols.r2));
	stats_report_free(r);
}

static void
too_few_complete_cases_is_not_computed(void)
{
	struct fixture *small = fx_load("stats/survey.csv", 25, 5);
	struct stats_report *r = NULL;
	CHECK_INT(stats_report_compute(&small->d, &r), KOE_OK);
	if (r != NULL) {
		CHECK_INT(r->ols.status, STATS_TOO_FEW);
		CHECK_REF((double)r->ols.n, "ols_small.n");
		CHECK(r->ols.n < r->ols.needed);
		CHECK(isnan(r->ols.r2));
		for (size_t i = 0; i < r->ndrivers; i++) {
			CHECK(isnan(r->drivers[i].beta));
			/* The correlations need far fewer cases. */
			CHECK_INT(r->drivers[i].corr.status, STATS_OK);
		}
	}
	stats_report_free(r);
	fx_free(small);
}

static void
corr_by_hand(void)
{
	double x[] = {1, 2, 3, 4, 5, NAN, 7};
	double y[] = {2, 4, 6, 8, 10, 12, NAN};
	double z[] = {5, 4, 3, 2, 1, 0, -1};
	struct stats_corr c;
	CHECK_INT(stats_corr(x, y, 7, &c), KOE_OK);
	CHECK_INT(c.n, 5);
	CHECK(c.r == 1 && c.lo == 1 && c.hi == 1 && c.p == 0);
	CHECK_INT(stats_corr(x, z, 7, &c), KOE_OK);
	CHECK_INT(c.n, 6);
	CHECK(c.r == -1);
	CHECK_INT(stats_corr(x, y, 3, &c), KOE_OK);
	CHECK_INT(c.status, STATS_TOO_FEW);
	CHECK(isnan(c.r));
}

static void
constant_driver_has_no_correlation(void)
{
	struct fixture *c = fx_load("stats/constant.csv", 1000, 5);
	struct stats_report *r = NULL;
	CHECK_INT(stats_report_compute(&c->d, &r), KOE_OK);
	if (r != NULL) {
		for (size_t i = 0; i < r->ndrivers; i++) {
			CHECK_INT(r->drivers[i].corr.status, STATS_NO_VARIANCE);
			CHECK(isnan(r->drivers[i].corr.r));
		}
		/* 8 people, 3 drivers: not computed before variance matters. */
		CHECK_INT(r->ols.status, STATS_TOO_FEW);
	}
	stats_report_free(r);
	fx_free(c);
}

static void
collinear_drivers_are_singular(void)
{
	enum { N = 40 };
	double y[N], a[N], b[N], k[N], beta[2];
	const double *x[2] = {a, b};
	struct stats_ols o;
	for (int i = 0; i < N; i++) {
		a[i] = i % 7;
		b[i] = 2 * a[i] + 1; /* an exact copy, rescaled */
		y[i] = a[i] + (i % 3);
		k[i] = 3;
	}
	CHECK_INT(stats_ols(y, x, 2, N, beta, &o), KOE_OK);
	CHECK_INT(o.status, STATS_SINGULAR);
	CHECK(isnan(beta[0]) && isnan(beta[1]) && isnan(o.r2));
	x[1] = k;
	CHECK_INT(stats_ols(y, x, 2, N, beta, &o), KOE_OK);
	CHECK_INT(o.status, STATS_NO_VARIANCE);
	CHECK_INT(stats_ols(y, x, 0, N, beta, &o), KOE_OK);
	CHECK_INT(o.status, STATS_NO_DATA);
}

static void
one_driver_ols_is_the_correlation(void)
{
	/* With one predictor the standardized beta is r and R² is r². */
	double y[30], a[30], beta[1];
	const double *x[1] = {a};
	struct stats_ols o;
	struct stats_corr c;
	for (int i = 0; i < 30; i++) {
		a[i] = (i * 7) % 5 + 1;
		y[i] = (i * 3) % 4 + a[i] / 2;
	}
	CHECK_INT(stats_ols(y, x, 1, 30, beta, &o), KOE_OK);
	CHECK_INT(stats_corr(a, y, 30, &c), KOE_OK);
	CHECK_INT(o.status, STATS_OK);
	CHECK_NEAR(beta[0], c.r);
	CHECK_NEAR(o.r2, c.r * c.r);
	CHECK_INT(stats_ols(y, x, 1, 9, beta, &o), KOE_OK);
	CHECK_INT(o.status, STATS_TOO_FEW);
}

/* General dominance on data made by the same formulas as reference.R:
 * the weights agree with R's lm() over every subset and add up to R²; one
 * bootstrap resample (given as counts) agrees with R on the resampled
 * rows; the percentile interval holds the estimate and is the same on
 * every run; the percentile is R's type 7. */
static void
dominance_matches_r(void)
{
	enum { N = 80 };
	double y[N], a[N], b[N], c[N], gd[3], lo[3], hi[3], beta[3];
	const double *x[3] = {a, b, c};
	unsigned freq[N];
	struct stats_ols o, full;
	for (int i = 0; i < N; i++) {
		a[i] = i % 7;
		b[i] = (3 * i) % 11;
		c[i] = (5 * i) % 13 + a[i] / 2;
		y[i] = a[i] + b[i] / 2 + (7 * i) % 5;
		freq[i] = (unsigned)((7 * i) % 3);
	}
	CHECK_INT(stats_dominance(y, x, 3, N, NULL, NULL, gd, lo, hi, &o), KOE_OK);
	CHECK_INT(o.status, STATS_OK);
	CHECK_INT(o.n, N);
	CHECK_REF(o.r2, "dominance.r2");
	CHECK_REF(gd[0], "dominance.x1");
	CHECK_REF(gd[1], "dominance.x2");
	CHECK_REF(gd[2], "dominance.x3");
	CHECK(isnan(lo[0]) && isnan(hi[2]));
	CHECK(fabs(gd[0] + gd[1] + gd[2] - o.r2) < 1e-12);
	CHECK_INT(stats_ols(y, x, 3, N, beta, &full), KOE_OK);
	CHECK(fabs(full.r2 - o.r2) < 1e-12);

	CHECK_INT(stats_dominance(y, x, 3, N, freq, NULL, gd, lo, hi, &o), KOE_OK);
	CHECK_REF(gd[0], "dominance_freq.x1");
	CHECK_REF(gd[1], "dominance_freq.x2");
	CHECK_REF(gd[2], "dominance_freq.x3");

	struct stats_boot boot = {.resamples = 200, .seed = 7};
	double lo2[3], hi2[3];
	CHECK_INT(stats_dominance(y, x, 3, N, NULL, &boot, gd, lo, hi, &o), KOE_OK);
	CHECK_INT(stats_dominance(y, x, 3, N, NULL, &boot, gd, lo2, hi2, &o), KOE_OK);
	for (int i = 0; i < 3; i++) {
		CHECK(lo[i] <= gd[i] && gd[i] <= hi[i] && lo[i] < hi[i]);
		CHECK(lo[i] == lo2[i] && hi[i] == hi2[i]);
	}

	/* The same answers stored in another order give the same intervals
	 * (the report must not depend on storage order). */
	double ry[N], ra[N], rb[N], rc[N];
	const double *rx[3] = {ra, rb, rc};
	for (int i = 0; i < N; i++) {
		int j = (i * 37) % N; /* a permutation: gcd(37, 80) = 1 */
		ry[i] = y[j];
		ra[i] = a[j];
		rb[i] = b[j];
		rc[i] = c[j];
	}
	CHECK_INT(stats_dominance(ry, rx, 3, N, NULL, &boot, gd, lo2, hi2, &o), KOE_OK);
	for (int i = 0; i < 3; i++)
		CHECK(lo[i] == lo2[i] && hi[i] == hi2[i]);

	double qv[] = {0.3, 0.1, 0.5, 0.2, 0.9, 0.4, 0.35}, q;
	CHECK_INT(stats_quantile7(qv, 7, 0.025, &q), KOE_OK);
	CHECK_REF(q, "quantile7.025");
	CHECK_INT(stats_quantile7(qv, 7, 0.975, &q), KOE_OK);
	CHECK_REF(q, "quantile7.975");
	CHECK_INT(stats_quantile7(qv, 0, 0.5, &q), KOE_EINVAL);

	/* Refusals as the OLS: too few cases, and more than 8 drivers. */
	CHECK_INT(stats_dominance(y, x, 3, 20, NULL, &boot, gd, lo, hi, &o), KOE_OK);
	CHECK_INT(o.status, STATS_TOO_FEW);
	CHECK(isnan(gd[0]) && isnan(lo[0]));
	const double *many[9] = {a, b, c, a, b, c, a, b, c};
	double gd9[9], lo9[9], hi9[9];
	CHECK_INT(stats_dominance(y, many, 9, N, NULL, NULL, gd9, lo9, hi9, &o), KOE_OK);
	CHECK_INT(o.status, STATS_TOO_FEW);
	CHECK(isnan(gd9[8]));
}

int
main(void)
{
	fx = fx_load("stats/survey.csv", 1000, 5);
	RUN(drivers_match_r);
	RUN(too_few_complete_cases_is_not_computed);
	RUN(corr_by_hand);
	RUN(constant_driver_has_no_correlation);
	RUN(collinear_drivers_are_singular);
	RUN(dominance_matches_r);
	RUN(one_driver_ols_is_the_correlation);
	fx_free(fx);
	ref_free();
	return harness_done();
}
