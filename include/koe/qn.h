/* koe — questionnaire files: the Qualtrics Advanced Format subset plus koe's
 * tags (docs/ARCHITECTURE.md §5), parsed into a validated survey.
 *
 * qn_parse() is a pure function from bytes to a struct: no I/O, no global
 * state. It reports every problem of a file in one pass into a koe_diags list
 * and never returns a half-loaded survey. */
#ifndef KOE_QN_H
#define KOE_QN_H

#include <stdbool.h>
#include <stddef.h>

#include "koe/arena.h"
#include "koe/diag.h"
#include "koe/err.h"

/* Hard limits: a questionnaire is a small hand-written file. */
#define QN_MAX_FILE_BYTES  (1024 * 1024)
#define QN_MAX_QUESTIONS   500
#define QN_MAX_CHOICES     200   /* choices, Matrix rows or Matrix columns */
#define QN_MAX_TEXT_BYTES  8000  /* one question, choice or title text */
#define QN_MAX_ID_LEN      64
#define QN_MAX_ID_TEXT     200   /* bytes of an [[ID]] as written */
#define QN_MAX_SEGMENTS    4
#define QN_MAX_THEMES      20  /* [[Theme:name|keyword,keyword]] per survey */
#define QN_MAX_THEME_WORDS 20  /* keywords per theme */
#define QN_MAX_LIKERT      11    /* points on a Likert scale */
#define QN_MIN_GROUP_FLOOR 3     /* k may never be lower */
#define QN_MIN_GROUP_DEFAULT 5
#define QN_MIN_GROUP_COMMENTS_DEFAULT 10 /* never below MinGroup */
#define QN_MAX_COND_NODES  64    /* tests, ands and ors in one [[ShowIf]] */
#define QN_MAX_COND_RANGES 128   /* values and ranges in one [[ShowIf]] */
#define QN_MAX_COND_DEPTH  8     /* nested parentheses */

/* A display condition, [[ShowIf:...]] on a question or a block
 * (docs/ARCHITECTURE.md §5.2), compiled once when the questionnaire is
 * parsed. Nodes are in postfix order: operands come before the node that
 * combines them, and the last node is the whole condition. */
enum qn_cond_op {
	QN_COND_TEST, /* the answer to item is in one of ranges */
	QN_COND_AND,
	QN_COND_OR,
};

struct qn_cond_range {
	int lo, hi; /* inclusive; lo == hi for one value */
};

struct qn_cond_node {
	enum qn_cond_op op;
	size_t left, right;                 /* AND, OR: operand nodes */
	size_t item;                        /* TEST: index into survey->items */
	const struct qn_cond_range *ranges; /* TEST */
	size_t nranges;
};

struct qn_cond {
	const char *text;     /* the condition as written, for koe check */
	const char *label;    /* HR's words for who is asked ("同僚の退職を見聞き
	                         した人"), or NULL */
	const char *label_en; /* or NULL */
	const struct qn_cond_node *nodes;
	size_t nnodes;
	int line;
};

/* Whether item has an answer in [lo, hi] (for a multiple-answer item: any
 * ticked choice in it). An unanswered item has none. */
typedef bool (*qn_has_fn)(const void *ctx, size_t item, int lo, int hi);

enum qn_type {
	QN_MC_SINGLE,  /* one choice */
	QN_MC_MULTI,   /* any number of choices */
	QN_MATRIX,     /* Likert battery: rows are items, answers are points */
	QN_TE_LINE,    /* one line of free text */
	QN_TE_ESSAY,   /* free text */
	QN_DB,         /* descriptive text, no answer */
	QN_NPS,        /* 0–10 likelihood to recommend */
};

enum qn_layout { QN_VERTICAL, QN_HORIZONTAL, QN_DROPDOWN };

enum qn_role { QN_ROLE_NONE, QN_ROLE_SUPPORT, QN_ROLE_REJOIN, QN_ROLE_MORALE };

/* A choice of an MC question, a row of a Matrix, or a column of a Matrix. */
struct qn_choice {
	int recode;          /* the value answers carry; 1-based position by default */
	const char *text;    /* allow-listed HTML (see qn_html_sanitize) */
	const char *text_en; /* English text, or NULL */
	bool reverse;        /* Matrix rows only: reverse-coded item */
	int line;
};

struct qn_question {
	enum qn_type type;
	enum qn_layout layout;
	const char *id;      /* the answer key: [[ID:x]] made safe (letters, digits,
	                        '-', '_'; "Stim 1" is "Stim_1"), or "Q<position>"
	                        as Qualtrics numbers them */
	const char *id_text; /* [[ID]] as written when it differs from id, else NULL */
	int id_line, id_col; /* where [[ID]]'s value is, or 0 */
	const char *text;    /* allow-listed HTML */
	const char *text_en; /* or NULL */
	bool required;
	bool reverse;        /* whole question reverse-coded (MC single in a scale) */
	int scale;           /* index into survey->scales, or -1 */
	size_t block;        /* index into survey->blocks */
	size_t page;         /* 0-based page number across the survey */
	struct qn_choice *choices; /* MC choices or Matrix rows */
	size_t nchoices;
	struct qn_choice *answers; /* Matrix columns (scale points), sorted by recode */
	size_t nanswers;
	int line;            /* line of the [[Question]] tag */
	const struct qn_cond *show_if; /* [[ShowIf]] of the question, or NULL; its
	                                  block's applies too */
};

struct qn_scale {
	const char *name;
	enum qn_role role;
	size_t nitems;  /* answer items scored on this scale */
	int npoints;    /* every item of a scale has the same number of points */
};

struct qn_block {
	const char *name;    /* may be "" for the implicit first block */
	const char *name_en; /* or NULL */
	const struct qn_cond *show_if; /* [[ShowIf]] of the block, or NULL */
};

/* How an answer item is validated and scored. */
enum qn_item_kind {
	QN_ITEM_LIKERT,  /* integer 1..npoints (Matrix row, or MC single in a scale) */
	QN_ITEM_CHOICE,  /* integer, one of the question's recodes */
	QN_ITEM_MULTI,   /* array of distinct recodes */
	QN_ITEM_NPS,     /* integer 0..10 */
	QN_ITEM_TEXT,    /* string, at most QN_MAX_ANSWER_CHARS characters */
};
#define QN_MAX_ANSWER_CHARS 4000

/* One key of the "answers" object a browser submits (docs/ARCHITECTURE.md §3). */
struct qn_item {
	const char *key;        /* "support.1", "enps", "Q7" */
	enum qn_item_kind kind;
	size_t question;        /* index into survey->questions */
	size_t row;             /* Matrix row index, else 0 */
	int scale;              /* index into survey->scales, or -1 */
	bool reverse;           /* reverse-coded: score npoints + 1 - x */
	bool required;
	int npoints;            /* Likert: points; NPS: 11; else 0 */
	enum qn_role role;      /* NPS: its own [[Role]] (e.g. a 0–10 "would you
	                           return" item for rejoin); scale items: the
	                           scale's role; else QN_ROLE_NONE */
};

/* A comment theme HR defines in the header: a comment belongs to it when it
 * contains one of its keywords. */
struct qn_theme {
	const char *name;
	const char **keywords;
	size_t nkeywords;
};

struct qn_survey {
	struct arena arena;     /* owns every string and array below */
	const char *id;         /* [a-z0-9-], from [[Survey]] or the file name */
	const char *title;
	const char *title_en;   /* or NULL */
	const char *language;   /* "ja" or "en" */
	int min_group;          /* k */
	int min_group_comments; /* [[MinGroupComments]]: a comment names its group
	                           only with this many respondents; >= min_group */
	const char **segments;  /* roster column names, most important first */
	size_t nsegments;
	const char *closes;     /* "YYYY-MM-DD" or NULL */
	struct qn_theme *themes; /* [[Theme]]s in file order (QN_MAX_THEMES) */
	size_t nthemes;
	struct qn_question *questions;
	size_t nquestions;
	struct qn_block *blocks;
	size_t nblocks;
	size_t npages;
	struct qn_scale *scales;
	size_t nscales;
	struct qn_item *items;  /* answer items in questionnaire order */
	size_t nitems;
	size_t nconds;          /* [[ShowIf]] tags: 0 when every question is
	                           always shown */
};

/* Parses a questionnaire. name is the file name, used only to derive the
 * default survey id (its base name without ".txt"); it may be NULL.
 *
 * On success returns KOE_OK and sets *out; the caller frees it with
 * qn_survey_free(). On bad input returns KOE_EINVAL (or KOE_ETOOBIG) with at
 * least one entry appended to diags, and *out is NULL. KOE_ENOMEM when memory
 * ran out; *out is NULL then too. */
enum koe_err qn_parse(const char *bytes, size_t len, const char *name,
                      struct qn_survey **out, struct koe_diags *diags);

/* Frees a survey. Accepts NULL. */
void qn_survey_free(struct qn_survey *s);

/* Finds an answer item by key; returns NULL when there is none. Borrowed from
 * the survey. */
const struct qn_item *qn_item_find(const struct qn_survey *s, const char *key);

/* Whether condition c holds for the answers has() sees. c may be NULL
 * (always true). Constant work per node, no allocation. */
bool qn_cond_eval(const struct qn_cond *c, qn_has_fn has, const void *ctx);

/* Whether question q is shown to a person whose earlier answers has() sees:
 * its block's condition and its own both hold. A condition only looks at
 * earlier questions, so answers to q and later never change the result. */
bool qn_question_shown(const struct qn_survey *s, size_t q, qn_has_fn has, const void *ctx);

/* Who question q is asked of, in the report's words (label_en when en and
 * there is one): its own condition's label, its block's, or both joined;
 * a condition without a label reads as written. NULL for a question shown
 * to everyone. Borrowed from the survey, or written into buf (cap bytes). */
const char *qn_audience(const struct qn_survey *s, size_t q, bool en, char *buf, size_t cap);

const char *qn_type_name(enum qn_type t);
const char *qn_role_name(enum qn_role r);

/* Reduces question text to an allow-list of HTML (docs/ARCHITECTURE.md §5.1):
 * b, strong, i, em, u, sup, sub, p, ul, ol, li and br are kept in canonical
 * lower-case spelling, never with an attribute, balanced and well nested (a
 * block closes the inline elements it would sit in, a list item outside a
 * list gets one, unclosed elements are closed at the end). script, style,
 * iframe, svg and other elements whose content is not text are removed with
 * their content; comments, CDATA and declarations are removed; span, div,
 * font and every other element are removed keeping their text. The entities
 * &amp; &lt; &gt; &quot; &#39; &nbsp; stay, numeric ones become decimal
 * (non-characters U+FFFD), a few common named ones (&copy; &rsquo; ...)
 * become their characters; every other '<', '>', '&' and quote is escaped, so
 * it shows as text. The result is safe to place in an HTML element. Returns
 * NULL when memory runs out. Borrowed until arena_free(). */
char *qn_html_sanitize(struct arena *a, const char *text, size_t len);

/* What the sanitizer removed (besides wrappers such as span and div, which
 * carry no meaning): for koe check's warning. */
struct qn_html_note {
	size_t count;  /* pieces removed */
	size_t off;    /* byte offset in the input of the first */
	char what[160]; /* "attributes, <script> with its content, <img>" */
};

/* qn_html_sanitize() that also fills *nt (which may be NULL). */
char *qn_html_sanitize_note(struct arena *a, const char *text, size_t len,
                            struct qn_html_note *nt);

/* Text of sanitized HTML with every tag removed and entities decoded, on one
 * line for labels in the report: <br>, paragraphs and lists become spaces,
 * a list item starts with "・". Returns NULL when memory runs out. Borrowed
 * until arena_free(). */
char *qn_html_to_plain(struct arena *a, const char *html);

/* The same with line breaks: <br>, paragraphs and list items start new
 * lines (no blank lines), for the printed questionnaire. */
char *qn_html_to_lines(struct arena *a, const char *html);

#endif
