/* Allow-listed HTML for question text (docs/ARCHITECTURE.md §5.1): what HR
 * writes in a questionnaire, or what a Qualtrics export carries, is shown on
 * employees' screens, so only a few formatting elements pass as markup, never
 * with an attribute; everything else is removed (keeping its text, or with
 * its content for script-like elements) or escaped so it shows as text. The
 * output is balanced and well nested whatever the input, so it can be put
 * into any element with innerHTML. */
#include <assert.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "koe/utf8.h"
#include "qn_internal.h"

#define MAX_DEPTH 32 /* open allowed elements; deeper ones are ignored */

struct buf {
	char *p;
	size_t n;
	size_t cap;
};

static void
put(struct buf *b, const char *s, size_t len)
{
	/* The output capacity is computed up front as the worst case, so this
	 * cannot overflow; the assert documents that invariant. */
	assert(b->n + len < b->cap);
	memcpy(b->p + b->n, s, len);
	b->n += len;
}

static void
puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* ---- the element tables ---------------------------------------------------- */

enum kind { K_INLINE, K_BLOCK, K_LIST, K_ITEM, K_BREAK };

/* Shown as markup, always without attributes. */
static const struct {
	const char *name;
	enum kind kind;
} allowed[] = {
	{"b", K_INLINE},  {"strong", K_INLINE}, {"i", K_INLINE},   {"em", K_INLINE},
	{"u", K_INLINE},  {"sup", K_INLINE},    {"sub", K_INLINE}, {"p", K_BLOCK},
	{"ul", K_LIST},   {"ol", K_LIST},       {"li", K_ITEM},    {"br", K_BREAK},
};
#define NALLOWED (sizeof(allowed) / sizeof(allowed[0]))

/* Removed with everything up to their end tag: their content is code,
 * styles or another document, never text for the employee. */
static const char *const dropped[] = {
	"script", "style",  "iframe", "object",   "embed",    "noscript", "template",
	"svg",    "math",   "title",  "textarea", "select",   "xmp",      "noembed",
	"noframes", "frameset", "applet", "head", "plaintext", "canvas", "audio", "video",
};
#define NDROPPED (sizeof(dropped) / sizeof(dropped[0]))

/* Removed silently, keeping their text: the wrappers Qualtrics and word
 * processors put around every text. Any other element is removed with a
 * warning. */
static const char *const wrappers[] = {"span", "div", "font", "html", "body"};
#define NWRAPPERS (sizeof(wrappers) / sizeof(wrappers[0]))

static int
find(const char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return (int)i;
	return -1;
}

static int
find_allowed(const char *name)
{
	for (size_t i = 0; i < NALLOWED; i++)
		if (strcmp(allowed[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* ---- what was removed, for the warning ------------------------------------ */

static void
note(struct qn_html_note *nt, size_t off, const char *what)
{
	if (nt == NULL)
		return;
	if (nt->count++ == 0)
		nt->off = off;
	if (strstr(nt->what, what) != NULL)
		return;
	size_t have = strlen(nt->what), add = strlen(what);
	if (have + add + 3 >= sizeof(nt->what))
		return;
	if (have)
		memcpy(nt->what + have, ", ", 2), have += 2;
	memcpy(nt->what + have, what, add + 1);
}

/* ---- the tokenizer -------------------------------------------------------- */

struct htag {
	char name[16];  /* lower case; "" when longer (then it is no element we know) */
	bool closing;
	bool attrs;     /* anything between the name and '>' */
	size_t len;     /* bytes from '<' to '>' inclusive */
};

/* Reads a tag at s ('<' then an optional '/' and a letter). Quotes are
 * honoured when looking for the closing '>', as browsers do. Returns false
 * when there is no '>': the '<' is then text. */
static bool
read_tag(const char *s, size_t len, struct htag *t)
{
	size_t i = 1, nl = 0;
	char quote = 0;

	memset(t, 0, sizeof(*t));
	if (i < len && s[i] == '/') {
		t->closing = true;
		i++;
	}
	if (i >= len || !isalpha((unsigned char)s[i]))
		return false;
	while (i < len && isalnum((unsigned char)s[i])) {
		if (nl + 1 < sizeof(t->name))
			t->name[nl] = (char)tolower((unsigned char)s[i]);
		nl++;
		i++;
	}
	if (nl + 1 >= sizeof(t->name))
		t->name[0] = '\0';
	for (; i < len; i++) {
		char ch = s[i];
		if (quote) {
			if (ch == quote)
				quote = 0;
		} else if (ch == '"' || ch == '\'') {
			quote = ch;
			t->attrs = true;
		} else if (ch == '>') {
			t->len = i + 1;
			return true;
		} else if (!(ch == '/' && i + 1 < len && s[i + 1] == '>') && !isspace((unsigned char)ch)) {
			t->attrs = true;
		}
	}
	return false;
}

/* Length of what starts with "<!" or "<?" (a comment, CDATA, a doctype),
 * all of which are dropped, up to its end or the end of the text. */
static size_t
skip_markup_decl(const char *s, size_t len)
{
	const char *end;
	if (len >= 4 && memcmp(s, "<!--", 4) == 0) {
		/* "<!-->" and "<!--->" end at once, as in browsers. */
		if (len >= 5 && s[4] == '>')
			return 5;
		if (len >= 6 && s[4] == '-' && s[5] == '>')
			return 6;
		for (size_t i = 4; i + 3 <= len; i++)
			if (memcmp(s + i, "-->", 3) == 0)
				return i + 3;
		return len;
	}
	if (len >= 9 && memcmp(s, "<![CDATA[", 9) == 0) {
		for (size_t i = 9; i + 3 <= len; i++)
			if (memcmp(s + i, "]]>", 3) == 0)
				return i + 3;
		return len;
	}
	end = memchr(s, '>', len);
	return end ? (size_t)(end - s) + 1 : len;
}

/* Where the end tag of a dropped element starts ("</name", any case), or
 * len when it never comes (the rest is dropped, as browsers do). */
static size_t
find_end_tag(const char *s, size_t len, const char *name)
{
	size_t nl = strlen(name);
	for (size_t i = 0; i + 2 + nl <= len; i++)
		if (s[i] == '<' && s[i + 1] == '/' && strncasecmp(s + i + 2, name, nl) == 0 &&
		    (i + 2 + nl == len || !isalnum((unsigned char)s[i + 2 + nl])))
			return i;
	return len;
}

/* ---- entities ----------------------------------------------------------------- */

/* Named entities a Qualtrics or Word text commonly holds, written out as
 * their characters; the markup-significant ones stay entities. */
static const struct {
	const char *name;
	const char *out;
} entities[] = {
	{"amp", "&amp;"},   {"lt", "&lt;"},        {"gt", "&gt;"},        {"quot", "&quot;"},
	{"apos", "&#39;"},  {"nbsp", "&nbsp;"},    {"copy", "©"},         {"reg", "®"},
	{"trade", "™"},     {"hellip", "…"},       {"mdash", "—"},        {"ndash", "–"},
	{"lsquo", "‘"},     {"rsquo", "’"},        {"ldquo", "“"},        {"rdquo", "”"},
	{"laquo", "«"},     {"raquo", "»"},        {"middot", "·"},       {"bull", "•"},
	{"times", "×"},     {"divide", "÷"},       {"yen", "¥"},          {"euro", "€"},
	{"deg", "°"},       {"plusmn", "±"},       {"sup2", "²"},         {"frac12", "½"},
};

/* Writes the entity at s (starting with '&') in canonical form and returns
 * its length, or 0 when it is none (the '&' is then text). Numeric entities
 * become decimal ones; a code point that is not a character becomes
 * U+FFFD, as browsers show it. */
static size_t
entity(struct buf *b, const char *s, size_t len)
{
	size_t i = 1;
	if (i < len && s[i] == '#') {
		bool hex = i + 1 < len && (s[i + 1] == 'x' || s[i + 1] == 'X');
		unsigned long cp = 0;
		size_t digits = 0;
		i += hex ? 2 : 1;
		while (i < len && digits < 8 &&
		       (hex ? isxdigit((unsigned char)s[i]) : isdigit((unsigned char)s[i]))) {
			int v = isdigit((unsigned char)s[i]) ? s[i] - '0'
			                                      : tolower((unsigned char)s[i]) - 'a' + 10;
			cp = cp * (hex ? 16 : 10) + (unsigned long)v;
			i++;
			digits++;
		}
		if (digits == 0 || i >= len || s[i] != ';')
			return 0;
		if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			cp = 0xFFFD;
		char tmp[16];
		snprintf(tmp, sizeof(tmp), "&#%lu;", cp);
		puts_(b, tmp);
		return i + 1;
	}
	for (size_t k = 0; k < sizeof(entities) / sizeof(entities[0]); k++) {
		size_t nl = strlen(entities[k].name);
		if (len >= nl + 2 && memcmp(s + 1, entities[k].name, nl) == 0 && s[nl + 1] == ';') {
			puts_(b, entities[k].out);
			return nl + 2;
		}
	}
	return 0;
}

/* ---- the element stack ------------------------------------------------------- */

struct san {
	struct buf b;
	int stack[MAX_DEPTH]; /* indices into allowed[] */
	size_t depth;
	bool pending_br;      /* a removed <div> ended: a line break before more */
	struct qn_html_note *nt;
};

static void
pop(struct san *z)
{
	z->depth--;
	put(&z->b, "</", 2);
	puts_(&z->b, allowed[z->stack[z->depth]].name);
	put(&z->b, ">", 1);
}

static bool
open_in_stack(const struct san *z, int a)
{
	for (size_t i = 0; i < z->depth; i++)
		if (z->stack[i] == a)
			return true;
	return false;
}

static bool
list_open(const struct san *z)
{
	for (size_t i = 0; i < z->depth; i++)
		if (allowed[z->stack[i]].kind == K_LIST)
			return true;
	return false;
}

static void
push(struct san *z, int a)
{
	if (z->depth == MAX_DEPTH)
		return;
	z->stack[z->depth++] = a;
	put(&z->b, "<", 1);
	puts_(&z->b, allowed[a].name);
	put(&z->b, ">", 1);
}

/* An allowed start tag. Blocks close the inline elements and paragraph
 * they would otherwise sit in, a list item closes the previous item, and a
 * list item outside a list gets one, so the output nests as HTML requires. */
static void
open_tag(struct san *z, int a)
{
	enum kind k = allowed[a].kind;
	if (k == K_BREAK) {
		put(&z->b, "<br>", 4);
		return;
	}
	if (k == K_INLINE) {
		if (!open_in_stack(z, a))
			push(z, a);
		return;
	}
	while (z->depth > 0) {
		enum kind top = allowed[z->stack[z->depth - 1]].kind;
		if (top == K_INLINE || top == K_BLOCK || (k == K_ITEM && top == K_ITEM))
			pop(z);
		else
			break;
	}
	if (k == K_ITEM && !list_open(z))
		push(z, find_allowed("ul"));
	push(z, a);
}

static void
close_tag(struct san *z, int a)
{
	if (allowed[a].kind == K_BREAK || !open_in_stack(z, a))
		return;
	while (z->depth > 0 && z->stack[z->depth - 1] != a)
		pop(z);
	pop(z);
}

/* One tag at text + i; returns the bytes consumed. */
static size_t
tag(struct san *z, const char *text, size_t i, size_t len, const struct htag *t)
{
	int a = find_allowed(t->name);
	char what[40];

	if (a >= 0) {
		/* After a removed </div>, a line break or a block makes the new
		 * line itself; inline markup needs one. */
		if (z->pending_br && !t->closing && allowed[a].kind == K_INLINE)
			put(&z->b, "<br>", 4);
		if (!t->closing)
			z->pending_br = false;
		if (t->attrs)
			note(z->nt, i, "attributes");
		if (t->closing)
			close_tag(z, a);
		else
			open_tag(z, a);
		return t->len;
	}
	if (!t->closing && find(dropped, NDROPPED, t->name) >= 0) {
		size_t end = find_end_tag(text + i + t->len, len - i - t->len, t->name);
		size_t after = i + t->len + end;
		snprintf(what, sizeof(what), "<%s> with its content", t->name);
		note(z->nt, i, what);
		if (after < len) {
			const char *gt = memchr(text + after, '>', len - after);
			after = gt ? (size_t)(gt - text) + 1 : len;
		}
		return after - i;
	}
	if (find(wrappers, NWRAPPERS, t->name) >= 0) {
		if (strcmp(t->name, "div") == 0 && t->closing && z->b.n > 0)
			z->pending_br = true;
		return t->len;
	}
	snprintf(what, sizeof(what), "<%s>", t->name[0] ? t->name : "...");
	note(z->nt, i, what);
	return t->len;
}

static void
text_char(struct san *z, char c)
{
	if (z->pending_br) {
		put(&z->b, "<br>", 4);
		z->pending_br = false;
	}
	switch (c) {
	case '<': put(&z->b, "&lt;", 4); break;
	case '>': put(&z->b, "&gt;", 4); break;
	case '&': put(&z->b, "&amp;", 5); break;
	case '"': put(&z->b, "&quot;", 6); break;
	case '\'': put(&z->b, "&#39;", 5); break;
	default: put(&z->b, &c, 1); break;
	}
}

char *
qn_html_sanitize_note(struct arena *a, const char *text, size_t len, struct qn_html_note *nt)
{
	struct san z = {.nt = nt};

	if (nt)
		memset(nt, 0, sizeof(*nt));
	/* Worst case: every byte becomes "&quot;" (6), or an entity "&#1;"
	 * (4 bytes) becomes "&#65533;" (8); a start tag of at least 3 bytes
	 * becomes at most "<br><ul><li>" and the closes at the end are bounded
	 * by MAX_DEPTH. */
	z.b.cap = len * 6 + MAX_DEPTH * 10 + 16;
	z.b.p = arena_alloc(a, z.b.cap);
	if (z.b.p == NULL)
		return NULL;
	for (size_t i = 0; i < len;) {
		struct htag t;
		size_t m;
		char c = text[i];

		if (c == '<' && i + 1 < len && (text[i + 1] == '!' || text[i + 1] == '?')) {
			bool comment = i + 3 < len && text[i + 2] == '-' && text[i + 3] == '-';
			note(nt, i, comment ? "comments" : "<!...>");
			i += skip_markup_decl(text + i, len - i);
			continue;
		}
		if (c == '<' && read_tag(text + i, len - i, &t)) {
			i += tag(&z, text, i, len, &t);
			continue;
		}
		if (c == '&') {
			if (z.pending_br) {
				put(&z.b, "<br>", 4);
				z.pending_br = false;
			}
			if ((m = entity(&z.b, text + i, len - i)) > 0) {
				i += m;
				continue;
			}
		}
		text_char(&z, c);
		i++;
	}
	while (z.depth > 0)
		pop(&z);
	z.b.p[z.b.n] = '\0';
	return z.b.p;
}

char *
qn_html_sanitize(struct arena *a, const char *text, size_t len)
{
	return qn_html_sanitize_note(a, text, len, NULL);
}

/* ---- plain text ---------------------------------------------------------------- */

/* What a tag of the sanitized HTML becomes in plain text. */
static const char *
plain_tag(const char *tag, size_t tl, bool lines)
{
	bool closing = tl > 1 && tag[1] == '/';
	const char *name = tag + (closing ? 2 : 1);
	size_t nl = tl - (closing ? 3 : 2);

	if (nl == 2 && strncasecmp(name, "br", 2) == 0)
		return lines ? "\n" : " ";
	if (nl == 2 && strncasecmp(name, "li", 2) == 0 && !closing)
		return lines ? "\n・" : " ・";
	if ((nl == 1 && tolower((unsigned char)name[0]) == 'p') ||
	    (nl == 2 && (strncasecmp(name, "ul", 2) == 0 || strncasecmp(name, "ol", 2) == 0)))
		return lines ? "\n" : " ";
	return "";
}

static char *
to_plain(struct arena *a, const char *html, bool lines)
{
	static const struct { const char *ent; const char *txt; } named[] = {
		{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
		{"&#39;", "'"}, {"&nbsp;", " "},
	};
	size_t len = strlen(html), n = 0;
	/* A tag of at least 3 bytes becomes at most 4 ("\n・"). */
	char *out = arena_alloc(a, len * 2 + 1);

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len;) {
		if (html[i] == '<') {
			const char *end = memchr(html + i, '>', len - i);
			size_t tl = end ? (size_t)(end - (html + i)) + 1 : len - i;
			const char *rep = tl >= 3 ? plain_tag(html + i, tl, lines) : "";
			/* No blank line at the start or twice in a row, no
			 * space at the end of a line. */
			while (rep[0] == '\n' && n > 0 && out[n - 1] == ' ')
				n--;
			if (rep[0] == '\n' && (n == 0 || out[n - 1] == '\n'))
				rep++;
			if (rep[0] == ' ' && (n == 0 || out[n - 1] == ' '))
				rep++;
			memcpy(out + n, rep, strlen(rep));
			n += strlen(rep);
			i += tl;
			continue;
		}
		if (html[i] == '&') {
			size_t k, done = 0;
			for (k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
				size_t el = strlen(named[k].ent);
				if (strncmp(html + i, named[k].ent, el) == 0) {
					out[n++] = named[k].txt[0];
					i += el;
					done = 1;
					break;
				}
			}
			if (!done && html[i + 1] == '#') {
				unsigned long cp = 0;
				size_t j = i + 2;
				while (isdigit((unsigned char)html[j]) && cp < 0x110000)
					cp = cp * 10 + (unsigned long)(html[j++] - '0');
				/* A numeric entity is at least 4 bytes, so its UTF-8
				 * form (at most 4) always fits in the space it took. */
				if (html[j] == ';' && j > i + 2 && cp < 0x110000) {
					size_t w = utf8_encode((uint32_t)cp, out + n);
					n += w;
					i = j + 1;
					done = 1;
				}
			}
			if (done)
				continue;
		}
		out[n++] = html[i++];
	}
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '))
		n--;
	out[n] = '\0';
	return out;
}

char *
qn_html_to_plain(struct arena *a, const char *html)
{
	return to_plain(a, html, false);
}

char *
qn_html_to_lines(struct arena *a, const char *html)
{
	return to_plain(a, html, true);
}

/* ---- the parser's side: sanitize and warn ------------------------------------ */

const char *
qn_text_html(struct ctx *c, const char *raw, size_t len, const struct tlines *pos, int line,
             int col)
{
	struct qn_html_note nt;
	char *out = qn_html_sanitize_note(c->a, raw, len, &nt);

	if (out == NULL) {
		c->oom = true;
		return NULL;
	}
	if (nt.count == 0)
		return out;
	/* The line and column of the first removed piece: the text is made of
	 * the lines pos lists, joined with <br>. */
	if (pos == NULL)
		col += utf8_col(raw, nt.off) - 1;
	for (size_t k = 0; pos && k < pos->n; k++) {
		if (pos->v[k].off > nt.off)
			break;
		line = pos->v[k].line;
		col = pos->v[k].col - 1 +
		      utf8_col(raw + pos->v[k].off, nt.off - pos->v[k].off);
	}
	koe_diags_warn(c->d, line, col, "koe shows b, strong, i, em, u, sup, sub, p, ul, ol, li and br",
	               "HTML removed from the text: %s", nt.what);
	return out;
}
