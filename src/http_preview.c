/* `koe preview` (docs/ARCHITECTURE.md §3.6): the employee's page for a
 * questionnaire file, before anything is opened. No database, no key, no
 * tokens, nothing stored: every request reads and parses the file again, so
 * a reload shows HR's last edit. GET / is the page (the same template and
 * bundle as /s/{invite}, with a banner, state "preview"), GET
 * /api/v1/surveys/{sid} its manifest (the same builder as `koe serve`, with a
 * placeholder key and one group), GET /static/ the bundle. A file with
 * errors gives the page with koe check's lines instead (state
 * "preview-error"). There is no endpoint that takes an answer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_internal.h"
#include "koe/util.h"

/* The group every preview answers in, and a key fingerprint that is
 * visibly none (the page says it is a preview). */
#define PREVIEW_SEGMENT "preview"

struct preview {
	struct qn_survey *q;  /* NULL when the file does not load */
	char *report;         /* koe check's lines for the file (errors, or warnings), or NULL */
	bool failed;
};

/* koe check's lines for d, as it prints them. */
static char *
diag_text(const struct koe_diags *d, const char *path, bool failed)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f == NULL)
		return NULL;
	koe_diags_print(d, path, f);
	if (failed)
		fprintf(f, "%s: %zu error%s\n", path, koe_diags_errors(d),
		        koe_diags_errors(d) == 1 ? "" : "s");
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Reads and parses the file as koe check does. false only when memory ran
 * out; a file that does not load is p->failed with p->report. */
static bool
load(const char *path, struct preview *p)
{
	struct koe_diags d = {0};
	char *buf = NULL;
	size_t len = 0;
	enum koe_err err;

	memset(p, 0, sizeof(*p));
	err = util_read_file(path, QN_MAX_FILE_BYTES, &buf, &len);
	if (err != KOE_OK) {
		char line[512];
		snprintf(line, sizeof(line), "%s: error: %s\n", path,
		         err == KOE_ETOOBIG ? "file is larger than 1024 KiB"
		                            : errno ? strerror(errno) : "cannot read the file");
		p->failed = true;
		p->report = strdup(line);
		return p->report != NULL;
	}
	err = qn_parse(buf, len, path, &p->q, &d);
	free(buf);
	p->failed = err != KOE_OK;
	if (err == KOE_ENOMEM) {
		koe_diags_free(&d);
		return false;
	}
	bool any = d.n > 0 || d.dropped > 0;
	if (any)
		p->report = diag_text(&d, path, p->failed);
	koe_diags_free(&d);
	return !(any && p->report == NULL);
}

static void
unload(struct preview *p)
{
	qn_survey_free(p->q);
	free(p->report);
}

/* Appends s to the malloc'ed string *out of *len bytes (escaped when
 * escape); false when memory ran out (then *out is freed). */
static bool
append(char **out, size_t *len, const char *s, bool escape)
{
	size_t add = escape ? 6 * strlen(s) : strlen(s);
	char *n = realloc(*out, *len + add + 1);
	if (n == NULL) {
		free(*out);
		*out = NULL;
		return false;
	}
	*out = n;
	if (escape) {
		*len += http_html_escape(n + *len, s);
	} else {
		memcpy(n + *len, s, add);
		*len += add;
	}
	n[*len] = '\0';
	return true;
}

/* The banner at the top of the page, and koe check's lines when there are
 * any, escaped. The banner is a labelled region, so it is announced and
 * found as a landmark; its words are in both languages. */
static char *
notice(const char *path, const struct preview *p)
{
	char *out = NULL;
	size_t len = 0;
	bool ok = append(&out, &len,
	                 "<div class=\"preview-banner\" id=\"preview-banner\" role=\"region\" "
	                 "aria-label=\"プレビュー / Preview\"><div class=\"wrap\"><p>"
	                 "<strong lang=\"ja\">プレビュー：回答は保存されません</strong> "
	                 "<span lang=\"en\">Preview — answers are not saved</span></p>"
	                 "<p class=\"preview-file\"><code>", false) &&
	          append(&out, &len, path, true) &&
	          append(&out, &len, "</code></p></div></div>", false);
	if (ok && p->report)
		ok = append(&out, &len,
		            p->failed ? "<section class=\"wrap preview-check preview-failed\" "
		                        "id=\"preview-check\" aria-labelledby=\"preview-check-h\">"
		                        "<h2 id=\"preview-check-h\"><span lang=\"ja\">質問票にエラーがあります"
		                        "</span> / <span lang=\"en\">The questionnaire has errors</span></h2>"
		                      : "<section class=\"wrap preview-check\" id=\"preview-check\" "
		                        "aria-labelledby=\"preview-check-h\"><h2 id=\"preview-check-h\">"
		                        "<span lang=\"ja\">koe check の警告</span> / <span lang=\"en\">"
		                        "koe check warnings</span></h2>",
		            false) &&
		     append(&out, &len,
		            p->failed ? "<p><span lang=\"ja\">ファイルを直して保存し、このページを再読み込み"
		                        "してください。</span> <span lang=\"en\">Fix the file, save it and "
		                        "reload this page.</span></p>"
		                      : "",
		            false) &&
		     append(&out, &len, "<pre lang=\"en\">", false) &&
		     append(&out, &len, p->report, true) &&
		     append(&out, &len, "</pre></section>", false);
	return ok ? out : NULL;
}

static enum MHD_Result
page(struct MHD_Connection *c, const char *path)
{
	struct preview p;
	char *html = NULL, *banner = NULL;
	size_t len = 0;
	enum MHD_Result ret = MHD_NO;

	if (!load(path, &p))
		return MHD_NO;
	if ((banner = notice(path, &p)) != NULL) {
		if (p.failed)
			html = http_page_render("ja", path, "", "", "preview-error", banner, &len);
		else
			html = http_page_render(p.q->language, p.q->title, p.q->id, PREVIEW_SEGMENT,
			                        "preview", banner, &len);
	}
	if (html)
		ret = http_reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", html, len, true, true);
	free(html);
	free(banner);
	unload(&p);
	return ret;
}

/* The manifest as `koe serve` builds it, from the file as it is now. */
static enum MHD_Result
manifest(struct MHD_Connection *c, const char *path, const char *id)
{
	struct preview p;
	struct http_survey sv;
	struct db_segment seg = {.code = PREVIEW_SEGMENT, .label = PREVIEW_SEGMENT};
	char *json;
	size_t len = 0;
	enum MHD_Result ret;

	if (!load(path, &p))
		return MHD_NO;
	if (p.failed) {
		ret = http_reply_error(c, MHD_HTTP_UNPROCESSABLE_CONTENT, "questionnaire",
		                       p.report ? p.report : "the questionnaire does not load");
		unload(&p);
		return ret;
	}
	if (strcmp(p.q->id, id) != 0) {
		unload(&p);
		return http_reply_error(c, MHD_HTTP_NOT_FOUND, "not_found",
		                        "the file names another survey now: reload the page");
	}
	memset(&sv, 0, sizeof(sv));
	sv.q = p.q;
	memset(sv.rec.key_id, '-', 64);
	json = http_manifest_build(&sv, &seg, 1, NULL, 0, &len);
	ret = json ? http_reply(c, MHD_HTTP_OK, "application/json; charset=utf-8", json, len, true,
	                        true)
	           : MHD_NO;
	free(json);
	unload(&p);
	return ret;
}

enum MHD_Result
http_preview_route(struct MHD_Connection *c, const char *url)
{
	static const char api_surveys[] = "/api/v1/surveys/";
	const char *path = http_server_of(c)->cfg.preview_path;

	if (strcmp(url, "/") == 0)
		return page(c, path);
	if (strncmp(url, "/static/", 8) == 0)
		return http_static(c, url + 8);
	if (strncmp(url, api_surveys, sizeof(api_surveys) - 1) == 0) {
		const char *id = url + sizeof(api_surveys) - 1;
		if (strlen(id) <= QN_MAX_ID_LEN && strchr(id, '/') == NULL)
			return manifest(c, path, id);
	}
	if (strncmp(url, "/api/", 5) == 0)
		return http_reply_error(c, MHD_HTTP_NOT_FOUND, "not_found",
		                        "a preview has no such endpoint: nothing is stored");
	return http_notfound_page(c);
}
