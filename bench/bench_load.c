/* bench_load — collection under load (docs/ARCHITECTURE.md §9): complete responses per
 * second over HTTP on loopback with many concurrent employees, against what
 * the token crypto alone allows on the same cores, in the same run.
 *
 *   bench_load [--clients N] [--responses N] [--paced N] [--rate R]
 *              [--crypto-seconds S] [--threads N] [--koe PATH]
 *              [--survey-file FILE] [--dir DIR] [--keep]
 *   bench_load --server 127.0.0.1:PORT --links links.csv [--first N] [--survey ID] ...
 *
 * Without --server it generates a roster (one invitation per employee it will
 * play), opens the flagship survey with the real `koe open`, starts the real
 * `koe serve --per-ip 0` on a free loopback port and stops it at the end,
 * then checks that the database holds exactly the responses acknowledged
 * with 201. With --server it plays the links of a links.csv from the N-th on
 * (--first; each link answers once) against a server already running.
 *
 * Each simulated employee does what the page does, over keep-alive HTTP/1.1:
 * GET /s/{invite} (the group code is in the page), blind, POST
 * /api/v1/issue, verify the proof and finalize, POST /api/v1/responses with
 * valid answers. Its complete latency runs from the page request to the 201.
 *
 * Two phases, because a closed loop cannot show both figures at once: with N
 * clients that never pause, Little's law fixes the mean latency at
 * N / throughput, whatever the server does.
 *
 *   saturation  every client starts its next employee at once: the
 *               throughput is the server's (and clients') capacity.
 *   paced       employees arrive at a fixed rate (default: half of the
 *               crypto-only rate, the §9 target) and are taken by the same
 *               N clients; latency is counted from the scheduled arrival,
 *               so a late start is not hidden (no coordinated omission).
 *
 * The crypto-only rate is the work of one response with no HTTP, JSON or
 * database: client blind + server issue with proof + client proof check and
 * finalize + server redeem verify, on as many threads as there are cores,
 * measured before and after the HTTP phases (their mean is used).
 *
 * Exit status: 0 when every employee got its receipt and the database
 * agrees, 1 otherwise, 2 for a usage or setup error. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "koe/b64.h"
#include "koe/db.h"
#include "koe/httpc.h"
#include "koe/tok.h"

#define SURVEY_DEFAULT "alumni-readiness-2026"
#define STATUS_SLOTS 600 /* slot 0: no HTTP response (network error) */

enum kind { K_PAGE, K_ISSUE, K_SUBMIT, K_COMPLETE, K_COUNT };
static const char *const kind_name[K_COUNT] = {"GET /s/{invite}", "POST /api/v1/issue",
                                               "POST /api/v1/responses", "complete response"};

struct opts {
	unsigned clients;
	size_t responses;      /* saturation phase */
	size_t paced;          /* paced phase */
	double rate;           /* paced arrivals per second; 0 = half the crypto rate */
	double crypto_s;       /* seconds per crypto measurement; 0 skips it */
	unsigned threads;      /* server request threads, 0 = its default */
	const char *koe;
	const char *survey_file;
	const char *server;    /* host:port of a running server, or NULL */
	const char *links;
	size_t first;          /* with --server: links before this one are used up */
	const char *survey;
	const char *dir;
	const char *log;       /* per-employee latencies, for plotting */
	bool keep;
};

/* One phase: its employees are codes[first .. first+n-1]. */
struct phase {
	const char *name;
	size_t first, n;
	double rate;                  /* 0: saturation */
	float *begin;                 /* [n] seconds since t0 an employee started */
	atomic_size_t next;
	double t0, t_end;             /* wall clock, seconds */
	float *lat[K_COUNT];          /* [n] milliseconds; NAN if not reached */
	atomic_uint errors[K_COUNT][STATUS_SLOTS];
	atomic_size_t ok;
};

struct bench {
	struct opts o;
	char host[64];
	uint16_t port;
	char **codes;                 /* invitation codes, owned */
	size_t ncodes;
	uint8_t pk[TOK_ELEMENT_BYTES];
	struct phase *ph;             /* the phase running */
	pthread_barrier_t go;
	atomic_bool setup_failed;
};

static double
wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
sleep_until(double t)
{
	double d = t - wall();
	if (d > 0) {
		struct timespec ts = {(time_t)d, (long)((d - floor(d)) * 1e9)};
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
	}
}

static void
fail_setup(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
fail_setup(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "bench_load: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* ---- crypto-only rate ---- */

struct crypto_arg {
	const struct tok_survey_key *key;
	const struct tok_segment_key *seg;
	double until;
	size_t done;
};

/* One response's token crypto, client and server, in a loop until the
 * deadline. Every result is checked, so nothing can be optimized away. */
static void *
crypto_thread(void *p)
{
	struct crypto_arg *a = p;
	struct tok_client_token tk;
	uint8_t ev[TOK_ELEMENT_BYTES], proof[TOK_PROOF_BYTES], out[TOK_OUTPUT_BYTES];

	while (wall() < a->until) {
		if (tok_client_blind(&tk) != KOE_OK ||
		    tok_segment_issue(a->seg, tk.blinded, ev, proof) != KOE_OK ||
		    tok_client_finalize(&tk, a->key->pk, a->seg->info, a->seg->info_len, ev, proof,
		                        out) != KOE_OK ||
		    tok_segment_redeem_verify(a->seg, tk.input, out) != KOE_OK)
			fail_setup("the token crypto failed");
		a->done++;
	}
	tok_client_token_wipe(&tk);
	return NULL;
}

/* Responses per second the token crypto alone allows on every core. */
static double
crypto_rate(double seconds)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t n = ncpu > 0 && ncpu < 256 ? (size_t)ncpu : 1, total = 0;
	struct tok_survey_key key;
	struct tok_segment_key seg;
	uint8_t seed[TOK_SEED_BYTES], info[TOK_INFO_MAX];
	size_t infolen;
	pthread_t th[256];
	struct crypto_arg args[256];
	double t0, t1;

	randombytes_buf(seed, sizeof(seed));
	if (tok_survey_key_derive(seed, SURVEY_DEFAULT, &key) != KOE_OK ||
	    tok_info_build(SURVEY_DEFAULT, "g000", info, sizeof(info), &infolen) != KOE_OK ||
	    tok_segment_key_init(&seg, &key, info, infolen) != KOE_OK)
		fail_setup("cannot derive a token key");
	t0 = wall();
	for (size_t i = 0; i < n; i++) {
		args[i] = (struct crypto_arg){&key, &seg, t0 + seconds, 0};
		if (pthread_create(&th[i], NULL, crypto_thread, &args[i]) != 0)
			fail_setup("cannot start a thread");
	}
	for (size_t i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		total += args[i].done;
	}
	t1 = wall();
	tok_segment_key_wipe(&seg);
	tok_survey_key_wipe(&key);
	sodium_memzero(seed, sizeof(seed));
	return (double)total / (t1 - t0);
}

/* ---- one employee ---- */

static void
count_error(struct phase *ph, enum kind k, int status)
{
	atomic_fetch_add(&ph->errors[k][status > 0 && status < STATUS_SLOTS ? status : 0], 1);
}

/* Valid answers to the flagship survey, varied a little per employee so the
 * sealed boxes differ in size and content as real ones do. */
static int
answers_json(char *buf, size_t cap, size_t i)
{
	return snprintf(buf, cap,
	                "{\"support.1\":%zu,\"support.2\":4,\"support.3\":%zu,\"support.4\":4,"
	                "\"support.5\":3,\"support.6\":4,\"support.7\":%zu,"
	                "\"rejoin.1\":3,\"rejoin.2\":%zu,\"rejoin.3\":3,\"rejoin.4\":2,"
	                "\"acceptance.1\":5,\"acceptance.2\":4,\"acceptance.3\":%zu,"
	                "\"acceptance.4\":5,\"morale.1\":2,\"morale.2\":%zu,\"morale.3\":2,"
	                "\"morale.4\":3,\"morale.5\":2,\"morale.6\":%zu,\"enps\":%zu,"
	                "\"saw_leave\":2,\"rehire_terms\":%zu,\"offerings\":[1,3],"
	                "\"comments\":\"処遇の公平性が気になります。%zu\"}",
	                1 + i % 5, 1 + i / 5 % 5, 1 + i / 7 % 5, 1 + i % 4, 1 + i / 3 % 5,
	                1 + i % 5, 1 + i / 11 % 5, i % 11, 1 + i % 3, i);
}

/* Plays employee number idx of the phase. Returns 0 on a receipt. */
static int
play(struct bench *b, struct httpc *c, struct phase *ph, size_t idx, double start)
{
	const char *code = b->codes[ph->first + idx];
	struct tok_client_token tk;
	struct httpc_resp r;
	char path[64], seg[64], body[2048], ans[1024], bl64[48], in64[48], out64[96];
	uint8_t info[TOK_INFO_MAX], ev[TOK_ELEMENT_BYTES], proof[TOK_PROOF_BYTES],
		out[TOK_OUTPUT_BYTES];
	size_t infolen;
	double t0, t1;
	const char *p;
	int rc = -1;

	/* The page: the server writes the employee's group code into it. */
	snprintf(path, sizeof(path), "/s/%s", code);
	t0 = wall();
	if (httpc_request(c, "GET", path, NULL, NULL, 0, &r) != KOE_OK) {
		count_error(ph, K_PAGE, 0);
		return -1;
	}
	t1 = wall();
	ph->lat[K_PAGE][idx] = (float)((t1 - t0) * 1e3);
	if (r.status != 200 || (p = strstr(r.body, "data-segment=\"")) == NULL ||
	    strcspn(p + 14, "\"") >= sizeof(seg)) {
		count_error(ph, K_PAGE, r.status);
		return -1;
	}
	snprintf(seg, sizeof(seg), "%.*s", (int)strcspn(p + 14, "\""), p + 14);

	/* Issuance: blind, send, check the proof, finalize. */
	if (tok_info_build(b->o.survey, seg, info, sizeof(info), &infolen) != KOE_OK ||
	    tok_client_blind(&tk) != KOE_OK) {
		count_error(ph, K_ISSUE, 0);
		return -1;
	}
	b64url_encode(bl64, sizeof(bl64), tk.blinded, sizeof(tk.blinded));
	snprintf(body, sizeof(body), "{\"invite\":\"%s\",\"blinded\":\"%s\"}", code, bl64);
	t0 = wall();
	if (httpc_request(c, "POST", "/api/v1/issue", "application/json", body, strlen(body),
	                  &r) != KOE_OK) {
		count_error(ph, K_ISSUE, 0);
		goto done;
	}
	t1 = wall();
	ph->lat[K_ISSUE][idx] = (float)((t1 - t0) * 1e3);
	{
		const char *e = strstr(r.body, "\"evaluated\":\""), *q = strstr(r.body, "\"proof\":\"");
		if (r.status != 200 || e == NULL || q == NULL ||
		    b64url_decode(ev, sizeof(ev), e + 13, strcspn(e + 13, "\"")) != KOE_OK ||
		    b64url_decode(proof, sizeof(proof), q + 9, strcspn(q + 9, "\"")) != KOE_OK ||
		    tok_client_finalize(&tk, b->pk, info, infolen, ev, proof, out) != KOE_OK) {
			count_error(ph, K_ISSUE, r.status == 200 ? 1 : r.status);
			goto done;
		}
	}

	/* Redemption with valid answers. */
	b64url_encode(in64, sizeof(in64), tk.input, sizeof(tk.input));
	b64url_encode(out64, sizeof(out64), out, sizeof(out));
	answers_json(ans, sizeof(ans), ph->first + idx);
	snprintf(body, sizeof(body),
	         "{\"survey\":\"%s\",\"segment\":\"%s\",\"token\":{\"input\":\"%s\","
	         "\"output\":\"%s\"},\"answers\":%s}",
	         b->o.survey, seg, in64, out64, ans);
	t0 = wall();
	if (httpc_request(c, "POST", "/api/v1/responses", "application/json", body, strlen(body),
	                  &r) != KOE_OK) {
		count_error(ph, K_SUBMIT, 0);
		goto done;
	}
	t1 = wall();
	ph->lat[K_SUBMIT][idx] = (float)((t1 - t0) * 1e3);
	if (r.status != 201 || strstr(r.body, "\"receipt\":\"") == NULL) {
		count_error(ph, K_SUBMIT, r.status);
		goto done;
	}
	ph->lat[K_COMPLETE][idx] = (float)((t1 - start) * 1e3);
	rc = 0;
done:
	tok_client_token_wipe(&tk);
	return rc;
}

static void *
client_thread(void *p)
{
	struct bench *b = p;
	struct httpc c;

	if (httpc_init(&c, b->host, b->port) != KOE_OK)
		atomic_store(&b->setup_failed, true);
	for (;;) {
		struct phase *ph;
		pthread_barrier_wait(&b->go); /* a phase starts, or the end */
		ph = b->ph;
		if (ph == NULL)
			break;
		for (;;) {
			size_t i = atomic_fetch_add(&ph->next, 1);
			double start;
			if (i >= ph->n)
				break;
			start = wall();
			if (ph->rate > 0) {
				double due = ph->t0 + (double)i / ph->rate;
				sleep_until(due);
				start = due;
			}
			ph->begin[i] = (float)(start - ph->t0);
			if (play(b, &c, ph, i, start) == 0)
				atomic_fetch_add(&ph->ok, 1);
		}
		pthread_barrier_wait(&b->go); /* the phase is over */
	}
	httpc_close(&c);
	return NULL;
}

/* ---- figures ---- */

static int
cmp_float(const void *a, const void *b)
{
	float x = *(const float *)a, y = *(const float *)b;
	return (x > y) - (x < y);
}

/* Percentiles of the reached values of v[n] (NANs skipped); n_out = how many. */
static void
percentiles(const float *v, size_t n, double *p50, double *p99, double *max, size_t *n_out)
{
	float *s = malloc((n ? n : 1) * sizeof(*s));
	size_t m = 0;
	if (s == NULL)
		fail_setup("out of memory");
	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]))
			s[m++] = v[i];
	*n_out = m;
	*p50 = *p99 = *max = 0;
	if (m) {
		qsort(s, m, sizeof(*s), cmp_float);
		*p50 = s[(size_t)ceil(0.50 * (double)m) - 1];
		*p99 = s[(size_t)ceil(0.99 * (double)m) - 1];
		*max = s[m - 1];
	}
	free(s);
}

static size_t
report_phase(const struct phase *ph, unsigned clients, double *rate_out, double *p99_out)
{
	double secs = ph->t_end - ph->t0, rate = (double)atomic_load(&ph->ok) / secs;
	size_t errors = 0;

	printf("\n%s: %zu employees, %u clients%s", ph->name, ph->n, clients,
	       ph->rate > 0 ? "" : ", no pauses\n");
	if (ph->rate > 0)
		printf(", arrivals at %.0f/s\n", ph->rate);
	printf("  complete responses   %zu in %.2f s = %.0f responses/s\n", atomic_load(&ph->ok),
	       secs, rate);
	printf("  latency (ms)             p50      p99      max        n\n");
	for (int k = 0; k < K_COUNT; k++) {
		double p50, p99, max;
		size_t n;
		percentiles(ph->lat[k], ph->n, &p50, &p99, &max, &n);
		printf("  %-22s %8.1f %8.1f %8.1f %8zu\n", kind_name[k], p50, p99, max, n);
		if (k == K_COMPLETE)
			*p99_out = p99;
	}
	for (int k = 0; k < K_COUNT; k++)
		for (int s = 0; s < STATUS_SLOTS; s++) {
			unsigned n = atomic_load(&ph->errors[k][s]);
			if (n == 0)
				continue;
			errors += n;
			if (s == 0)
				printf("  errors: %s: %u without a response (connection failed)\n",
				       kind_name[k], n);
			else if (s == 1)
				printf("  errors: %s: %u proofs or bodies that did not verify\n",
				       kind_name[k], n);
			else
				printf("  errors: %s: %u × HTTP %d\n", kind_name[k], n, s);
		}
	if (errors == 0)
		printf("  errors: none\n");
	*rate_out = rate;
	return errors;
}

static void
run_phase(struct bench *b, struct phase *ph)
{
	for (int k = 0; k < K_COUNT; k++) {
		ph->lat[k] = malloc((ph->n ? ph->n : 1) * sizeof(float));
		if (ph->lat[k] == NULL)
			fail_setup("out of memory");
		for (size_t i = 0; i < ph->n; i++)
			ph->lat[k][i] = NAN;
	}
	ph->begin = calloc(ph->n ? ph->n : 1, sizeof(float));
	if (ph->begin == NULL)
		fail_setup("out of memory");
	b->ph = ph;
	/* Arrivals are scheduled from just after every client is released. */
	ph->t0 = wall() + 0.01;
	pthread_barrier_wait(&b->go);
	pthread_barrier_wait(&b->go);
	ph->t_end = wall();
}

static void
free_phase(struct phase *ph)
{
	for (int k = 0; k < K_COUNT; k++)
		free(ph->lat[k]);
	free(ph->begin);
}

/* One line per employee: phase, start (s), then the latency (ms) of each
 * request kind and of the whole, "nan" where it was not reached. */
static void
log_phase(FILE *f, const struct phase *ph)
{
	for (size_t i = 0; i < ph->n; i++) {
		fprintf(f, "%s %.4f", ph->name, ph->begin[i]);
		for (int k = 0; k < K_COUNT; k++)
			fprintf(f, " %.2f", ph->lat[k][i]);
		fputc('\n', f);
	}
}

/* ---- setup: roster, survey, server ---- */

static void
write_roster(const char *path, size_t n)
{
	static const char *const tenure[] = {"1年未満", "1-3年", "3-5年", "5年以上"};
	FILE *f = fopen(path, "w");
	if (f == NULL)
		fail_setup("cannot write %s: %s", path, strerror(errno));
	fprintf(f, "employee_id,email,name,department,tenure\n");
	/* 24 departments × 4 tenure bands: groups of a few hundred at 20,000. */
	for (size_t i = 0; i < n; i++)
		fprintf(f, "E%07zu,e%zu@example.jp,社員%zu,部署%02zu,%s\n", i, i, i, i % 24,
		        tenure[i / 24 % 4]);
	if (fclose(f) != 0)
		fail_setup("cannot write %s", path);
}

/* Reads the invitation codes of a links.csv (the part after /s/). */
static void
read_links(struct bench *b, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[2048];
	size_t cap = 0;
	if (f == NULL)
		fail_setup("cannot read %s: %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *code = strstr(line, "/s/");
		if (code == NULL)
			continue;
		code += 3;
		code[strcspn(code, "\r\n\",")] = '\0';
		if (b->ncodes == cap) {
			cap = cap ? cap * 2 : 1024;
			b->codes = realloc(b->codes, cap * sizeof(*b->codes));
			if (b->codes == NULL)
				fail_setup("out of memory");
		}
		if ((b->codes[b->ncodes++] = strdup(code)) == NULL)
			fail_setup("out of memory");
	}
	fclose(f);
}

static int
run_sh(const char *cmd)
{
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
open_survey(struct bench *b, const char *dir, size_t n)
{
	char path[4096], cmd[8192];
	FILE *f;
	double t0;

	snprintf(path, sizeof(path), "%s/roster.csv", dir);
	write_roster(path, n);
	snprintf(path, sizeof(path), "%s/pass.txt", dir);
	if ((f = fopen(path, "w")) == NULL)
		fail_setup("cannot write %s", path);
	fprintf(f, "bench passphrase, not a secret\n");
	fclose(f);
	/* The report key's Argon2 cost is irrelevant here: make it cheap. */
	setenv("KOE_KDF_MEMLIMIT", "8388608", 1);
	snprintf(cmd, sizeof(cmd),
	         "cd '%s' && '%s' open '%s' --roster roster.csv --base-url http://127.0.0.1:1 "
	         "--db koe.db --key koe.key --out links.csv --passphrase-file pass.txt >open.log",
	         dir, b->o.koe, b->o.survey_file);
	t0 = wall();
	if (run_sh(cmd) != 0)
		fail_setup("koe open failed (see %s/open.log)", dir);
	printf("opened survey: %zu invitations in %.1f s\n", n, wall() - t0);
	snprintf(path, sizeof(path), "%s/links.csv", dir);
	read_links(b, path);
	if (b->ncodes != n)
		fail_setup("links.csv has %zu links, expected %zu", b->ncodes, n);
}

static pid_t
start_server(struct bench *b, const char *dir)
{
	int pfd[2];
	pid_t pid;
	char maxconn[32], threads[32], db[4096], key[4096], line[256];
	FILE *out;
	const char *colon;

	snprintf(db, sizeof(db), "%s/koe.db", dir);
	snprintf(key, sizeof(key), "%s/koe.key", dir);
	snprintf(maxconn, sizeof(maxconn), "%u", b->o.clients + 64);
	snprintf(threads, sizeof(threads), "%u", b->o.threads);
	if (pipe(pfd) != 0)
		fail_setup("pipe: %s", strerror(errno));
	pid = fork();
	if (pid < 0)
		fail_setup("fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		/* Every client comes from 127.0.0.1: lift the per-address cap,
		 * which exists against one abusive host, not for a benchmark. */
		execl(b->o.koe, b->o.koe, "serve", "--listen", "127.0.0.1:0", "--db", db, "--key",
		      key, "--per-ip", "0", "--max-connections", maxconn, "--threads", threads,
		      (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	out = fdopen(pfd[0], "r");
	if (out == NULL || fgets(line, sizeof(line), out) == NULL ||
	    (colon = strrchr(line, ':')) == NULL)
		fail_setup("koe serve did not start");
	b->port = (uint16_t)atoi(colon + 1);
	fclose(out);
	snprintf(b->host, sizeof(b->host), "127.0.0.1");
	return pid;
}

static int
stop_server(pid_t pid)
{
	int st = 0;
	kill(pid, SIGTERM);
	if (waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
fetch_public_key(struct bench *b)
{
	struct httpc c;
	struct httpc_resp r;
	char path[256];
	const char *p;

	snprintf(path, sizeof(path), "/api/v1/surveys/%s", b->o.survey);
	if (httpc_init(&c, b->host, b->port) != KOE_OK ||
	    httpc_request(&c, "GET", path, NULL, NULL, 0, &r) != KOE_OK || r.status != 200 ||
	    (p = strstr(r.body, "\"public_key\":\"")) == NULL ||
	    b64url_decode(b->pk, sizeof(b->pk), p + 14, strcspn(p + 14, "\"")) != KOE_OK)
		fail_setup("cannot read the manifest of survey '%s'", b->o.survey);
	httpc_close(&c);
}

static void
usage(void)
{
	fprintf(stderr,
	        "usage: bench_load [--clients N] [--responses N] [--paced N] [--rate R]\n"
	        "                  [--crypto-seconds S] [--threads N] [--koe PATH]\n"
	        "                  [--survey-file FILE] [--dir DIR] [--keep] [--latency-log FILE]\n"
	        "       bench_load --server 127.0.0.1:PORT --links links.csv [--first N] [--survey ID] "
	        "...\n");
	exit(2);
}

static void
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{"clients", required_argument, NULL, 'c'},
		{"responses", required_argument, NULL, 'n'},
		{"paced", required_argument, NULL, 'P'},
		{"rate", required_argument, NULL, 'r'},
		{"crypto-seconds", required_argument, NULL, 'C'},
		{"threads", required_argument, NULL, 't'},
		{"koe", required_argument, NULL, 'k'},
		{"survey-file", required_argument, NULL, 'f'},
		{"server", required_argument, NULL, 's'},
		{"links", required_argument, NULL, 'l'},
		{"first", required_argument, NULL, 'F'},
		{"survey", required_argument, NULL, 'S'},
		{"dir", required_argument, NULL, 'd'},
		{"keep", no_argument, NULL, 'K'},
		{"latency-log", required_argument, NULL, 'L'},
		{NULL, 0, NULL, 0},
	};
	static char koe_path[4096], survey_path[4096];
	const char *src = getenv("KOE_SRC");
	int c;

	*o = (struct opts){.clients = 200, .responses = 20000, .paced = 10000, .crypto_s = 3,
	                   .survey = SURVEY_DEFAULT};
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'c': o->clients = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'n': o->responses = strtoul(optarg, NULL, 10); break;
		case 'P': o->paced = strtoul(optarg, NULL, 10); break;
		case 'r': o->rate = strtod(optarg, NULL); break;
		case 'C': o->crypto_s = strtod(optarg, NULL); break;
		case 't': o->threads = (unsigned)strtoul(optarg, NULL, 10); break;
		case 'k': o->koe = optarg; break;
		case 'f': o->survey_file = optarg; break;
		case 's': o->server = optarg; break;
		case 'l': o->links = optarg; break;
		case 'F': o->first = strtoul(optarg, NULL, 10); break;
		case 'S': o->survey = optarg; break;
		case 'd': o->dir = optarg; break;
		case 'K': o->keep = true; break;
		case 'L': o->log = optarg; break;
		default: usage();
		}
	}
	if (optind != argc || o->clients == 0 || o->clients > 4096 ||
	    o->responses + o->paced == 0 || (o->server != NULL) != (o->links != NULL) ||
	    (o->paced > 0 && o->rate <= 0 && o->crypto_s <= 0))
		usage();
	/* The koe binary sits beside this one in the build tree. */
	if (o->koe == NULL && (o->koe = getenv("KOE_BIN")) == NULL) {
		const char *slash = strrchr(argv[0], '/');
		snprintf(koe_path, sizeof(koe_path), "%.*s/koe",
		         slash ? (int)(slash - argv[0]) : 1, slash ? argv[0] : ".");
		o->koe = koe_path;
	}
	/* `koe open` runs in the work directory: the path must not be relative. */
	if (o->koe[0] != '/') {
		static char abs_koe[4096];
		if (realpath(o->koe, abs_koe) == NULL)
			fail_setup("cannot find koe at %s (use --koe)", o->koe);
		o->koe = abs_koe;
	}
	if (o->survey_file == NULL) {
		if (src)
			snprintf(survey_path, sizeof(survey_path), "%s/surveys/alumni-readiness.txt", src);
		else /* CMake compiles with absolute paths: bench/ is beside surveys/ */
			snprintf(survey_path, sizeof(survey_path), "%.*s/../surveys/alumni-readiness.txt",
			         (int)(strrchr(__FILE__, '/') ? strrchr(__FILE__, '/') - __FILE__ : 1),
			         strrchr(__FILE__, '/') ? __FILE__ : ".");
		o->survey_file = survey_path;
	}
}

int
main(int argc, char **argv)
{
	static struct bench b;
	struct phase *sat = NULL, *paced = NULL;
	char dir[2048];
	pthread_t *th;
	pid_t server = -1;
	double crypto_before = 0, crypto_after = 0, crypto = 0;
	double sat_rate = 0, sat_p99 = 0, paced_rate = 0, paced_p99 = 0;
	size_t errors = 0, acked;
	int status = 0;

	parse_opts(argc, argv, &b.o);
	if (sodium_init() < 0 || tok_init() != KOE_OK)
		fail_setup("cannot initialize libsodium");
	signal(SIGPIPE, SIG_IGN);

	if (b.o.server) {
		const char *colon = strrchr(b.o.server, ':');
		if (colon == NULL || (size_t)(colon - b.o.server) >= sizeof(b.host))
			usage();
		snprintf(b.host, sizeof(b.host), "%.*s", (int)(colon - b.o.server), b.o.server);
		b.port = (uint16_t)atoi(colon + 1);
		read_links(&b, b.o.links);
		if (b.ncodes < b.o.first || b.ncodes - b.o.first < b.o.responses + b.o.paced)
			fail_setup("%s has %zu links from --first %zu on; this run needs %zu", b.o.links,
			           b.ncodes > b.o.first ? b.ncodes - b.o.first : 0, b.o.first,
			           b.o.responses + b.o.paced);
		printf("server: %s (given), survey %s\n", b.o.server, b.o.survey);
	} else {
		if (b.o.dir) {
			snprintf(dir, sizeof(dir), "%s", b.o.dir);
			if (mkdir(dir, 0700) != 0 && errno != EEXIST)
				fail_setup("cannot create %s: %s", dir, strerror(errno));
		} else {
			snprintf(dir, sizeof(dir), "/tmp/koe-bench-load-XXXXXX");
			if (mkdtemp(dir) == NULL)
				fail_setup("mkdtemp: %s", strerror(errno));
		}
		open_survey(&b, dir, b.o.responses + b.o.paced);
		server = start_server(&b, dir);
		printf("server: koe serve on 127.0.0.1:%u (--per-ip 0, --threads %u%s), database in %s\n",
		       b.port, b.o.threads, b.o.threads ? "" : " = one per CPU", dir);
	}
	fetch_public_key(&b);
	printf("cores: %ld\n", sysconf(_SC_NPROCESSORS_ONLN));

	if (b.o.crypto_s > 0) {
		crypto_before = crypto_rate(b.o.crypto_s);
		printf("crypto only (before): %.0f responses/s\n", crypto_before);
	}

	th = calloc(b.o.clients, sizeof(*th));
	if (th == NULL || pthread_barrier_init(&b.go, NULL, b.o.clients + 1) != 0)
		fail_setup("out of memory");
	for (unsigned i = 0; i < b.o.clients; i++) {
		/* Small stacks: 200 clients need little each. */
		pthread_attr_t at;
		pthread_attr_init(&at);
		pthread_attr_setstacksize(&at, 256 * 1024);
		if (pthread_create(&th[i], &at, client_thread, &b) != 0)
			fail_setup("cannot start client %u", i);
		pthread_attr_destroy(&at);
	}
	if (b.o.responses) {
		sat = calloc(1, sizeof(*sat));
		if (sat == NULL)
			fail_setup("out of memory");
		sat->name = "saturation";
		sat->first = b.o.first;
		sat->n = b.o.responses;
		run_phase(&b, sat);
		errors += report_phase(sat, b.o.clients, &sat_rate, &sat_p99);
	}
	if (b.o.crypto_s > 0) {
		crypto_after = crypto_rate(b.o.crypto_s);
		printf("\ncrypto only (after saturation): %.0f responses/s\n", crypto_after);
		crypto = crypto_before > 0 ? (crypto_before + crypto_after) / 2 : crypto_after;
	}
	if (b.o.paced) {
		paced = calloc(1, sizeof(*paced));
		if (paced == NULL)
			fail_setup("out of memory");
		paced->name = "paced";
		paced->first = b.o.first + b.o.responses;
		paced->n = b.o.paced;
		paced->rate = b.o.rate > 0 ? b.o.rate : crypto / 2;
		run_phase(&b, paced);
		errors += report_phase(paced, b.o.clients, &paced_rate, &paced_p99);
	}
	b.ph = NULL;
	pthread_barrier_wait(&b.go);
	for (unsigned i = 0; i < b.o.clients; i++)
		pthread_join(th[i], NULL);
	if (atomic_load(&b.setup_failed))
		errors++;
	acked = (sat ? atomic_load(&sat->ok) : 0) + (paced ? atomic_load(&paced->ok) : 0);

	if (server > 0) {
		struct db *db = NULL;
		char path[4200];
		int64_t stored = -1;
		int st = stop_server(server);
		snprintf(path, sizeof(path), "%s/koe.db", dir);
		if (db_open(path, DB_READONLY, &db, NULL) == KOE_OK)
			db_response_count(db, b.o.survey, &stored);
		db_close(db);
		printf("\nserver exit status %d; the database holds %lld responses, %zu acknowledged\n",
		       st, (long long)stored, acked);
		if (st != 0 || stored != (int64_t)acked)
			errors++;
	}

	printf("\nsummary (%u clients, %ld cores)\n", b.o.clients, sysconf(_SC_NPROCESSORS_ONLN));
	if (crypto > 0)
		printf("  crypto-only rate         %8.0f responses/s  (before %.0f, after %.0f)\n",
		       crypto, crypto_before, crypto_after);
	if (sat && crypto > 0)
		printf("  saturation throughput    %8.0f responses/s  = %.2f of crypto-only "
		       "(target >= 0.50)  p99 %.0f ms\n",
		       sat_rate, sat_rate / crypto, sat_p99);
	else if (sat)
		printf("  saturation throughput    %8.0f responses/s  (crypto-only rate not measured)"
		       "  p99 %.0f ms\n",
		       sat_rate, sat_p99);
	if (paced)
		printf("  paced at %5.0f/s         %8.0f responses/s  p99 complete %.1f ms "
		       "(target <= 100)\n",
		       paced->rate, paced_rate, paced_p99);
	printf("  errors                   %8zu\n", errors);
	if (b.o.log) {
		FILE *f = fopen(b.o.log, "w");
		if (f == NULL)
			fail_setup("cannot write %s", b.o.log);
		if (sat)
			log_phase(f, sat);
		if (paced)
			log_phase(f, paced);
		fclose(f);
	}
	if (errors)
		status = 1;

	if (sat)
		free_phase(sat);
	if (paced)
		free_phase(paced);
	free(sat);
	free(paced);
	free(th);
	for (size_t i = 0; i < b.ncodes; i++)
		free(b.codes[i]);
	free(b.codes);
	pthread_barrier_destroy(&b.go);
	if (server > 0 && !b.o.keep && b.o.dir == NULL) {
		char cmd[4200];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		run_sh(cmd);
	}
	return status;
}
