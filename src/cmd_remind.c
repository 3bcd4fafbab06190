/* koe remind [SURVEY] — who has not opened their link yet, for a reminder
 * mail merge. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "koe/csv.h"
#include "koe/mail.h"
#include "koe/invite.h"
#include "koe/roster.h"
#include "koe/tok.h"
#include "koe/util.h"

/* The synopsis of usage errors; the help below spells it out on its own lines. */
#define USAGE "[SURVEY] [--links links.csv] [--out FILE] [--db FILE] [--key FILE] [" CLI_MAIL_SYNOPSIS "]"

static const char *const C = "remind";

struct remind {
	FILE *out;
	size_t n;
};

static int
emit(void *ctx, const struct db_invitation *inv)
{
	struct remind *r = ctx;
	const char *cells[] = {inv->employee_id, inv->email, inv->name};
	csv_row(r->out, cells, 3, "\r\n");
	r->n++;
	return 0;
}

/* With the links file from 'koe open', each unopened invitation's row is
 * written with its link: the codes are hashed and looked up, so only links
 * that really belong to this survey and were never used come out. */
static int
remind_with_links(struct db *db, const char *survey, const char *links_path,
                  const char *key_path, struct remind *r)
{
	static const char *const cols[] = {"link"};
	char *buf = NULL;
	size_t len = 0;
	struct roster *ro = NULL;
	struct koe_diags d = {0};
	uint8_t seed[TOK_SEED_BYTES], key[INVITE_KEY_BYTES];
	struct koe_msg msg;
	size_t unknown = 0, replaced = 0;
	char replaced_ids[300] = "";
	int status = 1;

	if (util_read_file(links_path, ROSTER_MAX_BYTES, &buf, &len) != KOE_OK) {
		cli_err(C, "cannot read '%s': %s", links_path, strerror(errno));
		return 1;
	}
	if (roster_parse(buf, len, cols, 1, &ro, &d) != KOE_OK) {
		koe_diags_print(&d, links_path, stderr);
		cli_err(C, "'%s' is not a links file written by 'koe open'", links_path);
		goto done;
	}
	if (tok_seed_load(key_path, seed, &msg) != KOE_OK) {
		cli_err(C, "%s", msg.text);
		goto done;
	}
	invite_key_derive(seed, key);
	sodium_memzero(seed, sizeof(seed));
	for (size_t i = 0; i < ro->nrows; i++) {
		const char *link = ro->rows[i].segments[0];
		const char *code = strstr(link, "/s/");
		uint8_t hash[INVITE_HASH_BYTES];
		struct db_invitation inv;
		if (code == NULL || invite_hash(key, survey, code + 3, hash) != KOE_OK ||
		    db_invitation_by_hash(db, survey, hash, &inv) != KOE_OK) {
			unknown++;
			continue;
		}
		/* A link replaced by 'koe reissue': the new one is not in the
		 * file. If it is unopened too, the employee still needs a
		 * reminder, which only HR can send: say who. */
		if (inv.status == DB_INV_REVOKED && inv.employee_id) {
			struct db_invitation cur;
			if (db_invitation_by_employee(db, survey, inv.employee_id, &cur) == KOE_OK) {
				if (cur.status == DB_INV_NEW) {
					size_t l = strlen(replaced_ids);
					if (replaced++ < 10)
						snprintf(replaced_ids + l, sizeof(replaced_ids) - l, "%s%s",
						         l ? ", " : "", inv.employee_id);
					else if (replaced == 11)
						snprintf(replaced_ids + l, sizeof(replaced_ids) - l, ", ...");
				}
				db_invitation_clear(&cur);
			}
		}
		if (inv.status == DB_INV_NEW) {
			const char *cells[] = {ro->rows[i].employee_id, ro->rows[i].email,
			                       ro->rows[i].name, link};
			csv_row(r->out, cells, 4, "\r\n");
			r->n++;
		}
		db_invitation_clear(&inv);
	}
	if (unknown)
		fprintf(stderr, "koe remind: note: %zu links in %s are not (or no longer) "
		                "invitations of '%s' and were left out\n",
		        unknown, links_path, survey);
	if (replaced)
		fprintf(stderr, "koe remind: note: %zu %s not opened the new link 'koe reissue' gave, "
		                "which %s does not hold, so the list leaves out: %s. Send that link again "
		                "(or run 'koe reissue' once more).\n",
		        replaced, replaced == 1 ? "employee has" : "employees have", links_path,
		        replaced_ids);
	status = 0;
done:
	sodium_memzero(key, sizeof(key));
	roster_free(ro);
	koe_diags_free(&d);
	free(buf);
	return status;
}

static int
cmd_remind_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"key", required_argument, NULL, 'k'},
		{"links", required_argument, NULL, 'l'},
		{"out", required_argument, NULL, 'o'},
		CLI_MAIL_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	const char *db_opt = NULL, *key_opt = NULL, *links = NULL, *out_path = NULL;
	char keybuf[PATH_MAX];
	struct db *db = NULL;
	struct db_survey rec = {0};
	struct remind r = {.out = stdout};
	struct cli_mail m = {0};
	char *id = NULL;
	int status = 1, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_db_key_option(c, &db_opt, &key_opt))
			continue;
		if (cli_mail_option(&m, c, optarg))
			continue;
		switch (c) {
		case 'l': links = optarg; break;
		case 'o': out_path = optarg; break;
		default:
			return cli_usage("remind", USAGE, NULL);
		}
	}
	if (argc - optind > 1) {
		return cli_usage_extra("remind", USAGE, argv[optind + 1]);
	}
	if (cli_mail_wanted(&m)) {
		if (links || out_path)
			return cli_usage(C, USAGE, "--smtp sends the reminders: no --links or --out");
		if ((status = cli_mail_check(C, &m)) != 0)
			return status;
		status = 1;
	}
	if (cli_open_survey(C, db_opt, optind < argc ? argv[optind] : NULL, &db, &id, &rec) != 0)
		goto done;
	if (rec.state != DB_OPEN) {
		cli_err(C, "survey '%s' is closed; the list of invitations no longer exists", id);
		goto done;
	}
	if (cli_mail_wanted(&m)) {
		/* Each unopened employee: a reminder with a new link. A rerun
		 * would remind everyone again; 'koe send' finishes the failed. */
		char resume[1024];
		int n = snprintf(resume, sizeof(resume), "send %s --smtp '%s' --from '%s'", id,
		                 m.url ? m.url : "", m.from);
		if (m.user && n > 0 && (size_t)n < sizeof(resume))
			n += snprintf(resume + n, sizeof(resume) - (size_t)n,
			              " --smtp-user '%s' --smtp-password-file '%s'", m.user,
			              m.password_file);
		if (db_opt && n > 0 && (size_t)n < sizeof(resume))
			snprintf(resume + n, sizeof(resume) - (size_t)n, " --db '%s'", db_opt);
		status = cli_mail_run(C, &m, db, &rec,
		                      cli_key_path(key_opt, cli_db_path(db_opt), keybuf, sizeof(keybuf)),
		                      MAIL_REMINDER, resume);
		goto done;
	}
	if (out_path) {
		/* Names and addresses, and with --links live links: 0600 from the
		 * start, never overwriting a file. */
		int fd = open(out_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		r.out = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (r.out == NULL) {
			cli_err(C, "cannot create '%s': %s", out_path, strerror(errno));
			if (fd >= 0)
				close(fd);
			goto done;
		}
	}
	fputs("\xEF\xBB\xBF", r.out);
	if (links) {
		static const char *const head[] = {"employee_id", "email", "name", "link"};
		csv_row(r.out, head, 4, "\r\n");
		if (remind_with_links(db, id, links,
		                      cli_key_path(key_opt, cli_db_path(db_opt), keybuf, sizeof(keybuf)),
		                      &r) != 0)
			goto done;
	} else {
		static const char *const head[] = {"employee_id", "email", "name"};
		csv_row(r.out, head, 3, "\r\n");
		if (db_invitations_unopened(db, id, emit, &r) != KOE_OK) {
			cli_err(C, "cannot read the database: %s", db_errmsg(db));
			goto done;
		}
	}
	if (fflush(r.out) != 0) {
		cli_err(C, "cannot write the list: %s", strerror(errno));
		goto done;
	}
	if (links)
		fprintf(stderr, "%zu %s not opened their link yet, listed with it.\n", r.n,
		        r.n == 1 ? "employee has" : "employees have");
	else
		fprintf(stderr, "%zu %s not opened their link yet. (Give --links links.csv to include "
		                "their links.)\n",
		        r.n, r.n == 1 ? "employee has" : "employees have");
	status = 0;
done:
	if (r.out && r.out != stdout && fclose(r.out) != 0 && status == 0) {
		cli_err(C, "cannot write '%s': %s", out_path, strerror(errno));
		status = 1;
	}
	cli_survey_release(db, id, &rec);
	return status;
}

const struct cli_command cmd_remind = {
	.name = "remind",
	.summary = "list employees who have not opened their link",
	.help =
	"usage: koe remind [SURVEY] [--links links.csv] [--out FILE] [--db FILE] [--key FILE]\n"
	"\n"
	"Writes a CSV (UTF-8 with BOM) of the employees who have not opened their\n"
	"link yet, for a reminder mail merge. With --links (the file 'koe open'\n"
	"wrote), each row carries the employee's link. Whether someone has answered\n"
	"is never known; only whether their link fetched its token.\n"
	"\n"
	"With --smtp, each of them is e-mailed a reminder with a NEW link instead (the\n"
	"old one stops working); failed ones are finished with 'koe send':\n"
	CLI_MAIL_HELP,
	.run = cmd_remind_run,
};
