/* koe — e-mail: one message built (RFC 5322, MIME, UTF-8) and sent over
 * SMTP with libcurl, or written as an .eml file; templates for the
 * invitation and the reminder. The only module that calls libcurl
 * (docs/ARCHITECTURE.md, one owner per library).
 *
 * Rules of this module:
 *   - No printing: failures come back in struct koe_msg; SMTP replies are
 *     copied into it without the message (which holds a link).
 *   - Messages are sealed in memory only for as long as one send takes and
 *     wiped after (a link is a secret: it answers as the employee).
 *   - TLS certificates are verified; a private CA is given by file. */
#ifndef KOE_MAIL_H
#define KOE_MAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "koe/diag.h"
#include "koe/err.h"

#define MAIL_RATE_DEFAULT 30  /* messages per minute: safe for a corporate relay */
#define MAIL_RATE_MAX 100000
#define MAIL_REPLY_MAX 240

/* ---- templates ---- */

enum mail_kind { MAIL_INVITATION = 0, MAIL_REMINDER = 1 };

struct mail_template {
	char *subject; /* UTF-8, one line */
	char *body;    /* UTF-8, LF line ends */
};

/* The values a template's placeholders take. */
struct mail_vars {
	const char *name, *link, *title, *closes, *fingerprint;
};

/* Parses a template file's text: a first line "Subject: ...", then the body
 * (one blank line after the subject is dropped). Placeholders are {name}
 * {link} {title} {closes} {fingerprint}; {{ and }} write a brace. {link} is
 * required. Errors go to d with line and column; returns KOE_EINVAL then. */
enum koe_err mail_template_parse(const char *text, size_t len, struct mail_template *out,
                                 struct koe_diags *d);

/* The embedded Japanese default for kind. */
enum koe_err mail_template_default(enum mail_kind kind, struct mail_template *out);

void mail_template_free(struct mail_template *t);

/* Fills subject and body; the caller frees both (and wipes them: they hold
 * the link). */
enum koe_err mail_render(const struct mail_template *t, const struct mail_vars *v,
                         char **subject, char **body);

/* ---- messages and sending ---- */

struct mail_config {
	const char *url;           /* smtp://host[:port] or smtps://host[:port]; NULL with dry_run */
	const char *from;          /* the sender's address */
	const char *user;          /* AUTH user, or NULL */
	const char *password;      /* from the password file, or NULL */
	const char *ca_file;       /* a private CA to trust, or NULL */
	const char *dry_run_dir;   /* write .eml files here instead of sending */
	int rate;                  /* messages per minute */
};

struct mail_sender;

/* Checks the configuration (addresses, URL scheme, rate) and prepares the
 * connection; sends nothing yet. */
enum koe_err mail_sender_new(const struct mail_config *cfg, struct mail_sender **out,
                             struct koe_msg *msg);
void mail_sender_free(struct mail_sender *s);

enum mail_result {
	MAIL_SENT = 0,      /* accepted by the server (or written, in a dry run) */
	MAIL_REJECTED = 1,  /* a permanent (5xx) refusal of this recipient: go on */
	MAIL_STOP = 2,      /* 4xx after retries, or no connection: stop the run */
};

/* Builds one message and sends it (waiting first so that no more than rate
 * messages go per minute; 4xx and dropped connections are retried with
 * backoff). label names the .eml file in a dry run. reply gets the SMTP
 * reply or the reason on anything but MAIL_SENT. */
enum mail_result mail_send(struct mail_sender *s, const char *to_addr, const char *to_name,
                           const char *subject, const char *body, const char *label,
                           struct koe_msg *reply);

/* The whole message as sent, CRLF line ends; the caller frees (and wipes)
 * it. Exposed for tests and the dry run. */
char *mail_format(const char *from, const char *to_addr, const char *to_name,
                  const char *subject, const char *body);

/* Reads an SMTP password from the first line of path; refuses a file that
 * others can read. The caller wipes and frees *out. */
enum koe_err mail_password_read(const char *path, char **out, struct koe_msg *msg);

/* Whether addr looks like one plain address: no spaces, quotes, angle
 * brackets or line breaks, one '@' with text on both sides. */
bool mail_address_ok(const char *addr);

#endif
