/* The finite-population correction (stats_item_fpc, stats_scale_fpc,
 * stats_prop_fpc; README, "Who answered"): for 60 people invited, every
 * item's t interval, favorable and unfavorable Wilson intervals and NPS
 * interval, and every scale's, agree with R (tests/data/stats/reference.R,
 * "finite-population correction of items and scales"); they are narrower
 * than the uncorrected ones; everyone answering makes each interval its
 * point; a population smaller than the answers is refused. */
#include "test_stats_fixture.h"

static void
items_and_scales_match_r(void)
{
	struct fixture *fx = fx_load("stats/survey.csv", 1000, 5);
	struct stats_report *r = NULL;
	CHECK_INT(stats_report_compute(&fx->d, &r), KOE_OK);
	if (r == NULL)
		goto out;
	for (size_t j = 0; j < fx->nitems; j++) {
		struct stats_item it = r->items[j];
		const char *key = fx->keys[j];
		CHECK(!it.fpc);
		CHECK_INT(stats_item_fpc(&it, 60), KOE_OK);
		CHECK(it.fpc);
		CHECK_REF(it.ci_lo, "fpc60.item.%s.ci_lo", key);
		CHECK_REF(it.ci_hi, "fpc60.item.%s.ci_hi", key);
		CHECK_REF(it.fav.lo, "fpc60.item.%s.fav_lo", key);
		CHECK_REF(it.fav.hi, "fpc60.item.%s.fav_hi", key);
		CHECK_REF(it.unfav.lo, "fpc60.item.%s.unfav_lo", key);
		CHECK_REF(it.unfav.hi, "fpc60.item.%s.unfav_hi", key);
		if (it.kind == STATS_NPS) {
			CHECK_REF(it.nps_lo, "fpc60.item.%s.nps_lo", key);
			CHECK_REF(it.nps_hi, "fpc60.item.%s.nps_hi", key);
		}
		/* The figures themselves do not move; the intervals narrow. */
		CHECK(it.mean == r->items[j].mean && it.fav.p == r->items[j].fav.p);
		CHECK(it.ci_hi - it.ci_lo < r->items[j].ci_hi - r->items[j].ci_lo);
		CHECK(it.fav.hi - it.fav.lo <= r->items[j].fav.hi - r->items[j].fav.lo);
		/* Everyone answered: the interval is the point. */
		it = r->items[j];
		CHECK_INT(stats_item_fpc(&it, (double)it.n), KOE_OK);
		CHECK(it.ci_lo == it.mean && it.ci_hi == it.mean);
		CHECK(it.fav.lo == it.fav.p && it.unfav.hi == it.unfav.p);
		it = r->items[j];
		CHECK_INT(stats_item_fpc(&it, (double)it.n - 1), KOE_EINVAL);
	}
	for (size_t s = 0; s < fx->nscales; s++) {
		struct stats_scale sc = r->scales[s];
		const char *name = fx->scale_names[s];
		CHECK_INT(stats_scale_fpc(&sc, 60), KOE_OK);
		CHECK(sc.fpc);
		CHECK_REF(sc.ci_lo, "fpc60.scale.%s.ci_lo", name);
		CHECK_REF(sc.ci_hi, "fpc60.scale.%s.ci_hi", name);
		CHECK_REF(sc.fav.lo, "fpc60.scale.%s.fav_lo", name);
		CHECK_REF(sc.fav.hi, "fpc60.scale.%s.fav_hi", name);
		CHECK_REF(sc.unfav.lo, "fpc60.scale.%s.unfav_lo", name);
		CHECK_REF(sc.unfav.hi, "fpc60.scale.%s.unfav_hi", name);
		sc = r->scales[s];
		CHECK_INT(stats_scale_fpc(&sc, (double)sc.n - 1), KOE_EINVAL);
	}
	/* A share with no figure is left as it is. */
	struct stats_prop empty = {.p = NAN, .lo = NAN, .hi = NAN, .status = STATS_NO_DATA};
	CHECK_INT(stats_prop_fpc(&empty, 60), KOE_OK);
	CHECK(isnan(empty.lo));
out:
	stats_report_free(r);
	fx_free(fx);
}

int
main(void)
{
	RUN(items_and_scales_match_r);
	ref_free();
	return harness_done();
}
