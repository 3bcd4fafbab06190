/* docs/ARCHITECTURE.md §4.6: `koe backup` taken while a real `koe serve`
 * takes answers from employees answering in parallel, then `koe restore`
 * into a new database, served again and closed. What is guaranteed, and
 * checked:
 *
 *   - every answer acknowledged (201) before `koe backup` started is in the
 *     restored database: its receipt is in the list published after close,
 *     and sending its token again is refused as spent (409);
 *   - no answer whose request was sent after `koe backup` returned is in it;
 *   - nothing else is in it: every receipt published was acknowledged (or
 *     in flight while the backup ran) or is the one answer given to the
 *     restored server;
 *   - the copy is 0600 and PRAGMA integrity_check says ok, for the copy and
 *     for the restored database;
 *   - the restored database serves: a link opened after the backup is fresh
 *     again in it and its new answer is acknowledged;
 *   - the live WAL, which holds commits while the backup reads, is empty
 *     again once the answers after it have committed.
 *
 * Answers acknowledged while the backup ran may or may not be in it. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <time.h>

#include "server_fixture.h"

#define N_LINKS    200
#define N_ANSWER   170 /* links N_ANSWER.. stay unused until the restore */
#define N_WORKERS  8
#define N_BEFORE   50  /* acknowledged answers before the backup starts */

struct ans {
	int status;
	int64_t sent_ns, acked_ns;
	char receipt[65];
	struct fx_emp emp;
};

static struct srv s;
static struct ans answers[N_ANSWER];
static atomic_int next_link, acked;

static int64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
read_receipt(const struct hc_resp *r, char out[65])
{
	json_t *j = json_loads(r->body, 0, NULL);
	const char *rc = json_string_value(json_object_get(j, "receipt"));
	snprintf(out, 65, "%s", rc ? rc : "");
	json_decref(j);
}

/* One employee after another: token, then answers; times taken around the
 * submission only. */
static void *
employee_worker(void *arg)
{
	(void)arg;
	for (int i; (i = atomic_fetch_add(&next_link, 1)) < N_ANSWER;) {
		struct ans *a = &answers[i];
		struct hc_resp r;
		if ((a->status = fx_token(&s, s.codes[i], &a->emp)) != 200)
			continue;
		a->sent_ns = now_ns();
		a->status = fx_submit(&s, &a->emp, valid_answers(), &r);
		a->acked_ns = now_ns();
		if (a->status == 201) {
			read_receipt(&r, a->receipt);
			atomic_fetch_add(&acked, 1);
		}
		hc_free(&r);
	}
	return NULL;
}

static const char *
integrity(const char *path)
{
	static char result[256];
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	snprintf(result, sizeof(result), "cannot open");
	if (sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		snprintf(result, sizeof(result), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(h);
	return result;
}

/* The receipt list the restored server publishes after close. */
static json_t *
published_receipts(void)
{
	struct hc_resp r;
	json_t *list = NULL;
	if (hc(s.port, "GET", "/api/v1/surveys/" SURVEY_ID "/receipts", NULL, NULL, &r) == 0 &&
	    r.status == 200) {
		json_t *j = json_loads(r.body, 0, NULL);
		list = json_incref(json_object_get(j, "receipts"));
		json_decref(j);
	}
	hc_free(&r);
	return list;
}

static bool
listed(json_t *list, const char *receipt)
{
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v)
		if (strcmp(json_string_value(v), receipt) == 0)
			return true;
	return false;
}

/* Runs the employees and `koe backup` while they answer; returns when all
 * have answered. *t0 and *t1: just before the backup started, just after
 * it returned. */
static void
answer_while_backing_up(const char *copy, int64_t *t0, int64_t *t1)
{
	pthread_t th[N_WORKERS];
	for (int i = 0; i < N_WORKERS; i++)
		pthread_create(&th[i], NULL, employee_worker, NULL);
	while (atomic_load(&acked) < N_BEFORE && atomic_load(&next_link) < N_ANSWER)
		usleep(1000);
	*t0 = now_ns();
	CHECK_INT(run_cmd("'%s' backup --db '%s' --out '%s' >/dev/null", getenv("KOE_BIN"), s.db,
	                  copy),
	          0);
	*t1 = now_ns();
	for (int i = 0; i < N_WORKERS; i++)
		pthread_join(th[i], NULL);
}

/* The restored database is served: one new answer, one replayed token. */
static void
serve_restored(const struct ans *old, char new_receipt[65])
{
	struct fx_emp e;
	struct hc_resp r;
	srv_start(&s, NULL);
	CHECK_INT(fx_token(&s, s.codes[N_ANSWER], &e), 200);
	CHECK_INT(fx_submit(&s, &e, valid_answers(), &r), 201);
	read_receipt(&r, new_receipt);
	hc_free(&r);
	CHECK_INT(fx_submit(&s, &old->emp, valid_answers(), &r), 409);
	hc_free(&r);
	CHECK_INT(srv_stop(&s), 0);
}

static void
every_answer_acknowledged_before_the_backup_is_restored(void)
{
	char copy[200], restored[200], new_receipt[65];
	int64_t t0, t1;
	int guaranteed = 0, during = 0, later = 0, extra = 0;
	struct stat sb;

	srv_open(&s, N_LINKS);
	srv_start(&s, NULL);
	snprintf(copy, sizeof(copy), "%s/backup.db", s.dir);
	snprintf(restored, sizeof(restored), "%s/restored.db", s.dir);
	answer_while_backing_up(copy, &t0, &t1);
	/* The commits the backup's snapshot held back are checkpointed by the
	 * next ones: the WAL is empty again (docs/ARCHITECTURE.md §4.1). */
	struct stat wb;
	char livewal[300];
	snprintf(livewal, sizeof(livewal), "%s-wal", s.db);
	CHECK(stat(livewal, &wb) != 0 || wb.st_size == 0);
	CHECK_INT(srv_stop(&s), 0);
	CHECK_INT(atomic_load(&acked), N_ANSWER);

	CHECK(stat(copy, &sb) == 0 && (sb.st_mode & 0777) == 0600);
	CHECK_STR(integrity(copy), "ok");
	char wal[320];
	snprintf(wal, sizeof(wal), "%s-wal", copy);
	CHECK(access(wal, F_OK) != 0); /* one file: no write-ahead log beside it */
	CHECK_INT(run_cmd("'%s' restore '%s' --db '%s' >/dev/null", getenv("KOE_BIN"), copy,
	                  restored),
	          0);
	CHECK(stat(restored, &sb) == 0 && (sb.st_mode & 0777) == 0600);
	CHECK_STR(integrity(restored), "ok");

	/* Serve the restored database, with the first guaranteed answer's token. */
	snprintf(s.db, sizeof(s.db), "%s", restored);
	const struct ans *first = NULL;
	for (int i = 0; i < N_ANSWER && first == NULL; i++)
		if (answers[i].acked_ns < t0)
			first = &answers[i];
	CHECK(first != NULL);
	if (first == NULL)
		return;
	serve_restored(first, new_receipt);
	CHECK_INT(run_cmd("'%s' close --yes --db '%s' >/dev/null", getenv("KOE_BIN"), restored), 0);
	srv_start(&s, NULL);
	json_t *list = published_receipts();
	CHECK(list != NULL);
	for (int i = 0; list && i < N_ANSWER; i++) {
		const struct ans *a = &answers[i];
		bool in = listed(list, a->receipt);
		if (a->acked_ns < t0) {
			guaranteed++;
			if (!in)
				fprintf(stderr, "answer %d acknowledged before the backup is missing\n", i);
			CHECK(in);
		} else if (a->sent_ns > t1) {
			later++;
			CHECK(!in);
		} else {
			during++;
		}
		extra += in;
	}
	CHECK(list && listed(list, new_receipt));
	/* Nothing but those answers and the new one. */
	CHECK_INT(list ? (long long)json_array_size(list) : -1, extra + 1);
	printf("  %d acknowledged before the backup (all restored), %d around it, %d sent after "
	       "it (none restored); %zu receipts published\n",
	       guaranteed, during, later, list ? json_array_size(list) : 0);
	CHECK(guaranteed >= N_BEFORE);
	json_decref(list);
	CHECK_INT(srv_stop(&s), 0);
	srv_cleanup(&s);
}

int
main(void)
{
	RUN(every_answer_acknowledged_before_the_backup_is_restored);
	return harness_done();
}
