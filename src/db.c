/* Storage on SQLite; see include/koe/db.h for the rules this schema keeps. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "koe/db.h"

#define DB_BUSY_MS 10000

static const char schema_v2[] =
	"CREATE TABLE surveys ("
	" id TEXT PRIMARY KEY,"
	" title TEXT NOT NULL,"
	" base_url TEXT NOT NULL,"
	" source BLOB NOT NULL,"
	" state INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1)),"
	" public_key BLOB NOT NULL,"
	" key_id TEXT NOT NULL,"
	" report_pk BLOB NOT NULL,"
	" invited INTEGER NOT NULL,"
	" reissued INTEGER NOT NULL DEFAULT 0,"
	" opened_final INTEGER,"
	" receipts_count INTEGER,"
	" receipts_digest TEXT,"
	" nslots INTEGER NOT NULL DEFAULT 0,"
	" nused INTEGER NOT NULL DEFAULT 0,"
	" nbuckets INTEGER NOT NULL DEFAULT 0,"
	" nspent INTEGER NOT NULL DEFAULT 0"
	") WITHOUT ROWID;"
	/* The report's key holders: public parts only (seal.h). */
	"CREATE TABLE holders ("
	" survey TEXT NOT NULL REFERENCES surveys(id),"
	" idx INTEGER NOT NULL,"
	" name TEXT NOT NULL,"
	" pub BLOB NOT NULL,"
	" kdf_salt BLOB NOT NULL,"
	" kdf_ops INTEGER NOT NULL,"
	" kdf_mem INTEGER NOT NULL,"
	" proof BLOB NOT NULL,"
	" PRIMARY KEY (survey, idx)"
	") WITHOUT ROWID;"
	/* Ephemeral sealing keys, one per server run; no answer refers to one. */
	"CREATE TABLE seal_keys ("
	" survey TEXT NOT NULL REFERENCES surveys(id),"
	" epk BLOB NOT NULL,"
	" PRIMARY KEY (survey, epk)"
	") WITHOUT ROWID;"
	"CREATE TABLE segments ("
	" survey TEXT NOT NULL REFERENCES surveys(id),"
	" code TEXT NOT NULL,"
	" label TEXT NOT NULL,"
	" invited INTEGER NOT NULL,"
	" opened_final INTEGER,"
	" PRIMARY KEY (survey, code)"
	") WITHOUT ROWID;"
	/* Invitations: the only place employees appear; deleted at close.
	 * blinded is written as 32 zero bytes and overwritten in place when
	 * the link fetches its token, so the row never moves. */
	"CREATE TABLE invitations ("
	" survey TEXT NOT NULL,"
	" invite_hash BLOB NOT NULL,"
	" employee_id TEXT NOT NULL,"
	" email TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" segment TEXT NOT NULL,"
	" status INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2)),"
	" blinded BLOB NOT NULL,"
	" PRIMARY KEY (survey, invite_hash),"
	" FOREIGN KEY (survey, segment) REFERENCES segments(survey, code)"
	") WITHOUT ROWID;"
	"CREATE UNIQUE INDEX invitations_employee ON invitations(survey, employee_id)"
	" WHERE status != 2;"
	/* Spent tokens: an open-addressing hash table of fixed-size rows made
	 * in advance. A receipt's bucket follows from the receipt (a hash),
	 * and spending overwrites the row in place: neither position nor size
	 * says anything about arrival. segment is the code padded with spaces
	 * to DB_SEGMENT_BYTES. */
	"CREATE TABLE spent ("
	" survey TEXT NOT NULL REFERENCES surveys(id),"
	" bucket INTEGER NOT NULL,"
	" used INTEGER NOT NULL,"
	" receipt BLOB NOT NULL,"
	" segment TEXT NOT NULL,"
	" PRIMARY KEY (survey, bucket)"
	") WITHOUT ROWID;"
	/* After close: only the keyed hashes of the invitations, so a late
	 * visitor learns "closed" instead of "unknown link". No employee data. */
	"CREATE TABLE closed_invites ("
	" survey TEXT NOT NULL REFERENCES surveys(id),"
	" invite_hash BLOB NOT NULL,"
	" PRIMARY KEY (survey, invite_hash)"
	") WITHOUT ROWID;"
	/* Sealed answer chunks: fixed-size rows made in advance with random
	 * bytes; a chunk is written over a free slot picked at random, in
	 * place. No column names a segment, a key, a time or another row. */
	"CREATE TABLE slots ("
	" survey TEXT NOT NULL REFERENCES surveys(id),"
	" slot INTEGER NOT NULL,"
	" used INTEGER NOT NULL,"
	" box BLOB NOT NULL,"
	" PRIMARY KEY (survey, slot)"
	") WITHOUT ROWID;";

/* The fixed set of statements, prepared once per connection on first use. */
enum stmt {
	S_BEGIN,
	S_COMMIT,
	S_ROLLBACK,
	S_SURVEY_INSERT,
	S_SURVEY_GET,
	S_SURVEY_IDS,
	S_SEGMENT_INSERT,
	S_SEGMENTS_GET,
	S_INV_INSERT,
	S_INV_BY_EMPLOYEE,
	S_INV_BY_HASH,
	S_INV_REVOKE,
	S_INV_ISSUE,
	S_INV_UNOPENED,
	S_SURVEY_REISSUED,
	S_SPENT_GET,
	S_SPENT_SET,
	S_SPENT_USED,
	S_SPENT_CLEAR,
	S_SPENT_ADD,
	S_SEGMENT_EXISTS,
	S_SLOT_FIND,
	S_SLOT_SET,
	S_SLOTS_ADD,
	S_SLOTS_USED,
	S_SURVEY_SIZES,
	S_SURVEY_SET_SIZES,
	S_HOLDER_INSERT,
	S_HOLDERS,
	S_SEAL_KEY_INSERT,
	S_SEAL_KEYS,
	S_RECEIPTS,
	S_CLOSE_FREE_SLOTS,
	S_CLOSE_FREE_SPENT,
	S_SAVEPOINT,
	S_RELEASE,
	S_ROLLBACK_TO,
	S_SURVEY_STATE,
	S_CLOSE_KEEP_HASHES,
	S_CLOSED_INVITE,
	S_CLOSE_ZERO,
	S_CLOSE_SEGMENTS,
	S_CLOSE_SURVEY,
	S_CLOSE_DELETE,
	S_COUNT
};

static const char *const sql[S_COUNT] = {
	[S_BEGIN] = "BEGIN IMMEDIATE",
	[S_COMMIT] = "COMMIT",
	[S_ROLLBACK] = "ROLLBACK",
	[S_SURVEY_INSERT] =
		"INSERT INTO surveys (id, title, base_url, source, state, public_key, key_id,"
		" report_pk, invited)"
		" VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?8)",
	[S_SURVEY_GET] =
		"SELECT id, title, base_url, source, state, public_key, key_id, report_pk,"
		" 0, 0, 0, invited, reissued, opened_final,"
		" receipts_count, receipts_digest FROM surveys WHERE id = ?1",
	[S_SURVEY_IDS] = "SELECT id FROM surveys ORDER BY id",
	[S_SEGMENT_INSERT] =
		"INSERT INTO segments (survey, code, label, invited) VALUES (?1, ?2, ?3, ?4)",
	/* One grouped pass over each table, not one scan per segment: a
	 * survey of 100,000 invitations has hundreds of segments. */
	[S_SEGMENTS_GET] =
		"SELECT g.code, g.label, g.invited, coalesce(g.opened_final, o.n, 0), coalesce(r.n, 0)"
		" FROM segments g"
		" LEFT JOIN (SELECT segment, count(*) AS n FROM invitations"
		"   WHERE survey = ?1 AND status = 1 GROUP BY segment) o ON o.segment = g.code"
		" LEFT JOIN (SELECT rtrim(segment) AS segment, count(*) AS n FROM spent"
		"   WHERE survey = ?1 AND used = 1 GROUP BY segment) r ON r.segment = g.code"
		" WHERE g.survey = ?1 ORDER BY g.code",
	[S_INV_INSERT] =
		"INSERT INTO invitations (survey, invite_hash, employee_id, email, name, segment,"
		" blinded) VALUES (?1, ?2, ?3, ?4, ?5, ?6, zeroblob(32))",
	[S_INV_BY_EMPLOYEE] =
		"SELECT invite_hash, employee_id, email, name, segment, status, blinded"
		" FROM invitations WHERE survey = ?1 AND employee_id = ?2 AND status != 2",
	[S_INV_BY_HASH] =
		"SELECT invite_hash, employee_id, email, name, segment, status, blinded"
		" FROM invitations WHERE survey = ?1 AND invite_hash = ?2",
	[S_INV_REVOKE] =
		"UPDATE invitations SET status = 2 WHERE survey = ?1 AND invite_hash = ?2",
	[S_INV_ISSUE] =
		"UPDATE invitations SET status = 1, blinded = ?3"
		" WHERE survey = ?1 AND invite_hash = ?2 AND status = 0",
	[S_INV_UNOPENED] =
		"SELECT invite_hash, employee_id, email, name, segment, status, blinded"
		" FROM invitations WHERE survey = ?1 AND status = 0 ORDER BY employee_id",
	[S_SURVEY_REISSUED] = "UPDATE surveys SET reissued = reissued + 1 WHERE id = ?1",
	[S_SPENT_GET] = "SELECT used, receipt FROM spent WHERE survey = ?1 AND bucket = ?2",
	[S_SPENT_SET] =
		"UPDATE spent SET used = 1, receipt = ?3, segment = ?4"
		" WHERE survey = ?1 AND bucket = ?2",
	[S_SPENT_USED] =
		"SELECT receipt, segment FROM spent WHERE survey = ?1 AND used = 1",
	[S_SPENT_CLEAR] =
		"UPDATE spent SET used = 0, receipt = zeroblob(32), segment = ?2"
		" WHERE survey = ?1 AND used = 1",
	/* Rows ?2 .. ?3-1, in one statement. */
	[S_SPENT_ADD] =
		"WITH RECURSIVE c(i) AS (SELECT ?2 UNION ALL SELECT i + 1 FROM c WHERE i + 1 < ?3)"
		" INSERT INTO spent (survey, bucket, used, receipt, segment)"
		" SELECT ?1, i, 0, zeroblob(32), ?4 FROM c",
	[S_SEGMENT_EXISTS] = "SELECT 1 FROM segments WHERE survey = ?1 AND code = ?2",
	[S_SLOT_FIND] =
		"SELECT slot FROM slots WHERE survey = ?1 AND slot >= ?2 AND used = 0"
		" ORDER BY slot LIMIT 1",
	[S_SLOT_SET] =
		"UPDATE slots SET used = 1, box = ?3 WHERE survey = ?1 AND slot = ?2 AND used = 0",
	[S_SLOTS_ADD] =
		"WITH RECURSIVE c(i) AS (SELECT ?2 UNION ALL SELECT i + 1 FROM c WHERE i + 1 < ?3)"
		" INSERT INTO slots (survey, slot, used, box) SELECT ?1, i, 0, randomblob(?4) FROM c",
	[S_SLOTS_USED] = "SELECT box FROM slots WHERE survey = ?1 AND used = 1",
	[S_SURVEY_SIZES] = "SELECT nslots, nused, nbuckets, nspent FROM surveys WHERE id = ?1",
	[S_SURVEY_SET_SIZES] =
		"UPDATE surveys SET nslots = ?2, nused = ?3, nbuckets = ?4, nspent = ?5 WHERE id = ?1",
	[S_HOLDER_INSERT] =
		"INSERT INTO holders (survey, idx, name, pub, kdf_salt, kdf_ops, kdf_mem, proof)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	[S_HOLDERS] =
		"SELECT name, pub, kdf_salt, kdf_ops, kdf_mem, proof FROM holders"
		" WHERE survey = ?1 ORDER BY idx",
	[S_SEAL_KEY_INSERT] = "INSERT INTO seal_keys (survey, epk) VALUES (?1, ?2)",
	[S_SEAL_KEYS] = "SELECT epk FROM seal_keys WHERE survey = ?1",
	[S_RECEIPTS] =
		"SELECT receipt FROM spent WHERE survey = ?1 AND used = 1 ORDER BY receipt",
	[S_CLOSE_FREE_SLOTS] = "DELETE FROM slots WHERE survey = ?1 AND used = 0",
	[S_CLOSE_FREE_SPENT] = "DELETE FROM spent WHERE survey = ?1 AND used = 0",
	[S_SAVEPOINT] = "SAVEPOINT job",
	[S_RELEASE] = "RELEASE job",
	[S_ROLLBACK_TO] = "ROLLBACK TO job",
	[S_SURVEY_STATE] = "SELECT state FROM surveys WHERE id = ?1",
	[S_CLOSE_KEEP_HASHES] =
		"INSERT INTO closed_invites (survey, invite_hash)"
		" SELECT survey, invite_hash FROM invitations WHERE survey = ?1",
	[S_CLOSED_INVITE] =
		"SELECT 1 FROM closed_invites WHERE survey = ?1 AND invite_hash = ?2",
	[S_CLOSE_ZERO] = "UPDATE segments SET opened_final = 0 WHERE survey = ?1",
	[S_CLOSE_SEGMENTS] =
		"UPDATE segments SET opened_final = o.n"
		" FROM (SELECT segment, count(*) AS n FROM invitations"
		"   WHERE survey = ?1 AND status = 1 GROUP BY segment) AS o"
		" WHERE segments.survey = ?1 AND segments.code = o.segment",
	[S_CLOSE_SURVEY] =
		"UPDATE surveys SET state = 1,"
		" opened_final = (SELECT coalesce(sum(opened_final), 0) FROM segments WHERE survey = ?1),"
		" receipts_count = ?2, receipts_digest = ?3 WHERE id = ?1",
	[S_CLOSE_DELETE] = "DELETE FROM invitations WHERE survey = ?1",
};

struct db {
	sqlite3 *h;
	sqlite3_stmt *st[S_COUNT];
};

static sqlite3_stmt *
stmt(struct db *db, enum stmt s)
{
	if (db->st[s] == NULL &&
	    sqlite3_prepare_v3(db->h, sql[s], -1, SQLITE_PREPARE_PERSISTENT, &db->st[s], NULL) !=
	            SQLITE_OK)
		return NULL;
	sqlite3_reset(db->st[s]);
	sqlite3_clear_bindings(db->st[s]);
	return db->st[s];
}

/* Runs a statement that returns no rows; maps constraint violations. */
static enum koe_err
step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return KOE_OK;
	if ((rc & 0xFF) == SQLITE_CONSTRAINT)
		return KOE_EEXIST;
	return KOE_EDB;
}

static char *
col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return strdup(t ? (const char *)t : "");
}

static void
col_blob(sqlite3_stmt *st, int i, uint8_t *out, size_t len)
{
	const void *b = sqlite3_column_blob(st, i);
	size_t n = (size_t)sqlite3_column_bytes(st, i);
	memset(out, 0, len);
	if (b)
		memcpy(out, b, n < len ? n : len);
}

static enum koe_err
exec(struct db *db, const char *q)
{
	return sqlite3_exec(db->h, q, NULL, NULL, NULL) == SQLITE_OK ? KOE_OK : KOE_EDB;
}

static enum koe_err
migrate(struct db *db, int flags, char *msg, size_t msglen)
{
	sqlite3_stmt *st = NULL;
	int version = -1;

	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		snprintf(msg, msglen, "%s", sqlite3_errmsg(db->h));
		return KOE_EDB;
	}
	version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version == DB_SCHEMA_VERSION)
		return KOE_OK;
	if (version > DB_SCHEMA_VERSION) {
		snprintf(msg, msglen,
		         "the database was written by a newer koe (schema %d; this koe knows %d)",
		         version, DB_SCHEMA_VERSION);
		return KOE_ESTATE;
	}
	if (version == 1) {
		snprintf(msg, msglen,
		         "the database was written by koe 0.1 (schema 1), whose answers are sealed to a "
		         "single passphrase; write its reports with that version, or start anew");
		return KOE_ESTATE;
	}
	if (!(flags & DB_CREATE) || (flags & DB_READONLY)) {
		snprintf(msg, msglen, "the database has no koe data (schema %d)", version);
		return KOE_EDB;
	}
	/* Migrations run in one transaction each, from the file's version up.
	 * Version 0 is an empty file. */
	if (version == 0) {
		if (exec(db, "BEGIN IMMEDIATE") != KOE_OK)
			goto fail;
		/* Another process may have created the schema meanwhile. */
		if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == DB_SCHEMA_VERSION) {
			sqlite3_finalize(st);
			return exec(db, "COMMIT");
		}
		sqlite3_finalize(st);
		if (exec(db, schema_v2) != KOE_OK || exec(db, "PRAGMA user_version = 2") != KOE_OK ||
		    exec(db, "COMMIT") != KOE_OK) {
			exec(db, "ROLLBACK");
			goto fail;
		}
	}
	return KOE_OK;
fail:
	snprintf(msg, msglen, "cannot create the schema: %s", sqlite3_errmsg(db->h));
	return KOE_EDB;
}

enum koe_err
db_open(const char *path, int flags, struct db **out, char *msg, size_t msglen)
{
	struct db *db;
	int oflags = (flags & DB_READONLY) ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
	enum koe_err err;

	*out = NULL;
	if (flags & DB_CREATE) {
		oflags |= SQLITE_OPEN_CREATE;
		/* The file holds names and e-mail addresses: create it 0600
		 * ourselves rather than let SQLite create it 0644 less the umask.
		 * SQLite gives the -wal and -shm files the database's mode. An
		 * empty file is a new database to SQLite; an error is SQLite's
		 * to report. */
		if (path[0] != '\0' && strcmp(path, ":memory:") != 0) {
			int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
			if (fd >= 0)
				close(fd);
		}
	}
	db = calloc(1, sizeof(*db));
	if (db == NULL) {
		snprintf(msg, msglen, "out of memory");
		return KOE_ENOMEM;
	}
	if (sqlite3_open_v2(path, &db->h, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		int code = db->h ? sqlite3_extended_errcode(db->h) : SQLITE_NOMEM;
		snprintf(msg, msglen, "%s", db->h ? sqlite3_errmsg(db->h) : "out of memory");
		db_close(db);
		return code == SQLITE_CANTOPEN && !(flags & DB_CREATE) ? KOE_ENOTFOUND : KOE_EDB;
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, DB_BUSY_MS);
	/* WAL with synchronous=FULL: a commit is durable when it returns.
	 * secure_delete overwrites deleted rows (employee data at close). */
	if ((!(flags & DB_READONLY) && exec(db, "PRAGMA journal_mode=WAL") != KOE_OK) ||
	    exec(db, "PRAGMA synchronous=FULL") != KOE_OK ||
	    exec(db, "PRAGMA foreign_keys=ON") != KOE_OK ||
	    exec(db, "PRAGMA secure_delete=ON") != KOE_OK) {
		int code = sqlite3_errcode(db->h);
		if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
			snprintf(msg, msglen, "the file is not a koe database or is damaged");
		else
			snprintf(msg, msglen, "%s", sqlite3_errmsg(db->h));
		db_close(db);
		return KOE_EDB;
	}
	err = migrate(db, flags, msg, msglen);
	if (err != KOE_OK) {
		int code = sqlite3_errcode(db->h);
		if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
			snprintf(msg, msglen, "the file is not a koe database or is damaged");
		db_close(db);
		return err;
	}
	*out = db;
	return KOE_OK;
}

void
db_close(struct db *db)
{
	if (db == NULL)
		return;
	for (int i = 0; i < S_COUNT; i++)
		sqlite3_finalize(db->st[i]);
	sqlite3_close(db->h);
	free(db);
}

const char *
db_errmsg(struct db *db)
{
	return sqlite3_errmsg(db->h);
}

enum koe_err
db_begin(struct db *db)
{
	sqlite3_stmt *st = stmt(db, S_BEGIN);
	return st ? step_done(st) : KOE_EDB;
}

enum koe_err
db_commit(struct db *db)
{
	sqlite3_stmt *st = stmt(db, S_COMMIT);
	enum koe_err err = st ? step_done(st) : KOE_EDB;
	if (err == KOE_EEXIST)
		err = KOE_EDB;
	/* Move the commit into the main file and empty the WAL at once, so the
	 * WAL never keeps a history of commits in their order (db.h). Without
	 * waiting: when a reader holds an old snapshot, the next commit
	 * tries again. */
	if (err == KOE_OK) {
		sqlite3_busy_timeout(db->h, 0);
		sqlite3_wal_checkpoint_v2(db->h, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
		sqlite3_busy_timeout(db->h, DB_BUSY_MS);
	}
	return err;
}

void
db_rollback(struct db *db)
{
	sqlite3_stmt *st;
	if (sqlite3_get_autocommit(db->h))
		return;
	st = stmt(db, S_ROLLBACK);
	if (st)
		step_done(st);
}

void
db_survey_clear(struct db_survey *s)
{
	if (s == NULL)
		return;
	free(s->id);
	free(s->title);
	free(s->base_url);
	free(s->source);
	free(s->receipts_digest);
	memset(s, 0, sizeof(*s));
}

enum koe_err
db_survey_insert(struct db *db, const struct db_survey *s)
{
	sqlite3_stmt *st = stmt(db, S_SURVEY_INSERT);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, s->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, s->title, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, s->base_url, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, s->source, (int)s->source_len, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, s->public_key, sizeof(s->public_key), SQLITE_STATIC);
	sqlite3_bind_text(st, 6, s->key_id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 7, s->report_pk, sizeof(s->report_pk), SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, s->invited);
	return step_done(st);
}

enum koe_err
db_survey_get(struct db *db, const char *id, struct db_survey *out)
{
	sqlite3_stmt *st = stmt(db, S_SURVEY_GET);
	enum koe_err err = KOE_EDB;
	int rc;

	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		err = KOE_ENOTFOUND;
		goto done;
	}
	if (rc != SQLITE_ROW)
		goto done;
	out->id = col_text(st, 0);
	out->title = col_text(st, 1);
	out->base_url = col_text(st, 2);
	out->source_len = (size_t)sqlite3_column_bytes(st, 3);
	out->source = malloc(out->source_len + 1);
	if (out->id == NULL || out->title == NULL || out->base_url == NULL || out->source == NULL) {
		err = KOE_ENOMEM;
		db_survey_clear(out);
		goto done;
	}
	if (out->source_len)
		memcpy(out->source, sqlite3_column_blob(st, 3), out->source_len);
	out->source[out->source_len] = '\0';
	out->state = sqlite3_column_int(st, 4);
	col_blob(st, 5, out->public_key, sizeof(out->public_key));
	snprintf(out->key_id, sizeof(out->key_id), "%s",
	         (const char *)sqlite3_column_text(st, 6));
	col_blob(st, 7, out->report_pk, sizeof(out->report_pk));
	out->invited = sqlite3_column_int64(st, 11);
	out->reissued = sqlite3_column_int64(st, 12);
	out->opened_final = sqlite3_column_type(st, 13) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 13);
	out->receipts_count =
		sqlite3_column_type(st, 14) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 14);
	out->receipts_digest = sqlite3_column_type(st, 15) == SQLITE_NULL ? NULL : col_text(st, 15);
	err = KOE_OK;
done:
	sqlite3_reset(st);
	return err;
}

enum koe_err
db_survey_ids(struct db *db, char ***ids, size_t *n)
{
	sqlite3_stmt *st = stmt(db, S_SURVEY_IDS);
	char **v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (st == NULL)
		return KOE_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 8;
			char **nv = realloc(v, cap * sizeof(*v));
			if (nv == NULL)
				goto oom;
			v = nv;
		}
		if ((v[cnt] = col_text(st, 0)) == NULL)
			goto oom;
		cnt++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		for (size_t i = 0; i < cnt; i++)
			free(v[i]);
		free(v);
		return KOE_EDB;
	}
	*ids = v;
	*n = cnt;
	return KOE_OK;
oom:
	sqlite3_reset(st);
	for (size_t i = 0; i < cnt; i++)
		free(v[i]);
	free(v);
	return KOE_ENOMEM;
}

enum koe_err
db_segment_insert(struct db *db, const char *survey, const char *code, const char *label,
                  int64_t invited)
{
	sqlite3_stmt *st = stmt(db, S_SEGMENT_INSERT);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, label, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, invited);
	return step_done(st);
}

void
db_segments_free(struct db_segment *v, size_t n)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		free(v[i].code);
		free(v[i].label);
	}
	free(v);
}

enum koe_err
db_segments_get(struct db *db, const char *survey, struct db_segment **out, size_t *n)
{
	sqlite3_stmt *st = stmt(db, S_SEGMENTS_GET);
	struct db_segment *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			struct db_segment *nv = realloc(v, cap * sizeof(*v));
			if (nv == NULL)
				goto oom;
			v = nv;
		}
		v[cnt].code = col_text(st, 0);
		v[cnt].label = col_text(st, 1);
		v[cnt].invited = sqlite3_column_int64(st, 2);
		v[cnt].opened = sqlite3_column_int64(st, 3);
		v[cnt].responded = sqlite3_column_int64(st, 4);
		cnt++;
		if (v[cnt - 1].code == NULL || v[cnt - 1].label == NULL)
			goto oom;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_segments_free(v, cnt);
		return KOE_EDB;
	}
	*out = v;
	*n = cnt;
	return KOE_OK;
oom:
	sqlite3_reset(st);
	db_segments_free(v, cnt);
	return KOE_ENOMEM;
}

void
db_invitation_clear(struct db_invitation *inv)
{
	if (inv == NULL)
		return;
	free(inv->employee_id);
	free(inv->email);
	free(inv->name);
	free(inv->segment);
	memset(inv, 0, sizeof(*inv));
}

enum koe_err
db_invitation_insert(struct db *db, const char *survey, const uint8_t hash[DB_HASH_BYTES],
                     const char *employee_id, const char *email, const char *name,
                     const char *segment)
{
	sqlite3_stmt *st = stmt(db, S_INV_INSERT);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, hash, DB_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, employee_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, email ? email : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, name ? name : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, segment, -1, SQLITE_STATIC);
	return step_done(st);
}

static enum koe_err
read_invitation(sqlite3_stmt *st, struct db_invitation *out)
{
	col_blob(st, 0, out->hash, sizeof(out->hash));
	out->employee_id = col_text(st, 1);
	out->email = col_text(st, 2);
	out->name = col_text(st, 3);
	out->segment = col_text(st, 4);
	out->status = sqlite3_column_int(st, 5);
	col_blob(st, 6, out->blinded, sizeof(out->blinded));
	out->has_blinded = false;
	for (size_t i = 0; i < sizeof(out->blinded); i++)
		out->has_blinded |= out->blinded[i] != 0;
	if (!out->employee_id || !out->email || !out->name || !out->segment) {
		db_invitation_clear(out);
		return KOE_ENOMEM;
	}
	return KOE_OK;
}

static enum koe_err
one_invitation(sqlite3_stmt *st, struct db_invitation *out)
{
	enum koe_err err;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		err = read_invitation(st, out);
	else
		err = rc == SQLITE_DONE ? KOE_ENOTFOUND : KOE_EDB;
	sqlite3_reset(st);
	return err;
}

enum koe_err
db_invitation_by_employee(struct db *db, const char *survey, const char *employee_id,
                          struct db_invitation *out)
{
	sqlite3_stmt *st = stmt(db, S_INV_BY_EMPLOYEE);
	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, employee_id, -1, SQLITE_STATIC);
	return one_invitation(st, out);
}

enum koe_err
db_invitation_by_hash(struct db *db, const char *survey, const uint8_t hash[DB_HASH_BYTES],
                      struct db_invitation *out)
{
	sqlite3_stmt *st = stmt(db, S_INV_BY_HASH);
	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, hash, DB_HASH_BYTES, SQLITE_STATIC);
	return one_invitation(st, out);
}

enum koe_err
db_invitation_revoke(struct db *db, const char *survey, const uint8_t hash[DB_HASH_BYTES])
{
	sqlite3_stmt *st = stmt(db, S_INV_REVOKE);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, hash, DB_HASH_BYTES, SQLITE_STATIC);
	return step_done(st);
}

enum koe_err
db_invitation_issue(struct db *db, const char *survey, const uint8_t hash[DB_HASH_BYTES],
                    const uint8_t blinded[32])
{
	struct db_invitation inv;
	sqlite3_stmt *st = stmt(db, S_INV_ISSUE);
	enum koe_err err;

	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, hash, DB_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, blinded, 32, SQLITE_STATIC);
	err = step_done(st);
	if (err != KOE_OK)
		return err;
	if (sqlite3_changes(db->h) == 1)
		return KOE_OK;
	/* Not a fresh invitation: a retry, a second device, or unknown. */
	err = db_invitation_by_hash(db, survey, hash, &inv);
	if (err != KOE_OK)
		return err;
	if (inv.status == DB_INV_REVOKED)
		err = KOE_ENOTFOUND;
	else if (inv.has_blinded && memcmp(inv.blinded, blinded, 32) == 0)
		err = KOE_OK;
	else
		err = KOE_EEXIST;
	db_invitation_clear(&inv);
	return err;
}

enum koe_err
db_invitations_unopened(struct db *db, const char *survey,
                        int (*fn)(void *ctx, const struct db_invitation *inv), void *ctx)
{
	sqlite3_stmt *st = stmt(db, S_INV_UNOPENED);
	enum koe_err err = KOE_OK;
	int rc;

	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct db_invitation inv = {0};
		int stop;
		err = read_invitation(st, &inv);
		if (err != KOE_OK)
			break;
		stop = fn(ctx, &inv);
		db_invitation_clear(&inv);
		if (stop)
			break;
	}
	if (err == KOE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = KOE_EDB;
	sqlite3_reset(st);
	return err;
}

enum koe_err
db_survey_add_reissued(struct db *db, const char *survey)
{
	sqlite3_stmt *st = stmt(db, S_SURVEY_REISSUED);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	return step_done(st);
}

struct sizes {
	int64_t nslots, nused, nbuckets, nspent;
};

static enum koe_err
sizes_get(struct db *db, const char *survey, struct sizes *z)
{
	sqlite3_stmt *st = stmt(db, S_SURVEY_SIZES);
	enum koe_err err = KOE_EDB;
	int rc;
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		z->nslots = sqlite3_column_int64(st, 0);
		z->nused = sqlite3_column_int64(st, 1);
		z->nbuckets = sqlite3_column_int64(st, 2);
		z->nspent = sqlite3_column_int64(st, 3);
		err = KOE_OK;
	} else if (rc == SQLITE_DONE) {
		err = KOE_ENOTFOUND;
	}
	sqlite3_reset(st);
	return err;
}

static enum koe_err
sizes_set(struct db *db, const char *survey, const struct sizes *z)
{
	sqlite3_stmt *st = stmt(db, S_SURVEY_SET_SIZES);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, z->nslots);
	sqlite3_bind_int64(st, 3, z->nused);
	sqlite3_bind_int64(st, 4, z->nbuckets);
	sqlite3_bind_int64(st, 5, z->nspent);
	return step_done(st);
}

/* Appends rows [from, to) to a table made in advance. */
static enum koe_err
add_rows(struct db *db, enum stmt s, const char *survey, int64_t from, int64_t to)
{
	static const char blank[DB_SEGMENT_BYTES + 1] = "                ";
	sqlite3_stmt *st;
	if (to <= from)
		return KOE_OK;
	if ((st = stmt(db, s)) == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	if (s == S_SLOTS_ADD)
		sqlite3_bind_int(st, 4, SEAL_BOX_BYTES);
	else
		sqlite3_bind_text(st, 4, blank, DB_SEGMENT_BYTES, SQLITE_STATIC);
	return step_done(st) == KOE_OK ? KOE_OK : KOE_EDB;
}

enum koe_err
db_storage_reserve(struct db *db, const char *survey, int64_t slots, int64_t buckets)
{
	struct sizes z;
	enum koe_err err = sizes_get(db, survey, &z);
	if (err != KOE_OK)
		return err;
	if (slots > z.nslots) {
		if ((err = add_rows(db, S_SLOTS_ADD, survey, z.nslots, slots)) != KOE_OK)
			return err;
		z.nslots = slots;
	}
	if (buckets > z.nbuckets) {
		if (z.nspent > 0)
			return KOE_ESTATE; /* growing a used table needs a rehash: spend_grow() */
		if ((err = add_rows(db, S_SPENT_ADD, survey, z.nbuckets, buckets)) != KOE_OK)
			return err;
		z.nbuckets = buckets;
	}
	return sizes_set(db, survey, &z);
}

static uint64_t
le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void
pad_segment(const char *segment, char out[DB_SEGMENT_BYTES + 1])
{
	size_t n = strlen(segment);
	memset(out, ' ', DB_SEGMENT_BYTES);
	memcpy(out, segment, n);
	out[DB_SEGMENT_BYTES] = 0;
}

/* Puts a receipt into the spent table (linear probing from the bucket its
 * first bytes name). KOE_EEXIST when it is there already. */
static enum koe_err
spend_put(struct db *db, const char *survey, int64_t nbuckets,
          const uint8_t receipt[DB_HASH_BYTES], const char *padded)
{
	int64_t b = (int64_t)(le64(receipt) % (uint64_t)nbuckets);
	for (int64_t probes = 0; probes < nbuckets; probes++, b = (b + 1) % nbuckets) {
		sqlite3_stmt *st = stmt(db, S_SPENT_GET);
		int rc, used = 0, same = 0;
		if (st == NULL)
			return KOE_EDB;
		sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, b);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			used = sqlite3_column_int(st, 0);
			same = used && sqlite3_column_bytes(st, 1) == DB_HASH_BYTES &&
			       memcmp(sqlite3_column_blob(st, 1), receipt, DB_HASH_BYTES) == 0;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_ROW)
			return KOE_EDB;
		if (same)
			return KOE_EEXIST;
		if (used)
			continue;
		if ((st = stmt(db, S_SPENT_SET)) == NULL)
			return KOE_EDB;
		sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, b);
		sqlite3_bind_blob(st, 3, receipt, DB_HASH_BYTES, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, padded, DB_SEGMENT_BYTES, SQLITE_STATIC);
		return step_done(st) == KOE_OK ? KOE_OK : KOE_EDB;
	}
	return KOE_EDB; /* full: cannot happen below half load */
}

/* Doubles the spent table: every receipt is put again at its bucket in the
 * larger table, so positions stay a function of the receipt alone. */
static enum koe_err
spend_grow(struct db *db, const char *survey, struct sizes *z)
{
	static const char blank[DB_SEGMENT_BYTES + 1] = "                ";
	struct kept {
		uint8_t receipt[DB_HASH_BYTES];
		char seg[DB_SEGMENT_BYTES + 1];
	} *v = NULL;
	size_t n = 0, cap = (size_t)z->nspent + 1;
	sqlite3_stmt *st;
	enum koe_err err = KOE_OK;
	int rc;
	int64_t grown = z->nbuckets * 2;

	if ((v = calloc(cap, sizeof(*v))) == NULL)
		return KOE_ENOMEM;
	if ((st = stmt(db, S_SPENT_USED)) == NULL) {
		free(v);
		return KOE_EDB;
	}
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < cap) {
		col_blob(st, 0, v[n].receipt, DB_HASH_BYTES);
		snprintf(v[n].seg, sizeof(v[n].seg), "%s", (const char *)sqlite3_column_text(st, 1));
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		err = KOE_EDB;
	if (err == KOE_OK && (st = stmt(db, S_SPENT_CLEAR)) != NULL) {
		sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, blank, DB_SEGMENT_BYTES, SQLITE_STATIC);
		err = step_done(st) == KOE_OK ? KOE_OK : KOE_EDB;
	}
	if (err == KOE_OK)
		err = add_rows(db, S_SPENT_ADD, survey, z->nbuckets, grown);
	for (size_t i = 0; err == KOE_OK && i < n; i++)
		err = spend_put(db, survey, grown, v[i].receipt, v[i].seg);
	if (err == KOE_OK)
		z->nbuckets = grown;
	free(v);
	return err == KOE_EEXIST ? KOE_EDB : err;
}

/* Writes one box over a free slot picked at random. */
static enum koe_err
slot_put(struct db *db, const char *survey, struct sizes *z, const uint8_t *box)
{
	int64_t start, slot = -1;
	uint64_t r;

	sqlite3_randomness(sizeof(r), &r);
	start = (int64_t)(r % (uint64_t)z->nslots);
	for (int pass = 0; pass < 2 && slot < 0; pass++) {
		sqlite3_stmt *st = stmt(db, S_SLOT_FIND);
		int rc;
		if (st == NULL)
			return KOE_EDB;
		sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, pass == 0 ? start : 0);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			slot = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return KOE_EDB;
	}
	if (slot < 0)
		return KOE_EDB; /* the caller made room first */
	sqlite3_stmt *st = stmt(db, S_SLOT_SET);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, slot);
	sqlite3_bind_blob(st, 3, box, SEAL_BOX_BYTES, SQLITE_STATIC);
	if (step_done(st) != KOE_OK || sqlite3_changes(db->h) != 1)
		return KOE_EDB;
	z->nused++;
	return KOE_OK;
}

enum koe_err
db_response_store(struct db *db, const char *survey, const uint8_t receipt[DB_HASH_BYTES],
                  const char *segment, const uint8_t *boxes, size_t nboxes)
{
	char padded[DB_SEGMENT_BYTES + 1];
	struct sizes z;
	enum koe_err err;

	if (strlen(segment) > DB_SEGMENT_BYTES || nboxes == 0)
		return KOE_EINVAL;
	pad_segment(segment, padded);
	{
		sqlite3_stmt *st = stmt(db, S_SEGMENT_EXISTS);
		int rc;
		if (st == NULL)
			return KOE_EDB;
		sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, segment, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW)
			return rc == SQLITE_DONE ? KOE_EINVAL : KOE_EDB;
	}
	if ((err = sizes_get(db, survey, &z)) != KOE_OK)
		return err == KOE_ENOTFOUND ? KOE_EDB : err;
	if (z.nbuckets == 0 || z.nslots == 0)
		return KOE_EDB; /* made without storage: not a survey koe open made */
	/* Keep the spent table at most half full, and room for every chunk. */
	if ((z.nspent + 1) * 2 > z.nbuckets && (err = spend_grow(db, survey, &z)) != KOE_OK)
		return err;
	if ((err = spend_put(db, survey, z.nbuckets, receipt, padded)) != KOE_OK)
		return err;
	z.nspent++;
	if (z.nused + (int64_t)nboxes > z.nslots) {
		/* Slots added now sit after the others in the file; see
		 * db.h on what that reveals. */
		int64_t more = z.nslots / 2 > 64 ? z.nslots / 2 : 64;
		if (more < (int64_t)nboxes)
			more = (int64_t)nboxes;
		if ((err = add_rows(db, S_SLOTS_ADD, survey, z.nslots, z.nslots + more)) != KOE_OK)
			return err;
		z.nslots += more;
	}
	for (size_t i = 0; i < nboxes; i++)
		if ((err = slot_put(db, survey, &z, boxes + i * SEAL_BOX_BYTES)) != KOE_OK)
			return err;
	return sizes_set(db, survey, &z);
}

enum koe_err
db_boxes_foreach(struct db *db, const char *survey,
                 int (*fn)(void *ctx, const uint8_t box[SEAL_BOX_BYTES]), void *ctx)
{
	sqlite3_stmt *st = stmt(db, S_SLOTS_USED);
	enum koe_err err = KOE_OK;
	int rc;

	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != SEAL_BOX_BYTES) {
			err = KOE_EINVAL;
			break;
		}
		if (fn(ctx, sqlite3_column_blob(st, 0))) {
			err = KOE_EINVAL;
			break;
		}
	}
	if (err == KOE_OK && rc != SQLITE_DONE)
		err = KOE_EDB;
	sqlite3_reset(st);
	return err;
}

enum koe_err
db_storage_counts(struct db *db, const char *survey, int64_t *responses, int64_t *boxes)
{
	struct sizes z;
	enum koe_err err = sizes_get(db, survey, &z);
	if (err != KOE_OK)
		return err;
	if (responses)
		*responses = z.nspent;
	if (boxes)
		*boxes = z.nused;
	return KOE_OK;
}

enum koe_err
db_response_count(struct db *db, const char *survey, int64_t *n)
{
	return db_storage_counts(db, survey, n, NULL);
}

enum koe_err
db_holder_insert(struct db *db, const char *survey, int idx, const struct seal_holder *h)
{
	sqlite3_stmt *st = stmt(db, S_HOLDER_INSERT);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, idx);
	sqlite3_bind_text(st, 3, h->name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, h->pub, SEAL_PK_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, h->kdf.salt, SEAL_SALT_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)h->kdf.ops);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)h->kdf.mem);
	sqlite3_bind_blob(st, 8, h->proof, SEAL_PROOF_BYTES, SQLITE_STATIC);
	return step_done(st);
}

enum koe_err
db_holders_get(struct db *db, const char *survey, struct seal_holder *out, size_t cap,
               size_t *n)
{
	sqlite3_stmt *st = stmt(db, S_HOLDERS);
	int rc;

	*n = 0;
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap) {
		struct seal_holder *h = &out[*n];
		memset(h, 0, sizeof(*h));
		snprintf(h->name, sizeof(h->name), "%s", (const char *)sqlite3_column_text(st, 0));
		col_blob(st, 1, h->pub, SEAL_PK_BYTES);
		col_blob(st, 2, h->kdf.salt, SEAL_SALT_BYTES);
		h->kdf.ops = (uint64_t)sqlite3_column_int64(st, 3);
		h->kdf.mem = (uint64_t)sqlite3_column_int64(st, 4);
		col_blob(st, 5, h->proof, SEAL_PROOF_BYTES);
		(*n)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? KOE_OK : KOE_EDB;
}

enum koe_err
db_seal_key_insert(struct db *db, const char *survey, const uint8_t epk[SEAL_PK_BYTES])
{
	sqlite3_stmt *st = stmt(db, S_SEAL_KEY_INSERT);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, epk, SEAL_PK_BYTES, SQLITE_STATIC);
	return step_done(st);
}

enum koe_err
db_seal_keys_get(struct db *db, const char *survey, uint8_t (**out)[SEAL_PK_BYTES], size_t *n)
{
	sqlite3_stmt *st = stmt(db, S_SEAL_KEYS);
	uint8_t (*v)[SEAL_PK_BYTES] = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			void *nv;
			cap = cap ? cap * 2 : 8;
			if ((nv = realloc(v, cap * sizeof(*v))) == NULL) {
				sqlite3_reset(st);
				free(v);
				return KOE_ENOMEM;
			}
			v = nv;
		}
		col_blob(st, 0, v[cnt++], SEAL_PK_BYTES);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return KOE_EDB;
	}
	*out = v;
	*n = cnt;
	return KOE_OK;
}
enum koe_err
db_receipts_foreach(struct db *db, const char *survey,
                    int (*fn)(void *ctx, const uint8_t receipt[DB_HASH_BYTES]), void *ctx)
{
	sqlite3_stmt *st = stmt(db, S_RECEIPTS);
	enum koe_err err = KOE_OK;
	int rc;

	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != DB_HASH_BYTES) {
			err = KOE_EINVAL;
			break;
		}
		if (fn(ctx, sqlite3_column_blob(st, 0)))
			break;
	}
	if (err == KOE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = KOE_EDB;
	sqlite3_reset(st);
	return err;
}

enum koe_err
db_survey_close(struct db *db, const char *survey, int64_t receipts_count,
                const char *receipts_digest)
{
	sqlite3_stmt *st;
	enum koe_err err;

	if ((st = stmt(db, S_CLOSE_ZERO)) == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	if ((err = step_done(st)) != KOE_OK)
		return err;
	if ((st = stmt(db, S_CLOSE_SEGMENTS)) == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	if ((err = step_done(st)) != KOE_OK)
		return err;
	if ((st = stmt(db, S_CLOSE_SURVEY)) == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, receipts_count);
	sqlite3_bind_text(st, 3, receipts_digest, -1, SQLITE_STATIC);
	if ((err = step_done(st)) != KOE_OK)
		return err;
	if ((st = stmt(db, S_CLOSE_KEEP_HASHES)) == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	if ((err = step_done(st)) != KOE_OK)
		return err;
	/* Unused slots and buckets only made room; the vacuum after close
	 * then rebuilds the file without them. */
	if ((st = stmt(db, S_CLOSE_FREE_SLOTS)) == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	if ((err = step_done(st)) != KOE_OK)
		return err;
	if ((st = stmt(db, S_CLOSE_FREE_SPENT)) == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	if ((err = step_done(st)) != KOE_OK)
		return err;
	if ((st = stmt(db, S_CLOSE_DELETE)) == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	return step_done(st);
}

enum koe_err
db_compact(struct db *db)
{
	/* TRUNCATE empties the WAL file, which otherwise still holds the
	 * pages of the deleted invitations until it is overwritten. VACUUM
	 * rebuilds the main file without free pages; it goes through the WAL,
	 * so checkpoint once more afterwards. */
	if (exec(db, "PRAGMA wal_checkpoint(TRUNCATE)") != KOE_OK ||
	    exec(db, "VACUUM") != KOE_OK ||
	    exec(db, "PRAGMA wal_checkpoint(TRUNCATE)") != KOE_OK)
		return KOE_EDB;
	return KOE_OK;
}

enum koe_err
db_savepoint(struct db *db)
{
	sqlite3_stmt *st = stmt(db, S_SAVEPOINT);
	return st ? step_done(st) : KOE_EDB;
}

enum koe_err
db_release(struct db *db)
{
	sqlite3_stmt *st = stmt(db, S_RELEASE);
	return st ? step_done(st) : KOE_EDB;
}

void
db_rollback_to(struct db *db)
{
	sqlite3_stmt *st = stmt(db, S_ROLLBACK_TO);
	if (st)
		step_done(st);
	if ((st = stmt(db, S_RELEASE)) != NULL)
		step_done(st);
}

enum koe_err
db_survey_state(struct db *db, const char *survey, int *state)
{
	sqlite3_stmt *st = stmt(db, S_SURVEY_STATE);
	enum koe_err err;
	int rc;
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*state = sqlite3_column_int(st, 0);
		err = KOE_OK;
	} else {
		err = rc == SQLITE_DONE ? KOE_ENOTFOUND : KOE_EDB;
	}
	sqlite3_reset(st);
	return err;
}

enum koe_err
db_invite_was_closed(struct db *db, const char *survey, const uint8_t hash[DB_HASH_BYTES],
                     bool *closed)
{
	sqlite3_stmt *st = stmt(db, S_CLOSED_INVITE);
	int rc;
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, hash, DB_HASH_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return KOE_EDB;
	*closed = rc == SQLITE_ROW;
	return KOE_OK;
}
