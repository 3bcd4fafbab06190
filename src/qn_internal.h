/* What the questionnaire parser's files share (docs/ARCHITECTURE.md §5):
 * qn.c (entry point, UTF-8 check, helpers), qn_scan.c (pass one: lines, tags,
 * text), qn_qtype.c (the [[Question]] tag and its type table) and
 * qn_validate.c (pass two: meaning, answer items). Not a public
 * interface: only qn*.c include it. */
#ifndef KOE_QN_INTERNAL_H
#define KOE_QN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "koe/qn.h"

/* ---- parse-side structures: pass one fills them, pass two reads them ---- */

/* Where the lines of a text joined with <br> came from, so a warning about
 * the text can name the line and column in the file. */
struct tline {
	size_t off;      /* byte offset of the line in the joined text */
	int line, col;   /* its position in the file */
};

struct tlines {
	struct tline *v;
	size_t n, cap;
};

struct pchoice {
	char *raw;       /* unsanitized text (lines joined with <br>) */
	size_t rawlen;
	struct tlines pos;
	const char *en;
	int en_line, en_col;
	int recode;      /* -1 when not given */
	int recode_col;
	bool reverse;
	int line, col;
};

struct pvec { /* a growable array of pchoice inside the arena */
	struct pchoice *v;
	size_t n, cap;
};

struct pquestion {
	enum qn_type type;
	enum qn_layout layout;
	bool type_ok;      /* false when the [[Question]] tag had an error */
	const char *id;      /* the answer key made from [[ID]] (qn_id_key) */
	const char *id_text; /* [[ID]] as written, when it differs from id */
	int id_line, id_col;
	char *raw;
	size_t rawlen;
	struct tlines pos;
	int text_line;
	const char *en;
	int en_line, en_col;
	bool required, reverse;
	int required_line;
	const char *scale;
	int scale_line, scale_col;
	enum qn_role role;
	int role_line, role_col;
	struct pvec choices, answers;
	bool saw_choices, saw_answers; /* a [[Choices]]/[[Answers]] tag appeared */
	int choices_line, answers_line;
	size_t block, page;
	int line;
};

enum state {
	ST_HEADER,   /* before the first block or question */
	ST_BLOCK,    /* after [[Block]] or [[PageBreak]], before a question */
	ST_QUESTION, /* question tags and text */
	ST_CHOICES,  /* after [[Choices]] / [[AdvancedChoices]] */
	ST_ANSWERS,  /* after [[Answers]] / [[AdvancedAnswers]] */
};

/* What a following [[En:...]] would translate. */
enum en_target { EN_NONE, EN_TITLE, EN_BLOCK, EN_QUESTION, EN_CHOICE, EN_ANSWER, EN_COND };

/* One [[ShowIf]] as pass one saw it (qn_cond.c); pass two compiles it. */
struct pcond {
	const char *expr;      /* points into the file's bytes */
	size_t exprlen;
	const char *label, *label_en;
	const char *linestart; /* for columns */
	int line, col;         /* of the tag's name */
	bool on_block;
	size_t index;          /* question or block index */
};

struct ctx {
	struct qn_survey *s;
	struct koe_diags *d;
	struct arena *a;
	bool oom;

	/* header */
	bool seen_any_line;
	int line_advanced, line_survey, line_title, line_language, line_mingroup,
	    line_segments, line_closes, line_mincomments, col_mincomments;

	enum state st;
	bool advanced;          /* inside [[AdvancedChoices]]/[[AdvancedAnswers]] */
	bool adv_open;          /* an advanced [[Choice]]/[[Answer]] awaits text */
	enum en_target en;

	struct pquestion *qs;
	size_t nq, capq;        /* nq counts past QN_MAX_QUESTIONS, qs does not */
	struct qn_block *blocks;
	size_t nblocks, capb;
	size_t page;
	bool page_used;         /* the current page has a question */

	struct pcond *conds;    /* [[ShowIf]] tags in file order (qn_cond.c) */
	size_t nconds, capconds;
};

/* One [[Name:value]] line as the scanner split it. */
struct tag {
	const char *name;  /* points into the line */
	size_t namelen;
	const char *arg;   /* NULL when the tag has no ':' */
	size_t arglen;
	int col;           /* column of the tag's "[[" */
	int name_col;
	int arg_col;
	int line;
	const char *linestart;
};

#define ERR(c, line, col, hint, ...) koe_diags_add((c)->d, (line), (col), (hint), __VA_ARGS__)

/* ---- helpers (qn.c) ---- */

/* Makes room for element n of an arena array of *cap elements of size bytes;
 * returns the (possibly moved) array, or NULL with c->oom set. */
void *qn_grow(struct ctx *c, void *v, size_t *cap, size_t n, size_t size);
/* An arena copy of s[0..len), or NULL with c->oom set. */
char *qn_dup(struct ctx *c, const char *s, size_t len);
/* ASCII case-insensitive comparison of a[0..alen) with the string b. */
bool qn_ieq(const char *a, size_t alen, const char *b);
/* Drops ASCII whitespace from both ends of *s / *len. */
void qn_trim(const char **s, size_t *len);
/* Parses a whole decimal integer in [lo, hi]; false otherwise. */
bool qn_parse_int(const char *s, size_t len, long lo, long hi, long *out);
/* The answer key of a question id as written (docs/ARCHITECTURE.md §5):
 * into out (cap bytes), each run of characters other than ASCII letters,
 * digits, '-' and '_' as one '_'. Returns its length, 0 when it does not fit. */
size_t qn_id_key(const char *s, size_t len, char *out, size_t cap);
/* [a-z0-9_-]{1,64}, also A-Z when allow_upper. */
bool qn_valid_id(const char *s, size_t len, bool allow_upper);

/* ---- tags (qn_scan.c) ---- */

/* 1-based character column of p, a pointer into t's line. */
int qn_col_of(const struct tag *t, const char *p);
/* Requires a non-empty argument; reports (with example) and returns false
 * otherwise. */
bool qn_need_arg(struct ctx *c, const struct tag *t, const char *example);

/* [[Question:TYPE:OPTION...]] (qn_qtype.c): starts a question. */
void qn_tag_question(struct ctx *c, const struct tag *t);

/* ---- HTML (qn_html.c) ---- */

/* Sanitizes raw text (qn_html_sanitize) and warns about what was removed at
 * its line and column (pos, or line:col for a one-line text when pos is
 * NULL). NULL with c->oom set when memory ran out. */
const char *qn_text_html(struct ctx *c, const char *raw, size_t len, const struct tlines *pos,
                         int line, int col);

/* [[ShowIf:condition | label]] (qn_cond.c): a display condition on the
 * current question, or on the current block before its first question. */
void qn_tag_showif(struct ctx *c, const struct tag *t);
/* Pass two's last step (qn_cond.c): compiles every [[ShowIf]] against the
 * questions and items and checks what it refers to. */
void qn_conds_finish(struct ctx *c);
/* Reports a compiled [[ShowIf]] that no answers can make true, taking into
 * account that the questions it tests may be hidden themselves
 * (qn_cond_sat.c). */
void qn_cond_check_reachable(struct ctx *c, const struct pcond *pc);

/* ---- the two passes ---- */

/* Pass one (qn_scan.c): reads the lines of a checked UTF-8 text into c. */
void qn_scan(struct ctx *c, const char *buf, size_t len);
/* Pass two (qn_validate.c): checks meaning and fills c->s; filename gives
 * the default survey id and may be NULL. */
void qn_validate(struct ctx *c, const char *filename);

#endif
