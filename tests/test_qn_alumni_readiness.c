/* The flagship questionnaire in surveys/ loads cleanly and means what the
 * report relies on: three role scales, reverse-coded risk items, an eNPS item,
 * Japanese text with English translations. */
#include "harness.h"
#include "koe/qn.h"

static struct qn_survey *s;

static int
scale_index(const char *name)
{
	for (size_t i = 0; i < s->nscales; i++)
		if (strcmp(s->scales[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void
header(void)
{
	CHECK_STR(s->id, "alumni-readiness-2026");
	CHECK_STR(s->language, "ja");
	CHECK_INT(s->min_group, 5);
	CHECK_INT(s->nsegments, 2);
	CHECK_STR(s->segments[0], "department");
	CHECK(s->title_en != NULL);
	CHECK(strstr(s->title, "アルムナイ") != NULL);
}

static void
roles(void)
{
	int sup = scale_index("support"), rej = scale_index("rejoin"),
	    mor = scale_index("morale");
	CHECK(sup >= 0 && rej >= 0 && mor >= 0);
	if (sup < 0 || rej < 0 || mor < 0)
		return;
	CHECK_INT(s->scales[sup].role, QN_ROLE_SUPPORT);
	CHECK_INT(s->scales[rej].role, QN_ROLE_REJOIN);
	CHECK_INT(s->scales[mor].role, QN_ROLE_MORALE);
	CHECK(s->scales[sup].nitems >= 3);
	CHECK(s->scales[mor].nitems >= 3);
	CHECK_INT(s->scales[mor].npoints, 5);
}

static void
reverse_items(void)
{
	/* Risk-worded morale items are reversed so a high score means low risk;
	 * trust-worded ones are not. */
	const struct qn_item *unfair = qn_item_find(s, "morale.1");
	const struct qn_item *trust = qn_item_find(s, "morale.5");
	const struct qn_item *negsup = qn_item_find(s, "support.7");
	CHECK(unfair && unfair->reverse && unfair->kind == QN_ITEM_LIKERT);
	CHECK(trust && !trust->reverse);
	CHECK(negsup && negsup->reverse);
	size_t reversed = 0;
	for (size_t i = 0; i < s->nitems; i++)
		reversed += s->items[i].reverse;
	CHECK(reversed >= 4);
}

static void
every_text_translated(void)
{
	for (size_t i = 0; i < s->nquestions; i++) {
		const struct qn_question *q = &s->questions[i];
		harness_current = q->id;
		CHECK(q->text_en != NULL);
		for (size_t c = 0; c < q->nchoices; c++)
			CHECK(q->choices[c].text_en != NULL);
		for (size_t c = 0; c < q->nanswers; c++)
			CHECK(q->answers[c].text_en != NULL);
	}
}

static void
question_kinds(void)
{
	const struct qn_item *enps = qn_item_find(s, "enps");
	const struct qn_item *comments = qn_item_find(s, "comments");
	CHECK(enps && enps->kind == QN_ITEM_NPS && enps->required);
	CHECK(comments && comments->kind == QN_ITEM_TEXT && !comments->required);
	size_t multi = 0, choice = 0;
	for (size_t i = 0; i < s->nitems; i++) {
		multi += s->items[i].kind == QN_ITEM_MULTI;
		choice += s->items[i].kind == QN_ITEM_CHOICE;
	}
	CHECK(multi >= 1);
	CHECK(choice >= 1);
	CHECK(s->npages >= 3);
}

int
main(void)
{
	struct koe_diags d = {0};
	size_t len;
	char path[4096];
	const char *src = getenv("KOE_SRC");
	snprintf(path, sizeof(path), "%s/surveys/alumni-readiness.txt", src ? src : "..");
	char *buf = slurp(path, &len);

	harness_current = "parse";
	CHECK_INT(qn_parse(buf, len, path, &s, &d), KOE_OK);
	koe_diags_print(&d, path, stderr);
	if (s) {
		RUN(header);
		RUN(roles);
		RUN(reverse_items);
		RUN(every_text_translated);
		RUN(question_kinds);
	}
	qn_survey_free(s);
	koe_diags_free(&d);
	free(buf);
	return harness_done();
}
