/* koe — a simulated employee, doing over HTTP exactly what the page does:
 * open the link (learning the group code from the page), fetch a token
 * (blind, POST /api/v1/issue, verify the proof, finalize) and submit answers
 * with it. Used by `koe demo` and the load generator. */
#ifndef KOE_EMP_H
#define KOE_EMP_H

#include <stddef.h>
#include <stdint.h>

#include "koe/err.h"
#include "koe/httpc.h"
#include "koe/tok.h"

struct emp_token {
	char segment[64];
	uint8_t input[TOK_INPUT_BYTES];
	uint8_t output[TOK_OUTPUT_BYTES];
};

/* Reads the survey's public key from its manifest. */
enum koe_err emp_public_key(struct httpc *c, const char *survey, uint8_t pk[TOK_ELEMENT_BYTES]);

/* Opens the link's page and fetches a token. *status receives the HTTP
 * status of the failing or last step (200 on success). KOE_EVERIFY when the
 * server's proof does not verify against pk. */
enum koe_err emp_fetch_token(struct httpc *c, const char *survey,
                             const uint8_t pk[TOK_ELEMENT_BYTES], const char *invite,
                             struct emp_token *t, int *status);

/* Submits answers (a JSON object's text) with the token. *status receives
 * the HTTP status; on 201 receipt holds the 64-hex receipt. */
enum koe_err emp_submit(struct httpc *c, const char *survey, const struct emp_token *t,
                        const char *answers_json, int *status, char receipt[65]);

#endif
