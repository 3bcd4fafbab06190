/* Every row needs a value in every segment column, and '*' is reserved for
 * the groups koe merges to keep k-anonymity (DESIGN.md §4.2). */
#include "roster_testlib.h"

static void
segment_values_missing_or_reserved(void)
{
	static const char star_hint[] =
		"koe writes '*' for small groups merged to keep answers anonymous";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("errors_segment_values.csv", ROSTER_SEGS, 2, &r, &d),
	          KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 6);
	CHECK_DIAG(&d, 0, 3, 4, "missing value for segment column 'department'", NULL);
	CHECK_DIAG(&d, 1, 4, 8, "missing value for segment column 'tenure'", NULL);
	CHECK_DIAG(&d, 2, 5, 4, "missing value for segment column 'department'", NULL);
	CHECK_DIAG(&d, 3, 5, 9, "missing value for segment column 'tenure'", NULL);
	CHECK_DIAG(&d, 4, 6, 4, "'*' cannot be a value of segment column 'department'",
	           star_hint);
	CHECK_DIAG(&d, 5, 7, 5, "'*' cannot be a value of segment column 'department'",
	           star_hint);
	koe_diags_free(&d);
}

/* The message names the column as the file spells it. */
static void
segment_column_named_as_in_file(void)
{
	static const char csv[] = "Employee_ID,Department\nE1,\n";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse(csv, sizeof(csv) - 1, ROSTER_SEGS, 1, &r, &d), KOE_EINVAL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 2, 4, "missing value for segment column 'Department'", NULL);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(segment_values_missing_or_reserved);
	RUN(segment_column_named_as_in_file);
	return harness_done();
}
