/* Attack 6: a comment is one person's words, so naming its group needs a
 * larger group than a figure does: [[MinGroupComments]] (default 10). A
 * comment from a group with k ≤ respondents < MinGroupComments carries the
 * next coarser label whose groups together reach it (the last specific
 * dimension generalized), or no label at all.
 *
 *   営業部 / 1-3年  12 answers  → its own label
 *   営業部 / 3-5年   6 answers  → 営業部 / * (12 + 6 = 18 ≥ 10)
 *   開発部 / 1-3年   7 answers  → no label (開発部 / * is still 7)
 */
#include "dc_testlib.h"

static struct fixture f;

static json_t *
comment(json_t *j, const char *text)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(json_object_get(j, "comments"), "items"), i, c) {
		const char *t = json_string_value(json_object_get(c, "text"));
		if (t && strcmp(t, text) == 0)
			return c;
	}
	return NULL;
}

static void
json_labels(void)
{
	json_t *j = rt_json(&f, "out.json");
	CHECK(j != NULL);
	if (j == NULL)
		return;
	/* The groups' figures are shown (each has at least k = 5)... */
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(j, "segments"), i, s)
		CHECK(json_is_true(json_object_get(s, "shown")));
	/* ...but their comments name only groups of at least 10. */
	const char *a = json_string_value(json_object_get(comment(j, "コメントA"), "segment"));
	const char *b = json_string_value(json_object_get(comment(j, "コメントB"), "segment"));
	json_t *c = json_object_get(comment(j, "コメントC"), "segment");
	CHECK_STR(a, "営業部 / 1-3年");
	CHECK(b == NULL || strstr(b, "3-5年") == NULL);
	CHECK_STR(b, "営業部 / *");
	CHECK(c != NULL && (json_is_null(c) || strstr(json_string_value(c), "開発部") == NULL));
	json_decref(j);
}

static void
pdf_labels(void)
{
	char *t = rt_pdftext(&f, "out.pdf", false);
	CHECK(rt_has(t, "コメントB"));
	CHECK(rt_has(t, "— 営業部 / 1-3年"));
	CHECK(!rt_has(t, "— 営業部 / 3-5年"));
	CHECK(!rt_has(t, "— 開発部"));
	free(t);
}

int
main(void)
{
	static const struct rt_group groups[] = {{"g01", "営業部 / 1-3年", 20},
	                                         {"g02", "営業部 / 3-5年", 10},
	                                         {"g03", "開発部 / 1-3年", 10}};
	struct rt_resp r[30];
	size_t n = 0;
	rt_up_alumni(&f, groups, 3);
	for (int k = 0; k < 12; k++)
		r[n++] = (struct rt_resp){"g01", 4, 4, 3, 4, 3, 8, 0, 1, k == 0 ? "コメントA" : NULL};
	for (int k = 0; k < 6; k++)
		r[n++] = (struct rt_resp){"g02", 3, 2, 3, 3, 3, 9, 0, 2, k == 0 ? "コメントB" : NULL};
	for (int k = 0; k < 7; k++)
		r[n++] = (struct rt_resp){"g03", 2, 5, 3, 4, 3, 7, 0, 3, k == 0 ? "コメントC" : NULL};
	rt_respond(&f, r, n);
	rt_close(&f);
	CHECK_INT(rt_report(&f, NULL), 0);
	RUN(json_labels);
	RUN(pdf_labels);
	rt_down(&f);
	return harness_done();
}
