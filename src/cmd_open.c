/* koe open SURVEY.txt --roster ROSTER.csv --base-url URL — start a survey:
 * load the questionnaire and the roster, and let survey_open (survey.h)
 * build the k-anonymous groups and one invitation per employee; this file
 * writes the mail-merge file of links and prints the summary. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "koe/mail.h"
#include "koe/csv.h"
#include "koe/holder.h"
#include "koe/qn.h"
#include "koe/roster.h"
#include "koe/seal.h"
#include "koe/seg.h"
#include "koe/survey.h"
#include "koe/util.h"

/* The synopsis of usage errors; the help below spells it out on its own lines. */
#define USAGE "SURVEY.txt --roster ROSTER.csv --base-url URL [--holder FILE]... [--db FILE] [--key FILE] [--out links.csv] [--passphrase-file FILE] [" CLI_MAIL_SYNOPSIS "]"

static const char *const C = "open";

static void
print_segments(const struct seg_table *t, size_t k, const char *const *dims, size_t ndims)
{
	size_t generalized = 0;
	printf("\nGroups answers are counted in (every group has at least %zu people):\n", k);
	printf("  %-5s %8s  %s", "code", "invited", "group");
	if (ndims) {
		printf(" (");
		for (size_t d = 0; d < ndims; d++)
			printf("%s%s", d ? " / " : "", dims[d]);
		printf(")");
	}
	printf("\n");
	for (size_t g = 0; g < t->ngroups; g++) {
		printf("  %-5s %8zu  %s\n", t->groups[g].code, t->groups[g].count, t->groups[g].label);
		generalized += t->groups[g].generalized > 0;
	}
	if (generalized && ndims)
		printf("  * = merged because fewer than %zu people shared the value\n", k);
}

void
cli_open_print(const struct cli_opened *o)
{
	const struct qn_survey *s = o->survey;
	const struct survey_open_result *res = o->res;

	printf("Survey '%s' is open: %zu invitations, %zu groups, k = %d.\n", s->id, o->invited,
	       o->groups->ngroups, s->min_group);
	print_segments(o->groups, (size_t)s->min_group, s->segments, s->nsegments);
	if (res->nholders > 1) {
		printf("\nKey holders (the report needs every one of their passphrases):\n");
		for (size_t i = 0; i < res->nholders; i++)
			printf("  %zu. %s\n", i + 1, res->holders[i].name);
	} else {
		printf("\nOne key holder: whoever knows the report passphrase can read every answer\n"
		       "(never who gave it). To share that power, use 'koe holder' and --holder.\n");
	}
	if (o->links_path) {
		printf("\nLinks for the mail merge: %s (UTF-8 with BOM; employee_id, email, name, "
		       "link)\n",
		       o->links_path);
		printf("Keep that file safe: the links are not stored anywhere else.\n");
	}
	if (res->key_created)
		printf("A new master key was created in %s (mode 0600): back it up; never share it.\n",
		       o->key_path);
	char fp[160];
	util_fingerprint_groups(res->key_id, 8, "\n  ", fp, sizeof(fp));
	printf("\nSurvey key fingerprint (post it on the intranet; every survey page shows it):\n"
	       "  %s\n",
	       fp);
	if (survey_base_url_insecure(o->base_url))
		printf("\nWarning: the links use plain http; answers would cross the network "
		       "unencrypted. Serve over https (koe serve --tls-cert/--tls-key or a proxy).\n");
	printf("\nNext: start the service with '%s serve%s%s'%s.\n", cli_self,
	       o->db_opt ? " --db " : "", o->db_opt ? o->db_opt : "",
	       o->links_path ? " and send the links" : "");
}

/* The links file (§2.1 step 7): written to PATH.tmp, renamed into place
 * just before the commit, removed if the commit then fails. */
static int
links_begin(void *ctx, struct koe_msg *msg)
{
	struct cli_links *l = ctx;
	(void)msg;
	/* The links are secrets (each one answers as an employee): 0600. */
	if (util_atomic_open(&l->file, l->path, ".tmp") != KOE_OK) {
		cli_err(l->cmd, "cannot create '%s': %s", l->file.tmp, strerror(errno));
		return -1;
	}
	fputs("\xEF\xBB\xBF" "employee_id,email,name,link\r\n", l->file.f);
	return 0;
}

static int
links_row(void *ctx, const struct roster_row *row, const char *url)
{
	struct cli_links *l = ctx;
	/* Every cell through the one CSV writer (formulas neutralized). */
	const char *cells[] = {row->employee_id, row->email, row->name, url};
	csv_row(l->file.f, cells, 4, "\r\n");
	if (l->codes && l->ncodes < l->maxcodes) {
		const char *code = strrchr(url, '/'); /* codes hold no '/' */
		snprintf(l->codes[l->ncodes++], sizeof(l->codes[0]), "%s", code ? code + 1 : "");
	}
	return 0;
}

static int
links_before_commit(void *ctx, struct koe_msg *msg)
{
	struct cli_links *l = ctx;
	(void)msg;
	if (util_atomic_sync(&l->file) != KOE_OK) {
		cli_err(l->cmd, "cannot write '%s': %s", l->file.tmp, strerror(errno));
		return -1;
	}
	if (util_atomic_commit(&l->file) != KOE_OK) {
		cli_err(l->cmd, "cannot create '%s': %s", l->path, strerror(errno));
		return -1;
	}
	l->renamed = true;
	return 0;
}

struct survey_links
cli_links_sink(struct cli_links *l)
{
	return (struct survey_links){.begin = links_begin, .link = links_row,
	                             .before_commit = links_before_commit, .ctx = l};
}

void
cli_links_done(struct cli_links *l, bool ok)
{
	util_atomic_abort(&l->file);
	if (!ok && l->renamed)
		unlink(l->path);
}

struct holders_ctx {
	const char *const *files;
	size_t nfiles;
	const char *pass_file;
};

/* The report key's holders: each --holder file, checked, or one holder
 * made here from HR's passphrase (asked twice). */
static int
get_holders(void *ctx, const char *survey, struct seal_holder *h, size_t *n, struct koe_msg *msg)
{
	struct holders_ctx *hc = ctx;
	char pass[SEAL_PASS_MAX + 2];
	size_t passlen = 0;
	enum koe_err err;

	for (size_t i = 0; i < hc->nfiles; i++) {
		char *text = NULL;
		size_t len = 0;
		if (util_read_file(hc->files[i], HOLDER_FILE_MAX * 4, &text, &len) != KOE_OK) {
			koe_msg_set(msg, KOE_EIO, "cannot read the key holder file '%s': %s",
			            hc->files[i], errno ? strerror(errno) : "too large");
			return -1;
		}
		err = survey_holder_check(survey, hc->files[i], text, len, h, hc->files, i, &h[i], msg);
		free(text);
		if (err != KOE_OK)
			return -1;
	}
	*n = hc->nfiles;
	if (hc->nfiles > 0)
		return 0;
	if (cli_read_passphrase(C, hc->pass_file, true, pass, sizeof(pass), &passlen) != 0)
		return -1;
	err = seal_holder_new(survey, SURVEY_SINGLE_HOLDER_NAME, pass, passlen, &h[0]);
	sodium_memzero(pass, sizeof(pass));
	if (err != KOE_OK) {
		koe_msg_set(msg, err, "cannot derive the report key: %s", koe_strerror(err));
		return -1;
	}
	*n = 1;
	return 0;
}

static void
open_progress(void *ctx, size_t done, size_t total)
{
	(void)ctx;
	cli_progress("creating invitations", done, total);
}

struct open_args {
	const char *survey_path, *roster_path, *db_opt, *key_opt, *out_path;
	char *base_url;
	struct holders_ctx holders;
	struct cli_mail mail;
};

/* With --smtp and no --out, survey_open's links go nowhere: each is
 * replaced by a new one as its e-mail is sent (survey_mail), so no link is
 * ever written to a file. */
static int
discard_begin(void *ctx, struct koe_msg *msg)
{
	(void)ctx;
	(void)msg;
	return 0;
}

static int
discard_link(void *ctx, const struct roster_row *row, const char *url)
{
	(void)ctx;
	(void)row;
	(void)url;
	return 0;
}

/* Reads and parses a file the way koe check does, printing the diagnostics. */
static char *
read_input(const char *path, size_t max, size_t *len)
{
	char *buf = NULL;
	enum koe_err err = util_read_file(path, max, &buf, len);
	if (err != KOE_OK)
		cli_err(C, "cannot read '%s': %s", path,
		        err == KOE_ETOOBIG ? "file too large" : strerror(errno));
	return buf;
}

/* Everything after the arguments: the files, the operation, the summary. */
/* A bad mail template is found before the survey is opened. */
static bool
template_ok(const char *path)
{
	char *t = NULL;
	size_t tlen = 0;
	struct mail_template tmpl;
	struct koe_diags d = {0};
	if ((t = read_input(path, 1 << 20, &tlen)) == NULL)
		return false;
	enum koe_err terr = mail_template_parse(t, tlen, &tmpl, &d);
	free(t);
	if (terr != KOE_OK) {
		koe_diags_print(&d, path, stderr);
		koe_diags_free(&d);
		cli_err(C, "fix the template first; nothing was changed");
		return false;
	}
	koe_diags_free(&d);
	mail_template_free(&tmpl);
	return true;
}

static int
open_survey(const struct open_args *a)
{
	char *qbuf = NULL, *rbuf = NULL, keybuf[PATH_MAX];
	size_t qlen = 0, rlen = 0;
	struct koe_diags d = {0};
	struct qn_survey *s = NULL;
	struct roster *ro = NULL;
	struct seg_table *segs = NULL;
	struct db *db = NULL;
	struct cli_links links = {.cmd = C, .path = a->out_path};
	struct survey_open_result res;
	struct koe_msg msg = {{0}};
	int status = 1;

	/* 1. The questionnaire, with the same diagnostics as koe check. */
	if ((qbuf = read_input(a->survey_path, QN_MAX_FILE_BYTES, &qlen)) == NULL)
		goto done;
	if (qn_parse(qbuf, qlen, a->survey_path, &s, &d) != KOE_OK) {
		koe_diags_print(&d, a->survey_path, stderr);
		cli_err(C, "fix the questionnaire first (koe check %s); nothing was changed",
		        a->survey_path);
		goto done;
	}
	/* Warnings (HTML removed) as koe check prints them; the list is then
	 * the roster's. */
	koe_diags_print(&d, a->survey_path, stderr);
	koe_diags_free(&d);
	/* 2. The roster, with the survey's segment columns. */
	if ((rbuf = read_input(a->roster_path, ROSTER_MAX_BYTES, &rlen)) == NULL)
		goto done;
	if (roster_parse(rbuf, rlen, s->segments, s->nsegments, &ro, &d) != KOE_OK) {
		koe_diags_print(&d, a->roster_path, stderr);
		cli_err(C, "fix the roster first; nothing was changed");
		goto done;
	}
	/* 3. The groups, and 4. refuse to replace a links file, before the
	 * database is touched or anything is asked. */
	if (survey_groups(s, ro, &segs, &msg) != KOE_OK) {
		cli_err(C, "%s", msg.text);
		goto done;
	}
	if (a->mail.template_path && !template_ok(a->mail.template_path))
		goto done;
	if (a->out_path && access(a->out_path, F_OK) == 0) {
		cli_err(C, "'%s' already exists; move it away or choose another file with --out "
		           "(it may hold the links of a running survey)",
		        a->out_path);
		goto done;
	}
	db = cli_open_db(C, cli_db_path(a->db_opt), true);
	if (db == NULL)
		goto done;
	const char *key_path = cli_key_path(a->key_opt, cli_db_path(a->db_opt), keybuf,
	                                    sizeof(keybuf));
	struct survey_open_req req = {
		.survey = s, .source = qbuf, .source_len = qlen, .roster = ro, .groups = segs,
		.base_url = a->base_url, .db = db, .db_name = cli_db_path(a->db_opt),
		.key_path = key_path, .holders = get_holders,
		.links = a->out_path ? cli_links_sink(&links)
		                     : (struct survey_links){.begin = discard_begin, .link = discard_link,
		                                             .before_commit = discard_begin},
		.progress = open_progress, .ctx = (void *)&a->holders,
	};
	enum koe_err err = survey_open(&req, &res, &msg);
	if (a->out_path)
		cli_links_done(&links, err == KOE_OK);
	if (err != KOE_OK) {
		if (msg.text[0])
			cli_err(C, "%s", msg.text);
		goto done;
	}
	cli_open_print(&(struct cli_opened){.survey = s, .groups = segs, .res = &res,
	                                    .invited = ro->nrows, .links_path = a->out_path,
	                                    .key_path = key_path, .base_url = a->base_url,
	                                    .db_opt = a->db_opt});
	status = 0;
	if (cli_mail_wanted(&a->mail)) {
		struct db_survey rec = {0};
		char resume[1024];
		int n = snprintf(resume, sizeof(resume), "send %s --smtp '%s' --from '%s'", s->id,
		                 a->mail.url ? a->mail.url : "", a->mail.from);
		if (a->mail.user && n > 0 && (size_t)n < sizeof(resume))
			n += snprintf(resume + n, sizeof(resume) - (size_t)n,
			              " --smtp-user '%s' --smtp-password-file '%s'", a->mail.user,
			              a->mail.password_file);
		if (a->db_opt && n > 0 && (size_t)n < sizeof(resume))
			snprintf(resume + n, sizeof(resume) - (size_t)n, " --db '%s'", a->db_opt);
		printf("\n");
		fflush(stdout);
		if (db_survey_get(db, s->id, &rec) != KOE_OK) {
			cli_err(C, "cannot read the survey back: %s", db_errmsg(db));
			status = 1;
		} else {
			struct cli_mail m = a->mail;
			status = cli_mail_run(C, &m, db, &rec, key_path, MAIL_INVITATION, resume);
		}
		db_survey_clear(&rec);
	}
done:
	db_close(db);
	seg_table_free(segs);
	roster_free(ro);
	qn_survey_free(s);
	koe_diags_free(&d);
	free(qbuf);
	free(rbuf);
	return status;
}

static int
cmd_open_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"roster", required_argument, NULL, 'r'},
		{"base-url", required_argument, NULL, 'u'},
		{"db", required_argument, NULL, 'd'},
		{"key", required_argument, NULL, 'k'},
		{"out", required_argument, NULL, 'o'},
		{"passphrase-file", required_argument, NULL, 'p'},
		{"holder", required_argument, NULL, 'H'},
		CLI_MAIL_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	const char *holder_files[SEAL_HOLDERS_MAX], *url_opt = NULL;
	struct open_args a = {.out_path = NULL};
	int c, status;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_mail_option(&a.mail, c, optarg))
			continue;
		switch (c) {
		case 'r': a.roster_path = optarg; break;
		case 'u': url_opt = optarg; break;
		case 'd': a.db_opt = optarg; break;
		case 'k': a.key_opt = optarg; break;
		case 'o': a.out_path = optarg; break;
		case 'p': a.holders.pass_file = optarg; break;
		case 'H':
			if (a.holders.nfiles == SEAL_HOLDERS_MAX)
				return cli_usage("open", USAGE, "at most 8 key holders (--holder)");
			holder_files[a.holders.nfiles++] = optarg;
			break;
		default:
			return cli_usage("open", USAGE, NULL);
		}
	}
	a.holders.files = holder_files;
	if (optind == argc)
		return cli_usage("open", USAGE, "name the questionnaire file");
	if (optind != argc - 1)
		return cli_usage("open", USAGE, "name one questionnaire file");
	if (a.roster_path == NULL)
		return cli_usage("open", USAGE, "--roster ROSTER.csv is required (who is invited)");
	if (url_opt == NULL)
		return cli_usage("open", USAGE,
		                 "--base-url URL is required (where employees reach 'koe serve', "
		                 "e.g. https://survey.example.co.jp)");
	if (a.holders.nfiles > 0 && a.holders.pass_file != NULL)
		return cli_usage("open", USAGE,
		                 "give either --holder files (one per key holder) or "
		                 "--passphrase-file (a single holder), not both");
	if (cli_mail_wanted(&a.mail)) {
		if (a.out_path)
			return cli_usage("open", USAGE,
			                 "--out writes the links for a mail merge; with --smtp koe sends "
			                 "them and no file holds them (choose one)");
		if ((status = cli_mail_check(C, &a.mail)) != 0)
			return status;
	} else if (a.out_path == NULL) {
		a.out_path = "links.csv";
	}
	a.survey_path = argv[optind];
	a.base_url = survey_base_url(url_opt);
	if (a.base_url == NULL) {
		cli_err(C, "'%s' is not a usable base URL (write it like https://survey.example.jp)",
		        url_opt);
		return 1;
	}
	status = open_survey(&a);
	free(a.base_url);
	return status;
}

const struct cli_command cmd_open = {
	.name = "open",
	.summary = "start a survey: invitations, groups and the links file",
	.help =
	"usage: koe open SURVEY.txt --roster ROSTER.csv --base-url URL\n"
	"                [--holder FILE]... [--db FILE] [--key FILE] [--out links.csv]\n"
	"                [--passphrase-file FILE]\n"
	"\n"
	"Loads the questionnaire and the roster (both checked like 'koe check'),\n"
	"groups employees so that every group has at least MinGroup people, creates\n"
	"one one-time link per employee and writes them to links.csv (UTF-8 with BOM\n"
	"for Excel: employee_id, email, name, link) for the mail merge.\n"
	"\n"
	"The answers are sealed to the report's key holders. Best: two or more\n"
	"people (say HR and an employee representative) each run 'koe holder' on\n"
	"their own machine and hand you the file it writes; give each with --holder.\n"
	"The report then needs every holder's passphrase; nobody alone can read an\n"
	"answer. Without --holder, koe asks twice for one report passphrase and HR is\n"
	"the single holder: whoever knows it can read every answer (never who gave it).\n"
	"\n"
	"  --roster FILE           CSV with employee_id, optional email and name, and\n"
	"                          the columns named in [[Segments:...]]\n"
	"  --base-url URL          where employees reach 'koe serve', e.g.\n"
	"                          https://survey.example.jp\n"
	"  --db FILE               database (default: $KOE_DB or koe.db)\n"
	"  --key FILE              master key file, created on first use (default:\n"
	"                          $KOE_KEY or koe.key beside the database)\n"
	"  --out FILE              links file (default: links.csv; never overwritten)\n"
	"  --holder FILE           a key holder's public part from 'koe holder'\n"
	"                          (repeat for each holder, at most 8)\n"
	"  --passphrase-file FILE  single holder: read the passphrase from the first\n"
	"                          line of FILE instead of asking (for scripts)\n"
	"\n"
	"Sending the invitations (then no links file is written unless --out is given;\n"
	"a run that stops is resumed with 'koe send'):\n"
	CLI_MAIL_HELP
	"\n"
	"Nothing is changed when anything fails, and a survey id can be opened once.\n",
	.run = cmd_open_run,
};
