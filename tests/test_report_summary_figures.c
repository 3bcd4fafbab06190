/* docs/ARCHITECTURE.md §8.1: the summary page shows the response rate, support, rejoin
 * attitude, morale risk and eNPS with their confidence intervals, and the
 * three biggest concerns; the PDF has every section heading in reading
 * order, and the JSON holds the same figures. Every expected number is
 * computed here from the answers the test inserted. */
#include "report_testlib.h"

static struct fixture f;

#define N 30

static struct rt_resp resp[N];
static char comment_buf[N][80];

static void
make_answers(void)
{
	for (int k = 0; k < N; k++) {
		struct rt_resp *r = &resp[k];
		r->seg = k < 15 ? "g01" : "g02";
		r->support = k < 19 ? (k % 2 ? 5 : 4) : (k % 3 == 0 ? 1 : k % 3 == 1 ? 2 : 3);
		r->rejoin = k >= 12 ? 4 : 2;
		r->acceptance = 3;
		r->morale = k < 7 ? 2 : 4;
		r->leak = k % 10 < 7 ? 4 : 2;
		r->offboarding = 3;
		r->enps = k % 11;
		r->terms = k % 6 + 1;
		if (k % 5 == 0) {
			snprintf(comment_buf[k], sizeof(comment_buf[k]),
			         "コメント%02d: 情報管理のルールを明確にしてほしい", k);
			r->comment = comment_buf[k];
		}
	}
}

/* The same figures the report must show, counted from resp[]. */
struct expect {
	int support_fav, rejoin_fav, morale_risk, leak_worry, promoters, detractors;
	int morale_low; /* people answering 2 on the five other morale items */
};

static struct expect
count(void)
{
	struct expect e = {0};
	for (int k = 0; k < N; k++) {
		const struct rt_resp *r = &resp[k];
		double morale = (5.0 * r->morale + (6 - r->leak)) / 6;
		e.support_fav += r->support >= 4;
		e.rejoin_fav += r->rejoin >= 4;
		e.morale_risk += morale <= 2.5;
		e.leak_worry += r->leak >= 4;
		e.morale_low += r->morale <= 2;
		e.promoters += r->enps >= 9;
		e.detractors += r->enps <= 6;
	}
	return e;
}

static void
summary_page_shows_every_figure(void)
{
	struct expect e = count();
	char *text, want[200];
	double pp = (double)e.promoters / N, pd = (double)e.detractors / N;
	double nps = 100 * (pp - pd);
	/* With the finite-population correction: 30 of 40 invited answered. */
	double half = 196 * sqrt((pp + pd - (pp - pd) * (pp - pd)) / N) * sqrt((40.0 - N) / 39.0);

	CHECK_INT(rt_report(&f, NULL), 0);
	text = rt_pdftext(&f, "out.pdf", false);
	CHECK(text != NULL);
	/* The summary is the first page. */
	char *ff = text ? strchr(text, '\f') : NULL;
	if (ff)
		*ff = '\0';
	CHECK(rt_has(text, "要点"));
	CHECK(rt_has(text, "回答率"));
	CHECK(rt_has(text, "75%"));
	CHECK(rt_has(text, rt_ci_ja(30, 40)));
	snprintf(want, sizeof(want), "%.0f%%", 100.0 * e.support_fav / N);
	CHECK(rt_has(text, want));
	/* Page 1's intervals carry the finite-population correction: 30 of
	 * 40 invited answered, so Wilson at n = 30 · 39 / 10 = 117 (every
	 * respondent here answers a scale alike, so the pooled share is the
	 * scale's). */
	const double neff = N * 39.0 / (40 - N);
	CHECK(rt_has(text, rt_ci_ja(e.support_fav * neff / N, neff)));
	CHECK(rt_has(text, rt_ci_ja(e.rejoin_fav * neff / N, neff)));
	/* Morale pools its six items: five answered alike, the leak item
	 * unfavorable when agreed with (4). */
	double morale_unfav = (5.0 * e.morale_low + e.leak_worry) / (6.0 * N);
	CHECK(rt_has(text, rt_ci_ja(morale_unfav * neff, neff)));
	snprintf(want, sizeof(want), "%.0f%%", 100 * morale_unfav);
	CHECK(rt_has(text, want));
	snprintf(want, sizeof(want), "%.0f", nps);
	CHECK(rt_has(text, want));
	snprintf(want, sizeof(want), "95%%信頼区間 %.0f〜%.0f", nps - half, nps + half);
	CHECK(rt_has(text, want));
	/* One plain-language reading per figure. */
	/* The response rate is stated, not judged (README, page 1). */
	CHECK(rt_has(text, "招待した 40 人のうち 30 人が回答しました"));
	CHECK(!rt_has(text, "十分な回答率"));
	CHECK(rt_has(text, "勧めたくない人"));
	/* The biggest concern: worry about leaks, 21 of 30 agreeing. */
	CHECK(rt_has(text, "主な懸念"));
	CHECK(rt_has(text, "1."));
	CHECK(rt_has(text, "情報が外部に漏れることが心配だ"));
	snprintf(want, sizeof(want), "%.0f%% が「そう思う」または「とてもそう思う」と回答",
	         100.0 * e.leak_worry / N);
	CHECK(rt_has(text, want));
	CHECK(rt_has(text, rt_ci_ja(e.leak_worry * neff / N, neff)));
	free(text);
}

static void
sections_follow_the_reading_order(void)
{
	static const char *const headings[] = {
		"要点", "制度への支持", "再入社意向", "職場の士気",
		"その他の設問", "グループ別の結果", "支持との関連", "自由記述", "方法と匿名性",
	};
	char *text = rt_pdftext(&f, "out.pdf", false);
	/* The method page's long paragraphs are printed to their end. */
	CHECK(rt_has(text, "確かめます。"));
	const char *at = text;
	for (size_t i = 0; i < sizeof(headings) / sizeof(headings[0]); i++) {
		const char *h = at ? strstr(at, headings[i]) : NULL;
		if (h == NULL)
			fprintf(stderr, "heading %s missing or out of order\n", headings[i]);
		CHECK(h != NULL);
		if (h)
			at = h;
	}
	/* Page numbers on every page. */
	int pages = 1;
	for (const char *c = text; c && *c; c++)
		pages += *c == '\f' && c[1] != '\0';
	char want[32];
	snprintf(want, sizeof(want), "1 / %d", pages);
	CHECK(rt_has(text, want));
	snprintf(want, sizeof(want), "%d / %d", pages, pages);
	CHECK(rt_has(text, want));
	free(text);
}

static double
jnum(json_t *root, const char *path)
{
	json_t *v = root;
	char buf[200], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *tok = strtok_r(buf, ".", &save); tok && v; tok = strtok_r(NULL, ".", &save)) {
		if (json_is_array(v))
			v = json_array_get(v, (size_t)atoi(tok));
		else
			v = json_object_get(v, tok);
	}
	return v && json_is_number(v) ? json_number_value(v) : NAN;
}

static void
json_holds_the_same_figures(void)
{
	struct expect e = count();
	json_t *j = rt_json(&f, "out.json");
	double lo, hi;
	CHECK(j != NULL);
	if (j == NULL)
		return;
	CHECK_STR(json_string_value(json_object_get(j, "schema")), "koe-report/1");
	CHECK_INT(jnum(j, "responses.responded"), N);
	CHECK_INT(jnum(j, "responses.invited"), 40);
	CHECK(fabs(jnum(j, "responses.rate.p") - 0.75) < 1e-6);
	CHECK_INT(jnum(j, "summary.support.favorable.x"), e.support_fav);
	CHECK_INT(jnum(j, "summary.support.favorable.n"), N);
	/* Every interval describing the company carries the finite-population
	 * correction (30 of 40 invited): Wilson at n = 30 · 39 / 10. */
	const double neff = N * 39.0 / (40 - N);
	rt_wilson(e.support_fav * neff / N, neff, &lo, &hi);
	CHECK(fabs(jnum(j, "summary.support.favorable.lo") - lo) < 1e-5);
	CHECK(fabs(jnum(j, "summary.support.favorable.hi") - hi) < 1e-5);
	CHECK_INT(jnum(j, "summary.rejoin.favorable.x"), e.rejoin_fav);
	CHECK_INT(jnum(j, "summary.morale_risk.unfavorable.x"), e.morale_risk);
	double pp = (double)e.promoters / N, pd = (double)e.detractors / N;
	CHECK(fabs(jnum(j, "summary.enps.nps") - 100 * (pp - pd)) < 1e-4);
	json_t *c0 = json_array_get(json_object_get(json_object_get(j, "summary"), "concerns"), 0);
	CHECK_STR(json_string_value(json_object_get(c0, "item")), "morale.3");
	CHECK_INT(jnum(j, "summary.concerns.0.unfavorable.x"), e.leak_worry);
	/* Item support.1: five answers of 5 (k odd below 19), and so on. */
	int counts[5] = {0};
	for (int k = 0; k < N; k++)
		counts[resp[k].support - 1]++;
	for (int p = 0; p < 5; p++) {
		char path[64];
		snprintf(path, sizeof(path), "items.0.counts.%d", p);
		CHECK_INT(jnum(j, path), counts[p]);
	}
	/* Choice shares: rehire_terms (after saw_leave) answered 1..6 in turn. */
	CHECK_INT(jnum(j, "choices.1.n"), N);
	CHECK_INT(jnum(j, "choices.1.options.0.share.x"), 5);
	/* Items and choices carry the correction too, and say so. */
	rt_wilson(5 * neff / N, neff, &lo, &hi);
	CHECK(fabs(jnum(j, "choices.1.options.0.share.lo") - lo) < 1e-5);
	CHECK(fabs(jnum(j, "choices.1.options.0.share.hi") - hi) < 1e-5);
	rt_wilson(counts[3] + counts[4] + 0.0, N, &lo, &hi);
	CHECK(jnum(j, "items.0.favorable.hi") - jnum(j, "items.0.favorable.lo") < hi - lo - 0.01);
	rt_wilson((counts[3] + counts[4]) * neff / N, neff, &lo, &hi);
	CHECK(fabs(jnum(j, "items.0.favorable.lo") - lo) < 1e-5);
	CHECK(fabs(jnum(j, "summary.enps.ci.1") - jnum(j, "summary.enps.nps") -
	           196 * sqrt((pp + pd - (pp - pd) * (pp - pd)) / N) * sqrt(10.0 / 39)) < 1e-4);
	CHECK(json_is_true(json_object_get(json_array_get(json_object_get(j, "items"), 0), "fpc")));
	CHECK(json_is_true(json_object_get(json_array_get(json_object_get(j, "choices"), 1), "fpc")));
	CHECK(json_is_true(json_object_get(json_array_get(json_object_get(j, "scales"), 0), "fpc")));
	/* A question asked of some people only ([[ShowIf]]): how many of the
	 * invited would have been asked is unknown, so no correction. */
	size_t ci;
	json_t *ce;
	int conditioned = 0;
	json_array_foreach(json_object_get(j, "items"), ci, ce)
		if (strncmp(json_string_value(json_object_get(ce, "key")), "offboarding.", 12) == 0 &&
		    json_is_true(json_object_get(ce, "shown"))) {
			conditioned++;
			CHECK(json_is_false(json_object_get(ce, "fpc")));
		}
	CHECK(conditioned > 0);
	json_array_foreach(json_object_get(j, "scales"), ci, ce)
		if (strcmp(json_string_value(json_object_get(ce, "name")), "offboarding") == 0)
			CHECK(json_is_false(json_object_get(ce, "fpc")));
	/* Both groups have 15 respondents: shown. */
	CHECK_INT(jnum(j, "segments.0.responded"), 15);
	CHECK_INT(jnum(j, "segments.1.responded"), 15);
	CHECK_INT(json_array_size(json_object_get(json_object_get(j, "comments"), "items")), 6);
	json_decref(j);
}

int
main(void)
{
	static const struct rt_group groups[] = {{"g01", "営業部", 20}, {"g02", "開発部", 20}};
	rt_up_alumni(&f, groups, 2);
	make_answers();
	rt_respond(&f, resp, N);
	rt_close(&f);
	RUN(summary_page_shows_every_figure);
	RUN(sections_follow_the_reading_order);
	RUN(json_holds_the_same_figures);
	rt_down(&f);
	return harness_done();
}
