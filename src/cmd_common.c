/* Helpers shared by the commands; see cli.h. */
#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "koe/seal.h"
#include "koe/utf8.h"
#include "koe/util.h"

void
cli_err(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "koe %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int
cli_usage_synopsis(const char *cmd, const char *synopsis)
{
	fprintf(stderr, "usage: koe %s %s\nRun 'koe help %s' for details.\n", cmd, synopsis, cmd);
	return 2;
}

const char *cli_self = "koe";

int
cli_usage(const char *cmd, const char *synopsis, const char *why)
{
	if (why)
		fprintf(stderr, "koe %s: %s\n", cmd, why);
	return cli_usage_synopsis(cmd, synopsis);
}

int
cli_usage_extra(const char *cmd, const char *synopsis, const char *arg)
{
	fprintf(stderr, "koe %s: unexpected argument '%s'\n", cmd, arg);
	return cli_usage_synopsis(cmd, synopsis);
}

const char *
cli_db_path(const char *opt)
{
	const char *env = getenv("KOE_DB");
	if (opt)
		return opt;
	return env && *env ? env : "koe.db";
}

const char *
cli_key_path(const char *opt, const char *db, char *buf, size_t cap)
{
	const char *env = getenv("KOE_KEY");
	const char *slash;
	if (opt)
		return opt;
	if (env && *env)
		return env;
	slash = strrchr(db, '/');
	if (slash == NULL)
		snprintf(buf, cap, "koe.key");
	else
		snprintf(buf, cap, "%.*s/koe.key", (int)(slash - db), db);
	return buf;
}

struct db *
cli_open_db(const char *cmd, const char *path, bool create)
{
	struct db *db = NULL;
	struct koe_msg msg;
	enum koe_err err;

	if (!create && access(path, F_OK) != 0) {
		cli_err(cmd, "no database at '%s' (open a survey first with 'koe open', or give --db FILE)",
		        path);
		return NULL;
	}
	err = db_open(path, create ? DB_CREATE : 0, &db, &msg);
	if (err != KOE_OK) {
		cli_err(cmd, "cannot use the database '%s': %s", path, msg.text);
		return NULL;
	}
	return db;
}

bool
cli_db_key_option(int c, const char **db, const char **key)
{
	if (c == 'd')
		*db = optarg;
	else if (c == 'k' && key != NULL)
		*key = optarg;
	else
		return false;
	return true;
}

void
cli_survey_release(struct db *db, char *id, struct db_survey *rec)
{
	db_survey_clear(rec);
	free(id);
	db_close(db);
}

char *
cli_pick_survey(const char *cmd, struct db *db, const char *name)
{
	char **ids = NULL;
	size_t n = 0;
	char *pick = NULL;

	if (db_survey_ids(db, &ids, &n) != KOE_OK) {
		cli_err(cmd, "cannot read the database: %s", db_errmsg(db));
		return NULL;
	}
	if (name) {
		for (size_t i = 0; i < n; i++)
			if (strcmp(ids[i], name) == 0)
				pick = strdup(name);
		if (pick == NULL) {
			const char *g = koe_suggest(name, (const char *const *)ids, n);
			if (g)
				cli_err(cmd, "no survey '%s' (did you mean '%s'?)", name, g);
			else
				cli_err(cmd, "no survey '%s' (see 'koe surveys')", name);
		}
	} else if (n == 1) {
		pick = strdup(ids[0]);
	} else if (n == 0) {
		cli_err(cmd, "the database has no surveys yet (start one with 'koe open')");
	} else {
		cli_err(cmd, "the database has %zu surveys; name one (see 'koe surveys')", n);
	}
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return pick;
}

int
cli_open_survey(const char *cmd, const char *db_opt, const char *name, struct db **db,
                char **id, struct db_survey *rec)
{
	memset(rec, 0, sizeof(*rec));
	*id = NULL;
	*db = cli_open_db(cmd, cli_db_path(db_opt), false);
	if (*db == NULL)
		return 1;
	*id = cli_pick_survey(cmd, *db, name);
	if (*id != NULL && db_survey_get(*db, *id, rec) == KOE_OK)
		return 0;
	if (*id != NULL)
		cli_err(cmd, "cannot read the database: %s", db_errmsg(*db));
	free(*id);
	*id = NULL;
	db_close(*db);
	*db = NULL;
	return 1;
}

/* The terminal's settings while echo is off, so that Ctrl-C at a passphrase
 * prompt does not leave the shell without echo. */
static struct termios tty_saved;
static volatile sig_atomic_t tty_saved_fd = -1;

static void
tty_restore_and_die(int sig)
{
	if (tty_saved_fd >= 0) {
		tcsetattr(tty_saved_fd, TCSAFLUSH, &tty_saved);
		(void)!write(tty_saved_fd, "\n", 1);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Reads one line from fd without echo. Returns its length, -1 when the
 * terminal fails or is closed (Ctrl-D) before anything was typed, or -2 when
 * the line does not fit in cap - 1 bytes (it is read to its end and wiped). */
static long
read_line_noecho(int fd, const char *prompt, char *buf, size_t cap)
{
	struct termios quiet;
	struct sigaction sa, old_int, old_term, old_hup;
	size_t n = 0;
	bool restore = false, eof = false, overflow = false;

	/* Echo goes off before the prompt appears, so that nothing typed after
	 * seeing it is echoed; nothing typed ahead is thrown away. */
	if (tcgetattr(fd, &tty_saved) == 0) {
		quiet = tty_saved;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = tty_restore_and_die;
		sigemptyset(&sa.sa_mask);
		/* A signal the shell set to be ignored stays ignored. */
		sigaction(SIGINT, NULL, &old_int);
		sigaction(SIGTERM, NULL, &old_term);
		sigaction(SIGHUP, NULL, &old_hup);
		if (old_int.sa_handler != SIG_IGN)
			sigaction(SIGINT, &sa, NULL);
		if (old_term.sa_handler != SIG_IGN)
			sigaction(SIGTERM, &sa, NULL);
		if (old_hup.sa_handler != SIG_IGN)
			sigaction(SIGHUP, &sa, NULL);
		tty_saved_fd = fd;
		restore = tcsetattr(fd, TCSANOW, &quiet) == 0;
	}
	if (write(fd, prompt, strlen(prompt)) < 0)
		eof = true;
	while (!eof) {
		char c;
		ssize_t r = read(fd, &c, 1);
		if (r <= 0) {
			eof = true;
			break;
		}
		if (c == '\n' || c == '\r')
			break;
		if (n + 1 < cap)
			buf[n++] = c;
		else
			overflow = true;
	}
	buf[n] = '\0';
	if (restore)
		tcsetattr(fd, TCSANOW, &tty_saved);
	if (tty_saved_fd >= 0) {
		tty_saved_fd = -1;
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
	}
	if (eof && n == 0)
		return -1;
	if (overflow) {
		sodium_memzero(buf, cap);
		return -2;
	}
	return (long)n;
}

/* Asks on the terminal. A new passphrase (confirm) is asked for up to three
 * times while it is too short or the repetition differs. */
static int
ask_passphrase(const char *cmd, bool confirm, const char *prompt, char *buf, size_t cap,
               size_t *len)
{
	char again[SEAL_PASS_MAX + 2];
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY);
	int rc = 1;

	if (fd < 0) {
		cli_err(cmd, "no terminal to ask for the report passphrase; give --passphrase-file FILE");
		return 1;
	}
	if (confirm) {
		static const char intro[] =
			"Choose the report passphrase: whoever writes the report needs it, and it cannot\n"
			"be recovered. At least 10 characters; a few words work well.\n";
		(void)!write(fd, intro, sizeof(intro) - 1);
	}
	for (int attempt = 1; attempt <= (confirm ? 3 : 1); attempt++) {
		long n = read_line_noecho(fd, prompt ? prompt : "Report passphrase: ", buf, cap);
		if (n == -1) {
			cli_err(cmd, "no passphrase was given; nothing was changed");
			break;
		}
		if (n == -2) {
			cli_err(cmd, "the passphrase is longer than %d bytes", SEAL_PASS_MAX);
			continue;
		}
		if (utf8_count(buf, strlen(buf)) < SEAL_PASS_MIN) {
			cli_err(cmd, "the report passphrase needs at least %d characters (a few words "
			             "work well)", SEAL_PASS_MIN);
			continue;
		}
		if (confirm) {
			long m = read_line_noecho(fd, "Repeat the passphrase: ", again, sizeof(again));
			bool same = m == n && strcmp(again, buf) == 0;
			sodium_memzero(again, sizeof(again));
			if (m == -1) {
				cli_err(cmd, "no passphrase was given; nothing was changed");
				break;
			}
			if (!same) {
				cli_err(cmd, "the two passphrases differ");
				continue;
			}
		}
		*len = (size_t)n;
		rc = 0;
		break;
	}
	if (rc != 0) {
		sodium_memzero(buf, cap);
		if (confirm)
			cli_err(cmd, "no passphrase was set; nothing was changed");
	}
	close(fd);
	return rc;
}

int
cli_read_passphrase(const char *cmd, const char *file, bool confirm, char *buf, size_t cap,
                    size_t *len)
{
	return cli_read_passphrase_as(cmd, file, confirm, NULL, buf, cap, len);
}

int
cli_read_passphrase_as(const char *cmd, const char *file, bool confirm, const char *prompt,
                       char *buf, size_t cap, size_t *len)
{
	if (file) {
		char *content = NULL;
		size_t clen = 0;
		if (util_read_file(file, 64 * 1024, &content, &clen) != KOE_OK) {
			cli_err(cmd, "cannot read the passphrase file '%s': %s", file,
			        errno ? strerror(errno) : "too large");
			return 1;
		}
		size_t l = strcspn(content, "\r\n");
		if (l + 1 > cap) {
			sodium_memzero(content, clen);
			free(content);
			cli_err(cmd, "the passphrase is longer than %d bytes", SEAL_PASS_MAX);
			return 1;
		}
		memcpy(buf, content, l);
		buf[l] = '\0';
		sodium_memzero(content, clen);
		free(content);
		*len = l;
		if (utf8_count(buf, strlen(buf)) < SEAL_PASS_MIN) {
			sodium_memzero(buf, cap);
			cli_err(cmd, "the report passphrase in '%s' needs at least %d characters (a few "
			             "words work well)", file, SEAL_PASS_MIN);
			return 1;
		}
		return 0;
	}
	return ask_passphrase(cmd, confirm, prompt, buf, cap, len);
}

bool
cli_confirm(const char *question)
{
	char buf[16];
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY);
	ssize_t r;
	size_t n = 0;

	if (fd < 0)
		return false;
	if (write(fd, question, strlen(question)) < 0 || write(fd, " [y/N] ", 7) < 0) {
		close(fd);
		return false;
	}
	for (;;) {
		char c;
		r = read(fd, &c, 1);
		if (r <= 0 || c == '\n')
			break;
		if (n + 1 < sizeof(buf))
			buf[n++] = c;
	}
	buf[n] = '\0';
	close(fd);
	return buf[0] == 'y' || buf[0] == 'Y';
}

void
cli_progress(const char *label, size_t done, size_t total)
{
	static int last = -1;
	int pct;

	if (!isatty(STDERR_FILENO) || total < 2000)
		return;
	pct = (int)(done * 100 / total);
	if (pct == last && done != total)
		return;
	last = pct;
	fprintf(stderr, "\r%s: %zu/%zu (%d%%)", label, done, total, pct);
	if (done == total) {
		fputc('\n', stderr);
		last = -1;
	}
}

/* Splits ADDR:PORT, [V6]:PORT or a bare PORT. */
int
cli_parse_listen(const char *arg, char *addr, size_t cap, uint16_t *port)
{
	const char *colon;
	char *end;
	unsigned long p;

	if (arg[0] == '[') {
		const char *close = strchr(arg, ']');
		if (close == NULL || close[1] != ':' || (size_t)(close - arg - 1) >= cap)
			return -1;
		memcpy(addr, arg + 1, (size_t)(close - arg - 1));
		addr[close - arg - 1] = '\0';
		colon = close + 1;
	} else if ((colon = strrchr(arg, ':')) != NULL) {
		if ((size_t)(colon - arg) >= cap)
			return -1;
		memcpy(addr, arg, (size_t)(colon - arg));
		addr[colon - arg] = '\0';
	} else {
		snprintf(addr, cap, "127.0.0.1");
		colon = arg - 1;
	}
	errno = 0;
	p = strtoul(colon + 1, &end, 10);
	if (errno || *end || end == colon + 1 || p > 65535)
		return -1;
	*port = (uint16_t)p;
	return 0;
}
