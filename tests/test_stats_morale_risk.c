/* Morale risk: the share of respondents whose morale score is unfavorable
 * (≤ 2.5 on 1..5) with its Wilson CI, overall and by segment, and the
 * one-sided two-proportion test of each shown segment against the rest with
 * BH q over the report's tests, agree with R's prop.test(); 'operations' is
 * the fixture's hot spot. */
#include "test_stats_fixture.h"

static struct fixture *fx;

static void
risk_matches_r(void)
{
	struct stats_report *r = NULL;
	CHECK_INT(stats_report_compute(&fx->d, &r), KOE_OK);
	if (r == NULL)
		return;
	CHECK(r->morale_scale >= 0 && r->hotspots != NULL);
	const struct stats_prop *all = &r->scales[r->morale_scale].unfav;
	CHECK_REF((double)all->x, "risk.x");
	CHECK_REF((double)all->n, "risk.n");
	CHECK_REF(all->p, "risk.share");
	CHECK_REF(all->lo, "risk.share_lo");
	CHECK_REF(all->hi, "risk.share_hi");

	size_t hot = 0;
	for (size_t g = 0; g < fx->ngroups; g++) {
		const struct stats_hotspot *h = &r->hotspots[g];
		const char *name = fx->group_names[g];
		CHECK_REF((double)h->shown, "risk.%s.shown", name);
		if (h->shown != STATS_SHOWN) {
			CHECK_INT(h->test.status, STATS_NO_DATA);
			continue;
		}
		CHECK_INT(h->test.status, STATS_OK);
		CHECK_REF(h->share.p, "risk.%s.share", name);
		CHECK_REF(h->share.lo, "risk.%s.share_lo", name);
		CHECK_REF(h->share.hi, "risk.%s.share_hi", name);
		CHECK_REF(h->test.p, "risk.%s.p", name);
		CHECK_REF(h->test.q, "risk.%s.q", name);
		CHECK_REF((double)h->hot, "risk.%s.flag", name);
		CHECK(h->hot == h->test.flagged);
		if (h->hot) {
			hot++;
			CHECK(h->test.diff > 0);
		}
	}
	CHECK_INT(hot, 1);
	CHECK(r->hotspots[fx_group(fx, "operations")].hot);
	stats_report_free(r);
}

static void
one_sided_test_by_hand(void)
{
	/* 8 of 10 against 10 of 40: pooled 18/50, z = 0.55/√(0.36·0.64·0.125). */
	struct stats_test t;
	CHECK_INT(stats_prop_greater(8, 10, 10, 40, &t), KOE_OK);
	CHECK_INT(t.status, STATS_OK);
	CHECK_NEAR(t.diff, 0.55);
	CHECK_NEAR(t.stat, 0.55 / sqrt(0.36 * 0.64 * 0.125));
	CHECK(t.p < 0.001);
	/* A segment below the rest is never a hot spot: z = −2.29, p near 1. */
	CHECK_INT(stats_prop_greater(1, 10, 20, 40, &t), KOE_OK);
	CHECK(t.stat < -2.2 && t.p > 0.98);
}

static void
degenerate_shares(void)
{
	struct stats_test t;
	CHECK_INT(stats_prop_greater(0, 10, 0, 40, &t), KOE_OK);
	CHECK_INT(t.status, STATS_NO_VARIANCE);
	CHECK(isnan(t.p));
	CHECK_INT(stats_prop_greater(10, 10, 40, 40, &t), KOE_OK);
	CHECK_INT(t.status, STATS_NO_VARIANCE);
	CHECK_INT(stats_prop_greater(3, 10, 0, 0, &t), KOE_OK);
	CHECK_INT(t.status, STATS_TOO_FEW);
	CHECK_INT(stats_prop_greater(11, 10, 0, 5, &t), KOE_EINVAL);
}

static void
no_morale_scale_no_hotspots(void)
{
	enum stats_role roles[8];
	struct stats_data d = fx->d;
	struct stats_report *r = NULL;
	for (size_t s = 0; s < fx->nscales; s++)
		roles[s] = fx->roles[s] == STATS_ROLE_MORALE ? STATS_ROLE_NONE
		                                             : fx->roles[s];
	d.scale_role = roles;
	CHECK_INT(stats_report_compute(&d, &r), KOE_OK);
	if (r != NULL) {
		CHECK_INT(r->morale_scale, -1);
		CHECK(r->hotspots == NULL);
		CHECK_INT(r->ntests, 12); /* the Welch tests only */
	}
	stats_report_free(r);
}

int
main(void)
{
	fx = fx_load("stats/survey.csv", 1000, 5);
	RUN(risk_matches_r);
	RUN(one_sided_test_by_hand);
	RUN(degenerate_shares);
	RUN(no_morale_scale_no_hotspots);
	fx_free(fx);
	ref_free();
	return harness_done();
}
