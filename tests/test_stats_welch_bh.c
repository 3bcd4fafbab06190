/* Segment comparison: every shown segment against the rest of the company
 * with Welch's t-test, and Benjamini–Hochberg q over all the report's tests,
 * agree with R's t.test() and p.adjust("BH"); hidden segments are not
 * tested; degenerate groups are reported, not tested. */
#include "test_stats_fixture.h"

static struct fixture *fx;

static void
comparisons_match_r(void)
{
	struct stats_report *r = NULL;
	size_t tested = 0;
	CHECK_INT(stats_report_compute(&fx->d, &r), KOE_OK);
	if (r == NULL)
		return;
	for (size_t s = 0; s < fx->nscales; s++)
		for (size_t g = 0; g < fx->ngroups; g++) {
			const struct stats_compare *c = &r->compare[s * fx->ngroups + g];
			char prefix[96];
			snprintf(prefix, sizeof(prefix), "welch.%s.%s",
			         fx->scale_names[s], fx->group_names[g]);
			CHECK_REF((double)c->shown, "scale.%s.g.%s.shown",
			          fx->scale_names[s], fx->group_names[g]);
			if (c->shown != STATS_SHOWN) {
				CHECK_INT(c->welch.status, STATS_NO_DATA);
				CHECK(c->group.n == 0 && isnan(c->welch.p));
				continue;
			}
			tested++;
			CHECK_INT(c->welch.status, STATS_OK);
			CHECK_REF((double)c->rest.n, "%s.n_rest", prefix);
			CHECK_REF(c->welch.diff, "%s.diff", prefix);
			CHECK_NEAR(c->welch.diff, c->group.mean - c->rest.mean);
			CHECK_REF(c->welch.stat, "%s.t", prefix);
			CHECK_REF(c->welch.df, "%s.df", prefix);
			CHECK_REF(c->welch.p, "%s.p", prefix);
			CHECK_REF(c->welch.q, "%s.q", prefix);
			CHECK_REF((double)c->welch.flagged, "%s.flag", prefix);
		}
	CHECK_INT(tested, 12);
	CHECK_REF((double)r->ntests, "tests.n");
	stats_report_free(r);
}

static void
bh_matches_r(void)
{
	double p[] = {0.01, 0.04, 0.03, 0.04, 0.2, 0.001, 0.5, 0.04, 0.9, 0.0004};
	double q[10];
	CHECK_INT(stats_bh(p, 10, q), KOE_OK);
	for (size_t i = 0; i < 10; i++)
		CHECK_REF(q[i], "bh.%zu", i);
	/* In place. */
	CHECK_INT(stats_bh(p, 10, p), KOE_OK);
	for (size_t i = 0; i < 10; i++)
		CHECK(p[i] == q[i]);
}

static void
bh_edges(void)
{
	double one[] = {0.03}, bad[] = {0.1, 1.5}, nan[] = {NAN}, q[2];
	CHECK_INT(stats_bh(one, 1, q), KOE_OK);
	CHECK(q[0] == 0.03);
	CHECK_INT(stats_bh(NULL, 0, NULL), KOE_OK);
	CHECK_INT(stats_bh(bad, 2, q), KOE_EINVAL);
	CHECK_INT(stats_bh(nan, 1, q), KOE_EINVAL);
}

static void
welch_by_hand(void)
{
	/* Equal sizes and variances: t = diff/√(2v/n), df = 2(n − 1). */
	struct stats_moments a = {.n = 10, .mean = 3.5, .var = 0.5};
	struct stats_moments b = {.n = 10, .mean = 3.0, .var = 0.5};
	struct stats_test t;
	CHECK_INT(stats_welch(&a, &b, &t), KOE_OK);
	CHECK_INT(t.status, STATS_OK);
	CHECK_NEAR(t.stat, 0.5 / sqrt(0.1));
	CHECK_NEAR(t.df, 18);
	CHECK_NEAR(t.p, 0.13125820106660155); /* R: 2 * pt(-0.5 / sqrt(0.1), 18) */
	CHECK(isnan(t.q));
}

static void
welch_degenerate(void)
{
	struct stats_moments one = {.n = 1, .mean = 4, .var = NAN};
	struct stats_moments c1 = {.n = 6, .mean = 4, .var = 0};
	struct stats_moments c2 = {.n = 9, .mean = 2, .var = 0};
	struct stats_moments v = {.n = 9, .mean = 2, .var = 1};
	struct stats_test t;
	CHECK_INT(stats_welch(&one, &c1, &t), KOE_OK);
	CHECK_INT(t.status, STATS_TOO_FEW);
	CHECK(isnan(t.p));
	CHECK_INT(stats_welch(&c1, &c2, &t), KOE_OK);
	CHECK_INT(t.status, STATS_NO_VARIANCE);
	CHECK(isnan(t.p) && t.diff == 2);
	/* One constant group is fine: only the other contributes variance. */
	CHECK_INT(stats_welch(&c1, &v, &t), KOE_OK);
	CHECK_INT(t.status, STATS_OK);
	CHECK_NEAR(t.df, 8);
	v.var = -1;
	CHECK_INT(stats_welch(&c1, &v, &t), KOE_EINVAL);
}

static void
constant_segments_are_not_tested(void)
{
	struct fixture *c = fx_load("stats/constant.csv", 1000, 4);
	struct stats_report *r = NULL;
	CHECK_INT(stats_report_compute(&c->d, &r), KOE_OK);
	if (r != NULL) {
		for (size_t i = 0; i < c->nscales * c->ngroups; i++) {
			CHECK_INT(r->compare[i].shown, STATS_SHOWN);
			CHECK_INT(r->compare[i].welch.status, STATS_NO_VARIANCE);
			CHECK(r->compare[i].rest.var == 0);
		}
		CHECK_INT(r->ntests, 0);
	}
	stats_report_free(r);
	fx_free(c);
}

int
main(void)
{
	fx = fx_load("stats/survey.csv", 1000, 5);
	RUN(comparisons_match_r);
	RUN(bh_matches_r);
	RUN(bh_edges);
	RUN(welch_by_hand);
	RUN(welch_degenerate);
	RUN(constant_segments_are_not_tested);
	fx_free(fx);
	ref_free();
	return harness_done();
}
