/* RFC 4180 quoting: commas, doubled quotes and line breaks inside quotes, and
 * the line numbers of the records that follow a multi-line value. Quoted
 * header names, spaces around quotes, an empty quoted value, and a quote in
 * the middle of an unquoted value (taken literally, as Excel does). */
#include "roster_testlib.h"

static const char *const SEGS[] = {"department", "tenure"};

static void
quoting_values_and_lines(void)
{
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("quoting.csv", SEGS, 2, &r, &d), KOE_OK);
	CHECK_INT(d.n, 0);
	CHECK(r != NULL);
	if (r == NULL)
		goto done;
	CHECK_INT(r->nrows, 7);
	CHECK_INT(r->has_email, 0);

	CHECK_STR(r->rows[0].employee_id, "Q1");
	CHECK_STR(r->rows[0].name, "Tanaka, Taro");
	CHECK_STR(r->rows[0].segments[0], "営業部");
	CHECK_INT(r->rows[0].line, 2);

	CHECK_STR(r->rows[1].name, "She said \"hi\"");
	CHECK_INT(r->rows[1].line, 3);

	CHECK_STR(r->rows[2].name, "two\nlines");
	CHECK_INT(r->rows[2].line, 4);

	/* Line breaks inside quotes are kept as the file has them. */
	CHECK_STR(r->rows[3].name, "crlf\r\ninside\r\nquotes");
	CHECK_INT(r->rows[3].line, 6);

	CHECK_STR(r->rows[4].employee_id, "Q5");
	CHECK_STR(r->rows[4].name, "spaced");
	CHECK_STR(r->rows[4].segments[0], "人事部");
	CHECK_INT(r->rows[4].line, 9);

	CHECK_STR(r->rows[5].name, "");
	CHECK_INT(r->rows[5].line, 10);

	CHECK_STR(r->rows[6].name, "a\"b");
	CHECK_STR(r->rows[6].segments[1], "7");
	CHECK_INT(r->rows[6].line, 11);
done:
	roster_free(r);
	koe_diags_free(&d);
}

/* An error in the record after a multi-line value names the record's own
 * first line, and a value on the second line of a record gets that line and
 * its column there. */
static void
quoting_error_lines_after_multiline(void)
{
	static const char csv[] =
		"employee_id,name,department\n"
		"E1,\"line one\nline two\",営業部\n"
		"E2,\"x\ny\",\n"
		"E1,B,開発部\n";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse(csv, sizeof(csv) - 1, SEGS, 1, &r, &d), KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 2);
	CHECK_DIAG(&d, 0, 5, 4, "missing value for segment column 'department'", NULL);
	CHECK_DIAG(&d, 1, 6, 1, "duplicate employee_id 'E1' (first seen on line 2)",
	           NULL);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(quoting_values_and_lines);
	RUN(quoting_error_lines_after_multiline);
	return harness_done();
}
