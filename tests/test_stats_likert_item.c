/* Likert item figures (n, mean, SD, t CI, counts, favorable/unfavorable with
 * Wilson CIs, neutral) agree with R on the fixture, overall and by segment;
 * reverse items count their bottom two points as favorable; degenerate and
 * invalid answers are reported, never silently turned into NaN. */
#include "test_stats_fixture.h"

static struct fixture *fx;

static void
check_item(const struct stats_item *it, const struct stats_item_meta *m,
           const char *prefix)
{
	CHECK_INT(it->status, STATS_OK);
	CHECK_REF((double)it->n, "%s.n", prefix);
	CHECK_REF(it->mean, "%s.mean", prefix);
	CHECK_REF(it->sd, "%s.sd", prefix);
	CHECK_REF(it->ci_lo, "%s.ci_lo", prefix);
	CHECK_REF(it->ci_hi, "%s.ci_hi", prefix);
	for (int p = 1; p <= m->npoints; p++)
		CHECK_REF((double)it->counts[p - 1], "%s.count.%d", prefix, p);
	CHECK_REF(it->fav.p, "%s.fav", prefix);
	CHECK_REF(it->fav.lo, "%s.fav_lo", prefix);
	CHECK_REF(it->fav.hi, "%s.fav_hi", prefix);
	CHECK_REF(it->unfav.p, "%s.unfav", prefix);
	CHECK_REF(it->unfav.lo, "%s.unfav_lo", prefix);
	CHECK_REF(it->unfav.hi, "%s.unfav_hi", prefix);
	CHECK_REF(it->neutral, "%s.neutral", prefix);
	CHECK(isnan(it->nps));
}

static void
items_match_r(void)
{
	for (size_t j = 0; j < fx->nitems; j++) {
		char prefix[64];
		struct stats_item it;
		if (fx->items[j].kind != STATS_LIKERT)
			continue;
		snprintf(prefix, sizeof(prefix), "item.%s", fx->keys[j]);
		/* An item the report counts over its scale's complete cases
		 * (include/koe/dc.h rule 2) has reference figures over those,
		 * not over the whole column. */
		double on_cc = 0;
		if (ref_find(&on_cc, "%s.on_cc", prefix) && on_cc == 1)
			continue;
		CHECK_INT(stats_item_compute(fx->x + j * fx->nresp, fx->nresp,
		                             &fx->items[j], &it), KOE_OK);
		check_item(&it, &fx->items[j], prefix);
	}
}

static void
report_items_by_segment_match_r(void)
{
	struct stats_report *r = NULL;
	CHECK_INT(stats_report_compute(&fx->d, &r), KOE_OK);
	if (r == NULL)
		return;
	for (size_t j = 0; j < fx->nitems; j++) {
		char prefix[96];
		if (fx->items[j].kind != STATS_LIKERT)
			continue;
		snprintf(prefix, sizeof(prefix), "item.%s", fx->keys[j]);
		double on_cc = 0;
		ref_find(&on_cc, "%s.on_cc", prefix);
		CHECK_INT(r->item_on_cc[j], on_cc == 1);
		CHECK_INT(r->items[j].shown, STATS_SHOWN);
		check_item(&r->items[j], &fx->items[j], prefix);
		for (size_t g = 0; g < fx->ngroups; g++) {
			const struct stats_item *it = &r->items_by_group[j * fx->ngroups + g];
			snprintf(prefix, sizeof(prefix), "item.%s.g.%s", fx->keys[j],
			         fx->group_names[g]);
			CHECK_REF((double)it->shown, "%s.shown", prefix);
			if (it->shown == STATS_SHOWN)
				check_item(it, &fx->items[j], prefix);
		}
	}
	stats_report_free(r);
}

static void
reverse_item_favors_bottom_points(void)
{
	/* support.5 is reverse coded: "disagree" answers are favorable. */
	int j = fx_item(fx, "support.5");
	struct stats_item it;
	CHECK(fx->items[j].reverse);
	CHECK_INT(stats_item_compute(fx->x + (size_t)j * fx->nresp, fx->nresp,
	                             &fx->items[j], &it), KOE_OK);
	CHECK_INT(it.fav.x, it.counts[0] + it.counts[1]);
	CHECK_INT(it.unfav.x, it.counts[3] + it.counts[4]);
}

static void
all_answers_equal_gives_degenerate_ci(void)
{
	struct fixture *c = fx_load("stats/constant.csv", 1000, 5);
	struct stats_item it;
	CHECK_INT(stats_item_compute(c->x, c->nresp, &c->items[0], &it), KOE_OK);
	CHECK_INT(it.status, STATS_OK);
	CHECK_INT(it.n, 8);
	CHECK(it.mean == 4 && it.sd == 0);
	CHECK(it.ci_lo == 4 && it.ci_hi == 4);
	CHECK(it.fav.p == 1 && it.fav.hi == 1 && it.unfav.p == 0 && it.unfav.lo == 0);
	CHECK(it.neutral == 0);
	fx_free(c);
}

static void
one_answer_has_no_sd(void)
{
	double col[] = {NAN, 3, NAN};
	struct stats_item_meta m = {.kind = STATS_LIKERT, .npoints = 5, .scale = -1};
	struct stats_item it;
	CHECK_INT(stats_item_compute(col, 3, &m, &it), KOE_OK);
	CHECK_INT(it.status, STATS_TOO_FEW);
	CHECK_INT(it.n, 1);
	CHECK(it.mean == 3);
	CHECK(isnan(it.sd) && isnan(it.ci_lo) && isnan(it.ci_hi));
	CHECK_INT(it.fav.status, STATS_OK);
	CHECK(it.neutral == 1);
}

static void
no_answers_is_no_data(void)
{
	double col[] = {NAN, NAN};
	struct stats_item_meta m = {.kind = STATS_LIKERT, .npoints = 5, .scale = -1};
	struct stats_item it;
	CHECK_INT(stats_item_compute(col, 2, &m, &it), KOE_OK);
	CHECK_INT(it.status, STATS_NO_DATA);
	CHECK_INT(it.n, 0);
	CHECK(isnan(it.mean) && isnan(it.neutral));
	CHECK_INT(it.fav.status, STATS_NO_DATA);
	CHECK(isnan(it.fav.p));
}

static void
three_point_item_uses_one_end_point(void)
{
	/* On 1..3 the top two would include the midpoint, so favorable is
	 * the top point only. */
	double col[] = {1, 2, 2, 3, 3, 3};
	struct stats_item_meta m = {.kind = STATS_LIKERT, .npoints = 3, .scale = -1};
	struct stats_item it;
	CHECK_INT(stats_item_compute(col, 6, &m, &it), KOE_OK);
	CHECK_INT(it.fav.x, 3);
	CHECK_INT(it.unfav.x, 1);
	CHECK_NEAR(it.neutral, 2.0 / 6);
}

static void
invalid_answers_are_rejected(void)
{
	struct stats_item_meta m = {.kind = STATS_LIKERT, .npoints = 5, .scale = -1};
	struct stats_item it;
	double six[] = {1, 6}, half[] = {2.5}, zero[] = {0}, inf[] = {INFINITY};
	CHECK_INT(stats_item_compute(six, 2, &m, &it), KOE_EINVAL);
	CHECK_INT(stats_item_compute(half, 1, &m, &it), KOE_EINVAL);
	CHECK_INT(stats_item_compute(zero, 1, &m, &it), KOE_EINVAL);
	CHECK_INT(stats_item_compute(inf, 1, &m, &it), KOE_EINVAL);
	m.npoints = 12;
	CHECK_INT(stats_item_compute(zero, 0, &m, &it), KOE_EINVAL);
	m.npoints = 1;
	CHECK_INT(stats_item_compute(zero, 0, &m, &it), KOE_EINVAL);
}

int
main(void)
{
	fx = fx_load("stats/survey.csv", 1000, 5);
	RUN(items_match_r);
	RUN(report_items_by_segment_match_r);
	RUN(reverse_item_favors_bottom_points);
	RUN(all_answers_equal_gives_degenerate_ci);
	RUN(one_answer_has_no_sd);
	RUN(no_answers_is_no_data);
	RUN(three_point_item_uses_one_end_point);
	RUN(invalid_answers_are_rejected);
	fx_free(fx);
	ref_free();
	return harness_done();
}
