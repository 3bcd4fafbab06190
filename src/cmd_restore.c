/* koe restore COPY — put a copy made by koe backup back in place
 * (docs/ARCHITECTURE.md §4.6). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* The synopsis of usage errors; the help below spells it out on its own lines. */
#define USAGE "COPY [--db FILE] [--replace]"

static const char *const C = "restore";

/* Opens the copy read-only and checks it whole. NULL after printing why. */
static struct db *
open_copy(const char *copy)
{
	struct db *src = NULL;
	struct koe_msg msg;
	enum koe_err err = db_open(copy, DB_READONLY, &src, &msg);

	if (err != KOE_OK) {
		cli_err(C, "cannot use the copy '%s': %s", copy,
		        err == KOE_ENOTFOUND ? "no such file" : msg.text);
		return NULL;
	}
	if (db_integrity_check(src, &msg) != KOE_OK) {
		cli_err(C, "the copy '%s' is damaged (%s); nothing was restored", copy, msg.text);
		db_close(src);
		return NULL;
	}
	return src;
}

/* Lists the restored surveys with their state (no answer counts: they are
 * not released while a survey is open). */
static int
print_restored(const char *path)
{
	struct db *db = cli_open_db(C, path, false);
	struct koe_msg msg;
	char **ids = NULL;
	size_t n = 0;
	int status = 1;

	if (db == NULL)
		return 1;
	if (db_integrity_check(db, &msg) != KOE_OK) {
		cli_err(C, "'%s' after the restore: %s", path, msg.text);
		goto done;
	}
	if (db_survey_ids(db, &ids, &n) != KOE_OK) {
		cli_err(C, "cannot read '%s': %s", path, db_errmsg(db));
		goto done;
	}
	printf("Restored '%s' (mode 0600, integrity checked). Surveys:\n", path);
	for (size_t i = 0; i < n; i++) {
		int state = DB_OPEN;
		db_survey_state(db, ids[i], &state);
		printf("  %s (%s)\n", ids[i], state == DB_OPEN ? "open" : "closed");
		free(ids[i]);
	}
	free(ids);
	printf("Answers acknowledged after the copy was made are not in it. The key file\n"
	       "(koe.key) must be the survey's own: restore it too if it was lost.\n");
	status = 0;
done:
	db_close(db);
	return status;
}

static int
restore(const char *copy, const char *path, bool replace)
{
	struct stat sc, sd;
	struct koe_msg msg;
	struct db *src;
	enum koe_err err;

	if (stat(copy, &sc) == 0 && stat(path, &sd) == 0 && sc.st_dev == sd.st_dev &&
	    sc.st_ino == sd.st_ino) {
		cli_err(C, "'%s' is the database itself", copy);
		return 1;
	}
	if ((src = open_copy(copy)) == NULL)
		return 1;
	if (lstat(path, &sd) != 0) {
		err = db_backup(src, path, &msg);
	} else if (!replace) {
		cli_err(C, "'%s' exists; --replace replaces it (answers stored in it after the copy "
		           "was made are lost; back it up first with 'koe backup')",
		        path);
		db_close(src);
		return 1;
	} else {
		err = db_restore_over(src, path, &msg);
	}
	db_close(src);
	if (err != KOE_OK) {
		cli_err(C, "%s", msg.text);
		return 1;
	}
	return print_restored(path);
}

static int
cmd_restore_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"replace", no_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	const char *db_opt = NULL;
	bool replace = false;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_db_key_option(c, &db_opt, NULL))
			continue;
		if (c != 'r')
			return cli_usage(C, USAGE, NULL);
		replace = true;
	}
	if (argc - optind > 1)
		return cli_usage_extra(C, USAGE, argv[optind + 1]);
	if (optind == argc)
		return cli_usage(C, USAGE, "name the copy to restore");
	return restore(argv[optind], cli_db_path(db_opt), replace);
}

const struct cli_command cmd_restore = {
	.name = "restore",
	.summary = "put a copy made by koe backup back in place",
	.help =
	"usage: koe restore COPY [--db FILE] [--replace]\n"
	"\n"
	"Checks COPY (a koe database whose integrity check is ok) and makes it the\n"
	"database (koe.db, $KOE_DB or --db). A database that does not exist is\n"
	"written beside its place and given its name only when whole (mode 0600).\n"
	"An existing one is replaced only with --replace, in one transaction, and\n"
	"never while another program has it open: stop koe serve first.\n"
	"\n"
	"Answers acknowledged after COPY was made are not in it. koe restore does\n"
	"not touch the key file (koe.key): the restored database needs the\n"
	"survey's own key to serve.\n",
	.run = cmd_restore_run,
};
