/* docs/ARCHITECTURE.md §4.4 under a race: many concurrent submissions of one token get
 * exactly one 201 and 409 for all the others, and the database holds one
 * response. The same for concurrent issuance with different blinded
 * elements for one link: exactly one wins. */
#include <pthread.h>

#include "server_fixture.h"

#define RACERS 32

static struct srv S;
static struct fx_emp E;
static pthread_barrier_t start;
static int statuses[RACERS];

static void *
submit(void *arg)
{
	struct hc_resp r;
	size_t i = (size_t)(uintptr_t)arg;
	pthread_barrier_wait(&start);
	statuses[i] = fx_submit(&S, &E, valid_answers(), &r);
	hc_free(&r);
	return NULL;
}

static void
one_token_many_submissions(void)
{
	pthread_t t[RACERS];
	int created = 0, conflict = 0;

	CHECK_INT(fx_token(&S, S.codes[0], &E), 200);
	pthread_barrier_init(&start, NULL, RACERS);
	for (size_t i = 0; i < RACERS; i++)
		pthread_create(&t[i], NULL, submit, (void *)(uintptr_t)i);
	for (size_t i = 0; i < RACERS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	for (size_t i = 0; i < RACERS; i++) {
		created += statuses[i] == 201;
		conflict += statuses[i] == 409;
	}
	CHECK_INT(created, 1);
	CHECK_INT(conflict, RACERS - 1);
}

static struct fx_emp racers[RACERS];

static void *
issue(void *arg)
{
	size_t i = (size_t)(uintptr_t)arg;
	pthread_barrier_wait(&start);
	statuses[i] = fx_token(&S, S.codes[1], &racers[i]);
	return NULL;
}

static void
one_link_many_devices(void)
{
	pthread_t t[RACERS];
	int ok = 0, conflict = 0;
	pthread_barrier_init(&start, NULL, RACERS);
	for (size_t i = 0; i < RACERS; i++)
		pthread_create(&t[i], NULL, issue, (void *)(uintptr_t)i);
	for (size_t i = 0; i < RACERS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	for (size_t i = 0; i < RACERS; i++) {
		ok += statuses[i] == 200;
		conflict += statuses[i] == 409;
	}
	CHECK_INT(ok, 1);
	CHECK_INT(conflict, RACERS - 1);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 2;
	srv_open(&S, 10);
	srv_start(&S, "--per-ip 0");
	RUN(one_token_many_submissions);
	RUN(one_link_many_devices);
	harness_current = "stop";
	CHECK_INT(srv_stop(&S), 0);
	/* The database agrees: one response. */
	/* Exact counts only after closing (include/koe/dc.h rule 3). */
	CHECK_INT(run_cmd("'%s' close --yes --db '%s' >/dev/null && '%s' status --db '%s' | grep -q "
	                  "'responded 1 '",
	                  getenv("KOE_BIN"), S.db, getenv("KOE_BIN"), S.db),
	          0);
	srv_cleanup(&S);
	return harness_done();
}
