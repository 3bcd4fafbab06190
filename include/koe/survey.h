/* koe — the product's operations on a survey (docs/ARCHITECTURE.md §2):
 * open, close, unlock, report, and the demo's simulated employees. The
 * commands (src/cmd_*.c) and `koe demo` call these; each rule is written
 * here once.
 *
 * Rules of this module:
 *   - No printing and no terminal: progress goes through an optional
 *     callback, passphrases come from the caller, files other than the
 *     database and the master key are the caller's (through callbacks).
 *   - Each operation takes a request struct (borrowed for the call) and
 *     fills a result struct; it returns KOE_OK, or an error with an English
 *     message in *msg (see struct koe_msg in koe/err.h; an empty text means
 *     a callback already reported the failure).
 *   - All or nothing: a failed operation leaves the database as it was
 *     (one transaction each).
 *   - Secrets (seeds, keys, passphrases, invitation codes) are wiped before
 *     returning; the unlocked report secret is the caller's to wipe
 *     (survey_unlock_wipe). */
#ifndef KOE_SURVEY_H
#define KOE_SURVEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "koe/db.h"
#include "koe/err.h"
#include "koe/invite.h"
#include "koe/qn.h"
#include "koe/roster.h"
#include "koe/seal.h"
#include "koe/seg.h"
#include "koe/tok.h"

/* Progress of a long step: done of total, done == total at the end. */
typedef void (*survey_progress_fn)(void *ctx, size_t done, size_t total);

/* ---- koe open (§2.1) ---- */

/* The one holder made from HR's passphrase when no holder files are given. */
#define SURVEY_SINGLE_HOLDER_NAME "HR"

/* Where the links go. Invitation codes exist nowhere else (§4.3), so the
 * caller writes them somewhere durable before the commit: begin is called
 * before the transaction starts, link once per roster row in roster order
 * inside it, before_commit after the last write and just before the
 * commit (rename the links file into place there). If survey_open fails
 * after before_commit returned 0, the commit failed: remove what was put
 * in place. Each returns 0, or nonzero with *msg set (or empty if it
 * printed the reason itself) to abort with nothing written. */
struct survey_links {
	int (*begin)(void *ctx, struct koe_msg *msg);
	int (*link)(void *ctx, const struct roster_row *row, const char *url);
	int (*before_commit)(void *ctx, struct koe_msg *msg);
	void *ctx;
};

struct survey_open_req {
	const struct qn_survey *survey; /* parsed questionnaire */
	const char *source;             /* its text, stored with the survey */
	size_t source_len;
	const struct roster *roster;    /* parsed with the survey's segment columns */
	const struct seg_table *groups; /* survey_groups(survey, roster) */
	const char *base_url;           /* as survey_base_url() returned it */
	struct db *db;                  /* opened (created if need be) */
	const char *db_name;            /* the database as the user named it, for messages */
	const char *key_path;           /* master seed, created on first use */
	/* The report key's holders (§4.3), asked for only once the survey is
	 * known to be new and the keys are ready (so nobody types a
	 * passphrase for nothing): fills h[0..*n), *n in 1..SEAL_HOLDERS_MAX;
	 * see survey_holder_check and seal_holder_new. Returns 0, or nonzero
	 * with *msg set or empty. */
	int (*holders)(void *ctx, const char *survey_id, struct seal_holder *h, size_t *n,
	               struct koe_msg *msg);
	struct survey_links links;
	survey_progress_fn progress; /* "creating invitations"; may be NULL */
	void *ctx;                   /* for holders and progress */
};

struct survey_open_result {
	struct seal_holder holders[SEAL_HOLDERS_MAX]; /* public parts only */
	size_t nholders;
	char key_id[TOK_HEX_LEN + 1]; /* the survey key's fingerprint (§3.1) */
	bool key_created;             /* the master seed file was made now */
};

/* The k-anonymous groups of a roster (§4.2, step 3 of §2.1), before
 * anything else is touched: KOE_EINVAL when the roster is smaller than
 * MinGroup. Free *out with seg_table_free. */
enum koe_err survey_groups(const struct qn_survey *survey, const struct roster *roster,
                           struct seg_table **out, struct koe_msg *msg);

/* Creates the survey (§2.1 steps 4–7): refusal of an id that exists, keys,
 * holders' public parts, storage reservation, the groups, one invitation
 * per roster row with its link handed to req->links, all in one
 * transaction. res holds nothing to free. */
enum koe_err survey_open(const struct survey_open_req *req, struct survey_open_result *res,
                         struct koe_msg *msg);

/* Accepts http(s)://host[:port][/path] without query, fragment, quotes or
 * spaces, at most 512 bytes; returns a copy without the trailing slash (the
 * caller frees it), or NULL. */
char *survey_base_url(const char *url);

/* Whether a base URL (as survey_base_url returned it) is plain http to a
 * host other than the loopback: links would cross the network unencrypted. */
bool survey_base_url_insecure(const char *url);

/* Parses and checks one holder file's text (from `koe holder`) for survey:
 * its proof must verify for this survey, and neither its name nor its key
 * may be one of prev[0..nprev). label (and prev_labels) name the files in
 * messages. */
enum koe_err survey_holder_check(const char *survey, const char *label, const char *text,
                                 size_t len, const struct seal_holder *prev,
                                 const char *const *prev_labels, size_t nprev,
                                 struct seal_holder *out, struct koe_msg *msg);

/* ---- koe reissue ---- */

struct survey_reissue_result {
	struct db_invitation inv; /* the employee's invitation; db_invitation_clear */
	char link[560];           /* the new link: a secret, wipe it */
};

/* Revokes an employee's link and makes a new one in one transaction,
 * counting it in the survey's reissued links. Refused (KOE_ESTATE) when
 * the survey is closed, or when the old link already fetched its token and
 * force is false: the employee could then answer twice. On failure res
 * holds nothing to free. */
enum koe_err survey_reissue(struct db *db, const struct db_survey *rec, const char *employee,
                            bool force, const char *key_path,
                            struct survey_reissue_result *res, struct koe_msg *msg);

void survey_reissue_result_free(struct survey_reissue_result *res);

/* ---- koe send, koe remind --smtp (§2.6) ---- */

struct mail_template;
struct mail_sender;

struct survey_mail_result {
	size_t total;       /* employees to write to */
	size_t sent;        /* accepted by the server (or written, in a dry run) */
	size_t failed;      /* refused or not delivered; their link is unchanged */
	bool stopped;       /* the run stopped early (server unreachable, 4xx, Ctrl-C) */
	struct koe_msg why; /* why it stopped */
};

struct survey_mail_req {
	struct db *db;
	const struct db_survey *rec; /* open */
	const char *key_path;
	int kind;                    /* enum mail_kind: MAIL_INVITATION writes to each
	                              * unopened invitation not yet sent or failed;
	                              * MAIL_REMINDER to each unopened one */
	const struct mail_template *tmpl;
	struct mail_sender *sender;
	bool dry_run;                /* record no mail state */
	const char *closes;          /* {closes}, as HR wrote it; may be NULL */
	volatile int *stop;          /* set (by a signal) to stop after the current message */
	void (*progress)(void *ctx, const struct survey_mail_result *so_far);
	/* A recipient not delivered, with the server's reply (no link in it). */
	void (*failure)(void *ctx, const char *employee, const char *email, const char *reply);
	void *ctx;
};

/* Sends each employee a message carrying a NEW link: the current one is
 * replaced as survey_reissue does (without counting it as reissued: it was
 * never opened), the new one committed before the message goes, and taken
 * back (the old one restored, the failure recorded) when the message is
 * not delivered. So nobody holds two working links, and a rerun resumes.
 * Returns KOE_OK when the run went through (res tells how far), or an
 * error when the database or the key failed. */
enum koe_err survey_mail(const struct survey_mail_req *req, struct survey_mail_result *res,
                         struct koe_msg *msg);

/* ---- koe close (§4.5) ---- */

struct survey_close_result {
	int64_t count;                            /* receipts (responses) */
	char digest[65];       /* receipt digest, lowercase hex SHA-256 */
	bool compacted;      /* false: closed, but the file still holds deleted rows */
	struct koe_msg warning; /* why compaction failed */
};

/* Closes an open survey in one transaction: the receipt digest (SHA-256
 * over the sorted receipts in lowercase hex, one per line), the counts
 * fixed, the invitations deleted; then compacts the file. */
enum koe_err survey_close(struct db *db, const char *survey_id, struct survey_close_result *res,
                          struct koe_msg *msg);

/* ---- unlocking the report key (§4.3) ---- */

/* The holders of a survey and the secrets opened so far. Secret: wipe with
 * survey_unlock_wipe. */
struct survey_unlock {
	struct seal_holder holders[SEAL_HOLDERS_MAX];
	size_t nholders;
	bool opened[SEAL_HOLDERS_MAX];
	uint8_t sk[SEAL_SK_BYTES]; /* the sum of the opened holders' secrets */
};

/* Reads the survey's holders. */
enum koe_err survey_unlock_begin(struct survey_unlock *u, struct db *db, const char *survey_id,
                                 struct koe_msg *msg);

/* Tries one passphrase: against holder `holder` when it is below nholders,
 * else against every holder not yet opened. KOE_OK with *which set when it
 * opened a holder, KOE_EVERIFY when it is not theirs, another error when
 * the key cannot be derived. */
enum koe_err survey_unlock_try(struct survey_unlock *u, size_t holder, const char *pass,
                               size_t len, size_t *which);

/* Whether every holder is opened and their secrets add up to the survey's
 * report key; on KOE_OK, u->sk is the report secret. */
enum koe_err survey_unlock_finish(struct survey_unlock *u, const struct db_survey *rec,
                                  struct koe_msg *msg);

void survey_unlock_wipe(struct survey_unlock *u);

/* ---- koe report (§2.3) ---- */

struct survey_report_req {
	struct db *db;
	const struct db_survey *rec; /* the survey's record */
	bool interim;                /* allowed while open */
	bool json;                   /* also make the JSON */
	int64_t epoch;               /* report date (SOURCE_DATE_EPOCH) */
	/* --compare: an earlier survey's report JSON (borrowed), checked
	 * before req->ready is called; NULL for none. */
	const char *compare;
	size_t compare_len;
	const char *compare_name;    /* the file's name, for messages */
	/* Called once the survey is loaded and allowed, before any answer is
	 * read: the caller checks its outputs and, for a final report
	 * (sk != NULL), unlocks the key into sk (survey_unlock). final_anyway:
	 * interim was asked for but the survey is closed. Returns 0, or
	 * nonzero with *msg set or empty. */
	int (*ready)(void *ctx, bool interim, bool final_anyway, uint8_t *sk, struct koe_msg *msg);
	survey_progress_fn progress; /* "opening responses"; may be NULL */
	void *ctx;
};

struct survey_report_result {
	uint8_t *pdf; /* free() */
	size_t pdf_len;
	char *json;   /* free(); NULL unless asked for */
	size_t json_len;
	bool interim;
	size_t responses;
	bool shown;      /* false: fewer than k answered, no figures */
	int min_group;
};

/* From the database to the report's bytes: an interim report from the
 * participation table (nothing opened, no key needed), a final one from
 * every sealed answer opened with the secret req->ready supplies. */
enum koe_err survey_report(const struct survey_report_req *req, struct survey_report_result *res,
                           struct koe_msg *msg);

void survey_report_result_free(struct survey_report_result *res);

/* ---- koe demo: simulated employees ---- */

/* A deterministic generator (xorshift64), so every demo tells the same
 * story: the roster's tenure bands and each person's answers. */
struct survey_rng {
	uint64_t s; /* nonzero */
};

/* A uniform double in [0, 1). */
double survey_rng_unit(struct survey_rng *r);

/* One simulated employee: what they do and how they feel. */
struct survey_sim_person {
	const char *dept;
	const char *tenure;
	int answers; /* 0: never opens the link, 1: opens only, 2: answers */
};

struct survey_sim_req {
	const struct qn_survey *survey;
	const struct survey_sim_person *people;
	const char (*codes)[INVITE_CODE_LEN + 1]; /* each person's invitation code */
	size_t n;
	uint16_t port;   /* `koe serve` on 127.0.0.1 */
	int threads;
	int wave;        /* 0: the survey before the alumni program launched; 1:
	                    the one after it, when attitudes have moved (README,
	                    the demo's story) */
	survey_progress_fn progress; /* called from the threads; may be NULL */
	void *ctx;
};

struct survey_sim_result {
	size_t answered, opened_only, failed;
};

/* Every person does what the page does, over HTTP with real tokens: fetch
 * a blinded token, then (answers == 2) submit a believable, deterministic
 * answer set for their department and tenure. */
enum koe_err survey_simulate(const struct survey_sim_req *req, struct survey_sim_result *res,
                             struct koe_msg *msg);

#endif
