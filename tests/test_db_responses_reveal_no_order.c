/* DESIGN.md §4.1 "no link": responses written in a known order come back in
 * an order unrelated to it, and neither responses nor spent tokens have a
 * rowid, a timestamp or any column an invitation also has (but the survey
 * and the segment). */
#include <math.h>
#include <sqlite3.h>

#include "survey_fixture.h"

#define N 400

static struct fixture f;

static void
read_order_is_unrelated_to_write_order(void)
{
	struct seal_batch b;
	struct ans_set a;
	struct resp_table *t = NULL;
	const struct qn_item *text = qn_item_find(f.s, "essay");
	char buf[32];

	CHECK(text != NULL);
	if (text == NULL)
		return;
	CHECK_INT(ans_set_new(f.s, &a), KOE_OK);
	CHECK_INT(seal_batch_new(&b, f.rec.report_pk), KOE_OK);
	for (int i = 0; i < N; i++) {
		size_t idx = (size_t)(text - f.s->items);
		snprintf(buf, sizeof(buf), "%d", i);
		a.v[idx].present = true;
		a.v[idx].text = buf;
		a.v[idx].textlen = strlen(buf);
		CHECK_INT(fixture_respond(&f, &b, i % 2 ? "g01" : "g02", &a), KOE_OK);
	}
	CHECK_INT(resp_open_all(f.db, &f.rec, f.s, f.report_sk, NULL, &t), KOE_OK);
	if (t == NULL)
		return;
	CHECK_INT(t->n, N);
	CHECK_INT(t->ntexts, N);
	/* Spearman correlation between write order and read order. */
	double sum = 0;
	int seen[N] = {0};
	for (size_t r = 0; r < t->ntexts && r < N; r++) {
		int w = atoi(t->texts[r].text);
		CHECK(w >= 0 && w < N);
		if (w < 0 || w >= N)
			continue;
		seen[w]++;
		double d = (double)w - (double)r;
		sum += d * d;
	}
	for (int i = 0; i < N; i++)
		CHECK_INT(seen[i], 1);
	double rho = 1.0 - 6.0 * sum / ((double)N * ((double)N * N - 1));
	printf("Spearman rho(write order, read order) = %.3f\n", rho);
	/* For random order, |rho| > 0.25 at N = 400 has probability ~1e-6. */
	CHECK(fabs(rho) < 0.25);
	resp_table_free(t);
	seal_batch_wipe(&b);
	ans_set_free(&a);
}

static void
no_rowid_no_time_columns(void)
{
	sqlite3 *h;
	static const char *const tables[] = {"responses", "spent"};
	CHECK_INT(sqlite3_open_v2(f.dbpath, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	for (size_t i = 0; i < 2; i++) {
		char q[128];
		sqlite3_stmt *st;
		harness_current = tables[i];
		snprintf(q, sizeof(q), "SELECT rowid FROM %s", tables[i]);
		/* WITHOUT ROWID tables have no rowid to order by. */
		CHECK(sqlite3_prepare_v2(h, q, -1, &st, NULL) != SQLITE_OK);
		sqlite3_finalize(st);
		snprintf(q, sizeof(q), "SELECT name, type FROM pragma_table_info('%s')", tables[i]);
		CHECK_INT(sqlite3_prepare_v2(h, q, -1, &st, NULL), SQLITE_OK);
		int cols = 0;
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *name = (const char *)sqlite3_column_text(st, 0);
			cols++;
			CHECK(strstr(name, "time") == NULL && strstr(name, "date") == NULL &&
			      strstr(name, "created") == NULL && strstr(name, "seq") == NULL &&
			      strstr(name, "invite") == NULL && strstr(name, "employee") == NULL);
		}
		CHECK(cols >= 2);
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
}

int
main(void)
{
	fixture_up(&f, "qn-good/every-type.txt");
	RUN(read_order_is_unrelated_to_write_order);
	RUN(no_rowid_no_time_columns);
	fixture_down(&f);
	return harness_done();
}
