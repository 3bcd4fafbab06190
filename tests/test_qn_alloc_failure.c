/* Every allocation the questionnaire parser takes from its arena may fail:
 * make the 1st, 2nd, ... fail in turn until a parse succeeds. Each failed
 * parse returns KOE_ENOMEM, leaves no survey and leaks nothing (the
 * sanitizer build checks leaks); the first parse that is not cut short gives
 * the same result as one that never was. Covers the flagship survey, every
 * question type and tag, and a file full of errors. */
#include "harness.h"
#include "koe/qn.h"

#include "koe/testhooks.h"

static void
fail_each_allocation(const char *path, enum koe_err final)
{
	size_t len;
	char *bytes = slurp(path, &len);
	long n;

	for (n = 1; n < 100000; n++) {
		struct qn_survey *s = (struct qn_survey *)&s;
		struct koe_diags d = {0};
		enum koe_err err;

		testhook_arena_faults = n;
		err = qn_parse(bytes, len, "alloc-failure.txt", &s, &d);
		/* Still positive: the parse made fewer than n allocations. */
		if (testhook_arena_faults > 0) {
			testhook_arena_faults = 0;
			CHECK_INT(err, final);
			CHECK(final == KOE_OK ? s != NULL : s == NULL);
			qn_survey_free(s);
			koe_diags_free(&d);
			break;
		}
		if (err != KOE_ENOMEM)
			fprintf(stderr, "%s: allocation %ld failed, parse returned %d\n", path, n, err);
		CHECK_INT(err, KOE_ENOMEM);
		CHECK(s == NULL);
		koe_diags_free(&d);
	}
	testhook_arena_faults = 0;
	CHECK(n > 10);
	CHECK(n < 100000);
	free(bytes);
}

static void
alloc_failure_flagship(void)
{
	char path[512];
	const char *src = getenv("KOE_SRC");
	snprintf(path, sizeof(path), "%s/surveys/alumni-readiness.txt", src ? src : "..");
	fail_each_allocation(path, KOE_OK);
}

static void
alloc_failure_every_type(void)
{
	fail_each_allocation(data_path("qn-good/every-type.txt"), KOE_OK);
}

static void
alloc_failure_plain_qualtrics(void)
{
	fail_each_allocation(data_path("qualtrics-plain.txt"), KOE_OK);
}

static void
alloc_failure_with_errors(void)
{
	fail_each_allocation(data_path("qn-bad/several-errors.txt"), KOE_EINVAL);
}

int
main(void)
{
	RUN(alloc_failure_flagship);
	RUN(alloc_failure_every_type);
	RUN(alloc_failure_plain_qualtrics);
	RUN(alloc_failure_with_errors);
	return harness_done();
}
