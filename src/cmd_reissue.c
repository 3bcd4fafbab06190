/* koe reissue EMPLOYEE_ID [SURVEY] — replace a lost link. */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "koe/csv.h"

/* The synopsis of usage errors; the help below spells it out on its own lines. */
#define USAGE "EMPLOYEE_ID [SURVEY] [--force] [--db FILE] [--key FILE]"

static const char *const C = "reissue";

static int
cmd_reissue_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"key", required_argument, NULL, 'k'},
		{"force", no_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	const char *db_opt = NULL, *key_opt = NULL, *employee;
	char keybuf[PATH_MAX];
	struct db *db = NULL;
	struct db_survey rec = {0};
	struct survey_reissue_result res;
	struct koe_msg msg;
	char *id = NULL;
	int status = 1, c, force = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_db_key_option(c, &db_opt, &key_opt))
			continue;
		switch (c) {
		case 'f': force = 1; break;
		default:
			return cli_usage("reissue", USAGE, NULL);
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		return cli_usage("reissue", USAGE,
		                 argc - optind < 1 ? "name the employee whose link is lost"
		                                   : "too many arguments");
	}
	employee = argv[optind];
	if (cli_open_survey(C, db_opt, optind + 1 < argc ? argv[optind + 1] : NULL, &db, &id,
	                    &rec) != 0)
		goto done;
	if (survey_reissue(db, &rec, employee, force != 0,
	                   cli_key_path(key_opt, cli_db_path(db_opt), keybuf, sizeof(keybuf)), &res,
	                   &msg) != KOE_OK) {
		cli_err(C, "%s", msg.text);
		goto done;
	}
	fprintf(stderr, "The old link of %s no longer works. New link (send it to them only):\n",
	        employee);
	static const char *const head[] = {"employee_id", "email", "name", "link"};
	const char *cells[] = {res.inv.employee_id, res.inv.email, res.inv.name, res.link};
	csv_row(stdout, head, 4, "\n");
	csv_row(stdout, cells, 4, "\n");
	survey_reissue_result_free(&res);
	status = 0;
done:
	cli_survey_release(db, id, &rec);
	return status;
}

const struct cli_command cmd_reissue = {
	.name = "reissue",
	.summary = "replace an employee's lost link",
	.help =
	"usage: koe reissue EMPLOYEE_ID [SURVEY] [--force] [--db FILE] [--key FILE]\n"
	"\n"
	"Revokes the employee's current link and prints a new one. If the old link\n"
	"already fetched its answer token, --force is needed: the employee could then\n"
	"answer twice, so the report states how many links were reissued.\n",
	.run = cmd_reissue_run,
};
