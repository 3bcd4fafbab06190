/* Windows editors save with CRLF line ends and a UTF-8 byte order mark. The
 * same questionnaire saved that way parses to the same survey, and error
 * positions are unchanged. */
#include "harness.h"
#include "koe/qn.h"

/* Returns a copy of text with a BOM in front and every \n turned into \r\n. */
static char *
windows_copy(const char *text, size_t len, size_t *outlen)
{
	char *out = malloc(len * 2 + 4);
	size_t n = 0;
	memcpy(out, "\xEF\xBB\xBF", 3);
	n = 3;
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\n')
			out[n++] = '\r';
		out[n++] = text[i];
	}
	*outlen = n;
	return out;
}

static void
same_survey(void)
{
	struct koe_diags d = {0};
	struct qn_survey *a = NULL, *b = NULL;
	size_t len, wlen;
	char *buf = slurp(data_path("qn-good/every-type.txt"), &len);
	char *win = windows_copy(buf, len, &wlen);

	CHECK_INT(qn_parse(buf, len, "x.txt", &a, &d), KOE_OK);
	CHECK_INT(qn_parse(win, wlen, "x.txt", &b, &d), KOE_OK);
	/* The same warning (the script in the first question) from each. */
	CHECK_INT(koe_diags_errors(&d), 0);
	CHECK_INT(d.nwarn, 2);
	if (d.n == 2)
		CHECK_INT(d.v[1].col, d.v[0].col);
	if (a && b) {
		CHECK_STR(b->id, a->id);
		CHECK_STR(b->title, a->title);
		CHECK_INT(b->nquestions, a->nquestions);
		CHECK_INT(b->nitems, a->nitems);
		for (size_t i = 0; i < a->nquestions && i < b->nquestions; i++) {
			CHECK_STR(b->questions[i].text, a->questions[i].text);
			CHECK_INT(b->questions[i].line, a->questions[i].line);
			for (size_t c = 0; c < a->questions[i].nchoices; c++)
				CHECK_STR(b->questions[i].choices[c].text,
				          a->questions[i].choices[c].text);
		}
		for (size_t i = 0; i < a->nitems && i < b->nitems; i++)
			CHECK_STR(b->items[i].key, a->items[i].key);
		/* No carriage return leaks into any text. */
		for (size_t i = 0; i < b->nquestions; i++)
			CHECK(strchr(b->questions[i].text, '\r') == NULL);
	}
	qn_survey_free(a);
	qn_survey_free(b);
	koe_diags_free(&d);
	free(buf);
	free(win);
}

static void
same_error_position(void)
{
	static const char text[] = "[[AdvancedFormat]]\n[[Survey:x]]\n[[Question:Matirx]]\n質問\n";
	struct koe_diags d = {0};
	struct qn_survey *s = NULL;
	size_t wlen;
	char *win = windows_copy(text, sizeof(text) - 1, &wlen);

	CHECK_INT(qn_parse(win, wlen, "x.txt", &s, &d), KOE_EINVAL);
	CHECK_INT(d.n, 1);
	if (d.n) {
		CHECK_INT(d.v[0].line, 3);
		CHECK_INT(d.v[0].col, 12);
		CHECK_STR(d.v[0].message, "unknown question type 'Matirx'");
		CHECK_STR(d.v[0].hint, "did you mean 'Matrix'?");
	}
	koe_diags_free(&d);
	free(win);
}

int
main(void)
{
	RUN(same_survey);
	RUN(same_error_position);
	return harness_done();
}
