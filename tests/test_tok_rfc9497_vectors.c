/* Every test vector of RFC 9497 Appendix A.1 (ristretto255-SHA512: OPRF,
 * VOPRF, POPRF, batch size 1 and 2) reproduces byte for byte: key derivation,
 * blinding, blind evaluation with its proof, client finalization (which
 * verifies the proof) and server-side evaluation. */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "harness.h"
#include "koe/tok.h"

#define MAXB 256

/* Decodes the hex string s into out (cap bytes) and returns its length;
 * aborts the test on malformed fixtures. */
static size_t
unhex(const char *s, uint8_t *out, size_t cap)
{
	size_t n = 0;

	if (s == NULL || sodium_hex2bin(out, cap, s, strlen(s), NULL, &n, NULL) != 0) {
		fprintf(stderr, "bad hex in fixture: %s\n", s ? s : "(null)");
		exit(2);
	}
	return n;
}

static size_t
field(json_t *obj, const char *key, uint8_t *out, size_t cap)
{
	return unhex(json_string_value(json_object_get(obj, key)), out, cap);
}

static size_t
item(json_t *obj, const char *key, size_t i, uint8_t *out, size_t cap)
{
	return unhex(json_string_value(json_array_get(json_object_get(obj, key), i)),
	             out, cap);
}

static int vectors_run;

static void
run_vector(enum tok_mode mode, json_t *v, const uint8_t *sk, const uint8_t *pk)
{
	size_t n = json_integer_value(json_object_get(v, "BatchSize"));
	uint8_t inputs[2][MAXB];
	struct tok_blinded b[2];
	uint8_t blinded[2 * TOK_ELEMENT_BYTES], evaluated[2 * TOK_ELEMENT_BYTES];
	uint8_t outputs[2 * TOK_OUTPUT_BYTES];
	uint8_t want[MAXB], blind[MAXB], info[MAXB], r[MAXB], proof[TOK_PROOF_BYTES];
	uint8_t tweaked[TOK_ELEMENT_BYTES];
	size_t info_len = 0;
	const uint8_t *key = NULL;

	CHECK(n == 1 || n == 2);
	if (n != 1 && n != 2)
		return;
	if (mode == TOK_MODE_POPRF)
		info_len = field(v, "Info", info, sizeof(info));

	for (size_t i = 0; i < n; i++) {
		size_t len = item(v, "Input", i, inputs[i], sizeof(inputs[i]));
		CHECK_INT(item(v, "Blind", i, blind, sizeof(blind)), 32);
		CHECK_INT(tok_blind(mode, inputs[i], len, blind, &b[i]), KOE_OK);
		CHECK_INT(item(v, "BlindedElement", i, want, sizeof(want)), 32);
		CHECK_MEM(b[i].element, want, 32);
		memcpy(blinded + 32 * i, b[i].element, 32);
	}

	if (mode == TOK_MODE_OPRF) {
		CHECK_INT(tok_blind_evaluate(mode, sk, NULL, NULL, 0, n, blinded,
		                             evaluated, NULL, NULL), KOE_OK);
	} else {
		CHECK_INT(field(v, "ProofRandomScalar", r, sizeof(r)), 32);
		CHECK_INT(tok_blind_evaluate(mode, sk, pk, info, info_len, n, blinded,
		                             evaluated, proof, r), KOE_OK);
		CHECK_INT(unhex(json_string_value(json_object_get(
		                    json_object_get(v, "Proof"), "serialized")),
		                want, sizeof(want)), 64);
		CHECK_MEM(proof, want, 64);
	}
	for (size_t i = 0; i < n; i++) {
		CHECK_INT(item(v, "EvaluationElement", i, want, sizeof(want)), 32);
		CHECK_MEM(evaluated + 32 * i, want, 32);
	}

	if (mode == TOK_MODE_VOPRF)
		key = pk;
	if (mode == TOK_MODE_POPRF) {
		CHECK_INT(tok_poprf_tweak_key(pk, info, info_len, tweaked), KOE_OK);
		key = tweaked;
	}
	CHECK_INT(tok_finalize(mode, key, info, info_len, b, n, evaluated,
	                       mode == TOK_MODE_OPRF ? NULL : proof, outputs), KOE_OK);
	for (size_t i = 0; i < n; i++) {
		uint8_t direct[TOK_OUTPUT_BYTES];

		CHECK_INT(item(v, "Output", i, want, sizeof(want)), 64);
		CHECK_MEM(outputs + 64 * i, want, 64);
		CHECK_INT(tok_evaluate(mode, sk, b[i].input, b[i].input_len, info,
		                       info_len, direct), KOE_OK);
		CHECK_MEM(direct, want, 64);
		tok_blinded_wipe(&b[i]);
	}
	vectors_run++;
}

static void
run_mode(json_t *modes, const char *name, enum tok_mode mode)
{
	json_t *m = json_object_get(modes, name);
	json_t *vectors = json_object_get(m, "vectors");
	uint8_t seed[MAXB], key_info[MAXB], want[MAXB];
	uint8_t sk[TOK_SCALAR_BYTES], pk[TOK_ELEMENT_BYTES];
	size_t seed_len, key_info_len, i;
	json_t *v;

	CHECK(m != NULL && json_array_size(vectors) > 0);
	if (m == NULL)
		return;
	CHECK_INT(json_integer_value(json_object_get(m, "mode")), mode);
	seed_len = field(m, "Seed", seed, sizeof(seed));
	CHECK_INT(seed_len, TOK_SEED_BYTES);
	key_info_len = field(m, "KeyInfo", key_info, sizeof(key_info));
	CHECK_INT(tok_derive_key_pair(mode, seed, key_info, key_info_len, sk, pk), KOE_OK);
	field(m, "skSm", want, sizeof(want));
	CHECK_MEM(sk, want, 32);
	if (json_object_get(m, "pkSm") != NULL) {
		field(m, "pkSm", want, sizeof(want));
		CHECK_MEM(pk, want, 32);
	}
	json_array_foreach(vectors, i, v)
		run_vector(mode, v, sk, pk);
	sodium_memzero(sk, sizeof(sk));
}

static void
test_all_vectors(void)
{
	json_error_t err;
	json_t *root = json_load_file(data_path("vectors/rfc9497-ristretto255-sha512.json"),
	                              0, &err);
	json_t *counts;
	int want_total = 0;

	CHECK(root != NULL);
	if (root == NULL) {
		fprintf(stderr, "%s:%d: %s\n", err.source, err.line, err.text);
		return;
	}
	run_mode(json_object_get(root, "modes"), "OPRF", TOK_MODE_OPRF);
	run_mode(json_object_get(root, "modes"), "VOPRF", TOK_MODE_VOPRF);
	run_mode(json_object_get(root, "modes"), "POPRF", TOK_MODE_POPRF);
	counts = json_object_get(root, "vector_counts");
	want_total = (int)(json_integer_value(json_object_get(counts, "OPRF")) +
	                   json_integer_value(json_object_get(counts, "VOPRF")) +
	                   json_integer_value(json_object_get(counts, "POPRF")));
	CHECK_INT(want_total, 8);
	CHECK_INT(vectors_run, want_total);
	json_decref(root);
}

int
main(void)
{
	if (tok_init() != KOE_OK)
		return 2;
	RUN(test_all_vectors);
	return harness_done();
}
