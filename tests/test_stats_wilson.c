/* Proportions carry a 95% Wilson score interval equal to R's
 * prop.test(correct = FALSE), touching 0 and 1 exactly at the edges; an
 * empty group has no share rather than a NaN one. */
#include "test_stats_fixture.h"

static void
intervals_match_r(void)
{
	static const size_t cases[][2] = {{0, 10}, {10, 10}, {1, 1}, {3, 7}, {50, 1000}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct stats_prop p;
		size_t x = cases[i][0], n = cases[i][1];
		CHECK_INT(stats_proportion(x, n, &p), KOE_OK);
		CHECK_INT(p.status, STATS_OK);
		CHECK_INT(p.x, x);
		CHECK_INT(p.n, n);
		CHECK_REF(p.p, "wilson.%zu.%zu", x, n);
		CHECK_REF(p.lo, "wilson.%zu.%zu_lo", x, n);
		CHECK_REF(p.hi, "wilson.%zu.%zu_hi", x, n);
		CHECK(p.lo >= 0 && p.lo <= p.p && p.p <= p.hi && p.hi <= 1);
	}
}

static void
edges_are_exact(void)
{
	struct stats_prop p;
	CHECK_INT(stats_proportion(0, 37, &p), KOE_OK);
	CHECK(p.lo == 0 && p.p == 0 && p.hi > 0);
	CHECK_INT(stats_proportion(37, 37, &p), KOE_OK);
	CHECK(p.hi == 1 && p.p == 1 && p.lo < 1);
}

static void
formula_by_hand(void)
{
	/* 45 of 60 favorable: centre (p + z²/2n)/(1 + z²/n), half-width
	 * z·√(p(1−p)/n + z²/4n²)/(1 + z²/n), z = qnorm(0.975). */
	const double z = 1.959963984540054, n = 60, ph = 0.75;
	double denom = 1 + z * z / n;
	double centre = (ph + z * z / (2 * n)) / denom;
	double half = z * sqrt(ph * (1 - ph) / n + z * z / (4 * n * n)) / denom;
	struct stats_prop p;
	CHECK_INT(stats_proportion(45, 60, &p), KOE_OK);
	CHECK_NEAR(p.lo, centre - half);
	CHECK_NEAR(p.hi, centre + half);
}

static void
empty_group_has_no_share(void)
{
	struct stats_prop p;
	CHECK_INT(stats_proportion(0, 0, &p), KOE_OK);
	CHECK_INT(p.status, STATS_NO_DATA);
	CHECK(isnan(p.p) && isnan(p.lo) && isnan(p.hi));
}

static void
more_hits_than_trials_is_invalid(void)
{
	struct stats_prop p;
	CHECK_INT(stats_proportion(11, 10, &p), KOE_EINVAL);
}

int
main(void)
{
	RUN(intervals_match_r);
	RUN(edges_are_exact);
	RUN(formula_by_hand);
	RUN(empty_group_has_no_share);
	RUN(more_hits_than_trials_is_invalid);
	ref_free();
	return harness_done();
}
