/* A catalogue of malformed and malicious requests against a real `koe serve`:
 * broken JSON, deep nesting, huge numbers, invalid UTF-8, overlong strings,
 * wrong base64 lengths, non-canonical and identity points, replayed and
 * forged tokens, tokens of another survey or group, HTML and SQL where data
 * goes, path traversal, wrong methods and content types, broken HTTP framing,
 * slow and surplus connections.
 *
 * Each request must get its documented status (docs/ARCHITECTURE.md §3 and the HTTP
 * errors libmicrohttpd answers for broken framing), or a dropped connection
 * where the server cannot answer; it must store nothing (opened and responded
 * counts of both surveys are compared before and after); and the server must
 * go on serving: after every request a normal employee fetches a token and
 * answers with 201. The tokens the catalogue abuses are finally spent
 * normally, which shows that no refused request spent them. */
#include <fcntl.h>
#include <poll.h>
#include <sys/time.h>
#include <time.h>

#include "koe/db.h"
#include "server_fixture.h"

#define SURVEY2 "qualtrics-plain"
#define NO_RESPONSE 0 /* want: the server closes without answering */

static struct srv S;
static size_t next_employee = 8; /* codes[0..7] are the catalogue's own */

/* A token fetched as the page fetches it, for any survey of the server. */
struct tkn {
	char survey[64];
	char segment[64];
	char in64[64], out64[128];
	struct tok_client_token tk;
};

/* Values the catalogue's templates refer to as @NAME@. */
static struct {
	const char *name;
	char value[256];
} vars[] = {
	{"SID", SURVEY_ID}, {"S2SID", SURVEY2},
	{"INV", ""},   /* a link never opened: it must stay unopened */
	{"USED", ""},  /* a link that already fetched its token */
	{"BL", ""},    /* a valid blinded element */
	{"SEG", ""},  {"IN", ""},  {"OUT", ""},   /* a valid, unspent token */
	{"OSEG", ""},                             /* another group of the survey */
	{"SSEG", ""}, {"SIN", ""}, {"SOUT", ""},  /* a spent token */
	{"S2SEG", ""}, {"S2IN", ""}, {"S2OUT", ""}, /* a token of the other survey */
};

static void
set_var(const char *name, const char *value)
{
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (strcmp(vars[i].name, name) == 0) {
			snprintf(vars[i].value, sizeof(vars[i].value), "%s", value);
			return;
		}
	abort();
}

static const char *
get_var(const char *name)
{
	for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if (strcmp(vars[i].name, name) == 0)
			return vars[i].value;
	abort();
}

/* Replaces every @NAME@ of tpl; the result is malloc'ed. */
static char *
expand(const char *tpl, size_t *len)
{
	size_t cap = strlen(tpl) * 2 + 4096, n = 0;
	char *out = malloc(cap);
	for (const char *p = tpl; *p;) {
		size_t k = 0, vl;
		if (*p == '@') {
			for (k = 0; k < sizeof(vars) / sizeof(vars[0]); k++) {
				size_t nl = strlen(vars[k].name);
				if (strncmp(p + 1, vars[k].name, nl) == 0 && p[1 + nl] == '@')
					break;
			}
		}
		if (*p == '@' && k < sizeof(vars) / sizeof(vars[0])) {
			vl = strlen(vars[k].value);
			if (n + vl + 1 >= cap)
				out = realloc(out, cap = cap * 2 + vl);
			memcpy(out + n, vars[k].value, vl);
			n += vl;
			p += strlen(vars[k].name) + 2;
		} else {
			if (n + 2 >= cap)
				out = realloc(out, cap *= 2);
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	*len = n;
	return out;
}

/* Connects from a chosen loopback address, so that the per-address limit
 * an attacker runs into is not the one the employees share. */
static int
connect_from(const char *src)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)S.port)};
	struct sockaddr_in b = {.sin_family = AF_INET};
	struct timeval tv = {10, 0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	inet_pton(AF_INET, src, &b.sin_addr);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	if (bind(fd, (struct sockaddr *)&b, sizeof(b)) != 0 ||
	    connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Sends raw bytes and reads until the server closes (or 10 s pass).
 * Returns the status, NO_RESPONSE when the server closed without an HTTP
 * response, -1 when it could not connect or timed out. */
static int
send_raw(const char *src, const char *req, size_t len)
{
	char buf[4096];
	size_t n = 0;
	ssize_t got;
	int fd = connect_from(src), status = NO_RESPONSE;

	if (fd < 0)
		return -1;
	for (size_t off = 0; off < len;) {
		/* The server may answer (413, 431) and close before reading it
		 * all: stop writing then and read the answer. */
		ssize_t w = send(fd, req + off, len - off, MSG_NOSIGNAL);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	while ((got = recv(fd, buf + n, sizeof(buf) - 1 - n, 0)) > 0) {
		n += (size_t)got;
		if (n == sizeof(buf) - 1)
			n = 64; /* keep the status line, drop the rest */
	}
	if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		status = -1;
	close(fd);
	buf[n] = '\0';
	if (n > 0 && sscanf(buf, "HTTP/1.%*d %d", &status) != 1)
		status = -1;
	return status;
}

/* Opened and responded, summed over the groups of both surveys. */
static void
counts(int64_t *opened, int64_t *responded)
{
	static const char *const ids[] = {SURVEY_ID, SURVEY2};
	struct db *db = NULL;
	struct koe_msg msg;

	*opened = *responded = -1;
	if (db_open(S.db, DB_READONLY, &db, &msg) != KOE_OK)
		return;
	*opened = *responded = 0;
	for (size_t i = 0; i < 2; i++) {
		struct db_segment *v = NULL;
		size_t n = 0;
		if (db_segments_get(db, ids[i], &v, &n) != KOE_OK) {
			*opened = *responded = -1;
			break;
		}
		for (size_t g = 0; g < n; g++) {
			*opened += v[g].opened;
			*responded += v[g].responded;
		}
		db_segments_free(v, n);
	}
	db_close(db);
}

/* Fetches a token for code of survey as the browser does. Returns the HTTP
 * status of the issuance, or -1. */
static int
tkn_fetch(const char *survey, const char *code, struct tkn *t)
{
	struct hc_resp r;
	char path[256], bl64[64];
	uint8_t pk[32], ev[32], proof[64], info[TOK_INFO_MAX], out[64];
	size_t infolen;
	json_t *j;
	int status = -1;

	memset(t, 0, sizeof(*t));
	snprintf(t->survey, sizeof(t->survey), "%s", survey);
	fx_page_segment(&S, code, t->segment, sizeof(t->segment));
	snprintf(path, sizeof(path), "/api/v1/surveys/%s", survey);
	if (hc(S.port, "GET", path, NULL, NULL, &r) != 0)
		return -1;
	j = json_loads(r.body, 0, NULL);
	const char *pk64 = json_string_value(json_object_get(j, "public_key"));
	if (pk64 == NULL || b64url_decode(pk, 32, pk64, strlen(pk64)) != KOE_OK) {
		json_decref(j);
		hc_free(&r);
		return -1;
	}
	json_decref(j);
	hc_free(&r);
	if (tok_client_blind(&t->tk) != KOE_OK)
		return -1;
	b64url_encode(bl64, sizeof(bl64), t->tk.blinded, 32);
	if (hc_post_json(S.port, "/api/v1/issue",
	                 json_pack("{s:s, s:s}", "invite", code, "blinded", bl64), &r) != 0)
		return -1;
	status = r.status;
	j = json_loads(r.body, 0, NULL);
	const char *ev64 = json_string_value(json_object_get(j, "evaluated"));
	const char *pr64 = json_string_value(json_object_get(j, "proof"));
	if (status == 200 &&
	    (ev64 == NULL || pr64 == NULL || b64url_decode(ev, 32, ev64, strlen(ev64)) != KOE_OK ||
	     b64url_decode(proof, 64, pr64, strlen(pr64)) != KOE_OK ||
	     tok_info_build(survey, t->segment, info, sizeof(info), &infolen) != KOE_OK ||
	     tok_client_finalize(&t->tk, pk, info, infolen, ev, proof, out) != KOE_OK))
		status = -1;
	b64url_encode(t->in64, sizeof(t->in64), t->tk.input, 32);
	b64url_encode(t->out64, sizeof(t->out64), out, 64);
	json_decref(j);
	hc_free(&r);
	return status;
}

static int
tkn_submit(const struct tkn *t, json_t *answers)
{
	struct hc_resp r;
	int status;
	if (hc_post_json(S.port, "/api/v1/responses",
	                 json_pack("{s:s, s:s, s:{s:s, s:s}, s:o}", "survey", t->survey, "segment",
	                           t->segment, "token", "input", t->in64, "output", t->out64,
	                           "answers", answers),
	                 &r) != 0)
		return -1;
	status = r.status;
	hc_free(&r);
	return status;
}

/* A normal employee from start to receipt. */
static int
employee_answers(void)
{
	struct fx_emp e;
	struct hc_resp r;
	int status;
	if (next_employee >= S.nlinks)
		return -1;
	if (fx_token(&S, S.codes[next_employee++], &e) != 200)
		return -1;
	status = fx_submit(&S, &e, valid_answers(), &r);
	hc_free(&r);
	return status;
}

/* ---- the catalogue ---- */

#define J "application/json"
/* A valid submission's fields around an answers object. */
#define SUBMIT_PRE "{\"survey\":\"@SID@\",\"segment\":\"@SEG@\",\"token\":{\"input\":\"@IN@\",\"output\":\"@OUT@\"},\"answers\":"
/* Every answer of the flagship survey but support.1, without braces. The
 * employee has not seen a colleague leave (saw_leave 2), so the offboarding
 * battery ([[ShowIf:saw_leave = 1]]) is not shown to them. */
#define ANS_REST                                                                                 \
	"\"support.2\":4,\"support.3\":4,\"support.4\":4,\"support.5\":4,"                        \
	"\"support.6\":4,\"support.7\":4,\"rejoin.1\":3,\"rejoin.2\":3,\"rejoin.3\":3,"             \
	"\"rejoin.4\":3,\"acceptance.1\":5,\"acceptance.2\":5,\"acceptance.3\":5,"                  \
	"\"acceptance.4\":5,\"morale.1\":2,\"morale.2\":2,\"morale.3\":2,\"morale.4\":2,"           \
	"\"morale.5\":2,\"morale.6\":2,\"enps\":8,\"saw_leave\":2,\"rehire_terms\":3,"      \
	"\"offerings\":[1,3]"
#define VALID_ANS "{\"support.1\":4," ANS_REST "}"
/* A valid submission up to its last answer; WITH(x) adds x (",\"key\":value")
 * and closes it, LIKERT1(v) gives support.1 the value v. */
#define PRE_WITH SUBMIT_PRE "{\"support.1\":4," ANS_REST
#define WITH(x) PRE_WITH x "}}"
#define LIKERT1(v) SUBMIT_PRE "{\"support.1\":" v "," ANS_REST "}}"
#define ISSUE(inv, bl) "{\"invite\":\"" inv "\",\"blinded\":\"" bl "\"}"

/* Long or deep bodies are built at run time. */
static char *
repeat(const char *pre, const char *unit, size_t times, const char *mid, const char *unit2,
       size_t times2, const char *post)
{
	size_t n = strlen(pre) + strlen(unit) * times + strlen(mid) + strlen(unit2) * times2 +
	           strlen(post) + 1;
	char *s = malloc(n), *p = s;
	p = stpcpy(p, pre);
	for (size_t i = 0; i < times; i++)
		p = stpcpy(p, unit);
	p = stpcpy(p, mid);
	for (size_t i = 0; i < times2; i++)
		p = stpcpy(p, unit2);
	stpcpy(p, post);
	return s;
}

static char *gen_deep_array(void) { return repeat(SUBMIT_PRE, "[", 30000, "", "]", 30000, "}"); }
static char *gen_deep_object(void) { return repeat(SUBMIT_PRE, "{\"a\":", 9, "1", "}", 9, "}"); }
static char *gen_deep_issue(void) { return repeat("{\"invite\":", "[", 20, "", "]", 20, "}"); }
static char *gen_long_invite(void) { return repeat("{\"invite\":\"", "A", 20000, "\",\"blinded\":\"@BL@\"}", "", 0, ""); }
static char *gen_long_text(void) { return repeat(PRE_WITH ",\"comments\":\"", "あ", 4001, "\"}}", "", 0, ""); }
static char *gen_long_key(void) { return repeat(PRE_WITH ",\"", "k", 30000, "\":1}}", "", 0, ""); }
static char *gen_many_multi(void) { return repeat(SUBMIT_PRE "{\"offerings\":[1", ",1", 100, "]}}", "", 0, ""); }
static char *gen_many_keys(void) { return repeat(SUBMIT_PRE "{\"enps\":1", ",\"x\":1", 1, "", ",\"y\":1", 0, "}}"); }
static char *gen_too_large(void) { return repeat(PRE_WITH ",\"comments\":\"", "a", 70000, "\"}}", "", 0, ""); }
static char *gen_huge_int(void) { return repeat(SUBMIT_PRE "{\"enps\":", "9", 400, "}}", "", 0, ""); }
static char *gen_huge_exp(void) { return strdup(SUBMIT_PRE "{\"enps\":1e999999}}"); }
static char *gen_long_url(void) { return repeat("GET /s/", "A", 70000, " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", "", 0, ""); }
static char *gen_long_header(void) { return repeat("GET /static/koe.css HTTP/1.1\r\nHost: x\r\nX-A: ", "a", 70000, "\r\nConnection: close\r\n\r\n", "", 0, ""); }
static char *gen_many_headers(void) { return repeat("GET /static/koe.css HTTP/1.1\r\nHost: x\r\n", "X-A: b\r\n", 10000, "Connection: close\r\n\r\n", "", 0, ""); }

struct hostile {
	const char *name;
	const char *method, *path, *ctype; /* NULL method: body is a raw request */
	const char *body;
	char *(*gen)(void);
	int want;
};

/* "(SQL)" and "(HTML)" mark payloads that would matter if any of these
 * values reached a query string or a page unescaped. */
static const struct hostile catalogue[] = {
	/* Broken JSON. */
	{"issue: empty body", "POST", "/api/v1/issue", J, "", NULL, 400},
	{"issue: lone brace", "POST", "/api/v1/issue", J, "{", NULL, 400},
	{"issue: truncated", "POST", "/api/v1/issue", J, "{\"invite\":\"@INV@\",\"blinded\":\"@BL@\"", NULL, 400},
	{"issue: trailing garbage", "POST", "/api/v1/issue", J, ISSUE("@INV@", "@BL@") "x", NULL, 400},
	{"issue: two objects", "POST", "/api/v1/issue", J, ISSUE("@INV@", "@BL@") ISSUE("@INV@", "@BL@"), NULL, 400},
	{"issue: array", "POST", "/api/v1/issue", J, "[\"@INV@\",\"@BL@\"]", NULL, 400},
	{"issue: null", "POST", "/api/v1/issue", J, "null", NULL, 400},
	{"issue: bare string", "POST", "/api/v1/issue", J, "\"@INV@\"", NULL, 400},
	{"issue: single quotes", "POST", "/api/v1/issue", J, "{'invite':'@INV@','blinded':'@BL@'}", NULL, 400},
	{"issue: NaN", "POST", "/api/v1/issue", J, "{\"invite\":NaN,\"blinded\":\"@BL@\"}", NULL, 400},
	{"issue: comment", "POST", "/api/v1/issue", J, "{/*x*/\"invite\":\"@INV@\",\"blinded\":\"@BL@\"}", NULL, 400},
	{"issue: nested 20 deep", "POST", "/api/v1/issue", J, NULL, gen_deep_issue, 400},
	/* Fields of the wrong shape. */
	{"issue: invite is a number", "POST", "/api/v1/issue", J, "{\"invite\":1,\"blinded\":\"@BL@\"}", NULL, 400},
	{"issue: blinded missing", "POST", "/api/v1/issue", J, "{\"invite\":\"@INV@\"}", NULL, 400},
	{"issue: extra field", "POST", "/api/v1/issue", J, "{\"invite\":\"@INV@\",\"blinded\":\"@BL@\",\"segment\":\"@SEG@\"}", NULL, 400},
	{"issue: duplicate key", "POST", "/api/v1/issue", J, "{\"invite\":\"@USED@\",\"invite\":\"@INV@\",\"blinded\":\"@BL@\"}", NULL, 400},
	{"issue: invite 21 chars", "POST", "/api/v1/issue", J, ISSUE("AAAAAAAAAAAAAAAAAAAAA", "@BL@"), NULL, 400},
	{"issue: invite 20000 chars", "POST", "/api/v1/issue", J, NULL, gen_long_invite, 400},
	{"issue: invite with NUL", "POST", "/api/v1/issue", J, ISSUE("AAAAAAAAAA\\u0000AAAAAAAAAAA", "@BL@"), NULL, 400},
	{"issue: invite invalid UTF-8", "POST", "/api/v1/issue", J, ISSUE("AAAAAAAAAAAAAAAAAAAA\xff\xfe", "@BL@"), NULL, 400},
	{"issue: invite overlong UTF-8 '/'", "POST", "/api/v1/issue", J, ISSUE("AAAAAAAAAAAAAAAAAAAA\xc0\xaf", "@BL@"), NULL, 400},
	{"issue: invite lone surrogate", "POST", "/api/v1/issue", J, ISSUE("AAAAAAAAAAAAAAAAAAAAA\\ud800", "@BL@"), NULL, 400},
	/* Wrong base64 and bad group elements. */
	{"issue: blinded 42 chars", "POST", "/api/v1/issue", J, ISSUE("@INV@", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), NULL, 400},
	{"issue: blinded 44 chars", "POST", "/api/v1/issue", J, ISSUE("@INV@", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), NULL, 400},
	{"issue: blinded with padding", "POST", "/api/v1/issue", J, ISSUE("@INV@", "@BL@="), NULL, 400},
	{"issue: blinded standard base64", "POST", "/api/v1/issue", J, ISSUE("@INV@", "+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/+/A"), NULL, 400},
	{"issue: blinded identity", "POST", "/api/v1/issue", J, ISSUE("@INV@", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), NULL, 400},
	/* 2^255 - 19 (p itself) and p + 2: non-canonical field encodings. */
	{"issue: blinded = p", "POST", "/api/v1/issue", J, ISSUE("@INV@", "7f_______________________________________38"), NULL, 400},
	{"issue: blinded non-canonical p+2", "POST", "/api/v1/issue", J, ISSUE("@INV@", "7________________________________________38"), NULL, 400},
	{"issue: blinded top bit set", "POST", "/api/v1/issue", J, ISSUE("@INV@", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAIA"), NULL, 400},
	{"issue: blinded negative field element", "POST", "/api/v1/issue", J, ISSUE("@INV@", "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), NULL, 400},
	{"issue: blinded not on the curve", "POST", "/api/v1/issue", J, ISSUE("@INV@", "AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), NULL, 400},
	/* Invites that are not ours. */
	{"issue: unknown invite", "POST", "/api/v1/issue", J, ISSUE("AAAAAAAAAAAAAAAAAAAAAA", "@BL@"), NULL, 404},
	{"issue: invite (SQL)", "POST", "/api/v1/issue", J, ISSUE("' OR '1'='1' --AAAAAAA", "@BL@"), NULL, 404},
	{"issue: invite path traversal", "POST", "/api/v1/issue", J, ISSUE("../../../../etc/passwd", "@BL@"), NULL, 404},
	{"issue: used invite, other element", "POST", "/api/v1/issue", J, ISSUE("@USED@", "@BL@"), NULL, 409},
	/* Content types and sizes. */
	{"issue: text/plain", "POST", "/api/v1/issue", "text/plain", ISSUE("@INV@", "@BL@"), NULL, 415},
	{"issue: no content type", "POST", "/api/v1/issue", NULL, ISSUE("@INV@", "@BL@"), NULL, 415},
	{"issue: application/jsonx", "POST", "/api/v1/issue", "application/jsonx", ISSUE("@INV@", "@BL@"), NULL, 415},
	{"issue: form encoded", "POST", "/api/v1/issue", "application/x-www-form-urlencoded", "invite=@INV@&blinded=@BL@", NULL, 415},
	{"issue: multipart", "POST", "/api/v1/issue", "multipart/form-data; boundary=x", "--x\r\n\r\n{}\r\n--x--", NULL, 415},
	{"responses: body over 64 KiB", "POST", "/api/v1/responses", J, NULL, gen_too_large, 413},

	/* Submissions: malformed. */
	{"responses: answers is an array", "POST", "/api/v1/responses", J, SUBMIT_PRE "[1,2]}", NULL, 400},
	{"responses: answers missing", "POST", "/api/v1/responses", J, "{\"survey\":\"@SID@\",\"segment\":\"@SEG@\",\"token\":{\"input\":\"@IN@\",\"output\":\"@OUT@\"}}", NULL, 400},
	{"responses: extra top-level field", "POST", "/api/v1/responses", J, SUBMIT_PRE VALID_ANS ",\"invite\":\"@USED@\"}", NULL, 400},
	{"responses: token output missing", "POST", "/api/v1/responses", J, "{\"survey\":\"@SID@\",\"segment\":\"@SEG@\",\"token\":{\"input\":\"@IN@\"},\"answers\":{}}", NULL, 400},
	{"responses: token is a string", "POST", "/api/v1/responses", J, "{\"survey\":\"@SID@\",\"segment\":\"@SEG@\",\"token\":\"@IN@\",\"answers\":{}}", NULL, 400},
	{"responses: input 42 chars", "POST", "/api/v1/responses", J, "{\"survey\":\"@SID@\",\"segment\":\"@SEG@\",\"token\":{\"input\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"output\":\"@OUT@\"},\"answers\":" VALID_ANS "}", NULL, 400},
	{"responses: output 85 chars", "POST", "/api/v1/responses", J, "{\"survey\":\"@SID@\",\"segment\":\"@SEG@\",\"token\":{\"input\":\"@IN@\",\"output\":\"@OUT@A\"},\"answers\":" VALID_ANS "}", NULL, 400},
	{"responses: input not base64url", "POST", "/api/v1/responses", J, "{\"survey\":\"@SID@\",\"segment\":\"@SEG@\",\"token\":{\"input\":\"!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\",\"output\":\"@OUT@\"},\"answers\":" VALID_ANS "}", NULL, 400},
	{"responses: answers nested 30000 deep", "POST", "/api/v1/responses", J, NULL, gen_deep_array, 400},
	{"responses: answers nested 9 deep", "POST", "/api/v1/responses", J, NULL, gen_deep_object, 400},
	{"responses: integer beyond 64 bits", "POST", "/api/v1/responses", J, NULL, gen_huge_int, 400},
	{"responses: exponent overflow", "POST", "/api/v1/responses", J, NULL, gen_huge_exp, 400},
	{"responses: text with NUL", "POST", "/api/v1/responses", J, WITH(",\"comments\":\"a\\u0000b\""), NULL, 400},
	{"responses: text invalid UTF-8", "POST", "/api/v1/responses", J, WITH(",\"comments\":\"\xed\xa0\x80\""), NULL, 400},
	{"responses: duplicate answer key", "POST", "/api/v1/responses", J, WITH(",\"enps\":1"), NULL, 400},
	/* Tokens that are not valid here. */
	{"responses: forged token", "POST", "/api/v1/responses", J, "{\"survey\":\"@SID@\",\"segment\":\"@SEG@\",\"token\":{\"input\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\",\"output\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"},\"answers\":" VALID_ANS "}", NULL, 403},
	{"responses: output of another token", "POST", "/api/v1/responses", J, "{\"survey\":\"@SID@\",\"segment\":\"@SEG@\",\"token\":{\"input\":\"@IN@\",\"output\":\"@SOUT@\"},\"answers\":" VALID_ANS "}", NULL, 403},
	{"responses: token for another group", "POST", "/api/v1/responses", J, "{\"survey\":\"@SID@\",\"segment\":\"@OSEG@\",\"token\":{\"input\":\"@IN@\",\"output\":\"@OUT@\"},\"answers\":" VALID_ANS "}", NULL, 403},
	{"responses: other survey's token here", "POST", "/api/v1/responses", J, "{\"survey\":\"@SID@\",\"segment\":\"@SEG@\",\"token\":{\"input\":\"@S2IN@\",\"output\":\"@S2OUT@\"},\"answers\":" VALID_ANS "}", NULL, 403},
	{"responses: this token, other survey", "POST", "/api/v1/responses", J, "{\"survey\":\"@S2SID@\",\"segment\":\"@S2SEG@\",\"token\":{\"input\":\"@IN@\",\"output\":\"@OUT@\"},\"answers\":{}}", NULL, 403},
	{"responses: unknown survey", "POST", "/api/v1/responses", J, "{\"survey\":\"nope\",\"segment\":\"@SEG@\",\"token\":{\"input\":\"@IN@\",\"output\":\"@OUT@\"},\"answers\":" VALID_ANS "}", NULL, 403},
	{"responses: survey (SQL)", "POST", "/api/v1/responses", J, "{\"survey\":\"x'; DROP TABLE spent; --\",\"segment\":\"@SEG@\",\"token\":{\"input\":\"@IN@\",\"output\":\"@OUT@\"},\"answers\":" VALID_ANS "}", NULL, 403},
	{"responses: segment (HTML)", "POST", "/api/v1/responses", J, "{\"survey\":\"@SID@\",\"segment\":\"<script>alert(1)</script>\",\"token\":{\"input\":\"@IN@\",\"output\":\"@OUT@\"},\"answers\":" VALID_ANS "}", NULL, 403},
	{"responses: wildcard segment", "POST", "/api/v1/responses", J, "{\"survey\":\"@SID@\",\"segment\":\"*\",\"token\":{\"input\":\"@IN@\",\"output\":\"@OUT@\"},\"answers\":" VALID_ANS "}", NULL, 403},
	{"responses: replayed (spent) token", "POST", "/api/v1/responses", J, "{\"survey\":\"@SID@\",\"segment\":\"@SSEG@\",\"token\":{\"input\":\"@SIN@\",\"output\":\"@SOUT@\"},\"answers\":" VALID_ANS "}", NULL, 409},
	/* Answers that break the questionnaire's rules (valid token). */
	{"responses: no answers at all", "POST", "/api/v1/responses", J, SUBMIT_PRE "{}}", NULL, 422},
	{"responses: Likert 6 of 5", "POST", "/api/v1/responses", J, LIKERT1("6"), NULL, 422},
	{"responses: Likert as string", "POST", "/api/v1/responses", J, LIKERT1("\"4\""), NULL, 422},
	{"responses: Likert as 4.0", "POST", "/api/v1/responses", J, LIKERT1("4.0"), NULL, 422},
	{"responses: Likert 1e308", "POST", "/api/v1/responses", J, LIKERT1("1e308"), NULL, 422},
	{"responses: Likert 2^63-1", "POST", "/api/v1/responses", J, LIKERT1("9223372036854775807"), NULL, 422},
	{"responses: Likert true", "POST", "/api/v1/responses", J, LIKERT1("true"), NULL, 422},
	{"responses: Likert object", "POST", "/api/v1/responses", J, LIKERT1("{\"v\":4}"), NULL, 422},
	{"responses: NPS -1", "POST", "/api/v1/responses", J, "{\"survey\":\"@SID@\",\"segment\":\"@SEG@\",\"token\":{\"input\":\"@IN@\",\"output\":\"@OUT@\"},\"answers\":{\"enps\":-1}}", NULL, 422},
	{"responses: NPS 11", "POST", "/api/v1/responses", J, "{\"survey\":\"@SID@\",\"segment\":\"@SEG@\",\"token\":{\"input\":\"@IN@\",\"output\":\"@OUT@\"},\"answers\":{\"enps\":11}}", NULL, 422},
	{"responses: NPS (HTML)", "POST", "/api/v1/responses", J, SUBMIT_PRE "{\"enps\":\"<script>alert(1)</script>\"}}", NULL, 422},
	{"responses: choice twice", "POST", "/api/v1/responses", J, SUBMIT_PRE "{\"offerings\":[1,1]}}", NULL, 422},
	{"responses: 101 choices", "POST", "/api/v1/responses", J, NULL, gen_many_multi, 422},
	{"responses: choice 0", "POST", "/api/v1/responses", J, SUBMIT_PRE "{\"offerings\":[0]}}", NULL, 422},
	{"responses: text 4001 chars", "POST", "/api/v1/responses", J, NULL, gen_long_text, 422},
	{"responses: text as number", "POST", "/api/v1/responses", J, WITH(",\"comments\":12"), NULL, 422},
	{"responses: HTML text + bad answer", "POST", "/api/v1/responses", J, SUBMIT_PRE "{\"comments\":\"<img src=x onerror=alert(1)>\"}}", NULL, 422},
	{"responses: unknown key (SQL)", "POST", "/api/v1/responses", J, WITH(",\"support.1' OR 1=1 --\":3"), NULL, 422},
	{"responses: unknown key (HTML)", "POST", "/api/v1/responses", J, WITH(",\"<svg onload=alert(1)>\":3"), NULL, 422},
	/* Display conditions: an answer to a question the page did not show. */
	{"responses: answer to a hidden question", "POST", "/api/v1/responses", J, WITH(",\"offboarding.1\":3"), NULL, 422},
	{"responses: hidden battery in full", "POST", "/api/v1/responses", J, WITH(",\"offboarding.1\":3,\"offboarding.2\":3,\"offboarding.3\":3,\"offboarding.4\":3"), NULL, 422},
	{"responses: trigger given twice to unlock", "POST", "/api/v1/responses", J, WITH(",\"offboarding.1\":3,\"saw_leave\":1"), NULL, 400},
	{"responses: trigger out of range to unlock", "POST", "/api/v1/responses", J, SUBMIT_PRE "{\"saw_leave\":3,\"offboarding.1\":3}}", NULL, 422},
	{"responses: trigger as a list to unlock", "POST", "/api/v1/responses", J, SUBMIT_PRE "{\"saw_leave\":[1],\"offboarding.1\":3}}", NULL, 422},
	{"responses: hidden answer without the required trigger", "POST", "/api/v1/responses", J, SUBMIT_PRE "{\"offboarding.1\":3}}", NULL, 422},
	{"responses: key of 30000 chars", "POST", "/api/v1/responses", J, NULL, gen_long_key, 422},
	{"responses: matrix row that does not exist", "POST", "/api/v1/responses", J, WITH(",\"support.99\":3"), NULL, 422},
	{"responses: other survey's answers", "POST", "/api/v1/responses", J, SUBMIT_PRE "{\"q1\":1}}", NULL, 422},
	{"responses: __proto__ key", "POST", "/api/v1/responses", J, WITH(",\"__proto__\":{}"), NULL, 422},
	{"responses: unknown key beside one answer", "POST", "/api/v1/responses", J, NULL, gen_many_keys, 422},

	/* Paths: traversal and strangers. */
	{"static: ../", "GET", "/static/../koe.db", NULL, NULL, NULL, 404},
	{"static: %2e%2e/", "GET", "/static/%2e%2e/koe.key", NULL, NULL, NULL, 404},
	{"static: ..%2f", "GET", "/static/..%2f..%2fkoe.key", NULL, NULL, NULL, 404},
	{"static: absolute", "GET", "/static//etc/passwd", NULL, NULL, NULL, 404},
	{"static: backslash", "GET", "/static/..\\koe.db", NULL, NULL, NULL, 404},
	{"static: source map", "GET", "/static/koe.js.map", NULL, NULL, NULL, 404},
	{"static: NUL byte cuts the name", "GET", "/static/koe.js%00.txt", NULL, NULL, NULL, 404},
	{"page: NUL byte in the invite", "GET", "/s/@INV@%00", NULL, NULL, NULL, 404},
	{"page: traversal", "GET", "/s/../../etc/passwd", NULL, NULL, NULL, 404},
	{"page: encoded traversal", "GET", "/s/%2e%2e%2fkoe.db", NULL, NULL, NULL, 404},
	{"page: invite (HTML)", "GET", "/s/%3Cscript%3Ealert(1)%3C%2Fscript%3E", NULL, NULL, NULL, 404},
	{"page: invite (SQL)", "GET", "/s/'%20OR%20'1'='1'%20--AAAAAAA", NULL, NULL, NULL, 404},
	{"page: unknown invite", "GET", "/s/AAAAAAAAAAAAAAAAAAAAAA", NULL, NULL, NULL, 404},
	{"manifest: traversal", "GET", "/api/v1/surveys/../../koe.db", NULL, NULL, NULL, 404},
	{"receipts: traversal", "GET", "/api/v1/surveys/@SID@/../receipts", NULL, NULL, NULL, 404},
	{"manifest: id of 200 chars", "GET", "/api/v1/surveys/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL, NULL, NULL, 404},
	{"receipts while open", "GET", "/api/v1/surveys/@SID@/receipts", NULL, NULL, NULL, 403},
	{"api: unknown endpoint", "POST", "/api/v1/admin", J, "{}", NULL, 404},
	{"root", "GET", "/", NULL, NULL, NULL, 404},
	/* Methods. */
	{"PUT issue", "PUT", "/api/v1/issue", J, ISSUE("@INV@", "@BL@"), NULL, 405},
	{"GET issue", "GET", "/api/v1/issue", NULL, NULL, NULL, 405},
	{"DELETE responses", "DELETE", "/api/v1/responses", NULL, NULL, NULL, 405},
	{"GET responses", "GET", "/api/v1/responses", NULL, NULL, NULL, 405},
	{"POST page", "POST", "/s/@INV@", J, "{}", NULL, 405},
	{"POST static", "POST", "/static/koe.js", J, "{}", NULL, 405},
	{"PATCH manifest", "PATCH", "/api/v1/surveys/@SID@", J, "{}", NULL, 405},
	{"POST receipts", "POST", "/api/v1/surveys/@SID@/receipts", J, "{}", NULL, 405},
	{"OPTIONS issue", "OPTIONS", "/api/v1/issue", NULL, NULL, NULL, 405},
	{"TRACE issue", "TRACE", "/api/v1/issue", NULL, NULL, NULL, 405},
	{"made-up method", "BREW", "/api/v1/responses", NULL, NULL, NULL, 405},

	/* Broken HTTP framing: libmicrohttpd answers or drops these before
	 * koe sees them. */
	{"http: garbage request line", NULL, NULL, NULL, "HELLO\r\n\r\n", NULL, NO_RESPONSE},
	{"http: header without colon", NULL, NULL, NULL, "GET / HTTP/1.1\r\nHost: x\r\nNoColon\r\nConnection: close\r\n\r\n", NULL, 400},
	{"http: Content-Length not a number", NULL, NULL, NULL, "POST /api/v1/issue HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\nConnection: close\r\n\r\n{}", NULL, 400},
	{"http: negative Content-Length", NULL, NULL, NULL, "POST /api/v1/issue HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -1\r\nConnection: close\r\n\r\n{}", NULL, 400},
	{"http: two Content-Lengths", NULL, NULL, NULL, "POST /api/v1/issue HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 60\r\nConnection: close\r\n\r\n{}", NULL, 400},
	{"http: Content-Length and chunked (smuggling)", NULL, NULL, NULL, "POST /api/v1/issue HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\nGET /api/v1/surveys/@SID@/receipts HTTP/1.1\r\nHost: x\r\n\r\n", NULL, 400},
	{"http: bad chunk size", NULL, NULL, NULL, "POST /api/v1/issue HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", NULL, 400},
	{"http: Content-Length 2^64+1", NULL, NULL, NULL, "POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 18446744073709551617\r\nConnection: close\r\n\r\n{}", NULL, 413},
	{"http: Content-Length 100 GB", NULL, NULL, NULL, "POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000000000\r\nConnection: close\r\n\r\n{}", NULL, 413},
	{"http: HTTP/1.1 without Host", NULL, NULL, NULL, "GET /static/koe.css HTTP/1.1\r\nConnection: close\r\n\r\n", NULL, 400},
	{"http: POST without Host", NULL, NULL, NULL, "POST /api/v1/issue HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", NULL, 400},
	{"http: HTTP/2.0", NULL, NULL, NULL, "GET /static/koe.css HTTP/2.0\r\nHost: x\r\nConnection: close\r\n\r\n", NULL, 505},
	{"http: URL of 70000 bytes", NULL, NULL, NULL, NULL, gen_long_url, 414},
	{"http: header of 70000 bytes", NULL, NULL, NULL, NULL, gen_long_header, 431},
	{"http: 10000 headers", NULL, NULL, NULL, NULL, gen_many_headers, 431},
};

static size_t tried, kinds_checked;

static void
one(const struct hostile *h)
{
	int64_t op0, re0, op1, re1;
	char *tpl = h->gen ? h->gen() : NULL, *body, *req;
	size_t blen, rlen;
	int status;

	harness_current = h->name;
	counts(&op0, &re0);
	body = expand(tpl ? tpl : h->body ? h->body : "", &blen);
	if (h->method == NULL) {
		req = body;
		rlen = blen;
	} else {
		char *path;
		size_t plen;
		path = expand(h->path, &plen);
		req = malloc(blen + plen + 1024);
		rlen = (size_t)snprintf(req, plen + 1024,
		                        "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
		                        "%s%s%sContent-Length: %zu\r\n\r\n",
		                        h->method, path, h->ctype ? "Content-Type: " : "",
		                        h->ctype ? h->ctype : "", h->ctype ? "\r\n" : "", blen);
		memcpy(req + rlen, body, blen);
		rlen += blen;
		free(path);
		free(body);
	}
	/* From another address than the employees', as an attacker would. */
	status = send_raw("127.0.0.2", req, rlen);
	if (status != h->want)
		fprintf(stderr, "  %s: got %d, want %d\n", h->name, status, h->want);
	CHECK_INT(status, h->want);
	free(req);
	free(tpl);
	tried++;

	/* Nothing stored, nothing opened. */
	counts(&op1, &re1);
	CHECK(op0 >= 0);
	CHECK_INT(op1, op0);
	CHECK_INT(re1, re0);
	/* And the next employee is served in full. */
	CHECK_INT(employee_answers(), 201);
	counts(&op1, &re1);
	CHECK_INT(op1, op0 + 1);
	CHECK_INT(re1, re0 + 1);
	kinds_checked++;
}

static void
catalogue_requests(void)
{
	for (size_t i = 0; i < sizeof(catalogue) / sizeof(catalogue[0]); i++)
		one(&catalogue[i]);
}

/* ---- slow and surplus connections ---- */

#define CSS_REQ "GET /static/koe.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Waits until the server closes fd; returns the seconds it took, or -1
 * (after limit seconds) if it did not, or if it answered something. */
static double
wait_closed(int fd, double limit)
{
	double t0 = now_s();
	char c;
	struct pollfd p = {fd, POLLIN, 0};
	while (now_s() - t0 < limit) {
		if (poll(&p, 1, 100) > 0) {
			ssize_t n = recv(fd, &c, 1, 0);
			return n == 0 || (n < 0 && errno == ECONNRESET) ? now_s() - t0 : -1;
		}
	}
	return -1;
}

/* The server runs with --timeout 2: a request that stops half way is
 * dropped without an answer, in the headers and in the body. */
static void
slow_requests_are_dropped(void)
{
	static const char *const partial[] = {
		"GET /s/", /* in the request line */
		"POST /api/v1/issue HTTP/1.1\r\nHost: x\r\nContent-Type: appl", /* headers */
		("POST /api/v1/issue HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
		 "Content-Length: 80\r\n\r\n{\"invite\":"), /* body */
	};
	int64_t op0, re0, op1, re1;

	counts(&op0, &re0);
	for (size_t i = 0; i < 3; i++) {
		int fd = connect_from("127.0.0.2");
		double t;
		CHECK(fd >= 0);
		if (fd < 0)
			continue;
		CHECK(send(fd, partial[i], strlen(partial[i]), MSG_NOSIGNAL) > 0);
		t = wait_closed(fd, 8);
		CHECK(t >= 1.0 && t < 6.0);
		close(fd);
		tried++;
	}
	counts(&op1, &re1);
	CHECK_INT(op1, op0);
	CHECK_INT(re1, re0);
	CHECK_INT(employee_answers(), 201);
}

/* Slowloris proper: connections that send a header byte just often enough
 * never go idle, so libmicrohttpd's idle timeout never fires. koe gives every
 * request a deadline (--timeout, 2 s here): the trickling connections are
 * dropped within it although they keep sending, an employee from another
 * address is served meanwhile, and while they last, the per-address limit
 * (--per-ip 8 here) keeps a ninth one out. */
static void
trickling_connections_are_dropped(void)
{
	int fd[10];
	double t0 = now_s(), closed_at[8];
	bool employee_done = false;
	int open_conns = 0;

	for (int i = 0; i < 8; i++) {
		closed_at[i] = -1;
		fd[i] = connect_from("127.0.0.3");
		CHECK(fd[i] >= 0);
		if (fd[i] >= 0)
			send(fd[i], "GET /static/koe.css HTTP/1.1\r\nHost: x\r\n", 39, MSG_NOSIGNAL);
	}
	/* Let the server register all eight before the ninth knocks. */
	usleep(300 * 1000);
	fd[8] = connect_from("127.0.0.3");
	CHECK(fd[8] >= 0);
	if (fd[8] >= 0) {
		/* Over the limit: closed without a word. */
		send(fd[8], "GET /static/koe.css HTTP/1.1\r\nHost: x\r\n\r\n", 41, MSG_NOSIGNAL);
		CHECK(wait_closed(fd[8], 5) >= 0);
		close(fd[8]);
	}
	tried += 9;
	/* Trickle a byte every 0.4 s, well inside the idle timeout, for up to
	 * 6 s; serve an employee on the way; note when each one is dropped. */
	do {
		open_conns = 0;
		for (int i = 0; i < 8; i++) {
			char c;
			struct pollfd pf = {fd[i], POLLIN, 0};
			if (fd[i] < 0 || closed_at[i] >= 0)
				continue;
			if (poll(&pf, 1, 0) > 0 && recv(fd[i], &c, 1, MSG_DONTWAIT) <= 0) {
				closed_at[i] = now_s() - t0;
				continue;
			}
			send(fd[i], "X", 1, MSG_NOSIGNAL);
			open_conns++;
		}
		if (!employee_done && now_s() - t0 > 1.0) {
			CHECK_INT(employee_answers(), 201);
			employee_done = true;
		}
		usleep(400 * 1000);
	} while (open_conns > 0 && now_s() - t0 < 6.0);
	CHECK(employee_done);
	for (int i = 0; i < 8; i++) {
		/* Deadline 2 s after connecting; the reaper looks every 0.25 s. */
		if (!(closed_at[i] >= 1.5 && closed_at[i] < 4.0))
			fprintf(stderr, "trickling connection %d closed at %.2f s\n", i, closed_at[i]);
		CHECK(closed_at[i] >= 1.5 && closed_at[i] < 4.0);
		if (fd[i] >= 0)
			close(fd[i]);
	}
	/* Once they are gone the address is served again. */
	{
		double t1 = now_s();
		int st = 0;
		while (now_s() - t1 < 6 && st != 200) {
			usleep(100 * 1000);
			st = send_raw("127.0.0.3", CSS_REQ, strlen(CSS_REQ));
		}
		CHECK_INT(st, 200);
	}
}

/* A keep-alive connection that answered one request has a fresh deadline
 * for the next: a second request trickled over more than --timeout is
 * dropped too, after the first was answered. */
static void
keep_alive_trickle_is_dropped(void)
{
	int fd = connect_from("127.0.0.6");
	char buf[4096];
	double t0;
	ssize_t n;
	CHECK(fd >= 0);
	if (fd < 0)
		return;
	static const char first[] = "GET /static/koe.css HTTP/1.1\r\nHost: x\r\n\r\n";
	send(fd, first, sizeof(first) - 1, MSG_NOSIGNAL);
	n = recv(fd, buf, sizeof(buf) - 1, 0);
	CHECK(n > 12 && memcmp(buf, "HTTP/1.1 200", 12) == 0);
	/* Drain the rest of the first response. */
	usleep(200 * 1000);
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		;
	t0 = now_s();
	send(fd, "GET /static/koe.css HTTP/1.1\r\n", 31, MSG_NOSIGNAL);
	double closed = -1;
	while (now_s() - t0 < 6.0 && closed < 0) {
		char c;
		struct pollfd pf = {fd, POLLIN, 0};
		if (poll(&pf, 1, 0) > 0 && recv(fd, &c, 1, MSG_DONTWAIT) <= 0)
			closed = now_s() - t0;
		else
			send(fd, "X", 1, MSG_NOSIGNAL);
		usleep(400 * 1000);
	}
	CHECK(closed >= 1.5 && closed < 4.0);
	close(fd);
	tried++;
}

/* Idle connections up to the per-address limit, and a burst over it: the
 * surplus is closed at once, the others stay usable, employees are served. */
static void
too_many_connections(void)
{
	int fd[24], refused = 0;

	for (int i = 0; i < 24; i++)
		fd[i] = connect_from("127.0.0.4");
	usleep(300 * 1000);
	for (int i = 0; i < 24; i++) {
		struct pollfd p = {fd[i], POLLIN, 0};
		char c;
		if (fd[i] < 0) {
			refused++;
			continue;
		}
		/* The surplus ones are already closed by the server. */
		if (poll(&p, 1, 0) > 0 && recv(fd[i], &c, 1, MSG_DONTWAIT) <= 0) {
			refused++;
			close(fd[i]);
			fd[i] = -1;
		}
	}
	tried += 24;
	CHECK_INT(refused, 16);
	CHECK_INT(employee_answers(), 201);
	/* The ones admitted still work. */
	for (int i = 0; i < 24; i++) {
		if (fd[i] < 0)
			continue;
		static const char req[] = CSS_REQ;
		char buf[32] = {0};
		CHECK(send(fd[i], req, sizeof(req) - 1, MSG_NOSIGNAL) > 0);
		CHECK(recv(fd[i], buf, sizeof(buf) - 1, MSG_WAITALL) > 0);
		CHECK(strncmp(buf, "HTTP/1.1 200", 12) == 0);
		close(fd[i]);
	}
}

/* An answer to a hidden question is refused with its reason, by key, and
 * the token stays unspent (abused_tokens_still_valid spends it after). */
static void
hidden_answer_refused_with_reason(struct tkn *good)
{
	struct hc_resp r;
	json_t *a = valid_answers(), *body, *errs;
	json_object_set_new(a, "offboarding.2", json_integer(4));
	CHECK(hc_post_json(S.port, "/api/v1/responses",
	                   json_pack("{s:s, s:s, s:{s:s, s:s}, s:o}", "survey", good->survey,
	                             "segment", good->segment, "token", "input", good->in64,
	                             "output", good->out64, "answers", a),
	                   &r) == 0);
	CHECK_INT(r.status, 422);
	body = json_loads(r.body ? r.body : "", 0, NULL);
	errs = json_object_get(body, "errors");
	CHECK_INT(json_array_size(errs), 1);
	CHECK_STR(json_string_value(json_object_get(json_array_get(errs, 0), "question")),
	          "offboarding.2");
	CHECK_STR(json_string_value(json_object_get(json_array_get(errs, 0), "code")), "not_shown");
	json_decref(body);
	hc_free(&r);
}

/* The tokens the catalogue abused were never spent: they still work once. */
static void
abused_tokens_still_valid(struct tkn *good, struct tkn *other_survey)
{
	CHECK_INT(tkn_submit(good, valid_answers()), 201);
	CHECK_INT(tkn_submit(good, valid_answers()), 409);
	json_t *a = json_object();
	json_object_set_new(a, "q1", json_integer(4));
	CHECK_INT(tkn_submit(other_survey, a), 201);
}

static void
setup(struct tkn *good, struct tkn *spent, struct tkn *other_group, struct tkn *s2)
{
	const char *bin = getenv("KOE_BIN"), *src = getenv("KOE_SRC");
	char path[512], line[1024], code2[64] = "", bl64[64];
	struct tok_client_token tk;
	FILE *f;

	srv_open(&S, 200);
	/* A second survey in the same database, for cross-survey tokens. */
	CHECK_INT(run_cmd("cd %s && '%s' open '%s/tests/data/qualtrics-plain.txt' --roster roster.csv "
	                  "--base-url http://127.0.0.1:1 --db koe.db --key koe.key --out links2.csv "
	                  "--passphrase-file pass.txt >/dev/null",
	                  S.dir, bin, src),
	          0);
	snprintf(path, sizeof(path), "%s/links2.csv", S.dir);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "/s/")) {
			snprintf(code2, sizeof(code2), "%.*s", (int)strcspn(strstr(line, "/s/") + 3, "\r\n"),
			         strstr(line, "/s/") + 3);
			break;
		}
	if (f)
		fclose(f);
	srv_start(&S, "--per-ip 8 --timeout 2");

	set_var("INV", S.codes[0]);
	set_var("USED", S.codes[1]);
	CHECK_INT(tkn_fetch(SURVEY_ID, S.codes[1], spent), 200);
	CHECK_INT(tkn_submit(spent, valid_answers()), 201);
	set_var("SSEG", spent->segment);
	set_var("SIN", spent->in64);
	set_var("SOUT", spent->out64);
	CHECK_INT(tkn_fetch(SURVEY_ID, S.codes[2], good), 200);
	set_var("SEG", good->segment);
	set_var("IN", good->in64);
	set_var("OUT", good->out64);
	/* An employee of another group than the good token's. */
	for (size_t i = 3; i < 8; i++) {
		char seg[64];
		fx_page_segment(&S, S.codes[i], seg, sizeof(seg));
		if (seg[0] && strcmp(seg, good->segment) != 0) {
			CHECK_INT(tkn_fetch(SURVEY_ID, S.codes[i], other_group), 200);
			set_var("OSEG", seg);
			break;
		}
	}
	CHECK(get_var("OSEG")[0] != '\0'); /* the roster has two groups */
	CHECK(code2[0] != '\0');
	CHECK_INT(tkn_fetch(SURVEY2, code2, s2), 200);
	set_var("S2SEG", s2->segment);
	set_var("S2IN", s2->in64);
	set_var("S2OUT", s2->out64);
	CHECK(tok_client_blind(&tk) == KOE_OK);
	b64url_encode(bl64, sizeof(bl64), tk.blinded, 32);
	set_var("BL", bl64);
}

int
main(void)
{
	struct tkn good, spent, other_group, s2;

	if (sodium_init() < 0 || tok_init() != KOE_OK)
		return 2;
	harness_current = "setup";
	setup(&good, &spent, &other_group, &s2);
	RUN(catalogue_requests);
	RUN(slow_requests_are_dropped);
	RUN(trickling_connections_are_dropped);
	RUN(keep_alive_trickle_is_dropped);
	RUN(too_many_connections);
	harness_current = "hidden answer";
	hidden_answer_refused_with_reason(&good);
	harness_current = "abused tokens";
	abused_tokens_still_valid(&good, &s2);
	printf("%zu hostile requests or connections tried; %zu catalogue entries each followed "
	       "by a served employee\n",
	       tried, kinds_checked);
	harness_current = "stop";
	CHECK_INT(srv_stop(&S), 0);
	srv_cleanup(&S);
	return harness_done();
}
