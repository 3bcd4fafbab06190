/* koe — a small blocking HTTP/1.1 client with keep-alive, for the simulated
 * respondents of `koe demo` and the load generator. It speaks exactly what
 * `koe serve` answers (Content-Length bodies) and has hard caps on what it
 * reads. IPv4 literals only: it is for loopback. */
#ifndef KOE_HTTPC_H
#define KOE_HTTPC_H

#include <stddef.h>
#include <stdint.h>

#include "koe/err.h"

#define HTTPC_MAX_RESPONSE (16 * 1024 * 1024)

struct httpc {
	int fd;
	char host[64];
	uint16_t port;
	char *buf;    /* receive buffer, owned */
	size_t cap;
	size_t len;   /* bytes in buf */
	size_t used;  /* bytes of buf consumed by the last response */
};

struct httpc_resp {
	int status;
	const char *body; /* NUL-terminated; borrowed from the client until its
	                     next request */
	size_t len;
};

/* Prepares a client for host:port; connects on first use. */
enum koe_err httpc_init(struct httpc *c, const char *host, uint16_t port);

/* Sends a request (body may be NULL) and reads the response. A keep-alive
 * connection the server has closed is reopened once. ctype is the body's
 * Content-Type, or NULL. KOE_EIO on a network failure, KOE_EINVAL on a
 * response it cannot read, KOE_ETOOBIG past HTTPC_MAX_RESPONSE. */
enum koe_err httpc_request(struct httpc *c, const char *method, const char *path,
                           const char *ctype, const char *body, size_t len,
                           struct httpc_resp *out);

/* Closes the connection and frees the buffer. Accepts a closed client. */
void httpc_close(struct httpc *c);

#endif
