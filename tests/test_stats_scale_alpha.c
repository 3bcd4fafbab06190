/* Scale scores (mean of the answered items after reverse coding, missing
 * when fewer than half are answered), scale figures overall and by segment,
 * and Cronbach's α on complete cases agree with R; α of constant answers or
 * of a one-item scale is reported as not computable. */
#include "test_stats_fixture.h"

static struct fixture *fx;

static void
check_scale(const struct stats_scale *sc, const char *prefix)
{
	CHECK_INT(sc->status, STATS_OK);
	CHECK_INT(sc->npoints, 5);
	CHECK_REF((double)sc->n, "%s.n", prefix);
	CHECK_REF(sc->mean, "%s.mean", prefix);
	CHECK_REF(sc->sd, "%s.sd", prefix);
	CHECK_REF(sc->ci_lo, "%s.ci_lo", prefix);
	CHECK_REF(sc->ci_hi, "%s.ci_hi", prefix);
	CHECK_REF(sc->fav.p, "%s.fav", prefix);
	CHECK_REF(sc->fav.lo, "%s.fav_lo", prefix);
	CHECK_REF(sc->fav.hi, "%s.fav_hi", prefix);
	CHECK_REF(sc->unfav.p, "%s.unfav", prefix);
	CHECK_REF(sc->unfav.lo, "%s.unfav_lo", prefix);
	CHECK_REF(sc->unfav.hi, "%s.unfav_hi", prefix);
}

static void
scores_match_r(void)
{
	double *scores = malloc(fx->nresp * sizeof(*scores));
	size_t missing = 0;
	for (size_t s = 0; s < fx->nscales; s++) {
		CHECK_INT(stats_scale_scores(&fx->d, s, scores), KOE_OK);
		for (size_t r = 0; r < fx->nresp; r++) {
			CHECK_REF(scores[r], "score.%s.%zu", fx->scale_names[s], r);
			missing += isnan(scores[r]);
		}
	}
	/* Scores are over complete cases (include/koe/dc.h rule 2): everyone
	 * who skipped any item of a scale has no score on it. */
	CHECK_INT(missing, 40);
	free(scores);
}

static void
scale_figures_match_r(void)
{
	double *scores = malloc(fx->nresp * sizeof(*scores));
	for (size_t s = 0; s < fx->nscales; s++) {
		char prefix[64];
		struct stats_scale sc;
		snprintf(prefix, sizeof(prefix), "scale.%s", fx->scale_names[s]);
		CHECK_INT(stats_scale_scores(&fx->d, s, scores), KOE_OK);
		CHECK_INT(stats_scale_compute(scores, fx->nresp, 5, &sc), KOE_OK);
		check_scale(&sc, prefix);
	}
	free(scores);
}

static void
report_scales_match_r(void)
{
	struct stats_report *r = NULL;
	CHECK_INT(stats_report_compute(&fx->d, &r), KOE_OK);
	if (r == NULL)
		return;
	for (size_t s = 0; s < fx->nscales; s++) {
		char prefix[96];
		snprintf(prefix, sizeof(prefix), "scale.%s", fx->scale_names[s]);
		CHECK_INT(r->scales[s].shown, STATS_SHOWN);
		check_scale(&r->scales[s], prefix);
		CHECK_INT(r->alphas[s].status, STATS_OK);
		CHECK_REF(r->alphas[s].alpha, "scale.%s.alpha", fx->scale_names[s]);
		CHECK_REF((double)r->alphas[s].n, "scale.%s.alpha_n", fx->scale_names[s]);
		for (size_t i = 0; i < fx->nresp; i++)
			CHECK_REF(r->scores[s * fx->nresp + i], "score.%s.%zu",
			          fx->scale_names[s], i);
		for (size_t g = 0; g < fx->ngroups; g++) {
			const struct stats_scale *sc = &r->scales_by_group[s * fx->ngroups + g];
			snprintf(prefix, sizeof(prefix), "scale.%s.g.%s",
			         fx->scale_names[s], fx->group_names[g]);
			CHECK_REF((double)sc->shown, "%s.shown", prefix);
			if (sc->shown == STATS_SHOWN)
				check_scale(sc, prefix);
		}
	}
	CHECK_INT(r->support_scale, fx_scale_index(fx, "support"));
	CHECK_INT(r->rejoin_scale, fx_scale_index(fx, "rejoin"));
	CHECK_INT(r->morale_scale, fx_scale_index(fx, "morale"));
	stats_report_free(r);
}

static void
alpha_matches_r(void)
{
	for (size_t s = 0; s < fx->nscales; s++) {
		struct stats_alpha a;
		CHECK_INT(stats_alpha(&fx->d, s, &a), KOE_OK);
		CHECK_INT(a.status, STATS_OK);
		CHECK_INT(a.m, s == (size_t)fx_scale_index(fx, "support") ? 5 :
		               s == (size_t)fx_scale_index(fx, "acceptance") ? 3 : 4);
		CHECK_REF(a.alpha, "scale.%s.alpha", fx->scale_names[s]);
		CHECK_REF((double)a.n, "scale.%s.alpha_n", fx->scale_names[s]);
	}
}

static void
complete_cases_rule(void)
{
	/* Four items, one reverse coded: only a person who answered all four
	 * has a score (include/koe/dc.h rule 2). */
	double x[] = {
		5, 4, NAN, NAN, /* item 0 */
		1, 2, NAN, 2,   /* item 1, reverse: 1 → 5 */
		5, 2, NAN, NAN,
		5, NAN, 3, NAN,
	};
	struct stats_item_meta items[4] = {
		{.kind = STATS_LIKERT, .npoints = 5, .scale = 0},
		{.kind = STATS_LIKERT, .npoints = 5, .scale = 0, .reverse = true},
		{.kind = STATS_LIKERT, .npoints = 5, .scale = 0},
		{.kind = STATS_LIKERT, .npoints = 5, .scale = 0},
	};
	enum stats_role roles[1] = {STATS_ROLE_NONE};
	struct stats_data d = {.nresp = 4, .nitems = 4, .x = x, .items = items,
	                       .nscales = 1, .scale_role = roles, .k = 1};
	double sc[4];
	CHECK_INT(stats_scale_scores(&d, 0, sc), KOE_OK);
	CHECK(sc[0] == 5);     /* 5, 6 − 1, 5, 5 */
	CHECK(isnan(sc[1]));   /* three of four */
	CHECK(isnan(sc[2]));   /* one of four */
	CHECK(isnan(sc[3]));   /* two of four */
}

static void
constant_answers_have_no_alpha(void)
{
	struct fixture *c = fx_load("stats/constant.csv", 1000, 5);
	struct stats_report *r = NULL;
	CHECK_INT(stats_report_compute(&c->d, &r), KOE_OK);
	if (r == NULL)
		goto out;
	for (size_t s = 0; s < c->nscales; s++) {
		const struct stats_scale *sc = &r->scales[s];
		harness_current = c->scale_names[s];
		CHECK_INT(r->alphas[s].status, STATS_NO_VARIANCE);
		CHECK(isnan(r->alphas[s].alpha));
		CHECK_INT(sc->status, STATS_OK);
		/* Reverse items answered 4 score 2, so the score is constant
		 * but not necessarily 4. */
		CHECK(sc->sd == 0 && sc->ci_lo == sc->mean && sc->ci_hi == sc->mean);
	}
	harness_current = "constant_answers_have_no_alpha";
out:
	stats_report_free(r);
	fx_free(c);
}

static void
one_item_scale_has_no_alpha(void)
{
	double x[] = {1, 2, 3, 4, 5};
	struct stats_item_meta item = {.kind = STATS_LIKERT, .npoints = 5, .scale = 0};
	enum stats_role role = STATS_ROLE_NONE;
	struct stats_data d = {.nresp = 5, .nitems = 1, .x = x, .items = &item,
	                       .nscales = 1, .scale_role = &role, .k = 1};
	struct stats_alpha a;
	CHECK_INT(stats_alpha(&d, 0, &a), KOE_OK);
	CHECK_INT(a.status, STATS_TOO_FEW);
	CHECK_INT(a.m, 1);
	CHECK(isnan(a.alpha));
}

static void
mixed_points_in_a_scale_are_rejected(void)
{
	double x[] = {1, 2};
	struct stats_item_meta items[2] = {
		{.kind = STATS_LIKERT, .npoints = 5, .scale = 0},
		{.kind = STATS_LIKERT, .npoints = 7, .scale = 0},
	};
	enum stats_role role = STATS_ROLE_NONE;
	struct stats_data d = {.nresp = 1, .nitems = 2, .x = x, .items = items,
	                       .nscales = 1, .scale_role = &role, .k = 1};
	double sc[1];
	struct stats_report *r;
	CHECK_INT(stats_scale_scores(&d, 0, sc), KOE_EINVAL);
	CHECK_INT(stats_report_compute(&d, &r), KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(stats_scale_scores(&d, 1, sc), KOE_EINVAL);
}

int
main(void)
{
	fx = fx_load("stats/survey.csv", 1000, 5);
	RUN(scores_match_r);
	RUN(scale_figures_match_r);
	RUN(report_scales_match_r);
	RUN(alpha_matches_r);
	RUN(complete_cases_rule);
	RUN(constant_answers_have_no_alpha);
	RUN(one_item_scale_has_no_alpha);
	RUN(mixed_points_in_a_scale_are_rejected);
	fx_free(fx);
	ref_free();
	return harness_done();
}
