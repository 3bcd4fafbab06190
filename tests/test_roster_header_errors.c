/* Header problems: no employee_id column, a segment column the survey needs
 * is missing (the hint lists the columns found and a likely misspelling), and
 * a column koe reads appears twice. */
#include "roster_testlib.h"

static void
header_without_employee_id(void)
{
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("errors_no_employee_id.csv", ROSTER_SEGS, 2, &r, &d),
	          KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 1, 1, "the header has no 'employee_id' column",
	           "columns found: id, email, name, department, tenure");
	koe_diags_free(&d);
}

static void
header_missing_columns_with_typos(void)
{
	static const char found[] = "columns found: employee_no, email, Departmnt, team";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("errors_header_typos.csv", ROSTER_SEGS, 2, &r, &d),
	          KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 3);
	CHECK_DIAG(&d, 0, 1, 1, "the header has no 'employee_id' column",
	           "is 'employee_no' a misspelling? columns found: employee_no, "
	           "email, Departmnt, team");
	CHECK_DIAG(&d, 1, 1, 1,
	           "the header has no 'department' column, which the survey uses "
	           "as a segment",
	           "is 'Departmnt' a misspelling? columns found: employee_no, "
	           "email, Departmnt, team");
	CHECK_DIAG(&d, 2, 1, 1,
	           "the header has no 'tenure' column, which the survey uses as a "
	           "segment", found);
	koe_diags_free(&d);
}

/* EMAIL repeats Email and Department repeats department (case does not make
 * them different); the repeated unknown column memo is harmless. */
static void
header_duplicate_columns(void)
{
	static const char *const segs[] = {"department"};
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("errors_duplicate_columns.csv", segs, 1, &r, &d),
	          KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 2);
	CHECK_DIAG(&d, 0, 1, 35, "duplicate column name 'EMAIL' (same as column 2)",
	           NULL);
	CHECK_DIAG(&d, 1, 1, 51,
	           "duplicate column name 'Department' (same as column 4)", NULL);
	koe_diags_free(&d);
}

/* The header is the first non-blank line, wherever it is. */
static void
header_line_after_blank_lines(void)
{
	static const char csv[] = "\n\nid,department\nE1,A\n";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse(csv, sizeof(csv) - 1, ROSTER_SEGS, 1, &r, &d),
	          KOE_EINVAL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 3, 1, "the header has no 'employee_id' column",
	           "columns found: id, department");
	koe_diags_free(&d);
}

/* A wide header is listed only as far as fits one readable hint. */
static void
header_wide_list_shortened(void)
{
	char csv[4096];
	size_t o = 0;
	struct roster *r = NULL;
	struct koe_diags d = {0};

	for (int j = 1; j <= 60; j++)
		o += (size_t)sprintf(csv + o, "%s部署の長い列名%02d", j > 1 ? "," : "", j);
	o += (size_t)sprintf(csv + o, "\n");
	CHECK_INT(roster_parse(csv, o, NULL, 0, &r, &d), KOE_EINVAL);
	CHECK_INT(d.n, 2); /* and: no rows */
	if (d.n == 2 && d.v[0].hint != NULL) {
		const char *h = d.v[0].hint;
		size_t len = strlen(h);

		CHECK(strncmp(h, "columns found: 部署の長い列名01, 部署の長い列名02, ", 54) == 0);
		CHECK(len < 400);
		CHECK(len > 5 && strcmp(h + len - 5, ", ...") == 0);
	}
	koe_diags_free(&d);
}

/* A tab- or semicolon-separated file has a single header column; the hint
 * says what is wrong instead of listing that one odd column. */
static void
header_not_comma_separated(void)
{
	static const char tsv[] = "employee_id\tdepartment\nE1\t営業部\n";
	static const char ssv[] = "employee_id;department\nE1;営業部\n";
	static const char hint[] =
		"the header is one single column, so the file seems to be separated "
		"by tabs or semicolons, not commas; in Excel, use File > Save As and "
		"choose \"CSV UTF-8 (Comma delimited) (*.csv)\"";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse(tsv, sizeof(tsv) - 1, ROSTER_SEGS, 1, &r, &d), KOE_EINVAL);
	CHECK_INT(d.n, 2);
	CHECK_DIAG(&d, 0, 1, 1, "the header has no 'employee_id' column", hint);
	CHECK_DIAG(&d, 1, 1, 1, "the header has no 'department' column, which the "
	                        "survey uses as a segment", hint);
	koe_diags_free(&d);

	CHECK_INT(roster_parse(ssv, sizeof(ssv) - 1, NULL, 0, &r, &d), KOE_EINVAL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 1, 1, "the header has no 'employee_id' column", hint);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(header_without_employee_id);
	RUN(header_missing_columns_with_typos);
	RUN(header_duplicate_columns);
	RUN(header_line_after_blank_lines);
	RUN(header_wide_list_shortened);
	RUN(header_not_comma_separated);
	return harness_done();
}
