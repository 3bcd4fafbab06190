/* Page 1 (README, "Page 1: findings"): the pooled shares of each role agree
 * with the item charts (the answer-weighted mean of the items' shares in
 * the JSON); the largest difference between the margins of a dimension is
 * stated in words with its size; a margin whose hidden cells hold 1..k−1
 * people is hidden and not named (include/koe/dc.h rule 5), while one whose
 * hidden cells hold ≥ k is shown. A group of fewer than 10 people gets no
 * ▲ ▼ or hot spot however far it is from the rest (README, "Honest
 * comparisons"), and with no clear driver the drivers page says so in one
 * line. */
#include "report_testlib.h"

static struct fixture f;

static void
respond(void)
{
	static struct rt_resp r[116];
	static const char *const code[] = {"g01", "g02", "g03", "g04", "g05", "g06", "g07", "g08"};
	static const int count[] = {20, 20, 20, 20, 3, 20, 8, 5};
	size_t n = 0;
	for (int g = 0; g < 8; g++)
		for (int k = 0; k < count[g]; k++) {
			bool young = g == 0 || g == 2 || g == 4 || g == 7; /* 1-3年 */
			/* g07: 8 people, every one at morale risk. */
			r[n++] = (struct rt_resp){code[g], 4, young ? 5 : 2, 3, g == 6 ? 1 : 3, 3, 7, 0,
			                          1, NULL};
		}
	rt_respond(&f, r, n);
}

static double
jnum(json_t *o, const char *key)
{
	return json_number_value(json_object_get(o, key));
}

static void
pooled_shares_agree_with_items(void)
{
	CHECK_INT(rt_report(&f, NULL), 0);
	json_t *j = rt_json(&f, "out.json"), *it;
	json_t *roles = json_object_get(json_object_get(j, "summary"), "roles");
	static const char *const role[] = {"support", "rejoin", "morale"};
	for (int i = 0; i < 3; i++) {
		json_t *p = json_object_get(json_object_get(roles, role[i]), "pooled");
		double num = 0, den = 0;
		size_t k;
		CHECK(json_is_object(p));
		json_array_foreach(json_object_get(j, "items"), k, it) {
			const char *scale = json_string_value(json_object_get(it, "scale"));
			if (scale == NULL || strcmp(scale, role[i]) != 0)
				continue;
			double n = jnum(it, "n");
			num += jnum(json_object_get(it, "favorable"), "p") * n;
			den += n;
		}
		CHECK(den > 0 && fabs(num / den - jnum(p, "favorable")) < 1e-5);
		CHECK_INT(jnum(p, "people"), 116);
	}
	CHECK_STR(json_string_value(json_object_get(json_object_get(roles, "support"), "direct")),
	          "support.1");
	/* Reweighted to the invitations (README, "Who answered"), by hand:
	 * the rejoin share is 1 in the 1-3年 groups and 0 elsewhere; the
	 * shown 1-3年 groups g01, g03 have 25 invited each, the hidden ones
	 * (g05, g08: one stratum) 5 + 10, of 150 in all. */
	CHECK(fabs(jnum(json_object_get(roles, "rejoin"), "reweighted") - 65.0 / 150) < 1e-6);
	CHECK(fabs(jnum(json_object_get(roles, "support"), "reweighted") -
	           jnum(json_object_get(json_object_get(roles, "support"), "pooled"), "favorable")) <
	      1e-6);
	CHECK(json_is_null(json_object_get(json_object_get(roles, "morale"), "direct")));
	json_decref(j);
}

static void
difference_is_stated(void)
{
	json_t *j = rt_json(&f, "out.json"), *m;
	json_t *fl = json_object_get(json_object_get(j, "summary"), "findings");
	json_t *f0 = json_array_get(fl, 0);
	CHECK_STR(json_string_value(json_object_get(f0, "role")), "rejoin");
	CHECK_STR(json_string_value(json_object_get(f0, "dimension")), "tenure");
	CHECK_STR(json_string_value(json_object_get(f0, "value")), "1-3年");
	CHECK(fabs(jnum(f0, "share") - 1.0) < 1e-9);
	/* Margins pool only the groups shown: 1-3年 would otherwise hold the
	 * hidden 3 of 人事部 / 1-3年 and the complementary 5 of 経理部 / 1-3年,
	 * and the 経理部 margin minus its shown 3-5年 group would give the 5
	 * back, so 1-3年 minus its shown groups minus those 5 would give the 3
	 * (the attack this pins). 1-3年 is shown over its shown groups, 40
	 * people; 人事部 is hidden. */
	size_t i;
	bool hr = false, young = false;
	json_array_foreach(json_object_get(j, "margins"), i, m) {
		const char *v = json_string_value(json_object_get(m, "value"));
		hr |= strcmp(v, "人事部") == 0;
		if (strcmp(v, "1-3年") == 0) {
			young = true;
			json_t *p = json_object_get(json_object_get(m, "roles"), "rejoin");
			CHECK_INT(jnum(p, "people"), 40);
		}
		CHECK(strcmp(v, "*") != 0);
	}
	CHECK(!hr);
	CHECK(young);
	json_decref(j);
	char *text = rt_pdftext(&f, "out.pdf", false);
	CHECK(rt_has(text, "勤続年数「1-3年」では、再入社意向の肯定的な回答が 100% で"));
	CHECK(!rt_has(text, "「人事部」では"));
	/* The groups page shows the margins too. */
	CHECK(rt_has(text, "区分ごとのまとめ"));
	free(text);
}

/* Every shown margin pools exactly the groups the report shows for that
 * scale: its people equal the sum of the shown groups' pooled people with
 * that value. A margin that took in a hidden group would, minus the shown
 * groups, hand that group back. Checked on the JSON for every margin and
 * role, the dimension order being the survey's [[Segments]] order. */
static void
margins_pool_only_shown_groups(void)
{
	static const char *const dims[] = {"department", "tenure"};
	json_t *j = rt_json(&f, "out.json"), *m, *sg, *sc;
	size_t i, k, l, checked = 0;
	json_array_foreach(json_object_get(j, "margins"), i, m) {
		const char *dim = json_string_value(json_object_get(m, "dimension"));
		const char *val = json_string_value(json_object_get(m, "value"));
		int d = strcmp(dim, dims[0]) == 0 ? 0 : 1;
		const char *role;
		json_t *p;
		json_object_foreach(json_object_get(m, "roles"), role, p) {
			if (!json_is_object(p))
				continue; /* hidden: null */
			double want = jnum(p, "people"), sum = 0;
			json_array_foreach(json_object_get(j, "segments"), k, sg) {
				const char *label = json_string_value(json_object_get(sg, "label"));
				char part[64];
				const char *sep = strstr(label, " / ");
				if (d == 0)
					snprintf(part, sizeof(part), "%.*s", sep ? (int)(sep - label) : (int)strlen(label), label);
				else
					snprintf(part, sizeof(part), "%s", sep ? sep + 3 : "");
				if (strcmp(part, val) != 0)
					continue;
				json_array_foreach(json_object_get(sg, "scales"), l, sc) {
					json_t *pool = json_object_get(sc, "pooled");
					if (strcmp(json_string_value(json_object_get(sc, "scale")), role) == 0 &&
					    json_is_true(json_object_get(sc, "shown")) && json_is_object(pool))
						sum += jnum(pool, "people");
				}
			}
			if (fabs(sum - want) > 0.5)
				fprintf(stderr, "  margin %s=%s, %s: %.0f people, shown groups %.0f\n", dim,
				        val, role, want, sum);
			CHECK(fabs(sum - want) < 0.5);
			checked++;
		}
	}
	CHECK(checked >= 4);
	json_decref(j);
}

static void
small_groups_get_no_marks(void)
{
	json_t *j = rt_json(&f, "out.json"), *sg, *sc;
	size_t i, k;
	bool seen = false;
	json_array_foreach(json_object_get(j, "segments"), i, sg) {
		if (strcmp(json_string_value(json_object_get(sg, "code")), "g07") != 0)
			continue;
		seen = true;
		json_t *m = json_object_get(sg, "morale_risk");
		CHECK(json_is_true(json_object_get(m, "shown")));
		CHECK(jnum(json_object_get(m, "share"), "p") == 1.0);
		/* Far above the rest (q tiny), but 8 people: no hot spot. */
		CHECK(jnum(m, "q") < 0.001);
		CHECK(json_is_false(json_object_get(m, "hot")));
		json_array_foreach(json_object_get(sg, "scales"), k, sc)
			CHECK(!json_is_true(json_object_get(sc, "flagged")));
	}
	CHECK(seen);
	CHECK_INT(json_array_size(json_object_get(json_object_get(j, "summary"), "morale_risk")
	                              ? json_object_get(json_object_get(json_object_get(j, "summary"),
	                                                                "morale_risk"),
	                                                "hot_spots")
	                              : NULL),
	          0);
	json_decref(j);
	char *text = rt_pdftext(&f, "out.pdf", false);
	/* Support does not vary here: no driver can be clear. */
	CHECK(rt_has(text, "とはっきり関連する要因はありません"));
	CHECK(!rt_has(text, "左右する"));
	free(text);
}

int
main(void)
{
	static const struct rt_group groups[] = {
		{"g01", "営業部 / 1-3年", 25}, {"g02", "営業部 / 10年以上", 25},
		{"g03", "開発部 / 1-3年", 25}, {"g04", "開発部 / 10年以上", 25},
		{"g05", "人事部 / 1-3年", 5},  {"g06", "人事部 / 10年以上", 25},
		{"g07", "経理部 / 3-5年", 10}, {"g08", "経理部 / 1-3年", 10},
	};
	rt_up_alumni(&f, groups, 8);
	respond();
	rt_close(&f);
	RUN(pooled_shares_agree_with_items);
	RUN(difference_is_stated);
	RUN(margins_pool_only_shown_groups);
	RUN(small_groups_get_no_marks);
	rt_down(&f);
	return harness_done();
}
