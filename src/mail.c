/* koe — e-mail messages, SMTP sending (libcurl) and .eml files; see
 * koe/mail.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>
#include <sodium.h>

#include "koe/mail.h"

/* ---- a growing string ---- */

struct buf {
	char *p;
	size_t len, cap;
	bool oom;
};

static void
put(struct buf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = malloc(cap);
		if (p == NULL) {
			b->oom = true;
			return;
		}
		if (b->p) {
			memcpy(p, b->p, b->len);
			sodium_memzero(b->p, b->cap);
			free(b->p);
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static char *
take(struct buf *b)
{
	if (b->oom) {
		if (b->p) {
			sodium_memzero(b->p, b->cap);
			free(b->p);
		}
		return NULL;
	}
	if (b->p == NULL)
		return strdup("");
	return b->p;
}

/* ---- templates ---- */

static const char *const PLACEHOLDERS[] = {"name", "link", "title", "closes", "fingerprint"};
#define NPLACEHOLDERS (sizeof(PLACEHOLDERS) / sizeof(PLACEHOLDERS[0]))

/* Characters (not bytes) from line start to p: the column koe check uses. */
static int
column(const char *line, const char *p)
{
	int col = 1;
	for (const char *q = line; q < p; q++)
		if (((unsigned char)*q & 0xC0) != 0x80)
			col++;
	return col;
}

/* Checks the placeholders of s (starting at line, col of the file). */
static void
check_placeholders(const char *s, int line, const char *line_start, struct koe_diags *d,
                   bool *has_link)
{
	for (const char *p = s; *p; p++) {
		if (*p == '\n') {
			line++;
			line_start = p + 1;
			continue;
		}
		if (p[0] == '{' && p[1] == '{') {
			p++;
			continue;
		}
		if (p[0] == '}' && p[1] == '}') {
			p++;
			continue;
		}
		if (*p == '}') {
			koe_diags_add(d, line, column(line_start, p), "write }} for a brace",
			              "'}' without '{'");
			continue;
		}
		if (*p != '{')
			continue;
		const char *e = p + 1;
		while (*e && *e != '}' && *e != '\n' && *e != '{')
			e++;
		if (*e != '}') {
			koe_diags_add(d, line, column(line_start, p), "write {{ for a brace",
			              "'{' without '}'");
			continue;
		}
		size_t n = (size_t)(e - p - 1);
		bool known = false;
		for (size_t i = 0; i < NPLACEHOLDERS; i++)
			if (strlen(PLACEHOLDERS[i]) == n && memcmp(PLACEHOLDERS[i], p + 1, n) == 0) {
				known = true;
				if (i == 1)
					*has_link = true;
			}
		if (!known) {
			char word[64];
			snprintf(word, sizeof(word), "%.*s", (int)(n < 60 ? n : 60), p + 1);
			const char *near = koe_suggest(word, PLACEHOLDERS, NPLACEHOLDERS);
			char hint[96];
			if (near)
				snprintf(hint, sizeof(hint), "did you mean {%s}?", near);
			else
				snprintf(hint, sizeof(hint),
				         "known: {name} {link} {title} {closes} {fingerprint}");
			koe_diags_add(d, line, column(line_start, p), hint, "unknown placeholder {%s}",
			              word);
		}
		p = e;
	}
}

enum koe_err
mail_template_parse(const char *text, size_t len, struct mail_template *out,
                    struct koe_diags *d)
{
	struct buf norm = {0};
	const char *p, *nl;
	bool has_link = false;
	size_t before;

	memset(out, 0, sizeof(*out));
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
		text += 3;
		len -= 3;
	}
	if (memchr(text, '\0', len) != NULL) {
		koe_diags_add(d, 0, 0, NULL, "the template holds a NUL byte; it is not text");
		return KOE_EINVAL;
	}
	/* CRLF and CR to LF. */
	for (size_t i = 0; i < len; i++) {
		if (text[i] == '\r') {
			put(&norm, "\n", 1);
			if (i + 1 < len && text[i + 1] == '\n')
				i++;
		} else {
			put(&norm, text + i, 1);
		}
	}
	char *s = take(&norm);
	if (s == NULL)
		return KOE_ENOMEM;
	before = d->n + d->dropped;
	if (strncmp(s, "Subject:", 8) != 0) {
		koe_diags_add(d, 1, 1, "the first line is the subject: 'Subject: ...'",
		              "the template must start with a Subject: line");
		free(s);
		return KOE_EINVAL;
	}
	p = s + 8;
	while (*p == ' ' || *p == '\t')
		p++;
	nl = strchr(p, '\n');
	out->subject = strndup(p, nl ? (size_t)(nl - p) : strlen(p));
	const char *body = nl ? nl + 1 : p + strlen(p);
	if (*body == '\n')
		body++;
	out->body = strdup(body);
	if (out->subject == NULL || out->body == NULL) {
		free(s);
		mail_template_free(out);
		return KOE_ENOMEM;
	}
	while (out->subject[0] && (out->subject[strlen(out->subject) - 1] == ' ' ||
	                           out->subject[strlen(out->subject) - 1] == '\t'))
		out->subject[strlen(out->subject) - 1] = '\0';
	if (out->subject[0] == '\0')
		koe_diags_add(d, 1, 1, NULL, "the subject is empty");
	/* The subject: line 1, its text starting after "Subject: ". */
	{
		struct buf line = {0};
		put(&line, s, (size_t)(p - s));
		puts_(&line, out->subject);
		char *l = take(&line);
		if (l == NULL) {
			free(s);
			mail_template_free(out);
			return KOE_ENOMEM;
		}
		check_placeholders(l + (p - s), 1, l, d, &has_link);
		free(l);
	}
	if (has_link)
		koe_diags_add(d, 1, column(s, strstr(s, "{link}")),
		              "a subject is shown in lists and notifications",
		              "{link} may not be in the subject");
	has_link = false;
	int body_line = 2 + (nl && nl[1] == '\n' ? 1 : 0);
	check_placeholders(body, body_line, body, d, &has_link);
	if (!has_link)
		koe_diags_add(d, 0, 0, "each employee's link goes where {link} stands",
		              "the body has no {link}");
	free(s);
	if (d->n + d->dropped != before || d->oom) {
		mail_template_free(out);
		return KOE_EINVAL;
	}
	return KOE_OK;
}

static const char DEFAULT_INVITATION[] =
	"Subject: 【アンケートのお願い】{title}\n"
	"\n"
	"{name} 様\n"
	"\n"
	"「{title}」へのご協力をお願いします。回答は {closes} まで受け付けています。\n"
	"所要時間は10分ほどです。\n"
	"\n"
	"あなた専用のリンク（1回だけ使えます。ほかの人に転送しないでください）:\n"
	"{link}\n"
	"\n"
	"■ 回答は匿名です\n"
	"このリンクを開くと、ブラウザーが匿名の回答用トークンを受け取ります。\n"
	"トークンは暗号の仕組み（ブラインド署名）で作られるため、人事部を含め\n"
	"誰にも、どのトークンがどのリンクから来たかはわかりません。回答には\n"
	"氏名もメールアドレスも付きません。\n"
	"集計結果は、鍵を預かる複数の担当者（鍵保管者）がそろって初めて開けます。\n"
	"少人数のグループの結果は表示されません。\n"
	"\n"
	"このメールは koe が送信しました。アンケートの鍵の指紋: {fingerprint}\n"
	"（回答ページに表示される指紋と同じであることを確認できます）\n";

static const char DEFAULT_REMINDER[] =
	"Subject: 【リマインド】{title}（{closes} まで）\n"
	"\n"
	"{name} 様\n"
	"\n"
	"「{title}」の回答期限が近づいています（{closes} まで）。\n"
	"まだリンクを開いていない方にお送りしています。\n"
	"\n"
	"新しいリンク（以前のメールのリンクは使えなくなりました）:\n"
	"{link}\n"
	"\n"
	"■ 回答は匿名です\n"
	"リンクを開くとブラウザーが匿名の回答用トークンを受け取り、回答には\n"
	"氏名もメールアドレスも付きません。人事部にわかるのは「リンクを開いたか\n"
	"どうか」だけで、このお知らせもそれを基に送っています。集計結果は鍵保管者が\n"
	"そろって初めて開けます。\n"
	"\n"
	"アンケートの鍵の指紋: {fingerprint}\n";

enum koe_err
mail_template_default(enum mail_kind kind, struct mail_template *out)
{
	const char *t = kind == MAIL_REMINDER ? DEFAULT_REMINDER : DEFAULT_INVITATION;
	struct koe_diags d = {0};
	enum koe_err err = mail_template_parse(t, strlen(t), out, &d);
	koe_diags_free(&d);
	return err;
}

void
mail_template_free(struct mail_template *t)
{
	free(t->subject);
	free(t->body);
	t->subject = t->body = NULL;
}

static void
render_one(struct buf *b, const char *s, const struct mail_vars *v)
{
	const char *vals[] = {v->name, v->link, v->title, v->closes, v->fingerprint};
	for (const char *p = s; *p; p++) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			put(b, p, 1);
			p++;
			continue;
		}
		if (*p == '{') {
			const char *e = strchr(p, '}');
			for (size_t i = 0; e && i < NPLACEHOLDERS; i++)
				if (strlen(PLACEHOLDERS[i]) == (size_t)(e - p - 1) &&
				    memcmp(PLACEHOLDERS[i], p + 1, (size_t)(e - p - 1)) == 0) {
					puts_(b, vals[i] ? vals[i] : "");
					p = e;
					goto next;
				}
		}
		put(b, p, 1);
	next:;
	}
}

enum koe_err
mail_render(const struct mail_template *t, const struct mail_vars *v, char **subject,
            char **body)
{
	struct buf s = {0}, b = {0};
	render_one(&s, t->subject, v);
	render_one(&b, t->body, v);
	*subject = take(&s);
	*body = take(&b);
	if (*subject == NULL || *body == NULL) {
		free(*subject);
		free(*body);
		*subject = *body = NULL;
		return KOE_ENOMEM;
	}
	/* A value with a line break must not end the subject header. */
	for (char *q = *subject; *q; q++)
		if (*q == '\r' || *q == '\n')
			*q = ' ';
	return KOE_OK;
}

/* ---- messages ---- */

bool
mail_address_ok(const char *a)
{
	const char *at = strchr(a, '@');
	if (at == NULL || at == a || at[1] == '\0' || strchr(at + 1, '@') || strlen(a) > 254)
		return false;
	for (const char *p = a; *p; p++)
		if ((unsigned char)*p <= ' ' || (unsigned char)*p >= 0x7F || strchr("<>\"(),;:\\[]", *p))
			return false;
	return true;
}

static bool
ascii_plain(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < ' ' || (unsigned char)*s >= 0x7F || strchr("\"\\=?", *s))
			return false;
	return true;
}

/* RFC 2047 encoded words of UTF-8 text, each at most 64 characters, split
 * on character boundaries, folded with CRLF SP. */
static void
encoded_words(struct buf *b, const char *s)
{
	size_t len = strlen(s), i = 0;
	bool any = false;
	while (i < len || !any) {
		size_t n = 0;
		/* 39 bytes give 52 base64 characters; with =?UTF-8?B??= 64, so
		 * a line stays within 78 with the header's name before it. */
		while (i + n < len) {
			size_t c = 1;
			unsigned char ch = (unsigned char)s[i + n];
			if (ch >= 0xF0) c = 4;
			else if (ch >= 0xE0) c = 3;
			else if (ch >= 0xC0) c = 2;
			if (n + c > 39)
				break;
			n += c;
		}
		char enc[64];
		sodium_bin2base64(enc, sizeof(enc), (const unsigned char *)s + i, n,
		                  sodium_base64_VARIANT_ORIGINAL);
		if (any)
			puts_(b, "\r\n ");
		puts_(b, "=?UTF-8?B?");
		puts_(b, enc);
		puts_(b, "?=");
		i += n;
		any = true;
		if (n == 0)
			break;
	}
}

static void
date_header(struct buf *b)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	time_t now = time(NULL);
	struct tm tm;
	char line[64];
	gmtime_r(&now, &tm);
	snprintf(line, sizeof(line), "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	         days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
	         tm.tm_min, tm.tm_sec);
	puts_(b, line);
}

char *
mail_format(const char *from, const char *to_addr, const char *to_name, const char *subject,
            const char *body)
{
	struct buf b = {0}, crlf = {0};
	unsigned char rnd[16];
	char hex[33];
	const char *domain = strchr(from, '@');

	date_header(&b);
	puts_(&b, "From: ");
	puts_(&b, from);
	puts_(&b, "\r\nTo: ");
	if (to_name && *to_name) {
		if (ascii_plain(to_name)) {
			puts_(&b, "\"");
			puts_(&b, to_name);
			puts_(&b, "\"");
		} else {
			encoded_words(&b, to_name);
			puts_(&b, "\r\n"); /* folded: the address fits its own line */
		}
		puts_(&b, " ");
	}
	puts_(&b, "<");
	puts_(&b, to_addr);
	puts_(&b, ">\r\nSubject: ");
	encoded_words(&b, subject);
	randombytes_buf(rnd, sizeof(rnd));
	sodium_bin2hex(hex, sizeof(hex), rnd, sizeof(rnd));
	puts_(&b, "\r\nMessage-ID: <");
	puts_(&b, hex);
	puts_(&b, "@");
	puts_(&b, domain ? domain + 1 : "koe.invalid");
	puts_(&b, ">\r\nMIME-Version: 1.0\r\n"
	          "Content-Type: text/plain; charset=UTF-8\r\n"
	          "Content-Transfer-Encoding: base64\r\n"
	          "Auto-Submitted: auto-generated\r\n\r\n");
	/* The body with CRLF line ends, base64 in lines of 76. */
	for (const char *p = body; *p; p++) {
		if (*p == '\n')
			put(&crlf, "\r\n", 2);
		else if (*p != '\r')
			put(&crlf, p, 1);
	}
	char *text = take(&crlf);
	if (text == NULL) {
		free(take(&b));
		return NULL;
	}
	size_t tlen = strlen(text);
	for (size_t i = 0; i < tlen || i == 0; i += 57) {
		size_t n = tlen - i < 57 ? tlen - i : 57;
		char enc[80];
		sodium_bin2base64(enc, sizeof(enc), (const unsigned char *)text + i, n,
		                  sodium_base64_VARIANT_ORIGINAL);
		puts_(&b, enc);
		puts_(&b, "\r\n");
		if (tlen == 0)
			break;
	}
	sodium_memzero(text, tlen);
	free(text);
	return take(&b);
}

/* ---- passwords ---- */

enum koe_err
mail_password_read(const char *path, char **out, struct koe_msg *msg)
{
	struct stat st;
	char line[1024];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	*out = NULL;
	if (fd < 0)
		return koe_msg_set(msg, KOE_EIO, "cannot open the password file '%s': %s", path,
		                   strerror(errno));
	if (fstat(fd, &st) != 0 || (st.st_mode & 077) != 0) {
		close(fd);
		return koe_msg_set(msg, KOE_EINVAL,
		                   "the password file '%s' can be read by others; run "
		                   "'chmod 600 %s' first",
		                   path, path);
	}
	ssize_t n = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (n < 0)
		return koe_msg_set(msg, KOE_EIO, "cannot read '%s': %s", path, strerror(errno));
	line[n] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (line[0] == '\0') {
		sodium_memzero(line, sizeof(line));
		return koe_msg_set(msg, KOE_EINVAL, "the password file '%s' is empty", path);
	}
	*out = strdup(line);
	sodium_memzero(line, sizeof(line));
	return *out ? KOE_OK : koe_msg_set(msg, KOE_ENOMEM, "out of memory");
}

/* ---- sending ---- */

struct mail_sender {
	struct mail_config cfg;
	CURL *curl;
	struct timespec last;
	bool sent_any;
	unsigned seq;
};

enum koe_err
mail_sender_new(const struct mail_config *cfg, struct mail_sender **out, struct koe_msg *msg)
{
	struct mail_sender *s;
	*out = NULL;
	if (cfg->from == NULL || !mail_address_ok(cfg->from))
		return koe_msg_set(msg, KOE_EINVAL, "--from needs one plain e-mail address, like "
		                                    "hr@example.co.jp");
	if (cfg->rate < 1 || cfg->rate > MAIL_RATE_MAX)
		return koe_msg_set(msg, KOE_EINVAL, "--rate is messages per minute, 1 to %d",
		                   MAIL_RATE_MAX);
	if (cfg->dry_run_dir == NULL) {
		if (cfg->url == NULL || (strncmp(cfg->url, "smtp://", 7) != 0 &&
		                         strncmp(cfg->url, "smtps://", 8) != 0))
			return koe_msg_set(msg, KOE_EINVAL,
			                   "--smtp takes smtp://host[:port] (STARTTLS when the server "
			                   "offers it) or smtps://host[:port]");
		if (strpbrk(cfg->url, " \t\r\n@") != NULL)
			return koe_msg_set(msg, KOE_EINVAL, "--smtp: no user or spaces in the URL; "
			                                    "use --smtp-user and --smtp-password-file");
		if ((cfg->user == NULL) != (cfg->password == NULL))
			return koe_msg_set(msg, KOE_EINVAL,
			                   "--smtp-user and --smtp-password-file go together");
	} else {
		struct stat st;
		if (stat(cfg->dry_run_dir, &st) != 0 || !S_ISDIR(st.st_mode))
			return koe_msg_set(msg, KOE_EINVAL, "--dry-run: '%s' is not a directory",
			                   cfg->dry_run_dir);
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return koe_msg_set(msg, KOE_EIO, "cannot start libcurl");
	s = calloc(1, sizeof(*s));
	if (s == NULL)
		return koe_msg_set(msg, KOE_ENOMEM, "out of memory");
	s->cfg = *cfg;
	*out = s;
	return KOE_OK;
}

void
mail_sender_free(struct mail_sender *s)
{
	if (s == NULL)
		return;
	if (s->curl)
		curl_easy_cleanup(s->curl);
	free(s);
	curl_global_cleanup();
}

static void
pace(struct mail_sender *s)
{
	struct timespec now;
	double gap = 60.0 / s->cfg.rate;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (s->sent_any) {
		double since = (double)(now.tv_sec - s->last.tv_sec) +
		               (double)(now.tv_nsec - s->last.tv_nsec) / 1e9;
		if (since < gap) {
			double w = gap - since;
			struct timespec ts = {(time_t)w, (long)((w - (double)(time_t)w) * 1e9)};
			while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
				;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &s->last);
	s->sent_any = true;
}

struct upload {
	const char *p;
	size_t left;
};

static size_t
read_cb(char *dst, size_t size, size_t n, void *ctx)
{
	struct upload *u = ctx;
	size_t want = size * n < u->left ? size * n : u->left;
	memcpy(dst, u->p, want);
	u->p += want;
	u->left -= want;
	return want;
}

static enum mail_result
write_eml(struct mail_sender *s, const char *label, const char *text, struct koe_msg *reply)
{
	char path[4096];
	char safe[64];
	size_t j = 0;
	for (const char *p = label; *p && j < sizeof(safe) - 1; p++)
		safe[j++] = (strchr("/\\. ", *p) || (unsigned char)*p < ' ') ? '_' : *p;
	safe[j] = '\0';
	snprintf(path, sizeof(path), "%s/%05u-%s.eml", s->cfg.dry_run_dir, ++s->seq, safe);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		koe_msg_set(reply, KOE_EIO, "cannot create '%s': %s", path, strerror(errno));
		return MAIL_STOP;
	}
	size_t len = strlen(text);
	ssize_t w = write(fd, text, len);
	if (close(fd) != 0 || w != (ssize_t)len) {
		koe_msg_set(reply, KOE_EIO, "cannot write '%s'", path);
		return MAIL_STOP;
	}
	return MAIL_SENT;
}

static enum mail_result
smtp_once(struct mail_sender *s, const char *to, const char *text, struct koe_msg *reply,
          long *code, bool *fatal)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *rcpt = NULL;
	struct upload u = {text, strlen(text)};
	char addr[300];
	CURLcode rc;

	if (s->curl == NULL) {
		s->curl = curl_easy_init();
		if (s->curl == NULL) {
			koe_msg_set(reply, KOE_ENOMEM, "cannot start libcurl");
			return MAIL_STOP;
		}
	}
	CURL *c = s->curl;
	curl_easy_reset(c);
	snprintf(addr, sizeof(addr), "<%s>", to);
	rcpt = curl_slist_append(NULL, addr);
	snprintf(addr, sizeof(addr), "<%s>", s->cfg.from);
	curl_easy_setopt(c, CURLOPT_URL, s->cfg.url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, addr);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(c, CURLOPT_READDATA, &u);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 20L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	/* STARTTLS when the server offers it; with a password, TLS is required
	 * (a password never crosses the network in the clear). */
	curl_easy_setopt(c, CURLOPT_USE_SSL,
	                 s->cfg.password ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (s->cfg.ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, s->cfg.ca_file);
	if (s->cfg.user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, s->cfg.user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, s->cfg.password);
	}
	rc = curl_easy_perform(c);
	curl_slist_free_all(rcpt);
	*code = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
	if (rc == CURLE_OK)
		return MAIL_SENT;
	koe_msg_set(reply, KOE_EIO, "%ld %s", *code,
	            errbuf[0] ? errbuf : curl_easy_strerror(rc));
	if (rc == CURLE_LOGIN_DENIED || rc == CURLE_PEER_FAILED_VERIFICATION ||
	    rc == CURLE_SSL_CACERT_BADFILE || rc == CURLE_USE_SSL_FAILED ||
	    rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_URL_MALFORMAT) {
		*fatal = true; /* retrying cannot help */
		return MAIL_STOP;
	}
	/* A connection that failed is not used again. */
	curl_easy_cleanup(s->curl);
	s->curl = NULL;
	/* Only a refused recipient is that recipient's failure; anything else
	 * (a 4xx, a dropped connection, a refused sender or message) is
	 * retried by the caller and then stops the run. */
	if (rc == CURLE_SEND_ERROR && *code >= 500 && *code < 600 && strstr(errbuf, "RCPT"))
		return MAIL_REJECTED;
	return MAIL_STOP;
}

enum mail_result
mail_send(struct mail_sender *s, const char *to_addr, const char *to_name,
          const char *subject, const char *body, const char *label, struct koe_msg *reply)
{
	enum mail_result r = MAIL_STOP;
	long code = 0;
	char *text;

	koe_msg_set(reply, KOE_OK, "%s", "");
	if (!mail_address_ok(to_addr)) {
		koe_msg_set(reply, KOE_EINVAL, "not a plain e-mail address");
		return MAIL_REJECTED;
	}
	text = mail_format(s->cfg.from, to_addr, to_name, subject, body);
	if (text == NULL) {
		koe_msg_set(reply, KOE_ENOMEM, "out of memory");
		return MAIL_STOP;
	}
	if (s->cfg.dry_run_dir) {
		r = write_eml(s, label, text, reply);
	} else {
		/* A 4xx or a dropped connection: three more tries, 2, 4 and 8 s
		 * apart (KOE_MAIL_BACKOFF_MS overrides the first for tests). */
		const char *env = getenv("KOE_MAIL_BACKOFF_MS");
		long wait_ms = env ? atol(env) : 2000;
		for (int attempt = 0; attempt < 4; attempt++) {
			pace(s);
			bool fatal = false;
			r = smtp_once(s, to_addr, text, reply, &code, &fatal);
			if (r != MAIL_STOP || fatal)
				break;
			if (attempt < 3) {
				struct timespec ts = {wait_ms / 1000, (wait_ms % 1000) * 1000000L};
				nanosleep(&ts, NULL);
				wait_ms *= 2;
			}
		}
	}
	sodium_memzero(text, strlen(text));
	free(text);
	return r;
}
