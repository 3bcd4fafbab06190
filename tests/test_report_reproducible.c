/* docs/ARCHITECTURE.md §8: the same data and the same SOURCE_DATE_EPOCH give a
 * byte-identical PDF (and JSON). The dates in the PDF come from
 * SOURCE_DATE_EPOCH, and libharu writes no document ID. */
#include "report_testlib.h"

static struct fixture f;

static void
same_epoch_same_bytes(void)
{
	size_t l1 = 0, l2 = 0, j1 = 0, j2 = 0;
	char *a, *b, *ja, *jb;

	CHECK_INT(rt_report(&f, NULL), 0);
	CHECK_INT(rt_sh(&f, "mv out.pdf first.pdf && mv out.json first.json"), 0);
	CHECK_INT(rt_report(&f, NULL), 0);
	a = rt_read(&f, "first.pdf", &l1);
	b = rt_read(&f, "out.pdf", &l2);
	ja = rt_read(&f, "first.json", &j1);
	jb = rt_read(&f, "out.json", &j2);
	CHECK(a && b && l1 > 1000);
	CHECK_INT(l1, l2);
	CHECK(a && b && l1 == l2 && memcmp(a, b, l1) == 0);
	CHECK(ja && jb && j1 == j2 && memcmp(ja, jb, j1) == 0);
	free(a);
	free(b);
	free(ja);
	free(jb);
}

static void
dates_come_from_the_epoch(void)
{
	size_t len = 0;
	char *pdf = rt_read(&f, "out.pdf", &len);
	const char *want = "/CreationDate (D:20261201000000Z00'00')";
	CHECK(pdf && rt_memmem(pdf, len, want, strlen(want)) != NULL);
	CHECK(pdf && rt_memmem(pdf, len, "/ModDate (D:20261201000000Z00'00')", 34) != NULL);
	/* No document ID in the trailer: it would be random or time-based. */
	const char *tr = NULL;
	for (const char *p = pdf; pdf && (p = rt_memmem(p, len - (size_t)(p - pdf), "trailer", 7));
	     p++)
		tr = p;
	CHECK(tr != NULL);
	CHECK(tr && rt_memmem(tr, len - (size_t)(tr - pdf), "/ID", 3) == NULL);
	free(pdf);

	/* Another epoch: another date, and the rest follows from the data. */
	CHECK_INT(rt_sh(&f, "SOURCE_DATE_EPOCH=1800000000 $KOE report --db koe.db "
	                    "--passphrase-file pass.txt --out other.pdf"),
	          0);
	pdf = rt_read(&f, "other.pdf", &len);
	CHECK(pdf && rt_memmem(pdf, len, "/CreationDate (D:20270115", 25) != NULL);
	free(pdf);
	/* A malformed epoch is refused rather than silently replaced by now. */
	CHECK_INT(rt_sh(&f, "SOURCE_DATE_EPOCH=yesterday $KOE report --db koe.db "
	                    "--passphrase-file pass.txt --out bad.pdf"),
	          1);
	CHECK_INT(rt_count_files(&f, "bad.pdf"), 0);
}

int
main(void)
{
	static const struct rt_group groups[] = {{"g01", "営業部", 10}, {"g02", "開発部", 10}};
	struct rt_resp r[14];
	char text[14][40];
	rt_up_alumni(&f, groups, 2);
	for (int k = 0; k < 14; k++) {
		snprintf(text[k], sizeof(text[k]), "意見その%d", k);
		r[k] = (struct rt_resp){k % 2 ? "g01" : "g02", 1 + k % 5, 2 + k % 3, 3, 2 + k % 4,
		                        3, k % 11, 0, 1 + k % 6, text[k]};
	}
	rt_respond(&f, r, 14);
	rt_close(&f);
	RUN(same_epoch_same_bytes);
	RUN(dates_come_from_the_epoch);
	rt_down(&f);
	return harness_done();
}
