/* bench_tok — koe's token crypto against the raw libsodium scalar
 * multiplications it cannot avoid (docs/ARCHITECTURE.md §9: within 1.3×).
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

/* Thread CPU time: time the scheduler gives to other processes on the
 * shared cores is not counted against either side of a comparison. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
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

/* Each run_ function performs operations lo..hi-1 on the fixture's data and
 * returns the CPU seconds they took. */
static double
run_issue(struct fixture *f, size_t lo, size_t hi)
{
	uint8_t ev[32], pr[64];
	double t0 = now();

	for (size_t i = lo; i < hi; i++) {
		if (tok_segment_issue(&f->seg, f->blinded + 32 * i, ev, pr) != KOE_OK)
			die("tok_segment_issue");
		f->sink += ev[0] ^ pr[0];
	}
	return now() - t0;
}

/* The same multiplications as one issuance, on operands of the same kind:
 * the received element, then results derived from it. */
static double
run_issue_raw(struct fixture *f, size_t lo, size_t hi)
{
	uint8_t p1[32], p2[32], p3[32], p4[32], p5[32];
	double t0 = now();

	for (size_t i = lo; i < hi; i++) {
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
run_redeem(struct fixture *f, size_t lo, size_t hi)
{
	double t0 = now();

	for (size_t i = lo; i < hi; i++) {
		if (tok_segment_redeem_verify(&f->seg, f->inputs + 32 * i,
		                              f->outputs + 64 * i) != KOE_OK)
			die("tok_segment_redeem_verify");
	}
	return now() - t0;
}

static double
run_redeem_raw(struct fixture *f, size_t lo, size_t hi)
{
	uint8_t q[32];
	double t0 = now();

	for (size_t i = lo; i < hi; i++) {
		if (crypto_scalarmult_ristretto255(q, f->seg.t_inv, f->hashed + 32 * i) != 0)
			die("raw redemption multiplication");
		f->sink += q[0];
	}
	return now() - t0;
}

static double
run_issue_oneshot(struct fixture *f, size_t lo, size_t hi)
{
	uint8_t ev[32], pr[64];
	double t0 = now();

	for (size_t i = lo; i < hi; i++) {
		if (tok_issue(&f->key, f->info, f->info_len, f->blinded + 32 * i, ev, pr) != KOE_OK)
			die("tok_issue");
		f->sink += ev[0];
	}
	return now() - t0;
}

static double
run_redeem_oneshot(struct fixture *f, size_t lo, size_t hi)
{
	double t0 = now();

	for (size_t i = lo; i < hi; i++) {
		if (tok_redeem_verify(&f->key, f->info, f->info_len, f->inputs + 32 * i,
		                      f->outputs + 64 * i) != KOE_OK)
			die("tok_redeem_verify");
	}
	return now() - t0;
}

/* The part of redemption that is not a scalar multiplication but cannot be
 * avoided either: libsodium's hash to the group, over precomputed 64-byte
 * uniform strings. */
static double
run_from_hash(struct fixture *f, size_t lo, size_t hi)
{
	uint8_t wide[64], q[32];
	double t0;

	memset(wide, 0x5A, sizeof(wide));
	t0 = now();
	for (size_t i = lo; i < hi; i++) {
		memcpy(wide, f->inputs + 32 * i, 32);
		crypto_core_ristretto255_from_hash(q, wide);
		f->sink += q[0];
	}
	return now() - t0;
}

/* The client: blind, then verify the proof and finalize (one issuance's
 * answer reused, which costs the same as a fresh one). */
static double
run_client(struct fixture *f, size_t lo, size_t hi)
{
	struct tok_client_token tk;
	uint8_t ev[32], pr[64], out[64];
	double t0, total = 0;

	for (size_t i = lo; i < hi; i++) {
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
	return total;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, size_t k)
{
	qsort(v, k, sizeof(double), cmp_double);
	return v[k / 2];
}

typedef double (*run_fn)(struct fixture *, size_t, size_t);

/* One comparison: per round, operations and their raw counterpart alternate
 * in chunks of CHUNK, so both see the same machine; the round's ratio is the
 * sum of one side over the sum of the other. Writes the median CPU seconds
 * per operation of each side and the median, lowest and highest round
 * ratio. */
#define CHUNK 50

struct result {
	double op, raw;           /* seconds per operation, median round */
	double ratio, lo, hi;     /* median, lowest and highest round ratio */
};

static struct result
compare(struct fixture *f, long rounds, run_fn op, run_fn raw)
{
	double t_op[ROUNDS_MAX], t_raw[ROUNDS_MAX], ratio[ROUNDS_MAX];
	struct result res;

	for (long r = 0; r < rounds; r++) {
		t_op[r] = t_raw[r] = 0;
		for (size_t lo = 0; lo < f->n; lo += CHUNK) {
			size_t hi = lo + CHUNK < f->n ? lo + CHUNK : f->n;
			/* Alternate which side goes first, so neither always
			 * runs on caches the other warmed. */
			if ((lo / CHUNK) % 2 == 0) {
				t_op[r] += op(f, lo, hi);
				t_raw[r] += raw(f, lo, hi);
			} else {
				t_raw[r] += raw(f, lo, hi);
				t_op[r] += op(f, lo, hi);
			}
		}
		ratio[r] = t_op[r] / t_raw[r];
	}
	res.op = median(t_op, (size_t)rounds) / (double)f->n;
	res.raw = median(t_raw, (size_t)rounds) / (double)f->n;
	qsort(ratio, (size_t)rounds, sizeof(double), cmp_double);
	res.lo = ratio[0];
	res.hi = ratio[rounds - 1];
	res.ratio = ratio[rounds / 2];
	return res;
}

/* Median CPU seconds per operation of one kind, over rounds. */
static double
measure(struct fixture *f, long rounds, run_fn op, size_t n)
{
	double t[ROUNDS_MAX];

	for (long r = 0; r < rounds; r++)
		t[r] = op(f, 0, n);
	return median(t, (size_t)rounds) / (double)n;
}

static void
print_row(const char *name, const struct result *r, const char *calls)
{
	printf("%-30s %9.0f %9.0f %7.3f  [%.3f-%.3f]  %s\n", name, 1.0 / r->op,
	       1.0 / r->raw, r->ratio, r->lo, r->hi, calls);
}

int
main(int argc, char **argv)
{
	struct fixture f;
	struct result issue, redeem;
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 2000;
	long rounds = argc > 2 ? strtol(argv[2], NULL, 10) : 7;
	double issue1, redeem1, client, h2g;

	if (n < 1 || n > 1000000 || rounds < 1 || rounds > ROUNDS_MAX) {
		fprintf(stderr, "usage: bench_tok [N (1..1000000) [ROUNDS (1..%d)]]\n",
		        ROUNDS_MAX);
		return 2;
	}
	if (tok_init() != KOE_OK)
		die("tok_init");
	fixture_init(&f, (size_t)n);
	/* One untimed pass warms caches and the CPU clock. */
	run_issue(&f, 0, f.n);
	run_issue_raw(&f, 0, f.n);

	issue = compare(&f, rounds, run_issue, run_issue_raw);
	redeem = compare(&f, rounds, run_redeem, run_redeem_raw);
	h2g = measure(&f, rounds, run_from_hash, f.n);
	issue1 = measure(&f, rounds, run_issue_oneshot, f.n);
	redeem1 = measure(&f, rounds, run_redeem_oneshot, f.n);
	client = measure(&f, rounds, run_client, f.n / 4 ? f.n / 4 : 1);

	printf("bench_tok: koe token crypto vs. its raw libsodium scalar multiplications\n");
	printf("libsodium %s, %ld operations x %ld rounds, one thread, CPU time;\n"
	       "ops/s = per core; ratio = median round [lowest-highest round]\n\n",
	       sodium_version_string(), n, rounds);
	printf("%-30s %9s %9s %7s  %-13s  %s\n", "operation", "ops/s", "raw ops/s",
	       "ratio", "rounds", "raw libsodium calls per operation");
	print_row("issue + proof (segment key)", &issue,
	          "4 scalarmult + 1 scalarmult_base");
	print_row("redeem verify (segment key)", &redeem, "1 scalarmult");
	printf("\nper operation: issue %.1f us (raw %.1f us), redeem %.1f us (raw %.1f us);\n"
	       "of redemption's %.1f us overhead, %.1f us is libsodium's hash to the group "
	       "(crypto_core_ristretto255_from_hash)\n",
	       issue.op * 1e6, issue.raw * 1e6, redeem.op * 1e6, redeem.raw * 1e6,
	       (redeem.op - redeem.raw) * 1e6, h2g * 1e6);
	printf("\nfor reference (ops/s per core):\n");
	printf("  %-28s %9.0f  (also computes T = t*G and t^-1 each call)\n",
	       "issue + proof (one-shot)", 1.0 / issue1);
	printf("  %-28s %9.0f  (also computes t^-1 each call)\n",
	       "redeem verify (one-shot)", 1.0 / redeem1);
	printf("  %-28s %9.0f  (client: verify the proof, unblind)\n",
	       "client finalize", 1.0 / client);
	printf("  %-28s %9.0f  (server crypto of one response: issue + redeem)\n",
	       "complete responses", 1.0 / (issue.op + redeem.op));
	printf("\ntarget ratio <= 1.30: issue %s, redeem %s (checksum %u)\n",
	       issue.ratio <= 1.3 ? "met" : "MISSED",
	       redeem.ratio <= 1.3 ? "met" : "MISSED", f.sink & 0xFF);
	fixture_free(&f);
	return 0;
}
