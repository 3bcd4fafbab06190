/* POST /api/v1/responses — redemption: the token is verified, the answers
 * are checked against the questionnaire, and only then is the token spent
 * and the sealed response stored, in one transaction. A refused submission
 * (400, 403, 413, 422) spends nothing, so the employee can fix and resend. */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "http_internal.h"
#include "koe/b64.h"
#include "koe/val.h"

static enum MHD_Result
reply_invalid(struct MHD_Connection *c, const struct val_errors *e)
{
	json_t *list = json_array();
	for (size_t i = 0; i < e->n; i++)
		json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "question", e->v[i].question,
		                                      "code", e->v[i].code, "message", e->v[i].message));
	return http_reply_json(c, MHD_HTTP_UNPROCESSABLE_CONTENT,
	                       json_pack("{s:s, s:s, s:o}", "error", "invalid_answers", "message",
	                                 "some answers need attention", "errors", list));
}

enum MHD_Result
http_responses(struct http_server *s, struct MHD_Connection *c, struct http_req *r)
{
	enum MHD_Result ret;
	json_t *body, *token, *answers;
	const char *survey, *segment, *input64, *output64;
	uint8_t input[TOK_INPUT_BYTES], output[TOK_OUTPUT_BYTES];
	struct http_survey *sv;
	struct ans_set set = {0};
	struct val_errors *errs = NULL;
	long seg;
	size_t cap;

	if (r->queued) {
		const struct job *j = &r->job;
		char hex[65];
		switch (j->result) {
		case JR_OK:
			sodium_bin2hex(hex, sizeof(hex), j->receipt, sizeof(j->receipt));
			return http_reply_json(c, MHD_HTTP_CREATED, json_pack("{s:s}", "receipt", hex));
		case JR_CONFLICT:
			return http_reply_error(c, MHD_HTTP_CONFLICT, "token_spent",
			                        "an answer with this token was already received");
		case JR_CLOSED:
			return http_reply_error(c, MHD_HTTP_GONE, "closed", "the survey is closed");
		default:
			return http_reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable",
			                        "the server could not store this; try again");
		}
	}
	body = http_parse_body(c, r, &ret);
	if (body == NULL)
		return ret;
	survey = json_string_value(json_object_get(body, "survey"));
	segment = json_string_value(json_object_get(body, "segment"));
	token = json_object_get(body, "token");
	answers = json_object_get(body, "answers");
	input64 = json_string_value(json_object_get(token, "input"));
	output64 = json_string_value(json_object_get(token, "output"));
	if (survey == NULL || segment == NULL || !json_is_object(token) ||
	    json_object_size(token) != 2 || input64 == NULL || output64 == NULL ||
	    !json_is_object(answers) || json_object_size(body) != 4) {
		ret = http_reply_error(c, MHD_HTTP_BAD_REQUEST, "malformed",
		                       "expected {\"survey\", \"segment\", \"token\": {\"input\", "
		                       "\"output\"}, \"answers\": {...}}");
		goto done;
	}
	if (b64url_decode(input, sizeof(input), input64, strlen(input64)) != KOE_OK ||
	    b64url_decode(output, sizeof(output), output64, strlen(output64)) != KOE_OK) {
		ret = http_reply_error(c, MHD_HTTP_BAD_REQUEST, "malformed",
		                       "token input must be 32 bytes and output 64 bytes, base64url");
		goto done;
	}
	sv = http_survey_find(s, survey);
	if (sv == NULL) {
		ret = http_reply_error(c, MHD_HTTP_FORBIDDEN, "token_invalid",
		                       "the token does not verify for this survey and group");
		goto done;
	}
	if (atomic_load(&sv->state) != DB_OPEN) {
		ret = http_reply_error(c, MHD_HTTP_GONE, "closed", "the survey is closed");
		goto done;
	}
	/* An unknown segment cannot have issued this token: same answer as a
	 * token that does not verify, so nothing is learned from the status. */
	seg = http_segment_index(sv, segment);
	if (seg < 0 || tok_segment_redeem_verify(&sv->segkeys[seg], input, output) != KOE_OK) {
		ret = http_reply_error(c, MHD_HTTP_FORBIDDEN, "token_invalid",
		                       "the token does not verify for this survey and group");
		goto done;
	}
	errs = malloc(sizeof(*errs));
	if (errs == NULL || ans_set_new(sv->q, &set) != KOE_OK) {
		ret = MHD_NO;
		goto done;
	}
	if (val_answers(sv->q, answers, &set, errs) != KOE_OK) {
		ret = reply_invalid(c, errs);
		goto done;
	}
	cap = ans_encoded_max(sv->q, &set);
	r->job.plain = malloc(cap);
	if (r->job.plain == NULL ||
	    ans_encode(sv->q, &set, r->job.plain, cap, &r->job.plainlen) != KOE_OK) {
		free(r->job.plain);
		r->job.plain = NULL;
		ret = MHD_NO;
		goto done;
	}
	/* The receipt is the token input's hash: the double-spend key. */
	tok_receipt_raw(input, r->job.receipt);
	r->job.kind = JOB_RESPOND;
	r->job.sv = sv;
	r->job.seg = (size_t)seg;
	r->job.conn = c;
	http_submit(s, r);
	ret = MHD_YES;
done:
	sodium_memzero(input, sizeof(input));
	sodium_memzero(output, sizeof(output));
	ans_set_free(&set);
	free(errs);
	json_decref(body);
	return ret;
}
