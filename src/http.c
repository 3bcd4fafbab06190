/* The HTTP server: daemon, routing, limits, replies and shutdown. One file
 * per endpoint group (http_page.c, http_issue.c, http_responses.c,
 * http_surveys.c); the database worker is http_worker.c. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "http_internal.h"
#include "koe/util.h"

void
http_config_defaults(struct http_config *c)
{
	memset(c, 0, sizeof(*c));
	c->db_path = "koe.db";
	c->listen_addr = "127.0.0.1";
	c->port = 8080;
	c->listen_fd = -1;
	c->max_connections = 1024;
	c->max_per_ip = 64;
	c->timeout_s = 15;
}

/* The connection's context, set by on_connection(). */
static struct http_conn *
conn_of(struct MHD_Connection *c)
{
	return MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT)->socket_context;
}

struct http_server *
http_server_of(struct MHD_Connection *c)
{
	return conn_of(c)->s;
}

static long long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Security headers on every response; see docs/ARCHITECTURE.md §3 and the README. */
static void
add_headers(struct http_server *s, struct MHD_Response *resp, const char *type, bool api)
{
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Content-Security-Policy",
	                        "default-src 'none'; script-src 'self'; style-src 'self'; "
	                        "img-src 'self' data:; connect-src 'self'; form-action 'none'; "
	                        "frame-ancestors 'none'; base-uri 'none'");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	MHD_add_response_header(resp, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(resp, "Permissions-Policy",
	                        "camera=(), microphone=(), geolocation=(), interest-cohort=()");
	MHD_add_response_header(resp, "Cache-Control", api ? "no-store" : "no-cache");
	if (s && s->tls)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
}

enum MHD_Result
http_reply(struct MHD_Connection *c, unsigned status, const char *type, const void *body,
           size_t len, bool copy, bool api)
{
	struct http_server *s = conn_of(c)->s;
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		len, (void *)body, copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (resp == NULL)
		return MHD_NO;
	add_headers(s, resp, type, api);
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

enum MHD_Result
http_reply_download(struct MHD_Connection *c, unsigned status, const char *type,
                    const void *body, size_t len, const char *filename)
{
	struct http_server *s = conn_of(c)->s;
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, (void *)body,
	                                                            MHD_RESPMEM_MUST_COPY);
	char disp[256];
	enum MHD_Result ret;

	if (resp == NULL)
		return MHD_NO;
	add_headers(s, resp, type, true);
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", filename);
	MHD_add_response_header(resp, "Content-Disposition", disp);
	ret = MHD_queue_response(c, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

enum MHD_Result
http_reply_json(struct MHD_Connection *c, unsigned status, json_t *body)
{
	char *text = json_dumps(body, JSON_COMPACT);
	enum MHD_Result ret;
	json_decref(body);
	if (text == NULL)
		return MHD_NO;
	ret = http_reply(c, status, "application/json; charset=utf-8", text, strlen(text), true,
	                 true);
	free(text);
	return ret;
}

enum MHD_Result
http_reply_error(struct MHD_Connection *c, unsigned status, const char *code,
                 const char *message)
{
	return http_reply_json(c, status, json_pack("{s:s, s:s}", "error", code, "message", message));
}

/* Rejects bodies nested deeper than the API ever needs before jansson sees
 * them, so no parser recursion depends on what a client sends. */
static bool
depth_ok(const char *p, size_t len)
{
	int depth = 0;
	bool in_str = false;
	for (size_t i = 0; i < len; i++) {
		char ch = p[i];
		if (in_str) {
			if (ch == '\\')
				i++;
			else if (ch == '"')
				in_str = false;
			continue;
		}
		if (ch == '"')
			in_str = true;
		else if (ch == '{' || ch == '[') {
			if (++depth > HTTP_MAX_JSON_DEPTH)
				return false;
		} else if (ch == '}' || ch == ']')
			depth--;
	}
	return true;
}

json_t *
http_parse_body(struct MHD_Connection *c, const struct http_req *r, enum MHD_Result *ret)
{
	const char *type = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	json_error_t jerr;
	json_t *v;

	if (type == NULL || strncasecmp(type, "application/json", 16) != 0 ||
	    (type[16] != '\0' && type[16] != ';')) {
		*ret = http_reply_error(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
		                        "send the body as application/json");
		return NULL;
	}
	if (r->len == 0 || !depth_ok(r->body, r->len)) {
		*ret = http_reply_error(c, MHD_HTTP_BAD_REQUEST, "malformed",
		                        r->len ? "the JSON body is nested too deeply"
		                               : "the request has no body");
		return NULL;
	}
	/* Duplicate keys are refused: "the first or the last one?" must not be
	 * a question. jansson also refuses invalid UTF-8 and NUL in strings
	 * unless allowed. */
	v = json_loadb(r->body, r->len, JSON_REJECT_DUPLICATES, &jerr);
	if (v == NULL || !json_is_object(v)) {
		json_decref(v);
		*ret = http_reply_error(c, MHD_HTTP_BAD_REQUEST, "malformed",
		                        "the body is not a JSON object");
		return NULL;
	}
	return v;
}

static enum MHD_Result
method_not_allowed(struct MHD_Connection *c, const char *allow)
{
	struct http_server *s = conn_of(c)->s;
	static const char body[] =
		"{\"error\":\"method_not_allowed\",\"message\":\"this method is not allowed here\"}";
	struct MHD_Response *resp = MHD_create_response_from_buffer(
		sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;
	if (resp == NULL)
		return MHD_NO;
	add_headers(s, resp, "application/json; charset=utf-8", true);
	MHD_add_response_header(resp, "Allow", allow);
	ret = MHD_queue_response(c, MHD_HTTP_METHOD_NOT_ALLOWED, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Routes a complete request. Paths are matched exactly; nothing maps a URL
 * onto the file system. */
static enum MHD_Result
route(struct http_server *s, struct MHD_Connection *c, const char *url, const char *method,
      struct http_req *r)
{
	bool get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
	bool post = strcmp(method, "POST") == 0;
	static const char api_surveys[] = "/api/v1/surveys/";

	if (s->cfg.preview_path)
		return get ? http_preview_route(c, url) : method_not_allowed(c, "GET, HEAD");

	if (strncmp(url, "/s/", 3) == 0 && strchr(url + 3, '/') == NULL)
		return get ? http_page(s, c, r, url + 3) : method_not_allowed(c, "GET, HEAD");
	if (strncmp(url, "/receipts/", 10) == 0)
		return get ? http_receipts_page(s, c, r, url + 10) : method_not_allowed(c, "GET, HEAD");
	if (strncmp(url, "/static/", 8) == 0)
		return get ? http_static(c, url + 8) : method_not_allowed(c, "GET, HEAD");
	if (strcmp(url, "/api/v1/issue") == 0)
		return post ? http_issue(s, c, r) : method_not_allowed(c, "POST");
	if (strcmp(url, "/api/v1/responses") == 0)
		return post ? http_responses(s, c, r) : method_not_allowed(c, "POST");
	if (strncmp(url, api_surveys, sizeof(api_surveys) - 1) == 0) {
		const char *rest = url + sizeof(api_surveys) - 1;
		const char *slash = strchr(rest, '/');
		char id[TOK_SURVEY_ID_MAX + 1];
		size_t idlen = slash ? (size_t)(slash - rest) : strlen(rest);
		if (idlen == 0 || idlen > TOK_SURVEY_ID_MAX)
			return http_reply_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such survey");
		memcpy(id, rest, idlen);
		id[idlen] = '\0';
		if (slash == NULL)
			return get ? http_manifest(s, c, id) : method_not_allowed(c, "GET, HEAD");
		if (strcmp(slash, "/receipts") == 0)
			return get ? http_receipts(s, c, r, id) : method_not_allowed(c, "GET, HEAD");
	}
	if (strncmp(url, "/api/", 5) == 0)
		return http_reply_error(c, MHD_HTTP_NOT_FOUND, "not_found", "no such endpoint");
	return http_notfound_page(c);
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_data_size,
           void **req_cls)
{
	struct http_server *s = cls;
	struct http_req *r = *req_cls;

	if (r == NULL) {
		const char *cl;
		r = calloc(1, sizeof(*r));
		if (r == NULL)
			return MHD_NO;
		*req_cls = r;
		atomic_fetch_add(&s->inflight, 1);
		/* RFC 9112 §3.2: an HTTP/1.1 request without Host gets 400. */
		if (strcmp(version, MHD_HTTP_VERSION_1_1) == 0 &&
		    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST) == NULL) {
			r->too_big = true; /* discard any body */
			r->no_host = true;
			return MHD_YES;
		}
		/* Refuse an announced oversized body before reading it. */
		cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > HTTP_MAX_BODY) {
			r->too_big = true;
			return http_reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
			                        "the request body is too large");
		}
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		size_t n = *upload_data_size;
		*upload_data_size = 0;
		if (r->too_big || r->len + n > HTTP_MAX_BODY) {
			r->too_big = true;
			return MHD_YES;
		}
		char *nb = realloc(r->body, r->len + n + 1);
		if (nb == NULL)
			return MHD_NO;
		memcpy(nb + r->len, upload_data, n);
		r->body = nb;
		r->len += n;
		r->body[r->len] = '\0';
		return MHD_YES;
	}
	/* The request is whole: no deadline while it is answered. */
	atomic_store(&conn_of(c)->deadline_ms, 0);
	if (r->no_host)
		return http_reply_error(c, MHD_HTTP_BAD_REQUEST, "malformed",
		                        "an HTTP/1.1 request needs a Host header");
	if (r->too_big)
		return http_reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "too_large",
		                        "the request body is too large");
	return route(s, c, url, method, r);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **req_cls,
             enum MHD_RequestTerminationCode toe)
{
	struct http_server *s = cls;
	struct http_req *r = *req_cls;
	(void)toe;
	/* The next request on this connection has its own deadline.
	 * (libmicrohttpd completes requests before it reports the connection
	 * closed, so the context is still there; checked all the same.) */
	struct http_conn *k = conn_of(c);
	if (k)
		atomic_store(&k->deadline_ms, now_ms() + 1000LL * s->cfg.timeout_s);
	if (r == NULL)
		return;
	if (r->body) {
		sodium_memzero(r->body, r->len);
		free(r->body);
	}
	free(r);
	*req_cls = NULL;
	atomic_fetch_sub(&s->inflight, 1);
}

/* Every connection's socket context is a struct http_conn: the server (so
 * reply helpers reach its settings without globals), its socket and its
 * request deadline. The list of them is what the reaper walks.
 * libmicrohttpd notifies CLOSED before it closes the socket, and the
 * reaper only touches sockets of listed connections under conns_lock, so it
 * never shuts down a descriptor that was closed and reused. */
static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
              enum MHD_ConnectionNotificationCode toe)
{
	struct http_server *s = cls;
	struct http_conn *k;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *fd =
			MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		k = calloc(1, sizeof(*k));
		if (k == NULL || fd == NULL) {
			free(k);
			*socket_context = &s->no_conn; /* served, without a deadline */
			return;
		}
		k->s = s;
		k->fd = fd->connect_fd;
		atomic_init(&k->deadline_ms, now_ms() + 1000LL * s->cfg.timeout_s);
		pthread_mutex_lock(&s->conns_lock);
		k->next = s->conns;
		if (s->conns)
			s->conns->prev = k;
		s->conns = k;
		pthread_mutex_unlock(&s->conns_lock);
		*socket_context = k;
	} else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
		k = *socket_context;
		if (k == NULL || k == &s->no_conn)
			return;
		pthread_mutex_lock(&s->conns_lock);
		if (k->prev)
			k->prev->next = k->next;
		else
			s->conns = k->next;
		if (k->next)
			k->next->prev = k->prev;
		pthread_mutex_unlock(&s->conns_lock);
		free(k);
		*socket_context = NULL;
	}
}

/* libmicrohttpd closes a connection after --timeout seconds of silence, but
 * a client that sends one byte every few seconds is never silent
 * (slowloris). The reaper gives every request a deadline instead: it must
 * arrive whole within --timeout seconds of the connection starting to wait
 * for it; past that, the socket is shut down and libmicrohttpd drops the
 * connection. Requests being answered have no deadline. */
static void *
reaper(void *arg)
{
	struct http_server *s = arg;

	pthread_mutex_lock(&s->conns_lock);
	while (!s->reaper_stop) {
		struct timespec until;
		long long now = now_ms();
		for (struct http_conn *k = s->conns; k; k = k->next) {
			long long d = atomic_load(&k->deadline_ms);
			if (d != 0 && now > d) {
				shutdown(k->fd, SHUT_RDWR);
				atomic_store(&k->deadline_ms, 0);
			}
		}
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250 * 1000 * 1000;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&s->reaper_wake, &s->conns_lock, &until);
	}
	pthread_mutex_unlock(&s->conns_lock);
	return NULL;
}

static int
hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* Percent-decodes a URL in place like libmicrohttpd's default, except that
 * %00 stays as it is: decoding it would cut the C string and let
 * "/static/koe.js%00.txt" reach koe.js. An undecoded "%00" matches no route. */
static size_t
unescape_url(void *cls, struct MHD_Connection *c, char *s)
{
	char *w = s;
	(void)cls;
	(void)c;
	for (const char *p = s; *p != '\0'; p++) {
		int hi, lo;
		if (*p == '%' && (hi = hexval(p[1])) >= 0 && (lo = hexval(p[2])) >= 0 &&
		    (hi | lo) != 0) {
			*w++ = (char)(hi * 16 + lo);
			p += 2;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

/* libmicrohttpd's own messages can carry client addresses; they are not
 * logged (docs/ARCHITECTURE.md §3: no IP logging). */
static void
drop_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	(void)fmt;
	(void)ap;
}

/* The listening address of cfg into addr; adds MHD_USE_IPv6 to flags for
 * an IPv6 address. -1 when it is not an IP address. */
static int
listen_address(const struct http_config *cfg, struct sockaddr_storage *addr, unsigned *flags)
{
	memset(addr, 0, sizeof(*addr));
	if (inet_pton(AF_INET, cfg->listen_addr, &((struct sockaddr_in *)addr)->sin_addr) == 1) {
		struct sockaddr_in *a4 = (struct sockaddr_in *)addr;
		a4->sin_family = AF_INET;
		a4->sin_port = htons(cfg->port);
		return 0;
	}
	if (inet_pton(AF_INET6, cfg->listen_addr, &((struct sockaddr_in6 *)addr)->sin6_addr) == 1) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)addr;
		a6->sin6_family = AF_INET6;
		a6->sin6_port = htons(cfg->port);
		*flags |= MHD_USE_IPv6;
		return 0;
	}
	return -1;
}

/* A socket handed over (systemd socket activation): its port, and
 * MHD_USE_IPv6 added to flags for an IPv6 one (as listen_address does). -1
 * when fd is not a listening stream socket. */
static int
handed_socket(int fd, unsigned *flags, uint16_t *port)
{
	struct sockaddr_storage a;
	socklen_t len = sizeof(a);
	int type = 0, listening = 0;
	socklen_t ilen = sizeof(int);

	if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &ilen) != 0 || type != SOCK_STREAM ||
	    getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &ilen) != 0 || !listening ||
	    getsockname(fd, (struct sockaddr *)&a, &len) != 0)
		return -1;
	if (a.ss_family == AF_INET6) {
		*flags |= MHD_USE_IPv6;
		*port = ntohs(((struct sockaddr_in6 *)&a)->sin6_port);
	} else if (a.ss_family == AF_INET) {
		*port = ntohs(((struct sockaddr_in *)&a)->sin_port);
	} else {
		return -1;
	}
	return 0;
}

/* The key file, the database, the invitation key and every survey with its
 * keys (and this run's sealing key); the seed is wiped before returning. */
static enum koe_err
load_state(struct http_server *s, const struct http_config *cfg, struct koe_msg *msg)
{
	uint8_t seed[TOK_SEED_BYTES];
	struct koe_msg m;
	enum koe_err err = tok_seed_load(cfg->key_path, seed, &m);

	if (err != KOE_OK) {
		koe_msg_set(msg, KOE_OK, "%s", m.text);
		return err;
	}
	if (access(cfg->db_path, F_OK) != 0) {
		koe_msg_set(msg, KOE_OK, "no database at '%s' (open a survey first with 'koe open')",
		         cfg->db_path);
		err = KOE_ENOTFOUND;
		goto done;
	}
	if ((err = db_open(cfg->db_path, 0, &s->db, &m)) != KOE_OK) {
		koe_msg_set(msg, KOE_OK, "cannot use the database '%s': %s", cfg->db_path, m.text);
		goto done;
	}
	if ((s->invite_key = sodium_malloc(INVITE_KEY_BYTES)) == NULL) {
		err = KOE_ENOMEM;
		koe_msg_set(msg, KOE_OK, "out of memory");
		goto done;
	}
	invite_key_derive(seed, s->invite_key);
	err = http_surveys_load(s, seed, msg);
done:
	sodium_memzero(seed, sizeof(seed));
	return err;
}

enum koe_err
http_start(const struct http_config *cfg, struct http_server **out, struct koe_msg *msg)
{
	struct http_server *s;
	struct sockaddr_storage addr;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
	                 MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG;
	enum koe_err err;
	unsigned threads = cfg->threads;

	*out = NULL;
	if (tok_init() != KOE_OK) {
		koe_msg_set(msg, KOE_OK, "cannot initialize the crypto library");
		return KOE_ECRYPTO;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		koe_msg_set(msg, KOE_OK, "out of memory");
		return KOE_ENOMEM;
	}
	s->cfg = *cfg;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->wake, NULL);
	pthread_mutex_init(&s->conns_lock, NULL);
	pthread_cond_init(&s->reaper_wake, NULL);
	s->no_conn.s = s;
	s->no_conn.fd = -1;

	/* Privileged work first: the key file and the database (a preview
	 * has neither). */
	if (cfg->preview_path == NULL && (err = load_state(s, cfg, msg)) != KOE_OK)
		goto fail;
	if (cfg->preview_path == NULL && http_worker_start(s) != 0) {
		err = KOE_ENOMEM;
		koe_msg_set(msg, KOE_OK, "cannot start the database worker");
		goto fail;
	}

	if (cfg->listen_fd >= 0 && handed_socket(cfg->listen_fd, &flags, &s->port) != 0) {
		koe_msg_set(msg, KOE_OK, "the socket handed over (fd %d) is not a listening TCP socket",
		            cfg->listen_fd);
		err = KOE_EINVAL;
		goto fail;
	}
	if (cfg->listen_fd < 0 && listen_address(cfg, &addr, &flags) != 0) {
		koe_msg_set(msg, KOE_OK, "'%s' is not an IP address to listen on", cfg->listen_addr);
		err = KOE_EINVAL;
		goto fail;
	}
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 && n < 64 ? (unsigned)n : 2;
	}
	s->tls = cfg->tls_cert_pem != NULL;
	if (s->tls)
		flags |= MHD_USE_TLS;
	/* A socket handed over by systemd, or the address to bind. */
	struct MHD_OptionItem where[] = {
		cfg->listen_fd >= 0
			? (struct MHD_OptionItem){MHD_OPTION_LISTEN_SOCKET, cfg->listen_fd, NULL}
			: (struct MHD_OptionItem){MHD_OPTION_SOCK_ADDR, 0, &addr},
		{MHD_OPTION_END, 0, NULL},
	};
	s->d = MHD_start_daemon(
		flags, cfg->port, NULL, NULL, on_request, s,
		MHD_OPTION_ARRAY, where,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT, cfg->timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
		MHD_OPTION_EXTERNAL_LOGGER, drop_log, NULL,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape_url, NULL,
		/* Without TLS the list ends here; the TLS options follow. */
		s->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cfg->tls_cert_pem,
		MHD_OPTION_HTTPS_MEM_KEY, cfg->tls_key_pem,
		MHD_OPTION_END);
	if (s->d == NULL && cfg->listen_fd >= 0) {
		koe_msg_set(msg, KOE_OK, "cannot serve on the socket handed over%s",
		         s->tls ? " (do the TLS certificate and key fit?)" : "");
		err = KOE_EIO;
		goto fail;
	}
	if (s->d == NULL) {
		koe_msg_set(msg, KOE_OK, "cannot listen on %s port %u (in use, or not allowed?)%s",
		         cfg->listen_addr, cfg->port,
		         s->tls ? " or the TLS certificate and key do not fit" : "");
		err = KOE_EIO;
		goto fail;
	}
	if (cfg->listen_fd < 0)
		s->port = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT)->port;
	if (pthread_create(&s->reaper, NULL, reaper, s) != 0) {
		err = KOE_ENOMEM;
		koe_msg_set(msg, KOE_OK, "cannot start a thread");
		goto fail;
	}
	s->reaper_started = true;
	*out = s;
	return KOE_OK;
fail:
	http_stop(s);
	return err;
}

uint16_t
http_port(const struct http_server *s)
{
	return s->port;
}

void
http_stop(struct http_server *s)
{
	if (s == NULL)
		return;
	if (s->d) {
		/* Stop accepting, let requests in flight (some suspended and
		 * waiting for the worker) finish, then stop the threads. */
		MHD_socket fd = MHD_quiesce_daemon(s->d);
		struct timespec ts = {0, 10 * 1000 * 1000};
		for (int i = 0; i < 500 && atomic_load(&s->inflight) > 0; i++)
			nanosleep(&ts, NULL);
		MHD_stop_daemon(s->d);
		if (fd != MHD_INVALID_SOCKET)
			close(fd);
	}
	if (s->reaper_started) {
		pthread_mutex_lock(&s->conns_lock);
		s->reaper_stop = true;
		pthread_cond_signal(&s->reaper_wake);
		pthread_mutex_unlock(&s->conns_lock);
		pthread_join(s->reaper, NULL);
	}
	http_worker_stop(s);
	http_surveys_free(s);
	if (s->invite_key)
		sodium_free(s->invite_key);
	db_close(s->db);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->wake);
	pthread_mutex_destroy(&s->conns_lock);
	pthread_cond_destroy(&s->reaper_wake);
	free(s);
}
