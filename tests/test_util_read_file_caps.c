/* util_read_file() reads a whole file with a size cap. */
#include <errno.h>

#include "roster_testlib.h"
#include "koe/util.h"

static void
load_file_reads_all(void)
{
	size_t want_len, len = 99;
	char *want = slurp(data_path("roster/utf8_lf.csv"), &want_len);
	char *bytes = NULL;

	CHECK_INT(util_read_file(data_path("roster/utf8_lf.csv"), ROSTER_MAX_BYTES,
	                           &bytes, &len), KOE_OK);
	CHECK_INT(len, want_len);
	if (bytes != NULL && len == want_len) {
		CHECK_MEM(bytes, want, len);
		CHECK_INT(bytes[len], '\0');
	}
	free(bytes);

	/* A cap equal to the size is enough. */
	CHECK_INT(util_read_file(data_path("roster/utf8_lf.csv"), want_len, &bytes,
	                           &len), KOE_OK);
	CHECK_INT(len, want_len);
	free(bytes);
	free(want);
}

static void
load_file_over_cap(void)
{
	size_t want_len, len = 99;
	char *want = slurp(data_path("roster/errors_too_long.csv"), &want_len);
	char *bytes = (char *)&len;

	CHECK_INT(util_read_file(data_path("roster/errors_too_long.csv"),
	                           want_len - 1, &bytes, &len), KOE_ETOOBIG);
	CHECK(bytes == NULL);
	CHECK_INT(len, 0);
	free(want);
}

static void
load_file_missing(void)
{
	size_t len;
	char *bytes;

	errno = 0;
	CHECK_INT(util_read_file(data_path("roster/no-such-file.csv"),
	                           ROSTER_MAX_BYTES, &bytes, &len), KOE_EIO);
	CHECK_INT(errno, ENOENT);
	CHECK(bytes == NULL);

	/* A directory opens but cannot be read. */
	CHECK_INT(util_read_file(data_path("roster"), ROSTER_MAX_BYTES, &bytes, &len),
	          KOE_EIO);
	CHECK_INT(errno, EISDIR);
}

static void
load_file_empty(void)
{
	size_t len = 99;
	char *bytes = NULL;

	CHECK_INT(util_read_file(data_path("roster/errors_empty.csv"),
	                           ROSTER_MAX_BYTES, &bytes, &len), KOE_OK);
	CHECK_INT(len, 0);
	CHECK(bytes != NULL && bytes[0] == '\0');
	free(bytes);
}

int
main(void)
{
	RUN(load_file_reads_all);
	RUN(load_file_over_cap);
	RUN(load_file_missing);
	RUN(load_file_empty);
	return harness_done();
}
