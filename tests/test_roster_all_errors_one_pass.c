/* One pass reports every error of the file, in file order, and a file with
 * any error yields no roster at all. */
#include "roster_testlib.h"

static void
all_errors_one_pass(void)
{
	struct roster *r = (struct roster *)&r;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("errors_many.csv", ROSTER_SEGS, 2, &r, &d), KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 6);
	CHECK_DIAG(&d, 0, 4, 1, "duplicate employee_id 'E1' (first seen on line 2)", NULL);
	CHECK_DIAG(&d, 1, 5, 1, "employee_id is empty", NULL);
	CHECK_DIAG(&d, 2, 6, 19, "missing value for segment column 'department'", NULL);
	CHECK_DIAG(&d, 3, 7, 1, "expected 5 fields as in the header, got 4", NULL);
	/* Record E7 starts on line 9; its tenure is on line 10, column 8. */
	CHECK_DIAG(&d, 4, 10, 8, "missing value for segment column 'tenure'", NULL);
	CHECK_DIAG(&d, 5, 11, 17,
	           "quoted value is never closed: the quote opened here runs to "
	           "the end of the file",
	           "a quote inside a quoted value must be doubled (\"\")");
	koe_diags_free(&d);
}

/* Diagnostics already in the list stay; the parser only appends. */
static void
all_errors_appended(void)
{
	static const char csv[] = "employee_id\n\n";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	koe_diags_add(&d, 1, 1, NULL, "earlier");
	CHECK_INT(roster_parse(csv, sizeof(csv) - 1, NULL, 0, &r, &d), KOE_EINVAL);
	CHECK_INT(d.n, 2);
	CHECK_STR(d.v[0].message, "earlier");
	CHECK_STR(d.v[1].message, "the roster has a header but no rows");
	koe_diags_free(&d);
}

/* More errors than the list holds are counted, and the parse still ends. */
static void
all_errors_beyond_list_capacity(void)
{
	size_t rows = KOE_DIAGS_MAX + 50;
	char *csv = malloc(rows * 8 + 32);
	size_t o = 0;
	struct roster *r = NULL;
	struct koe_diags d = {0};

	o += (size_t)sprintf(csv + o, "employee_id,department\n");
	for (size_t k = 0; k < rows; k++)
		o += (size_t)sprintf(csv + o, "E1,\n");
	CHECK_INT(roster_parse(csv, o, ROSTER_SEGS, 1, &r, &d), KOE_EINVAL);
	CHECK(r == NULL);
	/* Each row lacks a department, and every row after the first repeats
	 * the id. */
	CHECK_INT(d.n, KOE_DIAGS_MAX);
	CHECK_INT(d.n + d.dropped, 2 * rows - 1);
	koe_diags_free(&d);
	free(csv);
}

int
main(void)
{
	RUN(all_errors_one_pass);
	RUN(all_errors_appended);
	RUN(all_errors_beyond_list_capacity);
	return harness_done();
}
