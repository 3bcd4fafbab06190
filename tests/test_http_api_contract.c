/* Every status code of the docs/ARCHITECTURE.md §3 table, against a real `koe serve` on
 * loopback with a real database, answered through the C POPRF client the way
 * the browser does it. */
#include "server_fixture.h"

static struct srv S;

static void
page_and_manifest(void)
{
	struct hc_resp r;
	char path[128];

	snprintf(path, sizeof(path), "/s/%s", S.codes[0]);
	CHECK_INT(hc(S.port, "GET", path, NULL, NULL, &r), 0);
	CHECK_INT(r.status, 200);
	CHECK(strstr(r.body, "data-survey=\"" SURVEY_ID "\"") != NULL);
	CHECK(strstr(r.body, "data-segment=\"g0") != NULL);
	CHECK(strstr(r.body, "data-state=\"open\"") != NULL);
	CHECK(strstr(r.body, "lang=\"ja\"") != NULL);
	/* Security headers on every response. */
	CHECK(hc_header(&r, "Content-Security-Policy") &&
	      strstr(hc_header(&r, "Content-Security-Policy"), "frame-ancestors 'none'"));
	CHECK(hc_header(&r, "Content-Security-Policy") &&
	      strstr(hc_header(&r, "Content-Security-Policy"), "unsafe-inline") == NULL);
	CHECK_STR(hc_header(&r, "Referrer-Policy"), "no-referrer");
	CHECK_STR(hc_header(&r, "X-Content-Type-Options"), "nosniff");
	CHECK(hc_header(&r, "Set-Cookie") == NULL);
	hc_free(&r);

	CHECK_INT(hc(S.port, "GET", "/s/AAAAAAAAAAAAAAAAAAAAAA", NULL, NULL, &r), 0);
	CHECK_INT(r.status, 404);
	CHECK(strstr(hc_header(&r, "Content-Type"), "text/html") != NULL);
	hc_free(&r);
	CHECK_INT(hc(S.port, "GET", "/s/short", NULL, NULL, &r), 0);
	CHECK_INT(r.status, 404);
	hc_free(&r);

	CHECK_INT(hc(S.port, "GET", "/api/v1/surveys/" SURVEY_ID, NULL, NULL, &r), 0);
	CHECK_INT(r.status, 200);
	CHECK_STR(hc_header(&r, "Cache-Control"), "no-store");
	json_t *m = json_loads(r.body, 0, NULL);
	CHECK(m != NULL);
	CHECK_STR(json_string_value(json_object_get(m, "survey")), SURVEY_ID);
	CHECK_INT(json_integer_value(json_object_get(m, "min_group")), 5);
	CHECK_INT(strlen(json_string_value(json_object_get(m, "key_id"))), 64);
	/* The single holder koe open made from HR's passphrase file. */
	json_t *holders = json_object_get(m, "key_holders");
	CHECK_INT(json_array_size(holders), 1);
	CHECK_STR(json_string_value(json_array_get(holders, 0)), "HR");
	json_t *segs = json_object_get(m, "segments");
	CHECK(json_array_size(segs) >= 1);
	for (size_t i = 0; i < json_array_size(segs); i++)
		CHECK(json_integer_value(json_object_get(json_array_get(segs, i), "invited")) >= 5);
	json_t *q = json_object_get(m, "questions");
	CHECK(json_array_size(q) == 11);
	/* Display conditions travel compiled: postfix nodes, tests by answer
	 * key (docs/ARCHITECTURE.md §3.4). Only the offboarding battery has one. */
	size_t nconds = 0;
	for (size_t i = 0; i < json_array_size(q); i++) {
		json_t *qq = json_array_get(q, i), *c = json_object_get(qq, "show_if");
		CHECK(c != NULL);
		if (json_is_null(c))
			continue;
		nconds++;
		CHECK_STR(json_string_value(json_object_get(qq, "id")), "offboarding");
		char *got = json_dumps(c, JSON_COMPACT);
		CHECK_STR(got, "[{\"key\":\"saw_leave\",\"in\":[[1,1]]}]");
		free(got);
	}
	CHECK_INT(nconds, 1);
	json_decref(m);
	hc_free(&r);
	CHECK_INT(hc(S.port, "GET", "/api/v1/surveys/nope", NULL, NULL, &r), 0);
	CHECK_INT(r.status, 404);
	CHECK(strstr(r.body, "\"error\"") != NULL);
	hc_free(&r);
}

static void
issue_codes(void)
{
	struct fx_emp e, e2;
	struct hc_resp r;

	/* 200, and a retry with the same blinded element gets the same answer. */
	CHECK_INT(fx_token(&S, S.codes[1], &e), 200);
	char blinded64[64];
	b64url_encode(blinded64, sizeof(blinded64), e.tk.blinded, 32);
	CHECK_INT(hc_post_json(S.port, "/api/v1/issue",
	                       json_pack("{s:s, s:s}", "invite", S.codes[1], "blinded", blinded64),
	                       &r),
	          0);
	CHECK_INT(r.status, 200);
	CHECK(strstr(r.body, e.evaluated64) != NULL);
	hc_free(&r);
	/* 409: the same link with a different blinded element. */
	CHECK_INT(fx_token(&S, S.codes[1], &e2), 409);
	/* 404: unknown invite. */
	CHECK_INT(fx_token(&S, "AAAAAAAAAAAAAAAAAAAAAA", &e2), 404);
	/* 400: malformed body, bad base64, identity element, wrong fields. */
	static const char *const bad[] = {
		"{", "[]", "{\"invite\":\"x\"}", "{\"invite\":1,\"blinded\":2}",
		"{\"invite\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"blinded\":\"AAAA\"}",
		"{\"invite\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"blinded\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}",
		"{\"invite\":\"AAAAAAAAAAAAAAAAAAAAAA\",\"blinded\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"x\":1}",
		"{\"invite\":\"a\",\"invite\":\"b\",\"blinded\":\"c\"}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(hc(S.port, "POST", "/api/v1/issue", "application/json", bad[i], &r), 0);
		CHECK_INT(r.status, 400);
		CHECK(strstr(r.body, "\"error\":\"malformed\"") != NULL);
		hc_free(&r);
	}
	/* 415 for another content type; 405 for another method. */
	CHECK_INT(hc(S.port, "POST", "/api/v1/issue", "text/plain", "{}", &r), 0);
	CHECK_INT(r.status, 415);
	hc_free(&r);
	CHECK_INT(hc(S.port, "GET", "/api/v1/issue", NULL, NULL, &r), 0);
	CHECK_INT(r.status, 405);
	CHECK_STR(hc_header(&r, "Allow"), "POST");
	hc_free(&r);
}

static void
response_codes(void)
{
	struct fx_emp e, other;
	struct hc_resp r;
	char receipt[65];

	CHECK_INT(fx_token(&S, S.codes[2], &e), 200);
	/* 422 with per-question errors; the token is not spent. */
	json_t *a = valid_answers();
	json_object_del(a, "enps");
	json_object_set_new(a, "support.1", json_integer(9));
	json_object_set_new(a, "nosuch", json_integer(1));
	CHECK_INT(fx_submit(&S, &e, a, &r), 422);
	json_t *body = json_loads(r.body, 0, NULL);
	json_t *errs = json_object_get(body, "errors");
	CHECK_INT(json_array_size(errs), 3);
	int seen = 0;
	for (size_t i = 0; i < json_array_size(errs); i++) {
		const char *q = json_string_value(json_object_get(json_array_get(errs, i), "question"));
		const char *code = json_string_value(json_object_get(json_array_get(errs, i), "code"));
		seen |= (strcmp(q, "enps") == 0 && strcmp(code, "required") == 0) << 0;
		seen |= (strcmp(q, "support.1") == 0 && strcmp(code, "range") == 0) << 1;
		seen |= (strcmp(q, "nosuch") == 0 && strcmp(code, "unknown") == 0) << 2;
	}
	CHECK_INT(seen, 7);
	json_decref(body);
	hc_free(&r);
	/* A text over 4000 characters: 422 too_long. */
	a = valid_answers();
	char *longtext = malloc(4002 * 3 + 1);
	for (int i = 0; i < 4001; i++)
		memcpy(longtext + i * 3, "あ", 3);
	longtext[4001 * 3] = '\0';
	json_object_set_new(a, "comments", json_string(longtext));
	free(longtext);
	CHECK_INT(fx_submit(&S, &e, a, &r), 422);
	CHECK(strstr(r.body, "too_long") != NULL);
	hc_free(&r);
	/* 403: a tampered output. */
	struct fx_emp bad = e;
	bad.output64[5] = bad.output64[5] == 'A' ? 'B' : 'A';
	CHECK_INT(fx_submit(&S, &bad, valid_answers(), &r), 403);
	hc_free(&r);
	/* 403: the token presented for another segment or another survey. */
	bad = e;
	snprintf(bad.segment, sizeof(bad.segment), "%s", "g99");
	CHECK_INT(fx_submit(&S, &bad, valid_answers(), &r), 403);
	hc_free(&r);
	CHECK_INT(hc_post_json(S.port, "/api/v1/responses",
	                       json_pack("{s:s, s:s, s:{s:s, s:s}, s:o}", "survey", "other-survey",
	                                 "segment", e.segment, "token", "input", e.input64,
	                                 "output", e.output64, "answers", valid_answers()),
	                       &r),
	          0);
	CHECK_INT(r.status, 403);
	hc_free(&r);
	/* 400: wrong base64 lengths, missing fields. */
	bad = e;
	bad.input64[10] = '\0';
	CHECK_INT(fx_submit(&S, &bad, valid_answers(), &r), 400);
	hc_free(&r);
	/* After all those refusals the token still works: 201 with the receipt. */
	CHECK_INT(fx_submit(&S, &e, valid_answers(), &r), 201);
	tok_receipt(e.tk.input, receipt);
	CHECK(strstr(r.body, receipt) != NULL);
	hc_free(&r);
	/* 409: the same token again. */
	CHECK_INT(fx_submit(&S, &e, valid_answers(), &r), 409);
	hc_free(&r);
	/* 413: a body over the limit. */
	size_t big = 70 * 1024;
	char *huge = malloc(big + 1);
	memset(huge, ' ', big);
	huge[0] = '{';
	huge[big - 1] = '}';
	huge[big] = '\0';
	CHECK_INT(hc(S.port, "POST", "/api/v1/responses", "application/json", huge, &r), 0);
	CHECK_INT(r.status, 413);
	hc_free(&r);
	free(huge);
	/* A token from another survey's key: finalize against the real key
	 * fails, so build one from a different segment of this survey: the
	 * other employee's token verifies only with their own segment. */
	CHECK_INT(fx_token(&S, S.codes[3], &other), 200);
	if (strcmp(other.segment, e.segment) != 0) {
		bad = other;
		snprintf(bad.segment, sizeof(bad.segment), "%s", e.segment);
		CHECK_INT(fx_submit(&S, &bad, valid_answers(), &r), 403);
		hc_free(&r);
	}
	(void)other;
}

/* GET /receipts/{sid} and /receipts/{sid}.txt while the survey is open. */
static void
receipt_page_while_open(void)
{
	struct hc_resp r;
	CHECK_INT(hc(S.port, "GET", "/receipts/" SURVEY_ID, NULL, NULL, &r), 0);
	CHECK_INT(r.status, 200);
	CHECK(strstr(hc_header(&r, "Content-Type"), "text/html") != NULL);
	CHECK(strstr(r.body, "data-state=\"receipts\"") != NULL);
	CHECK(strstr(r.body, "data-survey=\"" SURVEY_ID "\"") != NULL);
	CHECK(strstr(r.body, "data-segment=\"\"") != NULL);
	hc_free(&r);
	CHECK_INT(hc(S.port, "GET", "/receipts/" SURVEY_ID ".txt", NULL, NULL, &r), 0);
	CHECK_INT(r.status, 403);
	hc_free(&r);
	static const char *const bad[] = {"/receipts/", "/receipts/.txt", "/receipts/nope",
	                                  "/receipts/nope.txt", "/receipts/" SURVEY_ID "/x",
	                                  "/receipts/" SURVEY_ID ".txt/", "/receipts/%2e%2e"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(hc(S.port, "GET", bad[i], NULL, NULL, &r), 0);
		CHECK_INT(r.status, 404);
		hc_free(&r);
	}
	CHECK_INT(hc(S.port, "POST", "/receipts/" SURVEY_ID, "{}", NULL, &r), 0);
	CHECK_INT(r.status, 405);
	hc_free(&r);
}

static void
receipts_after_close(void)
{
	struct hc_resp r;
	CHECK_INT(hc(S.port, "GET", "/api/v1/surveys/" SURVEY_ID "/receipts", NULL, NULL, &r), 0);
	CHECK_INT(r.status, 403);
	hc_free(&r);

	/* Close while the server runs: the next requests see it. */
	struct fx_emp e;
	CHECK_INT(fx_token(&S, S.codes[4], &e), 200);
	CHECK_INT(run_cmd("'%s' close --yes --db '%s' >/dev/null", getenv("KOE_BIN"), S.db), 0);
	CHECK_INT(fx_submit(&S, &e, valid_answers(), &r), 410);
	hc_free(&r);
	struct fx_emp late;
	CHECK_INT(fx_token(&S, S.codes[5], &late), 410);
	char path[128];
	snprintf(path, sizeof(path), "/s/%s", S.codes[5]);
	CHECK_INT(hc(S.port, "GET", path, NULL, NULL, &r), 0);
	CHECK_INT(r.status, 410);
	/* The page, to check a stored receipt; the group is not named. */
	CHECK(strstr(r.body, "data-state=\"closed\"") != NULL);
	CHECK(strstr(r.body, "data-segment=\"\"") != NULL);
	hc_free(&r);

	CHECK_INT(hc(S.port, "GET", "/api/v1/surveys/" SURVEY_ID "/receipts", NULL, NULL, &r), 0);
	CHECK_INT(r.status, 200);
	json_t *j = json_loads(r.body, 0, NULL);
	json_t *list = json_object_get(j, "receipts");
	CHECK_INT(json_integer_value(json_object_get(j, "count")), 1);
	CHECK_INT(json_array_size(list), 1);
	/* The digest is SHA-256 of the sorted receipts, one per line. */
	crypto_hash_sha256_state st;
	uint8_t sum[32];
	char hex[65];
	crypto_hash_sha256_init(&st);
	for (size_t i = 0; i < json_array_size(list); i++) {
		const char *rc = json_string_value(json_array_get(list, i));
		crypto_hash_sha256_update(&st, (const uint8_t *)rc, strlen(rc));
		crypto_hash_sha256_update(&st, (const uint8_t *)"\n", 1);
	}
	crypto_hash_sha256_final(&st, sum);
	sodium_bin2hex(hex, sizeof(hex), sum, sizeof(sum));
	CHECK_STR(json_string_value(json_object_get(j, "digest")), hex);
	json_decref(j);
	hc_free(&r);

	/* The same list as a text file whose SHA-256 is the digest. */
	CHECK_INT(hc(S.port, "GET", "/receipts/" SURVEY_ID ".txt", NULL, NULL, &r), 0);
	CHECK_INT(r.status, 200);
	CHECK_STR(hc_header(&r, "Content-Type"), "text/plain; charset=utf-8");
	CHECK_STR(hc_header(&r, "Content-Disposition"),
	          "attachment; filename=\"koe-receipts-" SURVEY_ID ".txt\"");
	CHECK_INT(r.len, 65);
	crypto_hash_sha256(sum, (const uint8_t *)r.body, r.len);
	char filehex[65];
	sodium_bin2hex(filehex, sizeof(filehex), sum, sizeof(sum));
	CHECK_STR(filehex, hex);
	hc_free(&r);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 2;
	srv_open(&S, 12);
	srv_start(&S, NULL);
	RUN(page_and_manifest);
	RUN(receipt_page_while_open);
	RUN(issue_codes);
	RUN(response_codes);
	RUN(receipts_after_close);
	harness_current = "sigterm";
	CHECK_INT(srv_stop(&S), 0);
	srv_cleanup(&S);
	return harness_done();
}
