/* The storage layer when memory runs out: every allocation SQLite makes for
 * koe's database (open, schema, survey, invitations, issuance, a response
 * with its spent token, the reads the server and the report do) may fail.
 * Fail the 1st, 2nd, ... in turn, through SQLite's own allocator hook, until
 * the whole sequence succeeds. Each failure must come back as an error value
 * (never a crash or a leak), and the file it leaves behind must be sound:
 * integrity_check ok, and a response stored with its spent token or not at
 * all, never one without the other. */
#include <sqlite3.h>

#include "survey_fixture.h"

static long countdown;
static sqlite3_mem_methods real;

static void *
fail_malloc(int n)
{
	if (countdown > 0 && --countdown == 0)
		return NULL;
	return real.xMalloc(n);
}

static void *
fail_realloc(void *p, int n)
{
	if (countdown > 0 && --countdown == 0)
		return NULL;
	return real.xRealloc(p, n);
}

static int
count_one(void *ctx, const uint8_t r[DB_HASH_BYTES])
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}

/* What `koe open`, `koe serve` and `koe report` do with the database, in
 * order. Returns the first error. */
static enum koe_err
sequence(const char *path, const struct db_survey *rec)
{
	struct db *db = NULL;
	struct koe_msg msg;
	uint8_t hash[DB_HASH_BYTES] = {1}, blinded[32] = {2}, receipt[DB_HASH_BYTES] = {3};
	uint8_t box[SEAL_BOX_BYTES] = {6};
	struct db_invitation inv = {0};
	struct db_segment *segs = NULL;
	size_t nsegs = 0;
	int64_t count = 0;
	int receipts = 0;
	enum koe_err err;

	if ((err = db_open(path, DB_CREATE, &db, &msg)) != KOE_OK)
		return err;
	if ((err = db_begin(db)) != KOE_OK)
		goto done;
	if ((err = db_survey_insert(db, rec)) != KOE_OK ||
	    (err = db_segment_insert(db, rec->id, "g01", "営業部", 5)) != KOE_OK ||
	    (err = db_storage_reserve(db, rec->id, 8, 10)) != KOE_OK ||
	    (err = db_invitation_insert(db, rec->id, hash, "E1", "e1@example.jp", "名前", "g01")) !=
	            KOE_OK ||
	    (err = db_commit(db)) != KOE_OK) {
		db_rollback(db);
		goto done;
	}
	/* The server's worker: issue, then a response in a savepoint. */
	if ((err = db_begin(db)) != KOE_OK)
		goto done;
	if ((err = db_invitation_by_hash(db, rec->id, hash, &inv)) != KOE_OK ||
	    (err = db_invitation_issue(db, rec->id, hash, blinded)) != KOE_OK ||
	    (err = db_savepoint(db)) != KOE_OK) {
		db_rollback(db);
		goto done;
	}
	err = db_response_store(db, rec->id, receipt, "g01", box, 1);
	if (err == KOE_OK)
		err = db_release(db);
	if (err != KOE_OK) {
		db_rollback_to(db);
		db_rollback(db);
		goto done;
	}
	if ((err = db_commit(db)) != KOE_OK) {
		db_rollback(db);
		goto done;
	}
	/* Status and report reads. */
	if ((err = db_segments_get(db, rec->id, &segs, &nsegs)) != KOE_OK ||
	    (err = db_response_count(db, rec->id, &count)) != KOE_OK ||
	    (err = db_receipts_foreach(db, rec->id, count_one, &receipts)) != KOE_OK)
		goto done;
	if (count != 1 || receipts != 1 || nsegs != 1 || segs[0].responded != 1)
		err = KOE_ESTATE;
done:
	db_invitation_clear(&inv);
	db_segments_free(segs, nsegs);
	db_close(db);
	return err;
}

/* Opens what a failed run left, without faults: sound, and atomic. */
static void
check_file(const char *path, const char *survey)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;

	if (access(path, F_OK) != 0)
		return;
	CHECK_INT(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_step(st), SQLITE_ROW);
	CHECK_STR((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	/* The schema may not exist yet if the failure came early. */
	if (sqlite3_prepare_v2(h,
	                       "SELECT (SELECT count(*) FROM spent WHERE survey = ?1),"
	                       " (SELECT count(*) FROM responses WHERE survey = ?1)",
	                       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
		CHECK_INT(sqlite3_step(st), SQLITE_ROW);
		CHECK_INT(sqlite3_column_int(st, 0), sqlite3_column_int(st, 1));
		CHECK(sqlite3_column_int(st, 0) <= 1);
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
}

static void
fail_each_sqlite_allocation(void)
{
	struct fixture f;
	char path[400], side[420];
	long n;
	int nomem = 0, survived = 0, other = 0;

	fixture_up(&f, "qualtrics-plain.txt");
	/* Thousands of databases are created: in memory-backed /dev/shm where
	 * there is one, so fsync costs nothing. */
	if (access("/dev/shm", W_OK) == 0)
		snprintf(path, sizeof(path), "/dev/shm/koe-oom-%ld.db", (long)getpid());
	else
		snprintf(path, sizeof(path), "%s/oom.db", f.dir);
	for (n = 1; n < 200000; n++) {
		enum koe_err err;
		unlink(path);
		snprintf(side, sizeof(side), "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof(side), "%s-shm", path);
		unlink(side);
		countdown = n;
		err = sequence(path, &f.rec);
		if (countdown > 0) {
			/* Fewer than n allocations: the whole sequence ran. */
			countdown = 0;
			CHECK_INT(err, KOE_OK);
			break;
		}
		countdown = 0;
		/* SQLite reports out of memory as SQLITE_NOMEM, which the db_
		 * layer returns as a database error: a clean refusal. Some of
		 * SQLite's allocations are optional (caches, lookaside): when
		 * one of those fails it carries on, and the whole sequence
		 * succeeding, with every count checked, is right too. */
		nomem += err == KOE_EDB || err == KOE_ENOMEM;
		survived += err == KOE_OK;
		other += err != KOE_OK && err != KOE_EDB && err != KOE_ENOMEM;
		if (err != KOE_OK && err != KOE_EDB && err != KOE_ENOMEM)
			fprintf(stderr, "allocation %ld: %s\n", n, koe_strerror(err));
		check_file(path, f.rec.id);
	}
	fprintf(stderr,
	        "%ld SQLite allocations, each failed once: %d refused cleanly, %d survived, "
	        "%d other\n",
	        n - 1, nomem, survived, other);
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
	CHECK(n > 50);
	CHECK(n < 200000);
	CHECK_INT(other, 0);
	fixture_down(&f);
}

int
main(void)
{
	static sqlite3_mem_methods mine;

	/* Before SQLite initializes: route its allocator through the
	 * countdown. */
	if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real) != SQLITE_OK)
		return 2;
	mine = real;
	mine.xMalloc = fail_malloc;
	mine.xRealloc = fail_realloc;
	if (sqlite3_config(SQLITE_CONFIG_MALLOC, &mine) != SQLITE_OK)
		return 2;
	RUN(fail_each_sqlite_allocation);
	return harness_done();
}
