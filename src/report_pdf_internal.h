/* koe — drawing on PDF pages with libharu, for report_pdf*.c only.
 *
 * A struct px is one document being laid out top to bottom: a cursor y on
 * the current page, a new page when the next block does not fit, and the
 * first libharu error recorded by the error handler (which never jumps out
 * of the library). Drawing functions do nothing useful after an error; the
 * layout code checks px_ok() between blocks and the document is discarded.
 *
 * Ownership: every pointer passed to a px_ function is borrowed for the
 * call and never kept; struct px owns its scratch buffers, which
 * report_pdf() frees. Text in p->clean and p->lines is valid until the next
 * px_ call that draws or wraps text. */
#ifndef KOE_REPORT_PDF_INTERNAL_H
#define KOE_REPORT_PDF_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <hpdf.h>

#include "report_internal.h"

/* A4 portrait in points, and the text area. */
#define PX_PAGE_W 595.276f
#define PX_PAGE_H 841.89f
#define PX_ML 48.0f
#define PX_CW (PX_PAGE_W - 2 * PX_ML) /* content width */
#define PX_TOP (PX_PAGE_H - 58.0f)     /* first baseline area below the header */
#define PX_BOTTOM 54.0f                /* content never goes below this */

struct px_rgb {
	float r, g, b;
};

/* The report's palette: favorable answers blue, unfavorable orange-red,
 * neutral grey, as in most survey dashboards; colour-blind readers can still
 * tell them apart by lightness. */
extern const struct px_rgb PX_BLACK, PX_TEXT, PX_GREY, PX_LIGHT, PX_RULE, PX_FAV, PX_FAV2,
	PX_NEUTRAL, PX_UNFAV2, PX_UNFAV, PX_ACCENT, PX_ALERT, PX_CARD, PX_WHITE;

struct px_line {
	size_t start, len; /* bytes of px->clean */
};

struct px {
	const struct report *r; /* the report being laid out, or NULL (questionnaire) */
	const char *header;     /* the page header's title; borrowed */
	const char *mark;       /* a red mark at the header's right ("中間集計 / interim"), or NULL */
	HPDF_Doc doc;
	HPDF_Font font;
	HPDF_Page page;
	HPDF_Page *pages;
	size_t npages, cap;
	float y;                /* top of the free space on the current page */
	float *cw;              /* advance per BMP code point in 1/1000 em; < 0: not yet known */
	HPDF_STATUS hpdf_err;   /* first libharu error, 0 if none */
	HPDF_STATUS hpdf_detail;
	enum koe_err err;       /* our own failure (memory, page limit), else KOE_OK */
	char *clean;            /* the last text made printable, see px_clean() */
	size_t cleancap;
	char *tmp;              /* one line to print */
	size_t tmpcap;
	struct px_line *lines;  /* the last wrap, see px_wrap() */
	size_t nlines, linecap;
};

/* A document in p: IPAex Gothic (font_path, or REPORT_FONT_PATH when NULL)
 * with UTF-8 text and a working ToUnicode map, the title and creator, dates
 * from epoch. Set p->header and p->mark first. KOE_EIO (font), KOE_ENOMEM;
 * msg says which. px_doc_free() in every case. */
enum koe_err px_doc_begin(struct px *p, const char *font_path, const char *title, int64_t epoch,
                          struct koe_msg *msg);
/* The laid-out document as bytes: *buf malloc'ed (the caller frees it).
 * p->err, or KOE_EINVAL for a libharu error (msg has its code). */
enum koe_err px_doc_end(struct px *p, uint8_t **buf, size_t *len, struct koe_msg *msg);
/* Frees the document and p's buffers. */
void px_doc_free(struct px *p);

/* The libharu error handler: records the first error. */
void px_on_error(HPDF_STATUS error_no, HPDF_STATUS detail_no, void *user_data);

bool px_ok(const struct px *p);

/* Starts a page: header (survey title, interim mark) and cursor at PX_TOP. */
void px_page(struct px *p);

/* Starts a new page when h points do not fit above the bottom margin. */
void px_need(struct px *p, float h);

/* Width in points of text s (UTF-8) at size. s is borrowed. */
float px_width(struct px *p, const char *s, float size);

/* One line of text with its left end, centre or right end at x; baseline y.
 * s is borrowed. bold draws the outline too. */
void px_text(struct px *p, float x, float y, float size, struct px_rgb c, bool bold,
             const char *s);
void px_text_center(struct px *p, float x, float y, float size, struct px_rgb c, bool bold,
                    const char *s);
void px_text_right(struct px *p, float x, float y, float size, struct px_rgb c, bool bold,
                   const char *s);

/* Breaks s into lines of at most width points at size: between words, and
 * between Japanese characters except before closing and after opening
 * punctuation; at any character when a word is longer than a line. A
 * newline in s always breaks. Returns the number of lines (0 for an empty
 * text); they stay valid in p->lines until the next px_wrap(). s is
 * borrowed. */
size_t px_wrap(struct px *p, const char *s, float width, float size);

/* Draws the lines of the last px_wrap() from baseline y downwards, at most
 * max lines (the last one then ends with an ellipsis). Returns the lines
 * drawn. */
size_t px_draw_wrapped(struct px *p, float x, float y, float size, float leading,
                       struct px_rgb c, bool bold, size_t max);

/* A paragraph at the cursor: wraps s to width, moves to a new page between
 * lines when needed, and leaves the cursor below it. s is borrowed. */
void px_para(struct px *p, float x, float width, float size, float leading, struct px_rgb c,
             bool bold, const char *s);

/* Filled rectangle (x, y is the lower left corner). */
void px_rect(struct px *p, float x, float y, float w, float h, struct px_rgb c);
/* Stroked rectangle and line. */
void px_frame(struct px *p, float x, float y, float w, float h, float lw, struct px_rgb c);
void px_hline(struct px *p, float x0, float x1, float y, float lw, struct px_rgb c);
void px_vline(struct px *p, float x, float y0, float y1, float lw, struct px_rgb c);

/* "n / N" centred at the foot of every page; call last. */
void px_footers(struct px *p);

/* A section heading at the top of a new page, and a sub-heading at the
 * cursor. */
void px_section(struct px *p, const char *title);
void px_heading(struct px *p, const char *title);
/* A sub-heading that moves to a new page unless keep points of what follows
 * fit below it. */
void px_heading_keep(struct px *p, const char *title, float keep);

/* Number formats shared by every page. Each writes into buf (cap bytes) and
 * returns it. */
const char *px_pct(char *buf, size_t cap, double p);            /* "72%" */
const char *px_ci_pct(const struct report *r, char *buf, size_t cap, double lo,
                      double hi);                                /* "95% CI 68–76%" */
const char *px_signed(char *buf, size_t cap, double x);         /* "+12", "-3" */

/* The sections, in report_pdf_charts.c and report_pdf_segments.c. */
/* A diverging chart of Likert items (stats indices) that share the answer
 * texts points[0..np). Both arrays are borrowed. */
void px_likert_chart(struct px *p, const size_t *items, size_t n, const char *const *points,
                     int np);
void px_nps_chart(struct px *p, size_t item);
void px_choice_chart(struct px *p, const struct report_choice *c); /* c borrowed */
void px_scale_line(struct px *p, size_t scale);
void px_segments(struct px *p);
void px_drivers(struct px *p);
void px_margins(struct px *p); /* per dimension value, the three roles */
/* Drivers that are clear: |r| ≥ 0.1 and a 95% interval excluding 0
 * (README, "Drivers"). With none the drivers need no page of their own. */
size_t px_drivers_clear(const struct report *r);

/* The comments pages and the method page (report_pdf_method.c), and the
 * list of hidden groups both use. */
void px_comments(struct px *p);
void px_method(struct px *p);
/* A key and its value side by side (the method page's rows). */
void px_kv(struct px *p, const char *key, const char *value);
const char *px_hidden_k(const struct report *r, char *buf, size_t cap);

/* The comparison with an earlier survey (report_pdf_compare.c), drawn only
 * when the report has one (r->cmp): the previous value and change on page
 * 1's card number kpi (0 response rate, 1 support, 2 rejoin, 3 morale, 4
 * eNPS) at x below the card's top; the largest changes on page 1; the
 * section of every change. */
void px_compare_card(struct px *p, int kpi, float x, float top);
void px_compare_summary(struct px *p);
/* Under a scale's score line: its change (pooled share for a role's scale,
 * and the mean). */
void px_compare_scale(struct px *p, size_t scale);
/* After an item's shares in its chart row: the change of its favorable
 * share, "  +3 pt ▲", or "" without one. Written into buf. */
const char *px_compare_item(const struct report *r, const char *key, char *buf, size_t cap);
void px_compare(struct px *p);

#endif
