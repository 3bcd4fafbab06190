/* koe — checking a submitted "answers" object against the questionnaire.
 *
 * Pure: a parsed JSON value in, an answer set and a list of per-question
 * errors out. Every value is checked once here, at the edge; the rest of the
 * server only sees typed, validated answers (struct ans_set). */
#ifndef KOE_VAL_H
#define KOE_VAL_H

#include <jansson.h>

#include "koe/ans.h"
#include "koe/qn.h"

#define VAL_MAX_ERRORS 64

struct val_error {
	const char *question; /* the answer key, or the unknown key as sent
	                         (borrowed from the JSON value) */
	const char *code;     /* "required", "type", "range", "unknown", "too_long", "not_shown",
	                         "duplicate" */
	const char *message;  /* English, for people reading the API */
};

struct val_errors {
	size_t n;
	struct val_error v[VAL_MAX_ERRORS];
};

/* Checks answers (a JSON object; anything else is one error) against s and
 * fills out (created with ans_set_new() for s). Text values in out point
 * into the JSON value, which must outlive out's use. Returns KOE_OK when
 * there is no error, KOE_EINVAL with errs filled otherwise. */
enum koe_err val_answers(const struct qn_survey *s, const json_t *answers, struct ans_set *out,
                         struct val_errors *errs);

#endif
