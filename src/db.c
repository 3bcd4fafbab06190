/* Storage on SQLite; see include/koe/db.h for the rules this schema keeps. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "koe/db.h"

static const char schema_v1[] =
	"CREATE TABLE surveys ("
	" id TEXT PRIMARY KEY,"
	" title TEXT NOT NULL,"
	" base_url TEXT NOT NULL,"
	" source BLOB NOT NULL,"
	" state INTEGER NOT NULL DEFAULT 0 CHECK (state IN (0, 1)),"
	" public_key BLOB NOT NULL,"
	" key_id TEXT NOT NULL,"
	" report_pk BLOB NOT NULL,"
	" kdf_salt BLOB NOT NULL,"
	" kdf_ops INTEGER NOT NULL,"
	" kdf_mem INTEGER NOT NULL,"
	" invited INTEGER NOT NULL,"
	" reissued INTEGER NOT NULL DEFAULT 0,"
	" opened_final INTEGER,"
	" receipts_count INTEGER,"
	" receipts_digest TEXT"
	") WITHOUT ROWID;"
	"CREATE TABLE segments ("
	" survey TEXT NOT NULL REFERENCES surveys(id),"
	" code TEXT NOT NULL,"
	" label TEXT NOT NULL,"
	" invited INTEGER NOT NULL,"
	" opened_final INTEGER,"
	" PRIMARY KEY (survey, code)"
	") WITHOUT ROWID;"
	/* Invitations: the only place employees appear; deleted at close. */
	"CREATE TABLE invitations ("
	" survey TEXT NOT NULL,"
	" invite_hash BLOB NOT NULL,"
	" employee_id TEXT NOT NULL,"
	" email TEXT NOT NULL,"
	" name TEXT NOT NULL,"
	" segment TEXT NOT NULL,"
	" status INTEGER NOT NULL DEFAULT 0 CHECK (status IN (0, 1, 2)),"
	" blinded BLOB,"
	" PRIMARY KEY (survey, invite_hash),"
	" FOREIGN KEY (survey, segment) REFERENCES segments(survey, code)"
	") WITHOUT ROWID;"
	"CREATE UNIQUE INDEX invitations_employee ON invitations(survey, employee_id)"
	" WHERE status != 2;"
	/* Spent tokens and responses: random or hash keys, no timestamps, no
	 * column shared with invitations but the survey and segment. */
	"CREATE TABLE spent ("
	" survey TEXT NOT NULL REFERENCES surveys(id),"
	" receipt BLOB NOT NULL,"
	" PRIMARY KEY (survey, receipt)"
	") WITHOUT ROWID;"
	/* After close: only the keyed hashes of the invitations, so a late
	 * visitor learns "closed" instead of "unknown link". No employee data. */
	"CREATE TABLE closed_invites ("
	" survey TEXT NOT NULL REFERENCES surveys(id),"
	" invite_hash BLOB NOT NULL,"
	" PRIMARY KEY (survey, invite_hash)"
	") WITHOUT ROWID;"
	"CREATE TABLE responses ("
	" survey TEXT NOT NULL,"
	" id BLOB NOT NULL,"
	" segment TEXT NOT NULL,"
	" epk BLOB NOT NULL,"
	" box BLOB NOT NULL,"
	" PRIMARY KEY (survey, id),"
	" FOREIGN KEY (survey, segment) REFERENCES segments(survey, code)"
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
	S_SPENT_INSERT,
	S_RESPONSE_INSERT,
	S_RESPONSES,
	S_RESPONSE_COUNT,
	S_RECEIPTS,
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
		" report_pk, kdf_salt, kdf_ops, kdf_mem, invited)"
		" VALUES (?1, ?2, ?3, ?4, 0, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
	[S_SURVEY_GET] =
		"SELECT id, title, base_url, source, state, public_key, key_id, report_pk,"
		" kdf_salt, kdf_ops, kdf_mem, invited, reissued, opened_final,"
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
		" LEFT JOIN (SELECT segment, count(*) AS n FROM responses"
		"   WHERE survey = ?1 GROUP BY segment) r ON r.segment = g.code"
		" WHERE g.survey = ?1 ORDER BY g.code",
	[S_INV_INSERT] =
		"INSERT INTO invitations (survey, invite_hash, employee_id, email, name, segment)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
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
	[S_SPENT_INSERT] = "INSERT INTO spent (survey, receipt) VALUES (?1, ?2)",
	[S_RESPONSE_INSERT] =
		"INSERT INTO responses (survey, id, segment, epk, box) VALUES (?1, ?2, ?3, ?4, ?5)",
	[S_RESPONSES] = "SELECT segment, epk, box FROM responses WHERE survey = ?1",
	[S_RESPONSE_COUNT] = "SELECT count(*) FROM responses WHERE survey = ?1",
	[S_RECEIPTS] = "SELECT receipt FROM spent WHERE survey = ?1 ORDER BY receipt",
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
		if (exec(db, schema_v1) != KOE_OK || exec(db, "PRAGMA user_version = 1") != KOE_OK ||
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
	sqlite3_busy_timeout(db->h, 10000);
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
	return err == KOE_EEXIST ? KOE_EDB : err;
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
	sqlite3_bind_blob(st, 8, s->kdf.salt, sizeof(s->kdf.salt), SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, (sqlite3_int64)s->kdf.ops);
	sqlite3_bind_int64(st, 10, (sqlite3_int64)s->kdf.mem);
	sqlite3_bind_int64(st, 11, s->invited);
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
	col_blob(st, 8, out->kdf.salt, sizeof(out->kdf.salt));
	out->kdf.ops = (uint64_t)sqlite3_column_int64(st, 9);
	out->kdf.mem = (uint64_t)sqlite3_column_int64(st, 10);
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
	out->has_blinded = sqlite3_column_type(st, 6) == SQLITE_BLOB;
	if (out->has_blinded)
		col_blob(st, 6, out->blinded, sizeof(out->blinded));
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

enum koe_err
db_response_insert(struct db *db, const char *survey, const uint8_t receipt[DB_HASH_BYTES],
                   const uint8_t id[DB_RESPONSE_ID_BYTES], const char *segment,
                   const uint8_t epk[SEAL_PK_BYTES], const uint8_t *box, size_t boxlen)
{
	sqlite3_stmt *st = stmt(db, S_SPENT_INSERT);
	enum koe_err err;

	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, receipt, DB_HASH_BYTES, SQLITE_STATIC);
	err = step_done(st);
	if (err != KOE_OK)
		return err;
	st = stmt(db, S_RESPONSE_INSERT);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, id, DB_RESPONSE_ID_BYTES, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, segment, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, epk, SEAL_PK_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, box, (int)boxlen, SQLITE_STATIC);
	err = step_done(st);
	/* A duplicate random id (2^-128) or a bad segment is not a double
	 * spend; report it as a database error so the caller rolls back. */
	return err == KOE_EEXIST ? KOE_EDB : err;
}

enum koe_err
db_responses_foreach(struct db *db, const char *survey,
                     int (*fn)(void *ctx, const char *segment, const uint8_t *epk,
                               const uint8_t *box, size_t boxlen),
                     void *ctx)
{
	sqlite3_stmt *st = stmt(db, S_RESPONSES);
	enum koe_err err = KOE_OK;
	int rc;

	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *seg = (const char *)sqlite3_column_text(st, 0);
		const uint8_t *epk = sqlite3_column_blob(st, 1);
		const uint8_t *box = sqlite3_column_blob(st, 2);
		size_t boxlen = (size_t)sqlite3_column_bytes(st, 2);
		if (seg == NULL || epk == NULL || sqlite3_column_bytes(st, 1) != SEAL_PK_BYTES ||
		    box == NULL) {
			err = KOE_EINVAL;
			break;
		}
		if (fn(ctx, seg, epk, box, boxlen)) {
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
db_response_count(struct db *db, const char *survey, int64_t *n)
{
	sqlite3_stmt *st = stmt(db, S_RESPONSE_COUNT);
	enum koe_err err = KOE_EDB;
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		err = KOE_OK;
	}
	sqlite3_reset(st);
	return err;
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
