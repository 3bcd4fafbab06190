/* docs/ARCHITECTURE.md §4.2/§4.3: a copy of the database cannot be used to answer (no
 * invite code in it) and shows no answer (all sealed). The same data opened
 * with the passphrase does hold the answer, so the search is not vacuous. */
#include "koe/b64.h"
#include "koe/invite.h"
#include "survey_fixture.h"

static struct fixture f;

static void
invite_codes_are_not_stored(void)
{
	uint8_t seed[32], key[INVITE_KEY_BYTES], hash[INVITE_HASH_BYTES];
	char codes[20][INVITE_CODE_LEN + 1];

	randombytes_buf(seed, sizeof(seed));
	invite_key_derive(seed, key);
	CHECK_INT(db_begin(f.db), KOE_OK);
	for (int i = 0; i < 20; i++) {
		char emp[16];
		invite_new(codes[i]);
		CHECK_INT(invite_hash(key, f.s->id, codes[i], hash), KOE_OK);
		snprintf(emp, sizeof(emp), "E%04d", i);
		CHECK_INT(db_invitation_insert(f.db, f.s->id, hash, emp, "", "", i < 10 ? "g01" : "g02"),
		          KOE_OK);
	}
	CHECK_INT(db_commit(f.db), KOE_OK);
	for (int i = 0; i < 20; i++) {
		uint8_t raw[INVITE_RAW_BYTES];
		size_t n;
		CHECK(!db_files_contain(&f, codes[i], INVITE_CODE_LEN));
		CHECK_INT(b64url_decode_var(raw, sizeof(raw), &n, codes[i], INVITE_CODE_LEN), KOE_OK);
		CHECK(!db_files_contain(&f, raw, sizeof(raw)));
		/* The hash is there and finds the invitation. */
		struct db_invitation inv;
		CHECK_INT(invite_hash(key, f.s->id, codes[i], hash), KOE_OK);
		CHECK(db_files_contain(&f, hash, sizeof(hash)));
		CHECK_INT(db_invitation_by_hash(f.db, f.s->id, hash, &inv), KOE_OK);
		db_invitation_clear(&inv);
	}
	/* A hash made with another master seed finds nothing. */
	uint8_t other[INVITE_KEY_BYTES];
	struct db_invitation inv;
	randombytes_buf(seed, sizeof(seed));
	invite_key_derive(seed, other);
	CHECK_INT(invite_hash(other, f.s->id, codes[0], hash), KOE_OK);
	CHECK_INT(db_invitation_by_hash(f.db, f.s->id, hash, &inv), KOE_ENOTFOUND);
}

static void
answers_are_sealed(void)
{
	static const char secret[] = "人事部長には言えない本音 XYZZY-4711";
	struct seal_key b;
	struct ans_set a;
	struct resp_table *t = NULL;
	const struct qn_item *essay = qn_item_find(f.s, "essay");
	size_t idx = (size_t)(essay - f.s->items);

	CHECK_INT(ans_set_new(f.s, &a), KOE_OK);
	a.v[idx].present = true;
	a.v[idx].text = secret;
	a.v[idx].textlen = strlen(secret);
	fixture_seal_key(&f, &b);
	CHECK_INT(fixture_respond(&f, &b, "g01", &a), KOE_OK);
	CHECK(!db_files_contain(&f, secret, strlen(secret)));
	CHECK(!db_files_contain(&f, "XYZZY", 5));
	/* The server's sealing key is not on disk, only its public half. */
	CHECK(!db_files_contain(&f, b.key, sizeof(b.key)));
	CHECK(db_files_contain(&f, b.epk, sizeof(b.epk)));
	/* Nor is the holder's secret. */
	CHECK(!db_files_contain(&f, f.report_sk, sizeof(f.report_sk)));
	CHECK_INT(resp_open_all(f.db, &f.rec, f.s, f.report_sk, NULL, &t), KOE_OK);
	CHECK(t && t->ntexts == 1 && strcmp(t->texts[0].text, secret) == 0);
	resp_table_free(t);
	seal_key_wipe(&b);
	ans_set_free(&a);
}

static void
wrong_passphrase_opens_nothing(void)
{
	uint8_t sk[SEAL_SK_BYTES];
	const char *wrong[] = {"wrong horse battery staple"}, *shrt[] = {"short"},
	           *right[] = {FIXTURE_PASS};
	size_t wl[] = {26}, sl[] = {5}, rl[] = {strlen(FIXTURE_PASS)};
	CHECK_INT(resp_unlock(f.db, &f.rec, wrong, wl, 1, sk), KOE_EVERIFY);
	CHECK_INT(resp_unlock(f.db, &f.rec, shrt, sl, 1, sk), KOE_EVERIFY);
	CHECK_INT(resp_unlock(f.db, &f.rec, right, rl, 1, sk), KOE_OK);
	CHECK_MEM(sk, f.report_sk, SEAL_SK_BYTES);
	/* A right-looking key that is not the report key fails to open. */
	struct resp_table *t = NULL;
	sk[5] ^= 1;
	CHECK_INT(resp_open_all(f.db, &f.rec, f.s, sk, NULL, &t), KOE_EVERIFY);
	CHECK(t == NULL);
}

int
main(void)
{
	fixture_up(&f, "qn-good/every-type.txt");
	RUN(invite_codes_are_not_stored);
	RUN(answers_are_sealed);
	RUN(wrong_passphrase_opens_nothing);
	fixture_down(&f);
	return harness_done();
}
