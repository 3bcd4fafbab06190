/* docs/ARCHITECTURE.md §5.1, §8: question texts reach the report as text.
 * The flagship survey with Qualtrics-style HTML in a Matrix row, a
 * question and a choice (styled spans, strong, em, u, p, an <img> with a
 * handler, a <script>, &nbsp;) gives a PDF and a JSON that print the words,
 * never a tag, an entity or the script. */
#include <ctype.h>

#include "report_testlib.h"

static struct fixture f;

static const char *const edits[][2] = {
	{"会社はアルムナイ制度を導入すべきだ",
	 "<span style=\"color:red\">会社は</span><strong>アルムナイ制度</strong>を導入すべきだ&nbsp;"
	 "<script>stolen()</script>"},
	{"退職時の処遇を基準にする", "<em>退職時</em>の処遇を<u>基準</u>にする<img src=x onerror=alert(1)>"},
	{"退職者を再雇用する場合、", "<p class=\"QuestionText\">退職者を再雇用する場合、</p>"},
};

/* s with every `from` replaced by `to` (s is freed). */
static char *
replace(char *s, size_t *len, const char *from, const char *to)
{
	size_t fl = strlen(from), tl = strlen(to), n = 0;
	char *out = malloc(*len * (tl + 1) + 1);
	if (out == NULL)
		exit(2);
	for (size_t i = 0; i < *len;) {
		if (i + fl <= *len && memcmp(s + i, from, fl) == 0) {
			memcpy(out + n, to, tl);
			n += tl;
			i += fl;
		} else {
			out[n++] = s[i++];
		}
	}
	out[n] = '\0';
	free(s);
	*len = n;
	return out;
}

static void
no_markup(const char *what, const char *text)
{
	static const char *const bad[] = {"&nbsp;", "&amp;", "stolen", "onerror", "style=",
	                                  "QuestionText"};
	/* A tag: '<' then a letter, '/' or '!' ("q < 0.05" is no tag). */
	for (const char *p = text; p && (p = strchr(p, '<')) != NULL; p++)
		if (isalpha((unsigned char)p[1]) || p[1] == '/' || p[1] == '!') {
			fprintf(stderr, "%s prints a tag: %.20s\n", what, p);
			CHECK(0);
		}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (rt_has(text, bad[i])) {
			fprintf(stderr, "%s prints '%s'\n", what, bad[i]);
			CHECK(0);
		}
}

static void
report_prints_words_not_markup(void)
{
	char *text, *json;
	size_t jl;

	CHECK_INT(rt_report(&f, NULL), 0);
	text = rt_pdftext(&f, "out.pdf", false);
	CHECK(rt_has(text, "会社はアルムナイ制度を導入すべきだ"));
	CHECK(rt_has(text, "退職時の処遇を基準にする"));
	no_markup("the PDF", text);
	json = rt_read(&f, "out.json", &jl);
	CHECK(rt_has(json, "会社はアルムナイ制度を導入すべきだ"));
	no_markup("the JSON", json);
	free(text);
	free(json);
}

int
main(void)
{
	static const struct rt_group groups[] = {{"g01", "営業部", 10}, {"g02", "開発部", 10}};
	struct rt_resp r[12];
	size_t len;
	char *src = rt_survey_source(NULL, NULL, &len);
	for (size_t i = 0; i < sizeof(edits) / sizeof(edits[0]); i++)
		src = replace(src, &len, edits[i][0], edits[i][1]);
	rt_up(&f, src, len, groups, 2);
	for (int k = 0; k < 12; k++)
		r[k] = (struct rt_resp){k % 2 ? "g01" : "g02", 2 + k % 4, 3, 3, 2 + k % 3, 3, k % 11,
		                        0, 1 + k % 3, NULL};
	rt_respond(&f, r, 12);
	rt_close(&f);
	RUN(report_prints_words_not_markup);
	rt_down(&f);
	return harness_done();
}
