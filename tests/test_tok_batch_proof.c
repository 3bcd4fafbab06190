/* Batched BlindEvaluate/Finalize in VOPRF and POPRF mode: one proof covers
 * the whole batch, every output equals the server's direct Evaluate, and the
 * proof fails if elements are swapped or the batch is cut. Batch sizes
 * outside 1..TOK_BATCH_MAX are refused. */
#include "tok_testlib.h"

#define N 5

static void
run_batch(enum tok_mode mode)
{
	struct tok_survey_key key;
	uint8_t inputs[N][16];
	struct tok_blinded b[N];
	uint8_t blinded[N * 32], evaluated[N * 32], proof[64], outputs[N * 64];
	uint8_t tweaked[32], direct[64], swapped[N * 32];
	static const uint8_t info[] = "batch info";
	const uint8_t *key_for_client;
	const uint8_t *inf = mode == TOK_MODE_POPRF ? info : NULL;
	size_t inf_len = mode == TOK_MODE_POPRF ? sizeof(info) - 1 : 0;

	test_survey_key(&key, TEST_SURVEY);
	for (size_t i = 0; i < N; i++) {
		randombytes_buf(inputs[i], sizeof(inputs[i]));
		CHECK_INT(tok_blind(mode, inputs[i], sizeof(inputs[i]), NULL, &b[i]), KOE_OK);
		memcpy(blinded + 32 * i, b[i].element, 32);
	}
	CHECK_INT(tok_blind_evaluate(mode, key.sk, key.pk, inf, inf_len, N, blinded,
	                             evaluated, proof, NULL), KOE_OK);
	key_for_client = key.pk;
	if (mode == TOK_MODE_POPRF) {
		CHECK_INT(tok_poprf_tweak_key(key.pk, inf, inf_len, tweaked), KOE_OK);
		key_for_client = tweaked;
	}
	CHECK_INT(tok_finalize(mode, key_for_client, inf, inf_len, b, N, evaluated,
	                       proof, outputs), KOE_OK);
	for (size_t i = 0; i < N; i++) {
		CHECK_INT(tok_evaluate(mode, key.sk, inputs[i], sizeof(inputs[i]), inf,
		                       inf_len, direct), KOE_OK);
		CHECK_MEM(outputs + 64 * i, direct, 64);
	}

	memcpy(swapped, evaluated, sizeof(swapped));
	memcpy(swapped + 32, evaluated + 64, 32);
	memcpy(swapped + 64, evaluated + 32, 32);
	CHECK_INT(tok_finalize(mode, key_for_client, inf, inf_len, b, N, swapped,
	                       proof, outputs), KOE_EVERIFY);
	CHECK(all_zero(outputs, sizeof(outputs)));
	CHECK_INT(tok_finalize(mode, key_for_client, inf, inf_len, b, N - 1, evaluated,
	                       proof, outputs), KOE_EVERIFY);

	CHECK_INT(tok_blind_evaluate(mode, key.sk, key.pk, inf, inf_len, 0, blinded,
	                             evaluated, proof, NULL), KOE_EINVAL);
	CHECK_INT(tok_blind_evaluate(mode, key.sk, key.pk, inf, inf_len,
	                             TOK_BATCH_MAX + 1, blinded, evaluated, proof, NULL),
	          KOE_EINVAL);
	CHECK_INT(tok_finalize(mode, key_for_client, inf, inf_len, b, 0, evaluated,
	                       proof, outputs), KOE_EINVAL);
	for (size_t i = 0; i < N; i++)
		tok_blinded_wipe(&b[i]);
	tok_survey_key_wipe(&key);
}

static void
test_voprf_batch(void)
{
	run_batch(TOK_MODE_VOPRF);
}

static void
test_poprf_batch(void)
{
	run_batch(TOK_MODE_POPRF);
}

static void
test_full_batch(void)
{
	static uint8_t inputs[TOK_BATCH_MAX][4];
	static struct tok_blinded b[TOK_BATCH_MAX];
	static uint8_t blinded[TOK_BATCH_MAX * 32], evaluated[TOK_BATCH_MAX * 32];
	static uint8_t outputs[TOK_BATCH_MAX * 64];
	struct tok_survey_key key;
	uint8_t proof[64];
	int ok = 1;

	test_survey_key(&key, TEST_SURVEY);
	for (size_t i = 0; i < TOK_BATCH_MAX; i++) {
		memcpy(inputs[i], &i, sizeof(inputs[i]));
		ok &= tok_blind(TOK_MODE_VOPRF, inputs[i], 4, NULL, &b[i]) == KOE_OK;
		memcpy(blinded + 32 * i, b[i].element, 32);
	}
	CHECK(ok);
	CHECK_INT(tok_blind_evaluate(TOK_MODE_VOPRF, key.sk, key.pk, NULL, 0,
	                             TOK_BATCH_MAX, blinded, evaluated, proof, NULL), KOE_OK);
	CHECK_INT(tok_finalize(TOK_MODE_VOPRF, key.pk, NULL, 0, b, TOK_BATCH_MAX,
	                       evaluated, proof, outputs), KOE_OK);
	tok_survey_key_wipe(&key);
}

int
main(void)
{
	RUN(test_voprf_batch);
	RUN(test_poprf_batch);
	RUN(test_full_batch);
	return harness_done();
}
