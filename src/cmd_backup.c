/* koe backup --out COPY — a consistent copy of the database, also while
 * koe serve runs (docs/ARCHITECTURE.md §4.6). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

/* The synopsis of usage errors; the help below spells it out on its own lines. */
#define USAGE "--out COPY [--db FILE]"

static const char *const C = "backup";

static int
cmd_backup_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"out", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	const char *db_opt = NULL, *out = NULL;
	struct db *db;
	struct koe_msg msg;
	int c, status = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_db_key_option(c, &db_opt, NULL))
			continue;
		if (c != 'o')
			return cli_usage(C, USAGE, NULL);
		out = optarg;
	}
	if (optind < argc)
		return cli_usage_extra(C, USAGE, argv[optind]);
	if (out == NULL || *out == '\0')
		return cli_usage(C, USAGE, "give the copy's file name with --out");
	if ((db = cli_open_db(C, cli_db_path(db_opt), false)) == NULL)
		return 1;
	if (db_backup(db, out, &msg) != KOE_OK) {
		cli_err(C, "%s", msg.text);
		goto done;
	}
	/* No count of answers: while a survey is open, exact counts are not
	 * released (docs/ARCHITECTURE.md §7, rule 3). */
	printf("Wrote '%s' (mode 0600): a consistent copy, integrity checked.\n"
	       "It is as sensitive as the database: keep it where only the survey's\n"
	       "operators can read it, never beside the key file or on a shared drive.\n"
	       "To restore: %s restore '%s'%s%s\n",
	       out, cli_self, out, db_opt ? " --db " : "", db_opt ? db_opt : "");
	status = 0;
done:
	db_close(db);
	return status;
}

const struct cli_command cmd_backup = {
	.name = "backup",
	.summary = "write a consistent copy of the database (also while serving)",
	.help =
	"usage: koe backup --out COPY [--db FILE]\n"
	"\n"
	"Writes a consistent copy of the database to COPY while koe serve goes on\n"
	"answering. COPY must not exist; it is written to a temporary file beside\n"
	"it (mode 0600), checked, and only then given its name. Every answer\n"
	"acknowledged before koe backup started is in the copy; answers\n"
	"acknowledged while it runs may be; later ones are not.\n"
	"\n"
	"The copy is one file: no write-ahead log, no free pages holding old rows,\n"
	"rows in key order, so it shows no more than the database does. It holds\n"
	"what the database holds (while a survey is open: names and e-mail\n"
	"addresses) and not the key file (koe.key), which is backed up once,\n"
	"separately. Restore with 'koe restore COPY'.\n",
	.run = cmd_backup_run,
};
