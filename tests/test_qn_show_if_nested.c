/* [[ShowIf]] end to end inside the library: tests/data/qn-good/branching.txt
 * nests a question condition (handled) inside a block condition (how,
 * handled), and the answers a server accepts follow them: an answer to a
 * hidden question is refused with "not_shown", a required question is
 * required only when shown, and hiding a trigger hides what depends on it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "harness.h"
#include "koe/ans.h"
#include "koe/qn.h"
#include "koe/val.h"

static struct qn_survey *s;

/* Validates answers (JSON text); returns the error codes as "key:code,..."
 * in item order, "" when accepted. */
static const char *
judge(const char *text)
{
	static char out[512];
	struct ans_set a;
	struct val_errors e;
	json_t *j = json_loads(text, 0, NULL);
	if (j == NULL || ans_set_new(s, &a) != KOE_OK)
		exit(2);
	out[0] = '\0';
	if (val_answers(s, j, &a, &e) != KOE_OK)
		for (size_t i = 0; i < e.n; i++)
			snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s:%s", i ? "," : "",
			         e.v[i].question, e.v[i].code);
	ans_set_free(&a);
	json_decref(j);
	return out;
}

static size_t
qidx(const char *id)
{
	for (size_t i = 0; i < s->nquestions; i++)
		if (strcmp(s->questions[i].id, id) == 0)
			return i;
	exit(2);
}

/* Which of how and handled a set of answers shows, as "how,handled". */
static const char *
shown(const char *text)
{
	static char out[64];
	struct ans_set a;
	struct val_errors e;
	json_t *j = json_loads(text, 0, NULL);
	if (j == NULL || ans_set_new(s, &a) != KOE_OK)
		exit(2);
	(void)val_answers(s, j, &a, &e);
	snprintf(out, sizeof(out), "%s%s", qn_question_shown(s, qidx("how"), ans_has, &a) ? "how" : "-",
	         qn_question_shown(s, qidx("handled"), ans_has, &a) ? ",handled" : ",-");
	ans_set_free(&a);
	json_decref(j);
	return out;
}

int
main(void)
{
	struct koe_diags d = {0};
	size_t len;
	char *buf = slurp(data_path("qn-good/branching.txt"), &len);

	harness_current = "branching";

	CHECK(qn_parse(buf, len, "branching.txt", &s, &d) == KOE_OK);
	if (s == NULL)
		return harness_done();
	CHECK_INT(s->nconds, 2);
	CHECK(s->blocks[1].show_if != NULL);
	CHECK_STR(s->blocks[1].show_if->label, "同僚の退職を見聞きした人");
	CHECK_STR(s->blocks[1].show_if->label_en, "People who have seen a colleague leave");
	CHECK_STR(s->questions[qidx("handled")].show_if->text, "how = 2 or (how = 1 and enps = 0..6)");

	/* Who is shown what. */
	CHECK_STR(shown("{\"saw\":2}"), "-,-");
	CHECK_STR(shown("{\"saw\":1}"), "how,-");
	CHECK_STR(shown("{\"saw\":1,\"how\":[2]}"), "how,handled");
	CHECK_STR(shown("{\"saw\":1,\"how\":[1,3],\"enps\":9}"), "how,-");
	CHECK_STR(shown("{\"saw\":1,\"how\":[1],\"enps\":6}"), "how,handled");
	CHECK_STR(shown("{\"saw\":1,\"how\":[3],\"enps\":0}"), "how,-");

	/* Path "no": nothing of the block is asked, or required. */
	CHECK_STR(judge("{\"saw\":2,\"enps\":3}"), "");
	CHECK_STR(judge("{\"saw\":2,\"how\":[2]}"), "how:not_shown");
	/* A hidden trigger hides what depends on it, too. */
	CHECK_STR(judge("{\"saw\":2,\"how\":[2],\"handled.1\":3}"), "how:not_shown,handled.1:not_shown");
	/* Path "yes, from a manager": the battery is asked and required. */
	CHECK_STR(judge("{\"saw\":1,\"how\":[2],\"handled.1\":3}"), "");
	CHECK_STR(judge("{\"saw\":1,\"how\":[2]}"), "handled.1:required");
	CHECK_STR(judge("{\"saw\":1}"), "how:required");
	/* "From them" and a promoter: not asked; a detractor: asked. */
	CHECK_STR(judge("{\"saw\":1,\"how\":[1],\"enps\":10,\"handled.1\":1}"), "handled.1:not_shown");
	CHECK_STR(judge("{\"saw\":1,\"how\":[1],\"enps\":4}"), "handled.1:required");
	CHECK_STR(judge("{\"saw\":1,\"how\":[1],\"enps\":4,\"handled.1\":1}"), "");
	/* Without the trigger at all, required saw is the only complaint. */
	CHECK_STR(judge("{}"), "saw:required");

	/* The audience the report names. */
	char ab[256];
	CHECK_STR(qn_audience(s, qidx("how"), false, ab, sizeof(ab)), "同僚の退職を見聞きした人");
	CHECK_STR(qn_audience(s, qidx("handled"), false, ab, sizeof(ab)),
	          "同僚の退職を見聞きした人、かつ上司から聞いた人、またはすすめない人");
	CHECK(qn_audience(s, qidx("saw"), false, ab, sizeof(ab)) == NULL);

	qn_survey_free(s);
	koe_diags_free(&d);
	free(buf);
	return harness_done();
}
