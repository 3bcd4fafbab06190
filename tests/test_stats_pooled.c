/* Pooled item-level shares (stats_pool_counts, stats_pooled_from): the
 * company's and every segment's raw counts and shares of each scale agree
 * with R (tests/data/stats/reference.R, "pooled"), including a scale with an
 * optional item (morale.4) whose unanswered cells are skipped; the share is
 * the answer-weighted mean of the item shares printed under it; the
 * interval is Wilson's at n = people, also for a fractional base; the
 * interim report wipes them. */
#include "test_stats_fixture.h"

static void
company_and_groups_match_r(void)
{
	struct fixture *fx = fx_load("stats/survey.csv", 1000, 5);
	struct stats_report *r = NULL;
	CHECK_INT(stats_report_compute(&fx->d, &r), KOE_OK);
	if (r == NULL)
		goto out;
	for (size_t s = 0; s < fx->nscales; s++) {
		const char *name = fx->scale_names[s];
		const struct stats_pooled *p = &r->pooled[s];
		CHECK_INT(p->shown, STATS_SHOWN);
		CHECK_INT(p->status, STATS_OK);
		CHECK_REF((double)p->answers, "pooled.%s.answers", name);
		CHECK_REF((double)p->fav_x, "pooled.%s.fav_x", name);
		CHECK_REF((double)p->unfav_x, "pooled.%s.unfav_x", name);
		CHECK_REF((double)p->people, "pooled.%s.people", name);
		CHECK_REF(p->fav, "pooled.%s.fav", name);
		CHECK_REF(p->unfav, "pooled.%s.unfav", name);
		CHECK_REF(p->neutral, "pooled.%s.neutral", name);
		CHECK_REF(p->fav_lo, "pooled.%s.fav_lo", name);
		CHECK_REF(p->fav_hi, "pooled.%s.fav_hi", name);
		CHECK_REF(p->unfav_lo, "pooled.%s.unfav_lo", name);
		CHECK_REF(p->unfav_hi, "pooled.%s.unfav_hi", name);
		/* It is the answer-weighted mean of the item shares. */
		double num = 0, den = 0;
		for (size_t j = 0; j < fx->nitems; j++)
			if (fx->items[j].kind == STATS_LIKERT && fx->items[j].scale == (int)s) {
				num += r->items[j].fav.p * (double)r->items[j].n;
				den += (double)r->items[j].n;
			}
		CHECK(fabs(num / den - p->fav) < 1e-12);
		for (size_t g = 0; g < fx->ngroups; g++) {
			const struct stats_pool_acc *a = &r->pool_by_group[s * fx->ngroups + g];
			struct stats_pooled pg;
			CHECK_REF((double)a->answers, "pooled.%s.g.%s.answers", name, fx->group_names[g]);
			CHECK_REF((double)a->fav, "pooled.%s.g.%s.fav_x", name, fx->group_names[g]);
			CHECK_REF((double)a->unfav, "pooled.%s.g.%s.unfav_x", name, fx->group_names[g]);
			CHECK_REF((double)a->people, "pooled.%s.g.%s.people", name, fx->group_names[g]);
			CHECK_INT(stats_pooled_from(a, p->nitems, &pg), KOE_OK);
			if (a->answers) {
				CHECK_REF(pg.fav, "pooled.%s.g.%s.fav", name, fx->group_names[g]);
				CHECK_REF(pg.unfav_hi, "pooled.%s.g.%s.unfav_hi", name, fx->group_names[g]);
			}
		}
	}
	/* The finite-population correction for 60 invited agrees with R;
	 * everyone answering leaves the share itself. */
	for (size_t s = 0; s < fx->nscales; s++) {
		struct stats_pooled q = r->pooled[s];
		CHECK_INT(stats_pooled_fpc(&q, 60), KOE_OK);
		CHECK(q.fpc);
		CHECK_REF(q.fav_lo, "fpc60.%s.fav_lo", fx->scale_names[s]);
		CHECK_REF(q.fav_hi, "fpc60.%s.fav_hi", fx->scale_names[s]);
		CHECK_REF(q.unfav_lo, "fpc60.%s.unfav_lo", fx->scale_names[s]);
		CHECK_REF(q.unfav_hi, "fpc60.%s.unfav_hi", fx->scale_names[s]);
		CHECK(q.fav_hi - q.fav_lo < r->pooled[s].fav_hi - r->pooled[s].fav_lo);
		q = r->pooled[s];
		CHECK_INT(stats_pooled_fpc(&q, (double)q.people), KOE_OK);
		CHECK(q.fav_lo == q.fav && q.fav_hi == q.fav);
		q = r->pooled[s];
		CHECK_INT(stats_pooled_fpc(&q, (double)q.people - 1), KOE_EINVAL);
	}
	/* Interim: participation only. */
	stats_report_participation_only(r);
	for (size_t s = 0; s < fx->nscales; s++) {
		CHECK_INT(r->pooled[s].shown, STATS_HIDDEN_INTERIM);
		CHECK(isnan(r->pooled[s].fav));
		CHECK_INT(r->pool_by_group[s * fx->ngroups].answers, 0);
	}
out:
	stats_report_free(r);
	fx_free(fx);
}

static void
fractional_wilson_matches_r(void)
{
	double lo, hi;
	CHECK_INT(stats_wilson(45.5 / 60, 60, &lo, &hi), KOE_OK);
	CHECK_REF(lo, "wilson_pn.45.5.60_lo");
	CHECK_REF(hi, "wilson_pn.45.5.60_hi");
	/* An integer count gives stats_proportion's interval. */
	struct stats_prop pr;
	CHECK_INT(stats_proportion(45, 60, &pr), KOE_OK);
	CHECK_INT(stats_wilson(0.75, 60, &lo, &hi), KOE_OK);
	CHECK(fabs(lo - pr.lo) < 1e-15 && fabs(hi - pr.hi) < 1e-15);
	CHECK_INT(stats_wilson(1.5, 60, &lo, &hi), KOE_EINVAL);
	CHECK_INT(stats_wilson(0.5, 0, &lo, &hi), KOE_OK);
	CHECK(isnan(lo) && isnan(hi));
}

static void
counts_are_checked(void)
{
	struct stats_pooled p;
	struct stats_pool_acc bad = {.answers = 3, .fav = 2, .unfav = 2, .people = 1};
	CHECK_INT(stats_pooled_from(&bad, 3, &p), KOE_EINVAL);
	struct stats_pool_acc none = {0};
	CHECK_INT(stats_pooled_from(&none, 3, &p), KOE_OK);
	CHECK_INT(p.status, STATS_NO_DATA);
	CHECK(isnan(p.fav) && isnan(p.fav_lo));
}

int
main(void)
{
	RUN(company_and_groups_match_r);
	RUN(fractional_wilson_matches_r);
	RUN(counts_are_checked);
	return harness_done();
}
