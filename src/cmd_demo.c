/* koe demo — the whole product end to end on the embedded example: a
 * generated roster, two key holders, the survey opened, `koe serve` with
 * simulated employees answering through the real HTTP protocol and real
 * tokens, closed, reported; then a second survey served live for a person
 * to try. It calls the operations of include/koe/survey.h, as the commands
 * do, and prints what each command would. */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "koe/mail.h"
#include "koe/invite.h"
#include "koe/csv.h"
#include "koe/holder.h"
#include "koe/http.h"
#include "koe/qn.h"
#include "koe/roster.h"
#include "koe/survey.h"
#include "koe/util.h"

/* The synopsis of usage errors; the help below spells it out on its own lines. */
#define USAGE "[--dir DIR] [--reports DIR] [--listen ADDR:PORT] [--no-serve]"

static const char *const C = "demo";

extern const unsigned char demo_alumni_readiness_txt[];
extern const size_t demo_alumni_readiness_txt_len;

/* Two key holders, as the README advises: HR and an employee
 * representative. Their passphrases sit in files only because this is a
 * demo; real holders type theirs. */
#define DEMO_PASS_HR  "koe demo: HR passphrase (not for real surveys)"
#define DEMO_PASS_REP "koe demo: representative passphrase (not for real surveys)"
#define DEMO_THREADS 8

/* Departments and their sizes: one with a morale problem (カスタマーサポート),
 * small ones that the grouping must merge (法務部, 経営企画室). */
static const struct { const char *name; int n; } depts[] = {
	{"営業部", 110}, {"開発部", 130}, {"カスタマーサポート", 70}, {"人事部", 24},
	{"経理部", 18}, {"経営企画室", 9}, {"法務部", 4},
};
static const char *const bands[] = {"1年未満", "1-3年", "3-5年", "5-10年", "10年以上"};

/* The demo's files and what it keeps between steps. */
struct demo {
	const char *dir, *reports, *listen;
	char survey[PATH_MAX], roster[PATH_MAX], pass[PATH_MAX], pass2[PATH_MAX], db[PATH_MAX], key[PATH_MAX],
	        links[PATH_MAX], holder1[PATH_MAX], holder2[PATH_MAX], pdf[PATH_MAX], json[PATH_MAX], live_db[PATH_MAX],
	        live_links[PATH_MAX], live_roster[PATH_MAX];
	struct qn_survey *q;
	struct koe_diags d;
	struct survey_sim_person *people;
	char (*codes)[INVITE_CODE_LEN + 1];
	size_t n;
	struct seal_holder holders[2];
	/* Two waves (README, the demo): 0 the survey before the launch, 1 the
	 * one after it, whose report is compared with the first's. */
	int wave;
	const char *src; /* the wave's questionnaire */
	size_t src_len;
	char *after_src;
	char prev_json[PATH_MAX];
};

static void
remove_demo_files(const char *dir)
{
	static const char *const names[] = {
		"demo.db", "demo.db-wal", "demo.db-shm", "live.db", "live.db-wal", "live.db-shm",
		"links.csv", "live-links.csv", "roster.csv", "live-roster.csv", "holder-hr.txt",
		"holder-rep.txt", "passphrase.txt", "before.db", "before.db-wal", "before.db-shm",
		"links-before.csv", "holder-hr-before.txt", "holder-rep-before.txt",
	};
	char path[PATH_MAX];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
}

/* Writes a CSV in memory with the one CSV writer, then to path. */
struct csv_out {
	char *buf;
	size_t len;
	FILE *f;
};

static int
csv_save(struct csv_out *o, const char *path)
{
	int rc = fclose(o->f) != 0 || util_write_file_atomic(path, o->buf, o->len) != KOE_OK;
	o->f = NULL;
	return rc ? -1 : 0;
}

/* Step 1: the roster, a believable company whose people tell a story. */
static int
make_roster(struct demo *dm, struct csv_out *o)
{
	struct survey_rng r = {.s = 20261122};

	for (size_t i = 0; i < sizeof(depts) / sizeof(depts[0]); i++)
		dm->n += (size_t)depts[i].n;
	dm->people = calloc(dm->n, sizeof(*dm->people));
	dm->codes = calloc(dm->n, sizeof(*dm->codes));
	if (dm->people == NULL || dm->codes == NULL || (o->f = open_memstream(&o->buf, &o->len)) == NULL)
		return -1;
	fputs("employee_id,email,name,department,tenure\r\n", o->f);
	for (size_t i = 0, k = 0; i < sizeof(depts) / sizeof(depts[0]); i++)
		for (int j = 0; j < depts[i].n; j++, k++) {
			struct survey_sim_person *p = &dm->people[k];
			double u = survey_rng_unit(&r);
			p->dept = depts[i].name;
			/* The support centre is younger; 法務部 are veterans. */
			size_t band = strcmp(p->dept, "カスタマーサポート") == 0 ? (size_t)(u * 3)
			            : strcmp(p->dept, "法務部") == 0       ? 4
			                                                    : (size_t)(u * 5);
			p->tenure = bands[band];
			u = survey_rng_unit(&r);
			p->answers = u < 0.78 ? 2 : u < 0.84 ? 1 : 0;
			char id[32], mail[64], name[64];
			snprintf(id, sizeof(id), "E%05zu", k + 1);
			snprintf(mail, sizeof(mail), "employee%zu@example.jp", k + 1);
			snprintf(name, sizeof(name), "社員 %zu", k + 1);
			const char *cells[] = {id, mail, name, p->dept, p->tenure};
			csv_row(o->f, cells, 5, "\r\n");
		}
	return csv_save(o, dm->roster);
}

/* Step 2: each key holder makes their share, as `koe holder` does. */
static int
make_holder(struct demo *dm, size_t i, const char *name, const char *pass, const char *path)
{
	char text[HOLDER_FILE_MAX];
	enum koe_err err;

	fflush(stdout); /* ordered with what the step prints on stderr */
	err = seal_holder_new(dm->q->id, name, pass, strlen(pass), &dm->holders[i]);

	if (err != KOE_OK) {
		cli_err(C, "cannot make the key share: %s", koe_strerror(err));
		return -1;
	}
	if (holder_format(&dm->holders[i], dm->q->id, text, sizeof(text)) != KOE_OK ||
	    util_write_file_atomic(path, text, strlen(text)) != KOE_OK) {
		/* (the demo removed its old holder files, so replacing is moot) */
		cli_err(C, "cannot write '%s': %s", path, strerror(errno));
		return -1;
	}
	cli_holder_print_wrote(path, name, dm->q->id);
	return 0;
}

static int
demo_holders(void *ctx, const char *survey, struct seal_holder *h, size_t *n,
             struct koe_msg *msg)
{
	const struct demo *dm = ctx;
	(void)survey;
	(void)msg;
	memcpy(h, dm->holders, sizeof(dm->holders));
	*n = 2;
	return 0;
}

static void
open_progress(void *ctx, size_t done, size_t total)
{
	(void)ctx;
	cli_progress("creating invitations", done, total);
}

static void
sim_progress(void *ctx, size_t done, size_t total)
{
	(void)ctx;
	cli_progress("simulated employees", done, total);
}

/* Opens a survey of the embedded questionnaire, as `koe open --holder
 * --holder` does, keeping the first max invitation codes in codes. */
static int
open_survey(struct demo *dm, const char *roster_path, const char *db_path,
            const char *links_path, const char *base_url, char (*codes)[INVITE_CODE_LEN + 1], size_t max)
{
	char *rbuf = NULL;
	size_t rlen = 0;
	struct roster *ro = NULL;
	struct seg_table *segs = NULL;
	struct db *db = NULL;
	struct cli_links links = {.cmd = C, .path = links_path, .codes = codes, .maxcodes = max};
	struct survey_open_result res;
	struct koe_msg msg = {{0}};
	enum koe_err err = KOE_EINVAL;

	fflush(stdout);
	if (util_read_file(roster_path, ROSTER_MAX_BYTES, &rbuf, &rlen) != KOE_OK ||
	    roster_parse(rbuf, rlen, dm->q->segments, dm->q->nsegments, &ro, &dm->d) != KOE_OK) {
		koe_diags_print(&dm->d, roster_path, stderr);
		cli_err(C, "cannot read the roster '%s'", roster_path);
		goto done;
	}
	if (survey_groups(dm->q, ro, &segs, &msg) != KOE_OK ||
	    (db = cli_open_db(C, db_path, true)) == NULL)
		goto done;
	struct survey_open_req req = {
		.survey = dm->q, .source = dm->src, .source_len = dm->src_len, .roster = ro, .groups = segs,
		.base_url = base_url, .db = db, .db_name = db_path, .key_path = dm->key,
		.holders = demo_holders, .links = cli_links_sink(&links), .progress = open_progress,
		.ctx = dm,
	};
	err = survey_open(&req, &res, &msg);
	cli_links_done(&links, err == KOE_OK);
	if (err != KOE_OK)
		goto done;
	cli_open_print(&(struct cli_opened){.survey = dm->q, .groups = segs, .res = &res,
	                                    .invited = ro->nrows, .links_path = links_path,
	                                    .key_path = dm->key, .base_url = base_url,
	                                    .db_opt = db_path});
	if (links.ncodes != (max < ro->nrows ? max : ro->nrows)) {
		cli_err(C, "the links file does not hold %zu links", max);
		err = KOE_EINVAL;
	}
done:
	if (err != KOE_OK && msg.text[0])
		cli_err(C, "%s", msg.text);
	db_close(db);
	seg_table_free(segs);
	roster_free(ro);
	free(rbuf);
	return err == KOE_OK ? 0 : -1;
}

/* Step 3: `koe serve`, and the employees answering over HTTP. */
static int
demo_answer(struct demo *dm)
{
	struct http_config cfg;
	struct http_server *srv = NULL;
	struct survey_sim_result res;
	struct koe_msg msg, why;

	http_config_defaults(&cfg);
	cfg.db_path = dm->db;
	cfg.key_path = dm->key;
	cfg.port = 0;
	cfg.max_per_ip = 0;
	if (http_start(&cfg, &srv, &why) != KOE_OK) {
		cli_err(C, "%s", why.text);
		return -1;
	}
	struct survey_sim_req req = {.survey = dm->q, .people = dm->people,
	                             .codes = (const char (*)[INVITE_CODE_LEN + 1])dm->codes, .n = dm->n,
	                             .port = http_port(srv), .threads = DEMO_THREADS,
	                             .wave = dm->wave, .progress = sim_progress};
	printf("\n3. koe serve is answering on http://127.0.0.1:%u; the simulated employees "
	       "open their links, fetch blinded tokens and answer...\n",
	       (unsigned)req.port);
	fflush(stdout);
	enum koe_err err = survey_simulate(&req, &res, &msg);
	http_stop(srv);
	if (err != KOE_OK) {
		cli_err(C, "%s", msg.text);
		return -1;
	}
	printf("   %zu answered, %zu opened their link without answering, %zu never opened it",
	       res.answered, res.opened_only, dm->n - res.answered - res.opened_only - res.failed);
	if (res.failed)
		printf(", %zu failed", res.failed);
	printf(".\n\n");
	return res.failed ? -1 : 0;
}

/* Step 5: close, as `koe close --yes` does. */
static int
demo_close(struct demo *dm)
{
	struct db *db = NULL;
	struct db_survey rec = {0};
	struct survey_close_result res;
	struct koe_msg msg;
	char *id = NULL;
	int rc = -1;

	fflush(stdout);
	if (cli_open_survey(C, dm->db, NULL, &db, &id, &rec) != 0)
		return -1;
	if (survey_close(db, id, &res, &msg) != KOE_OK)
		cli_err(C, "%s", msg.text);
	else {
		cli_close_print(id, &res, dm->db);
		rc = 0;
	}
	db_survey_clear(&rec);
	free(id);
	db_close(db);
	return rc;
}

struct report_ctx {
	struct db *db;
	const struct db_survey *rec;
};

/* The report's key: both holders' passphrases, from memory here. */
static int
demo_unlock(void *ctx, bool interim, bool final_anyway, uint8_t *sk, struct koe_msg *msg)
{
	const struct report_ctx *rc = ctx;
	const struct db_survey *rec = rc->rec;
	struct db *db = rc->db;
	const char *pass[] = {DEMO_PASS_HR, DEMO_PASS_REP};
	struct survey_unlock u;
	size_t which;
	enum koe_err err;

	(void)interim;
	(void)final_anyway;
	if (sk == NULL)
		return 0;
	err = survey_unlock_begin(&u, db, rec->id, msg);
	for (size_t i = 0; i < 2 && err == KOE_OK; i++)
		if ((err = survey_unlock_try(&u, SIZE_MAX, pass[i], strlen(pass[i]), &which)) != KOE_OK)
			koe_msg_set(msg, err, "the demo's passphrases do not open the report key");
	if (err == KOE_OK && (err = survey_unlock_finish(&u, rec, msg)) == KOE_OK)
		memcpy(sk, u.sk, SEAL_SK_BYTES);
	survey_unlock_wipe(&u);
	return err == KOE_OK ? 0 : -1;
}

/* Step 6: the report, as `koe report` does with both passphrase files. */
static int
demo_report(struct demo *dm)
{
	struct db *db = NULL;
	struct db_survey rec = {0};
	struct survey_report_result res = {0};
	struct koe_msg msg;
	char *id = NULL;
	int64_t epoch;
	int rc = -1;

	fflush(stdout);
	if (!util_report_epoch(&epoch)) {
		cli_err(C, "SOURCE_DATE_EPOCH must be a whole number of seconds since 1970");
		return -1;
	}
	if (cli_open_survey(C, dm->db, NULL, &db, &id, &rec) != 0)
		return -1;
	/* The second wave's report is compared with the first's, as
	 * `koe report --compare` does. */
	char *prev = NULL;
	size_t prev_len = 0;
	if (dm->wave == 1 &&
	    util_read_file(dm->prev_json, (size_t)256 << 20, &prev, &prev_len) != KOE_OK) {
		cli_err(C, "cannot read '%s': %s", dm->prev_json, strerror(errno));
		cli_survey_release(db, id, &rec);
		return -1;
	}
	struct report_ctx ctx = {.db = db, .rec = &rec};
	struct survey_report_req req = {.db = db, .rec = &rec, .json = true, .epoch = epoch,
	                                .compare = prev, .compare_len = prev_len,
	                                .compare_name = dm->prev_json,
	                                .ready = demo_unlock, .ctx = &ctx};
	if (survey_report(&req, &res, &msg) != KOE_OK)
		cli_err(C, "%s", msg.text);
	else
		rc = cli_report_save(id, dm->pdf, dm->json, &res) == 0 ? 0 : -1;
	survey_report_result_free(&res);
	free(prev);
	db_survey_clear(&rec);
	free(id);
	db_close(db);
	return rc;
}

/* Step 7: a second survey, live, for a person to answer in a browser. */
static int
demo_live(struct demo *dm)
{
	char base_url[256], live[12][INVITE_CODE_LEN + 1];
	struct csv_out o = {0};

	snprintf(base_url, sizeof(base_url), "http://%s", dm->listen);
	if ((o.f = open_memstream(&o.buf, &o.len)) == NULL)
		return 1;
	fputs("employee_id,email,name,department,tenure\r\n", o.f);
	for (int i = 1; i <= 12; i++) {
		char id[16], mail[48], name[48];
		snprintf(id, sizeof(id), "T%02d", i);
		snprintf(mail, sizeof(mail), "tester%d@example.jp", i);
		snprintf(name, sizeof(name), "テスト %d", i);
		const char *cells[] = {id, mail, name, "営業部", i % 2 ? "1-3年" : "3-5年"};
		csv_row(o.f, cells, 5, "\r\n");
	}
	int bad = csv_save(&o, dm->live_roster);
	free(o.buf);
	if (bad)
		return 1;
	printf("\n7. A second survey for you to try, in %s:\n", dm->live_db);
	if (open_survey(dm, dm->live_roster, dm->live_db, dm->live_links, base_url, live, 12) != 0)
		return 1;
	printf("\nOpen one of these links in a browser (each works once):\n");
	for (size_t i = 0; i < 5; i++)
		printf("  %s/s/%s\n", base_url, live[i]);
	printf("\nWhile it runs, see the count from another terminal:\n"
	       "  %s status --db %s\n"
	       "Press Ctrl-C to stop. Then close it and write its report (the two key\n"
	       "holders' passphrases are in %s and %s):\n"
	       "  %s close --db %s --yes\n"
	       "  %s report --db %s --out %s/live.pdf --passphrase-file %s "
	       "--passphrase-file %s\n\n",
	       cli_self, dm->live_db, dm->pass, dm->pass2, cli_self, dm->live_db, cli_self,
	       dm->live_db, dm->reports, dm->pass, dm->pass2);
	fflush(stdout);
	return cli_serve(dm->listen, dm->live_db, dm->key);
}

/* Steps 1 and 2: the files, the holders and the survey opened. */
static int
demo_prepare(struct demo *dm)
{
	struct csv_out o = {0};
	int bad;

	if (util_write_file_atomic(dm->survey, dm->src, dm->src_len) != KOE_OK ||
	    util_write_file_atomic(dm->pass, DEMO_PASS_HR "\n", strlen(DEMO_PASS_HR) + 1) != KOE_OK ||
	    util_write_file_atomic(dm->pass2, DEMO_PASS_REP "\n", strlen(DEMO_PASS_REP) + 1) != KOE_OK) {
		cli_err(C, "cannot write into '%s': %s", dm->dir, strerror(errno));
		return -1;
	}
	qn_survey_free(dm->q);
	dm->q = NULL;
	if (qn_parse(dm->src, dm->src_len, dm->survey, &dm->q, &dm->d) != KOE_OK) {
		koe_diags_print(&dm->d, dm->survey, stderr);
		return -1;
	}
	/* The same company answers both waves; who takes part varies. */
	bad = dm->wave == 0 ? make_roster(dm, &o) : 0;
	if (dm->wave == 1) {
		struct survey_rng r = {.s = 20271122};
		for (size_t i = 0; i < dm->n; i++) {
			double u = survey_rng_unit(&r);
			dm->people[i].answers = u < 0.8 ? 2 : u < 0.85 ? 1 : 0;
		}
	}
	if (o.f)
		fclose(o.f);
	free(o.buf);
	if (bad) {
		cli_err(C, "cannot write '%s': %s", dm->roster, strerror(errno));
		return -1;
	}
	printf("1. Questionnaire %s (%zu questions, %zu answer items) and a roster of %zu "
	       "employees in %s.\n\n",
	       dm->survey, dm->q->nquestions, dm->q->nitems, dm->n, dm->roster);

	printf("2. Two key holders, each on their own machine:\n"
	       "   $ koe holder %s --name 人事部 --out %s\n"
	       "   $ koe holder %s --name 従業員代表 --out %s\n",
	       dm->survey, dm->holder1, dm->survey, dm->holder2);
	if (make_holder(dm, 0, "人事部", DEMO_PASS_HR, dm->holder1) != 0 ||
	    make_holder(dm, 1, "従業員代表", DEMO_PASS_REP, dm->holder2) != 0)
		return -1;
	printf("\n   $ koe open %s --roster %s --holder %s --holder %s --base-url http://127.0.0.1 "
	       "...\n\n",
	       dm->survey, dm->roster, dm->holder1, dm->holder2);
	return open_survey(dm, dm->roster, dm->db, dm->links, "http://127.0.0.1", dm->codes, dm->n);
}

static void
demo_paths(struct demo *dm)
{
	const char *dir = dm->dir, *reports = dm->reports;
	/* The first wave's files carry "-before"; the second's have the names
	 * a single survey's would. */
	const char *w = dm->wave == 0 ? "-before" : "";
	snprintf(dm->survey, sizeof(dm->survey), "%s/alumni-readiness%s.txt", dir,
	         dm->wave == 0 ? "" : "-after");
	snprintf(dm->roster, sizeof(dm->roster), "%s/roster.csv", dir);
	snprintf(dm->pass, sizeof(dm->pass), "%s/passphrase-hr.txt", dir);
	snprintf(dm->pass2, sizeof(dm->pass2), "%s/passphrase-rep.txt", dir);
	snprintf(dm->holder1, sizeof(dm->holder1), "%s/holder-hr%s.txt", dir, w);
	snprintf(dm->holder2, sizeof(dm->holder2), "%s/holder-rep%s.txt", dir, w);
	snprintf(dm->db, sizeof(dm->db), "%s/%s.db", dir, dm->wave == 0 ? "before" : "demo");
	snprintf(dm->key, sizeof(dm->key), "%s/koe.key", dir);
	snprintf(dm->links, sizeof(dm->links), "%s/links%s.csv", dir, w);
	snprintf(dm->pdf, sizeof(dm->pdf), "%s/demo%s.pdf", reports, w);
	snprintf(dm->json, sizeof(dm->json), "%s/demo%s.json", reports, w);
	snprintf(dm->prev_json, sizeof(dm->prev_json), "%s/demo-before.json", reports);
	snprintf(dm->live_db, sizeof(dm->live_db), "%s/live.db", dir);
	snprintf(dm->live_links, sizeof(dm->live_links), "%s/live-links.csv", dir);
	snprintf(dm->live_roster, sizeof(dm->live_roster), "%s/live-roster.csv", dir);
}

/* The second wave's questionnaire: the embedded one as a new survey (its
 * own id, title and closing day), the same questions, so that its report
 * can be compared with the first's. NULL when a header line it replaces is
 * missing. Caller frees. */
static char *
after_source(size_t *len)
{
	static const char *const from[] = {"[[Survey:alumni-readiness-2026]]",
	                                   "[[Title:アルムナイ制度導入前 従業員意識調査]]",
	                                   "[[En:Employee survey before the alumni program launch]]",
	                                   "[[Closes:2026-12-15]]"};
	static const char *const to[] = {"[[Survey:alumni-readiness-2027]]",
	                                 "[[Title:アルムナイ制度導入後 従業員意識調査]]",
	                                 "[[En:Employee survey after the alumni program launch]]",
	                                 "[[Closes:2027-12-15]]"};
	size_t n = demo_alumni_readiness_txt_len;
	char *s = malloc(n + 256);
	if (s == NULL)
		return NULL;
	memcpy(s, demo_alumni_readiness_txt, n);
	s[n] = '\0';
	for (size_t i = 0; i < sizeof(from) / sizeof(from[0]); i++) {
		char *at = strstr(s, from[i]);
		size_t fl = strlen(from[i]), tl = strlen(to[i]);
		if (at == NULL || tl > fl + 64) {
			free(s);
			return NULL;
		}
		memmove(at + tl, at + fl, n - (size_t)(at - s) - fl + 1);
		memcpy(at, to[i], tl);
		n = n - fl + tl;
	}
	*len = n;
	return s;
}

/* The link in one dry-run message: the body is base64 UTF-8 (mail.h);
 * the code follows "/s/". 0, or -1 when the file has none. */
static int
eml_link_code(const char *path, char code[INVITE_CODE_LEN + 1])
{
	char *text = NULL, *body, *plain = NULL, *at;
	size_t len = 0, plen = 0;
	int rc = -1;

	if (util_read_file(path, 1 << 20, &text, &len) != KOE_OK)
		return -1;
	body = strstr(text, "\r\n\r\n");
	if (body != NULL && (plain = malloc(len + 1)) != NULL &&
	    sodium_base642bin((unsigned char *)plain, len, body + 4, strlen(body + 4), "\r\n",
	                      &plen, NULL, sodium_base64_VARIANT_ORIGINAL) == 0) {
		plain[plen] = '\0';
		if ((at = strstr(plain, "/s/")) != NULL && strlen(at + 3) >= INVITE_CODE_LEN) {
			memcpy(code, at + 3, INVITE_CODE_LEN);
			code[INVITE_CODE_LEN] = '\0';
			rc = 0;
		}
	}
	free(plain);
	free(text);
	return rc;
}

/* The invitations go out by e-mail, as a real survey's would: here with
 * --dry-run, one .eml file per employee in DIR/outbox, each carrying a new
 * link (the links file's are replaced). The simulated employees then read
 * their links from those messages. */
static int
demo_mail(struct demo *dm)
{
	char outbox[PATH_MAX + 16], path[PATH_MAX + 16 + 260];
	struct mail_config cfg = {.from = "hr@example.jp", .rate = 100000, .dry_run_dir = outbox};
	struct mail_template tmpl = {0};
	struct mail_sender *sender = NULL;
	struct survey_mail_result res = {0};
	struct koe_msg msg = {{0}};
	struct db *db = NULL;
	struct db_survey rec = {0};
	char *id = NULL;
	int rc = -1;

	snprintf(outbox, sizeof(outbox), "%s/outbox", dm->dir);
	printf("   $ koe send --from hr@example.jp --dry-run %s\n"
	       "   (the invitations as e-mail files, each with a new link that replaces the one in\n"
	       "   the links file; a real survey gives --smtp smtp://relay... instead)\n",
	       outbox);
	if (mkdir(outbox, 0700) != 0 && errno != EEXIST) {
		cli_err(C, "cannot create '%s': %s", outbox, strerror(errno));
		return -1;
	}
	{
		/* What an earlier demo left: the names hold a sequence number. */
		DIR *dir = opendir(outbox);
		struct dirent *e;
		while (dir != NULL && (e = readdir(dir)) != NULL)
			if (strstr(e->d_name, ".eml") != NULL) {
				snprintf(path, sizeof(path), "%s/%s", outbox, e->d_name);
				unlink(path);
			}
		if (dir)
			closedir(dir);
	}
	if (mail_template_default(MAIL_INVITATION, &tmpl) != KOE_OK ||
	    mail_sender_new(&cfg, &sender, &msg) != KOE_OK) {
		cli_err(C, "%s", msg.text[0] ? msg.text : "cannot prepare the e-mail");
		goto done;
	}
	if (cli_open_survey(C, dm->db, NULL, &db, &id, &rec) != 0)
		goto done;
	struct survey_mail_req req = {.db = db, .rec = &rec, .key_path = dm->key,
	                              .kind = MAIL_INVITATION, .tmpl = &tmpl, .sender = sender,
	                              .dry_run = true, .closes = dm->q->closes};
	if (survey_mail(&req, &res, &msg) != KOE_OK || res.stopped || res.sent != dm->n) {
		cli_err(C, "%s", msg.text[0] ? msg.text : res.why.text);
		goto done;
	}
	/* Files NNNNN-EMPLOYEE.eml; the roster's employee E%05zu is person i. */
	{
		DIR *dir = opendir(outbox);
		struct dirent *e;
		size_t found = 0;
		while (dir != NULL && (e = readdir(dir)) != NULL) {
			unsigned seq;
			size_t emp;
			char tail[8];
			if (sscanf(e->d_name, "%5u-E%5zu.%4s", &seq, &emp, tail) != 3 ||
			    strcmp(tail, "eml") != 0 || emp == 0 || emp > dm->n)
				continue;
			snprintf(path, sizeof(path), "%s/%s", outbox, e->d_name);
			if (eml_link_code(path, dm->codes[emp - 1]) == 0)
				found++;
		}
		if (dir)
			closedir(dir);
		if (found != dm->n) {
			cli_err(C, "found %zu links in %s, want %zu", found, outbox, dm->n);
			goto done;
		}
	}
	printf("   %zu messages written; the simulated employees read their links from them.\n\n",
	       res.sent);
	rc = 0;
done:
	mail_sender_free(sender);
	mail_template_free(&tmpl);
	cli_survey_release(db, id, &rec);
	return rc;
}

/* One survey from the questionnaire to its report: steps 1 to 6. */
static int
demo_wave(struct demo *dm)
{
	demo_paths(dm);
	if (demo_prepare(dm) != 0 || demo_mail(dm) != 0 || demo_answer(dm) != 0)
		return 1;
	printf("4. $ koe status\n");
	fflush(stdout);
	if (cli_status_print(dm->db, NULL) != 0)
		return 1;
	printf("\n5. $ koe close --yes\n");
	if (demo_close(dm) != 0)
		return 1;
	if (dm->wave == 0)
		printf("\n6. $ koe report --out %s --json %s  (both holders' passphrases)\n", dm->pdf,
		       dm->json);
	else
		printf("\n6. $ koe report --out %s --json %s --compare %s\n", dm->pdf, dm->json,
		       dm->prev_json);
	return demo_report(dm) != 0;
}

static int
demo_run(struct demo *dm, bool serve)
{
	printf("== koe demo: two whole surveys, end to end, in %s/ ==\n\n"
	       "== Survey 1 of 2: before the alumni program launches ==\n\n",
	       dm->dir);
	dm->wave = 0;
	dm->src = (const char *)demo_alumni_readiness_txt;
	dm->src_len = demo_alumni_readiness_txt_len;
	if (demo_wave(dm) != 0)
		return 1;
	printf("\n== Survey 2 of 2: a year later, after the launch; its report is compared with "
	       "the first ==\n\n");
	dm->wave = 1;
	if ((dm->after_src = after_source(&dm->src_len)) == NULL) {
		cli_err(C, "the embedded questionnaire lacks the header lines the second survey "
		           "replaces");
		return 1;
	}
	dm->src = dm->after_src;
	if (demo_wave(dm) != 0)
		return 1;
	printf("\nThe report for leadership, compared with the survey before the launch: %s\n"
	       "Every figure in it, and every change, as JSON: %s\n"
	       "The first survey's report: %s/demo-before.pdf\n",
	       dm->pdf, dm->json, dm->reports);
	return serve ? demo_live(dm) : 0;
}

static int
cmd_demo_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"dir", required_argument, NULL, 'd'},
		{"reports", required_argument, NULL, 'r'},
		{"listen", required_argument, NULL, 'l'},
		{"no-serve", no_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	struct demo *dm = calloc(1, sizeof(*dm));
	bool serve = true;
	int c, status;

	if (dm == NULL)
		return 1;
	dm->dir = "demo";
	dm->reports = "reports";
	dm->listen = "127.0.0.1:8080";
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dm->dir = optarg; break;
		case 'r': dm->reports = optarg; break;
		case 'l': dm->listen = optarg; break;
		case 'n': serve = false; break;
		default:
			free(dm);
			return cli_usage("demo", USAGE, NULL);
		}
	}
	if (optind != argc) {
		free(dm);
		return cli_usage_extra("demo", USAGE, argv[optind]);
	}
	if ((mkdir(dm->dir, 0700) != 0 && errno != EEXIST) ||
	    (mkdir(dm->reports, 0755) != 0 && errno != EEXIST)) {
		cli_err(C, "cannot create '%s' or '%s': %s", dm->dir, dm->reports, strerror(errno));
		free(dm);
		return 1;
	}
	remove_demo_files(dm->dir);
	status = demo_run(dm, serve);
	free(dm->after_src);
	qn_survey_free(dm->q);
	koe_diags_free(&dm->d);
	free(dm->people);
	free(dm->codes);
	free(dm);
	return status;
}

const struct cli_command cmd_demo = {
	.name = "demo",
	.summary = "run a whole example survey end to end, then serve one to try",
	.help =
	"usage: koe demo [--dir DIR] [--reports DIR] [--listen ADDR:PORT] [--no-serve]\n"
	"\n"
	"Runs the product end to end on the embedded example questionnaire, twice:\n"
	"writes a roster of about 360 employees, opens the survey, lets simulated\n"
	"employees answer through the real HTTP protocol with real blinded tokens,\n"
	"closes it and writes reports/demo-before.pdf and .json; then the same for the\n"
	"survey after the program's launch, whose report reports/demo.pdf (and\n"
	"demo.json) is compared with the first (--compare). Then it opens a third\n"
	"survey and serves it on ADDR:PORT (default 127.0.0.1:8080), printing links\n"
	"you can open in a browser, until Ctrl-C. Its files go to DIR (default demo/).\n"
	"\n"
	"  --no-serve   stop after the report\n",
	.run = cmd_demo_run,
};
