/* A questionnaire using every question type and every tag, written with the
 * liberties Qualtrics allows (spaces after colons, mixed-case tag names), is
 * parsed into exactly the survey it describes. */
#include "harness.h"
#include "koe/qn.h"

static struct qn_survey *s;

static void
header(void)
{
	CHECK_STR(s->id, "every-type");
	CHECK_STR(s->title, "全タイプ確認");
	CHECK_STR(s->title_en, "Every type");
	CHECK_STR(s->language, "en");
	CHECK_INT(s->min_group, 7);
	CHECK_INT(s->nsegments, 2);
	CHECK_STR(s->segments[0], "department");
	CHECK_STR(s->segments[1], "tenure");
	CHECK_STR(s->closes, "2028-02-29");
	CHECK_INT(s->nblocks, 2);
	CHECK_STR(s->blocks[0].name, "First block");
	CHECK_STR(s->blocks[0].name_en, "First block EN");
	CHECK_STR(s->blocks[1].name, "Second");
	CHECK(s->blocks[1].name_en == NULL);
}

static void
questions(void)
{
	const struct qn_question *q = s->questions;
	CHECK_INT(s->nquestions, 10);
	CHECK_INT(q[0].type, QN_DB);
	CHECK_STR(q[0].id, "intro");
	/* Only the allow-listed tags survive; the script goes with its content
	 * (and koe check warns, see test_qn_html_allowlist). */
	CHECK_STR(q[0].text, "Welcome  to <b>koe</b>");

	CHECK_INT(q[1].type, QN_MC_SINGLE);
	CHECK_INT(q[1].layout, QN_HORIZONTAL);
	CHECK_STR(q[1].id, "pick");
	CHECK(q[1].required);
	CHECK_STR(q[1].text_en, "Pick one EN");
	CHECK_INT(q[1].nchoices, 3);
	CHECK_STR(q[1].choices[0].text, "Red");
	CHECK_STR(q[1].choices[0].text_en, "Red EN");
	CHECK(q[1].choices[1].text_en == NULL);
	CHECK_INT(q[1].choices[2].recode, 3);
	CHECK_INT(q[1].scale, -1);

	CHECK_INT(q[2].type, QN_MC_MULTI);
	CHECK_INT(q[2].layout, QN_DROPDOWN);
	CHECK(!q[2].required);
	CHECK_INT(q[2].choices[0].recode, 10);
	CHECK_STR(q[2].choices[0].text_en, "Ten EN");
	CHECK_INT(q[2].choices[1].recode, 20);
	CHECK_INT(q[2].choices[2].recode, 3);
	CHECK_STR(q[2].choices[2].text, "Third, position 3");

	CHECK_INT(q[3].type, QN_MATRIX);
	CHECK_INT(q[3].nchoices, 2);
	CHECK_INT(q[3].choices[0].recode, 4);
	CHECK(q[3].choices[0].reverse);
	CHECK(!q[3].choices[1].reverse);
	CHECK_STR(q[3].choices[1].text_en, "Row nine EN");
	/* Answer columns are ordered by their values. */
	CHECK_INT(q[3].nanswers, 3);
	CHECK_STR(q[3].answers[0].text, "Low");
	CHECK_STR(q[3].answers[1].text, "Middle");
	CHECK_STR(q[3].answers[2].text, "High");

	CHECK_INT(q[4].type, QN_MC_SINGLE);
	CHECK(q[4].reverse);
	CHECK_INT(q[7].type, QN_TE_LINE);
	CHECK_STR(q[7].id, "Q8");
	CHECK_INT(q[8].type, QN_TE_ESSAY);
	CHECK_STR(q[8].text, "Long answer<br>line two");
	CHECK_INT(q[9].type, QN_DB);
	CHECK_STR(q[9].id, "Q10");
}

static void
pages_and_blocks(void)
{
	const struct qn_question *q = s->questions;
	CHECK_INT(q[0].page, 0);
	CHECK_INT(q[2].page, 0);
	CHECK_INT(q[3].page, 1); /* after [[PageBreak]] */
	CHECK_INT(q[4].page, 1);
	CHECK_INT(q[5].page, 2); /* new block */
	CHECK_INT(q[5].block, 1);
	CHECK_INT(s->npages, 3);
}

static void
scales_and_items(void)
{
	const struct qn_item *it;
	CHECK_INT(s->nscales, 1);
	CHECK_STR(s->scales[0].name, "morale");
	CHECK_INT(s->scales[0].role, QN_ROLE_MORALE);
	CHECK_INT(s->scales[0].npoints, 3);
	CHECK_INT(s->scales[0].nitems, 3);

	/* pick, many, bat.4, bat.9, single_scale, enps, comeback, Q8, essay */
	CHECK_INT(s->nitems, 9);
	it = qn_item_find(s, "bat.4");
	CHECK(it != NULL && it->kind == QN_ITEM_LIKERT && it->reverse && it->required &&
	      it->npoints == 3 && it->scale == 0);
	it = qn_item_find(s, "bat.9");
	CHECK(it != NULL && !it->reverse);
	it = qn_item_find(s, "single_scale");
	CHECK(it != NULL && it->kind == QN_ITEM_LIKERT && it->reverse && it->npoints == 3);
	it = qn_item_find(s, "pick");
	CHECK(it != NULL && it->kind == QN_ITEM_CHOICE && it->required);
	it = qn_item_find(s, "many");
	CHECK(it != NULL && it->kind == QN_ITEM_MULTI);
	it = qn_item_find(s, "enps");
	CHECK(it != NULL && it->kind == QN_ITEM_NPS && it->npoints == 11);
	CHECK(it != NULL && it->role == QN_ROLE_NONE);
	/* An NPS question with its own role, and scale items with their
	 * scale's role. */
	it = qn_item_find(s, "comeback");
	CHECK(it != NULL && it->kind == QN_ITEM_NPS && it->role == QN_ROLE_REJOIN);
	/* [[ShowIf]] written loosely: tag case, spaces, keyword case. */
	const struct qn_cond *c = s->questions[it->question].show_if;
	CHECK(c != NULL);
	CHECK_INT(s->nconds, 1);
	if (c) {
		CHECK_STR(c->text, "pick = 1, 3 AND ( enps=0..6 or many = 20 )");
		CHECK_STR(c->label, "赤か青を選んだ人");
		CHECK_STR(c->label_en, "People who picked red or blue");
		CHECK_INT(c->nnodes, 5); /* pick, enps, many, or, and */
		CHECK_INT(c->nodes[4].op, QN_COND_AND);
		CHECK_INT(c->nodes[3].op, QN_COND_OR);
		CHECK_INT(c->nodes[0].nranges, 2);
		CHECK_INT(c->nodes[1].ranges[0].hi, 6);
	}
	it = qn_item_find(s, "bat.9");
	CHECK(it != NULL && it->role == QN_ROLE_MORALE);
	it = qn_item_find(s, "pick");
	CHECK(it != NULL && it->role == QN_ROLE_NONE);
	CHECK_INT(s->questions[6].type, QN_NPS);
	it = qn_item_find(s, "Q8");
	CHECK(it != NULL && it->kind == QN_ITEM_TEXT);
	CHECK(qn_item_find(s, "intro") == NULL);
	CHECK(qn_item_find(s, "bat") == NULL);
	CHECK_STR(s->items[0].key, "pick");
	CHECK_STR(s->items[8].key, "essay");
}

int
main(void)
{
	struct koe_diags d = {0};
	size_t len;
	char *buf = slurp(data_path("qn-good/every-type.txt"), &len);

	harness_current = "parse";
	CHECK_INT(qn_parse(buf, len, "every-type.txt", &s, &d), KOE_OK);
	/* One warning, at the removed script: line 15, column 9. */
	CHECK_INT(koe_diags_errors(&d), 0);
	CHECK_INT(d.nwarn, 1);
	if (d.n == 1) {
		CHECK_INT(d.v[0].line, 15);
		CHECK_INT(d.v[0].col, 9);
	}
	if (s) {
		RUN(header);
		RUN(questions);
		RUN(pages_and_blocks);
		RUN(scales_and_items);
	}
	qn_survey_free(s);
	koe_diags_free(&d);
	free(buf);
	return harness_done();
}
