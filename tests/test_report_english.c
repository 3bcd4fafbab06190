/* docs/ARCHITECTURE.md §8: the report is written in the survey's language. The
 * flagship survey with [[Language:en]] gives English headings, readings and
 * question texts (from [[En:…]]). */
#include "report_testlib.h"

static struct fixture f;

static void
english_survey_gives_english_report(void)
{
	static const char *const want[] = {
		"Key figures", "Response rate", "Support for the program", "Willingness to return",
		"Morale", "Other questions", "Results by group", "What goes together with support",
		"Comments", "Method and anonymity", "Biggest concerns",
		"The company should introduce an alumni program", "95% CI",
		"Public key fingerprint", "Sales",
		"Asked of: People who have seen a colleague leave · n = 12",
		/* The method page's long paragraphs are printed to their end. */
		"probes by group.",
	};
	char *text;
	CHECK_INT(rt_report(&f, NULL), 0);
	text = rt_pdftext(&f, "out.pdf", false);
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (!rt_has(text, want[i])) {
			fprintf(stderr, "missing: %s\n", want[i]);
			CHECK(0);
		}
	CHECK(!rt_has(text, "要点"));
	CHECK(!rt_has(text, "信頼区間"));
	CHECK(!rt_has(text, "会社はアルムナイ制度を導入すべきだ"));
	free(text);
	json_t *j = rt_json(&f, "out.json");
	CHECK_STR(json_string_value(json_object_get(json_object_get(j, "survey"), "language")),
	          "en");
	json_decref(j);
}

int
main(void)
{
	static const struct rt_group groups[] = {{"g01", "Sales", 10}, {"g02", "Engineering", 10}};
	struct rt_resp r[12];
	size_t len;
	char *src = rt_survey_source("[[Language:ja]]", "[[Language:en]]", &len);
	rt_up(&f, src, len, groups, 2);
	for (int k = 0; k < 12; k++)
		r[k] = (struct rt_resp){k % 2 ? "g01" : "g02", 2 + k % 4, 3, 3, 2 + k % 3, 3, k % 11,
		                        0, 1, k == 3 ? "Please keep the terms fair." : NULL};
	rt_respond(&f, r, 12);
	rt_close(&f);
	RUN(english_survey_gives_english_report);
	rt_down(&f);
	return harness_done();
}
