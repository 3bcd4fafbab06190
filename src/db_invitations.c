/* Invitations: the only rows that name employees (db.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

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
	sqlite3_stmt *st = db_stmt_for(db, S_INV_INSERT, survey);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_blob(st, 2, hash, DB_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, employee_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, email ? email : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, name ? name : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, segment, -1, SQLITE_STATIC);
	return db_step_done(st);
}

static enum koe_err
read_invitation(sqlite3_stmt *st, struct db_invitation *out)
{
	db_col_blob(st, 0, out->hash, sizeof(out->hash));
	out->employee_id = db_col_text(st, 1);
	out->email = db_col_text(st, 2);
	out->name = db_col_text(st, 3);
	out->segment = db_col_text(st, 4);
	out->status = sqlite3_column_int(st, 5);
	db_col_blob(st, 6, out->blinded, sizeof(out->blinded));
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
	sqlite3_stmt *st = db_stmt_for(db, S_INV_BY_EMPLOYEE, survey);
	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 2, employee_id, -1, SQLITE_STATIC);
	return one_invitation(st, out);
}

enum koe_err
db_invitation_by_hash(struct db *db, const char *survey, const uint8_t hash[DB_HASH_BYTES],
                      struct db_invitation *out)
{
	sqlite3_stmt *st = db_stmt_for(db, S_INV_BY_HASH, survey);
	memset(out, 0, sizeof(*out));
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_blob(st, 2, hash, DB_HASH_BYTES, SQLITE_STATIC);
	return one_invitation(st, out);
}

enum koe_err
db_invitation_revoke(struct db *db, const char *survey, const uint8_t hash[DB_HASH_BYTES])
{
	return db_run_survey_blob(db, S_INV_REVOKE, survey, hash, DB_HASH_BYTES);
}

enum koe_err
db_invitations_mail_counts(struct db *db, const char *survey, int64_t n[3])
{
	sqlite3_stmt *st = db_stmt_for(db, S_INV_MAIL_COUNTS, survey);
	int rc;
	n[0] = n[1] = n[2] = 0;
	if (st == NULL)
		return KOE_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int m = sqlite3_column_int(st, 0);
		if (m >= 0 && m < 3)
			n[m] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? KOE_OK : KOE_EDB;
}

enum koe_err
db_invitation_restore(struct db *db, const char *survey, const uint8_t hash[DB_HASH_BYTES])
{
	return db_run_survey_blob(db, S_INV_RESTORE, survey, hash, DB_HASH_BYTES);
}

enum koe_err
db_invitation_issue(struct db *db, const char *survey, const uint8_t hash[DB_HASH_BYTES],
                    const uint8_t blinded[DB_ELEMENT_BYTES])
{
	struct db_invitation inv;
	sqlite3_stmt *st = db_stmt_for(db, S_INV_ISSUE, survey);
	enum koe_err err;

	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_blob(st, 2, hash, DB_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, 3, blinded, 32, SQLITE_STATIC);
	err = db_step_done(st);
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

static enum koe_err
invitations_each(struct db *db, enum stmt which, const char *survey,
                 int (*fn)(void *ctx, const struct db_invitation *inv), void *ctx);

enum koe_err
db_invitations_unopened(struct db *db, const char *survey,
                        int (*fn)(void *ctx, const struct db_invitation *inv), void *ctx)
{
	return invitations_each(db, S_INV_UNOPENED, survey, fn, ctx);
}

enum koe_err
db_invitations_unmailed(struct db *db, const char *survey,
                        int (*fn)(void *ctx, const struct db_invitation *inv), void *ctx)
{
	return invitations_each(db, S_INV_UNMAILED, survey, fn, ctx);
}

enum koe_err
db_invitation_mail_set(struct db *db, const char *survey, const uint8_t hash[DB_HASH_BYTES],
                       enum db_mail state, const char *reply)
{
	sqlite3_stmt *st = db_stmt_for(db, S_INV_MAIL_SET, survey);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_blob(st, 2, hash, DB_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, (int)state);
	if (reply)
		sqlite3_bind_text(st, 4, reply, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 4);
	return db_step_done(st);
}

static enum koe_err
invitations_each(struct db *db, enum stmt which, const char *survey,
                 int (*fn)(void *ctx, const struct db_invitation *inv), void *ctx)
{
	sqlite3_stmt *st = db_stmt_for(db, which, survey);
	enum koe_err err = KOE_OK;
	int rc;

	if (st == NULL)
		return KOE_EDB;
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
	return db_walk_end(st, err, rc);
}

enum koe_err
db_survey_add_reissued(struct db *db, const char *survey)
{
	sqlite3_stmt *st = db_stmt_for(db, S_SURVEY_REISSUED, survey);
	if (st == NULL)
		return KOE_EDB;
	return db_step_done(st);
}

enum koe_err
db_invite_was_closed(struct db *db, const char *survey, const uint8_t hash[DB_HASH_BYTES],
                     bool *closed)
{
	sqlite3_stmt *st = db_stmt_for(db, S_CLOSED_INVITE, survey);
	int rc;
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_blob(st, 2, hash, DB_HASH_BYTES, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return KOE_EDB;
	*closed = rc == SQLITE_ROW;
	return KOE_OK;
}
