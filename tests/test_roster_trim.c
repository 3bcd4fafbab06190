/* Header names match case-insensitively; surrounding spaces, tabs, U+00A0 and
 * the ideographic space U+3000 are trimmed from names and values, quoted or
 * not. Spaces inside a value stay. */
#include "roster_testlib.h"

static void
trim_names_and_values(void)
{
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("trim.csv", ROSTER_SEGS, 2, &r, &d), KOE_OK);
	CHECK_INT(d.n, 0);
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(r->nrows, 3);
		CHECK_STR(r->rows[0].employee_id, "E1");
		CHECK_STR(r->rows[0].segments[0], "営業部");
		CHECK_STR(r->rows[0].segments[1], "1");
		CHECK_STR(r->rows[1].employee_id, "E2");
		CHECK_STR(r->rows[1].segments[0], "開発部");
		CHECK_STR(r->rows[1].segments[1], "2");
		CHECK_STR(r->rows[2].segments[0], "第一 営業部");
		/* The names asked for are reported as asked, not as spelled
		 * in the file. */
		CHECK_STR(r->segment_names[0], "department");
	}
	roster_free(r);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(trim_names_and_values);
	return harness_done();
}
