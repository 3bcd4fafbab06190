/* Rule 5 of include/koe/dc.h: margins (the groups sharing one value of a
 * dimension) are suppressed like cells, with merged ("*") margins and
 * margins whose hidden cells hold 1..k−1 people forced hidden, and the
 * complementary step over the dimension. Also the natural order of segment
 * values the report sorts margins and groups by. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "koe/dc.h"
#include "koe/report.h"

#define S STATS_SHOWN
#define B STATS_HIDDEN_BELOW_K
#define C STATS_HIDDEN_COMPLEMENTARY

static void
forced_and_small_margins(void)
{
	/* 営業部 40, 開発部 30, 人事部 3 (below k), "*" 4 (merged). */
	size_t sizes[] = {40, 30, 3, 4};
	bool forced[] = {false, false, false, true};
	enum stats_shown sh[4];
	CHECK_INT(dc_suppress_margins(sizes, forced, 4, 5, sh), KOE_OK);
	CHECK_INT(sh[0], S);
	CHECK_INT(sh[1], S);
	CHECK_INT(sh[2], B);
	CHECK_INT(sh[3], B); /* 3 + 4 = 7 ≥ 5: nothing more */
}

static void
complementary_over_the_dimension(void)
{
	/* A margin of 2 below k: the smallest shown margin is hidden too.
	 * A margin of 6 forced hidden (its inside cells) holds ≥ k alone:
	 * nothing more. */
	size_t sizes[] = {40, 30, 2};
	bool forced[] = {false, false, false};
	enum stats_shown sh[3];
	CHECK_INT(dc_suppress_margins(sizes, forced, 3, 5, sh), KOE_OK);
	CHECK_INT(sh[0], S);
	CHECK_INT(sh[1], C);
	CHECK_INT(sh[2], B);
	size_t sizes2[] = {40, 30, 6};
	bool forced2[] = {false, false, true};
	CHECK_INT(dc_suppress_margins(sizes2, forced2, 3, 5, sh), KOE_OK);
	CHECK_INT(sh[0], S);
	CHECK_INT(sh[1], S);
	CHECK_INT(sh[2], C);
	CHECK_INT(dc_suppress_margins(sizes2, forced2, 3, 0, sh), KOE_EINVAL);
}

static void
inside_rule(void)
{
	CHECK(!dc_margin_inside_bad(0, 5));
	CHECK(dc_margin_inside_bad(1, 5));
	CHECK(dc_margin_inside_bad(4, 5));
	CHECK(!dc_margin_inside_bad(5, 5));
}

static int
cmp(const void *a, const void *b)
{
	return report_value_cmp(*(const char *const *)a, *(const char *const *)b);
}

static void
natural_order(void)
{
	const char *v[] = {"10年以上", "1-3年", "*", "1年未満", "5-10年", "3-5年", "営業部"};
	const char *want[] = {"1年未満", "1-3年", "3-5年", "5-10年", "10年以上", "営業部", "*"};
	qsort(v, 7, sizeof(v[0]), cmp);
	for (int i = 0; i < 7; i++)
		CHECK_STR(v[i], want[i]);
	const char *e[] = {"10+ years", "under 1 year", "1-3 years", "3-5 years"};
	const char *ewant[] = {"under 1 year", "1-3 years", "3-5 years", "10+ years"};
	qsort(e, 4, sizeof(e[0]), cmp);
	for (int i = 0; i < 4; i++)
		CHECK_STR(e[i], ewant[i]);
	CHECK(report_value_cmp("開発部", "営業部") != 0);
	CHECK_INT(report_value_cmp("営業部", "営業部"), 0);
}

int
main(void)
{
	RUN(forced_and_small_margins);
	RUN(complementary_over_the_dimension);
	RUN(inside_rule);
	RUN(natural_order);
	return harness_done();
}
