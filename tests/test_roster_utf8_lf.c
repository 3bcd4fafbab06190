/* A plain UTF-8 roster with LF line ends and no BOM loads completely: every
 * value, the line of each row, the optional columns, and an unknown column
 * ("memo") that is ignored. */
#include "roster_testlib.h"

static void
utf8_lf_loads_every_value(void)
{
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("utf8_lf.csv", ROSTER_SEGS, 2, &r, &d), KOE_OK);
	CHECK_INT(d.n, 0);
	CHECK(r != NULL);
	if (r == NULL)
		goto done;
	CHECK_INT(r->nrows, 4);
	CHECK_INT(r->nsegments, 2);
	CHECK_STR(r->segment_names[0], "department");
	CHECK_STR(r->segment_names[1], "tenure");
	CHECK_INT(r->has_email, 1);
	CHECK_INT(r->has_name, 1);

	CHECK_STR(r->rows[0].employee_id, "E0001");
	CHECK_STR(r->rows[0].email, "yamada@example.jp");
	CHECK_STR(r->rows[0].name, "山田 太郎");
	CHECK_STR(r->rows[0].segments[0], "営業部");
	CHECK_STR(r->rows[0].segments[1], "3-5y");
	CHECK_INT(r->rows[0].line, 2);

	CHECK_STR(r->rows[1].employee_id, "E0002");
	CHECK_STR(r->rows[1].name, "佐藤 花子");
	CHECK_STR(r->rows[1].segments[0], "開発部");
	CHECK_STR(r->rows[1].segments[1], "0-2y");

	/* An empty optional cell is "", never NULL. */
	CHECK_STR(r->rows[2].employee_id, "E0003");
	CHECK_STR(r->rows[2].email, "");
	CHECK_STR(r->rows[2].name, "Alex Smith");

	CHECK_STR(r->rows[3].employee_id, "E0004");
	CHECK_STR(r->rows[3].email, "suzuki@example.jp");
	CHECK_STR(r->rows[3].segments[0], "人事部");
	CHECK_STR(r->rows[3].segments[1], "10y+");
	CHECK_INT(r->rows[3].line, 5);

	/* The same values, row-major, as seg_build() takes them. */
	CHECK(r->segment_values == r->rows[0].segments);
	CHECK_STR(r->segment_values[3 * 2 + 0], "人事部");
	CHECK_STR(r->segment_values[3 * 2 + 1], "10y+");
done:
	roster_free(r);
	koe_diags_free(&d);
}

/* Segment columns are returned in the order the caller asks for, not the
 * order of the file. */
static void
utf8_lf_segments_in_caller_order(void)
{
	static const char *const segs[] = {"tenure", "department"};
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("utf8_lf.csv", segs, 2, &r, &d), KOE_OK);
	if (r != NULL) {
		CHECK_STR(r->segment_names[0], "tenure");
		CHECK_STR(r->rows[0].segments[0], "3-5y");
		CHECK_STR(r->rows[0].segments[1], "営業部");
	}
	roster_free(r);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(utf8_lf_loads_every_value);
	RUN(utf8_lf_segments_in_caller_order);
	return harness_done();
}
