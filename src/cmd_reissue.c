/* koe reissue EMPLOYEE_ID [SURVEY] — replace a lost link. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli.h"
#include "koe/csv.h"
#include "koe/invite.h"
#include "koe/tok.h"

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
	char keybuf[4096], msg[TOK_MSG_MAX], code[INVITE_CODE_LEN + 1];
	uint8_t seed[TOK_SEED_BYTES], key[INVITE_KEY_BYTES], hash[INVITE_HASH_BYTES];
	struct db *db = NULL;
	struct db_survey rec = {0};
	struct db_invitation inv = {0};
	char *id = NULL;
	int status = 1, c, force = 0, in_tx = 0;
	enum koe_err err;

	memset(key, 0, sizeof(key));
	memset(seed, 0, sizeof(seed));
	memset(code, 0, sizeof(code));
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db_opt = optarg; break;
		case 'k': key_opt = optarg; break;
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
	if (rec.state != DB_OPEN) {
		cli_err(C, "survey '%s' is closed; links can no longer be reissued", id);
		goto done;
	}
	err = db_invitation_by_employee(db, id, employee, &inv);
	if (err == KOE_ENOTFOUND) {
		cli_err(C, "no employee '%s' in survey '%s'", employee, id);
		goto done;
	}
	if (err != KOE_OK) {
		cli_err(C, "cannot read the database: %s", db_errmsg(db));
		goto done;
	}
	if (inv.status == DB_INV_ISSUED && !force) {
		cli_err(C, "the current link of '%s' has already fetched its answer token. If that "
		           "token is still in their browser, a new link would let them answer twice. "
		           "Reissue only if the device is lost (add --force); the report counts "
		           "reissued links",
		        employee);
		goto done;
	}
	if (tok_seed_load(cli_key_path(key_opt, cli_db_path(db_opt), keybuf, sizeof(keybuf)), seed,
	                  msg, sizeof(msg)) != KOE_OK) {
		cli_err(C, "%s", msg);
		goto done;
	}
	invite_key_derive(seed, key);
	invite_new(code);
	/* invite_new() makes well-formed codes. */
	KOE_ASSERT(invite_hash(key, id, code, hash) == KOE_OK);
	if (db_begin(db) != KOE_OK)
		goto dberr;
	in_tx = 1;
	if (db_invitation_revoke(db, id, inv.hash) != KOE_OK ||
	    db_invitation_insert(db, id, hash, inv.employee_id, inv.email, inv.name, inv.segment) !=
	            KOE_OK ||
	    db_survey_add_reissued(db, id) != KOE_OK || db_commit(db) != KOE_OK)
		goto dberr;
	in_tx = 0;
	fprintf(stderr, "The old link of %s no longer works. New link (send it to them only):\n",
	        employee);
	{
		static const char *const head[] = {"employee_id", "email", "name", "link"};
		char link[INVITE_CODE_LEN + 520];
		snprintf(link, sizeof(link), "%s/s/%s", rec.base_url, code);
		const char *cells[] = {inv.employee_id, inv.email, inv.name, link};
		csv_row(stdout, head, 4, "\n");
		csv_row(stdout, cells, 4, "\n");
		sodium_memzero(link, sizeof(link));
	}
	status = 0;
	goto done;
dberr:
	cli_err(C, "cannot save: %s; nothing was changed", db_errmsg(db));
done:
	if (in_tx)
		db_rollback(db);
	sodium_memzero(seed, sizeof(seed));
	sodium_memzero(key, sizeof(key));
	sodium_memzero(code, sizeof(code));
	db_invitation_clear(&inv);
	db_survey_clear(&rec);
	free(id);
	db_close(db);
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
