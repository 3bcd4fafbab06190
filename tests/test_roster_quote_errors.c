/* A quote that is never closed swallows the rest of the file: it is reported
 * where it opens, once. Text after a closing quote (a quote that should have
 * been doubled) is reported where the stray text starts. */
#include "roster_testlib.h"

static const char HINT[] = "a quote inside a quoted value must be doubled (\"\")";
static const char *const SEGS[] = {"department"};

static void
unterminated_quote(void)
{
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("errors_unterminated_quote.csv", SEGS, 1, &r, &d),
	          KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 3, 4,
	           "quoted value is never closed: the quote opened here runs to "
	           "the end of the file", HINT);
	koe_diags_free(&d);
}

static void
text_after_closing_quote(void)
{
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("errors_text_after_quote.csv", SEGS, 1, &r, &d),
	          KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 2, 13, "unexpected text after a closing quote", HINT);
	koe_diags_free(&d);
}

/* An unterminated quote in the header stops the parse after that one error. */
static void
unterminated_quote_in_header(void)
{
	static const char csv[] = "employee_id,\"department\nE1,A\n";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse(csv, sizeof(csv) - 1, SEGS, 1, &r, &d), KOE_EINVAL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 1, 13,
	           "quoted value is never closed: the quote opened here runs to "
	           "the end of the file", HINT);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(unterminated_quote);
	RUN(text_after_closing_quote);
	RUN(unterminated_quote_in_header);
	return harness_done();
}
