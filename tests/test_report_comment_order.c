/* docs/ARCHITECTURE.md §8.5: comments print in a random order that does not follow
 * the order they were stored in, and the same comments always print in the
 * same order (so the PDF is reproducible). Two databases get the same
 * comments in opposite orders; both reports list them identically. */
#include "report_testlib.h"

#define N 12

static char texts[N][48];

static json_t *
comments_of(bool reversed)
{
	static const struct rt_group groups[] = {{"g01", "営業部", 10}, {"g02", "開発部", 10}};
	struct fixture f;
	struct rt_resp r[N];
	json_t *j, *items;
	rt_up_alumni(&f, groups, 2);
	for (int k = 0; k < N; k++) {
		int t = reversed ? N - 1 - k : k;
		r[k] = (struct rt_resp){t % 2 ? "g01" : "g02", 4, 3, 3, 4, 3, 5, 0, 1, texts[t]};
	}
	/* One response at a time in its own transaction, in this order. */
	for (int k = 0; k < N; k++)
		rt_respond(&f, &r[k], 1);
	rt_close(&f);
	CHECK_INT(rt_report(&f, NULL), 0);
	j = rt_json(&f, "out.json");
	items = json_incref(json_object_get(json_object_get(j, "comments"), "items"));
	json_decref(j);
	rt_down(&f);
	return items;
}

static void
order_is_shuffled_and_stable(void)
{
	json_t *a, *b, *c;
	size_t i, in_order = 0;

	for (int k = 0; k < N; k++)
		snprintf(texts[k], sizeof(texts[k]), "意見 %02d: 公平な処遇を", k);
	a = comments_of(false);
	b = comments_of(true);
	CHECK_INT(json_array_size(a), N);
	CHECK(json_equal(a, b));
	json_array_foreach(a, i, c) {
		char want[48];
		snprintf(want, sizeof(want), "意見 %02zu: 公平な処遇を", i);
		in_order += strcmp(json_string_value(json_object_get(c, "text")), want) == 0;
	}
	/* Neither insertion order survives (12 positions; a fixed shuffle). */
	CHECK(in_order < N / 2);
	json_decref(a);
	json_decref(b);
}

int
main(void)
{
	RUN(order_is_shuffled_and_stable);
	return harness_done();
}
