/* bench_tok — koe's token crypto against the raw libsodium scalar
 * multiplications it cannot avoid (DESIGN.md §9: within 1.3×).
 *
 *   bench_tok [N [ROUNDS]]     defaults: N = 2000 operations, 7 rounds
 *
 * Each round times N issuances and N redemption verifications through the
 * precomputed tok_segment_key (the server's fast path) and, right next to
 * them, the same number of raw libsodium calls those operations contain:
 *
 *   issuance with proof   4 × crypto_scalarmult_ristretto255 (evaluate, the
 *                         composite M, Z = t·M, t3 = r·M) + 1 ×
 *                         crypto_scalarmult_ristretto255_base (t2 = r·G)
 *   redemption verify     1 × crypto_scalarmult_ristretto255 (t⁻¹·H(input))
 *
 * Everything else an operation does — hashing to the group, SHA-512,
 * validating the received element, scalar arithmetic — is the overhead the
 * ratio measures. Rounds alternate between the kinds so that noise from other
 * processes hits both sides alike; the best round is reported, the median in
 * brackets. The one-shot calls and the client side are shown for reference. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "koe/tok.h"

#define ROUNDS_MAX 31

struct fixture {
	size_t n;
	struct tok_survey_key key;
	struct tok_segment_key seg;
	uint8_t info[TOK_INFO_MAX];
	size_t info_len;
	uint8_t *blinded;   /* n elements from real clients */
	uint8_t *inputs;    /* n token inputs */
	uint8_t *outputs;   /* their n valid outputs */
	uint8_t *hashed;    /* HashToGroup of each input, for the raw redemption */
	uint8_t scalars[5][32];
	unsigned sink;      /* results folded in, printed, so no call is dead */
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
die(const char *what)
{
	fprintf(stderr, "bench_tok: %s failed\n", what);
	exit(1);
}

/* Builds the key, n client tokens and their valid outputs. The raw
 * redemption needs one valid point per input; from_hash over SHA-512(input)
 * gives one, outside the timed loop. */
static void
fixture_init(struct fixture *f, size_t n)
{
	uint8_t seed[TOK_SEED_BYTES], wide[64];
	struct tok_client_token tk;

	memset(f, 0, sizeof(*f));
	f->n = n;
	f->blinded = malloc(n * 32);
	f->inputs = malloc(n * 32);
	f->outputs = malloc(n * 64);
	f->hashed = malloc(n * 32);
	if (f->blinded == NULL || f->inputs == NULL || f->outputs == NULL ||
	    f->hashed == NULL)
		die("malloc");
	randombytes_buf(seed, sizeof(seed));
	if (tok_survey_key_derive(seed, "bench-survey", &f->key) != KOE_OK ||
	    tok_info_build("bench-survey", "eng|3-5y", f->info, sizeof(f->info),
	                   &f->info_len) != KOE_OK ||
	    tok_segment_key_init(&f->seg, &f->key, f->info, f->info_len) != KOE_OK)
		die("key setup");
	for (size_t i = 0; i < n; i++) {
		if (tok_client_blind(&tk) != KOE_OK)
			die("tok_client_blind");
		memcpy(f->blinded + 32 * i, tk.blinded, 32);
		memcpy(f->inputs + 32 * i, tk.input, 32);
		if (tok_evaluate(TOK_MODE_POPRF, f->key.sk, tk.input, 32, f->info,
		                 f->info_len, f->outputs + 64 * i) != KOE_OK)
			die("tok_evaluate");
		crypto_hash_sha512(wide, tk.input, 32);
		crypto_core_ristretto255_from_hash(f->hashed + 32 * i, wide);
	}
	for (size_t k = 0; k < 5; k++)
		crypto_core_ristretto255_scalar_random(f->scalars[k]);
	tok_client_token_wipe(&tk);
	sodium_memzero(seed, sizeof(seed));
}

static void
fixture_free(struct fixture *f)
{
	free(f->blinded);
	free(f->inputs);
	free(f->outputs);
	free(f->hashed);
	tok_segment_key_wipe(&f->seg);
	tok_survey_key_wipe(&f->key);
}

static double
run_issue(struct fixture *f)
{
	uint8_t ev[32], pr[64];
	double t0 = now();

	for (size_t i = 0; i < f->n; i++) {
		if (tok_segment_issue(&f->seg, f->blinded + 32 * i, ev, pr) != KOE_OK)
			die("tok_segment_issue");
		f->sink += ev[0] ^ pr[0];
	}
	return now() - t0;
}

/* The same multiplications as one issuance, on operands of the same kind:
 * the received element, then results derived from it. */
static double
run_issue_raw(struct fixture *f)
{
	uint8_t p1[32], p2[32], p3[32], p4[32], p5[32];
	double t0 = now();

	for (size_t i = 0; i < f->n; i++) {
		if (crypto_scalarmult_ristretto255(p1, f->scalars[0], f->blinded + 32 * i) != 0 ||
		    crypto_scalarmult_ristretto255(p2, f->scalars[1], p1) != 0 ||
		    crypto_scalarmult_ristretto255(p3, f->scalars[2], p2) != 0 ||
		    crypto_scalarmult_ristretto255(p4, f->scalars[3], p2) != 0 ||
		    crypto_scalarmult_ristretto255_base(p5, f->scalars[4]) != 0)
			die("raw issue multiplication");
		f->sink += p3[0] ^ p4[0] ^ p5[0];
	}
	return now() - t0;
}

static double
run_redeem(struct fixture *f)
{
	double t0 = now();

	for (size_t i = 0; i < f->n; i++) {
		if (tok_segment_redeem_verify(&f->seg, f->inputs + 32 * i,
		                              f->outputs + 64 * i) != KOE_OK)
			die("tok_segment_redeem_verify");
	}
	return now() - t0;
}

static double
run_redeem_raw(struct fixture *f)
{
	uint8_t q[32];
	double t0 = now();

	for (size_t i = 0; i < f->n; i++) {
		if (crypto_scalarmult_ristretto255(q, f->seg.t_inv, f->hashed + 32 * i) != 0)
			die("raw redemption multiplication");
		f->sink += q[0];
	}
	return now() - t0;
}

static double
run_issue_oneshot(struct fixture *f)
{
	uint8_t ev[32], pr[64];
	double t0 = now();

	for (size_t i = 0; i < f->n; i++) {
		if (tok_issue(&f->key, f->info, f->info_len, f->blinded + 32 * i, ev, pr) != KOE_OK)
			die("tok_issue");
		f->sink += ev[0];
	}
	return now() - t0;
}

static double
run_redeem_oneshot(struct fixture *f)
{
	double t0 = now();

	for (size_t i = 0; i < f->n; i++) {
		if (tok_redeem_verify(&f->key, f->info, f->info_len, f->inputs + 32 * i,
		                      f->outputs + 64 * i) != KOE_OK)
			die("tok_redeem_verify");
	}
	return now() - t0;
}

/* The client: blind, then verify the proof and finalize (one issuance's
 * answer reused, which costs the same as a fresh one). */
static double
run_client(struct fixture *f)
{
	struct tok_client_token tk;
	uint8_t ev[32], pr[64], out[64];
	size_t n = f->n / 4 ? f->n / 4 : 1;
	double t0, total = 0;

	for (size_t i = 0; i < n; i++) {
		if (tok_client_blind(&tk) != KOE_OK ||
		    tok_segment_issue(&f->seg, tk.blinded, ev, pr) != KOE_OK)
			die("client setup");
		t0 = now();
		if (tok_client_finalize(&tk, f->key.pk, f->info, f->info_len, ev, pr,
		                        out) != KOE_OK)
			die("tok_client_finalize");
		total += now() - t0;
		f->sink += out[0];
	}
	tok_client_token_wipe(&tk);
	return total / (double)n * (double)f->n;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct series {
	double t[ROUNDS_MAX];
	size_t k;
};

static double
best(struct series *s)
{
	qsort(s->t, s->k, sizeof(double), cmp_double);
	return s->t[0];
}

static double
median(struct series *s)
{
	qsort(s->t, s->k, sizeof(double), cmp_double);
	return s->t[s->k / 2];
}

int
main(int argc, char **argv)
{
	struct fixture f;
	struct series issue = { 0 }, issue_raw = { 0 }, redeem = { 0 }, redeem_raw = { 0 };
	struct series issue1 = { 0 }, redeem1 = { 0 }, client = { 0 };
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 2000;
	long rounds = argc > 2 ? strtol(argv[2], NULL, 10) : 7;
	double ri_med, rr_med;

	if (n < 1 || n > 1000000 || rounds < 1 || rounds > ROUNDS_MAX) {
		fprintf(stderr, "usage: bench_tok [N (1..1000000) [ROUNDS (1..%d)]]\n",
		        ROUNDS_MAX);
		return 2;
	}
	if (tok_init() != KOE_OK)
		die("tok_init");
	fixture_init(&f, (size_t)n);
	/* One untimed pass warms caches and the CPU clock. */
	run_issue(&f);
	run_issue_raw(&f);
	for (long r = 0; r < rounds; r++) {
		issue.t[issue.k++] = run_issue(&f);
		issue_raw.t[issue_raw.k++] = run_issue_raw(&f);
		redeem.t[redeem.k++] = run_redeem(&f);
		redeem_raw.t[redeem_raw.k++] = run_redeem_raw(&f);
		issue1.t[issue1.k++] = run_issue_oneshot(&f);
		redeem1.t[redeem1.k++] = run_redeem_oneshot(&f);
		client.t[client.k++] = run_client(&f);
	}
	ri_med = median(&issue) / median(&issue_raw);
	rr_med = median(&redeem) / median(&redeem_raw);

	printf("bench_tok: koe token crypto vs. its raw libsodium scalar multiplications\n");
	printf("libsodium %s, %ld operations per round, %ld rounds, one thread;\n"
	       "best round shown, median ratio in brackets\n\n",
	       sodium_version_string(), n, rounds);
	printf("%-32s %10s %12s %9s  %s\n", "operation", "ops/s", "raw ops/s",
	       "ratio", "raw libsodium calls per operation");
	printf("%-32s %10.0f %12.0f %9.3f  %s [%.3f]\n", "issue + proof (segment key)",
	       n / best(&issue), n / best(&issue_raw), best(&issue) / best(&issue_raw),
	       "4 scalarmult + 1 scalarmult_base", ri_med);
	printf("%-32s %10.0f %12.0f %9.3f  %s [%.3f]\n", "redeem verify (segment key)",
	       n / best(&redeem), n / best(&redeem_raw), best(&redeem) / best(&redeem_raw),
	       "1 scalarmult", rr_med);
	printf("\nfor reference:\n");
	printf("%-32s %10.0f   (also computes T = t*G and t^-1 each call)\n",
	       "issue + proof (one-shot)", n / best(&issue1));
	printf("%-32s %10.0f   (also computes t^-1 each call)\n",
	       "redeem verify (one-shot)", n / best(&redeem1));
	printf("%-32s %10.0f   (client: verify proof and unblind)\n",
	       "client finalize", n / best(&client));
	printf("%-32s %10.0f   (server crypto of one response: issue + redeem)\n",
	       "complete responses per core", 1.0 / (best(&issue) / n + best(&redeem) / n));
	printf("\ntarget: ratio <= 1.30 -> issue %s, redeem %s (sink %u)\n",
	       best(&issue) / best(&issue_raw) <= 1.3 ? "met" : "MISSED",
	       best(&redeem) / best(&redeem_raw) <= 1.3 ? "met" : "MISSED", f.sink & 0xFF);
	fixture_free(&f);
	return 0;
}
