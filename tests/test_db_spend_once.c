/* docs/ARCHITECTURE.md §4.4: a token is spent once. A second submission with the same
 * receipt stores nothing; issuance is idempotent for the same blinded element
 * and refused for a different one or a revoked invitation. */
#include "survey_fixture.h"

static struct fixture f;

static void
second_spend_is_refused(void)
{
	uint8_t receipt[DB_HASH_BYTES], box[SEAL_BOX_BYTES] = {2};
	int64_t n = -1;

	randombytes_buf(receipt, sizeof(receipt));
	CHECK_INT(db_begin(f.db), KOE_OK);
	CHECK_INT(db_response_store(f.db, f.s->id, receipt, "g01", box, 1), KOE_OK);
	CHECK_INT(db_commit(f.db), KOE_OK);
	CHECK_INT(db_begin(f.db), KOE_OK);
	CHECK_INT(db_response_store(f.db, f.s->id, receipt, "g02", box, 1), KOE_EEXIST);
	db_rollback(f.db);
	CHECK_INT(db_response_count(f.db, f.s->id, &n), KOE_OK);
	CHECK_INT(n, 1);
}

/* The spent table is made in advance for the invitations; reissued links
 * can spend more tokens than that, and every one stays spent once. */
static void
spent_table_grows_and_keeps_every_receipt(void)
{
	uint8_t receipts[300][DB_HASH_BYTES], box[SEAL_BOX_BYTES] = {7};
	int64_t n = -1, before = -1, boxes = -1;
	CHECK_INT(db_response_count(f.db, f.s->id, &before), KOE_OK);
	for (int i = 0; i < 300; i++) {
		randombytes_buf(receipts[i], DB_HASH_BYTES);
		CHECK_INT(db_begin(f.db), KOE_OK);
		CHECK_INT(db_response_store(f.db, f.s->id, receipts[i], "g01", box, 1), KOE_OK);
		CHECK_INT(db_commit(f.db), KOE_OK);
	}
	for (int i = 0; i < 300; i += 7) {
		CHECK_INT(db_begin(f.db), KOE_OK);
		CHECK_INT(db_response_store(f.db, f.s->id, receipts[i], "g02", box, 1), KOE_EEXIST);
		db_rollback(f.db);
	}
	CHECK_INT(db_storage_counts(f.db, f.s->id, &n, &boxes), KOE_OK);
	CHECK_INT(n, before + 300);
	CHECK_INT(boxes, before + 300);
}

static void
response_needs_known_segment(void)
{
	uint8_t receipt[DB_HASH_BYTES], box[SEAL_BOX_BYTES] = {0};
	int64_t n = -1;
	randombytes_buf(receipt, sizeof(receipt));
	CHECK_INT(db_begin(f.db), KOE_OK);
	CHECK(db_response_store(f.db, f.s->id, receipt, "g99", box, 1) != KOE_OK);
	db_rollback(f.db);
	CHECK_INT(db_response_count(f.db, f.s->id, &n), KOE_OK);
	CHECK_INT(n, 1);
}

static void
issuance_is_idempotent(void)
{
	uint8_t hash[DB_HASH_BYTES], b1[32], b2[32];
	struct db_invitation inv;
	randombytes_buf(hash, sizeof(hash));
	randombytes_buf(b1, sizeof(b1));
	randombytes_buf(b2, sizeof(b2));
	CHECK_INT(db_invitation_insert(f.db, f.s->id, hash, "E1", "a@b", "名前", "g01"), KOE_OK);
	CHECK_INT(db_invitation_issue(f.db, f.s->id, hash, b1), KOE_OK);
	CHECK_INT(db_invitation_issue(f.db, f.s->id, hash, b1), KOE_OK);
	CHECK_INT(db_invitation_issue(f.db, f.s->id, hash, b2), KOE_EEXIST);
	CHECK_INT(db_invitation_by_hash(f.db, f.s->id, hash, &inv), KOE_OK);
	CHECK_INT(inv.status, DB_INV_ISSUED);
	CHECK(inv.has_blinded && memcmp(inv.blinded, b1, 32) == 0);
	db_invitation_clear(&inv);
	CHECK_INT(db_invitation_revoke(f.db, f.s->id, hash), KOE_OK);
	CHECK_INT(db_invitation_issue(f.db, f.s->id, hash, b1), KOE_ENOTFOUND);
	randombytes_buf(hash, sizeof(hash));
	CHECK_INT(db_invitation_issue(f.db, f.s->id, hash, b1), KOE_ENOTFOUND);
}

static void
one_active_invitation_per_employee(void)
{
	uint8_t h1[DB_HASH_BYTES], h2[DB_HASH_BYTES];
	randombytes_buf(h1, sizeof(h1));
	randombytes_buf(h2, sizeof(h2));
	CHECK_INT(db_invitation_insert(f.db, f.s->id, h1, "E2", "", "", "g01"), KOE_OK);
	CHECK_INT(db_invitation_insert(f.db, f.s->id, h2, "E2", "", "", "g01"), KOE_EEXIST);
	CHECK_INT(db_invitation_revoke(f.db, f.s->id, h1), KOE_OK);
	CHECK_INT(db_invitation_insert(f.db, f.s->id, h2, "E2", "", "", "g01"), KOE_OK);
}

int
main(void)
{
	fixture_up(&f, "qn-good/every-type.txt");
	RUN(second_spend_is_refused);
	RUN(response_needs_known_segment);
	RUN(spent_table_grows_and_keeps_every_receipt);
	RUN(issuance_is_idempotent);
	RUN(one_active_invitation_per_employee);
	fixture_down(&f);
	return harness_done();
}
