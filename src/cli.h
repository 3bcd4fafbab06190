/* koe — the command table and helpers shared by main.c and the cmd_*.c
 * files. Commands report with the "koe CMD: message" convention and return
 * their exit status: 0 success, 1 failure (bad input, refused operation),
 * 2 usage error. */
#ifndef KOE_CLI_H
#define KOE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "koe/db.h"
#include "koe/invite.h"
#include "koe/diag.h"
#include "koe/survey.h"
#include "koe/util.h"

struct cli_command {
	const char *name;
	const char *summary; /* one line for 'koe --help' */
	const char *help;    /* full text for 'koe help NAME' */
	/* argv[0] is the command name. */
	int (*run)(int argc, char **argv);
};

extern const struct cli_command cmd_check;
extern const struct cli_command cmd_holder;
extern const struct cli_command cmd_open;
extern const struct cli_command cmd_status;
extern const struct cli_command cmd_remind;
extern const struct cli_command cmd_reissue;
extern const struct cli_command cmd_send;
extern const struct cli_command cmd_close;
extern const struct cli_command cmd_surveys;
extern const struct cli_command cmd_serve;
extern const struct cli_command cmd_report;
extern const struct cli_command cmd_demo;
extern const struct cli_command cmd_preview;
extern const struct cli_command cmd_backup;
extern const struct cli_command cmd_restore;

#define cli_suggest koe_suggest

/* How the user started koe (argv[0], e.g. "./build/koe"), for commands
 * that print a command to type next. */
extern const char *cli_self;

/* Prints "koe CMD: message" to stderr. */
void cli_err(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints why (if given), the synopsis and where the help is, to stderr;
 * returns 2, the usage-error exit status. */
int cli_usage(const char *cmd, const char *synopsis, const char *why);
/* The same for a stray argument: "koe CMD: unexpected argument 'ARG'". */
int cli_usage_extra(const char *cmd, const char *synopsis, const char *arg);

/* The database path: the option if given, else $KOE_DB, else "koe.db". */
const char *cli_db_path(const char *opt);

/* The master key path: the option if given, else $KOE_KEY, else "koe.key"
 * in the database's directory. Writes into buf. */
const char *cli_key_path(const char *opt, const char *db, char *buf, size_t cap);

/* Opens the database, printing a clear message on failure. Without create,
 * a missing file is reported as such (nothing is created). */
struct db *cli_open_db(const char *cmd, const char *path, bool create);

/* Resolves which survey a command works on: the one named, or the only one
 * in the database. Returns a string the caller frees, or NULL after
 * printing why. */
char *cli_pick_survey(const char *cmd, struct db *db, const char *name);

/* Opens the database (never creating it), picks the survey (see
 * cli_pick_survey) and reads its record: the common start of the commands
 * that work on one survey. On success returns 0 and the caller owns *db
 * (db_close), *id (free) and *rec (db_survey_clear); on failure prints why,
 * leaves nothing to free and returns 1. */
int cli_open_survey(const char *cmd, const char *db_opt, const char *name, struct db **db,
                    char **id, struct db_survey *rec);
/* The --db ('d') and --key ('k') options most commands take: stores
 * optarg and returns true when c is one of them (key may be NULL for a
 * command without --key). */
bool cli_db_key_option(int c, const char **db, const char **key);

/* Releases what cli_open_survey() gave (each may be NULL or empty). */
void cli_survey_release(struct db *db, char *id, struct db_survey *rec);

/* Reads the report passphrase: from file when given (its first line), else
 * from the terminal without echo, twice when confirm is set. Returns 0 and
 * the passphrase in buf (NUL-terminated, *len bytes; the caller wipes it), or
 * 1 after printing why. */
int cli_read_passphrase(const char *cmd, const char *file, bool confirm, char *buf,
                        size_t cap, size_t *len);
/* The same with the terminal prompt given (NULL: "Report passphrase: "). */
int cli_read_passphrase_as(const char *cmd, const char *file, bool confirm, const char *prompt,
                           char *buf, size_t cap, size_t *len);

/* The links file of `koe open` (docs/ARCHITECTURE.md §2.1 step 7) as a
 * survey_open links sink: written to PATH.tmp (0600, UTF-8 with BOM, CRLF,
 * every cell through csv_row), renamed into place just before the commit.
 * When codes is set, the first maxcodes invitation codes are also kept
 * there (for koe demo's simulated employees). Errors are printed as
 * "koe CMD: ...". After survey_open, call cli_links_done with whether it
 * succeeded: it removes the temporary file, and the renamed file if the
 * commit failed. */
struct cli_links {
	const char *cmd;
	const char *path;
	struct util_atomic file;
	bool renamed;
	char (*codes)[INVITE_CODE_LEN + 1];
	size_t ncodes, maxcodes;
};
struct survey_links cli_links_sink(struct cli_links *l);
void cli_links_done(struct cli_links *l, bool ok);

/* What `koe open` prints once a survey is open (koe demo prints it too). */
struct cli_opened {
	const struct qn_survey *survey;
	const struct seg_table *groups;
	const struct survey_open_result *res;
	size_t invited;
	const char *links_path, *key_path, *base_url;
	const char *db_opt; /* --db as given, or NULL */
};
void cli_open_print(const struct cli_opened *o);

/* What `koe close` prints once a survey is closed (koe demo prints it too). */
void cli_close_print(const char *id, const struct survey_close_result *res, const char *db_opt);

/* What `koe holder` prints once the holder file is written. */
void cli_holder_print_wrote(const char *path, const char *name, const char *id);

/* `koe status`: prints the counts of the survey named (or the only one). */
int cli_status_print(const char *db_opt, const char *name);

/* `koe serve --listen LISTEN --db DB --key KEY` until SIGINT or SIGTERM. */
/* Splits ADDR:PORT, [V6]:PORT or a bare PORT (address 127.0.0.1) of
 * --listen into addr (cap bytes) and *port; -1 when it is none of them. */
int cli_parse_listen(const char *arg, char *addr, size_t cap, uint16_t *port);
int cli_serve(const char *listen, const char *db_path, const char *key_path);

/* Writes a report's PDF (and JSON when json is set) whole or not at all
 * and prints the line saying so; 1 after printing why. */
int cli_report_save(const char *id, const char *out, const char *json,
                    const struct survey_report_result *res);

/* Asks a yes/no question on the terminal; false when there is none. */
bool cli_confirm(const char *question);

/* Shows "label: done/total" on stderr when it is a terminal, at most every
 * percent; call with done == total to finish the line. */
void cli_progress(const char *label, size_t done, size_t total);

/* The sending options of koe open, koe send and koe remind (cmd_mail.c). */
enum {
	CLI_MAIL_SMTP = 0x1000, CLI_MAIL_FROM, CLI_MAIL_USER, CLI_MAIL_PASSWORD_FILE,
	CLI_MAIL_TEMPLATE, CLI_MAIL_RATE, CLI_MAIL_DRY_RUN, CLI_MAIL_CA,
};
#define CLI_MAIL_OPTIONS \
	{"smtp", required_argument, NULL, CLI_MAIL_SMTP}, \
	{"from", required_argument, NULL, CLI_MAIL_FROM}, \
	{"smtp-user", required_argument, NULL, CLI_MAIL_USER}, \
	{"smtp-password-file", required_argument, NULL, CLI_MAIL_PASSWORD_FILE}, \
	{"smtp-ca-file", required_argument, NULL, CLI_MAIL_CA}, \
	{"template", required_argument, NULL, CLI_MAIL_TEMPLATE}, \
	{"rate", required_argument, NULL, CLI_MAIL_RATE}, \
	{"dry-run", required_argument, NULL, CLI_MAIL_DRY_RUN}
#define CLI_MAIL_SYNOPSIS "--smtp URL|--dry-run DIR --from ADDR [--smtp-user U --smtp-password-file F] [--smtp-ca-file F] [--template F] [--rate N]"
#define CLI_MAIL_HELP \
	"  --smtp URL              smtp://host:port (STARTTLS when offered; required\n" \
	"                          with a password) or smtps://host:port\n" \
	"  --from ADDRESS          the sender employees see\n" \
	"  --smtp-user USER        AUTH user, with --smtp-password-file FILE (its first\n" \
	"                          line; the file must not be readable by others)\n" \
	"  --smtp-ca-file FILE     trust this private CA (certificates are verified)\n" \
	"  --template FILE         'Subject: ...' line and body; {name} {link} {title}\n" \
	"                          {closes} {fingerprint}; default: Japanese text\n" \
	"  --rate N                messages per minute (default 30)\n" \
	"  --dry-run DIR           write each message as DIR/*.eml, send nothing\n"

struct cli_mail {
	const char *url, *from, *user, *password_file, *template_path, *dry_run, *ca_file;
	int rate; /* 0: default; -1: invalid */
	bool tty;
};
/* Takes one getopt result; returns 1 when it was a sending option. */
int cli_mail_option(struct cli_mail *m, int c, const char *arg);
/* Whether any sending option was given. */
bool cli_mail_wanted(const struct cli_mail *m);
/* Checks the options; prints why and returns 2 (usage) when wrong. */
int cli_mail_check(const char *cmd, const struct cli_mail *m);
/* Sends (kind: enum mail_kind) with progress and a summary, printing the
 * command that resumes (resume: its arguments). Returns the exit status. */
int cli_mail_run(const char *cmd, struct cli_mail *m, struct db *db,
                 const struct db_survey *rec, const char *key_path, int kind,
                 const char *resume);

#endif
