/* A simulated employee; see include/koe/emp.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "koe/b64.h"
#include "koe/emp.h"

enum koe_err
emp_public_key(struct httpc *c, const char *survey, uint8_t pk[TOK_ELEMENT_BYTES])
{
	char path[256];
	struct httpc_resp r;
	enum koe_err err;
	json_t *m;
	const char *pk64;

	snprintf(path, sizeof(path), "/api/v1/surveys/%s", survey);
	if ((err = httpc_request(c, "GET", path, NULL, NULL, 0, &r)) != KOE_OK)
		return err;
	if (r.status != 200)
		return KOE_ENOTFOUND;
	m = json_loadb(r.body, r.len, 0, NULL);
	pk64 = json_string_value(json_object_get(m, "public_key"));
	err = pk64 && b64url_decode(pk, TOK_ELEMENT_BYTES, pk64, strlen(pk64)) == KOE_OK
	              ? KOE_OK
	              : KOE_EINVAL;
	json_decref(m);
	return err;
}

/* The group code the server wrote into the page, as the browser reads it. */
static enum koe_err
page_segment(struct httpc *c, const char *invite, char *seg, size_t cap, int *status)
{
	char path[128];
	struct httpc_resp r;
	enum koe_err err;
	const char *p;

	snprintf(path, sizeof(path), "/s/%s", invite);
	if ((err = httpc_request(c, "GET", path, NULL, NULL, 0, &r)) != KOE_OK)
		return err;
	*status = r.status;
	if (r.status != 200)
		return KOE_ENOTFOUND;
	p = strstr(r.body, "data-segment=\"");
	if (p == NULL)
		return KOE_EINVAL;
	p += 14;
	size_t n = strcspn(p, "\"");
	if (n == 0 || n >= cap)
		return KOE_EINVAL;
	memcpy(seg, p, n);
	seg[n] = '\0';
	return KOE_OK;
}

enum koe_err
emp_fetch_token(struct httpc *c, const char *survey, const uint8_t pk[TOK_ELEMENT_BYTES],
                const char *invite, struct emp_token *t, int *status)
{
	struct tok_client_token tk;
	uint8_t info[TOK_INFO_MAX], ev[TOK_ELEMENT_BYTES], proof[TOK_PROOF_BYTES];
	size_t infolen;
	char blinded64[B64URL_ENCODED_LEN(TOK_ELEMENT_BYTES) + 1], body[256];
	struct httpc_resp r;
	json_t *j = NULL;
	const char *ev64, *pr64, *seg;
	enum koe_err err;

	memset(t, 0, sizeof(*t));
	if ((err = page_segment(c, invite, t->segment, sizeof(t->segment), status)) != KOE_OK)
		return err;
	if ((err = tok_info_build(survey, t->segment, info, sizeof(info), &infolen)) != KOE_OK ||
	    (err = tok_client_blind(&tk)) != KOE_OK)
		return err;
	b64url_encode(blinded64, sizeof(blinded64), tk.blinded, sizeof(tk.blinded));
	snprintf(body, sizeof(body), "{\"invite\":\"%s\",\"blinded\":\"%s\"}", invite, blinded64);
	if ((err = httpc_request(c, "POST", "/api/v1/issue", "application/json", body,
	                         strlen(body), &r)) != KOE_OK)
		goto done;
	*status = r.status;
	if (r.status != 200) {
		err = KOE_ESTATE;
		goto done;
	}
	j = json_loadb(r.body, r.len, 0, NULL);
	ev64 = json_string_value(json_object_get(j, "evaluated"));
	pr64 = json_string_value(json_object_get(j, "proof"));
	seg = json_string_value(json_object_get(j, "segment"));
	if (ev64 == NULL || pr64 == NULL || seg == NULL || strcmp(seg, t->segment) != 0 ||
	    b64url_decode(ev, sizeof(ev), ev64, strlen(ev64)) != KOE_OK ||
	    b64url_decode(proof, sizeof(proof), pr64, strlen(pr64)) != KOE_OK) {
		err = KOE_EINVAL;
		goto done;
	}
	err = tok_client_finalize(&tk, pk, info, infolen, ev, proof, t->output);
	if (err == KOE_OK)
		memcpy(t->input, tk.input, sizeof(t->input));
done:
	json_decref(j);
	tok_client_token_wipe(&tk);
	return err;
}

enum koe_err
emp_submit(struct httpc *c, const char *survey, const struct emp_token *t,
           const char *answers_json, int *status, char receipt[65])
{
	char in64[B64URL_ENCODED_LEN(TOK_INPUT_BYTES) + 1];
	char out64[B64URL_ENCODED_LEN(TOK_OUTPUT_BYTES) + 1];
	size_t cap = strlen(answers_json) + 512;
	char *body = malloc(cap);
	struct httpc_resp r;
	enum koe_err err;
	json_t *j;

	if (body == NULL)
		return KOE_ENOMEM;
	b64url_encode(in64, sizeof(in64), t->input, sizeof(t->input));
	b64url_encode(out64, sizeof(out64), t->output, sizeof(t->output));
	snprintf(body, cap,
	         "{\"survey\":\"%s\",\"segment\":\"%s\",\"token\":{\"input\":\"%s\",\"output\":\"%s\"},"
	         "\"answers\":%s}",
	         survey, t->segment, in64, out64, answers_json);
	err = httpc_request(c, "POST", "/api/v1/responses", "application/json", body, strlen(body),
	                    &r);
	sodium_memzero(body, cap);
	free(body);
	if (err != KOE_OK)
		return err;
	*status = r.status;
	if (r.status != 201)
		return KOE_ESTATE;
	j = json_loadb(r.body, r.len, 0, NULL);
	const char *rc = json_string_value(json_object_get(j, "receipt"));
	err = rc && strlen(rc) == 64 ? KOE_OK : KOE_EINVAL;
	if (err == KOE_OK)
		memcpy(receipt, rc, 65);
	json_decref(j);
	return err;
}
