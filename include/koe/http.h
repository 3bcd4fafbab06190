/* koe — the answering service (docs/ARCHITECTURE.md §3): HTTP on libmicrohttpd.
 *
 * One process serves every survey of a database. Requests are handled by a
 * pool of threads; every database access goes through one worker thread that
 * groups the requests waiting at that moment into one transaction (group
 * commit): a 201 or a token is only sent after the transaction holding it has
 * committed with synchronous=FULL, yet one fsync covers many requests. The
 * server logs no addresses, user agents, invites, tokens or answers. */
#ifndef KOE_HTTP_H
#define KOE_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "koe/err.h"

struct http_server;

struct http_config {
	const char *db_path;
	const char *key_path;
	const char *listen_addr;   /* IPv4 or IPv6 literal */
	uint16_t port;             /* 0: pick a free port */
	int listen_fd;             /* -1: listen on listen_addr:port; else a socket
	                            * already listening (systemd socket activation),
	                            * used instead; the server closes it */
	unsigned threads;          /* request threads; 0 = one per CPU */
	unsigned max_connections;  /* total */
	unsigned max_per_ip;       /* connections from one address; 0 = no limit */
	unsigned timeout_s;        /* idle connection timeout */
	const char *tls_cert_pem;  /* both NULL, or both PEM text */
	const char *tls_key_pem;
	/* `koe preview` (docs/ARCHITECTURE.md §3.6): when set, the server has no
	 * database, key or worker; it serves the page at / for this
	 * questionnaire file, read again on every request, and stores nothing. */
	const char *preview_path;
};

/* Fills c with the defaults. */
void http_config_defaults(struct http_config *c);

/* Loads the surveys, derives their keys and starts listening (or, with
 * preview_path, only starts listening). On failure
 * writes a message for the operator into msg. Stop with http_stop(). */
enum koe_err http_start(const struct http_config *c, struct http_server **out, struct koe_msg *msg);

/* The port actually listened on. */
uint16_t http_port(const struct http_server *s);

/* Stops accepting, lets the requests in flight finish (up to a few seconds),
 * commits what is queued, closes the database and frees everything. */
void http_stop(struct http_server *s);

#endif
