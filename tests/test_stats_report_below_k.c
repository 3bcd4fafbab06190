/* A company with fewer than k respondents (or none) gets a report with
 * nothing in it: every figure is hidden and wiped, no test runs, no driver is
 * computed. Malformed data is rejected as a whole. */
#include "test_stats_fixture.h"

static void
four_respondents_show_nothing(void)
{
	struct fixture *fx = fx_load("stats/survey.csv", 4, 5);
	struct stats_report *r = NULL;
	CHECK_INT(fx->nresp, 4);
	CHECK_INT(stats_report_compute(&fx->d, &r), KOE_OK);
	if (r == NULL)
		goto out;
	CHECK_INT(r->shown, STATS_HIDDEN_BELOW_K);
	for (size_t j = 0; j < fx->nitems; j++) {
		CHECK_INT(r->items[j].shown, STATS_HIDDEN_BELOW_K);
		CHECK(r->items[j].n == 0 && isnan(r->items[j].mean));
		for (size_t g = 0; g < fx->ngroups; g++)
			CHECK(r->items_by_group[j * fx->ngroups + g].shown != STATS_SHOWN);
	}
	for (size_t s = 0; s < fx->nscales; s++) {
		CHECK_INT(r->scales[s].shown, STATS_HIDDEN_BELOW_K);
		CHECK(isnan(r->scales[s].mean) && isnan(r->scales[s].unfav.p));
		CHECK_INT(r->alphas[s].status, STATS_TOO_FEW);
		CHECK(isnan(r->alphas[s].alpha));
	}
	for (size_t g = 0; g < fx->ngroups; g++) {
		CHECK(r->group_shown[g] != STATS_SHOWN);
		CHECK_INT(r->group_n[g], 0);
	}
	for (size_t i = 0; i < r->ndrivers; i++) {
		CHECK_INT(r->drivers[i].corr.status, STATS_TOO_FEW);
		CHECK(isnan(r->drivers[i].corr.r));
	}
	CHECK_INT(r->ols.status, STATS_TOO_FEW);
	CHECK_INT(r->ntests, 0);
out:
	stats_report_free(r);
	fx_free(fx);
}

static void
bad_data_is_rejected(void)
{
	struct fixture *fx = fx_load("stats/survey.csv", 1000, 5);
	struct stats_data d = fx->d;
	struct stats_report *r = NULL;
	enum stats_role roles[8];
	int group[FX_MAX_ROWS];

	d.k = 0;
	CHECK_INT(stats_report_compute(&d, &r), KOE_EINVAL);
	CHECK(r == NULL);

	d = fx->d;
	memcpy(group, fx->group, sizeof(group));
	group[7] = (int)fx->ngroups;
	d.group = group;
	CHECK_INT(stats_report_compute(&d, &r), KOE_EINVAL);
	group[7] = -1;
	CHECK_INT(stats_report_compute(&d, &r), KOE_EINVAL);

	d = fx->d;
	memcpy(roles, fx->roles, fx->nscales * sizeof(*roles));
	roles[2] = STATS_ROLE_SUPPORT; /* a second support scale */
	d.scale_role = roles;
	CHECK_INT(stats_report_compute(&d, &r), KOE_EINVAL);

	d = fx->d;
	fx->x[3 * fx->nresp + 5] = 9; /* a 9 on a 1..5 item */
	CHECK_INT(stats_report_compute(&d, &r), KOE_EINVAL);
	CHECK(r == NULL);

	d = fx->d;
	d.nresp = STATS_MAX_RESPONDENTS + 1;
	CHECK_INT(stats_report_compute(&d, &r), KOE_ETOOBIG);
	fx_free(fx);
}

static void
no_breakdown_no_groups(void)
{
	struct fixture *fx = fx_load("stats/survey.csv", 1000, 5);
	struct stats_data d = fx->d;
	struct stats_report *r = NULL;
	d.group = NULL;
	d.ngroups = 0;
	CHECK_INT(stats_report_compute(&d, &r), KOE_OK);
	if (r != NULL) {
		CHECK_INT(r->ntests, 0);
		CHECK_REF(r->scales[0].mean, "scale.%s.mean", fx->scale_names[0]);
		/* 19 complete cases on all four scales, fewer than the 30 the
		 * OLS needs (scale scores are over complete cases). */
		CHECK_INT(r->ols.status, STATS_TOO_FEW);
	}
	stats_report_free(r);
	fx_free(fx);
}

static void
no_respondents_at_all(void)
{
	struct fixture *fx = fx_load("stats/survey.csv", 1000, 5);
	struct stats_data d = fx->d;
	struct stats_report *r = NULL;
	d.nresp = 0;
	CHECK_INT(stats_report_compute(&d, &r), KOE_OK);
	if (r != NULL) {
		CHECK_INT(r->shown, STATS_HIDDEN_BELOW_K);
		CHECK_INT(r->items[0].n, 0);
		CHECK_INT(r->scales[0].status, STATS_NO_DATA);
		CHECK_INT(r->alphas[0].n, 0);
		CHECK_INT(r->drivers[0].corr.status, STATS_NO_DATA);
		CHECK_INT(r->ntests, 0);
		for (size_t g = 0; g < fx->ngroups; g++)
			CHECK_INT(r->group_shown[g], STATS_HIDDEN_BELOW_K);
	}
	stats_report_free(r);
	fx_free(fx);
}

static void
names_are_stable(void)
{
	CHECK_STR(stats_status_name(STATS_OK), "ok");
	CHECK_STR(stats_status_name(STATS_NO_VARIANCE), "no_variance");
	CHECK_STR(stats_shown_name(STATS_HIDDEN_COMPLEMENTARY), "complementary");
	CHECK_STR(stats_shown_name(STATS_HIDDEN_BELOW_K), "below_k");
}

int
main(void)
{
	RUN(four_respondents_show_nothing);
	RUN(bad_data_is_rejected);
	RUN(no_breakdown_no_groups);
	RUN(no_respondents_at_all);
	RUN(names_are_stable);
	ref_free();
	return harness_done();
}
