/* The report target of docs/ARCHITECTURE.md §9: 100,000 responses × 40 items → PDF
 * and JSON in ≤ 3 s with peak memory ≤ 300 MB.
 *
 * Seals N responses (default 100,000) to a 40-item questionnaire (five
 * Likert scales of 35 items with reverse items, two NPS items, a single and
 * a multiple choice, a comment box answered by 10%, a quarter of them in a
 * wording of their own) in 30 groups into a
 * real database, closes the survey with the real `koe close`, then runs the
 * real `koe report --out X.pdf --json X.json` as a child process and
 * measures its wall time and peak resident memory (wait4's ru_maxrss).
 * The report passphrase uses koe's default Argon2id cost (128 MiB), which
 * is part of what a report costs. Then it times the phases in-process.
 *
 *   bench_report [N] [path/to/koe]   (run from the repository root; koe
 *                                     defaults to the one beside this
 *                                     program) */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "koe/ans.h"
#include "koe/db.h"
#include "koe/qn.h"
#include "koe/report.h"
#include "koe/resp.h"
#include "koe/seal.h"

#define NGROUPS 30
#define PASS "bench report passphrase"
#define PASS2 "bench second holder passphrase"

static uint64_t rng = 0x9e3779b97f4a7c15u;

static double
uniform(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (double)((rng * 0x2545f4914f6cdd1du) >> 11) / 9007199254740992.0;
}

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
matrix(char *buf, size_t cap, const char *id, const char *role, int rows)
{
	size_t n = strlen(buf);
	n += (size_t)snprintf(buf + n, cap - n,
	                      "[[Question:Matrix]]\n[[ID:%s]]\n[[Scale:%s]]\n%s%s%s"
	                      "次の考えにどの程度同意しますか（%s）。\n[[Choices]]\n",
	                      id, id, role ? "[[Role:" : "", role ? role : "", role ? "]]\n" : "", id);
	for (int r = 0; r < rows; r++)
		n += (size_t)snprintf(buf + n, cap - n, "%sに関する項目その%d\n%s", id, r + 1,
		                      r % 4 == 3 ? "[[Reverse]]\n" : "");
	snprintf(buf + n, cap - n,
	         "[[Answers]]\n全くそう思わない\nそう思わない\nどちらともいえない\nそう思う\n"
	         "とてもそう思う\n\n");
}

/* The 40-item questionnaire. */
static char *
survey_text(void)
{
	size_t cap = 64 * 1024;
	char *s = calloc(1, cap);
	if (s == NULL)
		return NULL;
	snprintf(s, cap, "[[AdvancedFormat]]\n[[Survey:bench-report]]\n[[Title:レポート性能測定用の調査]]\n"
	                 "[[Language:ja]]\n[[MinGroup:5]]\n[[Segments:department]]\n\n[[Block:本体]]\n\n");
	matrix(s, cap, "support", "support", 8);
	matrix(s, cap, "rejoin", "rejoin", 6);
	matrix(s, cap, "acceptance", NULL, 6);
	matrix(s, cap, "morale", "morale", 8);
	matrix(s, cap, "offboarding", NULL, 7);
	size_t n = strlen(s);
	snprintf(s + n, cap - n,
	         "[[Question:NPS]]\n[[ID:enps]]\nこの会社を勧めたいですか。\n\n"
	         "[[Question:NPS]]\n[[ID:return]]\n退職後に戻りたいですか。\n\n"
	         "[[Question:MC:SingleAnswer]]\n[[ID:terms]]\n処遇の決め方は。\n[[Choices]]\n"
	         "退職時の処遇\n社外の経験を評価\n同じ基準\n中途採用と同じ\nわからない\n\n"
	         "[[Question:MC:MultipleAnswer]]\n[[ID:offer]]\n提供してほしいもの。\n[[Choices]]\n"
	         "相談窓口\nニュースレター\n交流イベント\n協業の機会\n勉強会\n\n"
	         "[[Question:TE:Essay]]\n[[ID:comments]]\nご意見をどうぞ。\n");
	return s;
}

static const char *const comments[] = {
	"制度には賛成ですが、処遇の公平性が心配です。",
	"戻ってきた人が前より良い条件になるなら、辞めずに頑張っている人が報われないと思います。",
	"情報管理のルールをはっきりさせてから始めてほしい。",
	"元同僚とまた働けるのは嬉しいです。交流イベントがあれば参加したい。",
	"Good idea, as long as the terms are transparent.",
};

/* Wordings that make every fourth comment its own text: one word
 * changed, so the report joins most of them to a commoner wording
 * (README, "Comments") and must find those pairs among thousands. */
static const char *const endings[] = {"", "以上です", "よろしくお願いします", "ぜひ", "特に",
                                      "個人的には", "正直", "今後"};

/* Seals n responses with answers driven by one attitude per person, so the
 * scales correlate as real ones do. */
static int
seal_all(struct db *db, const struct qn_survey *s, const struct db_survey *rec, size_t n)
{
	struct seal_key b;
	struct ans_set a;
	char seg[16], text[512];
	if (ans_set_new(s, &a) != KOE_OK || seal_key_new(&b, rec->report_pk) != KOE_OK)
		return -1;
	/* One server run: one sealing key, as `koe serve` stores it. */
	db_begin(db);
	if (db_seal_key_insert(db, s->id, b.epk) != KOE_OK)
		return -1;
	for (size_t r = 0; r < n; r++) {
		uint8_t receipt[32], *box;
		size_t nboxes;
		double att = uniform() * 2 - 1;
		int g = (int)(uniform() * uniform() * NGROUPS);
		if (r % 4096 == 0 && r) {
			db_commit(db);
			db_begin(db);
		}
		snprintf(seg, sizeof(seg), "g%02d", g + 1);
		memset(a.v, 0, a.n * sizeof(*a.v));
		for (size_t i = 0; i < s->nitems; i++) {
			const struct qn_item *it = &s->items[i];
			const struct qn_question *q = &s->questions[it->question];
			struct ans_value *v = &a.v[i];
			v->present = uniform() > 0.03;
			switch (it->kind) {
			case QN_ITEM_LIKERT: {
				double x = 3 + 1.6 * att + (uniform() - 0.5) * 2.4;
				int k = (int)(x + 0.5);
				k = k < 1 ? 1 : k > 5 ? 5 : k;
				v->num = it->reverse ? 6 - k : k;
				break;
			}
			case QN_ITEM_NPS: {
				int k = (int)(6 + 4 * att + (uniform() - 0.5) * 4);
				v->num = k < 0 ? 0 : k > 10 ? 10 : k;
				break;
			}
			case QN_ITEM_CHOICE:
				v->num = q->choices[(size_t)(uniform() * (double)q->nchoices)].recode;
				break;
			case QN_ITEM_MULTI:
				v->nmulti = 0;
				for (size_t c = 0; c < q->nchoices; c++)
					if (uniform() < 0.35)
						v->multi[v->nmulti++] = q->choices[c].recode;
				break;
			case QN_ITEM_TEXT:
				v->present = r % 10 == 0;
				/* 10% answer; of those, 3 in 4 write one of five
				 * texts, the others a wording of their own. */
				if (r % 40 == 0)
					snprintf(text, sizeof(text), "%s%s%zu", endings[(r / 40) % 8],
					         comments[(r / 10) % 5], r / 40);
				else
					snprintf(text, sizeof(text), "%s", comments[(r / 10) % 5]);
				v->text = text;
				v->textlen = strlen(v->text);
				break;
			}
		}
		randombytes_buf(receipt, sizeof(receipt));
		if (resp_seal(&b, s, seg, &a, &box, &nboxes) != KOE_OK ||
		    db_response_store(db, s->id, receipt, seg, box, nboxes) != KOE_OK) {
			fprintf(stderr, "insert failed: %s\n", db_errmsg(db));
			return -1;
		}
		free(box);
	}
	seal_key_wipe(&b);
	ans_set_free(&a);
	return db_commit(db) == KOE_OK ? 0 : -1;
}

/* Runs argv as a child; returns its exit status and fills its wall time
 * and peak RSS (KiB). */
static int
run_child(char *const argv[], double *secs, long *maxrss_kib)
{
	struct rusage ru;
	int st;
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		/* The command's own messages would interleave with ours. */
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(126);
		execv(argv[0], argv);
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) < 0)
		return -1;
	*secs = now() - t0;
	*maxrss_kib = ru.ru_maxrss;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	char koe[4096], dir[] = "/tmp/koe-bench-report-XXXXXX", path[256], pdfp[256], jsonp[256];
	char passp[256], passp2[256];
	struct koe_msg msg;
	struct koe_diags d = {0};
	struct qn_survey *s = NULL;
	struct db *db = NULL;
	struct db_survey rec = {0};
	uint8_t sk[SEAL_SK_BYTES];
	char *src;
	double t0, t1, best = 1e9;
	long rss = 0;

	if (argc > 2) {
		snprintf(koe, sizeof(koe), "%s", argv[2]);
	} else {
		ssize_t l = readlink("/proc/self/exe", koe, sizeof(koe) - 8);
		if (l < 0)
			return 1;
		koe[l] = '\0';
		char *slash = strrchr(koe, '/');
		snprintf(slash ? slash + 1 : koe, 8, "koe");
	}
	/* The default Argon2id cost, as a real report pays it. */
	unsetenv("KOE_KDF_MEMLIMIT");
	unsetenv("SOURCE_DATE_EPOCH");
	if (sodium_init() < 0 || mkdtemp(dir) == NULL || (src = survey_text()) == NULL)
		return 1;
	if (qn_parse(src, strlen(src), "bench.txt", &s, &d) != KOE_OK) {
		koe_diags_print(&d, "bench survey", stderr);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/koe.db", dir);
	snprintf(pdfp, sizeof(pdfp), "%s/report.pdf", dir);
	snprintf(jsonp, sizeof(jsonp), "%s/report.json", dir);
	snprintf(passp, sizeof(passp), "%s/pass.txt", dir);
	snprintf(passp2, sizeof(passp2), "%s/pass2.txt", dir);
	FILE *pf = fopen(passp, "w");
	if (pf == NULL || fputs(PASS "\n", pf) < 0 || fclose(pf) != 0)
		return 1;
	pf = fopen(passp2, "w");
	if (pf == NULL || fputs(PASS2 "\n", pf) < 0 || fclose(pf) != 0)
		return 1;
	if (db_open(path, DB_CREATE, &db, &msg) != KOE_OK)
		return 1;
	rec.id = (char *)s->id;
	rec.title = (char *)s->title;
	rec.base_url = "https://x";
	rec.source = (uint8_t *)src;
	rec.source_len = strlen(src);
	rec.invited = (int64_t)(n + n / 4);
	snprintf(rec.key_id, sizeof(rec.key_id), "%064d", 0);
	/* Two key holders, as the README advises and `koe demo` does. */
	struct seal_holder holders[2];
	if (seal_holder_new(s->id, "HR", PASS, strlen(PASS), &holders[0]) != KOE_OK ||
	    seal_holder_new(s->id, "Rep", PASS2, strlen(PASS2), &holders[1]) != KOE_OK ||
	    seal_holders_key(holders, 2, rec.report_pk) != KOE_OK || db_begin(db) != KOE_OK ||
	    db_survey_insert(db, &rec) != KOE_OK ||
	    db_holder_insert(db, s->id, 0, &holders[0]) != KOE_OK ||
	    db_holder_insert(db, s->id, 1, &holders[1]) != KOE_OK ||
	    db_storage_reserve_for(db, s->id, rec.invited) != KOE_OK ||
	    db_commit(db) != KOE_OK)
		return 1;
	for (int g = 0; g < NGROUPS; g++) {
		char code[16], label[64];
		snprintf(code, sizeof(code), "g%02d", g + 1);
		snprintf(label, sizeof(label), "部署%02d / %s", g / 3 + 1,
		         g % 3 == 0 ? "1-3年" : g % 3 == 1 ? "3-10年" : "10年以上");
		db_segment_insert(db, s->id, code, label, (int64_t)(n + n / 4) / NGROUPS + 1);
	}
	printf("questionnaire: %zu items, %zu scales, %d groups\n", s->nitems, s->nscales, NGROUPS);
	t0 = now();
	if (seal_all(db, s, &rec, n) != 0)
		return 1;
	printf("sealed and stored %zu responses in %.1f s (not timed below)\n", n, now() - t0);
	db_close(db);
	db = NULL;

	char *close_argv[] = {koe, "close", "--yes", "--db", path, NULL};
	double cs;
	long crss;
	if (run_child(close_argv, &cs, &crss) != 0) {
		fprintf(stderr, "koe close failed\n");
		return 1;
	}

	char *report_argv[] = {koe, "report", "--db", path, "--passphrase-file", passp,
	                       "--passphrase-file", passp2, "--out", pdfp,
	                       "--json", jsonp, NULL};
	for (int rep = 0; rep < 3; rep++) {
		double secs;
		long kib;
		if (run_child(report_argv, &secs, &kib) != 0) {
			fprintf(stderr, "koe report failed\n");
			return 1;
		}
		printf("koe report run %d: %.2f s wall, peak RSS %.1f MiB\n", rep + 1, secs,
		       (double)kib / 1024);
		if (secs < best)
			best = secs;
		if (kib > rss)
			rss = kib;
	}
	struct {
		long pdf, json;
	} sz = {0, 0};
	FILE *fp = fopen(pdfp, "rb");
	if (fp) {
		fseek(fp, 0, SEEK_END);
		sz.pdf = ftell(fp);
		fclose(fp);
	}
	fp = fopen(jsonp, "rb");
	if (fp) {
		fseek(fp, 0, SEEK_END);
		sz.json = ftell(fp);
		fclose(fp);
	}
	printf("RESULT koe report, %zu responses x %zu items: best %.2f s wall (target 3 s), "
	       "peak RSS %.1f MiB (target 300 MB = 286 MiB); PDF %.1f MiB, JSON %.1f KiB\n",
	       n, s->nitems, best, (double)rss / 1024, (double)sz.pdf / 1048576,
	       (double)sz.json / 1024);

	/* Where the time goes, in-process (one run each). */
	struct resp_table *t = NULL;
	struct db_segment *segs = NULL;
	size_t nsegs = 0;
	struct report *r = NULL;
	uint8_t *pdf = NULL;
	size_t pdflen = 0, jlen = 0;
	char *js = NULL;
	struct report_options ro = {.epoch = 1796083200};
	if (db_open(path, 0, &db, &msg) != KOE_OK ||
	    db_survey_get(db, s->id, &rec) != KOE_OK ||
	    db_segments_get(db, s->id, &segs, &nsegs) != KOE_OK)
		return 1;
	t0 = now();
	{
		const char *pw[] = {PASS, PASS2};
		size_t pl[] = {strlen(PASS), strlen(PASS2)};
		if (resp_unlock(db, &rec, pw, pl, 2, sk) != KOE_OK)
			return 1;
	}
	t1 = now();
	printf("  two holders' passphrases (Argon2id, 128 MiB each): %.3f s\n", t1 - t0);
	t0 = t1;
	if (resp_open_all(db, &rec, s, sk, NULL, &t) != KOE_OK)
		return 1;
	t1 = now();
	printf("  open %zu responses: %.3f s\n", t->n, t1 - t0);
	struct report_source rs = {.survey = s, .rec = &rec, .segs = segs, .nsegs = nsegs, .table = t};
	t0 = t1;
	if (report_compute(&rs, &ro, &r) != KOE_OK)
		return 1;
	t1 = now();
	printf("  statistics and figures: %.3f s\n", t1 - t0);
	t0 = t1;
	if (report_pdf(r, &pdf, &pdflen, &msg) != KOE_OK) {
		fprintf(stderr, "pdf: %s\n", msg.text);
		return 1;
	}
	t1 = now();
	printf("  PDF layout (%zu comments): %.3f s\n", t->ntexts, t1 - t0);
	t0 = t1;
	if (report_json(r, &js, &jlen) != KOE_OK)
		return 1;
	printf("  JSON: %.3f s\n", now() - t0);

	free(js);
	free(pdf);
	report_free(r);
	resp_table_free(t);
	db_segments_free(segs, nsegs);
	db_survey_clear(&rec);
	db_close(db);
	sodium_memzero(sk, sizeof(sk));
	qn_survey_free(s);
	koe_diags_free(&d);
	free(src);
	if (getenv("KOE_BENCH_KEEP")) {
		printf("kept %s\n", dir);
		return 0;
	}
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	return system(path) == 0 ? 0 : 1;
}
