/* docs/ARCHITECTURE.md §4.1, attack 1 of the anonymity issue: HR sees that
 * one employee has just fetched a token and that one more answer came in,
 * takes a copy of the database and opens "the new answer" with the report
 * passphrase it holds. With the report key split between HR and an
 * employee representative, HR's passphrase opens nothing: not through
 * `koe report`, not with the library on a copy. Both passphrases together,
 * in either order, open everything. Holder files made for another survey,
 * altered, or given twice are refused by `koe open`. */
#include "server_fixture.h"

#include "koe/db.h"
#include "koe/qn.h"
#include "koe/resp.h"

#define HR_PASS  "HR's own passphrase, long enough"
#define REP_PASS "the representative's passphrase"

static struct srv s;

static int
file_contains_text(const char *path, const char *needle)
{
	char buf[65536];
	FILE *f = fopen(path, "rb");
	size_t n;
	if (f == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	return strstr(buf, needle) != NULL;
}

static void
write_text(const char *dir, const char *name, const char *text)
{
	char path[600];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (f == NULL || fputs(text, f) == EOF || fclose(f) != 0)
		exit(2);
}

static void
open_with_two_holders(void)
{
	const char *bin = getenv("KOE_BIN"), *src = getenv("KOE_SRC");
	char path[600];
	FILE *f;

	memset(&s, 0, sizeof(s));
	s.pid = -1;
	setenv("KOE_KDF_MEMLIMIT", "8388608", 1);
	snprintf(s.dir, sizeof(s.dir), "/tmp/koe-holders-XXXXXX");
	if (bin == NULL || src == NULL || mkdtemp(s.dir) == NULL)
		exit(2);
	snprintf(s.db, sizeof(s.db), "%s/koe.db", s.dir);
	snprintf(s.key, sizeof(s.key), "%s/koe.key", s.dir);
	snprintf(path, sizeof(path), "%s/roster.csv", s.dir);
	f = fopen(path, "w");
	fprintf(f, "employee_id,email,name,department,tenure\n");
	for (int i = 0; i < 12; i++)
		fprintf(f, "E%03d,e%d@example.jp,社員%d,営業部,%s\n", i, i, i, i % 2 ? "1-3年" : "3-5年");
	fclose(f);
	write_text(s.dir, "hr.txt", HR_PASS "\n");
	write_text(s.dir, "rep.txt", REP_PASS "\n");

	/* Each holder on their own machine: only the public part leaves it. */
	CHECK_INT(run_cmd("cd %s && '%s' holder '%s/surveys/alumni-readiness.txt' --name 人事部 "
	                  "--out hr.holder --passphrase-file hr.txt >/dev/null",
	                  s.dir, bin, src), 0);
	CHECK_INT(run_cmd("cd %s && '%s' holder alumni-readiness-2026 --name 従業員代表 "
	                  "--out rep.holder --passphrase-file rep.txt >/dev/null",
	                  s.dir, bin), 0);
	/* A holder can check their passphrase against their share at any time. */
	CHECK_INT(run_cmd("cd %s && '%s' holder --check rep.holder --passphrase-file rep.txt "
	                  ">check.txt 2>&1 && grep -q 'passphrase is right' check.txt",
	                  s.dir, bin), 0);
	CHECK_INT(run_cmd("cd %s && '%s' holder --check rep.holder --passphrase-file hr.txt "
	                  ">check.txt 2>&1; st=$?; grep -q 'not the passphrase' check.txt && exit $st",
	                  s.dir, bin), 1);
	/* Never replaced. */
	CHECK_INT(run_cmd("cd %s && '%s' holder alumni-readiness-2026 --name x --out rep.holder "
	                  "--passphrase-file rep.txt 2>/dev/null",
	                  s.dir, bin), 1);
	/* The public part holds neither passphrase. */
	snprintf(path, sizeof(path), "%s/hr.holder", s.dir);
	CHECK_INT(file_contains_text(path, "own passphrase"), 0);
	CHECK_INT(file_contains_text(path, "public:"), 1);

	/* Refused: a holder for another survey, an altered one, one twice. */
	CHECK_INT(run_cmd("cd %s && '%s' holder other-survey --name 社外 --out other.holder "
	                  "--passphrase-file rep.txt >/dev/null",
	                  s.dir, bin), 0);
	CHECK_INT(run_cmd("cd %s && '%s' open '%s/surveys/alumni-readiness.txt' --roster roster.csv "
	                  "--base-url http://127.0.0.1:1 --holder hr.holder --holder other.holder "
	                  "2>err.txt >/dev/null && exit 9; grep -q 'other-survey' err.txt",
	                  s.dir, bin, src), 0);
	CHECK_INT(run_cmd("cd %s && sed 's/^name: 従業員代表/name: 従業員代表2/' rep.holder >alt.holder && "
	                  "'%s' open '%s/surveys/alumni-readiness.txt' --roster roster.csv "
	                  "--base-url http://127.0.0.1:1 --holder hr.holder --holder alt.holder "
	                  "2>err.txt >/dev/null && exit 9; grep -q 'proof does not verify' err.txt",
	                  s.dir, bin, src), 0);
	CHECK_INT(run_cmd("cd %s && '%s' open '%s/surveys/alumni-readiness.txt' --roster roster.csv "
	                  "--base-url http://127.0.0.1:1 --holder hr.holder --holder hr.holder "
	                  "2>err.txt >/dev/null && exit 9; grep -q 'same key holder' err.txt",
	                  s.dir, bin, src), 0);
	CHECK(access(s.db, F_OK) != 0 || run_cmd("'%s' surveys --db '%s' | grep -q alumni", bin, s.db) != 0);

	CHECK_INT(run_cmd("cd %s && '%s' open '%s/surveys/alumni-readiness.txt' --roster roster.csv "
	                  "--base-url http://127.0.0.1:1 --db koe.db --key koe.key --out links.csv "
	                  "--holder hr.holder --holder rep.holder >open.txt",
	                  s.dir, bin, src), 0);
	snprintf(path, sizeof(path), "%s/open.txt", s.dir);
	CHECK(file_contains_text(path, "従業員代表"));
	snprintf(path, sizeof(path), "%s/links.csv", s.dir);
	f = fopen(path, "r");
	char line[1024];
	if (f == NULL || fgets(line, sizeof(line), f) == NULL)
		exit(2);
	while (fgets(line, sizeof(line), f) && s.nlinks < SRV_MAX_LINKS) {
		char *code = strstr(line, "/s/");
		if (code == NULL)
			continue;
		code += 3;
		code[strcspn(code, "\r\"\n")] = '\0';
		snprintf(s.codes[s.nlinks++], sizeof(s.codes[0]), "%s", code);
	}
	fclose(f);
	CHECK_INT((int)s.nlinks, 12);
}

/* The one answer HR wants to read, by the one employee it watched. */
static void
one_watched_employee_answers(void)
{
	struct fx_emp e;
	struct hc_resp r;
	json_t *a = valid_answers();
	json_object_set_new(a, "comments", json_string("上司には言えない本音 XYZZY"));
	srv_start(&s, NULL);
	CHECK_INT(fx_token(&s, s.codes[3], &e), 200);
	CHECK_INT(fx_submit(&s, &e, a, &r), 201);
	hc_free(&r);
	CHECK_INT(srv_stop(&s), 0);
}

/* HR, with a copy of the database and its own passphrase, and the library. */
static void
hr_alone_opens_nothing_from_a_copy(void)
{
	char copy[600];
	struct koe_msg msg;
	struct db *db = NULL;
	struct db_survey rec;
	struct seal_holder h[SEAL_HOLDERS_MAX];
	size_t nh = 0;
	uint8_t x[SEAL_SK_BYTES];
	struct qn_survey *q = NULL;
	struct koe_diags d = {0};
	struct resp_table *t = NULL;

	snprintf(copy, sizeof(copy), "%s/copy.db", s.dir);
	CHECK_INT(run_cmd("cp '%s' '%s'", s.db, copy), 0);
	CHECK_INT(db_open(copy, 0, &db, &msg), KOE_OK);
	CHECK_INT(db_survey_get(db, SURVEY_ID, &rec), KOE_OK);
	CHECK_INT(db_holders_get(db, SURVEY_ID, h, SEAL_HOLDERS_MAX, &nh), KOE_OK);
	CHECK_INT((int)nh, 2);
	CHECK_INT(qn_parse((const char *)rec.source, rec.source_len, "q", &q, &d), KOE_OK);
	CHECK_INT(resp_holder_secret(&h[0], HR_PASS, strlen(HR_PASS), x), KOE_OK);
	/* HR's share is a real key; it opens no answer. */
	CHECK_INT(resp_open_all(db, &rec, q, x, NULL, &t), KOE_EVERIFY);
	CHECK(t == NULL);
	/* Nor does the representative's alone. */
	CHECK_INT(resp_holder_secret(&h[1], REP_PASS, strlen(REP_PASS), x), KOE_OK);
	CHECK_INT(resp_open_all(db, &rec, q, x, NULL, &t), KOE_EVERIFY);
	/* One passphrase cannot stand in for two. */
	{
		const char *p[] = {HR_PASS};
		size_t l[] = {strlen(HR_PASS)};
		CHECK_INT(resp_unlock(db, &rec, p, l, 1, x), KOE_EVERIFY);
		const char *p2[] = {HR_PASS, HR_PASS};
		size_t l2[] = {strlen(HR_PASS), strlen(HR_PASS)};
		CHECK_INT(resp_unlock(db, &rec, p2, l2, 2, x), KOE_EVERIFY);
		const char *both[] = {REP_PASS, HR_PASS};
		size_t lb[] = {strlen(REP_PASS), strlen(HR_PASS)};
		CHECK_INT(resp_unlock(db, &rec, both, lb, 2, x), KOE_OK);
		CHECK_INT(resp_open_all(db, &rec, q, x, NULL, &t), KOE_OK);
		CHECK(t && t->n == 1);
	}
	resp_table_free(t);
	qn_survey_free(q);
	koe_diags_free(&d);
	db_survey_clear(&rec);
	db_close(db);
}

static void
report_needs_every_holder(void)
{
	const char *bin = getenv("KOE_BIN");
	char path[600];
	/* While open, an interim report shows participation only: it opens no
	 * answer and asks no holder, so no secret is ever used mid-survey. */
	CHECK_INT(run_cmd("cd %s && setsid '%s' report --interim --out i.pdf --json i.json "
	                  "</dev/null >/dev/null 2>&1",
	                  s.dir, bin), 0);
	snprintf(path, sizeof(path), "%s/i.json", s.dir);
	CHECK_INT(file_contains_text(path, "\"interim\": true"), 1);
	CHECK_INT(file_contains_text(path, "XYZZY"), 0);
	CHECK_INT(run_cmd("cd %s && '%s' close --yes >/dev/null", s.dir, bin), 0);
	/* HR alone, no terminal for the other holder: refused, nothing written. */
	CHECK_INT(run_cmd("cd %s && setsid '%s' report --out r.pdf --passphrase-file hr.txt "
	                  "</dev/null 2>err.txt >/dev/null",
	                  s.dir, bin), 1);
	snprintf(path, sizeof(path), "%s/r.pdf", s.dir);
	CHECK(access(path, F_OK) != 0);
	/* The same passphrase twice is still one holder. */
	CHECK_INT(run_cmd("cd %s && setsid '%s' report --out r.pdf --passphrase-file hr.txt "
	                  "--passphrase-file hr.txt </dev/null 2>err.txt >/dev/null",
	                  s.dir, bin), 1);
	CHECK(access(path, F_OK) != 0);
	/* Both, in either order. */
	CHECK_INT(run_cmd("cd %s && '%s' report --out r.pdf --json r.json --passphrase-file rep.txt "
	                  "--passphrase-file hr.txt >/dev/null",
	                  s.dir, bin), 0);
	snprintf(path, sizeof(path), "%s/r.json", s.dir);
	CHECK(file_contains_text(path, "\"responded\": 1"));
	/* Leadership reads who held the key. */
	CHECK(file_contains_text(path, "\"key_holders\": [\n      \"人事部\",\n      \"従業員代表\""));
}

int
main(void)
{
	if (sodium_init() < 0)
		return 2;
	RUN(open_with_two_holders);
	RUN(one_watched_employee_answers);
	RUN(hr_alone_opens_nothing_from_a_copy);
	RUN(report_needs_every_holder);
	srv_cleanup(&s);
	return harness_done();
}
