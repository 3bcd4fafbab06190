/* Validation of submitted answers; see include/koe/val.h. */
#include <math.h>
#include <string.h>

#include "koe/utf8.h"
#include "koe/val.h"

static void
add(struct val_errors *e, const char *q, const char *code, const char *msg)
{
	if (e->n < VAL_MAX_ERRORS)
		e->v[e->n++] = (struct val_error){q, code, msg};
}

/* A JSON integer within the range answers use. The contract says integers,
 * so 3.0 or "3" is a type error, not a value to guess at. */
static int
get_int(const json_t *v, int *out)
{
	json_int_t x;
	if (!json_is_integer(v))
		return -1;
	x = json_integer_value(v);
	if (x < -32768 || x > 32767)
		return -1;
	*out = (int)x;
	return 0;
}

/* An answer to a question its [[ShowIf]] hid is refused, not dropped: the
 * page never sends one, so it is a client that did not follow the
 * questionnaire (docs/ARCHITECTURE.md §5.2). The conditions were compiled
 * when the survey was loaded; this costs one pass over the nodes per
 * conditioned question. Items are in question order, so a question's
 * visibility only depends on answers already judged. */
static void
hidden_answers(const struct qn_survey *s, struct ans_set *out, struct val_errors *errs)
{
	if (s->nconds == 0)
		return;
	for (size_t i = 0; i < s->nitems; i++) {
		if (!out->v[i].present || qn_question_shown(s, s->items[i].question, ans_has, out))
			continue;
		add(errs, s->items[i].key, "not_shown",
		    "this question is not shown for the answers given (its display condition is "
		    "false)");
		memset(&out->v[i], 0, sizeof(out->v[i]));
	}
}

/* A multiple-answer question: a list of distinct choices; an empty list
 * is "nothing ticked", unanswered. */
static void
multi_answer(const struct qn_survey *s, const struct qn_item *it, const char *key, json_t *v,
             struct ans_value *a, struct val_errors *errs)
{
	size_t i;
	json_t *e;
	int bad = 0, x;
	if (!json_is_array(v)) {
		add(errs, key, "type", "expected a list of choices");
		return;
	}
	if (json_array_size(v) > ANS_MAX_MULTI) {
		add(errs, key, "range", "too many choices");
		return;
	}
	json_array_foreach(v, i, e) {
		if (get_int(e, &x) != 0 || !ans_value_ok(s, it, x)) {
			bad = 1;
			break;
		}
		for (size_t j = 0; j < a->nmulti; j++)
			if (a->multi[j] == x)
				bad = 2;
		if (bad)
			break;
		a->multi[a->nmulti++] = x;
	}
	if (bad) {
		a->nmulti = 0;
		add(errs, key, bad == 2 ? "duplicate" : "range",
		    bad == 2 ? "a choice is listed twice" : "not one of the choices");
		return;
	}
	a->present = a->nmulti > 0;
}

/* A free-text answer: at most QN_MAX_ANSWER_CHARS characters, no NUL;
 * whitespace only counts as unanswered. */
static void
text_answer(const char *key, json_t *v, struct ans_value *a, struct val_errors *errs)
{
	if (!json_is_string(v)) {
		add(errs, key, "type", "expected text");
		return;
	}
	/* jansson rejects invalid UTF-8 while parsing, so the string is valid
	 * here; only its length is checked. */
	const char *t = json_string_value(v);
	size_t len = json_string_length(v), k = 0;
	if (memchr(t, '\0', len) != NULL) {
		add(errs, key, "type", "text must not contain NUL characters");
		return;
	}
	if (utf8_count(t, len) > QN_MAX_ANSWER_CHARS) {
		add(errs, key, "too_long", "text is longer than 4000 characters");
		return;
	}
	while (k < len && (t[k] == ' ' || t[k] == '\n' || t[k] == '\r' || t[k] == '\t'))
		k++;
	if (k == len)
		return;
	a->text = t;
	a->textlen = len;
	a->present = true;
}

enum koe_err
val_answers(const struct qn_survey *s, const json_t *answers, struct ans_set *out,
            struct val_errors *errs)
{
	const char *key;
	json_t *v;

	errs->n = 0;
	memset(out->v, 0, out->n * sizeof(*out->v));
	if (!json_is_object(answers)) {
		add(errs, "", "type", "answers must be an object keyed by question");
		return KOE_EINVAL;
	}
	json_object_foreach((json_t *)answers, key, v) {
		const struct qn_item *it = qn_item_find(s, key);
		struct ans_value *a;
		int x;

		if (it == NULL) {
			add(errs, key, "unknown", "no such question");
			continue;
		}
		a = &out->v[it - s->items];
		if (json_is_null(v))
			continue; /* an explicit null means unanswered */
		switch (it->kind) {
		case QN_ITEM_LIKERT:
		case QN_ITEM_NPS:
		case QN_ITEM_CHOICE:
			if (get_int(v, &x) != 0) {
				add(errs, key, "type", "expected a whole number");
				continue;
			}
			if (!ans_value_ok(s, it, x)) {
				add(errs, key, "range", it->kind == QN_ITEM_NPS ? "expected 0 to 10"
				                        : it->kind == QN_ITEM_LIKERT
				                                ? "not a point of this scale"
				                                : "not one of the choices");
				continue;
			}
			a->num = x;
			a->present = true;
			break;
		case QN_ITEM_MULTI:
			multi_answer(s, it, key, v, a, errs);
			break;
		case QN_ITEM_TEXT:
			text_answer(key, v, a, errs);
			break;
		}
	}
	hidden_answers(s, out, errs);
	for (size_t i = 0; i < s->nitems; i++)
		if (s->items[i].required && !out->v[i].present &&
		    qn_question_shown(s, s->items[i].question, ans_has, out)) {
			/* Only report a missing answer that has no other error. */
			int reported = 0;
			for (size_t e = 0; e < errs->n; e++)
				if (strcmp(errs->v[e].question, s->items[i].key) == 0)
					reported = 1;
			if (!reported)
				add(errs, s->items[i].key, "required", "this question needs an answer");
		}
	return errs->n ? KOE_EINVAL : KOE_OK;
}
