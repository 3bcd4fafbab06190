/* 100,000 rows load, and duplicate detection still finds the one repeated id
 * at the end with the right first line (the id table grows many times). */
#include "roster_testlib.h"

#define ROWS 100000

static char *
make_roster(size_t *len, int duplicate)
{
	static const char *const depts[] = {"営業部", "開発部", "人事部", "総務部"};
	char *csv = malloc((size_t)ROWS * 64 + 128);
	size_t o = 0;

	o += (size_t)sprintf(csv + o, "employee_id,email,name,department,tenure\r\n");
	for (int k = 0; k < ROWS; k++)
		o += (size_t)sprintf(csv + o, "E%06d,e%d@example.jp,社員 %d,%s,%d\r\n", k, k,
		                     k, depts[k % 4], k % 7);
	if (duplicate)
		o += (size_t)sprintf(csv + o, "E012345,x@example.jp,X,営業部,1\r\n");
	*len = o;
	return csv;
}

static void
many_rows_load(void)
{
	size_t len;
	char *csv = make_roster(&len, 0);
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse(csv, len, ROSTER_SEGS, 2, &r, &d), KOE_OK);
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(r->nrows, ROWS);
		CHECK_STR(r->rows[ROWS - 1].employee_id, "E099999");
		CHECK_STR(r->rows[ROWS - 1].name, "社員 99999");
		CHECK_STR(r->rows[ROWS - 1].segments[0], "総務部");
		CHECK_STR(r->rows[ROWS - 1].segments[1], "4");
		CHECK_INT(r->rows[ROWS - 1].line, ROWS + 1);
	}
	roster_free(r);
	koe_diags_free(&d);
	free(csv);
}

static void
many_rows_duplicate(void)
{
	size_t len;
	char *csv = make_roster(&len, 1);
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse(csv, len, ROSTER_SEGS, 2, &r, &d), KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, ROWS + 2, 1,
	           "duplicate employee_id 'E012345' (first seen on line 12347)", NULL);
	koe_diags_free(&d);
	free(csv);
}

int
main(void)
{
	RUN(many_rows_load);
	RUN(many_rows_duplicate);
	return harness_done();
}
