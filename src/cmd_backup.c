/* koe backup --out COPY — a consistent copy of the database, also while
 * koe serve runs (docs/ARCHITECTURE.md §4.6). */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* The synopsis of usage errors; the help below spells it out on its own lines. */
#define USAGE "--out COPY | --dir DIR [--keep N] [--db FILE]"

static const char *const C = "backup";

/* Copies written with --dir are named koe-YYYYMMDDTHHMMSSZ.db (UTC), so
 * names sort by time and --keep touches nothing else. */
#define STAMP_NAME_LEN 23 /* strlen("koe-20261129T154300Z.db") */

static bool
is_stamp_name(const char *n)
{
	static const char shape[] = "koe-99999999T999999Z.db";
	if (strlen(n) != STAMP_NAME_LEN)
		return false;
	for (size_t i = 0; i < STAMP_NAME_LEN; i++)
		if (shape[i] == '9' ? (n[i] < '0' || n[i] > '9') : n[i] != shape[i])
			return false;
	return true;
}

static int
newest_first(const void *a, const void *b)
{
	return -strcmp(*(char *const *)a, *(char *const *)b);
}

/* Removes the copies in dir older than the newest keep (the one just
 * written, kept in any case, counts as one). Returns how many went; -1 after
 * printing why when the directory cannot be read. */
static int
prune(const char *dir, const char *written, long keep)
{
	DIR *d = opendir(dir);
	char **names = NULL, path[4200];
	size_t n = 0, cap = 0;
	int removed = 0;
	long kept = 1;
	struct dirent *e;

	if (d == NULL) {
		cli_err(C, "cannot read '%s': %s", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (!is_stamp_name(e->d_name) || strcmp(e->d_name, written) == 0)
			continue;
		if (util_grow((void **)&names, &cap, n, sizeof(*names), 16) != 0 ||
		    (names[n] = strdup(e->d_name)) == NULL)
			break;
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), newest_first);
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (kept++ >= keep) {
			if (unlink(path) == 0)
				removed++;
			else
				cli_err(C, "cannot remove the old copy '%s': %s", path, strerror(errno));
		}
		free(names[i]);
	}
	free(names);
	return removed;
}

/* DIR/koe-YYYYMMDDTHHMMSSZ.db for now; name gets the last part. */
static int
stamp_path(const char *dir, char *out, size_t cap, char name[STAMP_NAME_LEN + 1])
{
	time_t now = time(NULL);
	struct tm tm;
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(name, STAMP_NAME_LEN + 1, "koe-%Y%m%dT%H%M%SZ.db", &tm) != STAMP_NAME_LEN)
		return -1;
	return (size_t)snprintf(out, cap, "%s/%s", dir, name) < cap ? 0 : -1;
}

static int
cmd_backup_run(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},
		{"out", required_argument, NULL, 'o'},
		{"dir", required_argument, NULL, 'D'},
		{"keep", required_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	const char *db_opt = NULL, *out = NULL, *dir = NULL;
	char stamped[4200], name[STAMP_NAME_LEN + 1];
	long keep = 0;
	struct db *db;
	struct koe_msg msg;
	int c, status = 1;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		char *end;
		if (cli_db_key_option(c, &db_opt, NULL))
			continue;
		if (c == 'o') {
			out = optarg;
		} else if (c == 'D') {
			dir = optarg;
		} else if (c == 'n') {
			keep = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || keep < 1 || keep > 10000)
				return cli_usage(C, USAGE, "--keep takes a number of copies, at least 1");
		} else {
			return cli_usage(C, USAGE, NULL);
		}
	}
	if (optind < argc)
		return cli_usage_extra(C, USAGE, argv[optind]);
	if ((out == NULL) == (dir == NULL) || (out && *out == '\0') || (dir && *dir == '\0'))
		return cli_usage(C, USAGE, "give the copy's file name with --out, or a directory with --dir");
	if (keep && dir == NULL)
		return cli_usage(C, USAGE, "--keep goes with --dir");
	if (dir && stamp_path(dir, stamped, sizeof(stamped), name) != 0) {
		cli_err(C, "the directory name '%s' is too long", dir);
		return 1;
	}
	if (dir)
		out = stamped;
	if ((db = cli_open_db(C, cli_db_path(db_opt), false)) == NULL)
		return 1;
	if (db_backup(db, out, &msg) != KOE_OK) {
		cli_err(C, "%s", msg.text);
		goto done;
	}
	if (keep && prune(dir, name, keep) < 0)
		goto done;
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
	"       koe backup --dir DIR [--keep N] [--db FILE]\n"
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
	"separately. Restore with 'koe restore COPY'.\n"
	"\n"
	"  --dir DIR   write DIR/koe-YYYYMMDDTHHMMSSZ.db (UTC) instead of --out\n"
	"  --keep N    then remove the older copies so named in DIR but the newest N\n"
	"              (the one just written included). Every two copies show which\n"
	"              answer slots were filled between them: keep few.\n",
	.run = cmd_backup_run,
};
