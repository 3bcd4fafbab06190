/* Attack 7: solving the reweighting check for a hidden group.
 *
 * Page 1's reweighting check (README, "Who answered") releases each role's
 * share post-stratified to the invited headcounts, Σ (invited_g / invited)
 * × share_g. HR knows every group's invited headcount from the roster and
 * reads every shown group's pooled share in the same report, so it can
 * solve the equation for whatever the report did not show:
 *
 *   s_hidden = (reweighted · invited − Σ_shown invited_g · share_g)
 *              / Σ_hidden invited_g
 *
 * Here 人事部 has 3 respondents (k = 5) and is hidden; 総務部 (6) is hidden
 * with it so that the hidden groups hold at least k people. If the
 * reweighting weighted any hidden group by its own share — 総務部's, say,
 * because it is "only" complementarily hidden — the solve would give the
 * 3 people of 人事部 alone. The check must release nothing new: the solved
 * share is exactly the one the company's and the shown groups' pooled
 * figures already give, over at least k people, and it is not 人事部's. */
#include "report_testlib.h"

static struct fixture f;

static const struct rt_group groups[] = {
	{"g01", "営業部", 20}, {"g02", "開発部", 20}, {"g03", "人事部", 5}, {"g04", "総務部", 9},
};
static const size_t answered[] = {15, 14, 3, 6};
static const int support[] = {4, 2, 1, 5}; /* each group alike */

static void
respond(void)
{
	static struct rt_resp r[64];
	size_t n = 0;
	for (size_t g = 0; g < 4; g++)
		for (size_t k = 0; k < answered[g]; k++)
			r[n++] = (struct rt_resp){groups[g].code, support[g] == 2 && k % 2 ? 4 : support[g],
			                          3, 3, 3, 3, 7, 0, 1, NULL};
	rt_respond(&f, r, n);
}

static json_t *
at(json_t *o, const char *path)
{
	char buf[200], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *t = strtok_r(buf, ".", &save); t && o; t = strtok_r(NULL, ".", &save))
		o = json_is_array(o) ? json_array_get(o, (size_t)atoi(t)) : json_object_get(o, t);
	return o;
}

/* The support scale's pooled object of segment g, or NULL when hidden. */
static json_t *
seg_pooled(json_t *j, size_t g)
{
	json_t *s = json_array_get(json_object_get(j, "segments"), g), *sc;
	size_t i;
	if (!json_is_true(json_object_get(s, "shown")))
		return NULL;
	json_array_foreach(json_object_get(s, "scales"), i, sc)
		if (strcmp(json_string_value(json_object_get(sc, "scale")), "support") == 0)
			return json_is_object(json_object_get(sc, "pooled")) ? json_object_get(sc, "pooled")
			                                                     : NULL;
	return NULL;
}

static void
reweighting_releases_nothing_new(void)
{
	CHECK_INT(rt_report(&f, NULL), 0);
	json_t *j = rt_json(&f, "out.json");
	json_t *rw = at(j, "summary.roles.support.reweighted");
	json_t *company = at(j, "summary.roles.support.pooled");
	CHECK(json_is_number(rw) && json_is_object(company));
	if (!json_is_number(rw) || !json_is_object(company)) {
		json_decref(j);
		return;
	}
	double inv_all = 0, inv_hidden = 0, weighted = 0;
	double fav_shown = 0, ans_shown = 0;
	size_t hidden_people = 0, shown_groups = 0;
	bool hr_hidden = false;
	for (size_t g = 0; g < 4; g++) {
		json_t *p = seg_pooled(j, g);
		double inv = groups[g].invited;
		inv_all += inv;
		if (p == NULL) {
			inv_hidden += inv;
			hidden_people += answered[g];
			hr_hidden |= g == 2;
			continue;
		}
		shown_groups++;
		double fav = json_number_value(json_object_get(p, "favorable"));
		double ans = json_number_value(json_object_get(p, "answers"));
		weighted += inv * fav;
		fav_shown += fav * ans;
		ans_shown += ans;
	}
	/* The scenario: 人事部 hidden, something else hidden with it. */
	CHECK(hr_hidden && shown_groups == 2);
	CHECK(inv_hidden > 0);
	/* The attacker's solve. */
	double solved = (json_number_value(rw) * inv_all - weighted) / inv_hidden;
	/* What the company's and the shown groups' figures give already. */
	double c_ans = json_number_value(json_object_get(company, "answers"));
	double c_fav = json_number_value(json_object_get(company, "favorable"));
	double known = (c_fav * c_ans - fav_shown) / (c_ans - ans_shown);
	fprintf(stderr, "solved hidden share %.6f, already known %.6f, over %zu people\n", solved,
	        known, hidden_people);
	CHECK(fabs(solved - known) < 1e-4);
	CHECK(hidden_people >= 5);
	/* 人事部's own share (everyone answered 1: none favorable) is not it. */
	CHECK(fabs(solved - 0.0) > 0.05);
	json_decref(j);
}

int
main(void)
{
	rt_up_alumni(&f, groups, 4);
	respond();
	rt_close(&f);
	RUN(reweighting_releases_nothing_new);
	rt_down(&f);
	return harness_done();
}
