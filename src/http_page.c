/* The employee's page (GET /s/{invite}) and the embedded static files. */
#include <stdlib.h>
#include <string.h>

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
static size_t
escape_into(char *out, const char *text)
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

/* Fills the page template's placeholders. Returns a malloc'ed page. */
static char *
render(const struct http_survey *sv, size_t seg, size_t *len)
{
	const char *tpl = (const char *)web_page_html;
	const char *plain_title = sv->q->title;
	struct { const char *name; const char *value; } vars[] = {
		{"{{LANG}}", sv->q->language},
		{"{{TITLE}}", plain_title},
		{"{{SURVEY}}", sv->rec.id},
		{"{{SEGMENT}}", sv->seg_codes[seg]},
	};
	size_t cap = web_page_html_len + 1;
	char *out, *p;

	for (size_t i = 0; i < 4; i++)
		cap += 6 * strlen(vars[i].value) * 4; /* a placeholder may repeat */
	out = malloc(cap);
	if (out == NULL)
		return NULL;
	p = out;
	for (size_t i = 0; i < web_page_html_len;) {
		size_t k;
		for (k = 0; k < 4; k++) {
			size_t nl = strlen(vars[k].name);
			if (i + nl <= web_page_html_len && memcmp(tpl + i, vars[k].name, nl) == 0) {
				/* Guard against a template with many repeats. */
				if ((size_t)(p - out) + 6 * strlen(vars[k].value) + 1 >= cap) {
					free(out);
					return NULL;
				}
				p += escape_into(p, vars[k].value);
				i += nl;
				break;
			}
		}
		if (k == 4) {
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

enum MHD_Result
http_page(struct http_server *s, struct MHD_Connection *c, struct http_req *r,
          const char *invite)
{
	if (r->queued) {
		const struct job *j = &r->job;
		size_t len;
		char *page;
		enum MHD_Result ret;
		if (j->result == JR_CLOSED)
			return http_reply(c, MHD_HTTP_GONE, "text/html; charset=utf-8",
			                  web_notfound_html, web_notfound_html_len, false, true);
		if (j->result != JR_OK)
			return http_notfound_page(c);
		page = render(j->found, j->found_seg, &len);
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
