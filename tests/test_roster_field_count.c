/* A record with more or fewer fields than the header is reported with both
 * counts, at the line the record starts on; an unquoted comma gets a hint. */
#include "roster_testlib.h"

static void
field_count_mismatch(void)
{
	static const char *const segs[] = {"department"};
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("errors_field_count.csv", segs, 1, &r, &d), KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 2);
	CHECK_DIAG(&d, 0, 3, 1, "expected 3 fields as in the header, got 4",
	           "a value that contains a comma must be enclosed in double quotes");
	CHECK_DIAG(&d, 1, 4, 1, "expected 3 fields as in the header, got 2", NULL);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(field_count_mismatch);
	return harness_done();
}
