/* koe — what the storage files share: the connection, the numbered
 * statement table (in db.c) and small helpers. Only db*.c include this; only
 * they call SQLite. */
#ifndef KOE_DB_INTERNAL_H
#define KOE_DB_INTERNAL_H

#include <sqlite3.h>

#include "koe/db.h"

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
	S_INV_UNMAILED,
	S_INV_MAIL_SET,
	S_INV_RESTORE,
	S_INV_MAIL_COUNTS,
	S_SURVEY_REISSUED,
	S_SPENT_GET,
	S_SPENT_SET,
	S_SPENT_USED,
	S_SPENT_CLEAR,
	S_SPENT_ADD,
	S_SEGMENT_EXISTS,
	S_SLOT_USED_AT,
	S_SLOT_FREE_NTH,
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
	S_VACUUM_INTO,
	S_INTEGRITY,
	S_FREELIST,
	S_USER_VERSION,
	S_LOCK_EXCLUSIVE,
	S_BEGIN_EXCLUSIVE,
	S_CHECKPOINT,
	S_COUNT
};

struct db {
	sqlite3 *h;
	sqlite3_stmt *st[S_COUNT];
};

/* The prepared statement s, reset and unbound; NULL when it cannot be
 * prepared. Borrowed until the connection closes. */
sqlite3_stmt *db_stmt(struct db *db, enum stmt s);

/* db_stmt() with the survey id bound to ?1, as most statements start. */
sqlite3_stmt *db_stmt_for(struct db *db, enum stmt s, const char *survey);

/* Runs statement s, which returns no rows, with the survey id as ?1 and
 * blob (len bytes) as ?2. */
enum koe_err db_run_survey_blob(struct db *db, enum stmt s, const char *survey,
                                const uint8_t *blob, size_t len);

/* The end of a walk over rows: KOE_EDB when the last step was an error
 * (neither a row nor done) and err was OK; resets st. Returns err. */
enum koe_err db_walk_end(sqlite3_stmt *st, enum koe_err err, int rc);

/* Runs a statement that returns no rows; maps constraint violations to
 * KOE_EEXIST. */
enum koe_err db_step_done(sqlite3_stmt *st);

/* Column i as a malloc'ed string ("" for NULL); NULL when out of memory. */
char *db_col_text(sqlite3_stmt *st, int i);

/* Column i into out (len bytes), zero-padded; a longer value is cut. */
void db_col_blob(sqlite3_stmt *st, int i, uint8_t *out, size_t len);

#endif
