/* Sealed answers, spent tokens, key holders and sealing keys: storage made
 * in advance and written in place (db.h, docs/ARCHITECTURE.md §4.1). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "koe/util.h"

/* Slots are kept at most 3/4 used, so a random pick finds a free one in
 * four tries on average; SLOT_TRIES failures in a row (about 10^-32 at that
 * load) fall back to the n-th free slot. */
#define SLOT_LOAD_NUM 3
#define SLOT_LOAD_DEN 4
#define SLOT_TRIES    256

struct sizes {
	int64_t nslots, nused, nbuckets, nspent;
};

static enum koe_err
sizes_get(struct db *db, const char *survey, struct sizes *z)
{
	sqlite3_stmt *st = db_stmt_for(db, S_SURVEY_SIZES, survey);
	enum koe_err err = KOE_EDB;
	int rc;
	if (st == NULL)
		return KOE_EDB;
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
	sqlite3_stmt *st = db_stmt_for(db, S_SURVEY_SET_SIZES, survey);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_int64(st, 2, z->nslots);
	sqlite3_bind_int64(st, 3, z->nused);
	sqlite3_bind_int64(st, 4, z->nbuckets);
	sqlite3_bind_int64(st, 5, z->nspent);
	return db_step_done(st);
}

/* Appends rows [from, to) to a table made in advance. */
static enum koe_err
add_rows(struct db *db, enum stmt s, const char *survey, int64_t from, int64_t to)
{
	static const char blank[DB_SEGMENT_BYTES + 1] = "                ";
	sqlite3_stmt *st;
	if (to <= from)
		return KOE_OK;
	if ((st = db_stmt(db, s)) == NULL)
		return KOE_EDB;
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	if (s == S_SLOTS_ADD)
		sqlite3_bind_int(st, 4, SEAL_BOX_BYTES);
	else
		sqlite3_bind_text(st, 4, blank, DB_SEGMENT_BYTES, SQLITE_STATIC);
	return db_step_done(st) == KOE_OK ? KOE_OK : KOE_EDB;
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

enum koe_err
db_storage_reserve_for(struct db *db, const char *survey, int64_t invited)
{
	return db_storage_reserve(db, survey, invited * 2 + DB_STORAGE_SPARE,
	                          invited * 2 + DB_STORAGE_SPARE);
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

struct spent_row {
	bool used;
	uint8_t receipt[DB_HASH_BYTES];
	char seg[DB_SEGMENT_BYTES + 1];
};

static int64_t
home_bucket(const uint8_t receipt[DB_HASH_BYTES], int64_t nbuckets)
{
	return (int64_t)(le64(receipt) % (uint64_t)nbuckets);
}

static enum koe_err
spent_get(struct db *db, const char *survey, int64_t b, struct spent_row *out)
{
	sqlite3_stmt *st = db_stmt_for(db, S_SPENT_GET, survey);
	int rc;
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_int64(st, 2, b);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->used = sqlite3_column_int(st, 0) != 0;
		db_col_blob(st, 1, out->receipt, DB_HASH_BYTES);
		snprintf(out->seg, sizeof(out->seg), "%s", (const char *)sqlite3_column_text(st, 2));
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? KOE_OK : KOE_EDB;
}

static enum koe_err
spent_set(struct db *db, const char *survey, int64_t b, const struct spent_row *r)
{
	sqlite3_stmt *st = db_stmt_for(db, S_SPENT_SET, survey);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_int64(st, 2, b);
	sqlite3_bind_blob(st, 3, r->receipt, DB_HASH_BYTES, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->seg, DB_SEGMENT_BYTES, SQLITE_STATIC);
	return db_step_done(st) == KOE_OK ? KOE_OK : KOE_EDB;
}

/* Puts a receipt into the spent table; KOE_EEXIST when it is there already.
 *
 * Robin Hood linear probing with ties broken by the receipt: walking from
 * the receipt's home bucket, a stored receipt that is nearer its own home
 * (or as near and larger) gives up its bucket and moves on. The table's
 * layout is then a function of the set of receipts alone, whatever order
 * they came in (Blelloch and Golovin's history-independent hashing), so a
 * copy of the file does not show which receipts were spent before which
 * (test_db_spent_table_forgets_order). */
static enum koe_err
spend_put(struct db *db, const char *survey, int64_t nbuckets,
          const uint8_t receipt[DB_HASH_BYTES], const char *padded)
{
	struct spent_row cur = {.used = true}, at;
	int64_t b = home_bucket(receipt, nbuckets), dist = 0;
	enum koe_err err;

	/* Spent already? It sits between its home and the next free bucket. */
	for (int64_t i = 0, p = b; i < nbuckets; i++, p = (p + 1) % nbuckets) {
		if ((err = spent_get(db, survey, p, &at)) != KOE_OK)
			return err;
		if (!at.used)
			break;
		if (memcmp(at.receipt, receipt, DB_HASH_BYTES) == 0)
			return KOE_EEXIST;
	}
	memcpy(cur.receipt, receipt, DB_HASH_BYTES);
	snprintf(cur.seg, sizeof(cur.seg), "%s", padded);
	for (int64_t i = 0; i < nbuckets; i++, b = (b + 1) % nbuckets, dist++) {
		if ((err = spent_get(db, survey, b, &at)) != KOE_OK)
			return err;
		if (!at.used)
			return spent_set(db, survey, b, &cur);
		int64_t d = (b - home_bucket(at.receipt, nbuckets) + nbuckets) % nbuckets;
		if (d < dist || (d == dist && memcmp(at.receipt, cur.receipt, DB_HASH_BYTES) > 0)) {
			if ((err = spent_set(db, survey, b, &cur)) != KOE_OK)
				return err;
			cur = at;
			dist = d;
		}
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
	if ((st = db_stmt(db, S_SPENT_USED)) == NULL) {
		free(v);
		return KOE_EDB;
	}
	sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < cap) {
		db_col_blob(st, 0, v[n].receipt, DB_HASH_BYTES);
		snprintf(v[n].seg, sizeof(v[n].seg), "%s", (const char *)sqlite3_column_text(st, 1));
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		err = KOE_EDB;
	if (err == KOE_OK && (st = db_stmt(db, S_SPENT_CLEAR)) != NULL) {
		sqlite3_bind_text(st, 1, survey, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, blank, DB_SEGMENT_BYTES, SQLITE_STATIC);
		err = db_step_done(st) == KOE_OK ? KOE_OK : KOE_EDB;
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

static uint64_t
random_below(uint64_t n)
{
	uint64_t r;
	sqlite3_randomness(sizeof(r), &r);
	return r % n; /* n is far below 2^64: the bias is negligible */
}

/* A free slot picked uniformly at random: random slots until a free one
 * (the table is kept at most SLOT_LOAD full, so a few tries), else the
 * n-th free slot for a random n. Never "the next free slot after a random
 * start": that favours slots after runs of used ones, so neighbours would
 * be filled in slot order (test_db_slots_picked_uniformly). */
static enum koe_err
pick_free_slot(struct db *db, const char *survey, const struct sizes *z, int64_t *slot)
{
	sqlite3_stmt *st;
	int rc;

	*slot = -1;
	for (int i = 0; i < SLOT_TRIES; i++) {
		int64_t s = (int64_t)random_below((uint64_t)z->nslots);
		int used = 1;
		if ((st = db_stmt_for(db, S_SLOT_USED_AT, survey)) == NULL)
			return KOE_EDB;
		sqlite3_bind_int64(st, 2, s);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			used = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return KOE_EDB;
		if (rc == SQLITE_ROW && !used) {
			*slot = s;
			return KOE_OK;
		}
	}
	if (z->nslots <= z->nused || (st = db_stmt_for(db, S_SLOT_FREE_NTH, survey)) == NULL)
		return KOE_EDB;
	sqlite3_bind_int64(st, 2, (int64_t)random_below((uint64_t)(z->nslots - z->nused)));
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*slot = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? KOE_OK : KOE_EDB;
}

/* Writes one box over a free slot picked at random. */
static enum koe_err
slot_put(struct db *db, const char *survey, struct sizes *z, const uint8_t *box)
{
	int64_t slot;
	enum koe_err err = pick_free_slot(db, survey, z, &slot);

	if (err != KOE_OK)
		return err;
	sqlite3_stmt *st = db_stmt_for(db, S_SLOT_SET, survey);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_int64(st, 2, slot);
	sqlite3_bind_blob(st, 3, box, SEAL_BOX_BYTES, SQLITE_STATIC);
	if (db_step_done(st) != KOE_OK || sqlite3_changes(db->h) != 1)
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
		sqlite3_stmt *st = db_stmt_for(db, S_SEGMENT_EXISTS, survey);
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
	if ((z.nused + (int64_t)nboxes) * SLOT_LOAD_DEN > z.nslots * SLOT_LOAD_NUM) {
		/* Slots added now sit after the others in the file; see
		 * db.h on what that reveals. */
		int64_t more = z.nslots / 2 > 64 ? z.nslots / 2 : 64;
		if (more < (int64_t)nboxes * 2)
			more = (int64_t)nboxes * 2;
		if ((err = add_rows(db, S_SLOTS_ADD, survey, z.nslots, z.nslots + more)) != KOE_OK)
			return err;
		z.nslots += more;
	}
	for (size_t i = 0; i < nboxes; i++)
		if ((err = slot_put(db, survey, &z, boxes + i * SEAL_BOX_BYTES)) != KOE_OK)
			return err;
	return sizes_set(db, survey, &z);
}

/* Calls fn with column 0 of every row of statement id for survey, each
 * exactly size bytes. A row of another size is KOE_EINVAL. When fn returns
 * non-zero the walk stops, with KOE_EINVAL if stop_is_error. */
static enum koe_err
foreach_blob(struct db *db, enum stmt id, const char *survey, int size, bool stop_is_error,
             int (*fn)(void *ctx, const uint8_t *blob), void *ctx)
{
	sqlite3_stmt *st = db_stmt_for(db, id, survey);
	enum koe_err err = KOE_OK;
	int rc;

	if (st == NULL)
		return KOE_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_bytes(st, 0) != size) {
			err = KOE_EINVAL;
			break;
		}
		if (fn(ctx, sqlite3_column_blob(st, 0))) {
			err = stop_is_error ? KOE_EINVAL : KOE_OK;
			break;
		}
	}
	return db_walk_end(st, err, rc);
}

enum koe_err
db_boxes_foreach(struct db *db, const char *survey,
                 int (*fn)(void *ctx, const uint8_t box[SEAL_BOX_BYTES]), void *ctx)
{
	return foreach_blob(db, S_SLOTS_USED, survey, SEAL_BOX_BYTES, true, fn, ctx);
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
	sqlite3_stmt *st = db_stmt_for(db, S_HOLDER_INSERT, survey);
	if (st == NULL)
		return KOE_EDB;
	sqlite3_bind_int(st, 2, idx);
	sqlite3_bind_text(st, 3, h->name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, h->pub, SEAL_PK_BYTES, SQLITE_STATIC);
	sqlite3_bind_blob(st, 5, h->kdf.salt, SEAL_SALT_BYTES, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, (sqlite3_int64)h->kdf.ops);
	sqlite3_bind_int64(st, 7, (sqlite3_int64)h->kdf.mem);
	sqlite3_bind_blob(st, 8, h->proof, SEAL_PROOF_BYTES, SQLITE_STATIC);
	return db_step_done(st);
}

enum koe_err
db_holders_get(struct db *db, const char *survey, struct seal_holder *out, size_t cap,
               size_t *n)
{
	sqlite3_stmt *st = db_stmt_for(db, S_HOLDERS, survey);
	int rc;

	*n = 0;
	if (st == NULL)
		return KOE_EDB;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < cap) {
		struct seal_holder *h = &out[*n];
		memset(h, 0, sizeof(*h));
		snprintf(h->name, sizeof(h->name), "%s", (const char *)sqlite3_column_text(st, 0));
		db_col_blob(st, 1, h->pub, SEAL_PK_BYTES);
		db_col_blob(st, 2, h->kdf.salt, SEAL_SALT_BYTES);
		h->kdf.ops = (uint64_t)sqlite3_column_int64(st, 3);
		h->kdf.mem = (uint64_t)sqlite3_column_int64(st, 4);
		db_col_blob(st, 5, h->proof, SEAL_PROOF_BYTES);
		(*n)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? KOE_OK : KOE_EDB;
}

enum koe_err
db_seal_key_insert(struct db *db, const char *survey, const uint8_t epk[SEAL_PK_BYTES])
{
	return db_run_survey_blob(db, S_SEAL_KEY_INSERT, survey, epk, SEAL_PK_BYTES);
}

struct keys_acc {
	uint8_t (*v)[SEAL_PK_BYTES];
	size_t n, cap;
	bool oom;
};

static int
keep_key(void *ctx, const uint8_t *epk)
{
	struct keys_acc *k = ctx;
	if (util_grow((void **)&k->v, &k->cap, k->n, sizeof(*k->v), 8) != 0) {
		k->oom = true;
		return 1;
	}
	memcpy(k->v[k->n++], epk, SEAL_PK_BYTES);
	return 0;
}

enum koe_err
db_seal_keys_get(struct db *db, const char *survey, uint8_t (**out)[SEAL_PK_BYTES], size_t *n)
{
	struct keys_acc k = {0};
	enum koe_err err = foreach_blob(db, S_SEAL_KEYS, survey, SEAL_PK_BYTES, true, keep_key, &k);

	if (k.oom)
		err = KOE_ENOMEM;
	if (err != KOE_OK) {
		free(k.v);
		k.v = NULL;
		k.n = 0;
	}
	*out = k.v;
	*n = k.n;
	return err;
}
enum koe_err
db_receipts_foreach(struct db *db, const char *survey,
                    int (*fn)(void *ctx, const uint8_t receipt[DB_HASH_BYTES]), void *ctx)
{
	return foreach_blob(db, S_RECEIPTS, survey, DB_HASH_BYTES, false, fn, ctx);
}
