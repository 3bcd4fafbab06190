/* Bytes that are neither UTF-8 nor Shift_JIS give one error that says so and
 * how to save the file from Excel, placed where the likelier encoding breaks:
 * after Japanese UTF-8 text at the first bad UTF-8 byte, after plain ASCII at
 * the first byte Shift_JIS cannot read. A UTF-8 BOM means UTF-8 for sure. */
#include "roster_testlib.h"

static const char SAVE_AS[] =
	"in Excel, use File > Save As and choose \"CSV UTF-8 (Comma delimited) (*.csv)\"";

static void
check_encoding_error(const char *fixture, int line, int col, const char *msg)
{
	struct roster *r = (struct roster *)&r;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture(fixture, ROSTER_SEGS, 1, &r, &d), KOE_EENCODING);
	CHECK(r == NULL);
	CHECK_INT(d.n, 1);
	CHECK_DIAG(&d, 0, line, col, msg, SAVE_AS);
	koe_diags_free(&d);
}

static void
encoding_latin1(void)
{
	check_encoding_error("enc_latin1.csv", 2, 8,
	                     "the file is neither UTF-8 nor Shift_JIS text "
	                     "(unexpected byte 0xE9)");
}

static void
encoding_utf8_then_latin1(void)
{
	check_encoding_error("enc_utf8_then_latin1.csv", 3, 8,
	                     "the file is neither UTF-8 nor Shift_JIS text "
	                     "(unexpected byte 0xE9)");
}

static void
encoding_bad_shift_jis(void)
{
	check_encoding_error("enc_sjis_bad.csv", 3, 5,
	                     "the file is neither UTF-8 nor Shift_JIS text "
	                     "(unexpected byte 0x80)");
}

static void
encoding_truncated_utf8(void)
{
	check_encoding_error("enc_truncated_utf8.csv", 3, 6,
	                     "the file is neither UTF-8 nor Shift_JIS text "
	                     "(unexpected byte 0xE5)");
}

static void
encoding_bom_then_shift_jis(void)
{
	check_encoding_error("enc_bom_then_sjis.csv", 2, 4,
	                     "the file is marked as UTF-8 but byte 0x8E here is "
	                     "not UTF-8");
}

static void
encoding_utf16(void)
{
	check_encoding_error("enc_utf16.csv", 0, 0,
	                     "the file is UTF-16 (\"Unicode Text\"), which is "
	                     "neither UTF-8 nor Shift_JIS");
}

static void
encoding_nul_byte(void)
{
	check_encoding_error("enc_nul.csv", 2, 5,
	                     "the file contains a zero byte, so it is not a CSV "
	                     "text file");
}

/* An overlong form (C0 AF for '/') is not UTF-8, so the bytes are read as
 * CP932, where they are two half-width katakana. */
static void
encoding_overlong_is_not_utf8(void)
{
	static const char csv[] = "employee_id\nE\xC0\xAF\n";
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(roster_parse(csv, sizeof(csv) - 1, NULL, 0, &r, &d), KOE_OK);
	CHECK(r != NULL);
	if (r != NULL)
		CHECK_STR(r->rows[0].employee_id, "E\xEF\xBE\x80\xEF\xBD\xAF");
	roster_free(r);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(encoding_latin1);
	RUN(encoding_utf8_then_latin1);
	RUN(encoding_bad_shift_jis);
	RUN(encoding_truncated_utf8);
	RUN(encoding_bom_then_shift_jis);
	RUN(encoding_utf16);
	RUN(encoding_nul_byte);
	RUN(encoding_overlong_is_not_utf8);
	return harness_done();
}
