/* What Excel writes for "CSV UTF-8": a BOM and CRLF line ends. The BOM must
 * not become part of the first header name, and no CR may stay in a value. */
#include "roster_testlib.h"

static void
utf8_bom_is_skipped(void)
{
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("utf8_bom_crlf.csv", ROSTER_SEGS, 2, &r, &d), KOE_OK);
	CHECK_INT(d.n, 0);
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(r->nrows, 3);
		CHECK_STR(r->rows[0].employee_id, "E0001");
		CHECK_STR(r->rows[0].name, "山田 太郎");
		CHECK_STR(r->rows[0].segments[0], "営業部");
		CHECK_STR(r->rows[0].segments[1], "3-5y");
		CHECK_INT(r->rows[0].line, 2);
		CHECK_STR(r->rows[2].employee_id, "E0003");
		CHECK_STR(r->rows[2].segments[1], "6-10y");
		CHECK_INT(r->rows[2].line, 4);
	}
	roster_free(r);
	koe_diags_free(&d);
}

/* A BOM followed by nothing but blank lines is still an empty file. */
static void
utf8_bom_alone_is_empty(void)
{
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("errors_empty_bom.csv", ROSTER_SEGS, 2, &r, &d),
	          KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 0, 0, "the file is empty; a roster needs a header row",
	           "the first row names the columns, e.g. "
	           "employee_id,email,name,department,tenure");
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(utf8_bom_is_skipped);
	RUN(utf8_bom_alone_is_empty);
	return harness_done();
}
