/* Allow-listed HTML for question text: what HR writes in a questionnaire is
 * shown on employees' screens, so nothing but a handful of formatting tags
 * may pass through as markup. */
#include <assert.h>
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "koe/qn.h"
#include "koe/utf8.h"

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

/* Matches an allowed tag at s (case-insensitive, optional spaces and a
 * self-closing slash for <br>). Returns its length or 0. *kind is 'r' for
 * br, 'b'/'i' for openers and 'B'/'I' for closers. */
static size_t
match_tag(const char *s, size_t len, char *kind)
{
	size_t i = 1;
	int closing = 0;
	char name[3] = {0};
	size_t nl = 0;

	if (len < 3 || s[0] != '<')
		return 0;
	if (s[i] == '/') {
		closing = 1;
		i++;
	}
	while (i < len && isalpha((unsigned char)s[i]) && nl < 2)
		name[nl++] = (char)tolower((unsigned char)s[i++]);
	if (i < len && isalpha((unsigned char)s[i]))
		return 0;
	while (i < len && s[i] == ' ')
		i++;
	if (!closing && nl == 2 && name[0] == 'b' && name[1] == 'r') {
		if (i < len && s[i] == '/')
			i++;
		if (i < len && s[i] == '>') {
			*kind = 'r';
			return i + 1;
		}
		return 0;
	}
	if (nl != 1 || (name[0] != 'b' && name[0] != 'i'))
		return 0;
	if (i < len && s[i] == '>') {
		*kind = closing ? (char)toupper((unsigned char)name[0]) : name[0];
		return i + 1;
	}
	return 0;
}

/* Matches an entity we keep as it is. Returns its length or 0. */
static size_t
match_entity(const char *s, size_t len)
{
	static const char *const named[] = {"&amp;", "&lt;", "&gt;", "&quot;",
	                                    "&#39;", "&nbsp;"};
	for (size_t k = 0; k < sizeof(named) / sizeof(named[0]); k++) {
		size_t nl = strlen(named[k]);
		if (len >= nl && strncmp(s, named[k], nl) == 0)
			return nl;
	}
	if (len >= 4 && s[1] == '#') {
		size_t i = 2, digits = 0;
		while (i < len && isdigit((unsigned char)s[i]) && digits < 7) {
			i++;
			digits++;
		}
		if (digits > 0 && i < len && s[i] == ';')
			return i + 1;
	}
	return 0;
}

char *
qn_html_sanitize(struct arena *a, const char *text, size_t len)
{
	struct buf b;
	int open_b = 0, open_i = 0;

	/* Worst case: every byte becomes "&quot;" (6), plus closing tags. */
	b.cap = len * 6 + 16;
	b.p = arena_alloc(a, b.cap);
	b.n = 0;
	if (b.p == NULL)
		return NULL;
	for (size_t i = 0; i < len;) {
		char kind = 0;
		size_t m;
		unsigned char c = (unsigned char)text[i];

		if (c == '<' && (m = match_tag(text + i, len - i, &kind)) > 0) {
			switch (kind) {
			case 'r': put(&b, "<br>", 4); break;
			case 'b': if (!open_b) { put(&b, "<b>", 3); open_b = 1; } break;
			case 'i': if (!open_i) { put(&b, "<i>", 3); open_i = 1; } break;
			case 'B': if (open_b) { put(&b, "</b>", 4); open_b = 0; } break;
			case 'I': if (open_i) { put(&b, "</i>", 4); open_i = 0; } break;
			}
			i += m;
			continue;
		}
		if (c == '&' && (m = match_entity(text + i, len - i)) > 0) {
			put(&b, text + i, m);
			i += m;
			continue;
		}
		switch (c) {
		case '<': put(&b, "&lt;", 4); break;
		case '>': put(&b, "&gt;", 4); break;
		case '&': put(&b, "&amp;", 5); break;
		case '"': put(&b, "&quot;", 6); break;
		case '\'': put(&b, "&#39;", 5); break;
		default: put(&b, text + i, 1); break;
		}
		i++;
	}
	/* Close in reverse order of likely nesting; browsers accept either. */
	if (open_i)
		put(&b, "</i>", 4);
	if (open_b)
		put(&b, "</b>", 4);
	b.p[b.n] = '\0';
	return b.p;
}

char *
qn_html_to_plain(struct arena *a, const char *html)
{
	static const struct { const char *ent; const char *txt; } named[] = {
		{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
		{"&#39;", "'"}, {"&nbsp;", " "},
	};
	size_t len = strlen(html), n = 0;
	char *out = arena_alloc(a, len + 1);

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len;) {
		if (html[i] == '<') {
			const char *end = memchr(html + i, '>', len - i);
			size_t tl = end ? (size_t)(end - (html + i)) + 1 : len - i;
			if (tl >= 3 && tolower((unsigned char)html[i + 1]) == 'b' &&
			    tolower((unsigned char)html[i + 2]) == 'r')
				out[n++] = ' ';
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
				if (html[j] == ';' && j > i + 2) {
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
	out[n] = '\0';
	return out;
}
