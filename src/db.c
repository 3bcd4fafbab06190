/* Storage on SQLite; see include/koe/db.h for the rules this schema keeps. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "koe/db.h"
#include "koe/util.h"
#include "db_internal.h"

#define DB_BUSY_MS 10000

/* Version 3: each invitation's mail state (koe send): 0 not yet sent,
 * 1 sent, 2 failed, with the server's reply. Never the link. */
static const char schema_v3[] =
	"ALTER TABLE invitations ADD COLUMN mail INTEGER NOT NULL DEFAULT 0"
	" CHECK (mail IN (0, 1, 2));"
	"ALTER TABLE invitations ADD COLUMN mail_reply TEXT;";

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
	/* Mail state (schema 3): 0 not yet sent, 1 sent, 2 failed with the
	 * server's reply. Never the link: only whether a message went. */
	[S_INV_UNMAILED] =
		"SELECT invite_hash, employee_id, email, name, segment, status, blinded"
		" FROM invitations WHERE survey = ?1 AND status = 0 AND mail != 1"
		" ORDER BY employee_id",
	[S_INV_MAIL_SET] =
		"UPDATE invitations SET mail = ?3, mail_reply = ?4"
		" WHERE survey = ?1 AND invite_hash = ?2",
	[S_INV_RESTORE] =
		"UPDATE invitations SET status = 0 WHERE survey = ?1 AND invite_hash = ?2"
		" AND status = 2",
	[S_INV_MAIL_COUNTS] =
		"SELECT mail, count(*) FROM invitations WHERE survey = ?1 AND status != 2"
		" GROUP BY mail",
	[S_SURVEY_REISSUED] = "UPDATE surveys SET reissued = reissued + 1 WHERE id = ?1",
	[S_SPENT_GET] =
		"SELECT used, receipt, segment FROM spent WHERE survey = ?1 AND bucket = ?2",
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
	[S_SLOT_USED_AT] = "SELECT used FROM slots WHERE survey = ?1 AND slot = ?2",
	[S_SLOT_FREE_NTH] =
		"SELECT slot FROM slots WHERE survey = ?1 AND used = 0 ORDER BY slot LIMIT 1 OFFSET ?2",
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
	/* Copies (db_backup.c, docs/ARCHITECTURE.md §4.6): the file rebuilt
	 * from one snapshot into ?1, table by table in key order. */
	[S_VACUUM_INTO] = "VACUUM INTO ?1",
	[S_INTEGRITY] = "PRAGMA integrity_check",
	[S_FREELIST] = "PRAGMA freelist_count",
	[S_USER_VERSION] = "PRAGMA user_version",
	/* Set before the first read, so the connection takes the file for
	 * itself (no -shm) and BEGIN EXCLUSIVE fails while any other
	 * connection, such as koe serve's, has it open. */
	[S_LOCK_EXCLUSIVE] = "PRAGMA locking_mode = EXCLUSIVE",
	[S_BEGIN_EXCLUSIVE] = "BEGIN EXCLUSIVE",
	[S_CHECKPOINT] = "PRAGMA wal_checkpoint(TRUNCATE)",
};


sqlite3_stmt *
db_stmt(struct db *db, enum stmt s)
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
sqlite3_stmt *
db_stmt_for(struct db *db, enum stmt s, const char *survey)
{
	sqlite3_stmt *st = db_stmt(db, s);
	if (st)
		sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	return st;
}

enum koe_err
db_run_survey_blob(struct db *db, enum stmt s, const char *survey, const uint8_t *blob,
                   size_t len)
{
	sqlite3_stmt *st = db_stmt_for(db, s, survey);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_blob(st, 2, blob, (int)len, SQLITE_STATIC);
	return db_step_done(st);
}

enum koe_err
db_walk_end(sqlite3_stmt *st, enum koe_err err, int rc)
{
	if (err == KOE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
		err = KOE_EDB;
	sqlite3_reset(st);
	return err;
}

enum koe_err
db_step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return KOE_OK;
	if ((rc & 0xFF) == SQLITE_CONSTRAINT)
		return KOE_EEXIST;
	return KOE_EDB;
}

char *
db_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return strdup(t ? (const char *)t : "");
}

void
db_col_blob(sqlite3_stmt *st, int i, uint8_t *out, size_t len)
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
migrate(struct db *db, int flags, struct koe_msg *msg)
{
	sqlite3_stmt *st = NULL;
	int version = -1;

	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		koe_msg_set(msg, KOE_OK, "%s", sqlite3_errmsg(db->h));
		return KOE_EDB;
	}
	version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version == DB_SCHEMA_VERSION)
		return KOE_OK;
	if (version > DB_SCHEMA_VERSION) {
		koe_msg_set(msg, KOE_OK,
		         "the database was written by a newer koe (schema %d; this koe knows %d)",
		         version, DB_SCHEMA_VERSION);
		return KOE_ESTATE;
	}
	if (version == 1) {
		koe_msg_set(msg, KOE_OK,
		         "the database was written by koe 0.1 (schema 1), whose answers are sealed to a "
		         "single passphrase; write its reports with that version, or start anew");
		return KOE_ESTATE;
	}
	if (!(flags & DB_CREATE) || (flags & DB_READONLY)) {
		koe_msg_set(msg, KOE_OK, "the database has no koe data (schema %d)", version);
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
		if (exec(db, schema_v2) != KOE_OK || exec(db, schema_v3) != KOE_OK ||
		    exec(db, "PRAGMA user_version = 3") != KOE_OK || exec(db, "COMMIT") != KOE_OK) {
			exec(db, "ROLLBACK");
			goto fail;
		}
	} else if (version == 2) {
		if (exec(db, "BEGIN IMMEDIATE") != KOE_OK)
			goto fail;
		if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) == DB_SCHEMA_VERSION) {
			sqlite3_finalize(st);
			return exec(db, "COMMIT");
		}
		sqlite3_finalize(st);
		if (exec(db, schema_v3) != KOE_OK || exec(db, "PRAGMA user_version = 3") != KOE_OK ||
		    exec(db, "COMMIT") != KOE_OK) {
			exec(db, "ROLLBACK");
			goto fail;
		}
	}
	return KOE_OK;
fail:
	koe_msg_set(msg, KOE_OK, "cannot create the schema: %s", sqlite3_errmsg(db->h));
	return KOE_EDB;
}

enum koe_err
db_open(const char *path, int flags, struct db **out, struct koe_msg *msg)
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
		koe_msg_set(msg, KOE_OK, "out of memory");
		return KOE_ENOMEM;
	}
	if (sqlite3_open_v2(path, &db->h, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		int code = db->h ? sqlite3_extended_errcode(db->h) : SQLITE_NOMEM;
		koe_msg_set(msg, KOE_OK, "%s", db->h ? sqlite3_errmsg(db->h) : "out of memory");
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
			koe_msg_set(msg, KOE_OK, "the file is not a koe database or is damaged");
		else
			koe_msg_set(msg, KOE_OK, "%s", sqlite3_errmsg(db->h));
		db_close(db);
		return KOE_EDB;
	}
	err = migrate(db, flags, msg);
	if (err != KOE_OK) {
		int code = sqlite3_errcode(db->h);
		if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
			koe_msg_set(msg, KOE_OK, "the file is not a koe database or is damaged");
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

/* Runs one of the statements that take no parameters. */
static enum koe_err
run_plain(struct db *db, enum stmt s)
{
	sqlite3_stmt *st = db_stmt(db, s);
	return st ? db_step_done(st) : KOE_EDB;
}

enum koe_err
db_begin(struct db *db)
{
	return run_plain(db, S_BEGIN);
}

enum koe_err
db_commit(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, S_COMMIT);
	enum koe_err err = st ? db_step_done(st) : KOE_EDB;
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
	st = db_stmt(db, S_ROLLBACK);
	if (st)
		db_step_done(st);
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
	sqlite3_stmt *st = db_stmt(db, S_SURVEY_INSERT);
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
	return db_step_done(st);
}

enum koe_err
db_survey_get(struct db *db, const char *id, struct db_survey *out)
{
	sqlite3_stmt *st = db_stmt(db, S_SURVEY_GET);
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
	out->id = db_col_text(st, 0);
	out->title = db_col_text(st, 1);
	out->base_url = db_col_text(st, 2);
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
	db_col_blob(st, 5, out->public_key, sizeof(out->public_key));
	snprintf(out->key_id, sizeof(out->key_id), "%s",
	         (const char *)sqlite3_column_text(st, 6));
	db_col_blob(st, 7, out->report_pk, sizeof(out->report_pk));
	out->invited = sqlite3_column_int64(st, 11);
	out->reissued = sqlite3_column_int64(st, 12);
	out->opened_final = sqlite3_column_type(st, 13) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 13);
	out->receipts_count =
		sqlite3_column_type(st, 14) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 14);
	out->receipts_digest = sqlite3_column_type(st, 15) == SQLITE_NULL ? NULL : db_col_text(st, 15);
	err = KOE_OK;
done:
	sqlite3_reset(st);
	return err;
}

enum koe_err
db_survey_ids(struct db *db, char ***ids, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, S_SURVEY_IDS);
	char **v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if (st == NULL)
		return KOE_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (util_grow((void **)&v, &cap, cnt, sizeof(*v), 8) != 0)
			goto oom;
		if ((v[cnt] = db_col_text(st, 0)) == NULL)
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
	sqlite3_stmt *st = db_stmt_for(db, S_SEGMENT_INSERT, survey);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 2, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, label, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, invited);
	return db_step_done(st);
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
	sqlite3_stmt *st = db_stmt_for(db, S_SEGMENTS_GET, survey);
	struct db_segment *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (st == NULL)
		return KOE_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (util_grow((void **)&v, &cap, cnt, sizeof(*v), 16) != 0)
			goto oom;
		v[cnt].code = db_col_text(st, 0);
		v[cnt].label = db_col_text(st, 1);
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

enum koe_err
db_survey_close(struct db *db, const char *survey, int64_t receipts_count,
                const char *receipts_digest)
{
	/* In this order: final opened counts per group, the survey closed with
	 * its receipts, the invitation hashes kept, then the rows that only
	 * made room (unused slots and buckets; the vacuum after close rebuilds
	 * the file without them) and every invitation with its employee data. */
	static const enum stmt steps[] = {
		S_CLOSE_ZERO, S_CLOSE_SEGMENTS, S_CLOSE_SURVEY, S_CLOSE_KEEP_HASHES,
		S_CLOSE_FREE_SLOTS, S_CLOSE_FREE_SPENT, S_CLOSE_DELETE,
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		sqlite3_stmt *st = db_stmt_for(db, steps[i], survey);
		enum koe_err err;
		if (st == NULL)
			return KOE_EDB;
		if (steps[i] == S_CLOSE_SURVEY) {
			sqlite3_bind_int64(st, 2, receipts_count);
			sqlite3_bind_text(st, 3, receipts_digest, -1, SQLITE_STATIC);
		}
		if ((err = db_step_done(st)) != KOE_OK)
			return err;
	}
	return KOE_OK;
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
	return run_plain(db, S_SAVEPOINT);
}

enum koe_err
db_release(struct db *db)
{
	return run_plain(db, S_RELEASE);
}

void
db_rollback_to(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, S_ROLLBACK_TO);
	if (st)
		db_step_done(st);
	if ((st = db_stmt(db, S_RELEASE)) != NULL)
		db_step_done(st);
}

enum koe_err
db_survey_state(struct db *db, const char *survey, int *state)
{
	sqlite3_stmt *st = db_stmt_for(db, S_SURVEY_STATE, survey);
	enum koe_err err;
	int rc;
	if (st == NULL)
		return KOE_EDB;
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
