/* NPS items: promoters 9–10, passives 7–8, detractors 0–6, NPS = 100·(pP −
 * pD) with the CI of docs/ARCHITECTURE.md §7, equal to R on the fixture overall and by
 * segment; the CI is clamped to [−100, 100]; answers outside 0..10 and an
 * NPS item inside a scale are rejected. */
#include "test_stats_fixture.h"

static struct fixture *fx;

static void
check_nps(const struct stats_item *it, const char *prefix)
{
	CHECK_INT(it->kind, STATS_NPS);
	CHECK_REF((double)it->n, "%s.n", prefix);
	for (int p = 0; p <= 10; p++)
		CHECK_REF((double)it->counts[p], "%s.count.%d", prefix, p);
	CHECK_REF(it->nps, "%s.nps", prefix);
	CHECK_REF(it->nps_lo, "%s.nps_lo", prefix);
	CHECK_REF(it->nps_hi, "%s.nps_hi", prefix);
	CHECK_REF(it->fav.p, "%s.fav", prefix);
	CHECK_REF(it->fav.lo, "%s.fav_lo", prefix);
	CHECK_REF(it->fav.hi, "%s.fav_hi", prefix);
	CHECK_REF(it->unfav.p, "%s.unfav", prefix);
	CHECK_REF(it->neutral, "%s.neutral", prefix);
	CHECK_REF(it->mean, "%s.mean", prefix);
	CHECK_REF(it->ci_lo, "%s.ci_lo", prefix);
	CHECK_REF(it->ci_hi, "%s.ci_hi", prefix);
}

static void
nps_items_match_r(void)
{
	struct stats_report *r = NULL;
	size_t seen = 0;
	CHECK_INT(stats_report_compute(&fx->d, &r), KOE_OK);
	if (r == NULL)
		return;
	for (size_t j = 0; j < fx->nitems; j++) {
		char prefix[96];
		struct stats_item it;
		if (fx->items[j].kind != STATS_NPS)
			continue;
		seen++;
		snprintf(prefix, sizeof(prefix), "item.%s", fx->keys[j]);
		CHECK_INT(stats_item_compute(fx->x + j * fx->nresp, fx->nresp,
		                             &fx->items[j], &it), KOE_OK);
		check_nps(&it, prefix);
		check_nps(&r->items[j], prefix);
		for (size_t g = 0; g < fx->ngroups; g++) {
			const struct stats_item *bg = &r->items_by_group[j * fx->ngroups + g];
			snprintf(prefix, sizeof(prefix), "item.%s.g.%s", fx->keys[j],
			         fx->group_names[g]);
			CHECK_REF((double)bg->shown, "%s.shown", prefix);
			if (bg->shown == STATS_SHOWN)
				check_nps(bg, prefix);
			else
				CHECK(bg->n == 0 && isnan(bg->nps));
		}
	}
	CHECK_INT(seen, 2);
	stats_report_free(r);
}

static void
formula_by_hand(void)
{
	/* 4 promoters, 3 passives, 3 detractors: NPS 10, half-width
	 * 196·√((0.4 + 0.3 − 0.01)/10). */
	double col[] = {10, 9, 9, 10, 7, 8, 8, 0, 6, 3};
	struct stats_item_meta m = {.kind = STATS_NPS, .npoints = 11, .scale = -1};
	struct stats_item it;
	CHECK_INT(stats_item_compute(col, 10, &m, &it), KOE_OK);
	CHECK_NEAR(it.nps, 10);
	CHECK_NEAR(it.nps_hi - it.nps, 196 * sqrt(0.69 / 10));
	CHECK_NEAR(it.nps - it.nps_lo, 196 * sqrt(0.69 / 10));
	CHECK_INT(it.fav.x, 4);
	CHECK_INT(it.unfav.x, 3);
	CHECK_NEAR(it.neutral, 0.3);
}

static void
ci_is_clamped(void)
{
	/* One promoter and one detractor: ±196·√(1/2) reaches past ±100. */
	double split[] = {10, 0}, all[] = {9, 10, 9};
	struct stats_item_meta m = {.kind = STATS_NPS, .npoints = 11, .scale = -1};
	struct stats_item it;
	CHECK_INT(stats_item_compute(split, 2, &m, &it), KOE_OK);
	CHECK(it.nps == 0 && it.nps_lo == -100 && it.nps_hi == 100);
	/* Everyone a promoter: the formula's variance is zero. */
	CHECK_INT(stats_item_compute(all, 3, &m, &it), KOE_OK);
	CHECK(it.nps == 100 && it.nps_lo == 100 && it.nps_hi == 100);
}

static void
bad_nps_is_rejected(void)
{
	double eleven[] = {11}, neg[] = {-1}, ok[] = {5};
	struct stats_item_meta m = {.kind = STATS_NPS, .npoints = 11, .scale = -1};
	struct stats_item it;
	CHECK_INT(stats_item_compute(eleven, 1, &m, &it), KOE_EINVAL);
	CHECK_INT(stats_item_compute(neg, 1, &m, &it), KOE_EINVAL);
	m.scale = 0;
	CHECK_INT(stats_item_compute(ok, 1, &m, &it), KOE_EINVAL);
	m.scale = -1;
	m.reverse = true;
	CHECK_INT(stats_item_compute(ok, 1, &m, &it), KOE_EINVAL);
}

int
main(void)
{
	fx = fx_load("stats/survey.csv", 1000, 5);
	RUN(nps_items_match_r);
	RUN(formula_by_hand);
	RUN(ci_is_clamped);
	RUN(bad_nps_is_rejected);
	fx_free(fx);
	ref_free();
	return harness_done();
}
