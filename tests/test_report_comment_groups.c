/* README, "Comments": identical comments are printed once with their count
 * ("同じ記述 3 件"), at the place of the first of them in the shuffled order;
 * the JSON keeps every comment in items[] and adds groups[] with counts; a
 * run of identical comments from different groups names no group; texts
 * differing only in spaces or a final 。 count as one. */
#include "report_testlib.h"

static struct fixture f;

static void
respond(void)
{
	static struct rt_resp r[60];
	static const char *const code[] = {"g01", "g02", "g03"};
	size_t n = 0;
	for (int g = 0; g < 3; g++)
		for (int k = 0; k < 20; k++) {
			const char *c = NULL;
			if (g == 0 && k < 3)
				c = "処遇の基準を明確にしてほしい"; /* 3 × from g01 */
			else if (k == 5 && g > 0)
				/* once from g02, once from g03 with a full stop and a
				 * trailing space: near-identical, one text */
				c = g == 1 ? "情報管理が心配です" : "情報管理が心配です。 ";
			else if (g == 2 && k == 9)
				c = "特になし、ひとつだけ";
			r[n++] = (struct rt_resp){code[g], 4, 3, 3, 3, 3, 7, 0, 1, c};
		}
	rt_respond(&f, r, n);
}

static void
identical_comments_are_grouped(void)
{
	CHECK_INT(rt_report(&f, NULL), 0);
	char *text = rt_pdftext(&f, "out.pdf", false);
	CHECK(rt_has(text, "6 件、異なる記述 3 種類"));
	CHECK(rt_has(text, "同じ記述 3 件 — 営業部"));
	CHECK(rt_has(text, "同じ記述 2 件"));
	CHECK(!rt_has(text, "同じ記述 2 件 —"));
	/* Printed once each in the list (the themes above it quote it too). */
	const char *list = text ? strstr(text, "6 件、異なる記述 3 種類") : NULL;
	const char *at = list ? strstr(list, "処遇の基準を明確にしてほしい") : NULL;
	CHECK(at != NULL && strstr(at + 1, "処遇の基準を明確にしてほしい") == NULL);
	free(text);

	json_t *j = rt_json(&f, "out.json"), *e;
	json_t *c = json_object_get(j, "comments");
	CHECK_INT(json_array_size(json_object_get(c, "items")), 6);
	json_t *g = json_object_get(c, "groups");
	CHECK_INT(json_array_size(g), 3);
	size_t i, total = 0;
	json_array_foreach(g, i, e) {
		const char *t = json_string_value(json_object_get(e, "text"));
		json_int_t n = json_integer_value(json_object_get(e, "count"));
		total += (size_t)n;
		if (strcmp(t, "処遇の基準を明確にしてほしい") == 0) {
			CHECK_INT(n, 3);
			CHECK_STR(json_string_value(json_object_get(e, "segment")), "営業部");
		} else if (strncmp(t, "情報管理が心配です", strlen("情報管理が心配です")) == 0) {
			CHECK_INT(n, 2);
			CHECK(json_is_null(json_object_get(e, "segment")));
		}
	}
	CHECK_INT(total, 6);

	/* The questionnaire's [[Theme]]s: 処遇 is a keyword of
	 * 処遇・条件の公平さ (3 of 6 comments), 情報 of 情報管理 (2 of 6). */
	json_t *th;
	bool fair = false, info = false;
	json_array_foreach(json_object_get(c, "themes"), i, th) {
		const char *name = json_string_value(json_object_get(th, "name"));
		json_t *sh = json_object_get(th, "share");
		if (strcmp(name, "処遇・条件の公平さ") == 0) {
			fair = true;
			CHECK_INT(json_integer_value(json_object_get(sh, "x")), 3);
			CHECK_INT(json_integer_value(json_object_get(sh, "n")), 6);
			CHECK_INT(json_array_size(json_object_get(th, "quotes")), 1);
		} else if (strcmp(name, "情報管理") == 0) {
			info = true;
			CHECK_INT(json_integer_value(json_object_get(sh, "x")), 2);
		}
	}
	CHECK(fair && info);
	json_decref(j);
	text = rt_pdftext(&f, "out.pdf", false);
	CHECK(rt_has(text, "テーマ別の件数"));
	CHECK(rt_has(text, "処遇・条件の公平さ: 3 件（50%"));
	CHECK(rt_has(text, "自由記述のテーマ（多い順）"));
	free(text);
}

int
main(void)
{
	rt_up_three_departments(&f);
	respond();
	rt_close(&f);
	RUN(identical_comments_are_grouped);
	rt_down(&f);
	return harness_done();
}
