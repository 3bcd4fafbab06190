/* mail.c without a server: templates (placeholders, line:column errors,
 * {link} required, the Japanese defaults) and the message format (RFC 2047
 * subject and To name, base64 UTF-8 body, 7-bit lines of at most 78
 * characters, Date, Message-ID, MIME-Version). */
#include <sodium.h>

#include "harness.h"
#include "koe/mail.h"

static bool
has_diag(const struct koe_diags *d, int line, int col, const char *text)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].line == line && d->v[i].col == col && strstr(d->v[i].message, text))
			return true;
	return false;
}

static void
template_errors(void)
{
	struct mail_template t;
	struct koe_diags d = {0};
	const char *bad = "Subject: {titel} 調査\r\n\r\n{name} 様\r\n  {link} {x}\r\n";
	CHECK_INT(mail_template_parse(bad, strlen(bad), &t, &d), KOE_EINVAL);
	CHECK(has_diag(&d, 1, 10, "unknown placeholder {titel}"));
	CHECK(has_diag(&d, 4, 10, "unknown placeholder {x}"));
	CHECK_INT(d.n, 2);
	koe_diags_free(&d);

	const char *nolink = "Subject: x\n\nbody\n";
	CHECK_INT(mail_template_parse(nolink, strlen(nolink), &t, &d), KOE_EINVAL);
	CHECK(has_diag(&d, 0, 0, "no {link}"));
	koe_diags_free(&d);

	const char *insubj = "Subject: {link}\n\n{link}\n";
	CHECK_INT(mail_template_parse(insubj, strlen(insubj), &t, &d), KOE_EINVAL);
	CHECK(has_diag(&d, 1, 10, "{link} may not be in the subject"));
	koe_diags_free(&d);

	const char *nosubj = "Hello {link}\n";
	CHECK_INT(mail_template_parse(nosubj, strlen(nosubj), &t, &d), KOE_EINVAL);
	CHECK(has_diag(&d, 1, 1, "Subject:"));
	koe_diags_free(&d);
}

static void
template_render(void)
{
	struct mail_template t;
	struct koe_diags d = {0};
	char *subject, *body;
	const char *ok = "\xEF\xBB\xBFSubject: {title} ({closes})\r\n\r\n{name} 様 {{x}}\r\n{link}\r\n";
	CHECK_INT(mail_template_parse(ok, strlen(ok), &t, &d), KOE_OK);
	struct mail_vars v = {.name = "山田", .link = "https://s.example/s/abc", .title = "調査",
	                      .closes = "2026-12-15", .fingerprint = "ff"};
	CHECK_INT(mail_render(&t, &v, &subject, &body), KOE_OK);
	CHECK_STR(subject, "調査 (2026-12-15)");
	CHECK_STR(body, "山田 様 {x}\nhttps://s.example/s/abc\n");
	free(subject);
	free(body);
	mail_template_free(&t);
	for (int k = 0; k < 2; k++) {
		CHECK_INT(mail_template_default(k, &t), KOE_OK);
		CHECK(strstr(t.body, "{link}") != NULL);
		CHECK(strstr(t.body, "匿名") != NULL);
		CHECK(strstr(t.body, "鍵保管者") != NULL);
		mail_template_free(&t);
	}
}

static void
message_format(void)
{
	const char *subject = "【アンケートのお願い】アルムナイ制度導入前 従業員意識調査 とても長い件名がここに続きます";
	char *m = mail_format("hr@example.jp", "a@example.jp", "山田, 太郎", subject,
	                      "本文\n二行目 https://s.example/s/abc\n");
	CHECK(m != NULL);
	CHECK(strncmp(m, "Date: ", 6) == 0);
	CHECK(strstr(m, "\r\nMessage-ID: <") && strstr(m, "@example.jp>\r\n"));
	CHECK(strstr(m, "\r\nMIME-Version: 1.0\r\n"));
	CHECK(strstr(m, "\r\nContent-Type: text/plain; charset=UTF-8\r\n"));
	CHECK(strstr(m, "\r\nContent-Transfer-Encoding: base64\r\n"));
	CHECK(strstr(m, "\r\nTo: =?UTF-8?B?"));
	CHECK(strstr(m, "\r\n <a@example.jp>\r\n"));
	CHECK(strstr(m, "\r\nSubject: =?UTF-8?B?"));
	/* Every line 7-bit and at most 78 characters; CRLF only. */
	size_t col = 0;
	bool ok = true;
	for (const char *p = m; *p; p++) {
		if ((unsigned char)*p >= 0x80 || (*p == '\n' && (p == m || p[-1] != '\r')))
			ok = false;
		if (*p == '\r' || *p == '\n')
			col = 0;
		else if (++col > 78)
			ok = false;
	}
	CHECK(ok);
	/* The link is not in the clear (base64 body): a relay log that keeps
	 * a line does not keep a link; the body decodes back. */
	CHECK(strstr(m, "s.example") == NULL);
	const char *b = strstr(m, "\r\n\r\n") + 4;
	char dec[512];
	size_t n = 0, len = 0;
	for (const char *l = b; *l; l = strstr(l, "\r\n") + 2) {
		const char *e = strstr(l, "\r\n");
		sodium_base642bin((unsigned char *)dec + len, sizeof(dec) - len, l, (size_t)(e - l),
		                  NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL);
		len += n;
	}
	dec[len] = '\0';
	CHECK_STR(dec, "本文\r\n二行目 https://s.example/s/abc\r\n");
	free(m);
	/* Addresses: one plain address only (no header injection). */
	CHECK(mail_address_ok("a.b+c@example.co.jp"));
	CHECK(!mail_address_ok("a@b\r\nBcc: x@y"));
	CHECK(!mail_address_ok("<a@b>"));
	CHECK(!mail_address_ok("a b@c"));
	CHECK(!mail_address_ok("@c"));
}

int
main(void)
{
	RUN(template_errors);
	RUN(template_render);
	RUN(message_format);
	return harness_done();
}
