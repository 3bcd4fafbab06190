/* email and name are optional: without them every row has "" there and the
 * roster says the column is absent. Without segment columns the rows have no
 * segments. */
#include "roster_testlib.h"

static void
optional_columns_absent(void)
{
	static const char csv[] = "employee_id,department\nE1,営業部\nE2,開発部\n";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse(csv, sizeof(csv) - 1, ROSTER_SEGS, 1, &r, &d), KOE_OK);
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(r->has_email, 0);
		CHECK_INT(r->has_name, 0);
		CHECK_STR(r->rows[1].email, "");
		CHECK_STR(r->rows[1].name, "");
		CHECK_STR(r->rows[1].segments[0], "開発部");
	}
	roster_free(r);
	koe_diags_free(&d);
}

static void
no_segments_asked(void)
{
	static const char csv[] = "employee_id\nE1\nE2\n";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse(csv, sizeof(csv) - 1, NULL, 0, &r, &d), KOE_OK);
	CHECK(r != NULL);
	if (r != NULL) {
		CHECK_INT(r->nrows, 2);
		CHECK_INT(r->nsegments, 0);
		CHECK(r->segment_names == NULL);
		CHECK(r->rows[0].segments == NULL);
		CHECK_STR(r->rows[1].employee_id, "E2");
	}
	roster_free(r);
	roster_free(NULL);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(optional_columns_absent);
	RUN(no_segments_asked);
	return harness_done();
}
