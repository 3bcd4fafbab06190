/* koe report --compare (README, "Comparing with an earlier survey";
 * src/report_compare_internal.h): two waves of the flagship survey under
 * different survey ids, the real koe on each.
 *
 * Wave 1 (alumni-readiness-2025): 営業部 and 開発部 shown; 法務部 / * (2
 * people) is hidden, and 人事部 with it (complementary suppression).
 * Wave 2 (alumni-readiness-2026): support rises in 営業部; 法務部 / * is
 * shown now, 総務部 (2 people) is hidden, and the smallest shown group
 * with it.
 *
 * Pinned: every matched figure's change equals now − before of the two
 * JSONs, with an interval computed here independently; a group hidden in
 * either wave has no change (also when a forged previous file "shows" it);
 * the same survey and an interim report are refused before any passphrase;
 * the PDF shows the comparison and the three largest changes. */
#include "report_testlib.h"

static struct fixture a, b, e;

static void
respond_wave1(void)
{
	struct rt_resp r[40];
	size_t n = 0;
	for (int k = 0; k < 14; k++)
		r[n++] = (struct rt_resp){"g01", k < 6 ? 4 : 2, 3, 3, 4, 3, k % 11, 0, 1, NULL};
	for (int k = 0; k < 12; k++)
		r[n++] = (struct rt_resp){"g02", k < 7 ? 4 : 3, 4, 3, 3, 3, 8, 0, 2, NULL};
	for (int k = 0; k < 2; k++)
		r[n++] = (struct rt_resp){"g03", 1, 1, 1, 1, 1, 0, 0, 5, NULL};
	for (int k = 0; k < 6; k++)
		r[n++] = (struct rt_resp){"g04", 2, 5, 3, 4, 3, 7, 0, 3, NULL};
	rt_respond(&a, r, n);
}

static void
respond_wave2(void)
{
	struct rt_resp r[60];
	size_t n = 0;
	for (int k = 0; k < 16; k++)
		r[n++] = (struct rt_resp){"g01", k < 14 ? 5 : 4, 3, 3, 4, 3, 9 + k % 2, 0, 1, NULL};
	for (int k = 0; k < 12; k++)
		r[n++] = (struct rt_resp){"g02", k < 7 ? 4 : 3, 4, 3, 3, 3, 8, 0, 2, NULL};
	for (int k = 0; k < 7; k++)
		r[n++] = (struct rt_resp){"g03", 3, 2, 3, 3, 3, 6, 0, 5, NULL};
	for (int k = 0; k < 6; k++)
		r[n++] = (struct rt_resp){"g04", 2, 5, 3, 4, 3, 7, 0, 3, NULL};
	for (int k = 0; k < 2; k++)
		r[n++] = (struct rt_resp){"g05", 1, 1, 1, 1, 1, 0, 0, 4, NULL};
	rt_respond(&b, r, n);
}

static void
wave_up(struct fixture *f, const char *id, const struct rt_group *g, size_t ng)
{
	char to[80];
	size_t len;
	snprintf(to, sizeof(to), "[[Survey:%s]]", id);
	char *src = rt_survey_source("[[Survey:alumni-readiness-2026]]", to, &len);
	rt_up(f, src, len, g, ng);
}

/* Copies wave 1's file into wave 2's directory under name. */
static void
copy_prev(const char *from, const char *name)
{
	size_t len;
	char *s = rt_read(&a, from, &len), path[600];
	FILE *fp;
	snprintf(path, sizeof(path), "%s/%s", b.dir, name);
	if (s == NULL || (fp = fopen(path, "wb")) == NULL || fwrite(s, 1, len, fp) != len ||
	    fclose(fp) != 0)
		exit(2);
	free(s);
}

static json_t *
change_of(json_t *cmp, const char *thing, const char *name, const char *segment,
          const char *figure)
{
	json_t *c;
	size_t i;
	json_array_foreach(json_object_get(cmp, "changes"), i, c) {
		const char *t = json_string_value(json_object_get(c, "thing"));
		const char *nm = json_string_value(json_object_get(c, "name"));
		const char *sg = json_string_value(json_object_get(c, "segment"));
		const char *fg = json_string_value(json_object_get(c, "figure"));
		if (strcmp(t, thing) == 0 && (name ? nm && strcmp(nm, name) == 0 : nm == NULL) &&
		    (segment ? sg && strcmp(sg, segment) == 0 : sg == NULL) &&
		    strcmp(fg, figure) == 0)
			return c;
	}
	return NULL;
}

static double
jd(json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

/* Newcombe's interval of p2 − p1 from Wilson intervals, computed here. */
static void
newcombe(double p1, double n1, double p2, double n2, double *lo, double *hi)
{
	double l1, u1, l2, u2;
	rt_wilson(p1 * n1, n1, &l1, &u1);
	rt_wilson(p2 * n2, n2, &l2, &u2);
	if (p1 == 0) l1 = 0;
	if (p2 == 0) l2 = 0;
	if (p1 == 1) u1 = 1;
	if (p2 == 1) u2 = 1;
	*lo = p2 - p1 - sqrt((p2 - l2) * (p2 - l2) + (u1 - p1) * (u1 - p1));
	*hi = p2 - p1 + sqrt((u2 - p2) * (u2 - p2) + (p1 - l1) * (p1 - l1));
}

static void
changes_are_now_minus_before(void)
{
	json_t *prev = rt_json(&a, "out.json"), *cur = rt_json(&b, "cmp.json");
	CHECK(prev && cur);
	if (!prev || !cur)
		return;
	json_t *cmp = json_object_get(cur, "compare");
	CHECK(json_is_object(cmp));
	CHECK_STR(json_string_value(json_object_get(json_object_get(cmp, "previous"), "id")),
	          "alumni-readiness-2025");
	/* The support card: pooled favorable share, n = people. */
	json_t *p0 = json_object_get(json_object_get(json_object_get(json_object_get(prev, "summary"),
	                                                              "roles"), "support"), "pooled");
	json_t *p1 = json_object_get(json_object_get(json_object_get(json_object_get(cur, "summary"),
	                                                              "roles"), "support"), "pooled");
	json_t *c = change_of(cmp, "role", "support", NULL, "favorable");
	CHECK(c != NULL && p0 && p1);
	if (c && p0 && p1) {
		double f0 = jd(p0, "favorable"), f1 = jd(p1, "favorable"), lo, hi;
		double n0 = jd(p0, "people"), n1 = jd(p1, "people");
		CHECK(fabs(jd(c, "previous") - f0) < 1e-6 && fabs(jd(c, "current") - f1) < 1e-6);
		CHECK(fabs(jd(c, "diff") - (f1 - f0)) < 1e-6);
		newcombe(f0, n0, f1, n1, &lo, &hi);
		json_t *ci = json_object_get(c, "ci");
		CHECK(fabs(json_number_value(json_array_get(ci, 0)) - lo) < 1e-5);
		CHECK(fabs(json_number_value(json_array_get(ci, 1)) - hi) < 1e-5);
		CHECK(json_is_true(json_object_get(c, "marked")) == (lo > 0 || hi < 0));
		/* Pooled z test, here by hand. */
		double pool = (f0 * n0 + f1 * n1) / (n0 + n1);
		double z = (f1 - f0) / sqrt(pool * (1 - pool) * (1 / n0 + 1 / n1));
		CHECK(fabs(jd(json_object_get(c, "test"), "stat") - z) < 1e-5);
	}
	/* 営業部's heatmap cell rose a lot: marked, and among the largest. */
	c = change_of(cmp, "segment_scale", "support", "営業部", "favorable");
	CHECK(c != NULL && json_is_true(json_object_get(c, "marked")) && jd(c, "diff") > 0.3);
	/* A scale mean: Welch, df not a whole number in general. */
	c = change_of(cmp, "scale", "support", NULL, "mean");
	CHECK(c != NULL && jd(c, "diff") > 0);
	CHECK(c && json_is_number(json_object_get(json_object_get(c, "test"), "df")));
	CHECK(json_array_size(json_object_get(cmp, "largest")) >= 1);
	json_decref(prev);
	json_decref(cur);
}

/* No change for a group hidden in either wave; each is listed instead. */
static void
hidden_groups_show_no_change(void)
{
	json_t *cur = rt_json(&b, "cmp.json"), *c, *cmp;
	size_t i;
	CHECK(cur != NULL);
	if (cur == NULL)
		return;
	cmp = json_object_get(cur, "compare");
	json_array_foreach(json_object_get(cmp, "changes"), i, c) {
		const char *sg = json_string_value(json_object_get(c, "segment"));
		CHECK(sg == NULL || strcmp(sg, "営業部") == 0 || strcmp(sg, "開発部") == 0);
	}
	int before = 0, now = 0;
	json_array_foreach(json_object_get(cmp, "unmatched"), i, c) {
		const char *sg = json_string_value(json_object_get(c, "segment"));
		const char *why = json_string_value(json_object_get(c, "reason"));
		if (sg && strcmp(sg, "法務部 / *") == 0)
			before += strcmp(why, "hidden_in_previous") == 0;
		if (sg && strcmp(sg, "総務部") == 0)
			now += strcmp(why, "hidden_in_this") == 0;
	}
	CHECK_INT(before, 1);
	CHECK_INT(now, 1);
	json_decref(cur);
}

/* A forged previous file that "shows" a group this wave hides gets no
 * change for it: nothing is computed against a hidden figure. */
static void
forged_previous_cannot_unhide(void)
{
	json_t *prev = rt_json(&a, "out.json"), *segs, *shown = NULL, *s, *cur;
	size_t i;
	CHECK(prev != NULL);
	if (prev == NULL)
		return;
	segs = json_object_get(prev, "segments");
	json_array_foreach(segs, i, s)
		if (json_is_true(json_object_get(s, "shown")) && shown == NULL)
			shown = json_deep_copy(s);
	CHECK(shown != NULL);
	json_object_set_new(shown, "label", json_string("総務部"));
	json_object_set_new(shown, "code", json_string("g05"));
	json_array_append_new(segs, shown);
	char path[600];
	snprintf(path, sizeof(path), "%s/forged.json", b.dir);
	CHECK(json_dump_file(prev, path, 0) == 0);
	json_decref(prev);
	CHECK_INT(rt_report(&b, "--compare forged.json --json forged-out.json --out forged.pdf"), 0);
	cur = rt_json(&b, "forged-out.json");
	CHECK(cur != NULL);
	json_t *c;
	json_array_foreach(json_object_get(json_object_get(cur, "compare"), "changes"), i, c) {
		const char *sg = json_string_value(json_object_get(c, "segment"));
		CHECK(sg == NULL || strcmp(sg, "総務部") != 0);
	}
	json_decref(cur);
}

static void
same_survey_refused(void)
{
	/* out.json is this very survey's own report. */
	CHECK_INT(rt_report(&b, "--compare out.json --out same.pdf --json same.json"), 1);
	char *err = rt_read(&b, "err", NULL);
	CHECK(err && strstr(err, "out.json: error: this is a report of the same survey "
	                         "'alumni-readiness-2026'"));
	free(err);
	CHECK(rt_read(&b, "same.pdf", NULL) == NULL);
	CHECK(rt_read(&b, "same.json", NULL) == NULL);
}

static void
interim_refused(void)
{
	CHECK_INT(rt_report(&b, "--compare interim.json --out i.pdf --json i.json"), 1);
	char *err = rt_read(&b, "err", NULL);
	CHECK(err && strstr(err, "interim.json: error: this is an interim report"));
	/* Refused before any passphrase was asked for or checked. */
	CHECK(err && !strstr(err, "assphrase"));
	free(err);
	CHECK(rt_read(&b, "i.pdf", NULL) == NULL);
}

static void
bad_file_refused(void)
{
	CHECK_INT(rt_sh(&b, "printf '{\"schema\": \"koe-report/1\", \"survey\": 3}' > bad.json"), 0);
	CHECK_INT(rt_report(&b, "--compare bad.json --out x.pdf --json x.json"), 1);
	char *err = rt_read(&b, "err", NULL);
	CHECK(err && strstr(err, "bad.json: error: survey: expected an object"));
	free(err);
	/* The earlier report is never overwritten by this one. */
	CHECK_INT(rt_report(&b, "--compare prev.json --out x.pdf --json prev.json"), 2);
	err = rt_read(&b, "err", NULL);
	CHECK(err && strstr(err, "--compare names the file this report writes"));
	free(err);
	CHECK_INT(rt_report(&b, "--compare missing.json --out x.pdf --json x.json"), 1);
	err = rt_read(&b, "err", NULL);
	CHECK(err && strstr(err, "cannot read 'missing.json'"));
	free(err);
}

static void
pdf_shows_the_comparison(void)
{
	char *text = rt_pdftext(&b, "cmp.pdf", false);
	CHECK(text && rt_has(text, "前回との比較"));
	CHECK(text && rt_has(text, "alumni-readiness-2025"));
	CHECK(text && rt_has(text, "大きな変化"));
	CHECK(text && rt_has(text, "比較できなかったもの"));
	/* Next to the support scale's own figures, its change. */
	CHECK(text && rt_has(text, "前回との比較: 肯定的（全回答）38% → 53%（+15 pt）"));
	/* Next to each item's shares in its chart, the change of its favorable
	 * share, as the JSON's compare section has it. */
	json_t *cur = rt_json(&b, "cmp.json");
	json_t *c = change_of(json_object_get(cur, "compare"), "item", "support.1", NULL, "favorable");
	json_t *it = json_array_get(json_object_get(cur, "items"), 0);
	CHECK(c != NULL && it != NULL);
	if (c && it) {
		char want[96];
		double d = 100 * jd(c, "diff");
		snprintf(want, sizeof(want), "%.0f%% · %.0f%% %s%.0f pt%s",
		         100 * jd(json_object_get(it, "favorable"), "p"),
		         100 * jd(json_object_get(it, "unfavorable"), "p"), d > 0.5 ? "+" : "", d,
		         json_is_true(json_object_get(c, "marked")) ? (d > 0 ? " ▲" : " ▼") : "");
		CHECK(rt_has(text, want));
		if (!rt_has(text, want))
			fprintf(stderr, "missing: %s\n", want);
	}
	json_decref(cur);
	free(text);
}

/* An English report compares with a Japanese one: matching is by ids, and
 * the comparison speaks the report's language. */
static void
english_report_compares(void)
{
	static const struct rt_group g[] = {{"g01", "営業部", 20}, {"g02", "開発部", 20}};
	struct rt_resp r[30];
	size_t n = 0, len;
	char *src = rt_survey_source("[[Language:ja]]", "[[Language:en]]", &len);
	rt_up(&e, src, len, g, 2);
	for (int k = 0; k < 15; k++)
		r[n++] = (struct rt_resp){"g01", 5, 3, 3, 4, 3, 9, 0, 1, NULL};
	for (int k = 0; k < 12; k++)
		r[n++] = (struct rt_resp){"g02", 4, 4, 3, 3, 3, 8, 0, 2, NULL};
	rt_respond(&e, r, n);
	rt_close(&e);
	size_t plen;
	char *prev = rt_read(&a, "out.json", &plen), path[600];
	FILE *fp;
	snprintf(path, sizeof(path), "%s/prev.json", e.dir);
	if (prev == NULL || (fp = fopen(path, "wb")) == NULL || fwrite(prev, 1, plen, fp) != plen ||
	    fclose(fp) != 0)
		exit(2);
	free(prev);
	CHECK_INT(rt_report(&e, "--compare prev.json"), 0);
	char *text = rt_pdftext(&e, "out.pdf", false);
	CHECK(text && rt_has(text, "Largest changes since the previous survey"));
	CHECK(text && rt_has(text, "Changes since the previous survey"));
	CHECK(text && rt_has(text, "What could not be compared"));
	CHECK(text && !rt_has(text, "前回"));
	free(text);
	rt_down(&e);
}

int
main(void)
{
	static const struct rt_group g1[] = {
		{"g01", "営業部", 20}, {"g02", "開発部", 20}, {"g03", "法務部 / *", 6}, {"g04", "人事部", 8}};
	static const struct rt_group g2[] = {{"g01", "営業部", 20},
	                                     {"g02", "開発部", 20},
	                                     {"g03", "法務部 / *", 8},
	                                     {"g04", "人事部", 8},
	                                     {"g05", "総務部", 6}};
	wave_up(&a, "alumni-readiness-2025", g1, 4);
	respond_wave1();
	CHECK_INT(rt_sh(&a, "SOURCE_DATE_EPOCH=" RT_EPOCH " $KOE report --interim --db koe.db "
	                    "--out interim.pdf --json interim.json"), 0);
	rt_close(&a);
	CHECK_INT(rt_report(&a, NULL), 0);
	wave_up(&b, "alumni-readiness-2026", g2, 5);
	respond_wave2();
	rt_close(&b);
	copy_prev("out.json", "prev.json");
	copy_prev("interim.json", "interim.json");
	CHECK_INT(rt_report(&b, NULL), 0);
	CHECK_INT(rt_report(&b, "--compare prev.json --out cmp.pdf --json cmp.json"), 0);
	RUN(changes_are_now_minus_before);
	RUN(hidden_groups_show_no_change);
	RUN(forged_previous_cannot_unhide);
	RUN(same_survey_refused);
	RUN(interim_refused);
	RUN(bad_file_refused);
	RUN(pdf_shows_the_comparison);
	RUN(english_report_compares);
	rt_down(&a);
	rt_down(&b);
	return harness_done();
}
