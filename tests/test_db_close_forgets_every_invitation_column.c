/* docs/ARCHITECTURE.md §4.5: after `koe close` (db_survey_close, then
 * db_compact as the command does), no value of any column of the
 * invitations table is left in the database, WAL or shm files, except the
 * columns kept on purpose: the survey id, the group code (counts per group
 * remain) and the invitation's keyed hash (a late visitor hears "closed").
 * The columns are read from the table itself, so a column added later is
 * checked without changing this test. */
#include <sqlite3.h>

#include "survey_fixture.h"

static struct fixture f;

#define MAX_VALUES 512

struct value {
	char col[64];
	uint8_t bytes[128];
	size_t len;
};

static int
kept_on_purpose(const char *col)
{
	return strcmp(col, "survey") == 0 || strcmp(col, "segment") == 0 ||
	       strcmp(col, "invite_hash") == 0;
}

/* Every value (as stored) of every column not kept on purpose. */
static size_t
invitation_values(struct value *v, size_t cap, size_t *ncols)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *cols = NULL;
	size_t n = 0;
	*ncols = 0;
	CHECK_INT(sqlite3_open_v2(f.dbpath, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(h, "SELECT name FROM pragma_table_info('invitations')", -1,
	                             &cols, NULL),
	          SQLITE_OK);
	while (sqlite3_step(cols) == SQLITE_ROW) {
		const char *col = (const char *)sqlite3_column_text(cols, 0);
		char q[160];
		sqlite3_stmt *st = NULL;
		(*ncols)++;
		if (kept_on_purpose(col))
			continue;
		snprintf(q, sizeof(q), "SELECT DISTINCT CAST(%s AS BLOB) FROM invitations", col);
		CHECK_INT(sqlite3_prepare_v2(h, q, -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW && n < cap) {
			size_t len = (size_t)sqlite3_column_bytes(st, 0);
			const uint8_t *b = sqlite3_column_blob(st, 0);
			/* Short or constant values (a status of 1, 32 zero bytes) say
			 * nothing about anyone and occur everywhere by chance. */
			int zero = 1;
			for (size_t i = 0; i < len; i++)
				zero &= b[i] == 0;
			if (len < 4 || zero || len > sizeof(v[n].bytes))
				continue;
			snprintf(v[n].col, sizeof(v[n].col), "%s", col);
			memcpy(v[n].bytes, b, len);
			v[n].len = len;
			n++;
		}
		sqlite3_finalize(st);
	}
	sqlite3_finalize(cols);
	sqlite3_close(h);
	return n;
}

static void
close_leaves_no_value_of_any_invitation_column(void)
{
	static struct value v[MAX_VALUES];
	size_t ncols = 0, n;
	uint8_t blinded[32];

	CHECK_INT(db_begin(f.db), KOE_OK);
	for (int i = 0; i < 20; i++) {
		uint8_t hash[DB_HASH_BYTES];
		char emp[16], mail[64], name[64];
		randombytes_buf(hash, sizeof(hash));
		snprintf(emp, sizeof(emp), "EMP-%04d", i);
		snprintf(mail, sizeof(mail), "person%04d@example.jp", i);
		snprintf(name, sizeof(name), "社員 名前%04d", i);
		CHECK_INT(db_invitation_insert(f.db, f.s->id, hash, emp, mail, name,
		                               i < 10 ? "g01" : "g02"),
		          KOE_OK);
		if (i % 2) {
			randombytes_buf(blinded, sizeof(blinded));
			CHECK_INT(db_invitation_issue(f.db, f.s->id, hash, blinded), KOE_OK);
		}
	}
	CHECK_INT(db_commit(f.db), KOE_OK);
	n = invitation_values(v, MAX_VALUES, &ncols);
	printf("  invitations has %zu columns; %zu values to forget\n", ncols, n);
	CHECK(ncols >= 8);
	CHECK(n >= 20 * 3 + 10); /* ids, e-mails, names, and the 10 blinded values */
	/* Before closing they are there: the search is not vacuous. */
	for (size_t i = 0; i < n; i += 7)
		CHECK(db_files_contain(&f, v[i].bytes, v[i].len));

	CHECK_INT(db_begin(f.db), KOE_OK);
	CHECK_INT(db_survey_close(f.db, f.s->id, 0, "digest"), KOE_OK);
	CHECK_INT(db_commit(f.db), KOE_OK);
	CHECK_INT(db_compact(f.db), KOE_OK);
	for (size_t i = 0; i < n; i++)
		if (db_files_contain(&f, v[i].bytes, v[i].len)) {
			fprintf(stderr, "  column %s: a value is still in the files after close\n",
			        v[i].col);
			CHECK(0);
		}
}

int
main(void)
{
	fixture_up(&f, "qn-good/every-type.txt");
	RUN(close_leaves_no_value_of_any_invitation_column);
	fixture_down(&f);
	return harness_done();
}
