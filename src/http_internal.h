/* koe — what the http_*.c files share: the server, its surveys, requests and
 * the jobs they hand to the database worker. Not a public interface. */
#ifndef KOE_HTTP_INTERNAL_H
#define KOE_HTTP_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include <jansson.h>
#include <microhttpd.h>

#include "koe/ans.h"
#include "koe/db.h"
#include "koe/http.h"
#include "koe/invite.h"
#include "koe/qn.h"
#include "koe/seal.h"
#include "koe/tok.h"

#define HTTP_MAX_BODY      (64 * 1024) /* bytes of a request body */
#define HTTP_MAX_JSON_DEPTH 8          /* nesting of a request body */
#define HTTP_BATCH_MAX     512         /* jobs in one group commit */

/* One survey the server answers for. Everything but the fields marked
 * "worker" is written once at start and read-only afterwards. */
struct http_survey {
	struct qn_survey *q;
	struct db_survey rec;
	struct tok_survey_key *key;        /* sodium_malloc'd, locked memory */
	size_t nseg;
	char **seg_codes;
	struct tok_segment_key *segkeys;   /* [nseg], sodium_malloc'd */
	char *manifest;                    /* the JSON manifest, built once */
	size_t manifest_len;
	atomic_int state;                  /* enum db_state, refreshed by the worker */
	struct seal_key *seal;             /* this run's sealing key (seal.h),
	                                      sodium_malloc'd; NULL once closed */
	/* worker */
	char *receipts;                    /* JSON, built once after close */
	size_t receipts_len;
};

enum job_kind { JOB_LOOKUP, JOB_ISSUE, JOB_RESPOND, JOB_RECEIPTS };

enum job_result { JR_OK, JR_NOT_FOUND, JR_CONFLICT, JR_CLOSED, JR_OPEN, JR_ERROR,
	          JR_REPLACED /* LOOKUP: the link was replaced by a newer one */ };

/* A request's database work. The handler fills the inputs, hands it to the
 * worker and suspends the connection; the worker fills the result and
 * resumes it. */
struct job {
	enum job_kind kind;
	struct MHD_Connection *conn;
	/* LOOKUP, ISSUE */
	char invite[INVITE_CODE_LEN + 1];
	uint8_t blinded[TOK_ELEMENT_BYTES];
	/* RESPOND, RECEIPTS */
	struct http_survey *sv;
	size_t seg;
	uint8_t receipt[32];
	uint8_t *plain;                    /* encoded answers; wiped by the worker */
	size_t plainlen;
	/* results */
	enum job_result result;
	struct http_survey *found;
	size_t found_seg;
	bool done;
	struct job *next;
};

/* Per request state, kept in MHD's request closure. */
struct http_req {
	char *body;
	size_t len;
	bool too_big;
	bool no_host; /* HTTP/1.1 without Host: answered 400 */
	bool queued;
	struct job job;
};

/* One client connection, in MHD's socket context. deadline_ms is when the
 * request the connection is waiting for must be complete (CLOCK_MONOTONIC
 * milliseconds), 0 while a complete request is being answered. */
struct http_conn {
	struct http_server *s;
	int fd;
	atomic_llong deadline_ms;
	struct http_conn *prev, *next;     /* in the server's list, under conns_lock */
};

struct http_server {
	struct http_config cfg;
	struct MHD_Daemon *d;
	uint16_t port;
	struct db *db;                     /* worker only */
	struct http_survey *sv;
	size_t nsv;
	uint8_t *invite_key;               /* sodium_malloc'd */
	bool tls;

	pthread_t worker;
	bool worker_started;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct job *head, *tail;
	bool stopping;
	atomic_int inflight;               /* requests started, not completed */

	/* The request deadline (see http.c, reaper) */
	pthread_mutex_t conns_lock;
	pthread_cond_t reaper_wake;
	struct http_conn *conns;
	struct http_conn no_conn;          /* context when a conn cannot be allocated */
	pthread_t reaper;
	bool reaper_started, reaper_stop;
};

/* http.c: the server a connection belongs to. */
struct http_server *http_server_of(struct MHD_Connection *c);

/* http.c: replies. Each adds the security headers and returns MHD's result. */
enum MHD_Result http_reply(struct MHD_Connection *c, unsigned status, const char *type,
                           const void *body, size_t len, bool copy, bool api);
/* A file to save: as http_reply (copied, no-store) with Content-Disposition:
 * attachment and the given file name (plain ASCII, no quotes). */
enum MHD_Result http_reply_download(struct MHD_Connection *c, unsigned status, const char *type,
                                    const void *body, size_t len, const char *filename);
enum MHD_Result http_reply_json(struct MHD_Connection *c, unsigned status, json_t *body);
enum MHD_Result http_reply_error(struct MHD_Connection *c, unsigned status, const char *code,
                                 const char *message);

/* Parses a request body as a JSON object with the limits of the API. NULL
 * (after replying 400) when it is not one. */
json_t *http_parse_body(struct MHD_Connection *c, const struct http_req *r,
                        enum MHD_Result *ret);

/* http_worker.c */
int http_worker_start(struct http_server *s);
void http_worker_stop(struct http_server *s);
/* Queues a job and suspends the connection; the worker resumes it. */
void http_submit(struct http_server *s, struct http_req *r);

/* http_surveys.c */
enum koe_err http_surveys_load(struct http_server *s, const uint8_t seed[TOK_SEED_BYTES],
                               struct koe_msg *msg);
void http_surveys_free(struct http_server *s);
struct http_survey *http_survey_find(struct http_server *s, const char *id);
long http_segment_index(const struct http_survey *sv, const char *code);
enum MHD_Result http_manifest(struct http_server *s, struct MHD_Connection *c, const char *id);
enum MHD_Result http_receipts(struct http_server *s, struct MHD_Connection *c, struct http_req *r,
                              const char *id);
/* Worker side of JOB_RECEIPTS: builds sv->receipts once. */
enum job_result http_receipts_build(struct http_server *s, struct http_survey *sv);

/* The manifest JSON of a survey (malloc'ed, *len bytes), from its
 * questionnaire, key and segments (borrowed); NULL when memory ran out. */
char *http_manifest_build(const struct http_survey *sv, const struct db_segment *segs,
                          size_t nsegs, const struct seal_holder *holders, size_t nholders,
                          size_t *len);

/* http_preview.c: every GET of `koe preview`. */
enum MHD_Result http_preview_route(struct MHD_Connection *c, const char *url);

/* http_page.c */
/* Writes text HTML-escaped into out, which has room for 6 bytes per byte of
 * text; returns the bytes written (no NUL). */
size_t http_html_escape(char *out, const char *text);
/* The page template filled in: lang, title, survey, segment and state are
 * escaped; notice is HTML put as it is at the top of <body> (built by the
 * caller, escaped there), "" for none. Returns a malloc'ed page. */
char *http_page_render(const char *lang, const char *title, const char *survey,
                       const char *segment, const char *state, const char *notice, size_t *len);
enum MHD_Result http_page(struct http_server *s, struct MHD_Connection *c, struct http_req *r,
                          const char *invite);
enum MHD_Result http_static(struct MHD_Connection *c, const char *name);
enum MHD_Result http_notfound_page(struct MHD_Connection *c);
enum MHD_Result http_receipts_page(struct http_server *s, struct MHD_Connection *c,
                                   struct http_req *r, const char *rest);

/* http_issue.c, http_responses.c */
enum MHD_Result http_issue(struct http_server *s, struct MHD_Connection *c, struct http_req *r);
enum MHD_Result http_responses(struct http_server *s, struct MHD_Connection *c,
                               struct http_req *r);

/* Embedded web bundle (web_assets.c, generated). */
extern const unsigned char web_koe_js[], web_koe_css[], web_page_html[], web_notfound_html[];
extern const size_t web_koe_js_len, web_koe_css_len, web_page_html_len, web_notfound_html_len;

#endif
