/* koe send [SURVEY] --smtp URL --from ADDR — e-mail each invitation not yet
 * sent (or failed) with a new link (docs/ARCHITECTURE.md §2.6). */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "koe/mail.h"

#define USAGE "[SURVEY] " CLI_MAIL_SYNOPSIS " [--db FILE] [--key FILE]"

static const char *const C = "send";

static int
cmd_send_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"key", required_argument, NULL, 'k'},
		CLI_MAIL_OPTIONS,
		{NULL, 0, NULL, 0},
	};
	const char *db_opt = NULL, *key_opt = NULL;
	char keybuf[PATH_MAX], resume[1024];
	struct cli_mail m = {0};
	struct db *db = NULL;
	struct db_survey rec = {0};
	char *id = NULL;
	int status = 1, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_db_key_option(c, &db_opt, &key_opt))
			continue;
		if (cli_mail_option(&m, c, optarg))
			continue;
		switch (c) {
		default: return cli_usage(C, USAGE, NULL);
		}
	}
	if (argc - optind > 1)
		return cli_usage_extra(C, USAGE, argv[optind + 1]);
	if ((status = cli_mail_check(C, &m)) != 0)
		return status;
	status = 1;
	if (cli_open_survey(C, db_opt, optind < argc ? argv[optind] : NULL, &db, &id, &rec) != 0)
		goto done;
	/* The resuming command: the same options (never a password). */
	int n = snprintf(resume, sizeof(resume), "send %s --smtp '%s' --from '%s'", id,
	                 m.url ? m.url : "", m.from);
	if (m.user && n > 0 && (size_t)n < sizeof(resume))
		n += snprintf(resume + n, sizeof(resume) - (size_t)n,
		              " --smtp-user '%s' --smtp-password-file '%s'", m.user, m.password_file);
	if (m.template_path && n > 0 && (size_t)n < sizeof(resume))
		n += snprintf(resume + n, sizeof(resume) - (size_t)n, " --template '%s'",
		              m.template_path);
	if (db_opt && n > 0 && (size_t)n < sizeof(resume))
		snprintf(resume + n, sizeof(resume) - (size_t)n, " --db '%s'", db_opt);
	status = cli_mail_run(C, &m, db, &rec,
	                      cli_key_path(key_opt, cli_db_path(db_opt), keybuf, sizeof(keybuf)),
	                      MAIL_INVITATION, resume);
done:
	cli_survey_release(db, id, &rec);
	return status;
}

const struct cli_command cmd_send = {
	.name = "send",
	.summary = "e-mail the invitations not yet sent (or failed), each with a new link",
	.help =
	"usage: koe send [SURVEY] --smtp URL --from ADDRESS [--smtp-user USER\n"
	"                --smtp-password-file FILE] [--smtp-ca-file FILE] [--template FILE]\n"
	"                [--rate N] [--dry-run DIR] [--db FILE] [--key FILE]\n"
	"\n"
	"E-mails every employee whose invitation was not sent yet or failed and who\n"
	"has not opened a link. Each message carries a NEW link; the previous one\n"
	"stops working, so nobody holds two. An interrupted run is resumed by running\n"
	"the same command again. The links are in the e-mails only: koe keeps whether\n"
	"a message was sent (or the server's reply), never the link.\n"
	"\n"
	CLI_MAIL_HELP,
	.run = cmd_send_run,
};
