/* libFuzzer target: answer validation (src/val.c val_answers()) as the
 * server runs it on the "answers" object of a submission, against the
 * flagship questionnaire (parsed once). Whatever JSON arrives:
 *
 *   - validation never crashes, leaks or reads out of bounds;
 *   - it succeeds exactly when it reports no error, and every error names a
 *     question and one of the documented codes;
 *   - an accepted set has every required item that is shown, no answer to a
 *     question its [[ShowIf]] hides, every text within 4,000
 *     characters and free of NUL, and survives ans_encode() + ans_decode()
 *     unchanged (the plaintext that gets sealed reads back the same). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "koe/ans.h"
#include "koe/qn.h"
#include "koe/utf8.h"
#include "koe/util.h"
#include "koe/val.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct qn_survey *survey;

/* The flagship questionnaire: $KOE_SRC/surveys/, or beside this file (CMake
 * compiles with absolute paths). */
static struct qn_survey *
load_survey(void)
{
	const char *src = getenv("KOE_SRC"), *slash = strrchr(__FILE__, '/');
	char path[4096];
	struct koe_diags d = {0};
	struct qn_survey *s = NULL;
	char *text = NULL;
	size_t len;

	if (src)
		snprintf(path, sizeof(path), "%s/surveys/alumni-readiness.txt", src);
	else
		snprintf(path, sizeof(path), "%.*s/../surveys/alumni-readiness.txt",
		         slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
	if (util_read_file(path, 1 << 20, &text, &len) != KOE_OK ||
	    qn_parse(text, len, path, &s, &d) != KOE_OK) {
		fprintf(stderr, "fuzz_val_answers: cannot load %s\n", path);
		abort();
	}
	free(text);
	koe_diags_free(&d);
	return s;
}

static bool
known_code(const char *c)
{
	static const char *const codes[] = {"required",  "type",      "range",    "unknown",
	                                    "too_long",  "duplicate", "not_shown"};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(c, codes[i]) == 0)
			return true;
	return false;
}

static void
check_roundtrip(const struct ans_set *set)
{
	struct ans_set back = {0};
	size_t cap = ans_encoded_max(survey, set), len = 0;
	uint8_t *buf = malloc(cap ? cap : 1);

	if (buf == NULL || ans_encode(survey, set, buf, cap, &len) != KOE_OK || len > cap ||
	    ans_set_new(survey, &back) != KOE_OK || ans_decode(survey, buf, len, &back) != KOE_OK)
		abort();
	for (size_t i = 0; i < set->n; i++) {
		const struct ans_value *a = &set->v[i], *b = &back.v[i];
		if (a->present != b->present)
			abort();
		if (!a->present)
			continue;
		switch (survey->items[i].kind) {
		case QN_ITEM_LIKERT:
		case QN_ITEM_CHOICE:
		case QN_ITEM_NPS:
			if (a->num != b->num)
				abort();
			break;
		case QN_ITEM_MULTI:
			if (a->nmulti != b->nmulti ||
			    memcmp(a->multi, b->multi, a->nmulti * sizeof(a->multi[0])) != 0)
				abort();
			break;
		case QN_ITEM_TEXT:
			if (a->textlen != b->textlen || memcmp(a->text, b->text, a->textlen) != 0 ||
			    memchr(a->text, '\0', a->textlen) != NULL ||
			    utf8_count(a->text, a->textlen) > QN_MAX_ANSWER_CHARS)
				abort();
			break;
		}
	}
	ans_set_free(&back);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ans_set set = {0};
	struct val_errors *errs;
	json_t *v;
	enum koe_err err;

	if (survey == NULL)
		survey = load_survey();
	/* The same parser flags as the server's request bodies. */
	v = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (v == NULL)
		return 0;
	errs = malloc(sizeof(*errs));
	if (errs == NULL || ans_set_new(survey, &set) != KOE_OK)
		abort();
	err = val_answers(survey, v, &set, errs);
	if ((err == KOE_OK) != (errs->n == 0) || (err != KOE_OK && err != KOE_EINVAL) ||
	    errs->n > VAL_MAX_ERRORS)
		abort();
	for (size_t i = 0; i < errs->n; i++)
		if (errs->v[i].question == NULL || errs->v[i].message == NULL ||
		    !known_code(errs->v[i].code))
			abort();
	if (err == KOE_OK) {
		/* Required when shown; never an answer to a hidden question. */
		for (size_t i = 0; i < survey->nitems; i++) {
			bool shown = qn_question_shown(survey, survey->items[i].question, ans_has, &set);
			if ((survey->items[i].required && shown && !set.v[i].present) ||
			    (!shown && set.v[i].present))
				abort();
		}
		check_roundtrip(&set);
	}
	ans_set_free(&set);
	free(errs);
	json_decref(v);
	return 0;
}
