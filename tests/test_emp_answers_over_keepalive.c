/* The simulated employee used by `koe demo` and the load generator answers
 * through the real protocol, many employees over one keep-alive
 * connection, and the receipts it gets are the hashes of its token inputs. */
#include "koe/emp.h"
#include "server_fixture.h"

static struct srv S;

static void
ten_employees_one_connection(void)
{
	struct httpc c;
	uint8_t pk[32];
	int ok = 0;

	CHECK_INT(httpc_init(&c, "127.0.0.1", (uint16_t)S.port), KOE_OK);
	CHECK_INT(emp_public_key(&c, SURVEY_ID, pk), KOE_OK);
	for (size_t i = 0; i < 10; i++) {
		struct emp_token t;
		int status = 0;
		char receipt[65], want[65];
		json_t *a = valid_answers();
		char *text = json_dumps(a, JSON_COMPACT);
		json_decref(a);
		if (emp_fetch_token(&c, SURVEY_ID, pk, S.codes[i], &t, &status) == KOE_OK &&
		    emp_submit(&c, SURVEY_ID, &t, text, &status, receipt) == KOE_OK) {
			tok_receipt(t.input, want);
			CHECK_STR(receipt, want);
			ok++;
		}
		free(text);
	}
	CHECK_INT(ok, 10);
	/* A used link: the issuance is refused with 409, reported as such. */
	struct emp_token t;
	int status = 0;
	CHECK_INT(emp_fetch_token(&c, SURVEY_ID, pk, S.codes[0], &t, &status), KOE_ESTATE);
	CHECK_INT(status, 409);
	/* A wrong public key: the proof does not verify. */
	pk[3] ^= 1;
	CHECK(emp_fetch_token(&c, SURVEY_ID, pk, S.codes[10], &t, &status) != KOE_OK);
	httpc_close(&c);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 2;
	srv_open(&S, 12);
	srv_start(&S, NULL);
	RUN(ten_employees_one_connection);
	CHECK_INT(srv_stop(&S), 0);
	/* Exact counts only after closing: while open, status rounds them
	 * down to steps of k (include/koe/dc.h rule 3). */
	CHECK_INT(run_cmd("'%s' status --db '%s' | grep -q 'responded 10+ '", getenv("KOE_BIN"), S.db), 0);
	CHECK_INT(run_cmd("'%s' close --yes --db '%s' >/dev/null && '%s' status --db '%s' | grep -q "
	                  "'responded 10 '",
	                  getenv("KOE_BIN"), S.db, getenv("KOE_BIN"), S.db),
	          0);
	srv_cleanup(&S);
	return harness_done();
}
