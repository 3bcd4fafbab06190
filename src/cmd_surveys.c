/* koe surveys — list the surveys of a database. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

/* The synopsis of usage errors; the help below spells it out on its own lines. */
#define USAGE "[--db FILE]"

static const char *const C = "surveys";

static int
run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	const char *db_opt = NULL;
	struct db *db;
	char **ids = NULL;
	size_t n = 0;
	int status = 1, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db_opt = optarg;
		else {
			return cli_usage("surveys", USAGE, NULL);
		}
	}
	if (optind != argc) {
		return cli_usage_extra("surveys", USAGE, argv[optind]);
	}
	db = cli_open_db(C, cli_db_path(db_opt), false);
	if (db == NULL)
		return 1;
	if (db_survey_ids(db, &ids, &n) != KOE_OK) {
		cli_err(C, "cannot read the database: %s", db_errmsg(db));
		goto done;
	}
	if (n == 0)
		printf("No surveys yet; start one with 'koe open'.\n");
	else
		printf("%-32s %-7s %8s %10s  %s\n", "survey", "state", "invited", "responded", "title");
	for (size_t i = 0; i < n; i++) {
		struct db_survey rec;
		int64_t responded = 0;
		if (db_survey_get(db, ids[i], &rec) != KOE_OK ||
		    db_response_count(db, ids[i], &responded) != KOE_OK) {
			cli_err(C, "cannot read the database: %s", db_errmsg(db));
			goto done;
		}
		printf("%-32s %-7s %8" PRId64 " %10" PRId64 "  %s\n", rec.id,
		       rec.state == DB_OPEN ? "open" : "closed", rec.invited, responded, rec.title);
		db_survey_clear(&rec);
	}
	status = 0;
done:
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	db_close(db);
	return status;
}

const struct cli_command cmd_surveys = {
	.name = "surveys",
	.summary = "list the surveys in the database",
	.help = "usage: koe surveys [--db FILE]\n"
	        "\n"
	        "Lists every survey with its state, invitation and response counts.\n",
	.run = run,
};
