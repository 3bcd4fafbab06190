/* docs/ARCHITECTURE.md §8: a report of a survey that is still open needs --interim,
 * and then every page says 中間集計 / interim. */
#include "report_testlib.h"

static struct fixture f;

static void
every_page_is_marked(void)
{
	char *text;
	int pages = 0;

	CHECK_INT(rt_report(&f, "--interim"), 0);
	/* HR is told why interim reports should stay few (README threat model). */
	char *err = rt_read(&f, "err", NULL);
	CHECK(rt_has(err, "interim report"));
	CHECK(rt_has(err, "can reveal those answers"));
	free(err);
	text = rt_pdftext(&f, "out.pdf", false);
	CHECK(text != NULL);
	for (char *page = text; page && *page;) {
		char *ff = strchr(page, '\f');
		if (ff)
			*ff = '\0';
		if (*page) {
			pages++;
			if (!rt_has(page, "中間集計 / interim")) {
				fprintf(stderr, "page %d is not marked\n", pages);
				CHECK(0);
			}
		}
		page = ff ? ff + 1 : NULL;
	}
	/* Participation only (include/koe/dc.h rule 3): the summary, the
	 * groups' participation and the method. */
	CHECK(pages >= 2);
	free(text);
	text = rt_pdftext(&f, "out.pdf", false);
	CHECK(rt_has(text, "10+"));
	CHECK(!rt_has(text, "主な懸念"));
	CHECK(!rt_has(text, "支持との関連"));
	free(text);

	json_t *j = rt_json(&f, "out.json");
	json_t *s = json_object_get(j, "survey");
	CHECK(json_is_true(json_object_get(s, "interim")));
	CHECK_STR(json_string_value(json_object_get(s, "state")), "open");
	CHECK(json_is_null(json_object_get(json_object_get(j, "method"), "receipts")));
	json_decref(j);
}

static void
final_report_is_not_marked(void)
{
	char *text;
	rt_close(&f);
	/* --interim on a closed survey changes nothing: the data is final. */
	CHECK_INT(rt_report(&f, "--interim"), 0);
	char *err = rt_read(&f, "err", NULL);
	CHECK(!rt_has(err, "can reveal those answers"));
	free(err);
	text = rt_pdftext(&f, "out.pdf", false);
	CHECK(!rt_has(text, "中間集計"));
	CHECK(!rt_has(text, "interim"));
	free(text);
}

int
main(void)
{
	static const struct rt_group groups[] = {{"g01", "営業部", 10}, {"g02", "開発部", 10}};
	struct rt_resp r[12];
	rt_up_alumni(&f, groups, 2);
	for (int k = 0; k < 12; k++)
		r[k] = (struct rt_resp){k % 2 ? "g01" : "g02", 4, 3, 3, 4, 3, k % 11, 0, 1, NULL};
	rt_respond(&f, r, 12);
	RUN(every_page_is_marked);
	RUN(final_report_is_not_marked);
	rt_down(&f);
	return harness_done();
}
