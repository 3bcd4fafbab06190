/* The employee's page (GET /s/{invite}), the public receipt page of a
 * survey (GET /receipts/{sid}, GET /receipts/{sid}.txt) and the embedded
 * static files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "http_internal.h"

enum MHD_Result
http_notfound_page(struct MHD_Connection *c)
{
	return http_reply(c, MHD_HTTP_NOT_FOUND, "text/html; charset=utf-8", web_notfound_html,
	                  web_notfound_html_len, false, true);
}

enum MHD_Result
http_static(struct MHD_Connection *c, const char *name)
{
	if (strcmp(name, "koe.js") == 0)
		return http_reply(c, MHD_HTTP_OK, "text/javascript; charset=utf-8", web_koe_js,
		                  web_koe_js_len, false, false);
	if (strcmp(name, "koe.css") == 0)
		return http_reply(c, MHD_HTTP_OK, "text/css; charset=utf-8", web_koe_css,
		                  web_koe_css_len, false, false);
	return http_notfound_page(c);
}

/* Appends text to out with HTML escaping. out has room: the caller sizes it
 * for the worst case (6 bytes per input byte). */
size_t
http_html_escape(char *out, const char *text)
{
	size_t n = 0;
	for (; *text; text++) {
		const char *rep = NULL;
		switch (*text) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		}
		if (rep) {
			memcpy(out + n, rep, strlen(rep));
			n += strlen(rep);
		} else {
			out[n++] = *text;
		}
	}
	return n;
}

#define NVARS 6

char *
http_page_render(const char *lang, const char *title, const char *survey, const char *segment,
                 const char *state, const char *notice, size_t *len)
{
	const char *tpl = (const char *)web_page_html;
	struct { const char *name; const char *value; bool raw; } vars[NVARS] = {
		{"{{LANG}}", lang, false},
		{"{{TITLE}}", title, false},
		{"{{SURVEY}}", survey, false},
		{"{{SEGMENT}}", segment, false},
		{"{{STATE}}", state, false},
		{"{{NOTICE}}", notice, true},
	};
	size_t cap = web_page_html_len + 1;
	char *out, *p;

	for (size_t i = 0; i < NVARS; i++)
		cap += 6 * strlen(vars[i].value) * 4; /* a placeholder may repeat */
	out = malloc(cap);
	if (out == NULL)
		return NULL;
	p = out;
	for (size_t i = 0; i < web_page_html_len;) {
		size_t k;
		for (k = 0; k < NVARS; k++) {
			size_t nl = strlen(vars[k].name), vl = strlen(vars[k].value);
			if (i + nl <= web_page_html_len && memcmp(tpl + i, vars[k].name, nl) == 0) {
				/* Guard against a template with many repeats. */
				if ((size_t)(p - out) + 6 * vl + 1 >= cap) {
					free(out);
					return NULL;
				}
				if (vars[k].raw) {
					memcpy(p, vars[k].value, vl);
					p += vl;
				} else {
					p += http_html_escape(p, vars[k].value);
				}
				i += nl;
				break;
			}
		}
		if (k == NVARS) {
			if ((size_t)(p - out) + 2 >= cap) {
				free(out);
				return NULL;
			}
			*p++ = tpl[i++];
		}
	}
	*p = '\0';
	*len = (size_t)(p - out);
	return out;
}

/* The page of a survey the server holds. state is what the page shows:
 * "open" (the form), "closed" (a link after `koe close`), "replaced" (a
 * link replaced by a newer one) or "receipts" (the public receipt page). */
static char *
render(const struct http_survey *sv, const char *segment, const char *state, size_t *len)
{
	return http_page_render(sv->q->language, sv->q->title, sv->rec.id, segment, state, "", len);
}

enum MHD_Result
http_page(struct http_server *s, struct MHD_Connection *c, struct http_req *r,
          const char *invite)
{
	if (r->queued) {
		const struct job *j = &r->job;
		size_t len;
		char *page;
		enum MHD_Result ret;
		if (j->result == JR_CLOSED && j->found == NULL)
			return http_reply(c, MHD_HTTP_GONE, "text/html; charset=utf-8",
			                  web_notfound_html, web_notfound_html_len, false, true);
		/* 410, but the page, with no group named: after close it checks
		 * a receipt stored in this browser and wipes what was never
		 * sent; a replaced link (a newer e-mail, a reissue) says so
		 * instead of "unknown link". */
		if (j->result == JR_CLOSED || j->result == JR_REPLACED) {
			page = render(j->found, "", j->result == JR_CLOSED ? "closed" : "replaced", &len);
			if (page == NULL)
				return MHD_NO;
			ret = http_reply(c, MHD_HTTP_GONE, "text/html; charset=utf-8", page, len,
			                 true, true);
			free(page);
			return ret;
		}
		if (j->result != JR_OK)
			return http_notfound_page(c);
		page = render(j->found, j->found->seg_codes[j->found_seg], "open", &len);
		if (page == NULL)
			return MHD_NO;
		ret = http_reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", page, len, true, true);
		free(page);
		return ret;
	}
	if (strlen(invite) != INVITE_CODE_LEN)
		return http_notfound_page(c);
	memcpy(r->job.invite, invite, INVITE_CODE_LEN + 1);
	r->job.kind = JOB_LOOKUP;
	r->job.conn = c;
	http_submit(s, r);
	return MHD_YES;
}

/* GET /receipts/{sid}: the public page where anyone checks a receipt against
 * the list published at close. GET /receipts/{sid}.txt: that list as a text
 * file, one receipt a line, sorted, so that its SHA-256 is the digest. */
enum MHD_Result
http_receipts_page(struct http_server *s, struct MHD_Connection *c, struct http_req *r,
                   const char *rest)
{
	char id[TOK_SURVEY_ID_MAX + 1];
	size_t n = strlen(rest);
	bool text = n > 4 && strcmp(rest + n - 4, ".txt") == 0;
	struct http_survey *sv;

	if (r->queued) {
		json_t *o, *list;
		char *buf, *p;
		size_t cnt;
		enum MHD_Result ret;
		static const char not_yet[] = "receipts are published when the survey closes\n";
		static const char later[] = "try again in a moment\n";
		char fname[TOK_SURVEY_ID_MAX + 32];
		if (r->job.result == JR_OPEN)
			return http_reply(c, MHD_HTTP_FORBIDDEN, "text/plain; charset=utf-8", not_yet,
			                  sizeof(not_yet) - 1, false, true);
		if (r->job.result != JR_OK)
			return http_reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8",
			                  later, sizeof(later) - 1, false, true);
		o = json_loadb(r->job.sv->receipts, r->job.sv->receipts_len, 0, NULL);
		list = json_object_get(o, "receipts");
		cnt = json_array_size(list);
		buf = malloc(cnt * (DB_HASH_BYTES * 2 + 1) + 1);
		if (o == NULL || buf == NULL) {
			json_decref(o);
			free(buf);
			return MHD_NO;
		}
		p = buf;
		for (size_t i = 0; i < cnt; i++) {
			const char *hex = json_string_value(json_array_get(list, i));
			size_t hl = hex ? strlen(hex) : 0;
			if (hl != DB_HASH_BYTES * 2)
				continue;
			memcpy(p, hex, hl);
			p += hl;
			*p++ = '\n';
		}
		json_decref(o);
		/* Survey ids are [a-z0-9_-]: safe in the quoted file name. */
		snprintf(fname, sizeof(fname), "koe-receipts-%s.txt", r->job.sv->rec.id);
		ret = http_reply_download(c, MHD_HTTP_OK, "text/plain; charset=utf-8", buf,
		                          (size_t)(p - buf), fname);
		free(buf);
		return ret;
	}
	if (text)
		n -= 4;
	if (n == 0 || n > TOK_SURVEY_ID_MAX || memchr(rest, '/', n) != NULL)
		return http_notfound_page(c);
	memcpy(id, rest, n);
	id[n] = '\0';
	sv = http_survey_find(s, id);
	if (sv == NULL)
		return http_notfound_page(c);
	if (!text) {
		size_t len;
		enum MHD_Result ret;
		char *page = render(sv, "", "receipts", &len);
		if (page == NULL)
			return MHD_NO;
		ret = http_reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", page, len, true, false);
		free(page);
		return ret;
	}
	r->job.kind = JOB_RECEIPTS;
	r->job.sv = sv;
	r->job.conn = c;
	http_submit(s, r);
	return MHD_YES;
}
