/* A real `koe serve` on loopback for tests: a survey opened with the real
 * `koe open`, the server started as a child process on a free port, a tiny
 * blocking HTTP/1.1 client, and an "employee" that fetches a token with the
 * C POPRF client exactly as the browser does. */
#ifndef KOE_SERVER_FIXTURE_H
#define KOE_SERVER_FIXTURE_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "harness.h"
#include "koe/b64.h"
#include "koe/tok.h"

#define SRV_MAX_LINKS 256
#define SURVEY_ID "alumni-readiness-2026"

struct srv {
	char dir[128];
	char db[256];
	char key[256];
	pid_t pid;
	int port;
	size_t nlinks;
	char codes[SRV_MAX_LINKS][32];
	char employees[SRV_MAX_LINKS][32];
};

struct hc_resp {
	int status;
	char *head;  /* status line and headers */
	char *body;  /* NUL-terminated */
	size_t len;
};

static inline void
hc_free(struct hc_resp *r)
{
	free(r->head);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

/* Sends raw bytes on a fresh connection and reads until the server closes. */
static inline int
hc_raw(int port, const char *req, size_t reqlen, struct hc_resp *out)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	ssize_t got;

	memset(out, 0, sizeof(*out));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		free(buf);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (size_t off = 0; off < reqlen;) {
		ssize_t w = write(fd, req + off, reqlen - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	while ((got = read(fd, buf + n, cap - n - 1)) > 0) {
		n += (size_t)got;
		if (n + 1 == cap)
			buf = realloc(buf, cap *= 2);
	}
	close(fd);
	buf[n] = '\0';
	char *sep = strstr(buf, "\r\n\r\n");
	if (sep == NULL || sscanf(buf, "HTTP/1.1 %d", &out->status) != 1) {
		free(buf);
		return -1;
	}
	*sep = '\0';
	out->head = strdup(buf);
	out->len = n - (size_t)(sep + 4 - buf);
	out->body = malloc(out->len + 1);
	memcpy(out->body, sep + 4, out->len);
	out->body[out->len] = '\0';
	free(buf);
	return 0;
}

static inline int
hc(int port, const char *method, const char *path, const char *ctype, const char *body,
   struct hc_resp *out)
{
	size_t blen = body ? strlen(body) : 0;
	char *req = malloc(blen + 1024);
	int n = snprintf(req, 1024,
	                 "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s%s%s"
	                 "Content-Length: %zu\r\n\r\n",
	                 method, path, ctype ? "Content-Type: " : "", ctype ? ctype : "",
	                 ctype ? "\r\n" : "", blen);
	if (body)
		memcpy(req + n, body, blen);
	int rc = hc_raw(port, req, (size_t)n + blen, out);
	free(req);
	return rc;
}

static inline int
hc_post_json(int port, const char *path, json_t *body, struct hc_resp *out)
{
	char *text = json_dumps(body, JSON_COMPACT);
	int rc = hc(port, "POST", path, "application/json", text, out);
	free(text);
	json_decref(body);
	return rc;
}

/* The value of a response header (case-insensitive name), or NULL. The
 * result points into a static buffer. */
static inline const char *
hc_header(const struct hc_resp *r, const char *name)
{
	static char val[1024];
	size_t nl = strlen(name);
	for (const char *p = r->head; p && (p = strstr(p, "\r\n")) != NULL;) {
		p += 2;
		if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
			const char *v = p + nl + 1, *e = strstr(v, "\r\n");
			while (*v == ' ')
				v++;
			size_t l = e ? (size_t)(e - v) : strlen(v);
			if (l >= sizeof(val))
				l = sizeof(val) - 1;
			memcpy(val, v, l);
			val[l] = '\0';
			return val;
		}
	}
	return NULL;
}

static inline int
run_cmd(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline int
run_cmd(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int rc = system(cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Opens the flagship survey for n employees of one department (so every
 * group has at least k people) and reads the links. */
static inline void
srv_open(struct srv *s, size_t n)
{
	const char *bin = getenv("KOE_BIN"), *src = getenv("KOE_SRC");
	char path[512];
	FILE *f;

	memset(s, 0, sizeof(*s));
	s->pid = -1;
	if (bin == NULL || src == NULL) {
		fprintf(stderr, "KOE_BIN and KOE_SRC must be set\n");
		exit(2);
	}
	setenv("KOE_KDF_MEMLIMIT", "8388608", 1);
	snprintf(s->dir, sizeof(s->dir), "/tmp/koe-srv-XXXXXX");
	if (mkdtemp(s->dir) == NULL)
		exit(2);
	snprintf(s->db, sizeof(s->db), "%s/koe.db", s->dir);
	snprintf(s->key, sizeof(s->key), "%s/koe.key", s->dir);
	snprintf(path, sizeof(path), "%s/roster.csv", s->dir);
	f = fopen(path, "w");
	fprintf(f, "employee_id,email,name,department,tenure\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "E%03zu,e%zu@example.jp,社員%zu,営業部,%s\n", i, i, i,
		        i % 2 ? "1-3年" : "3-5年");
	fclose(f);
	snprintf(path, sizeof(path), "%s/pass.txt", s->dir);
	f = fopen(path, "w");
	fprintf(f, "correct horse battery staple\n");
	fclose(f);
	if (run_cmd("cd %s && '%s' open '%s/surveys/alumni-readiness.txt' --roster roster.csv "
	            "--base-url http://127.0.0.1:1 --db koe.db --key koe.key --out links.csv "
	            "--passphrase-file pass.txt >/dev/null",
	            s->dir, bin, src) != 0) {
		fprintf(stderr, "koe open failed\n");
		exit(2);
	}
	snprintf(path, sizeof(path), "%s/links.csv", s->dir);
	f = fopen(path, "r");
	char line[1024];
	if (fgets(line, sizeof(line), f) == NULL) /* header */
		exit(2);
	while (fgets(line, sizeof(line), f) && s->nlinks < SRV_MAX_LINKS) {
		char *code = strstr(line, "/s/");
		if (code == NULL)
			continue;
		code += 3;
		code[strcspn(code, "\r\n")] = '\0';
		snprintf(s->codes[s->nlinks], sizeof(s->codes[0]), "%s", code);
		snprintf(s->employees[s->nlinks], sizeof(s->employees[0]), "%.*s",
		         (int)strcspn(line, ","), line);
		s->nlinks++;
	}
	fclose(f);
}

/* Starts `koe serve` on a free port with extra arguments; waits until it
 * prints its address. */
static inline void
srv_start(struct srv *s, const char *extra)
{
	const char *bin = getenv("KOE_BIN");
	int pipefd[2];
	char cmd[2048], line[256];
	FILE *out;

	if (pipe(pipefd) != 0)
		exit(2);
	snprintf(cmd, sizeof(cmd),
	         "exec '%s' serve --listen 127.0.0.1:0 --db '%s' --key '%s' %s", bin, s->db,
	         s->key, extra ? extra : "");
	s->pid = fork();
	if (s->pid == 0) {
		dup2(pipefd[1], 1);
		close(pipefd[0]);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	out = fdopen(pipefd[0], "r");
	if (fgets(line, sizeof(line), out) == NULL ||
	    sscanf(strrchr(line, ':') + 1, "%d", &s->port) != 1) {
		fprintf(stderr, "koe serve did not start\n");
		exit(2);
	}
	fclose(out);
}

/* Sends SIGTERM and returns the server's exit status. */
static inline int
srv_stop(struct srv *s)
{
	int st = 0;
	if (s->pid <= 0)
		return -1;
	kill(s->pid, SIGTERM);
	waitpid(s->pid, &st, 0);
	s->pid = -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static inline void
srv_cleanup(struct srv *s)
{
	if (s->pid > 0)
		srv_stop(s);
	run_cmd("rm -rf '%s'", s->dir);
}

/* An employee's token, fetched as the page does it. */
struct fx_emp {
	char segment[64];
	struct tok_client_token tk;
	uint8_t output[TOK_OUTPUT_BYTES];
	char input64[64], output64[128];
	char evaluated64[64];
};

/* The segment code the server put into the page of an invite ("" if none). */
static inline void
fx_page_segment(const struct srv *s, const char *code, char *seg, size_t cap)
{
	struct hc_resp r;
	char path[128];
	seg[0] = '\0';
	snprintf(path, sizeof(path), "/s/%s", code);
	if (hc(s->port, "GET", path, NULL, NULL, &r) != 0)
		return;
	const char *p = strstr(r.body ? r.body : "", "data-segment=\"");
	if (p) {
		p += 14;
		snprintf(seg, cap, "%.*s", (int)strcspn(p, "\""), p);
	}
	hc_free(&r);
}

/* Reads pkS from the manifest. */
static inline int
srv_public_key(const struct srv *s, uint8_t pk[32])
{
	struct hc_resp r;
	json_t *m;
	int rc = -1;
	if (hc(s->port, "GET", "/api/v1/surveys/" SURVEY_ID, NULL, NULL, &r) != 0)
		return -1;
	m = json_loads(r.body, 0, NULL);
	const char *pk64 = json_string_value(json_object_get(m, "public_key"));
	if (pk64 && b64url_decode(pk, 32, pk64, strlen(pk64)) == KOE_OK)
		rc = 0;
	json_decref(m);
	hc_free(&r);
	return rc;
}

/* Fetches and finalizes a token for invite code. Returns the HTTP status of
 * the issuance (200 on success), or -1 if the proof did not verify. */
static inline int
fx_token(const struct srv *s, const char *code, struct fx_emp *e)
{
	struct hc_resp r;
	uint8_t pk[32], ev[32], proof[64], info[TOK_INFO_MAX];
	size_t infolen;
	char blinded64[64];
	json_t *j;
	int status;

	memset(e, 0, sizeof(*e));
	fx_page_segment(s, code, e->segment, sizeof(e->segment));
	if (srv_public_key(s, pk) != 0 || tok_client_blind(&e->tk) != KOE_OK)
		return -2;
	b64url_encode(blinded64, sizeof(blinded64), e->tk.blinded, 32);
	if (hc_post_json(s->port, "/api/v1/issue",
	                 json_pack("{s:s, s:s}", "invite", code, "blinded", blinded64), &r) != 0)
		return -2;
	status = r.status;
	if (status != 200) {
		hc_free(&r);
		return status;
	}
	j = json_loads(r.body, 0, NULL);
	const char *ev64 = json_string_value(json_object_get(j, "evaluated"));
	const char *pr64 = json_string_value(json_object_get(j, "proof"));
	const char *seg = json_string_value(json_object_get(j, "segment"));
	if (ev64 && pr64 && seg && strcmp(seg, e->segment) == 0 &&
	    b64url_decode(ev, 32, ev64, strlen(ev64)) == KOE_OK &&
	    b64url_decode(proof, 64, pr64, strlen(pr64)) == KOE_OK &&
	    tok_info_build(SURVEY_ID, e->segment, info, sizeof(info), &infolen) == KOE_OK &&
	    tok_client_finalize(&e->tk, pk, info, infolen, ev, proof, e->output) == KOE_OK) {
		snprintf(e->evaluated64, sizeof(e->evaluated64), "%s", ev64);
		b64url_encode(e->input64, sizeof(e->input64), e->tk.input, 32);
		b64url_encode(e->output64, sizeof(e->output64), e->output, 64);
	} else {
		status = -1;
	}
	json_decref(j);
	hc_free(&r);
	return status;
}

/* A complete, valid set of answers to the flagship survey. */
static inline json_t *
valid_answers(void)
{
	json_t *a = json_object();
	for (int i = 1; i <= 7; i++) {
		char k[32];
		snprintf(k, sizeof(k), "support.%d", i);
		json_object_set_new(a, k, json_integer(4));
	}
	for (int i = 1; i <= 4; i++) {
		char k[32];
		snprintf(k, sizeof(k), "rejoin.%d", i);
		json_object_set_new(a, k, json_integer(3));
		snprintf(k, sizeof(k), "acceptance.%d", i);
		json_object_set_new(a, k, json_integer(5));
	}
	for (int i = 1; i <= 6; i++) {
		char k[32];
		snprintf(k, sizeof(k), "morale.%d", i);
		json_object_set_new(a, k, json_integer(2));
	}
	json_object_set_new(a, "enps", json_integer(8));
	json_object_set_new(a, "saw_leave", json_integer(2));
	json_object_set_new(a, "rehire_terms", json_integer(3));
	json_object_set_new(a, "offerings", json_pack("[i,i]", 1, 3));
	json_object_set_new(a, "comments", json_string("処遇の公平性が気になります。"));
	return a;
}

/* Submits answers with e's token; returns the status and the body. */
static inline int
fx_submit(const struct srv *s, const struct fx_emp *e, json_t *answers, struct hc_resp *r)
{
	return hc_post_json(s->port, "/api/v1/responses",
	                    json_pack("{s:s, s:s, s:{s:s, s:s}, s:o}", "survey", SURVEY_ID,
	                              "segment", e->segment, "token", "input", e->input64,
	                              "output", e->output64, "answers", answers),
	                    r) == 0
	               ? r->status
	               : -1;
}

#endif
