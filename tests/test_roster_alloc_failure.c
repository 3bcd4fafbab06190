/* Every allocation the parser makes may fail: make the 1st, 2nd, ... fail in
 * turn until a parse succeeds. Each failed parse returns KOE_ENOMEM, leaves
 * no roster and leaks nothing (the sanitizer build checks leaks). Covers the
 * UTF-8 path, the CP932 conversion, and a file full of errors. */
#include "roster_testlib.h"

/* Test hook in src/roster.c, see there. */
#include "koe/testhooks.h"

static void
fail_each_allocation(const char *fixture, enum koe_err final)
{
	size_t len;
	char rel[128];
	char *bytes;
	long n;

	snprintf(rel, sizeof(rel), "roster/%s", fixture);
	bytes = slurp(data_path(rel), &len);
	for (n = 1; n < 10000; n++) {
		struct roster *r = (struct roster *)&r;
		struct koe_diags d = {0};
		enum koe_err err;

		testhook_roster_faults = n;
		err = roster_parse(bytes, len, ROSTER_SEGS, 2, &r, &d);
		/* Still positive: the parse made fewer than n allocations. */
		if (testhook_roster_faults > 0) {
			testhook_roster_faults = 0;
			CHECK_INT(err, final);
			CHECK(final == KOE_OK ? r != NULL : r == NULL);
			roster_free(r);
			koe_diags_free(&d);
			break;
		}
		CHECK_INT(err, KOE_ENOMEM);
		CHECK(r == NULL);
		koe_diags_free(&d);
	}
	CHECK(n > 3);
	CHECK(n < 10000);
	free(bytes);
}

static void
alloc_failure_utf8(void)
{
	fail_each_allocation("utf8_lf.csv", KOE_OK);
}

static void
alloc_failure_cp932(void)
{
	fail_each_allocation("cp932.csv", KOE_OK);
}

static void
alloc_failure_with_errors(void)
{
	fail_each_allocation("errors_many.csv", KOE_EINVAL);
}

static void
alloc_failure_header_errors(void)
{
	fail_each_allocation("errors_header_typos.csv", KOE_EINVAL);
}

int
main(void)
{
	RUN(alloc_failure_utf8);
	RUN(alloc_failure_cp932);
	RUN(alloc_failure_with_errors);
	RUN(alloc_failure_header_errors);
	return harness_done();
}
