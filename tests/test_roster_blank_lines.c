/* Blank lines before the header, between rows and at the end are skipped, as
 * are lines of spaces and rows of bare commas (Excel writes those for
 * formatted but empty rows). Line numbers still count them. */
#include "roster_testlib.h"

static void
blank_lines_are_skipped(void)
{
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("blank_lines.csv", ROSTER_SEGS, 2, &r, &d), KOE_OK);
	CHECK_INT(d.n, 0);
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(r->nrows, 2);
		CHECK_STR(r->rows[0].employee_id, "E1");
		CHECK_INT(r->rows[0].line, 5);
		CHECK_STR(r->rows[1].employee_id, "E2");
		CHECK_STR(r->rows[1].segments[0], "開発部");
		CHECK_INT(r->rows[1].line, 8);
	}
	roster_free(r);
	koe_diags_free(&d);
}

/* A row with a quoted empty value is not blank: it is a record, and here a
 * short one. */
static void
quoted_empty_row_is_not_blank(void)
{
	static const char csv[] = "employee_id,department\nE1,A\n\"\"\n";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse(csv, sizeof(csv) - 1, ROSTER_SEGS, 1, &r, &d),
	          KOE_EINVAL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 3, 1, "expected 2 fields as in the header, got 1", NULL);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(blank_lines_are_skipped);
	RUN(quoted_empty_row_is_not_blank);
	return harness_done();
}
