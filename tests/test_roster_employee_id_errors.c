/* Empty and duplicate employee ids. A duplicate names the line of the first
 * occurrence; quoting does not make an id different. */
#include "roster_testlib.h"

static void
employee_id_empty_and_duplicate(void)
{
	static const char *const segs[] = {"department"};
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("errors_employee_id.csv", segs, 1, &r, &d), KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 5);
	CHECK_DIAG(&d, 0, 4, 1, "employee_id is empty", NULL);
	CHECK_DIAG(&d, 1, 6, 3, "employee_id is empty", NULL);
	CHECK_DIAG(&d, 2, 7, 1, "duplicate employee_id 'E0012' (first seen on line 3)",
	           NULL);
	CHECK_DIAG(&d, 3, 8, 1, "duplicate employee_id 'E0013' (first seen on line 5)",
	           NULL);
	CHECK_DIAG(&d, 4, 9, 1, "duplicate employee_id 'E0012' (first seen on line 3)",
	           NULL);
	koe_diags_free(&d);
}

/* Ids are compared exactly after trimming: "E1" and "e1" are different
 * people, " E1 " and "E1" are not. */
static void
employee_id_comparison(void)
{
	static const char csv[] = "employee_id\nE1\ne1\n\" E1 \"\n";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse(csv, sizeof(csv) - 1, NULL, 0, &r, &d), KOE_EINVAL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 4, 1, "duplicate employee_id 'E1' (first seen on line 2)",
	           NULL);
	koe_diags_free(&d);
}

/* A long id is shortened in the message so that it stays one readable line.
 * (A multi-line id is refused for its line break: test_roster_segment_values.) */
static void
employee_id_shown_shortened(void)
{
	static const char csv[] =
		"employee_id\n"
		"\"ABCDEFGHIJ KLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789\"\n"
		"\"ABCDEFGHIJ KLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789\"\n";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse(csv, sizeof(csv) - 1, NULL, 0, &r, &d), KOE_EINVAL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 3, 1,
	           "duplicate employee_id 'ABCDEFGHIJ KLMNOPQRSTUVWXYZabcdefghijklmnopqrstu..."
	           "' (first seen on line 2)", NULL);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(employee_id_empty_and_duplicate);
	RUN(employee_id_comparison);
	RUN(employee_id_shown_shortened);
	return harness_done();
}
