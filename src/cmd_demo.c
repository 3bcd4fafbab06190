/* koe demo — the whole product end to end on the embedded example: a
 * generated roster, `koe open`, `koe serve` with simulated employees
 * answering through the real HTTP protocol and real tokens, `koe close`,
 * `koe report`; then a second survey served live for a person to try. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "cli.h"
#include "koe/csv.h"
#include "koe/emp.h"
#include "koe/http.h"
#include "koe/qn.h"

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

/* A deterministic generator, so every demo tells the same story. */
struct rng {
	uint64_t s;
};

static uint64_t
rng_next(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return r->s;
}

static double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

static double
rng_normal(struct rng *r)
{
	double u = rng_unit(r), v = rng_unit(r);
	if (u < 1e-12)
		u = 1e-12;
	return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

struct person {
	const char *dept;
	const char *tenure;
	int answers;  /* 0: never opens, 1: opens only, 2: answers */
};

/* Departments and their sizes: one with a morale problem (カスタマーサポート),
 * small ones that `koe open` must merge (法務部, 経営企画室). */
static const struct { const char *name; int n; } depts[] = {
	{"営業部", 110}, {"開発部", 130}, {"カスタマーサポート", 70}, {"人事部", 24},
	{"経理部", 18}, {"経営企画室", 9}, {"法務部", 4},
};
static const char *const bands[] = {"1年未満", "1-3年", "3-5年", "5-10年", "10年以上"};

struct sim {
	const struct qn_survey *q;
	struct person *people;
	char (*codes)[32];
	size_t n;
	uint16_t port;
	uint8_t pk[32];
	atomic_size_t next;
	atomic_size_t answered, opened_only, failed;
};

/* The employee's leaning on each scale, 1..5 in the favorable direction. */
static double
scale_mean(const char *scale, const struct person *p)
{
	double m = 3.4;
	bool support = strcmp(scale, "support") == 0, rejoin = strcmp(scale, "rejoin") == 0,
	     morale = strcmp(scale, "morale") == 0, offb = strcmp(scale, "offboarding") == 0;
	if (support)
		m = 3.75 + (strcmp(p->dept, "人事部") == 0 ? 0.4 : 0) -
		    (strcmp(p->tenure, "10年以上") == 0 ? 0.5 : 0);
	else if (rejoin)
		m = 2.9 + (strcmp(p->tenure, "1-3年") == 0 ? 1.0 : 0) -
		    (strcmp(p->tenure, "10年以上") == 0 ? 0.5 : 0);
	else if (morale)
		m = 3.5 - (strcmp(p->dept, "カスタマーサポート") == 0 ? 1.4 : 0);
	else if (offb)
		m = 3.3 - (strcmp(p->dept, "カスタマーサポート") == 0 ? 0.7 : 0);
	return m;
}

static int
clamp(long v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : (int)v;
}

static const char *const comments_support[] = {
	"辞めた人とつながり続けられるのは良いことだと思います。優秀な人が戻ってきやすくなるとよいです。",
	"退職者との協業は、新しい事業のきっかけになりそうで期待しています。",
	"アルムナイの知見を社内勉強会で共有してもらえると嬉しいです。",
	"前向きな制度だと思います。退職の伝え方がもっとオープンになれば良いと思います。",
};
static const char *const comments_morale[] = {
	"残って頑張っている社員より、戻ってきた人の待遇が良くなるなら納得できません。",
	"現場の人手不足が続いているので、まず今いる社員の負担を減らしてほしいです。",
	"辞めても戻れるなら、辞める人が増えるのではと心配です。",
	"退職者を通じて顧客情報が漏れないか不安です。ルールを明確にしてください。",
};
static const char *const comments_neutral[] = {
	"制度の目的と、再雇用の条件をはっきり示してほしいです。",
	"イベントよりも、業務委託などの具体的な機会があると良いと思います。",
};

/* Builds a believable answer set for one person as JSON text. */
static char *
answers_for(const struct qn_survey *q, const struct person *p, struct rng *r)
{
	json_t *a = json_object();
	double indiv[16] = {0};
	double morale_mu = 0;
	char *text;
	bool skip_offboarding = rng_unit(r) < 0.2;

	for (size_t s = 0; s < q->nscales && s < 16; s++)
		indiv[s] = 0.55 * rng_normal(r);
	for (size_t i = 0; i < q->nitems; i++) {
		const struct qn_item *it = &q->items[i];
		const struct qn_question *qq = &q->questions[it->question];
		if (it->kind == QN_ITEM_LIKERT && it->scale >= 0) {
			const char *sname = q->scales[it->scale].name;
			if (strcmp(sname, "offboarding") == 0 && skip_offboarding)
				continue;
			double mu = scale_mean(sname, p) + indiv[it->scale];
			if (strcmp(sname, "morale") == 0)
				morale_mu = mu;
			long x = lround(mu + 0.7 * rng_normal(r));
			int v = clamp(x, 1, it->npoints);
			if (it->reverse)
				v = it->npoints + 1 - v;
			json_object_set_new(a, it->key, json_integer(v));
		} else if (it->kind == QN_ITEM_NPS) {
			double base = morale_mu ? morale_mu : 3.4;
			json_object_set_new(a, it->key,
			                    json_integer(clamp(lround(2.1 * base - 0.3 + 1.6 * rng_normal(r)),
			                                       0, 10)));
		} else if (it->kind == QN_ITEM_CHOICE) {
			/* Low morale leans to "should not be rehired" or "same
			 * standards"; others to judging experience gained. */
			double u = rng_unit(r);
			size_t pick = morale_mu && morale_mu < 2.8
			                      ? (u < 0.35 ? 4 : u < 0.75 ? 2 : u < 0.9 ? 3 : 5)
			                      : (u < 0.35 ? 1 : u < 0.65 ? 2 : u < 0.8 ? 3 : u < 0.88 ? 0 : 5);
			if (pick >= qq->nchoices)
				pick = qq->nchoices - 1;
			json_object_set_new(a, it->key, json_integer(qq->choices[pick].recode));
		} else if (it->kind == QN_ITEM_MULTI) {
			json_t *list = json_array();
			static const double prob[] = {0.45, 0.55, 0.5, 0.35, 0.3, 0.25, 0.3};
			if (rng_unit(r) < 0.08 && qq->nchoices > 0) {
				json_array_append_new(list, json_integer(qq->choices[qq->nchoices - 1].recode));
			} else {
				for (size_t c = 0; c + 1 < qq->nchoices && c < 7; c++)
					if (rng_unit(r) < prob[c])
						json_array_append_new(list, json_integer(qq->choices[c].recode));
			}
			if (json_array_size(list) || it->required)
				json_object_set_new(a, it->key, list);
			else
				json_decref(list);
		} else if (it->kind == QN_ITEM_TEXT) {
			if (rng_unit(r) > 0.35)
				continue;
			const char *const *pool = comments_neutral;
			size_t n = 2;
			if (morale_mu && morale_mu < 2.8) {
				pool = comments_morale;
				n = 4;
			} else if (rng_unit(r) < 0.6) {
				pool = comments_support;
				n = 4;
			}
			json_object_set_new(a, it->key, json_string(pool[rng_next(r) % n]));
		}
	}
	text = json_dumps(a, JSON_COMPACT);
	json_decref(a);
	return text;
}

static void *
employee_worker(void *arg)
{
	struct sim *sim = arg;
	struct httpc c;

	if (httpc_init(&c, "127.0.0.1", sim->port) != KOE_OK)
		return NULL;
	for (;;) {
		size_t i = atomic_fetch_add(&sim->next, 1);
		struct emp_token t;
		struct rng r = {.s = 0x9E3779B97F4A7C15ULL * (i + 1)};
		int status = 0;
		char receipt[65], *answers;

		if (i >= sim->n)
			break;
		if (sim->people[i].answers == 0)
			continue;
		if (emp_fetch_token(&c, sim->q->id, sim->pk, sim->codes[i], &t, &status) != KOE_OK) {
			atomic_fetch_add(&sim->failed, 1);
			continue;
		}
		if (sim->people[i].answers == 1) {
			atomic_fetch_add(&sim->opened_only, 1);
			continue;
		}
		answers = answers_for(sim->q, &sim->people[i], &r);
		if (answers && emp_submit(&c, sim->q->id, &t, answers, &status, receipt) == KOE_OK)
			atomic_fetch_add(&sim->answered, 1);
		else
			atomic_fetch_add(&sim->failed, 1);
		free(answers);
		size_t done = atomic_load(&sim->next);
		cli_progress("simulated employees", done < sim->n ? done : sim->n, sim->n);
	}
	httpc_close(&c);
	return NULL;
}

static int
write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	FILE *f;
	int fd;
	unlink(path);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0 || (f = fdopen(fd, "w")) == NULL)
		return -1;
	if (fwrite(data, 1, len, f) != len) {
		fclose(f);
		return -1;
	}
	return fclose(f) == 0 ? 0 : -1;
}

/* Runs another koe command in this process, as a person would type it. */
static int
sub(const struct cli_command *cmd, char **argv)
{
	int argc = 0;
	while (argv[argc])
		argc++;
	fflush(stdout);
	return cmd->run(argc, argv);
}

/* Reads the codes and employee ids of a links file written by koe open. */
static size_t
read_links(const char *path, char (*codes)[32], size_t max)
{
	char line[1024];
	size_t n = 0;
	FILE *f = fopen(path, "r");
	if (f == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) && n < max) {
		char *p = strstr(line, "/s/");
		if (p == NULL)
			continue;
		p += 3;
		p[strcspn(p, "\r\n")] = '\0';
		snprintf(codes[n++], 32, "%s", p);
	}
	fclose(f);
	return n;
}

static void
remove_demo_files(const char *dir)
{
	static const char *const names[] = {
		"demo.db", "demo.db-wal", "demo.db-shm", "live.db", "live.db-wal", "live.db-shm",
		"links.csv", "live-links.csv", "roster.csv", "live-roster.csv", "holder-hr.txt",
		"holder-rep.txt", "passphrase.txt",
	};
	char path[4200];
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
}

static int
run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"dir", required_argument, NULL, 'd'},
		{"reports", required_argument, NULL, 'r'},
		{"listen", required_argument, NULL, 'l'},
		{"no-serve", no_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	const char *dir = "demo", *reports = "reports", *listen = "127.0.0.1:8080";
	int serve = 1, c, status = 1;
	char survey[4200], roster[4200], pass[4200], pass2[4200], db[4200], key[4200], links[4200];
	char holder1[4200], holder2[4200];
	char pdf[4200], json[4200], live_db[4200], live_links[4200], live_roster[4200];
	char base_url[256];
	struct koe_diags d = {0};
	struct qn_survey *q = NULL;
	struct person *people = NULL;
	char (*codes)[32] = NULL;
	size_t n = 0;
	struct http_server *srv = NULL;
	struct rng r = {.s = 20261122};
	FILE *f;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'r': reports = optarg; break;
		case 'l': listen = optarg; break;
		case 'n': serve = 0; break;
		default:
			return cli_usage("demo", USAGE, NULL);
		}
	}
	if (optind != argc) {
		return cli_usage_extra("demo", USAGE, argv[optind]);
	}
	if ((mkdir(dir, 0700) != 0 && errno != EEXIST) ||
	    (mkdir(reports, 0755) != 0 && errno != EEXIST)) {
		cli_err(C, "cannot create '%s' or '%s': %s", dir, reports, strerror(errno));
		return 1;
	}
	snprintf(survey, sizeof(survey), "%s/alumni-readiness.txt", dir);
	snprintf(roster, sizeof(roster), "%s/roster.csv", dir);
	snprintf(pass, sizeof(pass), "%s/passphrase-hr.txt", dir);
	snprintf(pass2, sizeof(pass2), "%s/passphrase-rep.txt", dir);
	snprintf(holder1, sizeof(holder1), "%s/holder-hr.txt", dir);
	snprintf(holder2, sizeof(holder2), "%s/holder-rep.txt", dir);
	snprintf(db, sizeof(db), "%s/demo.db", dir);
	snprintf(key, sizeof(key), "%s/koe.key", dir);
	snprintf(links, sizeof(links), "%s/links.csv", dir);
	snprintf(pdf, sizeof(pdf), "%s/demo.pdf", reports);
	snprintf(json, sizeof(json), "%s/demo.json", reports);
	snprintf(live_db, sizeof(live_db), "%s/live.db", dir);
	snprintf(live_links, sizeof(live_links), "%s/live-links.csv", dir);
	snprintf(live_roster, sizeof(live_roster), "%s/live-roster.csv", dir);
	remove_demo_files(dir);

	printf("== koe demo: a whole survey, end to end, in %s/ ==\n\n", dir);
	/* 1. The example questionnaire and a generated roster. */
	if (write_file(survey, demo_alumni_readiness_txt, demo_alumni_readiness_txt_len, 0644) != 0 ||
	    write_file(pass, DEMO_PASS_HR "\n", strlen(DEMO_PASS_HR) + 1, 0600) != 0 ||
	    write_file(pass2, DEMO_PASS_REP "\n", strlen(DEMO_PASS_REP) + 1, 0600) != 0) {
		cli_err(C, "cannot write into '%s': %s", dir, strerror(errno));
		goto done;
	}
	if (qn_parse((const char *)demo_alumni_readiness_txt, demo_alumni_readiness_txt_len,
	             survey, &q, &d) != KOE_OK) {
		koe_diags_print(&d, survey, stderr);
		goto done;
	}
	for (size_t i = 0; i < sizeof(depts) / sizeof(depts[0]); i++)
		n += (size_t)depts[i].n;
	people = calloc(n, sizeof(*people));
	codes = calloc(n, sizeof(*codes));
	if (people == NULL || codes == NULL)
		goto done;
	f = fopen(roster, "w");
	if (f == NULL) {
		cli_err(C, "cannot write '%s': %s", roster, strerror(errno));
		goto done;
	}
	fputs("employee_id,email,name,department,tenure\r\n", f);
	for (size_t i = 0, k = 0; i < sizeof(depts) / sizeof(depts[0]); i++)
		for (int j = 0; j < depts[i].n; j++, k++) {
			struct person *p = &people[k];
			double u = rng_unit(&r);
			p->dept = depts[i].name;
			/* The support centre is younger; 法務部 are veterans. */
			size_t band = strcmp(p->dept, "カスタマーサポート") == 0 ? (size_t)(u * 3)
			            : strcmp(p->dept, "法務部") == 0       ? 4
			                                                    : (size_t)(u * 5);
			p->tenure = bands[band];
			u = rng_unit(&r);
			p->answers = u < 0.78 ? 2 : u < 0.84 ? 1 : 0;
			char id[32], mail[64], name[64];
			snprintf(id, sizeof(id), "E%05zu", k + 1);
			snprintf(mail, sizeof(mail), "employee%zu@example.jp", k + 1);
			snprintf(name, sizeof(name), "社員 %zu", k + 1);
			const char *cells[] = {id, mail, name, p->dept, p->tenure};
			csv_row(f, cells, 5, "\r\n");
		}
	if (fclose(f) != 0)
		goto done;
	printf("1. Questionnaire %s (%zu questions, %zu answer items) and a roster of %zu "
	       "employees in %s.\n\n",
	       survey, q->nquestions, q->nitems, n, roster);

	/* 2. Two key holders make their shares, then koe open. */
	printf("2. Two key holders, each on their own machine:\n"
	       "   $ koe holder %s --name 人事部 --out %s\n"
	       "   $ koe holder %s --name 従業員代表 --out %s\n",
	       survey, holder1, survey, holder2);
	unlink(holder1);
	unlink(holder2);
	{
		char *h1[] = {"holder", survey, "--name", "人事部", "--out", holder1,
		              "--passphrase-file", pass, NULL};
		char *h2[] = {"holder", survey, "--name", "従業員代表", "--out", holder2,
		              "--passphrase-file", pass2, NULL};
		if (sub(&cmd_holder, h1) != 0 || sub(&cmd_holder, h2) != 0)
			goto done;
	}
	printf("\n   $ koe open %s --roster %s --holder %s --holder %s --base-url http://127.0.0.1 "
	       "...\n\n",
	       survey, roster, holder1, holder2);
	{
		char *av[] = {"open", survey, "--roster", roster, "--base-url", "http://127.0.0.1",
		              "--db", db, "--key", key, "--out", links, "--holder", holder1,
		              "--holder", holder2, NULL};
		if (sub(&cmd_open, av) != 0)
			goto done;
	}
	if (read_links(links, codes, n) != n) {
		cli_err(C, "the links file does not hold %zu links", n);
		goto done;
	}

	/* 3. koe serve, and employees answering over HTTP with real tokens. */
	{
		struct http_config cfg;
		char msg[512];
		struct sim sim = {.q = q, .people = people, .codes = codes, .n = n};
		pthread_t th[DEMO_THREADS];
		struct httpc hc;

		http_config_defaults(&cfg);
		cfg.db_path = db;
		cfg.key_path = key;
		cfg.port = 0;
		cfg.max_per_ip = 0;
		if (http_start(&cfg, &srv, msg, sizeof(msg)) != KOE_OK) {
			cli_err(C, "%s", msg);
			goto done;
		}
		sim.port = http_port(srv);
		printf("\n3. koe serve is answering on http://127.0.0.1:%u; the simulated employees "
		       "open their links, fetch blinded tokens and answer...\n",
		       (unsigned)sim.port);
		fflush(stdout);
		if (httpc_init(&hc, "127.0.0.1", sim.port) != KOE_OK ||
		    emp_public_key(&hc, q->id, sim.pk) != KOE_OK) {
			httpc_close(&hc);
			cli_err(C, "the server does not answer");
			goto done;
		}
		httpc_close(&hc);
		for (int t = 0; t < DEMO_THREADS; t++)
			pthread_create(&th[t], NULL, employee_worker, &sim);
		for (int t = 0; t < DEMO_THREADS; t++)
			pthread_join(th[t], NULL);
		http_stop(srv);
		srv = NULL;
		printf("   %zu answered, %zu opened their link without answering, %zu never opened it",
		       atomic_load(&sim.answered), atomic_load(&sim.opened_only),
		       n - atomic_load(&sim.answered) - atomic_load(&sim.opened_only) -
		               atomic_load(&sim.failed));
		if (atomic_load(&sim.failed))
			printf(", %zu failed", atomic_load(&sim.failed));
		printf(".\n\n");
		if (atomic_load(&sim.failed))
			goto done;
	}

	/* 4. koe status, koe close, koe report. */
	printf("4. $ koe status\n");
	{
		char *av[] = {"status", "--db", db, NULL};
		if (sub(&cmd_status, av) != 0)
			goto done;
	}
	printf("\n5. $ koe close --yes\n");
	{
		char *av[] = {"close", "--yes", "--db", db, NULL};
		if (sub(&cmd_close, av) != 0)
			goto done;
	}
	printf("\n6. $ koe report --out %s --json %s  (both holders' passphrases)\n", pdf, json);
	{
		char *av[] = {"report", "--db", db, "--passphrase-file", pass, "--passphrase-file",
		              pass2, "--out", pdf, "--json", json, NULL};
		if (sub(&cmd_report, av) != 0)
			goto done;
	}
	printf("\nThe report for leadership: %s\nEvery figure in it, as JSON: %s\n", pdf, json);

	if (!serve) {
		status = 0;
		goto done;
	}

	/* 7. A second survey, live, for a person to answer in a browser. */
	{
		char addr[128];
		const char *colon = strrchr(listen, ':');
		snprintf(addr, sizeof(addr), "%.*s", colon ? (int)(colon - listen) : 0, listen);
		snprintf(base_url, sizeof(base_url), "http://%s", listen);
		f = fopen(live_roster, "w");
		if (f == NULL)
			goto done;
		fputs("employee_id,email,name,department,tenure\r\n", f);
		for (int i = 1; i <= 12; i++) {
			char id[16], mail[48], name[48];
			snprintf(id, sizeof(id), "T%02d", i);
			snprintf(mail, sizeof(mail), "tester%d@example.jp", i);
			snprintf(name, sizeof(name), "テスト %d", i);
			const char *cells[] = {id, mail, name, "営業部", i % 2 ? "1-3年" : "3-5年"};
			csv_row(f, cells, 5, "\r\n");
		}
		fclose(f);
		printf("\n7. A second survey for you to try, in %s:\n", live_db);
		char *av[] = {"open", survey, "--roster", live_roster, "--base-url", base_url,
		              "--db", live_db, "--key", key, "--out", live_links,
		              "--holder", holder1, "--holder", holder2, NULL};
		if (sub(&cmd_open, av) != 0)
			goto done;
		char (*live)[32] = calloc(12, sizeof(*live));
		size_t nl = live ? read_links(live_links, live, 12) : 0;
		printf("\nOpen one of these links in a browser (each works once):\n");
		for (size_t i = 0; i < nl && i < 5; i++)
			printf("  %s/s/%s\n", base_url, live[i]);
		free(live);
		printf("\nWhile it runs, see the count from another terminal:\n"
		       "  %s status --db %s\n"
		       "Press Ctrl-C to stop. Then close it and write its report (the two key\n"
		       "holders' passphrases are in %s and %s):\n"
		       "  %s close --db %s --yes\n"
		       "  %s report --db %s --out %s/live.pdf --passphrase-file %s "
		       "--passphrase-file %s\n\n",
		       cli_self, live_db, pass, pass2, cli_self, live_db, cli_self, live_db, reports,
		       pass, pass2);
		fflush(stdout);
		char *sv[] = {"serve", "--listen", (char *)listen, "--db", live_db, "--key", key, NULL};
		status = sub(&cmd_serve, sv);
	}
done:
	if (srv)
		http_stop(srv);
	qn_survey_free(q);
	koe_diags_free(&d);
	free(people);
	free(codes);
	return status;
}

const struct cli_command cmd_demo = {
	.name = "demo",
	.summary = "run a whole example survey end to end, then serve one to try",
	.help =
	"usage: koe demo [--dir DIR] [--reports DIR] [--listen ADDR:PORT] [--no-serve]\n"
	"\n"
	"Runs the product end to end on the embedded example questionnaire: writes a\n"
	"roster of about 360 employees, opens the survey, lets simulated employees\n"
	"answer through the real HTTP protocol with real blinded tokens, closes it,\n"
	"and writes reports/demo.pdf and reports/demo.json. Then it opens a second\n"
	"survey and serves it on ADDR:PORT (default 127.0.0.1:8080), printing links\n"
	"you can open in a browser, until Ctrl-C. Its files go to DIR (default demo/).\n"
	"\n"
	"  --no-serve   stop after the report\n",
	.run = run,
};
