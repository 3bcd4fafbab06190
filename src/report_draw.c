/* Drawing primitives on libharu pages for the report: text with measured
 * widths and line breaking for Japanese and English, rectangles and lines,
 * page breaks. See report_pdf_internal.h. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hpdf_font.h>
#include <hpdf_objects.h>

#include "koe/utf8.h"
#include "report_pdf_internal.h"

const struct px_rgb PX_BLACK = {0, 0, 0};
const struct px_rgb PX_TEXT = {0.13f, 0.13f, 0.15f};
const struct px_rgb PX_GREY = {0.42f, 0.43f, 0.46f};
const struct px_rgb PX_LIGHT = {0.88f, 0.88f, 0.90f};
const struct px_rgb PX_RULE = {0.75f, 0.76f, 0.78f};
const struct px_rgb PX_FAV = {0.13f, 0.40f, 0.67f};
const struct px_rgb PX_FAV2 = {0.57f, 0.77f, 0.87f};
const struct px_rgb PX_NEUTRAL = {0.80f, 0.80f, 0.80f};
const struct px_rgb PX_UNFAV2 = {0.96f, 0.65f, 0.51f};
const struct px_rgb PX_UNFAV = {0.79f, 0.26f, 0.18f};
const struct px_rgb PX_ACCENT = {0.11f, 0.30f, 0.50f};
const struct px_rgb PX_ALERT = {0.80f, 0.10f, 0.10f};
const struct px_rgb PX_CARD = {0.955f, 0.96f, 0.97f};
const struct px_rgb PX_WHITE = {1, 1, 1};

/* U+3013 GETA MARK, the customary stand-in for a character a Japanese font
 * cannot show; emoji and other characters outside the BMP become this. */
static const char GETA[] = "\xe3\x80\x93";

void
px_on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data)
{
	struct px *p = user_data;
	if (p->hpdf_err == 0) {
		p->hpdf_err = error_no;
		p->hpdf_detail = detail_no;
	}
}

bool
px_ok(const struct px *p)
{
	return p->hpdf_err == 0 && p->err == KOE_OK;
}

static bool
grow(struct px *p, char **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return true;
	size_t ncap = *cap ? *cap : 256;
	while (ncap < need)
		ncap *= 2;
	char *nb = realloc(*buf, ncap);
	if (nb == NULL) {
		p->err = KOE_ENOMEM;
		return false;
	}
	*buf = nb;
	*cap = ncap;
	return true;
}

/* Copies s into p->clean in a form the font can print: tabs become
 * spaces, other control characters (but newlines) and carriage returns are
 * dropped, malformed bytes (U+FFFD from utf8_next) and characters outside
 * the BMP become the geta mark. Returns p->clean, or NULL when memory ran out. */
static const char *
px_clean(struct px *p, const char *s)
{
	size_t n = strlen(s), o = 0;
	/* The geta mark (3 bytes) replaces at least one byte: 3n bounds it. */
	if (!grow(p, &p->clean, &p->cleancap, 3 * n + 1))
		return NULL;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_next(s + i, n - i, &cp);
		if (cp == '\t') {
			p->clean[o++] = ' ';
		} else if (cp == '\n') {
			p->clean[o++] = '\n';
		} else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
			/* dropped */
		} else if (cp > 0xFFFF || cp == UTF8_REPLACEMENT) {
			memcpy(p->clean + o, GETA, 3);
			o += 3;
		} else {
			memcpy(p->clean + o, s + i, len);
			o += len;
		}
		i += len;
	}
	p->clean[o] = '\0';
	return p->clean;
}

/* Advance of one BMP code point in 1/1000 em, asked of libharu once. */
static float
cp_width(struct px *p, unsigned long cp)
{
	if (cp > 0xFFFF)
		return 1000;
	if (p->cw[cp] < 0) {
		char u[UTF8_MAX_LEN];
		size_t len = utf8_encode((uint32_t)cp, u);
		HPDF_TextWidth tw = HPDF_Font_TextWidth(p->font, (const HPDF_BYTE *)u, (HPDF_UINT)len);
		p->cw[cp] = (float)tw.width;
	}
	return p->cw[cp];
}

float
px_width(struct px *p, const char *s, float size)
{
	float w = 0;
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		i += utf8_next(s + i, n - i, &cp);
		w += cp_width(p, cp);
	}
	return w * size / 1000.0f;
}

static void
set_fill(struct px *p, struct px_rgb c)
{
	HPDF_Page_SetRGBFill(p->page, c.r, c.g, c.b);
}

static void
text_at(struct px *p, float x, float y, float size, struct px_rgb c, bool bold, const char *s)
{
	HPDF_Page pg = p->page;
	if (!px_ok(p) || pg == NULL || s[0] == '\0')
		return;
	HPDF_Page_BeginText(pg);
	HPDF_Page_SetFontAndSize(pg, p->font, size);
	set_fill(p, c);
	if (bold) {
		/* IPAex Gothic has no bold face: stroke the outline as well. */
		HPDF_Page_SetRGBStroke(pg, c.r, c.g, c.b);
		HPDF_Page_SetLineWidth(pg, size * 0.03f);
		HPDF_Page_SetTextRenderingMode(pg, HPDF_FILL_THEN_STROKE);
	}
	HPDF_Page_TextOut(pg, x, y, s);
	if (bold)
		HPDF_Page_SetTextRenderingMode(pg, HPDF_FILL);
	HPDF_Page_EndText(pg);
}

/* The survey title in the page header, cut to maxw with an ellipsis. It
 * works on its own buffer because a page can start in the middle of a
 * wrapped paragraph, whose lines live in p->clean. */
static void
header_title(struct px *p, const char *title, float maxw, float size)
{
	char buf[512];
	size_t n = strlen(title), o = 0;
	float w = 0, limit = maxw * 1000.0f / size - cp_width(p, 0x2026);

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_next(title + i, n - i, &cp);
		i += len;
		if (cp < 0x20 || cp > 0xFFFF)
			continue;
		w += cp_width(p, cp);
		if (w > limit || o + len + 4 > sizeof(buf)) {
			memcpy(buf + o, "\xe2\x80\xa6", 3);
			o += 3;
			break;
		}
		memcpy(buf + o, title + i - len, len);
		o += len;
	}
	buf[o] = '\0';
	text_at(p, PX_ML, PX_PAGE_H - 33, size, PX_GREY, false, buf);
}

void
px_page(struct px *p)
{
	HPDF_Page page;

	if (!px_ok(p))
		return;
	if (p->npages >= REPORT_MAX_PAGES) {
		p->err = KOE_ETOOBIG;
		return;
	}
	if (p->npages == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 32;
		HPDF_Page *nv = realloc(p->pages, cap * sizeof(*nv));
		if (nv == NULL) {
			p->err = KOE_ENOMEM;
			return;
		}
		p->pages = nv;
		p->cap = cap;
	}
	page = HPDF_AddPage(p->doc);
	if (page == NULL || HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT) != HPDF_OK) {
		if (p->hpdf_err == 0)
			p->err = KOE_ENOMEM;
		return;
	}
	p->pages[p->npages++] = page;
	p->page = page;
	float right = PX_ML + PX_CW;
	if (p->mark) {
		float w = px_width(p, p->mark, 9) + 12;
		px_rect(p, right - w, PX_PAGE_H - 38, w, 16, PX_ALERT);
		text_at(p, right - w + 6, PX_PAGE_H - 33, 9, PX_WHITE, true, p->mark);
		right -= w + 8;
	}
	header_title(p, p->header ? p->header : "", right - PX_ML, 8);
	px_hline(p, PX_ML, PX_ML + PX_CW, PX_PAGE_H - 43, 0.5f, PX_RULE);
	p->y = PX_TOP;
}

void
px_need(struct px *p, float h)
{
	if (p->page == NULL || p->y - h < PX_BOTTOM)
		px_page(p);
}

void
px_text(struct px *p, float x, float y, float size, struct px_rgb c, bool bold, const char *s)
{
	const char *t = px_clean(p, s);
	if (t == NULL)
		return;
	/* A single line: newlines print as spaces. */
	for (char *q = p->clean; *q; q++)
		if (*q == '\n')
			*q = ' ';
	text_at(p, x, y, size, c, bold, t);
}

void
px_text_center(struct px *p, float x, float y, float size, struct px_rgb c, bool bold,
               const char *s)
{
	px_text(p, x - px_width(p, s, size) / 2, y, size, c, bold, s);
}

void
px_text_right(struct px *p, float x, float y, float size, struct px_rgb c, bool bold,
              const char *s)
{
	px_text(p, x - px_width(p, s, size), y, size, c, bold, s);
}

static bool
is_cjk(unsigned long cp)
{
	return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
	       (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x3000 && cp <= 0x303F);
}

/* JIS X 4051 line-breaking classes (README, "The report"): a line must
 * not start with a closing bracket or quote (cl-02), a hyphen or wave dash
 * (cl-03), ? ! (cl-04), a middle dot, colon or semicolon (cl-05), a full
 * stop (cl-06), a comma (cl-07), an iteration or prolonged-sound mark
 * (cl-09) or a small kana (cl-11); nor end with an opening bracket or
 * quote (cl-01); and the inseparable dashes and leaders ―― …… ‥‥ (cl-08)
 * are not split. Half-width forms count as their full-width ones. */
static bool
in_set(unsigned long cp, const unsigned long *set, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (set[i] == cp)
			return true;
	return false;
}

static bool
no_line_start(unsigned long cp)
{
	static const unsigned long set[] = {
		/* cl-02 closing brackets and quotes */
		0x2019, 0x201D, 0x3001, 0x3009, 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3017,
		0x3019, 0x301B, 0x301E, 0x301F, 0xFF09, 0xFF3D, 0xFF5D, 0xFF60, 0xFF63, ')', ']',
		'}',
		/* cl-03 hyphens, cl-04 ? !, cl-05 middle dots, cl-06 full stops, cl-07 commas */
		0x2010, 0x2013, 0x301C, 0x30A0, 0xFF5E, 0x203C, 0x2047, 0x2048, 0x2049, 0xFF01,
		0xFF1F, '!', '?', 0x30FB, 0xFF1A, 0xFF1B, 0xFF65, ':', ';', 0x3002, 0xFF0E, 0xFF61,
		'.', 0xFF0C, 0xFF64, ',', '%', 0xFF05, 0x2030, 0x2103,
		/* cl-09 iteration and prolonged-sound marks */
		0x3005, 0x303B, 0x309D, 0x309E, 0x30FC, 0x30FD, 0x30FE, 0xFF70,
		/* cl-11 small kana */
		0x3041, 0x3043, 0x3045, 0x3047, 0x3049, 0x3063, 0x3083, 0x3085, 0x3087, 0x308E,
		0x3095, 0x3096, 0x30A1, 0x30A3, 0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3, 0x30E5,
		0x30E7, 0x30EE, 0x30F5, 0x30F6, 0xFF67, 0xFF68, 0xFF69, 0xFF6A, 0xFF6B, 0xFF6C,
		0xFF6D, 0xFF6E, 0xFF6F,
	};
	return in_set(cp, set, sizeof(set) / sizeof(set[0])) || (cp >= 0x31F0 && cp <= 0x31FF);
}

/* cl-01: opening brackets and quotes. */
static bool
no_line_end(unsigned long cp)
{
	static const unsigned long set[] = {0x2018, 0x201C, 0x3008, 0x300A, 0x300C, 0x300E,
	                                    0x3010, 0x3014, 0x3016, 0x3018, 0x301A, 0x301D,
	                                    0xFF08, 0xFF3B, 0xFF5B, 0xFF5F, 0xFF62, '(', '[',
	                                    '{'};
	return in_set(cp, set, sizeof(set) / sizeof(set[0]));
}

/* cl-08: two of these in a row stay together. */
static bool
inseparable(unsigned long prev, unsigned long cp)
{
	return prev == cp && (cp == 0x2014 || cp == 0x2015 || cp == 0x2026 || cp == 0x2025);
}

static bool
can_break(unsigned long prev, unsigned long cp)
{
	if (cp == ' ' || no_line_start(cp) || no_line_end(prev) || inseparable(prev, cp))
		return false;
	/* "-0.04" is a minus sign, not a hyphen to break after. */
	if (prev == '-' && cp >= '0' && cp <= '9')
		return false;
	if (prev == ' ' || prev == '/' || prev == '-')
		return true;
	return is_cjk(prev) || is_cjk(cp);
}

static bool
add_line(struct px *p, size_t start, size_t end)
{
	if (p->nlines == p->linecap) {
		size_t cap = p->linecap ? p->linecap * 2 : 16;
		struct px_line *nv = realloc(p->lines, cap * sizeof(*nv));
		if (nv == NULL) {
			p->err = KOE_ENOMEM;
			return false;
		}
		p->lines = nv;
		p->linecap = cap;
	}
	/* Trailing spaces take no room on paper. */
	while (end > start && p->clean[end - 1] == ' ')
		end--;
	p->lines[p->nlines++] = (struct px_line){start, end - start};
	return true;
}

size_t
px_wrap(struct px *p, const char *s, float width, float size)
{
	const char *t = px_clean(p, s);
	float limit = width * 1000.0f / size, w = 0;
	size_t n, start = 0, brk = 0, i = 0;
	unsigned long prev = '\n';

	p->nlines = 0;
	if (t == NULL)
		return 0;
	n = strlen(t);
	if (n == 0)
		return 0;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_next(t + i, n - i, &cp);
		if (cp == '\n') {
			if (!add_line(p, start, i))
				return 0;
			start = brk = i + 1;
			w = 0;
			prev = '\n';
			i += len;
			continue;
		}
		if (i == start && cp == ' ') {
			/* A line never starts with the space it broke at. */
			start = brk = i + 1;
			i += len;
			continue;
		}
		float cw = cp_width(p, cp);
		if (i > start && can_break(prev, cp))
			brk = i;
		if (w + cw > limit && i > start) {
			size_t end = brk > start ? brk : i;
			if (!add_line(p, start, end))
				return 0;
			start = brk = end;
			while (start < n && t[start] == ' ')
				start++;
			brk = start;
			w = 0;
			for (size_t k = start; k < i;) {
				uint32_t c2;
				k += utf8_next(t + k, i - k, &c2);
				w += cp_width(p, c2);
			}
		}
		w += cw;
		prev = cp;
		i += len;
	}
	if (start < n && !add_line(p, start, n))
		return 0;
	return p->nlines;
}

size_t
px_draw_wrapped(struct px *p, float x, float y, float size, float leading, struct px_rgb c,
                bool bold, size_t max)
{
	size_t shown = p->nlines < max ? p->nlines : max;
	for (size_t l = 0; l < shown; l++) {
		const struct px_line *ln = &p->lines[l];
		bool cut = l + 1 == shown && shown < p->nlines;
		if (!grow(p, &p->tmp, &p->tmpcap, ln->len + 4))
			return l;
		memcpy(p->tmp, p->clean + ln->start, ln->len);
		if (cut) {
			/* Make room for the ellipsis by dropping the last character. */
			size_t k = ln->len;
			while (k > 0 && utf8_is_cont((unsigned char)p->tmp[k - 1]))
				k--;
			if (k > 0)
				k--;
			memcpy(p->tmp + k, "\xe2\x80\xa6", 3);
			p->tmp[k + 3] = '\0';
		} else {
			p->tmp[ln->len] = '\0';
		}
		text_at(p, x, y - (float)l * leading, size, c, bold, p->tmp);
	}
	return shown;
}

void
px_para(struct px *p, float x, float width, float size, float leading, struct px_rgb c,
        bool bold, const char *s)
{
	size_t n = px_wrap(p, s, width, size);
	for (size_t l = 0; l < n && px_ok(p); l++) {
		const struct px_line *ln = &p->lines[l];
		px_need(p, leading);
		if (!grow(p, &p->tmp, &p->tmpcap, ln->len + 1))
			return;
		memcpy(p->tmp, p->clean + ln->start, ln->len);
		p->tmp[ln->len] = '\0';
		/* The baseline sits a font size below the top of the line. */
		text_at(p, x, p->y - size, size, c, bold, p->tmp);
		p->y -= leading;
	}
}

void
px_rect(struct px *p, float x, float y, float w, float h, struct px_rgb c)
{
	if (!px_ok(p) || p->page == NULL || w <= 0 || h <= 0)
		return;
	set_fill(p, c);
	HPDF_Page_Rectangle(p->page, x, y, w, h);
	HPDF_Page_Fill(p->page);
}

void
px_frame(struct px *p, float x, float y, float w, float h, float lw, struct px_rgb c)
{
	if (!px_ok(p) || p->page == NULL)
		return;
	HPDF_Page_SetRGBStroke(p->page, c.r, c.g, c.b);
	HPDF_Page_SetLineWidth(p->page, lw);
	HPDF_Page_Rectangle(p->page, x, y, w, h);
	HPDF_Page_Stroke(p->page);
}

void
px_hline(struct px *p, float x0, float x1, float y, float lw, struct px_rgb c)
{
	if (!px_ok(p) || p->page == NULL)
		return;
	HPDF_Page_SetRGBStroke(p->page, c.r, c.g, c.b);
	HPDF_Page_SetLineWidth(p->page, lw);
	HPDF_Page_MoveTo(p->page, x0, y);
	HPDF_Page_LineTo(p->page, x1, y);
	HPDF_Page_Stroke(p->page);
}

void
px_vline(struct px *p, float x, float y0, float y1, float lw, struct px_rgb c)
{
	if (!px_ok(p) || p->page == NULL)
		return;
	HPDF_Page_SetRGBStroke(p->page, c.r, c.g, c.b);
	HPDF_Page_SetLineWidth(p->page, lw);
	HPDF_Page_MoveTo(p->page, x, y0);
	HPDF_Page_LineTo(p->page, x, y1);
	HPDF_Page_Stroke(p->page);
}

void
px_footers(struct px *p)
{
	char buf[48];
	for (size_t i = 0; i < p->npages && px_ok(p); i++) {
		p->page = p->pages[i];
		snprintf(buf, sizeof(buf), "%zu / %zu", i + 1, p->npages);
		px_text_center(p, PX_PAGE_W / 2, 28, 8, PX_GREY, false, buf);
	}
}

void
px_section(struct px *p, const char *title)
{
	px_page(p);
	px_para(p, PX_ML, PX_CW, 16, 22, PX_ACCENT, true, title);
	px_hline(p, PX_ML, PX_ML + PX_CW, p->y + 2, 1.2f, PX_ACCENT);
	p->y -= 12;
}

void
px_heading(struct px *p, const char *title)
{
	px_heading_keep(p, title, 60);
}

void
px_heading_keep(struct px *p, const char *title, float keep)
{
	size_t n = px_wrap(p, title, PX_CW, 11.5f);
	/* Keep a heading on the page of what follows it. */
	px_need(p, (float)n * 16 + 10 + keep);
	p->y -= 6;
	px_para(p, PX_ML, PX_CW, 11.5f, 16, PX_ACCENT, true, title);
	p->y -= 4;
}

const char *
px_pct(char *buf, size_t cap, double p)
{
	if (!isfinite(p))
		snprintf(buf, cap, "—");
	else
		snprintf(buf, cap, "%.0f%%", p * 100);
	return buf;
}

const char *
px_ci_pct(const struct report *r, char *buf, size_t cap, double lo, double hi)
{
	if (!isfinite(lo) || !isfinite(hi))
		snprintf(buf, cap, "%s", "");
	else
		snprintf(buf, cap, r->en ? "95%% CI %.0f–%.0f%%" : "95%%信頼区間 %.0f–%.0f%%",
		         lo * 100, hi * 100);
	return buf;
}

const char *
px_signed(char *buf, size_t cap, double x)
{
	if (!isfinite(x))
		snprintf(buf, cap, "—");
	else if (x >= 0.5)
		snprintf(buf, cap, "+%.0f", x);
	else
		snprintf(buf, cap, "%.0f", x);
	/* "-0" would suggest a sign where there is none. */
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, cap, "0");
	return buf;
}

/* ---- the document ---------------------------------------------------------- */

/* libharu 2.3.0 (Debian 12) gives a TrueType font with the UTF-8 encoder a
 * /ToUnicode stream that is really its code-to-CID CMap ("begincidrange"),
 * which viewers reject: poppler warns, and copying or searching Japanese
 * text may fail elsewhere. The codes libharu writes are the characters'
 * UTF-16 values (code = CID, and CIDToGIDMap picks the glyph), so the right
 * ToUnicode is the identity: it is written here, in ranges that never cross
 * a first byte (PDF 32000 9.10.3), skipping surrogates and U+FFFE/U+FFFF.
 * The original stream stays in the file, unreferenced. */
static HPDF_STATUS
identity_to_unicode(HPDF_Font font)
{
	static const char head[] =
		"/CIDInit /ProcSet findresource begin\n"
		"12 dict begin\n"
		"begincmap\n"
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
		"/CMapName /Adobe-Identity-UCS def\n"
		"/CMapType 2 def\n"
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
	static const char tail[] = "endcmap\n"
	                           "CMapName currentdict /CMap defineresource pop\n"
	                           "end\n"
	                           "end\n";
	HPDF_FontAttr attr = (HPDF_FontAttr)font->attr;
	HPDF_Dict cmap = HPDF_DictStream_New(font->mmgr, attr->xref);
	HPDF_STATUS ret = HPDF_OK;
	unsigned hi[256], n = 0;
	char line[64];

	if (cmap == NULL)
		return HPDF_FAILD_TO_ALLOC_MEM;
	cmap->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
	for (unsigned b = 0; b < 256; b++)
		if (b < 0xD8 || b > 0xDF)
			hi[n++] = b;
	ret |= HPDF_Stream_WriteStr(cmap->stream, head);
	for (unsigned i = 0; i < n; i += 100) {
		unsigned m = n - i < 100 ? n - i : 100;
		snprintf(line, sizeof(line), "%u beginbfrange\n", m);
		ret |= HPDF_Stream_WriteStr(cmap->stream, line);
		for (unsigned j = i; j < i + m; j++) {
			snprintf(line, sizeof(line), "<%02X00> <%02X%s> <%02X00>\n", hi[j], hi[j],
			         hi[j] == 0xFF ? "FD" : "FF", hi[j]);
			ret |= HPDF_Stream_WriteStr(cmap->stream, line);
		}
		ret |= HPDF_Stream_WriteStr(cmap->stream, "endbfrange\n");
	}
	ret |= HPDF_Stream_WriteStr(cmap->stream, tail);
	if (ret != HPDF_OK)
		return ret;
	HPDF_Dict_RemoveElement(font, "ToUnicode");
	return HPDF_Dict_Add(font, "ToUnicode", cmap);
}

static HPDF_Date
pdf_date(int64_t epoch)
{
	time_t t = (time_t)epoch;
	struct tm tm;
	HPDF_Date d = {1970, 1, 1, 0, 0, 0, 'Z', 0, 0};
	if (gmtime_r(&t, &tm)) {
		d.year = tm.tm_year + 1900;
		d.month = tm.tm_mon + 1;
		d.day = tm.tm_mday;
		d.hour = tm.tm_hour;
		d.minutes = tm.tm_min;
		d.seconds = tm.tm_sec;
	}
	return d;
}

enum koe_err
px_doc_begin(struct px *p, const char *font_path, const char *title, int64_t epoch,
             struct koe_msg *msg)
{
	const char *font_name;
	char creator[64];

	font_path = font_path ? font_path : REPORT_FONT_PATH;
	koe_msg_set(msg, KOE_OK, "out of memory");
	if (access(font_path, R_OK) != 0) {
		koe_msg_set(msg, KOE_OK,
		         "cannot read the font %s (install Debian's fonts-ipaexfont-gothic)", font_path);
		return KOE_EIO;
	}
	if ((p->cw = malloc(0x10000 * sizeof(*p->cw))) == NULL)
		return KOE_ENOMEM;
	for (size_t i = 0; i < 0x10000; i++)
		p->cw[i] = -1;
	if ((p->doc = HPDF_New(px_on_error, p)) == NULL)
		return KOE_ENOMEM;
	HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL);
	HPDF_UseUTFEncodings(p->doc);
	HPDF_SetCurrentEncoder(p->doc, "UTF-8");
	font_name = HPDF_LoadTTFontFromFile(p->doc, font_path, HPDF_TRUE);
	if (font_name == NULL || (p->font = HPDF_GetFont(p->doc, font_name, "UTF-8")) == NULL) {
		koe_msg_set(msg, KOE_OK, "cannot load the font %s (libharu error 0x%04X)", font_path,
		         (unsigned)p->hpdf_err);
		return KOE_EIO;
	}
	if (identity_to_unicode(p->font) != HPDF_OK)
		return KOE_ENOMEM;
	snprintf(creator, sizeof(creator), "koe %s", KOE_VERSION);
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, title);
	HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, creator);
	HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_CREATION_DATE, pdf_date(epoch));
	HPDF_SetInfoDateAttr(p->doc, HPDF_INFO_MOD_DATE, pdf_date(epoch));
	return KOE_OK;
}

enum koe_err
px_doc_end(struct px *p, uint8_t **buf, size_t *len, struct koe_msg *msg)
{
	uint8_t *out = NULL;
	enum koe_err err = KOE_ENOMEM;

	*buf = NULL;
	*len = 0;
	koe_msg_set(msg, KOE_OK, "out of memory");
	if (p->err != KOE_OK) {
		if (p->err == KOE_ETOOBIG)
			koe_msg_set(msg, KOE_OK, "the document would have more than %d pages",
			            REPORT_MAX_PAGES);
		return p->err;
	}
	if (p->hpdf_err == 0 && HPDF_SaveToStream(p->doc) == HPDF_OK) {
		HPDF_UINT32 size = HPDF_GetStreamSize(p->doc);
		HPDF_UINT32 got = size;
		if (size > 0 && (out = malloc(size)) != NULL && HPDF_ResetStream(p->doc) == HPDF_OK) {
			HPDF_STATUS st = HPDF_ReadFromStream(p->doc, out, &got);
			/* Reading exactly to the end may report the end as
			 * HPDF_STREAM_EOF; what counts is getting every byte. */
			if ((st == HPDF_OK || st == HPDF_STREAM_EOF) && got == size) {
				*buf = out;
				*len = size;
				out = NULL;
				err = KOE_OK;
			}
		}
	}
	if (err != KOE_OK && p->hpdf_err != 0 && p->hpdf_err != HPDF_STREAM_EOF) {
		koe_msg_set(msg, KOE_OK, "libharu error 0x%04X (detail %u) while writing the PDF",
		         (unsigned)p->hpdf_err, (unsigned)p->hpdf_detail);
		err = KOE_EINVAL;
	}
	free(out);
	return err;
}

void
px_doc_free(struct px *p)
{
	if (p->doc)
		HPDF_Free(p->doc);
	free(p->cw);
	free(p->pages);
	free(p->clean);
	free(p->tmp);
	free(p->lines);
}
