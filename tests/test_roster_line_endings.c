/* CRLF, LF and a lone CR (old Mac Excel) all end a record; the last record
 * may lack a line end. No CR is left in any value. */
#include "roster_testlib.h"

static void
crlf_without_final_newline(void)
{
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("crlf_no_final_newline.csv", ROSTER_SEGS, 2, &r, &d),
	          KOE_OK);
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(r->nrows, 3);
		CHECK_STR(r->rows[0].segments[1], "1");
		CHECK_STR(r->rows[2].employee_id, "E3");
		CHECK_STR(r->rows[2].segments[0], "開発部");
		CHECK_STR(r->rows[2].segments[1], "3");
		CHECK_INT(r->rows[2].line, 4);
	}
	roster_free(r);
	koe_diags_free(&d);
}

static void
lone_cr_ends_records(void)
{
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("cr_only.csv", ROSTER_SEGS, 2, &r, &d), KOE_OK);
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(r->nrows, 2);
		CHECK_STR(r->rows[0].segments[1], "1");
		CHECK_STR(r->rows[1].employee_id, "E2");
		CHECK_STR(r->rows[1].segments[1], "2");
		CHECK_INT(r->rows[1].line, 3);
	}
	roster_free(r);
	koe_diags_free(&d);
}

/* Line numbers in errors count CRLF as one line break, not two. */
static void
crlf_error_lines(void)
{
	static const char csv[] = "employee_id,department,tenure\r\nE1,A,1\r\n"
	                          "E1,B,2\r\n";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse(csv, sizeof(csv) - 1, ROSTER_SEGS, 2, &r, &d),
	          KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 3, 1, "duplicate employee_id 'E1' (first seen on line 2)",
	           NULL);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(crlf_without_final_newline);
	RUN(lone_cr_ends_records);
	RUN(crlf_error_lines);
	return harness_done();
}
