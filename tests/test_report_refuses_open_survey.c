/* docs/ARCHITECTURE.md §8: `koe report` refuses a survey that is still open unless
 * --interim is given, says how to go on, and writes nothing. */
#include "report_testlib.h"

static struct fixture f;

static void
open_survey_is_refused(void)
{
	char *err;
	CHECK_INT(rt_report(&f, NULL), 1);
	err = rt_read(&f, "err", NULL);
	CHECK(rt_has(err, "still open"));
	CHECK(rt_has(err, "--interim"));
	CHECK(rt_has(err, "koe close"));
	free(err);
	CHECK_INT(rt_count_files(&f, "out.pdf"), 0);
	CHECK_INT(rt_count_files(&f, "out.json"), 0);
	CHECK_INT(rt_count_files(&f, "tmp-"), 0);
}

int
main(void)
{
	static const struct rt_group groups[] = {{"g01", "営業部", 10}, {"g02", "開発部", 10}};
	struct rt_resp r[6];
	rt_up_alumni(&f, groups, 2);
	for (int k = 0; k < 6; k++)
		r[k] = (struct rt_resp){"g01", 4, 3, 3, 4, 3, 5, 0, 1, NULL};
	rt_respond(&f, r, 6);
	RUN(open_survey_is_refused);
	rt_down(&f);
	return harness_done();
}
