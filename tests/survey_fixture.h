/* A survey stored in a fresh database in a temporary directory, for tests of
 * storage, sealing and (later) the server. Built with the library calls
 * 'koe open' uses, without the command line. */
#ifndef KOE_SURVEY_FIXTURE_H
#define KOE_SURVEY_FIXTURE_H

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "harness.h"
#include "koe/ans.h"
#include "koe/db.h"
#include "koe/qn.h"
#include "koe/resp.h"
#include "koe/seal.h"

#define FIXTURE_PASS "correct horse battery staple"

struct fixture {
	char dir[256];
	char dbpath[300];
	struct db *db;
	struct qn_survey *s;
	struct db_survey rec;
	uint8_t report_sk[SEAL_SK_BYTES]; /* the single holder's secret */
	struct seal_holder holder;
	char *source;
};

/* One key holder from FIXTURE_PASS, as `koe open --passphrase-file` makes
 * it: sets f->rec.report_pk and f->report_sk. */
static inline void
fixture_holder(struct fixture *f)
{
	if (seal_holder_new(f->s->id, "HR", FIXTURE_PASS, strlen(FIXTURE_PASS), &f->holder) !=
	            KOE_OK ||
	    seal_holders_key(&f->holder, 1, f->rec.report_pk) != KOE_OK ||
	    resp_holder_secret(&f->holder, FIXTURE_PASS, strlen(FIXTURE_PASS), f->report_sk) !=
	            KOE_OK)
		exit(2);
}

/* After db_survey_insert(): the holder and storage, as `koe open` stores
 * them. */
static inline void
fixture_store_keys(struct fixture *f)
{
	int64_t n = f->rec.invited;
	if (db_holder_insert(f->db, f->s->id, 0, &f->holder) != KOE_OK ||
	    db_storage_reserve_for(f->db, f->s->id, n) != KOE_OK) {
		fprintf(stderr, "fixture keys: %s\n", db_errmsg(f->db));
		exit(2);
	}
}

/* A server run's sealing key, stored as `koe serve` stores it. */
static inline void
fixture_seal_key(struct fixture *f, struct seal_key *k)
{
	if (seal_key_new(k, f->rec.report_pk) != KOE_OK || db_begin(f->db) != KOE_OK ||
	    db_seal_key_insert(f->db, f->s->id, k->epk) != KOE_OK || db_commit(f->db) != KOE_OK) {
		fprintf(stderr, "fixture seal key: %s\n", db_errmsg(f->db));
		exit(2);
	}
}

/* Creates the database with survey tests/data/NAME and segments g01, g02 of
 * 10 invitees each. Aborts the test on failure. */
static inline void
fixture_up(struct fixture *f, const char *name)
{
	struct koe_diags d = {0};
	size_t len;
	struct koe_msg msg;

	memset(f, 0, sizeof(*f));
	if (sodium_init() < 0)
		exit(2);
	setenv("KOE_KDF_MEMLIMIT", "8388608", 1);
	snprintf(f->dir, sizeof(f->dir), "/tmp/koe-test-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		exit(2);
	snprintf(f->dbpath, sizeof(f->dbpath), "%s/koe.db", f->dir);
	f->source = slurp(data_path(name), &len);
	if (qn_parse(f->source, len, name, &f->s, &d) != KOE_OK) {
		koe_diags_print(&d, name, stderr);
		exit(2);
	}
	if (db_open(f->dbpath, DB_CREATE, &f->db, &msg) != KOE_OK) {
		fprintf(stderr, "db_open: %s\n", msg.text);
		exit(2);
	}
	f->rec.id = (char *)f->s->id;
	f->rec.title = (char *)f->s->title;
	f->rec.base_url = "http://127.0.0.1:1";
	f->rec.source = (uint8_t *)f->source;
	f->rec.source_len = len;
	randombytes_buf(f->rec.public_key, sizeof(f->rec.public_key));
	snprintf(f->rec.key_id, sizeof(f->rec.key_id), "%064d", 0);
	fixture_holder(f);
	f->rec.invited = 20;
	if (db_survey_insert(f->db, &f->rec) != KOE_OK ||
	    db_segment_insert(f->db, f->s->id, "g01", "営業部", 10) != KOE_OK ||
	    db_segment_insert(f->db, f->s->id, "g02", "開発部", 10) != KOE_OK) {
		fprintf(stderr, "fixture insert: %s\n", db_errmsg(f->db));
		exit(2);
	}
	fixture_store_keys(f);
	koe_diags_free(&d);
}

/* Seals and stores one response in its own transaction. */
static inline enum koe_err
fixture_respond(struct fixture *f, const struct seal_key *k, const char *segment,
                const struct ans_set *a)
{
	uint8_t receipt[DB_HASH_BYTES], *box = NULL;
	size_t nboxes;
	enum koe_err err;

	randombytes_buf(receipt, sizeof(receipt));
	err = resp_seal(k, f->s, segment, a, &box, &nboxes);
	if (err != KOE_OK)
		return err;
	if ((err = db_begin(f->db)) == KOE_OK) {
		err = db_response_store(f->db, f->s->id, receipt, segment, box, nboxes);
		if (err == KOE_OK)
			err = db_commit(f->db);
		else
			db_rollback(f->db);
	}
	free(box);
	return err;
}

/* Whether the file at path contains needle (len bytes) anywhere. */
static inline int
file_contains(const char *path, const void *needle, size_t len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;
	int found = 0;
	if (fp == NULL)
		return 0;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, fp) == (size_t)n)
		for (size_t i = 0; !found && len <= (size_t)n && i <= (size_t)n - len; i++)
			found = memcmp(buf + i, needle, len) == 0;
	free(buf);
	fclose(fp);
	return found;
}

/* Whether the database file, its WAL or its shm contains needle. */
static inline int
db_files_contain(const struct fixture *f, const void *needle, size_t len)
{
	char wal[320], shm[320];
	snprintf(wal, sizeof(wal), "%s-wal", f->dbpath);
	snprintf(shm, sizeof(shm), "%s-shm", f->dbpath);
	return file_contains(f->dbpath, needle, len) || file_contains(wal, needle, len) ||
	       file_contains(shm, needle, len);
}

static inline void
fixture_down(struct fixture *f)
{
	char cmd[400];
	db_close(f->db);
	qn_survey_free(f->s);
	free(f->source);
	sodium_memzero(f->report_sk, sizeof(f->report_sk));
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", f->dir);
}

#endif
