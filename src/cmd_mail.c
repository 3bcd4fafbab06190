/* The sending options shared by koe open, koe send and koe remind, and the
 * run that prints progress and the summary (docs/ARCHITECTURE.md §2.6).
 * No command of its own. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "koe/mail.h"
#include "koe/qn.h"
#include "koe/util.h"

static volatile int stop_flag;

static void
on_sigint(int sig)
{
	(void)sig;
	stop_flag = 1;
}

int
cli_mail_option(struct cli_mail *m, int c, const char *arg)
{
	switch (c) {
	case CLI_MAIL_SMTP: m->url = arg; return 1;
	case CLI_MAIL_FROM: m->from = arg; return 1;
	case CLI_MAIL_USER: m->user = arg; return 1;
	case CLI_MAIL_PASSWORD_FILE: m->password_file = arg; return 1;
	case CLI_MAIL_TEMPLATE: m->template_path = arg; return 1;
	case CLI_MAIL_DRY_RUN: m->dry_run = arg; return 1;
	case CLI_MAIL_CA: m->ca_file = arg; return 1;
	case CLI_MAIL_RATE: {
		char *end;
		long r = strtol(arg, &end, 10);
		m->rate = (*end || r < 1 || r > MAIL_RATE_MAX) ? -1 : (int)r;
		return 1;
	}
	default: return 0;
	}
}

bool
cli_mail_wanted(const struct cli_mail *m)
{
	return m->url || m->dry_run || m->from || m->user || m->password_file ||
	       m->template_path || m->ca_file || m->rate;
}

/* Checks the options before anything is changed. */
int
cli_mail_check(const char *cmd, const struct cli_mail *m)
{
	if (!m->url == !m->dry_run) {
		cli_err(cmd, m->url ? "--smtp and --dry-run exclude each other"
		                    : "give --smtp smtp://host:port (or --dry-run DIR to preview)");
		return 2;
	}
	if (!m->from) {
		cli_err(cmd, "--from ADDRESS is needed: the sender employees see");
		return 2;
	}
	if (m->rate < 0) {
		cli_err(cmd, "--rate is messages per minute, 1 to %d", MAIL_RATE_MAX);
		return 2;
	}
	if (!m->user != !m->password_file) {
		cli_err(cmd, "--smtp-user and --smtp-password-file go together (the password is "
		             "never taken from the command line)");
		return 2;
	}
	return 0;
}

static void
progress(void *ctx, const struct survey_mail_result *r)
{
	const struct cli_mail *m = ctx;
	if (!m->tty)
		return;
	fprintf(stderr, "\r%zu sent, %zu failed, %zu left   ", r->sent, r->failed,
	        r->total - r->sent - r->failed);
	if (r->sent + r->failed == r->total)
		fputc('\n', stderr);
}

static void
failure(void *ctx, const char *employee, const char *email, const char *reply)
{
	const struct cli_mail *m = ctx;
	if (m->tty)
		fputc('\n', stderr);
	/* The reply is the server's or libcurl's: never the message, so no link. */
	fprintf(stderr, "koe: not delivered to %s <%s>: %s\n", employee, email, reply);
}

int
cli_mail_run(const char *cmd, struct cli_mail *m, struct db *db, const struct db_survey *rec,
             const char *key_path, int kind, const char *resume)
{
	struct mail_template tmpl = {0};
	struct mail_sender *sender = NULL;
	char *password = NULL, *closes = NULL;
	struct koe_msg msg;
	struct survey_mail_result res;
	struct sigaction sa = {0}, old;
	int status = 1;

	if (m->template_path) {
		char *text = NULL;
		size_t len = 0;
		struct koe_diags d = {0};
		if (util_read_file(m->template_path, 1 << 20, &text, &len) != KOE_OK) {
			cli_err(cmd, "cannot read '%s': %s", m->template_path, strerror(errno));
			return 1;
		}
		enum koe_err err = mail_template_parse(text, len, &tmpl, &d);
		free(text);
		if (err != KOE_OK) {
			koe_diags_print(&d, m->template_path, stderr);
			koe_diags_free(&d);
			cli_err(cmd, "the template '%s' has errors; nothing was sent", m->template_path);
			return 1;
		}
		koe_diags_free(&d);
	} else if (mail_template_default(kind, &tmpl) != KOE_OK) {
		cli_err(cmd, "out of memory");
		return 1;
	}
	if (m->password_file && mail_password_read(m->password_file, &password, &msg) != KOE_OK) {
		cli_err(cmd, "%s", msg.text);
		goto done;
	}
	/* {closes}: the questionnaire's Closes date, if it has one. */
	{
		struct qn_survey *s = NULL;
		struct koe_diags d = {0};
		if (qn_parse((const char *)rec->source, rec->source_len, NULL, &s, &d) == KOE_OK &&
		    s->closes)
			closes = strdup(s->closes);
		qn_survey_free(s);
		koe_diags_free(&d);
	}
	struct mail_config cfg = {.url = m->url, .from = m->from, .user = m->user,
	                          .password = password, .ca_file = m->ca_file,
	                          .dry_run_dir = m->dry_run,
	                          .rate = m->rate ? m->rate : MAIL_RATE_DEFAULT};
	if (mail_sender_new(&cfg, &sender, &msg) != KOE_OK) {
		cli_err(cmd, "%s", msg.text);
		goto done;
	}
	m->tty = isatty(STDERR_FILENO);
	stop_flag = 0;
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old);
	struct survey_mail_req req = {
		.db = db, .rec = rec, .key_path = key_path, .kind = kind, .tmpl = &tmpl,
		.sender = sender, .dry_run = m->dry_run != NULL, .closes = closes ? closes : "",
		.stop = &stop_flag, .progress = progress, .failure = failure, .ctx = m};
	enum koe_err err = survey_mail(&req, &res, &msg);
	sigaction(SIGINT, &old, NULL);
	if (err != KOE_OK) {
		cli_err(cmd, "%s", msg.text);
		goto done;
	}
	if (m->dry_run)
		printf("%zu messages written to %s (nothing was sent). Each holds a working link: "
		       "delete the files after the preview.\n",
		       res.sent, m->dry_run);
	else
		printf("%zu sent, %zu failed, %zu not attempted (of %zu).\n", res.sent, res.failed,
		       res.total - res.sent - res.failed, res.total);
	if (res.stopped)
		printf("Stopped: %s\n", res.why.text);
	if (!m->dry_run && (res.failed || res.stopped))
		printf("To resume (failed and unsent invitations get a new link), run:\n  %s %s\n",
		       cli_self, resume);
	status = res.stopped ? 1 : 0;
done:
	mail_sender_free(sender);
	mail_template_free(&tmpl);
	if (password) {
		sodium_memzero(password, strlen(password));
		free(password);
	}
	free(closes);
	return status;
}
