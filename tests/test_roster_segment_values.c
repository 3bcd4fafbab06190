/* Every row needs a value in every segment column, and '*' is reserved for
 * the groups koe merges to keep k-anonymity (docs/ARCHITECTURE.md §4.2). */
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

/* Control characters in an id, an address or a segment value are refused
 * with the code point; a line break says where it likely came from. A line
 * break in a name is valid CSV and kept. */
static void
control_characters_refused(void)
{
	static const char csv[] =
		"employee_id,email,name,department,tenure\n"
		"E1,a@example.jp,\"two\nlines\",営業部,3-5\n"
		"E\x01,b@example.jp,B,営業部,3-5\n"
		"E3,\"c@example.jp\r\nBcc: x@evil.example\",C,営業部,3-5\n"
		"E4,d@example.jp,D,\"営業\n部\",3-5\n"
		"E5,e@example.jp,E,営業部\x7f,3-5\n"
		"E6,f@example.jp,F,営業部,\xc2\x85\n"
		"E7,g@example.jp,G\x1b[31m,営業部,3-5\n"
		"E8,h@example.jp,\xc2\xa0H,営業部,3-5\n";
	static const char br[] = "a line break inside a cell (Alt+Enter in Excel)";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse(csv, sizeof(csv) - 1, ROSTER_SEGS, 2, &r, &d), KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 6);
	CHECK_DIAG(&d, 0, 4, 1,
	           "value of column 'employee_id' contains the control character U+0001", NULL);
	CHECK_DIAG(&d, 1, 5, 4, "value of column 'email' contains the control character U+000D",
	           br);
	CHECK_DIAG(&d, 2, 7, 19,
	           "value of column 'department' contains the control character U+000A", br);
	CHECK_DIAG(&d, 3, 9, 19,
	           "value of column 'department' contains the control character U+007F", NULL);
	CHECK_DIAG(&d, 4, 10, 23, "value of column 'tenure' contains the control character U+0085",
	           NULL);
	CHECK_DIAG(&d, 5, 11, 17, "value of column 'name' contains the control character U+001B",
	           NULL);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(control_characters_refused);
	RUN(segment_values_missing_or_reserved);
	RUN(segment_column_named_as_in_file);
	return harness_done();
}
