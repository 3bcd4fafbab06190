/* A plain Qualtrics Advanced Format export, with no koe tags at all, loads:
 * the survey id comes from the file name, questions without [[ID]] are
 * numbered Q1, Q2, ... by position, and defaults fill the koe header. */
#include "harness.h"
#include "koe/qn.h"

int
main(void)
{
	struct koe_diags d = {0};
	struct qn_survey *s = NULL;
	size_t len;
	char *buf = slurp(data_path("qualtrics-plain.txt"), &len);

	harness_current = "plain";
	CHECK_INT(qn_parse(buf, len, "tests/data/qualtrics-plain.txt", &s, &d), KOE_OK);
	koe_diags_print(&d, "qualtrics-plain.txt", stderr);
	if (s) {
		CHECK_STR(s->id, "qualtrics-plain");
		CHECK_STR(s->title, "qualtrics-plain");
		CHECK_STR(s->language, "ja");
		CHECK_INT(s->min_group, 5);
		CHECK_INT(s->nsegments, 0);
		CHECK_INT(s->nscales, 0);
		CHECK(s->closes == NULL);
		CHECK_INT(s->nquestions, 7);
		/* Every question gets an id; explicit ones are kept. */
		int auto_ids = 0;
		for (size_t i = 0; i < s->nquestions; i++) {
			char want[32];
			snprintf(want, sizeof(want), "Q%zu", i + 1);
			if (strcmp(s->questions[i].id, want) == 0)
				auto_ids++;
		}
		CHECK(auto_ids >= 2);
		CHECK(qn_item_find(s, "q1") != NULL);
		CHECK(qn_item_find(s, "engagement.1") != NULL);
		/* [[question:Matrix]] in lower case was understood. */
		const struct qn_item *eng = qn_item_find(s, "engagement.1");
		CHECK(eng && eng->kind == QN_ITEM_LIKERT && eng->scale == -1);
		/* The advanced choice list keeps its recodes (1, 2, 3, 4, 9). */
		int found9 = 0;
		for (size_t i = 0; i < s->nquestions; i++)
			for (size_t c = 0; c < s->questions[i].nchoices; c++)
				if (s->questions[i].choices[c].recode == 9)
					found9 = 1;
		CHECK(found9);
		CHECK(s->nblocks >= 2);
		CHECK(s->npages >= 2);
	}
	qn_survey_free(s);
	koe_diags_free(&d);
	free(buf);
	return harness_done();
}
