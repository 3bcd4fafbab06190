/* A roster saved by Japanese Excel as "CSV (comma delimited)" is CP932 with
 * CRLF. It is converted to UTF-8 with CP932's own mappings: 髙 (IBM
 * extension) and ① (NEC special) exist only in CP932, and the bytes 0x8160
 * and 0x817C mean U+FF5E and U+FF0D there (plain Shift_JIS would give U+301C
 * and U+2212). Half-width katakana come through as half-width. */
#include "roster_testlib.h"

static void
cp932_converts_to_utf8(void)
{
	struct roster *r = NULL;
	struct koe_diags d = {0};

	CHECK_INT(parse_fixture("cp932.csv", ROSTER_SEGS, 2, &r, &d), KOE_OK);
	CHECK_INT(d.n, 0);
	CHECK(r != NULL);
	if (r == NULL)
		goto done;
	CHECK_INT(r->nrows, 4);

	CHECK_STR(r->rows[0].employee_id, "J001");
	CHECK_STR(r->rows[0].name, "\xE9\xAB\x99橋 誠"); /* 髙 U+9AD9 */
	CHECK_STR(r->rows[0].segments[0], "営業部");
	CHECK_STR(r->rows[0].segments[1], "3-5y");

	CHECK_STR(r->rows[1].email, "");
	CHECK_STR(r->rows[1].name, "ｻﾄｳ ｹﾝ\xEF\xBD\xB0"); /* ｰ U+FF70 */
	CHECK_STR(r->rows[1].segments[0], "開発部\xE2\x91\xA0"); /* ① U+2460 */

	CHECK_STR(r->rows[2].name, "木村\xEF\xBD\x9Eさくら"); /* ～ U+FF5E */
	CHECK_STR(r->rows[2].segments[0], "開発部");
	CHECK_STR(r->rows[2].segments[1], "\xEF\xBC\x8D"); /* － U+FF0D */

	/* Quoting still works after conversion. */
	CHECK_STR(r->rows[3].name, "田中, 次郎");
	CHECK_STR(r->rows[3].segments[0], "総務部");
	CHECK_STR(r->rows[3].segments[1], "10y+");
	CHECK_INT(r->rows[3].line, 5);
done:
	roster_free(r);
	koe_diags_free(&d);
}

int
main(void)
{
	RUN(cp932_converts_to_utf8);
	return harness_done();
}
