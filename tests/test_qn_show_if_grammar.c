/* The [[ShowIf]] grammar as the README documents it: every spelling in its
 * table is accepted and means what the table says (equality, one of several
 * values, ranges, a ticked choice of a multiple-answer question, a Matrix
 * row, and/or with "and" binding first, parentheses, keywords in any case,
 * spaces optional). Each case parses a small questionnaire with the
 * condition on its last question and evaluates it on answer sets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "koe/qn.h"

static const char head[] =
	"[[AdvancedFormat]]\n[[Survey:g]]\n"
	"[[Question:MC]]\n[[ID:a]]\nA\n[[Choices]]\n1\n2\n3\n"
	"[[Question:MC:MultipleAnswer]]\n[[ID:m]]\nM\n[[AdvancedChoices]]\n[[Choice:4]]\nx\n"
	"[[Choice:7]]\ny\n[[Choice:9]]\nz\n"
	"[[Question:NPS]]\n[[ID:enps]]\nN\n"
	"[[Question:Matrix]]\n[[ID:eng]]\nE\n[[Choices]]\nr1\nr2\n[[Answers]]\n1\n2\n3\n4\n5\n"
	"[[Question:TE:SingleLine]]\n[[ID:last]]\n";

/* Answers: a (0 none), m (bit mask over 4, 7, 9), enps (-1 none), eng.2. */
struct ans {
	int a, m, enps, eng2;
};

static const struct qn_survey *S;

static bool
has(const void *ctx, size_t item, int lo, int hi)
{
	const struct ans *x = ctx;
	const char *key = S->items[item].key;
	static const int mv[3] = {4, 7, 9};
	int v = -1;
	if (strcmp(key, "m") == 0) {
		for (int k = 0; k < 3; k++)
			if ((x->m >> k & 1) && mv[k] >= lo && mv[k] <= hi)
				return true;
		return false;
	}
	if (strcmp(key, "a") == 0 && x->a)
		v = x->a;
	if (strcmp(key, "enps") == 0)
		v = x->enps;
	if (strcmp(key, "eng.2") == 0 && x->eng2)
		v = x->eng2;
	return v >= 0 && v >= lo && v <= hi;
}

/* Parses head + "[[ShowIf:cond]]" on the last question and returns which of
 * the answer sets show it, as a string of 0/1. */
static const char *
shows(const char *cond, const struct ans *sets, size_t n)
{
	static char out[32];
	char src[2048];
	struct koe_diags d = {0};
	struct qn_survey *s = NULL;
	snprintf(src, sizeof(src), "%s[[ShowIf:%s]]\nL\n", head, cond);
	harness_current = cond;
	if (qn_parse(src, strlen(src), NULL, &s, &d) != KOE_OK) {
		fprintf(stderr, "  '%s' refused: %s\n", cond, d.n ? d.v[0].message : "?");
		koe_diags_free(&d);
		return "refused";
	}
	S = s;
	for (size_t i = 0; i < n; i++)
		out[i] = qn_question_shown(s, s->nquestions - 1, has, &sets[i]) ? '1' : '0';
	out[n] = '\0';
	qn_survey_free(s);
	koe_diags_free(&d);
	return out;
}

int
main(void)
{
	/* a, m, enps, eng.2 */
	static const struct ans v[] = {
		{1, 0, -1, 0}, {2, 1, 9, 4}, {3, 2, 6, 5}, {0, 4, 10, 1}, {2, 6, 0, 3},
	};
	const size_t n = sizeof(v) / sizeof(v[0]);

	CHECK_STR(shows("a = 1", v, n), "10000");
	CHECK_STR(shows("a=2", v, n), "01001");
	CHECK_STR(shows("a = 2, 3", v, n), "01101");
	CHECK_STR(shows("enps = 0..6", v, n), "00101");
	CHECK_STR(shows("enps = 9..10, 0", v, n), "01011");
	CHECK_STR(shows("m = 7", v, n), "00101");
	CHECK_STR(shows("m = 4, 9", v, n), "01011");
	CHECK_STR(shows("eng.2 = 4..5", v, n), "01100");
	/* "and" binds before "or"; parentheses group. */
	CHECK_STR(shows("a = 1 or a = 2 and enps = 0", v, n), "10001");
	CHECK_STR(shows("(a = 1 or a = 2) and enps = 0", v, n), "00001");
	CHECK_STR(shows("a = 3 OR (m = 9 And eng.2 = 1..3)", v, n), "00111");
	CHECK_STR(shows("((a = 2))", v, n), "01001");
	/* An unanswered question matches nothing, even a range from 0. */
	CHECK_STR(shows("enps = 0..10", v, n), "01111");
	return harness_done();
}
