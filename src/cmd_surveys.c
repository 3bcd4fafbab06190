/* koe surveys — list the surveys of a database. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "koe/dc.h"
#include "koe/qn.h"

/* The synopsis of usage errors; the help below spells it out on its own lines. */
#define USAGE "[--db FILE]"

static const char *const C = "surveys";

/* The survey's MinGroup, from its stored questionnaire (5 if it does not
 * load, the default; it always loads for a survey koe opened). */
static int
survey_min_group(const struct db_survey *rec)
{
	struct koe_diags d = {0};
	struct qn_survey *q = NULL;
	int k = 5;
	if (qn_parse((const char *)rec->source, rec->source_len, rec->id, &q, &d) == KOE_OK)
		k = q->min_group;
	qn_survey_free(q);
	koe_diags_free(&d);
	return k;
}

static int
cmd_surveys_run(int argc, char **argv)
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
		char count[64];
		if (db_survey_get(db, ids[i], &rec) != KOE_OK ||
		    db_response_count(db, ids[i], &responded) != KOE_OK) {
			cli_err(C, "cannot read the database: %s", db_errmsg(db));
			goto done;
		}
		/* The same release rule as koe status: rounded down to steps of k
		 * while open (include/koe/dc.h, rule 3). */
		dc_count_text((size_t)responded, (size_t)survey_min_group(&rec),
		              rec.state != DB_OPEN, true, count, sizeof(count));
		printf("%-32s %-7s %8" PRId64 " %10s  %s\n", rec.id,
		       rec.state == DB_OPEN ? "open" : "closed", rec.invited, count, rec.title);
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
	        "Lists every survey with its state, invitation and response counts. While a\n"
	        "survey is open its responses are counted in steps of MinGroup, as koe status\n"
	        "counts them (\"10+\", \"5未満\"), so that two lists taken a few answers apart\n"
	        "cannot tell who answered in between.\n",
	.run = cmd_surveys_run,
};
