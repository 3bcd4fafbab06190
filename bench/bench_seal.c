/* Opening sealed responses at report time: seals N responses to the
 * flagship survey (random answers to every item) into a real database, then
 * times resp_open_all(), which is what `koe report` does after the
 * passphrase. One key agreement per sealing batch, one AEAD per response.
 *
 * usage: bench_seal [N] (default 100000); run from the repository root. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "koe/ans.h"
#include "koe/db.h"
#include "koe/qn.h"
#include "koe/resp.h"
#include "koe/seal.h"
#include "koe/util.h"

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	char dir[] = "/tmp/koe-bench-XXXXXX", path[128], msg[256];
	struct koe_diags d = {0};
	struct qn_survey *s = NULL;
	struct db *db = NULL;
	struct db_survey rec = {0};
	struct seal_batch b;
	struct ans_set a;
	struct resp_table *t = NULL;
	uint8_t sk[SEAL_SK_BYTES];
	char *src;
	size_t len;
	double t0, t1;

	if (sodium_init() < 0 || mkdtemp(dir) == NULL)
		return 1;
	if (util_read_file("surveys/alumni-readiness.txt", QN_MAX_FILE_BYTES, &src, &len) != KOE_OK ||
	    qn_parse(src, len, "alumni-readiness.txt", &s, &d) != KOE_OK) {
		fprintf(stderr, "run from the repository root\n");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/koe.db", dir);
	if (db_open(path, DB_CREATE, &db, msg, sizeof(msg)) != KOE_OK)
		return 1;
	rec.id = (char *)s->id;
	rec.title = (char *)s->title;
	rec.base_url = "https://x";
	rec.source = (uint8_t *)src;
	rec.source_len = len;
	rec.invited = (int64_t)n;
	seal_kdf_new(&rec.kdf);
	seal_keypair_from_passphrase("bench passphrase", 16, &rec.kdf, rec.report_pk, sk);
	db_survey_insert(db, &rec);
	db_segment_insert(db, s->id, "g01", "A", (int64_t)n / 2);
	db_segment_insert(db, s->id, "g02", "B", (int64_t)n / 2);
	ans_set_new(s, &a);

	/* Seal and store: batches of 4096 responses, one transaction each. */
	t0 = now();
	db_begin(db);
	for (size_t r = 0; r < n; r++) {
		uint8_t receipt[32], id[16], *box;
		size_t boxlen;
		if (r % 4096 == 0) {
			if (r) {
				seal_batch_wipe(&b);
				db_commit(db);
				db_begin(db);
			}
			seal_batch_new(&b, rec.report_pk);
		}
		for (size_t i = 0; i < s->nitems; i++) {
			const struct qn_item *it = &s->items[i];
			const struct qn_question *q = &s->questions[it->question];
			struct ans_value *v = &a.v[i];
			v->present = true;
			switch (it->kind) {
			case QN_ITEM_LIKERT: v->num = 1 + (int)randombytes_uniform((uint32_t)it->npoints); break;
			case QN_ITEM_NPS: v->num = (int)randombytes_uniform(11); break;
			case QN_ITEM_CHOICE:
				v->num = q->choices[randombytes_uniform((uint32_t)q->nchoices)].recode;
				break;
			case QN_ITEM_MULTI:
				v->nmulti = 2;
				v->multi[0] = q->choices[0].recode;
				v->multi[1] = q->choices[2].recode;
				break;
			case QN_ITEM_TEXT:
				v->present = r % 10 == 0;
				v->text = "制度には賛成ですが、処遇の公平性が心配です。";
				v->textlen = strlen(v->text);
				break;
			}
		}
		randombytes_buf(receipt, sizeof(receipt));
		randombytes_buf(id, sizeof(id));
		if (resp_seal(&b, s, r % 2 ? "g01" : "g02", &a, &box, &boxlen) != KOE_OK ||
		    db_response_insert(db, s->id, receipt, id, r % 2 ? "g01" : "g02", b.epk, box,
		                       boxlen) != KOE_OK) {
			fprintf(stderr, "insert failed: %s\n", db_errmsg(db));
			return 1;
		}
		free(box);
	}
	db_commit(db);
	t1 = now();
	printf("sealed and stored %zu responses (%zu items) in %.2f s\n", n, s->nitems, t1 - t0);

	t0 = now();
	if (resp_open_all(db, &rec, s, sk, NULL, &t) != KOE_OK) {
		fprintf(stderr, "open failed\n");
		return 1;
	}
	t1 = now();
	printf("opened %zu responses in %.3f s (%.2f us per response), %zu comments\n", t->n,
	       t1 - t0, (t1 - t0) * 1e6 / (double)t->n, t->ntexts);
	resp_table_free(t);
	ans_set_free(&a);
	seal_batch_wipe(&b);
	db_close(db);
	qn_survey_free(s);
	koe_diags_free(&d);
	free(src);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	if (system(path) != 0)
		return 1;
	return 0;
}
