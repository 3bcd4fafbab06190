/* An empty file, a file of blank lines, and a header without rows are
 * errors for the whole file (line 0). */
#include "roster_testlib.h"

static const char HINT[] = "the first row names the columns, e.g. "
                           "employee_id,email,name,department,tenure";

static void
empty_file(void)
{
	struct roster *r = (struct roster *)&r;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("errors_empty.csv", ROSTER_SEGS, 2, &r, &d), KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 0, 0, "the file is empty; a roster needs a header row", HINT);
	koe_diags_free(&d);
}

static void
only_blank_lines(void)
{
	static const char csv[] = "\n\r\n  \n,,,\n";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse(csv, sizeof(csv) - 1, ROSTER_SEGS, 2, &r, &d), KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 0, 0, "the file is empty; a roster needs a header row", HINT);
	koe_diags_free(&d);
}

static void
header_without_rows(void)
{
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("errors_header_only.csv", ROSTER_SEGS, 2, &r, &d),
	          KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 0, 0, "the roster has a header but no rows", NULL);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(empty_file);
	RUN(only_blank_lines);
	RUN(header_without_rows);
	return harness_done();
}
