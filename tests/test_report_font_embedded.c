/* docs/ARCHITECTURE.md §8: Japanese text is set in IPAex Gothic, embedded in the PDF
 * (as a subset) with a Unicode map, so the PDF reads the same everywhere
 * and its text can be searched and copied. */
#include "report_testlib.h"

static struct fixture f;

static void
font_is_embedded(void)
{
	char *fonts;
	CHECK_INT(rt_report(&f, NULL), 0);
	CHECK_INT(rt_sh(&f, "pdffonts out.pdf"), 0);
	fonts = rt_read(&f, "out", NULL);
	/* name, type, encoding, then emb sub uni. */
	const char *line = fonts ? strstr(fonts, "IPAexGothic") : NULL;
	CHECK(line != NULL);
	CHECK(line && strstr(line, "CID TrueType") != NULL);
	CHECK(line && strstr(line, "yes yes yes") != NULL);
	/* One font only: nothing falls back to an unembedded standard font. */
	int n = 0;
	for (const char *p = fonts; p && (p = strstr(p, "\n")); p++)
		n++;
	CHECK_INT(n, 3);
	free(fonts);
}

/* The Unicode map is a real ToUnicode CMap (bfrange), not libharu's
 * code-to-CID map that poppler rejects with "Invalid 'begincidrange'
 * operator in ToUnicode CMap": text extraction is silent and exact. */
static void
unicode_map_is_valid(void)
{
	char *err, *text;
	CHECK_INT(rt_sh(&f, "pdftotext out.pdf text.txt"), 0);
	err = rt_read(&f, "err", NULL);
	CHECK(err != NULL && err[0] == '\0');
	if (err && err[0])
		fprintf(stderr, "pdftotext said: %.300s\n", err);
	text = rt_read(&f, "text.txt", NULL);
	CHECK(rt_has(text, "要点"));
	CHECK(rt_has(text, "アルムナイ"));
	free(err);
	free(text);
}

int
main(void)
{
	static const struct rt_group groups[] = {{"g01", "営業部", 10}, {"g02", "開発部", 10}};
	struct rt_resp r[6];
	rt_up_alumni(&f, groups, 2);
	for (int k = 0; k < 6; k++)
		r[k] = (struct rt_resp){"g01", 4, 3, 3, 4, 3, 5, 0, 1, "全角と半角 ABC の混在"};
	rt_respond(&f, r, 6);
	rt_close(&f);
	RUN(font_is_embedded);
	RUN(unicode_map_is_valid);
	rt_down(&f);
	return harness_done();
}
