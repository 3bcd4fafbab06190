/* koe close [SURVEY] — stop answers, publish receipts, forget who was
 * invited. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"

/* The synopsis of usage errors; the help below spells it out on its own lines. */
#define USAGE "[SURVEY] [--yes] [--db FILE]"

static const char *const C = "close";

void
cli_close_print(const char *id, const struct survey_close_result *res, const char *db_opt)
{
	if (!res->compacted)
		fprintf(stderr, "koe close: warning: could not compact the database (%s); the "
		                "deleted rows may linger in the file until it is vacuumed "
		                "(sqlite3 %s VACUUM)\n",
		        res->warning.text, cli_db_path(db_opt));
	printf("Survey '%s' is closed.\n", id);
	printf("Responses: %" PRId64 ". Receipt digest (SHA-256 of the sorted receipt list):\n  %s\n",
	       res->count, res->digest);
	printf("The invitation list (employee ids, e-mail addresses, names) has been deleted;\n"
	       "only counts per group remain. Next: %s report %s%s%s --out reports/%s.pdf\n",
	       cli_self, id, db_opt ? " --db " : "", db_opt ? db_opt : "", id);
}

/* Closing cannot be undone: a terminal question unless --yes. */
static bool
confirmed(const char *id)
{
	char q[512];
	if (!isatty(STDIN_FILENO) && access("/dev/tty", R_OK) != 0) {
		cli_err(C, "closing cannot be undone; add --yes to confirm");
		return false;
	}
	snprintf(q, sizeof(q),
	         "Close '%s'? Answers stop, and the list of who was invited is deleted "
	         "for good.",
	         id);
	if (!cli_confirm(q)) {
		cli_err(C, "not closed; to close, answer y at the question, or add --yes "
		           "(without a terminal, --yes is the only way)");
		return false;
	}
	return true;
}

static int
cmd_close_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"yes", no_argument, NULL, 'y'},
		{NULL, 0, NULL, 0},
	};
	const char *db_opt = NULL;
	struct db *db = NULL;
	struct db_survey rec = {0};
	struct survey_close_result res;
	struct koe_msg msg;
	char *id = NULL;
	int status = 1, c, yes = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_db_key_option(c, &db_opt, NULL))
			continue;
		switch (c) {
		case 'y': yes = 1; break;
		default:
			return cli_usage("close", USAGE, NULL);
		}
	}
	if (argc - optind > 1) {
		return cli_usage_extra("close", USAGE, argv[optind + 1]);
	}
	if (cli_open_survey(C, db_opt, optind < argc ? argv[optind] : NULL, &db, &id, &rec) != 0)
		goto done;
	if (rec.state != DB_OPEN) {
		cli_err(C, "survey '%s' is already closed (receipt digest %s)", id,
		        rec.receipts_digest ? rec.receipts_digest : "-");
		goto done;
	}
	if (!yes && !confirmed(id))
		goto done;
	if (survey_close(db, id, &res, &msg) != KOE_OK) {
		cli_err(C, "%s", msg.text);
		goto done;
	}
	cli_close_print(id, &res, db_opt);
	status = 0;
done:
	cli_survey_release(db, id, &rec);
	return status;
}

const struct cli_command cmd_close = {
	.name = "close",
	.summary = "stop answers, publish receipts, delete the invitation list",
	.help =
	"usage: koe close [SURVEY] [--yes] [--db FILE]\n"
	"\n"
	"Stops accepting answers, fixes the list of receipts (employees can check\n"
	"that theirs is in it) and its digest, and deletes every invitation with its\n"
	"employee id, e-mail address and name, keeping only counts per group. This\n"
	"cannot be undone; it asks for confirmation unless --yes is given.\n",
	.run = cmd_close_run,
};
