/* docs/ARCHITECTURE.md §9 and §4.4 under crashes: `koe serve` is killed with SIGKILL at
 * random moments while employees fetch tokens and answer, then restarted.
 * Afterwards:
 *
 *   - every receipt ever acknowledged with 201 is in the published receipt
 *     list, and the list holds nothing but tokens the employees submitted;
 *   - no token is counted twice: receipts are unique, there are as many
 *     stored responses as spent tokens, and a retried submission whose first
 *     attempt died with the server gets 201 once or 409;
 *   - no invitation issued two different tokens: every link whose issuance
 *     was acknowledged answers a different blinded element with 409 and the
 *     same one with the very same evaluated element, and an issuance cut off
 *     by a kill, retried with its blinded element, gets 200;
 *   - the opened count lies between the acknowledged and the attempted
 *     issuances;
 *   - PRAGMA integrity_check says ok.
 *
 * Short form for ctest: 3 kills. Long form: KILLS=20 (and CRASH_CLIENTS,
 * default 16), e.g.
 *   KILLS=20 KOE_BIN=build/koe KOE_SRC=$PWD build/test_crash_kill9 */
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include <sqlite3.h>

#include "koe/db.h"
#include "koe/httpc.h"
#include "server_fixture.h"

enum emp_state {
	E_NEW,        /* nothing done yet */
	E_ISSUING,    /* blinded element chosen; issuance not acknowledged */
	E_TOKEN,      /* token in hand, never submitted */
	E_SUBMITTING, /* submitted, the answer was lost with the server */
	E_DONE,       /* 201 received */
	E_DONE_LOST,  /* 409 on a retry: the lost submission had been stored */
	E_FAILED,     /* refused: a violation, reported */
};

struct emp {
	enum emp_state state;
	bool issue_acked;
	char seg[64];
	struct tok_client_token tk;
	uint8_t ev[TOK_ELEMENT_BYTES];
	uint8_t out[TOK_OUTPUT_BYTES];
	char receipt[TOK_HEX_LEN + 1];
};

static struct srv S;
static char **codes;
static size_t ncodes;
static struct emp *emps;
static uint8_t pk[TOK_ELEMENT_BYTES];
static unsigned nclients = 16;
static atomic_bool finishing;     /* last round: only retry what is pending */
static atomic_int violations;
static atomic_long progress;      /* successful requests in this round */

static void
violation(const char *what, size_t i, int status)
{
	fprintf(stderr, "violation: %s (employee %zu, status %d)\n", what, i, status);
	atomic_fetch_add(&violations, 1);
}

static const char answers[] =
	"{\"support.1\":4,\"support.2\":4,\"support.3\":4,\"support.4\":4,\"support.5\":4,"
	"\"support.6\":4,\"support.7\":4,\"rejoin.1\":3,\"rejoin.2\":3,\"rejoin.3\":3,"
	"\"rejoin.4\":3,\"acceptance.1\":5,\"acceptance.2\":5,\"acceptance.3\":5,"
	"\"acceptance.4\":5,\"morale.1\":2,\"morale.2\":2,\"morale.3\":2,\"morale.4\":2,"
	"\"morale.5\":2,\"morale.6\":2,\"enps\":8,\"saw_leave\":2,\"rehire_terms\":3,\"offerings\":[1,3]}";

static int
post_issue(struct httpc *c, const char *code, const uint8_t blinded[32], uint8_t ev[32],
           int *status)
{
	char body[256], b64[48];
	struct httpc_resp r;
	const char *p;

	b64url_encode(b64, sizeof(b64), blinded, 32);
	snprintf(body, sizeof(body), "{\"invite\":\"%s\",\"blinded\":\"%s\"}", code, b64);
	if (httpc_request(c, "POST", "/api/v1/issue", "application/json", body, strlen(body), &r) !=
	    KOE_OK)
		return -1;
	*status = r.status;
	if (r.status == 200) {
		p = strstr(r.body, "\"evaluated\":\"");
		if (p == NULL || b64url_decode(ev, 32, p + 13, strcspn(p + 13, "\"")) != KOE_OK)
			*status = -2;
	}
	return 0;
}

/* Moves employee i as far as it goes. Returns -1 when the server is gone. */
static int
advance(struct httpc *c, size_t i)
{
	struct emp *e = &emps[i];
	struct httpc_resp r;
	int status;

	if (e->state == E_NEW) {
		char path[64];
		const char *p;
		snprintf(path, sizeof(path), "/s/%s", codes[i]);
		if (httpc_request(c, "GET", path, NULL, NULL, 0, &r) != KOE_OK)
			return -1;
		atomic_fetch_add(&progress, 1);
		if (r.status != 200 || (p = strstr(r.body, "data-segment=\"")) == NULL) {
			violation("page not served", i, r.status);
			return 0;
		}
		snprintf(e->seg, sizeof(e->seg), "%.*s", (int)strcspn(p + 14, "\""), p + 14);
		if (tok_client_blind(&e->tk) != KOE_OK)
			abort();
		e->state = E_ISSUING;
	}
	if (e->state == E_ISSUING) {
		uint8_t proof[TOK_PROOF_BYTES], info[TOK_INFO_MAX];
		size_t infolen;
		char b64[48], body[256];
		const char *p;
		/* The same blinded element as before a crash: a retry. */
		b64url_encode(b64, sizeof(b64), e->tk.blinded, 32);
		snprintf(body, sizeof(body), "{\"invite\":\"%s\",\"blinded\":\"%s\"}", codes[i], b64);
		if (httpc_request(c, "POST", "/api/v1/issue", "application/json", body, strlen(body),
		                  &r) != KOE_OK)
			return -1;
		if (r.status != 200) {
			violation("issuance (or its retry) refused", i, r.status);
			e->state = E_FAILED;
			return 0;
		}
		p = strstr(r.body, "\"proof\":\"");
		const char *q = strstr(r.body, "\"evaluated\":\"");
		if (p == NULL || q == NULL ||
		    b64url_decode(e->ev, 32, q + 13, strcspn(q + 13, "\"")) != KOE_OK ||
		    b64url_decode(proof, sizeof(proof), p + 9, strcspn(p + 9, "\"")) != KOE_OK ||
		    tok_info_build(SURVEY_ID, e->seg, info, sizeof(info), &infolen) != KOE_OK ||
		    tok_client_finalize(&e->tk, pk, info, infolen, e->ev, proof, e->out) != KOE_OK) {
			violation("issuance answer does not verify", i, r.status);
			e->state = E_FAILED;
			return 0;
		}
		e->issue_acked = true;
		e->state = E_TOKEN;
	}
	if (e->state == E_TOKEN || e->state == E_SUBMITTING) {
		char in64[48], out64[96], body[2048];
		bool retry = e->state == E_SUBMITTING;
		b64url_encode(in64, sizeof(in64), e->tk.input, 32);
		b64url_encode(out64, sizeof(out64), e->out, 64);
		snprintf(body, sizeof(body),
		         "{\"survey\":\"%s\",\"segment\":\"%s\",\"token\":{\"input\":\"%s\","
		         "\"output\":\"%s\"},\"answers\":%s}",
		         SURVEY_ID, e->seg, in64, out64, answers);
		/* From here on the submission may have reached the server. */
		e->state = E_SUBMITTING;
		if (httpc_request(c, "POST", "/api/v1/responses", "application/json", body,
		                  strlen(body), &r) != KOE_OK)
			return -1;
		status = r.status;
		tok_receipt(e->tk.input, e->receipt);
		if (status == 201 && strstr(r.body, e->receipt) != NULL)
			e->state = E_DONE;
		else if (status == 409 && retry)
			e->state = E_DONE_LOST;
		else {
			violation("submission refused", i, status);
			e->state = E_FAILED;
		}
	}
	return 0;
}

static void *
client(void *arg)
{
	size_t t = (size_t)(uintptr_t)arg;
	struct httpc c;

	if (httpc_init(&c, "127.0.0.1", (uint16_t)S.port) != KOE_OK)
		return NULL;
	/* Employees t, t + nclients, ...: first the ones a crash left half
	 * way, then new ones. */
	for (size_t i = t; i < ncodes; i += nclients) {
		if (emps[i].state >= E_DONE)
			continue;
		if (emps[i].state == E_NEW && atomic_load(&finishing))
			break;
		if (advance(&c, i) != 0)
			break; /* the server died */
	}
	httpc_close(&c);
	return NULL;
}

static void
open_big(size_t n)
{
	const char *bin = getenv("KOE_BIN"), *src = getenv("KOE_SRC");
	char path[512], line[1024];
	size_t cap = n;
	FILE *f;

	memset(&S, 0, sizeof(S));
	S.pid = -1;
	setenv("KOE_KDF_MEMLIMIT", "8388608", 1);
	snprintf(S.dir, sizeof(S.dir), "/tmp/koe-crash-XXXXXX");
	if (bin == NULL || src == NULL || mkdtemp(S.dir) == NULL)
		exit(2);
	snprintf(S.db, sizeof(S.db), "%s/koe.db", S.dir);
	snprintf(S.key, sizeof(S.key), "%s/koe.key", S.dir);
	snprintf(path, sizeof(path), "%s/roster.csv", S.dir);
	f = fopen(path, "w");
	fprintf(f, "employee_id,department,tenure\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "E%05zu,部署%zu,%s\n", i, i % 6, i % 3 ? "1-3年" : "3-5年");
	fclose(f);
	snprintf(path, sizeof(path), "%s/pass.txt", S.dir);
	f = fopen(path, "w");
	fprintf(f, "correct horse battery staple\n");
	fclose(f);
	if (run_cmd("cd %s && '%s' open '%s/surveys/alumni-readiness.txt' --roster roster.csv "
	            "--base-url http://127.0.0.1:1 --db koe.db --key koe.key --out links.csv "
	            "--passphrase-file pass.txt >/dev/null",
	            S.dir, bin, src) != 0)
		exit(2);
	snprintf(path, sizeof(path), "%s/links.csv", S.dir);
	f = fopen(path, "r");
	codes = calloc(cap, sizeof(*codes));
	while (f && fgets(line, sizeof(line), f) && ncodes < cap) {
		char *code = strstr(line, "/s/");
		if (code == NULL)
			continue;
		code += 3;
		code[strcspn(code, "\r\n")] = '\0';
		codes[ncodes++] = strdup(code);
	}
	if (f)
		fclose(f);
	emps = calloc(ncodes, sizeof(*emps));
}

static void
run_clients(void)
{
	pthread_t th[256];
	for (unsigned t = 0; t < nclients; t++)
		pthread_create(&th[t], NULL, client, (void *)(uintptr_t)t);
	for (unsigned t = 0; t < nclients; t++)
		pthread_join(th[t], NULL);
}

struct killer {
	pid_t pid;
	unsigned ms;
};

/* Kills the server k->ms after the round's first page was served, so a slow
 * build (sanitizers, valgrind) still dies under load, not while starting. */
static void *
kill_later(void *arg)
{
	struct killer *k = arg;
	struct timespec tick = {0, 1000000L};
	struct timespec ts = {k->ms / 1000, (long)(k->ms % 1000) * 1000000L};
	for (int i = 0; i < 60000 && atomic_load(&progress) == 0; i++)
		nanosleep(&tick, NULL);
	nanosleep(&ts, NULL);
	kill(k->pid, SIGKILL);
	return NULL;
}

static void
kills_under_load(void)
{
	const char *env = getenv("KILLS");
	int kills = env ? atoi(env) : 3;
	size_t acked_before = 0;

	for (int k = 0; k < kills; k++) {
		struct killer kl;
		pthread_t th;
		int st;
		srv_start(&S, "--per-ip 0");
		if (k == 0)
			CHECK_INT(srv_public_key(&S, pk), 0);
		/* Kill 50 to 650 ms into the round: during issuance, submission,
		 * commit, checkpoint, whatever is running. */
		kl.pid = S.pid;
		kl.ms = 50 + randombytes_uniform(600);
		atomic_store(&progress, 0);
		pthread_create(&th, NULL, kill_later, &kl);
		run_clients();
		pthread_join(th, NULL);
		waitpid(S.pid, &st, 0);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
		S.pid = -1;
		size_t acked = 0;
		for (size_t i = 0; i < ncodes; i++)
			acked += emps[i].state == E_DONE;
		fprintf(stderr, "kill %d at %u ms: %zu receipts acknowledged so far (+%zu)\n", k + 1,
		        kl.ms, acked, acked - acked_before);
		acked_before = acked;
	}
}

/* After the last kill: finish every employee a crash left half way, then
 * test each acknowledged issuance against a second device. */
static void
recovery_and_invite_uniqueness(void)
{
	struct httpc c;
	size_t pending = 0, checked = 0;

	srv_start(&S, "--per-ip 0");
	atomic_store(&finishing, true);
	run_clients();
	for (size_t i = 0; i < ncodes; i++)
		pending += emps[i].state > E_NEW && emps[i].state < E_DONE;
	CHECK_INT(pending, 0);

	CHECK(httpc_init(&c, "127.0.0.1", (uint16_t)S.port) == KOE_OK);
	for (size_t i = 0; i < ncodes; i++) {
		struct tok_client_token other;
		uint8_t ev[32];
		int status = 0;
		if (!emps[i].issue_acked)
			continue;
		CHECK(tok_client_blind(&other) == KOE_OK);
		CHECK_INT(post_issue(&c, codes[i], other.blinded, ev, &status), 0);
		if (status != 409)
			violation("a used link issued for another element", i, status);
		CHECK_INT(post_issue(&c, codes[i], emps[i].tk.blinded, ev, &status), 0);
		if (status != 200 || memcmp(ev, emps[i].ev, 32) != 0)
			violation("a link's issuance changed", i, status);
		checked++;
	}
	httpc_close(&c);
	fprintf(stderr, "%zu acknowledged issuances checked against a second device\n", checked);
	CHECK(checked > 0);
	CHECK_INT(srv_stop(&S), 0);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Close, publish, compare; then look at the file itself. */
static void
receipts_after_close(void)
{
	struct hc_resp r;
	json_t *j, *list;
	size_t n, acked = 0, lost = 0, found = 0, submitted = 0;
	char **sorted;

	CHECK_INT(run_cmd("'%s' close --yes --db '%s' >/dev/null", getenv("KOE_BIN"), S.db), 0);
	srv_start(&S, "--per-ip 0");
	CHECK_INT(hc(S.port, "GET", "/api/v1/surveys/" SURVEY_ID "/receipts", NULL, NULL, &r), 0);
	CHECK_INT(r.status, 200);
	j = json_loads(r.body ? r.body : "", 0, NULL);
	list = json_object_get(j, "receipts");
	n = json_array_size(list);
	CHECK_INT(json_integer_value(json_object_get(j, "count")), n);
	sorted = calloc(n ? n : 1, sizeof(*sorted));
	for (size_t i = 0; i < n; i++)
		sorted[i] = (char *)json_string_value(json_array_get(list, i));
	/* Unique: no token counted twice. */
	for (size_t i = 1; i < n; i++)
		CHECK(strcmp(sorted[i - 1], sorted[i]) < 0);
	for (size_t i = 0; i < ncodes; i++) {
		const struct emp *e = &emps[i];
		char *key = (char *)e->receipt, **hit;
		if (e->state != E_DONE && e->state != E_DONE_LOST)
			continue;
		submitted++;
		acked += e->state == E_DONE;
		lost += e->state == E_DONE_LOST;
		hit = bsearch(&key, sorted, n, sizeof(*sorted), cmp_str);
		if (hit == NULL)
			violation(e->state == E_DONE ? "an acknowledged receipt is missing"
			                              : "a stored (409) receipt is missing",
			          i, 0);
		else
			found++;
	}
	/* Nothing but what employees submitted: every stored token is one
	 * of ours, and all of ours ended with 201 or a 409 retry. */
	CHECK(n > 0);
	CHECK_INT(found, n);
	CHECK_INT(submitted, n);
	fprintf(stderr, "receipts published %zu: %zu acknowledged with 201, %zu stored while the "
	                "server died (409 on retry)\n",
	        n, acked, lost);
	free(sorted);
	json_decref(j);
	hc_free(&r);
	CHECK_INT(srv_stop(&S), 0);

	/* The file itself, read with SQLite directly rather than through db_. */
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	CHECK_INT(sqlite3_open_v2(S.db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	CHECK_INT(sqlite3_prepare_v2(h,
	                             "SELECT (SELECT count(*) FROM spent WHERE survey = ?1 AND used),"
	                             " (SELECT count(*) FROM slots WHERE survey = ?1 AND used),"
	                             " (SELECT opened_final FROM surveys WHERE id = ?1)",
	                             -1, &st, NULL),
	          SQLITE_OK);
	sqlite3_bind_text(st, 1, SURVEY_ID, -1, SQLITE_STATIC);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_INT(sqlite3_column_int64(st, 0), n);
	CHECK_INT(sqlite3_column_int64(st, 1), n);
	{
		int64_t opened = sqlite3_column_int64(st, 2);
		size_t acked_iss = 0, tried_iss = 0;
		for (size_t i = 0; i < ncodes; i++) {
			acked_iss += emps[i].issue_acked;
			tried_iss += emps[i].state != E_NEW;
		}
		CHECK(opened >= (int64_t)acked_iss && opened <= (int64_t)tried_iss);
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
}

int
main(void)
{
	const char *env_kills = getenv("KILLS"), *env_clients = getenv("CRASH_CLIENTS");
	int kills = env_kills ? atoi(env_kills) : 3;

	if (sodium_init() < 0 || tok_init() != KOE_OK || kills < 1)
		return 2;
	if (env_clients)
		nclients = (unsigned)atoi(env_clients);
	if (nclients < 1 || nclients > 256)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	open_big(600 * ((size_t)kills + 1));
	RUN(kills_under_load);
	RUN(recovery_and_invite_uniqueness);
	RUN(receipts_after_close);
	harness_current = "invariants";
	CHECK_INT(atomic_load(&violations), 0);
	for (size_t i = 0; i < ncodes; i++) {
		tok_client_token_wipe(&emps[i].tk);
		free(codes[i]);
	}
	free(codes);
	free(emps);
	srv_cleanup(&S);
	return harness_done();
}
