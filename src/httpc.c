/* A minimal HTTP/1.1 client; see include/koe/httpc.h. */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "koe/httpc.h"

enum koe_err
httpc_init(struct httpc *c, const char *host, uint16_t port)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	if (strlen(host) >= sizeof(c->host))
		return KOE_EINVAL;
	snprintf(c->host, sizeof(c->host), "%s", host);
	c->port = port;
	c->cap = 16384;
	c->buf = malloc(c->cap);
	return c->buf ? KOE_OK : KOE_ENOMEM;
}

static enum koe_err
connect_now(struct httpc *c)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(c->port)};
	int one = 1;

	if (inet_pton(AF_INET, c->host, &a.sin_addr) != 1)
		return KOE_EINVAL;
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0)
		return KOE_EIO;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(c->fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(c->fd);
		c->fd = -1;
		return KOE_EIO;
	}
	c->len = c->used = 0;
	return KOE_OK;
}

static void
disconnect(struct httpc *c)
{
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
	c->len = c->used = 0;
}

static enum koe_err
send_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return KOE_EIO;
		p += w;
		n -= (size_t)w;
	}
	return KOE_OK;
}

/* Reads until buf holds at least need bytes; KOE_EIO at end of stream. */
static enum koe_err
fill(struct httpc *c, size_t need)
{
	while (c->len < need) {
		ssize_t r;
		if (need > HTTPC_MAX_RESPONSE)
			return KOE_ETOOBIG;
		if (c->len == c->cap) {
			size_t cap = c->cap * 2;
			char *nb = realloc(c->buf, cap);
			if (nb == NULL)
				return KOE_ENOMEM;
			c->buf = nb;
			c->cap = cap;
		}
		r = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return KOE_EIO;
		c->len += (size_t)r;
	}
	return KOE_OK;
}

/* Reads one response. *closing is set when the server will close. */
static enum koe_err
read_response(struct httpc *c, struct httpc_resp *out, int *closing)
{
	char *end = NULL;
	size_t hlen, clen = 0;
	enum koe_err err;

	/* Headers: grow until the blank line appears. */
	for (;;) {
		if (c->len >= 4 && (end = memmem(c->buf, c->len, "\r\n\r\n", 4)) != NULL)
			break;
		if (c->len > 65536)
			return KOE_EINVAL;
		if ((err = fill(c, c->len + 1)) != KOE_OK)
			return err;
	}
	hlen = (size_t)(end - c->buf) + 4;
	*end = '\0';
	if (sscanf(c->buf, "HTTP/1.%*d %d", &out->status) != 1)
		return KOE_EINVAL;
	*closing = 0;
	for (char *line = strstr(c->buf, "\r\n"); line; line = strstr(line + 2, "\r\n")) {
		char *h = line + 2;
		if (strncasecmp(h, "Content-Length:", 15) == 0)
			clen = strtoul(h + 15, NULL, 10);
		else if (strncasecmp(h, "Connection:", 11) == 0 && strstr(h, "close") != NULL)
			*closing = 1;
	}
	if (clen > HTTPC_MAX_RESPONSE)
		return KOE_ETOOBIG;
	if ((err = fill(c, hlen + clen)) != KOE_OK)
		return err;
	/* Room for a NUL after the body, for callers that parse text. */
	if (c->cap < hlen + clen + 1) {
		char *nb = realloc(c->buf, hlen + clen + 1);
		if (nb == NULL)
			return KOE_ENOMEM;
		c->buf = nb;
		c->cap = hlen + clen + 1;
	}
	out->body = c->buf + hlen;
	out->len = clen;
	c->used = hlen + clen;
	return KOE_OK;
}

enum koe_err
httpc_request(struct httpc *c, const char *method, const char *path, const char *ctype,
              const char *body, size_t len, struct httpc_resp *out)
{
	char head[1024];
	int n, closing = 0;
	enum koe_err err = KOE_EIO;

	/* Drop the previous response from the buffer. */
	if (c->used) {
		memmove(c->buf, c->buf + c->used, c->len - c->used);
		c->len -= c->used;
		c->used = 0;
	}
	n = snprintf(head, sizeof(head),
	             "%s %s HTTP/1.1\r\nHost: %s:%u\r\n%s%s%sContent-Length: %zu\r\n\r\n", method,
	             path, c->host, (unsigned)c->port, ctype ? "Content-Type: " : "",
	             ctype ? ctype : "", ctype ? "\r\n" : "", body ? len : (size_t)0);
	if (n < 0 || (size_t)n >= sizeof(head))
		return KOE_EINVAL;
	for (int attempt = 0; attempt < 2; attempt++) {
		if (c->fd < 0 && (err = connect_now(c)) != KOE_OK)
			return err;
		err = send_all(c->fd, head, (size_t)n);
		if (err == KOE_OK && body && len)
			err = send_all(c->fd, body, len);
		if (err == KOE_OK)
			err = read_response(c, out, &closing);
		if (err == KOE_OK)
			break;
		/* The server may have closed an idle keep-alive connection. */
		disconnect(c);
		if (err != KOE_EIO)
			return err;
	}
	if (err != KOE_OK)
		return err;
	if (closing) {
		/* Keep the body readable: move it to the start of the buffer. */
		memmove(c->buf, out->body, out->len);
		out->body = c->buf;
		c->buf[out->len] = '\0';
		close(c->fd);
		c->fd = -1;
		c->len = c->used = 0;
		return KOE_OK;
	}
	/* Requests are not pipelined, so a server sending more than the
	 * response is broken; otherwise the byte after the body is free for
	 * a terminating NUL. */
	if (c->len != c->used) {
		disconnect(c);
		return KOE_EINVAL;
	}
	((char *)out->body)[out->len] = '\0';
	return KOE_OK;
}

void
httpc_close(struct httpc *c)
{
	disconnect(c);
	free(c->buf);
	c->buf = NULL;
}
