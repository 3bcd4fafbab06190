/* DESIGN.md §4.4: a token is spent once. A second submission with the same
 * receipt stores nothing; issuance is idempotent for the same blinded element
 * and refused for a different one or a revoked invitation. */
#include "survey_fixture.h"

static struct fixture f;

static void
second_spend_is_refused(void)
{
	uint8_t receipt[DB_HASH_BYTES], id1[DB_RESPONSE_ID_BYTES], id2[DB_RESPONSE_ID_BYTES];
	uint8_t epk[SEAL_PK_BYTES] = {1}, box[200] = {2};
	int64_t n = -1;

	randombytes_buf(receipt, sizeof(receipt));
	randombytes_buf(id1, sizeof(id1));
	randombytes_buf(id2, sizeof(id2));
	CHECK_INT(db_begin(f.db), KOE_OK);
	CHECK_INT(db_response_insert(f.db, f.s->id, receipt, id1, "g01", epk, box, sizeof(box)),
	          KOE_OK);
	CHECK_INT(db_commit(f.db), KOE_OK);
	CHECK_INT(db_begin(f.db), KOE_OK);
	CHECK_INT(db_response_insert(f.db, f.s->id, receipt, id2, "g02", epk, box, sizeof(box)),
	          KOE_EEXIST);
	db_rollback(f.db);
	CHECK_INT(db_response_count(f.db, f.s->id, &n), KOE_OK);
	CHECK_INT(n, 1);
}

static void
response_needs_known_segment(void)
{
	uint8_t receipt[DB_HASH_BYTES], id[DB_RESPONSE_ID_BYTES], epk[SEAL_PK_BYTES] = {1};
	uint8_t box[200] = {0};
	int64_t n = -1;
	randombytes_buf(receipt, sizeof(receipt));
	randombytes_buf(id, sizeof(id));
	CHECK_INT(db_begin(f.db), KOE_OK);
	CHECK(db_response_insert(f.db, f.s->id, receipt, id, "g99", epk, box, sizeof(box)) !=
	      KOE_OK);
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
	RUN(issuance_is_idempotent);
	RUN(one_active_invitation_per_employee);
	fixture_down(&f);
	return harness_done();
}
