/* Hard limits: input size, rows, header columns (these stop the parse with
 * KOE_ETOOBIG) and the length of a value koe reads (an ordinary error; long
 * values in ignored columns are fine). */
#include "roster_testlib.h"

static void
limits_value_too_long(void)
{
	static const char *const segs[] = {"department"};
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("errors_too_long.csv", segs, 1, &r, &d), KOE_EINVAL);
	CHECK(r == NULL);
	CHECK_INT(d.n, 3);
	/* Line 2: the 1024-byte id fits, the 1025-byte name and the 1026-byte
	 * department (342 three-byte characters) do not; columns count
	 * characters. The 5000-byte memo is not read. */
	CHECK_DIAG(&d, 0, 2, 1026,
	           "value of column 'name' is too long (1025 bytes; at most 1024)", NULL);
	CHECK_DIAG(&d, 1, 2, 2052,
	           "value of column 'department' is too long (1026 bytes; at most 1024)",
	           NULL);
	CHECK_DIAG(&d, 2, 3, 1,
	           "value of column 'employee_id' is too long (1025 bytes; at most 1024)",
	           NULL);
	koe_diags_free(&d);
}

static void
limits_too_many_rows(void)
{
	static const char csv[] = "employee_id\nE1\nE2\n\nE3\nE4\nE5\n";
	struct roster_limits lim = {.max_rows = 3};
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse_limits(csv, sizeof(csv) - 1, NULL, 0, &lim, &r, &d),
	          KOE_ETOOBIG);
	CHECK(r == NULL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 6, 1, "too many rows: at most 3 are supported",
	           "split the roster or remove rows that are not employees");
	koe_diags_free(&d);

	/* Exactly at the limit is fine. */
	CHECK_INT(roster_parse_limits(csv, 22, NULL, 0, &lim, &r, &d), KOE_OK);
	CHECK(r != NULL && r->nrows == 3);
	roster_free(r);
	koe_diags_free(&d);
}

static void
limits_too_many_columns(void)
{
	static const char csv[] = "employee_id,a,b,c,d\nE1,1,2,3,4\n";
	struct roster_limits lim = {.max_cols = 4};
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse_limits(csv, sizeof(csv) - 1, NULL, 0, &lim, &r, &d),
	          KOE_ETOOBIG);
	CHECK(r == NULL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 1, 1, "the header has 5 columns; at most 4 are supported",
	           "remove the columns koe does not need");
	koe_diags_free(&d);
}

/* The default column limit is ROSTER_MAX_COLS. */
static void
limits_default_columns(void)
{
	char *csv = malloc(ROSTER_MAX_COLS * 8 + 64);
	size_t o = 0;
	struct roster *r = NULL;
	struct koe_diags d = {0};

	o += (size_t)sprintf(csv + o, "employee_id");
	for (size_t j = 1; j <= ROSTER_MAX_COLS; j++)
		o += (size_t)sprintf(csv + o, ",c%zu", j);
	o += (size_t)sprintf(csv + o, "\n");
	CHECK_INT(roster_parse(csv, o, NULL, 0, &r, &d), KOE_ETOOBIG);
	CHECK_DIAG(&d, 0, 1, 1, "the header has 257 columns; at most 256 are supported",
	           "remove the columns koe does not need");
	koe_diags_free(&d);
	free(csv);
}

static void
limits_input_size(void)
{
	static const char csv[] = "employee_id\nE1\n";
	struct roster_limits lim = {.max_bytes = 10};
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse_limits(csv, sizeof(csv) - 1, NULL, 0, &lim, &r, &d),
	          KOE_ETOOBIG);
	CHECK(r == NULL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, 0, 0, "the file is too large (15 bytes; at most 10)",
	           "split the roster or remove columns koe does not need");
	koe_diags_free(&d);
}

/* The default size limit is checked before a byte is read, so a buffer one
 * byte over it is refused at once. */
static void
limits_default_input_size(void)
{
	char *big = malloc(ROSTER_MAX_BYTES + 1);
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK(big != NULL);
	if (big == NULL)
		return;
	CHECK_INT(roster_parse(big, ROSTER_MAX_BYTES + 1, NULL, 0, &r, &d), KOE_ETOOBIG);
	CHECK_DIAG(&d, 0, 0, 0,
	           "the file is too large (67108865 bytes; at most 67108864)",
	           "split the roster or remove columns koe does not need");
	koe_diags_free(&d);
	free(big);
}

/* Zero members of roster_limits mean the defaults. */
static void
limits_zero_means_default(void)
{
	static const char csv[] = "employee_id\nE1\n";
	struct roster_limits lim = {0};
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse_limits(csv, sizeof(csv) - 1, NULL, 0, &lim, &r, &d),
	          KOE_OK);
	roster_free(r);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(limits_value_too_long);
	RUN(limits_too_many_rows);
	RUN(limits_too_many_columns);
	RUN(limits_default_columns);
	RUN(limits_input_size);
	RUN(limits_default_input_size);
	RUN(limits_zero_means_default);
	return harness_done();
}
