/* The report passphrase as HR types it: `koe open` and `koe report` on a real
 * pseudo-terminal.
 * Nothing typed is echoed; a passphrase that is too short or repeated wrongly
 * is asked for again (three tries); Ctrl-C at the prompt leaves the terminal
 * echoing again; Ctrl-D or three failures change nothing, so the next
 * `koe open` of the same survey still works; `koe report` lets a mistyped
 * passphrase be typed again. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "harness.h"

#define PASS "correct horse battery staple"

static char dir[] = "/tmp/koe-tty-XXXXXX";
static char survey[4096], roster[4096];
static const char *koe;

struct session {
	pid_t pid;
	int master;
	char out[65536]; /* everything the terminal showed */
	size_t len;
	size_t seen; /* expect() matches after this offset */
};

static const char *const open_args[] = {"koe", "open", survey, "--roster", roster,
                                         "--base-url", "http://127.0.0.1:1", NULL};
static const char *const report_args[] = {"koe", "report", "--out", "r.pdf", NULL};

/* Starts `koe open` (or the command args) on a new pseudo-terminal. */
static bool
start_cmd(struct session *s, const char *const *args)
{
	memset(s, 0, sizeof(*s));
	s->pid = forkpty(&s->master, NULL, NULL, NULL);
	if (s->pid < 0)
		return false;
	if (s->pid == 0) {
		if (chdir(dir) != 0)
			_exit(126);
		setenv("KOE_KDF_MEMLIMIT", "8388608", 1);
		/* As a shell starts a foreground command: ctest may run from a
		 * background job, which inherits SIGINT ignored. */
		signal(SIGINT, SIG_DFL);
		execv(koe, (char *const *)args);
		_exit(127);
	}
	return true;
}

static bool
start(struct session *s)
{
	return start_cmd(s, open_args);
}

/* Reads what the terminal shows until it contains want (after the previous
 * match) or the child closes it. Generous timeout: sanitizers and
 * valgrind are slow. */
static bool
expect(struct session *s, const char *want)
{
	for (;;) {
		struct pollfd p = {.fd = s->master, .events = POLLIN};
		const char *at;
		s->out[s->len] = '\0';
		at = strstr(s->out + s->seen, want);
		if (at != NULL) {
			s->seen = (size_t)(at - s->out) + strlen(want);
			return true;
		}
		if (poll(&p, 1, 60000) <= 0)
			break;
		ssize_t r = read(s->master, s->out + s->len, sizeof(s->out) - 1 - s->len);
		if (r <= 0)
			break;
		s->len += (size_t)r;
	}
	fprintf(stderr, "terminal never showed '%s'; it showed:\n%s\n", want, s->out);
	return false;
}

static void
type(struct session *s, const char *text)
{
	size_t n = strlen(text);
	CHECK_INT(write(s->master, text, n), (long long)n);
}

/* Reads to the end and returns the child's wait status. */
static int
finish(struct session *s)
{
	int status = -1;
	char buf[4096];
	for (;;) {
		struct pollfd p = {.fd = s->master, .events = POLLIN};
		if (poll(&p, 1, 60000) <= 0)
			break;
		ssize_t r = read(s->master, buf, sizeof(buf));
		if (r <= 0)
			break; /* EIO once the child has gone */
		if (s->len + (size_t)r < sizeof(s->out)) {
			memcpy(s->out + s->len, buf, (size_t)r);
			s->len += (size_t)r;
		}
	}
	s->out[s->len] = '\0';
	waitpid(s->pid, &status, 0);
	close(s->master);
	return status;
}

static void
retries_then_success(void)
{
	struct session s;
	int st;
	CHECK(start(&s));
	CHECK(expect(&s, "cannot\r\nbe recovered"));
	CHECK(expect(&s, "Report passphrase: "));
	type(&s, "short\n");
	CHECK(expect(&s, "needs at least 10 characters"));
	CHECK(expect(&s, "Report passphrase: "));
	/* Ten kanji are ten characters, though thirty bytes: long enough. */
	type(&s, "退職者が戻れる会社か\n");
	CHECK(expect(&s, "Repeat the passphrase: "));
	type(&s, "退職者が戻れる会社だ\n");
	CHECK(expect(&s, "the two passphrases differ"));
	CHECK(expect(&s, "Report passphrase: "));
	type(&s, PASS "\n");
	CHECK(expect(&s, "Repeat the passphrase: "));
	type(&s, PASS "\n");
	st = finish(&s);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(strstr(s.out, "fingerprint") != NULL);
	/* Echo was off: nothing typed appears on the terminal. */
	CHECK(strstr(s.out, "short") == NULL);
	CHECK(strstr(s.out, "horse") == NULL);
	CHECK(strstr(s.out, "退職者") == NULL);
	if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		fprintf(stderr, "%s\n", s.out);
}

static void
three_failures_change_nothing(void)
{
	struct session s;
	int st;
	CHECK(start(&s));
	for (int i = 0; i < 3; i++) {
		CHECK(expect(&s, "Report passphrase: "));
		type(&s, "tooshort\n");
	}
	CHECK(expect(&s, "no passphrase was set; nothing was changed"));
	st = finish(&s);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
}

static void
ctrl_d_changes_nothing(void)
{
	struct session s;
	int st;
	CHECK(start(&s));
	CHECK(expect(&s, "Report passphrase: "));
	type(&s, "\x04");
	CHECK(expect(&s, "no passphrase was given"));
	st = finish(&s);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
}

static void
ctrl_c_restores_echo(void)
{
	struct session s;
	struct termios t;
	int st = 0;
	CHECK(start(&s));
	CHECK(expect(&s, "Report passphrase: "));
	/* Echo is off while koe waits (Linux reports the slave's settings
	 * through the master). */
	CHECK(tcgetattr(s.master, &t) == 0);
	CHECK((t.c_lflag & ECHO) == 0);
	type(&s, "half typed\x03");
	/* Read until the child is gone, then look at the terminal. */
	int i = 0;
	for (; i < 600 && waitpid(s.pid, &st, WNOHANG) == 0; i++)
		usleep(100000);
	if (i == 600) {
		kill(s.pid, SIGKILL);
		waitpid(s.pid, &st, 0);
	}
	CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
	CHECK(tcgetattr(s.master, &t) == 0);
	CHECK((t.c_lflag & ECHO) != 0);
	close(s.master);
}

/* koe report asks once per try: a mistyped passphrase can be typed again. */
static void
report_retries_wrong_passphrase(void)
{
	struct session s;
	char pdf[4200];
	char cmd[4400];
	int st;
	/* The final report opens answers (an interim one needs no passphrase). */
	snprintf(cmd, sizeof(cmd), "cd '%s' && '%s' close --yes >/dev/null", dir, koe);
	CHECK_INT(system(cmd), 0);
	CHECK(start_cmd(&s, report_args));
	CHECK(expect(&s, "Report passphrase: "));
	type(&s, "correct horse battery stapel\n");
	CHECK(expect(&s, "wrong passphrase for survey 'alumni-readiness-2026'; try again"));
	CHECK(expect(&s, "Report passphrase: "));
	type(&s, PASS "\n");
	st = finish(&s);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(strstr(s.out, "horse") == NULL);
	snprintf(pdf, sizeof(pdf), "%s/r.pdf", dir);
	CHECK(access(pdf, R_OK) == 0);
}

int
main(void)
{
	const char *src = getenv("KOE_SRC");
	koe = getenv("KOE_BIN");
	if (src == NULL || koe == NULL) {
		fprintf(stderr, "KOE_SRC and KOE_BIN must be set (ctest sets them)\n");
		return 1;
	}
	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(survey, sizeof(survey), "%s/surveys/alumni-readiness.txt", src);
	snprintf(roster, sizeof(roster), "%s/tests/data/roster-lifecycle/roster.csv", src);
	signal(SIGPIPE, SIG_IGN);

	RUN(ctrl_c_restores_echo);
	RUN(ctrl_d_changes_nothing);
	RUN(three_failures_change_nothing);
	/* Last: after every cancelled attempt above, the same survey still opens
	 * (a half-written one would be refused as already open). */
	RUN(retries_then_success);
	RUN(report_retries_wrong_passphrase);

	char rm[4200];
	snprintf(rm, sizeof(rm), "rm -rf '%s'", dir);
	if (system(rm) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return harness_done();
}
