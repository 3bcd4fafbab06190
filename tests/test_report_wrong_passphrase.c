/* A wrong report passphrase is a clear message and exit 1, and nothing is
 * written: an earlier report stays as it was, and no temporary file is
 * left behind. */
#include "report_testlib.h"

static struct fixture f;

static void
wrong_passphrase_writes_nothing(void)
{
	char *err, *old;
	CHECK_INT(rt_sh(&f, "echo 'wrong horse battery staple' >bad.txt && echo old >out.pdf"), 0);
	CHECK_INT(rt_sh(&f, "$KOE report --db koe.db --passphrase-file bad.txt --out out.pdf "
	                    "--json out.json"),
	          1);
	err = rt_read(&f, "err", NULL);
	CHECK(rt_has(err, "wrong passphrase"));
	CHECK(rt_has(err, "nothing was written"));
	free(err);
	old = rt_read(&f, "out.pdf", NULL);
	CHECK_STR(old, "old\n");
	free(old);
	CHECK_INT(rt_count_files(&f, "out.json"), 0);
	CHECK_INT(rt_count_files(&f, "tmp-"), 0);
}

static void
right_passphrase_replaces_the_report(void)
{
	size_t len = 0;
	char *pdf;
	CHECK_INT(rt_report(&f, NULL), 0);
	pdf = rt_read(&f, "out.pdf", &len);
	CHECK(len > 1000 && memcmp(pdf, "%PDF-", 5) == 0);
	free(pdf);
	CHECK_INT(rt_count_files(&f, "tmp-"), 0);
}

int
main(void)
{
	static const struct rt_group groups[] = {{"g01", "営業部", 10}, {"g02", "開発部", 10}};
	struct rt_resp r[6];
	rt_up_alumni(&f, groups, 2);
	for (int k = 0; k < 6; k++)
		r[k] = (struct rt_resp){"g02", 4, 3, 3, 4, 3, 5, 0, 1, NULL};
	rt_respond(&f, r, 6);
	rt_close(&f);
	RUN(wrong_passphrase_writes_nothing);
	RUN(right_passphrase_replaces_the_report);
	rt_down(&f);
	return harness_done();
}
