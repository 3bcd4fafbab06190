/* koe open SURVEY.txt --roster ROSTER.csv --base-url URL — start a survey:
 * load the questionnaire and the roster, build k-anonymous segments, create
 * one invitation per employee and write the mail-merge file of links. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "koe/csv.h"
#include "koe/holder.h"
#include "koe/invite.h"
#include "koe/qn.h"
#include "koe/roster.h"
#include "koe/seal.h"
#include "koe/seg.h"
#include "koe/tok.h"
#include "koe/util.h"

/* The synopsis of usage errors; the help below spells it out on its own lines. */
#define USAGE "SURVEY.txt --roster ROSTER.csv --base-url URL [--holder FILE]... [--db FILE] [--key FILE] [--out links.csv] [--passphrase-file FILE]"

/* The one holder made from HR's passphrase when no --holder is given. */
#define SINGLE_HOLDER_NAME "HR"

static const char *const C = "open";

/* Accepts http(s)://host[:port][/path] without query, fragment or spaces;
 * returns a copy without the trailing slash, or NULL. */
static char *
clean_base_url(const char *url)
{
	size_t len = strlen(url);
	const char *host;
	char *out;

	if (strncmp(url, "https://", 8) == 0)
		host = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		host = url + 7;
	else
		return NULL;
	if (*host == '\0' || *host == '/' || strpbrk(url, " \t\r\n?#\"'<>\\") != NULL || len > 512)
		return NULL;
	while (len > 0 && url[len - 1] == '/')
		len--;
	out = strndup(url, len);
	return out;
}

static int
is_loopback_url(const char *url)
{
	const char *h = strstr(url, "://") + 3;
	return strncmp(h, "localhost", 9) == 0 || strncmp(h, "127.", 4) == 0 ||
	       strncmp(h, "[::1]", 5) == 0;
}

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

/* Reads and checks each holder's public part for survey: the proof must
 * verify for this survey, and no name or key may repeat. */
static int
load_holders(const char *survey, const char *const *files, size_t n, struct seal_holder *h)
{
	for (size_t i = 0; i < n; i++) {
		char *text = NULL, sid[HOLDER_SURVEY_MAX], msg[200];
		size_t len = 0;
		if (util_read_file(files[i], HOLDER_FILE_MAX * 4, &text, &len) != KOE_OK) {
			cli_err(C, "cannot read the key holder file '%s': %s", files[i],
			        errno ? strerror(errno) : "too large");
			return 1;
		}
		enum koe_err err = holder_parse(text, len, sid, &h[i], msg, sizeof(msg));
		free(text);
		if (err != KOE_OK) {
			cli_err(C, "%s: %s", files[i], msg);
			return 1;
		}
		if (strcmp(sid, survey) != 0) {
			cli_err(C, "%s: made for survey '%s', not '%s'; ask %s to run "
			           "'koe holder %s --name ...' again",
			        files[i], sid, survey, h[i].name, survey);
			return 1;
		}
		if (seal_holder_verify(survey, &h[i]) != KOE_OK) {
			cli_err(C, "%s: the proof does not verify (the file was altered or is not %s's); "
			           "ask the holder to make it again", files[i], h[i].name);
			return 1;
		}
		for (size_t j = 0; j < i; j++)
			if (strcmp(h[i].name, h[j].name) == 0 ||
			    memcmp(h[i].pub, h[j].pub, SEAL_PK_BYTES) == 0) {
				cli_err(C, "%s and %s are the same key holder (%s); every holder makes "
				           "their own share", files[j], files[i], h[i].name);
				return 1;
			}
	}
	return 0;
}

static int
run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"roster", required_argument, NULL, 'r'},
		{"base-url", required_argument, NULL, 'u'},
		{"db", required_argument, NULL, 'd'},
		{"key", required_argument, NULL, 'k'},
		{"out", required_argument, NULL, 'o'},
		{"passphrase-file", required_argument, NULL, 'p'},
		{"holder", required_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	const char *holder_files[SEAL_HOLDERS_MAX];
	size_t nholder_files = 0;
	struct seal_holder holders[SEAL_HOLDERS_MAX];
	size_t nholders = 0;
	const char *roster_path = NULL, *url_opt = NULL, *db_opt = NULL, *key_opt = NULL,
	           *out_path = "links.csv", *pass_file = NULL, *survey_path;
	char keybuf[4096], tmp_path[4200], pass[SEAL_PASS_MAX + 2];
	char *qbuf = NULL, *rbuf = NULL, *base_url = NULL;
	size_t qlen = 0, rlen = 0, passlen = 0;
	struct koe_diags d = {0};
	struct qn_survey *s = NULL;
	struct roster *ro = NULL;
	struct seg_table *segs = NULL;
	const char **values = NULL;
	struct db *db = NULL;
	struct db_survey rec = {0};
	struct tok_survey_key key = {0};
	uint8_t seed[TOK_SEED_BYTES], inv_key[INVITE_KEY_BYTES];
	FILE *links = NULL;
	int status = 1, c, created = 0, tmp_made = 0, in_tx = 0;
	char msg[TOK_MSG_MAX];
	enum koe_err err;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'r': roster_path = optarg; break;
		case 'u': url_opt = optarg; break;
		case 'd': db_opt = optarg; break;
		case 'k': key_opt = optarg; break;
		case 'o': out_path = optarg; break;
		case 'p': pass_file = optarg; break;
		case 'H':
			if (nholder_files == SEAL_HOLDERS_MAX)
				return cli_usage("open", USAGE, "at most 8 key holders (--holder)");
			holder_files[nholder_files++] = optarg;
			break;
		default:
			return cli_usage("open", USAGE, NULL);
		}
	}
	if (optind == argc)
		return cli_usage("open", USAGE, "name the questionnaire file");
	if (optind != argc - 1)
		return cli_usage("open", USAGE, "name one questionnaire file");
	if (roster_path == NULL)
		return cli_usage("open", USAGE, "--roster ROSTER.csv is required (who is invited)");
	if (url_opt == NULL)
		return cli_usage("open", USAGE,
		                 "--base-url URL is required (where employees reach 'koe serve', "
		                 "e.g. https://survey.example.co.jp)");
	if (nholder_files > 0 && pass_file != NULL)
		return cli_usage("open", USAGE,
		                 "give either --holder files (one per key holder) or "
		                 "--passphrase-file (a single holder), not both");
	survey_path = argv[optind];
	base_url = clean_base_url(url_opt);
	if (base_url == NULL) {
		cli_err(C, "'%s' is not a usable base URL (write it like https://survey.example.jp)",
		        url_opt);
		goto done;
	}

	/* 1. The questionnaire, with the same diagnostics as koe check. */
	err = util_read_file(survey_path, QN_MAX_FILE_BYTES, &qbuf, &qlen);
	if (err != KOE_OK) {
		cli_err(C, "cannot read '%s': %s", survey_path,
		        err == KOE_ETOOBIG ? "file too large" : strerror(errno));
		goto done;
	}
	err = qn_parse(qbuf, qlen, survey_path, &s, &d);
	if (err != KOE_OK) {
		koe_diags_print(&d, survey_path, stderr);
		cli_err(C, "fix the questionnaire first (koe check %s); nothing was changed", survey_path);
		goto done;
	}

	/* 2. The roster, with the survey's segment columns. */
	err = util_read_file(roster_path, ROSTER_MAX_BYTES, &rbuf, &rlen);
	if (err != KOE_OK) {
		cli_err(C, "cannot read '%s': %s", roster_path,
		        err == KOE_ETOOBIG ? "file too large" : strerror(errno));
		goto done;
	}
	err = roster_parse(rbuf, rlen, s->segments, s->nsegments, &ro, &d);
	if (err != KOE_OK) {
		koe_diags_print(&d, roster_path, stderr);
		cli_err(C, "fix the roster first; nothing was changed");
		goto done;
	}

	/* 3. k-anonymous segments before any link exists. */
	values = calloc(ro->nrows * (s->nsegments ? s->nsegments : 1), sizeof(*values));
	if (values == NULL)
		goto oom;
	for (size_t r = 0; r < ro->nrows; r++)
		for (size_t g = 0; g < s->nsegments; g++)
			values[r * s->nsegments + g] = ro->rows[r].segments[g];
	err = seg_build(values, ro->nrows, s->nsegments, (size_t)s->min_group, &segs);
	if (err == KOE_EINVAL) {
		cli_err(C, "the roster has %zu people; a survey needs at least %d (MinGroup) so that "
		           "no answer can be traced to anyone",
		        ro->nrows, s->min_group);
		goto done;
	}
	if (err != KOE_OK)
		goto oom;

	/* 4. The database: refuse a survey that exists, before asking anything. */
	if (access(out_path, F_OK) == 0) {
		cli_err(C, "'%s' already exists; move it away or choose another file with --out "
		           "(it may hold the links of a running survey)",
		        out_path);
		goto done;
	}
	db = cli_open_db(C, cli_db_path(db_opt), true);
	if (db == NULL)
		goto done;
	{
		struct db_survey old;
		err = db_survey_get(db, s->id, &old);
		db_survey_clear(&old);
		if (err == KOE_OK) {
			cli_err(C, "survey '%s' is already open in %s; nothing was changed "
			           "(see 'koe status %s'; give the questionnaire a new [[Survey:...]] id "
			           "to run it again)",
			        s->id, cli_db_path(db_opt), s->id);
			goto done;
		}
		if (err != KOE_ENOTFOUND) {
			cli_err(C, "cannot read the database: %s", db_errmsg(db));
			goto done;
		}
	}

	/* 5. Keys: the master seed (created on first use), the survey key. */
	err = tok_seed_load_or_create(cli_key_path(key_opt, cli_db_path(db_opt), keybuf,
	                                           sizeof(keybuf)),
	                              seed, &created, msg, sizeof(msg));
	if (err != KOE_OK) {
		cli_err(C, "%s", msg);
		goto done;
	}
	if (tok_survey_key_derive(seed, s->id, &key) != KOE_OK) {
		cli_err(C, "cannot derive the survey key");
		goto done;
	}
	invite_key_derive(seed, inv_key);

	/* 6. The report key: the holders' public parts, checked, or one holder
	 * made here from HR's passphrase. Only public parts are kept. */
	if (nholder_files > 0) {
		if (load_holders(s->id, holder_files, nholder_files, holders) != 0)
			goto done;
		nholders = nholder_files;
	} else {
		if (cli_read_passphrase(C, pass_file, true, pass, sizeof(pass), &passlen) != 0)
			goto done;
		err = seal_holder_new(s->id, SINGLE_HOLDER_NAME, pass, passlen, &holders[0]);
		sodium_memzero(pass, sizeof(pass));
		if (err != KOE_OK) {
			cli_err(C, "cannot derive the report key: %s", koe_strerror(err));
			goto done;
		}
		nholders = 1;
	}
	if ((err = seal_holders_key(holders, nholders, rec.report_pk)) != KOE_OK) {
		cli_err(C, "the key holders' public parts do not add up to a usable key "
		           "(one cancels another); ask each holder to make theirs again");
		goto done;
	}
	rec.id = (char *)s->id;
	rec.title = (char *)s->title;
	rec.base_url = base_url;
	rec.source = (uint8_t *)qbuf;
	rec.source_len = qlen;
	memcpy(rec.public_key, key.pk, sizeof(rec.public_key));
	memcpy(rec.key_id, key.key_id, sizeof(rec.key_id));
	rec.invited = (int64_t)ro->nrows;

	/* 7. One transaction for everything; the links file is written to a
	 * temporary name first and renamed just before the commit, so a failure
	 * leaves neither a half database nor a links file that does not work. */
	snprintf(tmp_path, sizeof(tmp_path), "%s.tmp", out_path);
	/* The links are secrets (each one answers as an employee): 0600. */
	{
		int fd = open(tmp_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		links = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (fd >= 0 && links == NULL)
			close(fd);
	}
	if (links == NULL) {
		cli_err(C, "cannot create '%s': %s", tmp_path, strerror(errno));
		goto done;
	}
	tmp_made = 1;
	fputs("\xEF\xBB\xBF" "employee_id,email,name,link\r\n", links);
	if (db_begin(db) != KOE_OK) {
		cli_err(C, "the database is busy or read-only: %s", db_errmsg(db));
		goto done;
	}
	in_tx = 1;
	if (db_survey_insert(db, &rec) != KOE_OK)
		goto dberr;
	for (size_t i = 0; i < nholders; i++)
		if (db_holder_insert(db, s->id, (int)i, &holders[i]) != KOE_OK)
			goto dberr;
	/* Room for every answer before any arrives (db.h). */
	if (db_storage_reserve_for(db, s->id, (int64_t)ro->nrows) != KOE_OK)
		goto dberr;
	for (size_t g = 0; g < segs->ngroups; g++)
		if (db_segment_insert(db, s->id, segs->groups[g].code, segs->groups[g].label,
		                      (int64_t)segs->groups[g].count) != KOE_OK)
			goto dberr;
	for (size_t r = 0; r < ro->nrows; r++) {
		const struct roster_row *row = &ro->rows[r];
		char code[INVITE_CODE_LEN + 1];
		uint8_t hash[INVITE_HASH_BYTES];
		invite_new(code);
		/* invite_new() makes well-formed codes. */
		KOE_ASSERT(invite_hash(inv_key, s->id, code, hash) == KOE_OK);
		if (db_invitation_insert(db, s->id, hash, row->employee_id, row->email, row->name,
		                         segs->groups[segs->row_group[r]].code) != KOE_OK)
			goto dberr;
		/* Every cell through the one CSV writer (formulas neutralized). */
		char link[INVITE_CODE_LEN + 520];
		snprintf(link, sizeof(link), "%s/s/%s", base_url, code);
		const char *cells[] = {row->employee_id, row->email, row->name, link};
		csv_row(links, cells, 4, "\r\n");
		sodium_memzero(code, sizeof(code));
		sodium_memzero(link, sizeof(link));
		cli_progress("creating invitations", r + 1, ro->nrows);
	}
	if (fflush(links) != 0 || fsync(fileno(links)) != 0 || fclose(links) != 0) {
		links = NULL;
		cli_err(C, "cannot write '%s': %s", tmp_path, strerror(errno));
		goto done;
	}
	links = NULL;
	if (rename(tmp_path, out_path) != 0) {
		cli_err(C, "cannot create '%s': %s", out_path, strerror(errno));
		goto done;
	}
	tmp_made = 0;
	if (db_commit(db) != KOE_OK) {
		unlink(out_path);
		cli_err(C, "cannot save the survey: %s; nothing was changed", db_errmsg(db));
		goto done;
	}
	in_tx = 0;

	printf("Survey '%s' is open: %zu invitations, %zu groups, k = %d.\n", s->id, ro->nrows,
	       segs->ngroups, s->min_group);
	print_segments(segs, (size_t)s->min_group, s->segments, s->nsegments);
	if (nholders > 1) {
		printf("\nKey holders (the report needs every one of their passphrases):\n");
		for (size_t i = 0; i < nholders; i++)
			printf("  %zu. %s\n", i + 1, holders[i].name);
	} else {
		printf("\nOne key holder: whoever knows the report passphrase can read every answer\n"
		       "(never who gave it). To share that power, use 'koe holder' and --holder.\n");
	}
	printf("\nLinks for the mail merge: %s (UTF-8 with BOM; employee_id, email, name, link)\n",
	       out_path);
	printf("Keep that file safe: the links are not stored anywhere else.\n");
	if (created)
		printf("A new master key was created in %s (mode 0600): back it up; never share it.\n",
		       cli_key_path(key_opt, cli_db_path(db_opt), keybuf, sizeof(keybuf)));
	char fp[160];
	util_fingerprint_groups(key.key_id, 8, "\n  ", fp, sizeof(fp));
	printf("\nSurvey key fingerprint (post it on the intranet; every survey page shows it):\n"
	       "  %s\n",
	       fp);
	if (!is_loopback_url(base_url) && strncmp(base_url, "http://", 7) == 0)
		printf("\nWarning: the links use plain http; answers would cross the network "
		       "unencrypted. Serve over https (koe serve --tls-cert/--tls-key or a proxy).\n");
	printf("\nNext: start the service with '%s serve%s%s' and send the links.\n", cli_self,
	       db_opt ? " --db " : "", db_opt ? db_opt : "");
	status = 0;
	goto done;
dberr:
	cli_err(C, "cannot save the survey: %s; nothing was changed", db_errmsg(db));
	goto done;
oom:
	cli_err(C, "out of memory");
done:
	if (in_tx)
		db_rollback(db);
	if (links)
		fclose(links);
	if (tmp_made)
		unlink(tmp_path);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(inv_key, sizeof(inv_key));
	tok_survey_key_wipe(&key);
	db_close(db);
	seg_table_free(segs);
	free(values);
	roster_free(ro);
	qn_survey_free(s);
	koe_diags_free(&d);
	free(qbuf);
	free(rbuf);
	free(base_url);
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
	"Nothing is changed when anything fails, and a survey id can be opened once.\n",
	.run = run,
};
