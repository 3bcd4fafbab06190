/* docs/ARCHITECTURE.md §4.1: the spent table does not remember the order
 * tokens were spent in. The same receipts spent in two different orders
 * (one of them sorted, one shuffled) leave byte-for-byte the same table in
 * two databases: bucket by bucket, the same receipt and group. With plain
 * linear probing they would not: of two receipts that collide, the one
 * spent first sits nearer its home bucket. The receipts are many enough to
 * make the table grow twice (its rehash must forget the order too). */
#include <sqlite3.h>

#include "survey_fixture.h"

#define N 300

static uint8_t receipts[N][DB_HASH_BYTES];

static int
cmp_receipt(const void *a, const void *b)
{
	return memcmp(a, b, DB_HASH_BYTES);
}

/* Spends receipts in the order given by idx into a new database and returns
 * its spent table as text, one line per bucket. */
static char *
spend_in_order(const size_t *idx)
{
	struct fixture f;
	uint8_t box[SEAL_BOX_BYTES] = {3};
	size_t cap = 256 * 1024, len = 0;
	char *out = malloc(cap);
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;

	fixture_up(&f, "qn-good/every-type.txt");
	for (size_t i = 0; i < N; i++) {
		CHECK_INT(db_begin(f.db), KOE_OK);
		CHECK_INT(db_response_store(f.db, f.s->id, receipts[idx[i]], idx[i] % 3 ? "g01" : "g02",
		                            box, 1),
		          KOE_OK);
		CHECK_INT(db_commit(f.db), KOE_OK);
	}
	CHECK_INT(sqlite3_open_v2(f.dbpath, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	CHECK_INT(sqlite3_prepare_v2(h,
	                             "SELECT bucket, used, hex(receipt), segment FROM spent"
	                             " ORDER BY bucket",
	                             -1, &st, NULL),
	          SQLITE_OK);
	out[0] = 0;
	while (sqlite3_step(st) == SQLITE_ROW && len + 200 < cap)
		len += (size_t)snprintf(out + len, cap - len, "%lld %d %s [%s]\n",
		                        (long long)sqlite3_column_int64(st, 0), sqlite3_column_int(st, 1),
		                        (const char *)sqlite3_column_text(st, 2),
		                        (const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
	sqlite3_close(h);
	fixture_down(&f);
	return out;
}

static void
same_receipts_in_any_order_leave_the_same_table(void)
{
	size_t sorted[N], shuffled[N];
	for (size_t i = 0; i < N; i++)
		randombytes_buf(receipts[i], DB_HASH_BYTES);
	qsort(receipts, N, DB_HASH_BYTES, cmp_receipt);
	for (size_t i = 0; i < N; i++)
		sorted[i] = shuffled[i] = i;
	for (size_t i = N - 1; i > 0; i--) {
		size_t j = randombytes_uniform((uint32_t)(i + 1)), t = shuffled[i];
		shuffled[i] = shuffled[j];
		shuffled[j] = t;
	}
	char *a = spend_in_order(sorted), *b = spend_in_order(shuffled);
	size_t lines = 0, used = 0;
	for (const char *p = a; *p; p++)
		lines += *p == '\n';
	for (const char *p = strstr(a, " 1 "); p; p = strstr(p + 1, " 1 "))
		used++;
	printf("  spent table: %zu buckets, %zu receipts\n", lines, used);
	CHECK(lines >= 2 * N);
	CHECK_INT(used, N);
	CHECK(strcmp(a, b) == 0);
	if (strcmp(a, b) != 0) {
		size_t i = 0;
		while (a[i] == b[i])
			i++;
		while (i > 0 && a[i - 1] != '\n')
			i--;
		fprintf(stderr, "  first difference:\n  %.80s\n  %.80s\n", a + i, b + i);
	}
	free(a);
	free(b);
}

int
main(void)
{
	if (sodium_init() < 0)
		return 2;
	RUN(same_receipts_in_any_order_leave_the_same_table);
	return harness_done();
}
