/* docs/ARCHITECTURE.md §8.1: page 1 states the largest difference between
 * groups in words (README, page 1) and never cuts a long group name off
 * with "…"; the JSON still lists every hot spot. A group merged in every
 * dimension ("* / *") reads "少人数のグループ（統合）". */
#include "report_testlib.h"

static struct fixture f;

/* Three groups answer with a high morale risk, three without; every group
 * has 20 respondents. g03 is the worst (all 20 at risk), g01 and g02 have
 * 18 at risk. */
static void
respond(void)
{
	static struct rt_resp r[120];
	size_t n = 0;
	for (int g = 0; g < 6; g++) {
		static const char *const code[] = {"g01", "g02", "g03", "g04", "g05", "g06"};
		for (int k = 0; k < 20; k++) {
			bool risk = g < 3 && (g == 2 || k < 18);
			r[n++] = (struct rt_resp){code[g], 4, 3, 3, risk ? 1 : 5, 3, 7, risk ? 5 : 1, 1,
			                          NULL};
		}
	}
	rt_respond(&f, r, n);
}

/* Page 1 of the PDF as one line: pdftotext breaks the card's lines. */
static char *
summary_text(void)
{
	char *text = rt_pdftext(&f, "out.pdf", false), *w = text;
	char *ff = text ? strchr(text, '\f') : NULL;
	if (ff)
		*ff = '\0';
	for (const char *p = text; p && *p; p++)
		if (*p != '\n')
			*w++ = *p;
	if (w)
		*w = '\0';
	return text;
}

static void
many_long_hot_spots_are_counted(void)
{
	char *text;
	CHECK_INT(rt_report(&f, NULL), 0);
	text = summary_text();
	CHECK(text != NULL);
	/* Three groups at risk alike: none stands out from the nearest other
	 * by 10 points, so page 1 says so rather than naming one; nothing is
	 * cut off. */
	CHECK(rt_has(text, "10 ポイント以上はっきり異なる"));
	CHECK(!rt_has(text, "…"));
	free(text);
	/* The groups page lists every hot spot, long names in full. */
	text = rt_pdftext(&f, "out.pdf", false);
	CHECK(rt_has(text, "カスタマーサクセス本部 第三グループ（東日本・北海道）: 士気の尺度得点が否定的な人"));
	CHECK(rt_has(text, "カスタマーサクセス本部 第一グループ（東日本・北海道）: 士気の尺度得点が否定的な人"));
	CHECK(!rt_has(text, "…"));
	free(text);

	/* The JSON lists all three hot spots. */
	json_t *j = rt_json(&f, "out.json");
	json_t *hot = json_object_get(
		json_object_get(json_object_get(j, "summary"), "morale_risk"), "hot_spots");
	CHECK_INT(json_array_size(hot), 3);
	json_decref(j);
}

/* Merged groups read as such: "* / *" is written for people. */
static void
merged_group_has_a_readable_name(void)
{
	char *text = rt_pdftext(&f, "out.pdf", false), *w = text;
	/* One line: pdftotext breaks the note where the layout does. */
	for (const char *c = text; c && *c; c++)
		if (*c != '\n')
			*w++ = *c;
	if (w)
		*w = '\0';
	CHECK(rt_has(text, "少人数のグループ（統合）"));
	CHECK(rt_has(text, "（統合）は、5 人に満たない区分を匿名性のためにまとめたものです。"));
	CHECK(!rt_has(text, "* / *"));
	free(text);
	/* The JSON keeps the stored label (README: Report JSON schema). */
	json_t *j = rt_json(&f, "out.json"), *s;
	size_t i;
	bool found = false;
	json_array_foreach(json_object_get(j, "segments"), i, s)
		found |= strcmp(json_string_value(json_object_get(s, "label")), "* / *") == 0;
	CHECK(found);
	json_decref(j);
}

int
main(void)
{
	static const struct rt_group groups[] = {
		{"g01", "カスタマーサクセス本部 第一グループ（東日本・北海道）", 25},
		{"g02", "カスタマーサクセス本部 第二グループ（東日本・北海道）", 25},
		{"g03", "カスタマーサクセス本部 第三グループ（東日本・北海道）", 25},
		{"g04", "営業部", 25},
		{"g05", "開発部", 25},
		{"g06", "* / *", 25}, /* merged in both dimensions */
	};
	rt_up_alumni(&f, groups, 6);
	respond();
	rt_close(&f);
	RUN(many_long_hot_spots_are_counted);
	RUN(merged_group_has_a_readable_name);
	rt_down(&f);
	return harness_done();
}
