/* koe — storage: one SQLite file (WAL, synchronous=FULL, foreign keys on).
 *
 * The only code that calls SQLite. Every statement is one of a fixed,
 * numbered set prepared once per connection. The rules of
 * docs/ARCHITECTURE.md §4 are properties of this schema:
 *
 *   - no link, no order: sealed answers live in a table of fixed-size slots
 *     made in advance (at `koe open`) and filled with random bytes; a chunk
 *     of an answer is written in place over a free slot picked at random,
 *     so neither a row's position in the file, nor its place in its page,
 *     nor its size says when it arrived. Spent tokens live in a hash table
 *     of fixed-size rows, also made in advance, where a receipt's bucket
 *     follows from the receipt itself. No timestamps, and no column leads
 *     from an answer to an invitation, a segment, a sealing key or another
 *     answer. When a survey outgrows its slots, more are added after the
 *     others: answers in those arrived after that moment (README);
 *   - every commit is checkpointed into the main file and the WAL truncated
 *     at once, so the WAL never holds a history of commits in their order;
 *   - invites are stored only as keyed hashes (see invite.h);
 *   - answers are sealed to the key holders (see seal.h);
 *   - a response and its spent token are written in one transaction, and a
 *     receipt found in the spent table makes a second spend impossible;
 *   - closing deletes the invitations (employee ids, e-mail addresses, names)
 *     keeping per-segment counts, with secure_delete on and the file vacuumed
 *     so the deleted rows do not linger in free pages or the WAL. */
#ifndef KOE_DB_H
#define KOE_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "koe/err.h"
#include "koe/seal.h"

#define DB_SCHEMA_VERSION 3
#define DB_HASH_BYTES 32
#define DB_ELEMENT_BYTES 32 /* a blinded element (tok.h TOK_ELEMENT_BYTES) */
#define DB_SEGMENT_BYTES 16 /* longest segment code */

struct db;

enum db_flags {
	DB_CREATE = 1,   /* create the file and schema when missing */
	DB_READONLY = 2,
};

enum db_state { DB_OPEN = 0, DB_CLOSED = 1 };

enum db_inv_status { DB_INV_NEW = 0, DB_INV_ISSUED = 1, DB_INV_REVOKED = 2 };

/* Opens (and with DB_CREATE creates or migrates) a database. On failure
 * writes a message a person can act on into msg (may be NULL) and returns KOE_EDB,
 * KOE_ENOTFOUND (no such file without DB_CREATE) or KOE_ESTATE (made by a
 * newer koe). Close with db_close(), which accepts NULL. */
enum koe_err db_open(const char *path, int flags, struct db **out, struct koe_msg *msg);
void db_close(struct db *db);

/* The last SQLite error message of this connection, for logs and tools. */
const char *db_errmsg(struct db *db);

/* Write transactions (BEGIN IMMEDIATE). db_rollback() accepts a connection
 * with no transaction open. */
enum koe_err db_begin(struct db *db);
enum koe_err db_commit(struct db *db);
void db_rollback(struct db *db);

struct db_survey {
	char *id;
	char *title;
	char *base_url;
	uint8_t *source;          /* the questionnaire file as loaded */
	size_t source_len;
	int state;                /* enum db_state */
	uint8_t public_key[32];   /* the survey's POPRF pkS */
	char key_id[65];
	uint8_t report_pk[SEAL_PK_BYTES]; /* X = ΣX_i of the key holders */
	int64_t invited;
	int64_t reissued;
	int64_t opened_final;     /* -1 while open */
	int64_t receipts_count;   /* -1 while open */
	char *receipts_digest;    /* NULL while open */
};

/* Frees the strings of a survey record filled by db_survey_get(). */
void db_survey_clear(struct db_survey *s);

/* Inserts a survey; KOE_EEXIST when the id is taken. s is borrowed. */
enum koe_err db_survey_insert(struct db *db, const struct db_survey *s);

/* Reads a survey; KOE_ENOTFOUND when there is none. The caller clears *out
 * with db_survey_clear(). */
enum koe_err db_survey_get(struct db *db, const char *id, struct db_survey *out);

/* Lists survey ids in id order. The caller frees each string and the array. */
enum koe_err db_survey_ids(struct db *db, char ***ids, size_t *n);

struct db_segment {
	char *code;
	char *label;
	int64_t invited;
	int64_t opened;     /* links that fetched a token (final count after close) */
	int64_t responded;
};

/* Segments of a survey in code order, with live counts. The caller frees
 * with db_segments_free(). */
enum koe_err db_segments_get(struct db *db, const char *survey, struct db_segment **out,
                             size_t *n);
void db_segments_free(struct db_segment *v, size_t n);

enum koe_err db_segment_insert(struct db *db, const char *survey, const char *code,
                               const char *label, int64_t invited);

struct db_invitation {
	uint8_t hash[DB_HASH_BYTES];
	char *employee_id; /* NULL-free while open */
	char *email;
	char *name;
	char *segment;
	int status;        /* enum db_inv_status */
	bool has_blinded;
	uint8_t blinded[DB_ELEMENT_BYTES];
};
void db_invitation_clear(struct db_invitation *inv);

enum koe_err db_invitation_insert(struct db *db, const char *survey,
                                  const uint8_t hash[DB_HASH_BYTES], const char *employee_id,
                                  const char *email, const char *name, const char *segment);

/* The employee's current (not revoked) invitation; KOE_ENOTFOUND if none. */
enum koe_err db_invitation_by_employee(struct db *db, const char *survey,
                                       const char *employee_id, struct db_invitation *out);

/* An invitation by its hash, any status; KOE_ENOTFOUND if none. */
enum koe_err db_invitation_by_hash(struct db *db, const char *survey,
                                   const uint8_t hash[DB_HASH_BYTES],
                                   struct db_invitation *out);

enum koe_err db_invitation_revoke(struct db *db, const char *survey,
                                  const uint8_t hash[DB_HASH_BYTES]);

/* Records that an invitation fetched a token for blinded. Returns KOE_OK
 * when this is the first issuance or a retry with the same blinded element,
 * KOE_EEXIST when the invitation already fetched a token for a different
 * one, KOE_ENOTFOUND for an unknown or revoked invitation. */
enum koe_err db_invitation_issue(struct db *db, const char *survey,
                                 const uint8_t hash[DB_HASH_BYTES], const uint8_t blinded[DB_ELEMENT_BYTES]);

/* Calls fn for every invitation that never fetched a token, in employee id
 * order. fn returns non-zero to stop. inv is borrowed for the call. */
enum koe_err db_invitations_unopened(struct db *db, const char *survey,
                                     int (*fn)(void *ctx, const struct db_invitation *inv),
                                     void *ctx);

/* Mail state of an invitation (koe send): never the link. */
enum db_mail { DB_MAIL_UNSENT = 0, DB_MAIL_SENT = 1, DB_MAIL_FAILED = 2 };

/* Like db_invitations_unopened, for the unopened invitations whose mail is
 * not yet sent or failed. */
enum koe_err db_invitations_unmailed(struct db *db, const char *survey,
                                     int (*fn)(void *ctx, const struct db_invitation *inv),
                                     void *ctx);

/* Records an invitation's mail state; reply (the server's, NULL when sent)
 * must not hold the link. */
enum koe_err db_invitation_mail_set(struct db *db, const char *survey,
                                    const uint8_t hash[DB_HASH_BYTES], enum db_mail state,
                                    const char *reply);

/* How many current invitations are in each mail state (n[enum db_mail]). */
enum koe_err db_invitations_mail_counts(struct db *db, const char *survey, int64_t n[3]);

/* Makes a revoked invitation current again (a replacement that was never
 * delivered is taken back: revoke it first). */
enum koe_err db_invitation_restore(struct db *db, const char *survey,
                                   const uint8_t hash[DB_HASH_BYTES]);

enum koe_err db_survey_add_reissued(struct db *db, const char *survey);

/* Reserves storage for a survey inside the caller's transaction: at least
 * slots sealed-answer slots and buckets spent-token buckets (called by
 * `koe open` before any answer exists). */
enum koe_err db_storage_reserve(struct db *db, const char *survey, int64_t slots,
                                int64_t buckets);

/* The storage `koe open` makes for a survey of invited people: two slots
 * and two spent buckets per invitation, plus DB_STORAGE_SPARE for reissued
 * links. Slots are kept at most 3/4 used (more are added beyond that), so
 * this covers 1.5 sealed chunks per invitation before any is added. */
#define DB_STORAGE_SPARE 64
enum koe_err db_storage_reserve_for(struct db *db, const char *survey, int64_t invited);

/* Stores a response in the caller's transaction: spends its receipt and
 * writes each of its nboxes sealed chunks (boxes holds nboxes ×
 * SEAL_BOX_BYTES) over a free slot picked at random. KOE_EEXIST when the
 * token was spent already; the caller rolls back. */
enum koe_err db_response_store(struct db *db, const char *survey,
                               const uint8_t receipt[DB_HASH_BYTES], const char *segment,
                               const uint8_t *boxes, size_t nboxes);

/* Calls fn for every sealed chunk of a survey, in slot order (which says
 * nothing about arrival). box is borrowed for the call. fn returns non-zero
 * to stop; that is returned as KOE_EINVAL. */
enum koe_err db_boxes_foreach(struct db *db, const char *survey,
                              int (*fn)(void *ctx, const uint8_t box[SEAL_BOX_BYTES]),
                              void *ctx);

/* Responses stored and sealed chunks written; either pointer may be NULL. */
enum koe_err db_storage_counts(struct db *db, const char *survey, int64_t *responses,
                               int64_t *boxes);
enum koe_err db_response_count(struct db *db, const char *survey, int64_t *n);

/* The key holders' public parts, in the order `koe open` was given them. */
enum koe_err db_holder_insert(struct db *db, const char *survey, int idx,
                              const struct seal_holder *h);
enum koe_err db_holders_get(struct db *db, const char *survey, struct seal_holder *out,
                            size_t cap, size_t *n);

/* The ephemeral sealing keys of a survey (one per server run). The caller
 * frees *out. */
enum koe_err db_seal_key_insert(struct db *db, const char *survey,
                                const uint8_t epk[SEAL_PK_BYTES]);
enum koe_err db_seal_keys_get(struct db *db, const char *survey,
                              uint8_t (**out)[SEAL_PK_BYTES], size_t *n);

/* Calls fn with every spent token's receipt (raw hash bytes), sorted. */
enum koe_err db_receipts_foreach(struct db *db, const char *survey,
                                 int (*fn)(void *ctx, const uint8_t receipt[DB_HASH_BYTES]),
                                 void *ctx);

/* Closes a survey inside the caller's transaction: stores per-segment and
 * total opened counts, the receipt count and digest, keeps only the keyed
 * hashes of the invitations (so a late visitor hears "closed"), deletes every
 * invitation with its employee data, and marks the survey closed. */
enum koe_err db_survey_close(struct db *db, const char *survey, int64_t receipts_count,
                             const char *receipts_digest);

/* Whether hash was an invitation of survey when it closed (only the hashes
 * are kept then, nothing about the employee). */
enum koe_err db_invite_was_closed(struct db *db, const char *survey,
                                  const uint8_t hash[DB_HASH_BYTES], bool *closed);

/* A savepoint inside the caller's transaction, so one request of a group
 * commit can fail without undoing the others. db_rollback_to() undoes the
 * work since db_savepoint() and ends the savepoint. */
enum koe_err db_savepoint(struct db *db);
enum koe_err db_release(struct db *db);
void db_rollback_to(struct db *db);

/* The survey's current state (enum db_state); KOE_ENOTFOUND if none. */
enum koe_err db_survey_state(struct db *db, const char *survey, int *state);

/* After a close has committed: moves the WAL into the main file, truncates
 * it, and rebuilds the file so deleted rows leave no trace. */
enum koe_err db_compact(struct db *db);

/* Copies (koe backup, koe restore; docs/ARCHITECTURE.md §4.6). */

/* Writes a consistent copy of the whole database to out, which must not
 * exist (nor out-wal, which SQLite would apply to it). One snapshot is
 * rebuilt table by table in key order (VACUUM INTO) into a temporary file
 * beside out, created 0600, synced and checked (integrity_check ok, no free
 * page, a rollback-journal file with no write-ahead log), then linked into
 * place: out is whole or absent. The copy's bytes follow from its content
 * alone, so it reveals no more than a read of its tables. Safe while koe
 * serve writes: the copy holds every transaction committed before the call
 * and none committed after it returned; meanwhile the server's WAL cannot
 * be truncated (db_commit). KOE_EEXIST when out or out-wal exists, KOE_EIO
 * (errno set), KOE_EDB; msg says which. */
enum koe_err db_backup(struct db *db, const char *out, struct koe_msg *msg);

/* PRAGMA integrity_check: KOE_OK when SQLite answers "ok", else KOE_EDB
 * with its first finding in msg. */
enum koe_err db_integrity_check(struct db *db, struct koe_msg *msg);

/* Replaces the database at path with the content of src (a copy opened
 * with db_open) in one transaction of path's own journal, so a failure
 * leaves path as it was. KOE_ESTATE when any other connection has path
 * open (koe serve, another command): a database in use is never replaced.
 * KOE_EINVAL when path is not a koe database, KOE_EDB when it cannot be
 * read (damaged). path ends 0600 with its WAL checkpointed and removed. */
enum koe_err db_restore_over(struct db *src, const char *path, struct koe_msg *msg);

#endif
