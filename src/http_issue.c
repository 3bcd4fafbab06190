/* POST /api/v1/issue — token issuance: the POPRF evaluation of the
 * browser's blinded element under the key of the invitee's segment, with a
 * proof. The invitation is marked as having fetched its token, durably,
 * before the evaluation leaves the server. */
#include <string.h>

#include "http_internal.h"
#include "koe/b64.h"

enum MHD_Result
http_issue(struct http_server *s, struct MHD_Connection *c, struct http_req *r)
{
	enum MHD_Result ret;
	json_t *body;
	const char *invite, *blinded;

	if (r->queued) {
		const struct job *j = &r->job;
		uint8_t ev[TOK_ELEMENT_BYTES], proof[TOK_PROOF_BYTES];
		char ev64[B64URL_ENCODED_LEN(TOK_ELEMENT_BYTES) + 1];
		char proof64[B64URL_ENCODED_LEN(TOK_PROOF_BYTES) + 1];
		switch (j->result) {
		case JR_OK:
			break;
		case JR_NOT_FOUND:
			return http_reply_error(c, MHD_HTTP_NOT_FOUND, "unknown_invite",
			                        "this link is not (or no longer) valid");
		case JR_CONFLICT:
			return http_reply_error(c, MHD_HTTP_CONFLICT, "invite_used",
			                        "this link already fetched its token in another browser");
		case JR_CLOSED:
			return http_reply_error(c, MHD_HTTP_GONE, "closed", "the survey is closed");
		default:
			return http_reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "unavailable",
			                        "the server could not store this; try again");
		}
		if (tok_segment_issue(&j->found->segkeys[j->found_seg], j->blinded, ev, proof) !=
		    KOE_OK)
			return http_reply_error(c, MHD_HTTP_BAD_REQUEST, "malformed",
			                        "blinded is not a valid group element");
		b64url_encode(ev64, sizeof(ev64), ev, sizeof(ev));
		b64url_encode(proof64, sizeof(proof64), proof, sizeof(proof));
		return http_reply_json(c, MHD_HTTP_OK,
		                       json_pack("{s:s, s:s, s:s, s:s}", "survey", j->found->rec.id,
		                                 "segment", j->found->seg_codes[j->found_seg],
		                                 "evaluated", ev64, "proof", proof64));
	}
	body = http_parse_body(c, r, &ret);
	if (body == NULL)
		return ret;
	invite = json_string_value(json_object_get(body, "invite"));
	blinded = json_string_value(json_object_get(body, "blinded"));
	if (invite == NULL || blinded == NULL || json_object_size(body) != 2) {
		json_decref(body);
		return http_reply_error(c, MHD_HTTP_BAD_REQUEST, "malformed",
		                        "expected {\"invite\": \"...\", \"blinded\": \"...\"}");
	}
	if (strlen(invite) != INVITE_CODE_LEN ||
	    b64url_decode(r->job.blinded, TOK_ELEMENT_BYTES, blinded, strlen(blinded)) != KOE_OK ||
	    tok_element_check(r->job.blinded) != KOE_OK) {
		json_decref(body);
		return http_reply_error(c, MHD_HTTP_BAD_REQUEST, "malformed",
		                        "invite or blinded is not well formed");
	}
	memcpy(r->job.invite, invite, INVITE_CODE_LEN + 1);
	json_decref(body);
	r->job.kind = JOB_ISSUE;
	r->job.conn = c;
	http_submit(s, r);
	return MHD_YES;
}
