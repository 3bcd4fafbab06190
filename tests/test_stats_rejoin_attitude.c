/* Rejoin attitude is composed from the other figures: the report lists the
 * rejoin scale's items and the rejoin NPS item (not the eNPS), and their
 * distributions and favorable shares, overall and by shown segment, and the
 * rejoin scale's favorable share agree with R. */
#include "test_stats_fixture.h"

static void
rejoin_items_and_shares_match_r(void)
{
	struct fixture *fx = fx_load("stats/survey.csv", 1000, 5);
	struct stats_report *r = NULL;
	static const char *const want[] = {"rejoin.1", "rejoin.2", "rejoin.3",
	                                   "rejoin.4", "rejoin_nps"};
	CHECK_INT(stats_report_compute(&fx->d, &r), KOE_OK);
	if (r == NULL)
		goto out;
	CHECK_INT(r->rejoin_scale, fx_scale_index(fx, "rejoin"));
	CHECK_INT(r->nrejoin_items, 5);
	for (size_t i = 0; i < r->nrejoin_items && i < 5; i++) {
		size_t j = r->rejoin_items[i];
		CHECK_STR(fx->keys[j], want[i]);
		const struct stats_item *it = &r->items[j];
		CHECK_REF(it->fav.p, "item.%s.fav", fx->keys[j]);
		CHECK_REF(it->fav.lo, "item.%s.fav_lo", fx->keys[j]);
		CHECK_REF((double)it->counts[0], "item.%s.count.%d", fx->keys[j],
		          it->kind == STATS_NPS ? 0 : 1);
		for (size_t g = 0; g < fx->ngroups; g++) {
			const struct stats_item *bg = &r->items_by_group[j * fx->ngroups + g];
			CHECK_REF((double)bg->shown, "item.%s.g.%s.shown", fx->keys[j],
			          fx->group_names[g]);
			if (bg->shown == STATS_SHOWN)
				CHECK_REF(bg->fav.p, "item.%s.g.%s.fav", fx->keys[j],
				          fx->group_names[g]);
		}
	}
	const struct stats_scale *sc = &r->scales[r->rejoin_scale];
	CHECK_REF(sc->fav.p, "scale.rejoin.fav");
	CHECK_REF(sc->fav.hi, "scale.rejoin.fav_hi");
	for (size_t g = 0; g < fx->ngroups; g++) {
		const struct stats_scale *bg = &r->scales_by_group[(size_t)r->rejoin_scale * fx->ngroups + g];
		if (bg->shown == STATS_SHOWN)
			CHECK_REF(bg->fav.p, "scale.rejoin.g.%s.fav", fx->group_names[g]);
	}
out:
	stats_report_free(r);
	fx_free(fx);
}

static void
no_rejoin_role_lists_nothing(void)
{
	double x[] = {1, 2, 9, 10};
	struct stats_item_meta items[2] = {
		{.kind = STATS_LIKERT, .npoints = 5, .scale = -1},
		{.kind = STATS_NPS, .scale = -1},
	};
	struct stats_data d = {.nresp = 2, .nitems = 2, .x = x, .items = items,
	                       .k = 1};
	struct stats_report *r = NULL;
	CHECK_INT(stats_report_compute(&d, &r), KOE_OK);
	if (r != NULL) {
		CHECK_INT(r->rejoin_scale, -1);
		CHECK_INT(r->nrejoin_items, 0);
		CHECK_INT(r->ndrivers, 0);
		CHECK_INT(r->ols.status, STATS_NO_DATA);
	}
	stats_report_free(r);
}

int
main(void)
{
	RUN(rejoin_items_and_shares_match_r);
	RUN(no_rejoin_role_lists_nothing);
	ref_free();
	return harness_done();
}
