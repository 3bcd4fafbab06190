/* With fewer than k respondents in the whole company, the report shows no
 * figure at all: it says why, and the JSON has only the response count
 * (which the published receipt list reveals anyway). */
#include "report_testlib.h"

static struct fixture f;

static void
no_figures_below_k(void)
{
	char *text;
	json_t *j, *v;
	size_t i;

	CHECK_INT(rt_report(&f, NULL), 0);
	text = rt_pdftext(&f, "out.pdf", false);
	CHECK(rt_has(text, "回答者はまだ 3 人です"));
	CHECK(!rt_has(text, "内緒の意見"));
	free(text);
	j = rt_json(&f, "out.json");
	CHECK(json_is_false(json_object_get(json_object_get(j, "responses"), "shown")));
	json_t *sum = json_object_get(j, "summary");
	CHECK(json_is_null(json_object_get(sum, "support")));
	CHECK(json_is_null(json_object_get(sum, "rejoin")));
	CHECK(json_is_null(json_object_get(sum, "morale_risk")));
	CHECK(json_is_null(json_object_get(sum, "enps")));
	CHECK_INT(json_array_size(json_object_get(sum, "concerns")), 0);
	json_array_foreach(json_object_get(j, "items"), i, v) {
		CHECK(json_is_false(json_object_get(v, "shown")));
		CHECK(json_object_get(v, "counts") == NULL);
	}
	json_array_foreach(json_object_get(j, "scales"), i, v)
		CHECK(json_object_get(v, "mean") == NULL);
	json_array_foreach(json_object_get(j, "segments"), i, v)
		CHECK_INT(json_object_size(v), 3);
	json_array_foreach(json_object_get(j, "choices"), i, v)
		CHECK(json_object_get(v, "n") == NULL);
	CHECK_INT(json_array_size(json_object_get(json_object_get(j, "comments"), "items")), 0);
	json_decref(j);
}

int
main(void)
{
	static const struct rt_group groups[] = {{"g01", "営業部", 10}, {"g02", "開発部", 10}};
	struct rt_resp r[3];
	rt_up_alumni(&f, groups, 2);
	for (int k = 0; k < 3; k++)
		r[k] = (struct rt_resp){"g01", 5, 5, 5, 5, 5, 10, 0, 1, "内緒の意見"};
	rt_respond(&f, r, 3);
	rt_close(&f);
	RUN(no_figures_below_k);
	rt_down(&f);
	return harness_done();
}
