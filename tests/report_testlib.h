/* Helpers for the tests of `koe report`: a database holding the flagship
 * survey (surveys/alumni-readiness.txt, or a variant of its text) with
 * groups and sealed responses the test chooses, the real koe binary run on
 * it, and the PDF read back with poppler-utils. Built on survey_fixture.h. */
#ifndef KOE_REPORT_TESTLIB_H
#define KOE_REPORT_TESTLIB_H

#include <math.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <jansson.h>

#include "survey_fixture.h"

#define RT_EPOCH "1796083200" /* 2026-12-01 00:00:00 UTC */

struct rt_group {
	const char *code, *label;
	int invited;
};

/* One respondent, described by the scored value (1..5) they give every
 * item of each scale: a reversed item gets the raw answer 6 − v, so the
 * scale score is exactly v. 0 leaves a scale unanswered. leak, when not 0,
 * is the raw answer to morale.3 ("情報が外部に漏れることが心配だ", a reversed
 * item) instead of 6 − morale. */
struct rt_resp {
	const char *seg;
	int support, rejoin, acceptance, morale, offboarding;
	int enps;            /* 0..10, or -1 for none */
	int leak;
	int terms;           /* rehire_terms choice 1..6, 0 for none */
	const char *comment; /* or NULL */
};

/* The survey source with every occurrence of from replaced by to (both may
 * be NULL: the file as it is). Caller frees. */
static inline char *
rt_survey_source(const char *from, const char *to, size_t *len)
{
	char path[4096];
	const char *src = getenv("KOE_SRC");
	char *s;
	snprintf(path, sizeof(path), "%s/surveys/alumni-readiness.txt", src ? src : "..");
	s = slurp(path, len);
	if (from == NULL)
		return s;
	size_t fl = strlen(from), tl = strlen(to), n = 0;
	/* Each replaced byte grows by at most tl. */
	char *out = malloc(*len * (tl + 1) + 1);
	if (out == NULL)
		exit(2);
	for (size_t i = 0; i < *len;) {
		if (fl && i + fl <= *len && memcmp(s + i, from, fl) == 0) {
			memcpy(out + n, to, tl);
			n += tl;
			i += fl;
		} else {
			out[n++] = s[i++];
		}
	}
	out[n] = '\0';
	*len = n;
	free(s);
	return out;
}

/* Creates the database in a fresh directory with the given survey text and
 * groups (invited counts add up to the survey's invited count), and writes
 * the passphrase to DIR/pass.txt. Takes ownership of source. */
static inline void
rt_up(struct fixture *f, char *source, size_t len, const struct rt_group *g, size_t ng)
{
	struct koe_diags d = {0};
	char pass[320];
	struct koe_msg msg;
	FILE *fp;

	memset(f, 0, sizeof(*f));
	if (sodium_init() < 0)
		exit(2);
	setenv("KOE_KDF_MEMLIMIT", "8388608", 1);
	snprintf(f->dir, sizeof(f->dir), "/tmp/koe-report-XXXXXX");
	if (mkdtemp(f->dir) == NULL)
		exit(2);
	snprintf(f->dbpath, sizeof(f->dbpath), "%s/koe.db", f->dir);
	f->source = source;
	if (qn_parse(f->source, len, "alumni-readiness.txt", &f->s, &d) != KOE_OK) {
		koe_diags_print(&d, "alumni-readiness.txt", stderr);
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
	snprintf(f->rec.key_id, sizeof(f->rec.key_id), "%s",
	         "5e2f9d0c1b7a4e3f8d6c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e");
	fixture_holder(f);
	for (size_t i = 0; i < ng; i++)
		f->rec.invited += g[i].invited;
	if (db_survey_insert(f->db, &f->rec) != KOE_OK) {
		fprintf(stderr, "fixture insert: %s\n", db_errmsg(f->db));
		exit(2);
	}
	fixture_store_keys(f);
	for (size_t i = 0; i < ng; i++)
		if (db_segment_insert(f->db, f->s->id, g[i].code, g[i].label, g[i].invited) != KOE_OK) {
			fprintf(stderr, "segment insert: %s\n", db_errmsg(f->db));
			exit(2);
		}
	snprintf(pass, sizeof(pass), "%s/pass.txt", f->dir);
	fp = fopen(pass, "w");
	if (fp == NULL || fprintf(fp, "%s\n", FIXTURE_PASS) < 0 || fclose(fp) != 0)
		exit(2);
	koe_diags_free(&d);
}

/* The flagship survey with the groups given. */
static inline void
rt_up_alumni(struct fixture *f, const struct rt_group *g, size_t ng)
{
	size_t len;
	char *src = rt_survey_source(NULL, NULL, &len);
	rt_up(f, src, len, g, ng);
}

/* The comment tests' company: three departments of 25 invited, g01..g03. */
static inline void
rt_up_three_departments(struct fixture *f)
{
	static const struct rt_group groups[] = {
		{"g01", "営業部", 25}, {"g02", "開発部", 25}, {"g03", "人事部", 25},
	};
	rt_up_alumni(f, groups, 3);
}

static inline void
rt_set(struct fixture *f, struct ans_set *a, const char *key, int v)
{
	const struct qn_item *it = qn_item_find(f->s, key);
	if (it == NULL) {
		fprintf(stderr, "no item %s\n", key);
		exit(2);
	}
	a->v[it - f->s->items].present = true;
	a->v[it - f->s->items].num = v;
}

/* Every row of Matrix question qid: scored value v, reversed rows 6 − v. */
static inline void
rt_scale(struct fixture *f, struct ans_set *a, const char *qid, int v)
{
	size_t qlen = strlen(qid);
	if (v == 0)
		return;
	for (size_t i = 0; i < f->s->nitems; i++) {
		const struct qn_item *it = &f->s->items[i];
		if (strncmp(it->key, qid, qlen) == 0 && it->key[qlen] == '.') {
			a->v[i].present = true;
			a->v[i].num = it->reverse ? 6 - v : v;
		}
	}
}

/* Seals and stores n respondents. */
static inline void
rt_respond(struct fixture *f, const struct rt_resp *r, size_t n)
{
	struct seal_key b;
	struct ans_set a;
	fixture_seal_key(f, &b);
	if (ans_set_new(f->s, &a) != KOE_OK)
		exit(2);
	for (size_t k = 0; k < n; k++) {
		memset(a.v, 0, a.n * sizeof(*a.v));
		rt_scale(f, &a, "support", r[k].support);
		rt_scale(f, &a, "rejoin", r[k].rejoin);
		rt_scale(f, &a, "acceptance", r[k].acceptance);
		rt_scale(f, &a, "morale", r[k].morale);
		rt_scale(f, &a, "offboarding", r[k].offboarding);
		/* The battery is shown only to those who saw a colleague leave. */
		rt_set(f, &a, "saw_leave", r[k].offboarding ? 1 : 2);
		if (r[k].leak)
			rt_set(f, &a, "morale.3", r[k].leak);
		if (r[k].enps >= 0)
			rt_set(f, &a, "enps", r[k].enps);
		if (r[k].terms)
			rt_set(f, &a, "rehire_terms", r[k].terms);
		if (r[k].comment) {
			const struct qn_item *it = qn_item_find(f->s, "comments");
			struct ans_value *v = &a.v[it - f->s->items];
			v->present = true;
			v->text = r[k].comment;
			v->textlen = strlen(r[k].comment);
		}
		if (fixture_respond(f, &b, r[k].seg, &a) != KOE_OK) {
			fprintf(stderr, "respond: %s\n", db_errmsg(f->db));
			exit(2);
		}
	}
	ans_set_free(&a);
	seal_key_wipe(&b);
}

/* Runs a shell command in the fixture's directory with koe as $KOE; its
 * output goes to DIR/out and DIR/err. Returns the exit status. */
static inline int
rt_sh(const struct fixture *f, const char *fmt, ...)
{
	char cmd[4096], body[3000];
	va_list ap;
	const char *bin = getenv("KOE_BIN");
	va_start(ap, fmt);
	vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd),
	         "cd '%s' && export KOE='%s' KOE_KDF_MEMLIMIT=8388608 && (%s) >out 2>err </dev/null",
	         f->dir, bin ? bin : "../build/koe", body);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* `koe close --yes` on the fixture's database (the fixture's connection
 * stays open; SQLite's locking keeps them apart). */
static inline void
rt_close(struct fixture *f)
{
	if (rt_sh(f, "$KOE close --yes --db koe.db") != 0) {
		fprintf(stderr, "koe close failed\n");
		exit(2);
	}
}

/* `koe report` with the passphrase file, SOURCE_DATE_EPOCH and extra
 * arguments; writes out.pdf and out.json unless extra says otherwise. */
static inline int
rt_report(const struct fixture *f, const char *extra)
{
	return rt_sh(f,
	             "SOURCE_DATE_EPOCH=" RT_EPOCH " $KOE report --db koe.db --passphrase-file "
	             "pass.txt --out out.pdf --json out.json %s",
	             extra ? extra : "");
}

/* A file of the fixture's directory, whole, or NULL when it is missing.
 * Caller frees. */
static inline char *
rt_read(const struct fixture *f, const char *name, size_t *len)
{
	char path[600];
	FILE *fp;
	long n;
	char *buf;
	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	if (buf == NULL || fread(buf, 1, (size_t)n, fp) != (size_t)n)
		exit(2);
	buf[n] = '\0';
	fclose(fp);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* The PDF's text as pdftotext gives it (pages separated by form feeds).
 * Caller frees. */
static inline char *
rt_pdftext(const struct fixture *f, const char *pdf, bool layout)
{
	if (rt_sh(f, "pdftotext %s '%s' text.txt", layout ? "-layout" : "", pdf) != 0) {
		fprintf(stderr, "pdftotext failed\n");
		exit(2);
	}
	return rt_read(f, "text.txt", NULL);
}

static inline json_t *
rt_json(const struct fixture *f, const char *name)
{
	char path[600];
	json_error_t e;
	json_t *j;
	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	j = json_load_file(path, 0, &e);
	if (j == NULL)
		fprintf(stderr, "%s: %s (line %d)\n", name, e.text, e.line);
	return j;
}

/* 95% Wilson score interval, computed here independently of stats_. */
static inline void
rt_wilson(double x, double n, double *lo, double *hi)
{
	const double z = 1.959963984540054;
	double p = x / n, d = 1 + z * z / n;
	double c = (p + z * z / (2 * n)) / d;
	double h = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d;
	*lo = c - h;
	*hi = c + h;
}

/* "95%信頼区間 42–76%" as the Japanese report prints a share's interval. */
static inline const char *
rt_ci_ja(double x, double n)
{
	static char buf[64];
	double lo, hi;
	rt_wilson(x, n, &lo, &hi);
	snprintf(buf, sizeof(buf), "95%%信頼区間 %.0f–%.0f%%", lo * 100, hi * 100);
	return buf;
}

/* memmem(), which C17 and POSIX lack. */
static inline const char *
rt_memmem(const char *hay, size_t n, const char *needle, size_t len)
{
	for (size_t i = 0; len <= n && i <= n - len; i++)
		if (memcmp(hay + i, needle, len) == 0)
			return hay + i;
	return NULL;
}

/* Whether text contains s. */
static inline bool
rt_has(const char *text, const char *s)
{
	return text && strstr(text, s) != NULL;
}

/* The number of files in the fixture's directory whose names contain
 * part (to find left-over temporary or output files). */
static inline int
rt_count_files(const struct fixture *f, const char *part)
{
	char cmd[700];
	FILE *p;
	int n = 0;
	snprintf(cmd, sizeof(cmd), "ls -a '%s'", f->dir);
	if ((p = popen(cmd, "r")) == NULL)
		exit(2);
	char line[512];
	while (fgets(line, sizeof(line), p))
		n += strstr(line, part) != NULL;
	pclose(p);
	return n;
}

/* Removes the fixture, or with $KOE_TEST_KEEP set keeps its directory (to
 * look at the PDF) and says where it is. */
static inline void
rt_down(struct fixture *f)
{
	if (getenv("KOE_TEST_KEEP")) {
		db_close(f->db);
		f->db = NULL;
		fprintf(stderr, "kept %s\n", f->dir);
		qn_survey_free(f->s);
		free(f->source);
		return;
	}
	fixture_down(f);
}

#endif
