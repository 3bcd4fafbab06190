/* koe — comparing a report with an earlier survey's (README, "Comparing
 * with an earlier survey"), shared by report_compare.c (reading, matching,
 * the JSON section) and report_pdf_compare.c (the pages). Not part of the
 * public interface.
 *
 * Both waves are read from the figures their reports released: the
 * previous one from its --json file, this one from the JSON this report
 * writes. So a change is a function of two released reports and nothing
 * else; a figure either report hid (null, "shown": false) is never an
 * operand (include/koe/dc.h, docs/ARCHITECTURE.md §7).
 *
 * Ownership: a struct cmp_set owns its figures and, through its arena,
 * every string; a struct report_cmp owns both sets, its changes and its
 * list of what could not be matched. The report owns its report_cmp. */
#ifndef KOE_REPORT_COMPARE_INTERNAL_H
#define KOE_REPORT_COMPARE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "koe/arena.h"
#include "koe/stats.h"

/* Bounds on what a previous report may hold. */
#define CMP_MAX_FIGURES 200000
#define CMP_MAX_STRING 8192
#define CMP_MAX_GROUPS 10000
#define CMP_MAX_COUNT 1000000000.0
#define CMP_NTOP 3

enum cmp_unit { CMP_SHARE, CMP_MEAN, CMP_NPS };

/* What a figure describes. */
enum cmp_thing {
	CMP_RATE,          /* the response rate */
	CMP_ROLE,          /* a role's pooled share (page 1's cards) */
	CMP_SCALE,         /* a scale's score: favorable share, mean */
	CMP_ITEM,          /* a Likert item (favorable, mean) or an NPS item */
	CMP_CHOICE,        /* one option of a choice question */
	CMP_GROUP_RATE,    /* a group's response rate */
	CMP_GROUP_SCALE,   /* a group's pooled share of a scale (heatmap cell) */
	CMP_NTHINGS
};

/* One figure of one wave. Strings live in the set's arena. */
struct cmp_fig {
	enum cmp_thing thing;
	const char *name;     /* role key, scale name, item or choice key; or NULL */
	const char *segment;  /* group label for the group figures, else NULL */
	const char *figure;   /* "rate", "favorable", "unfavorable", "mean", "nps", "share" */
	bool has_option;
	long long option;     /* a choice option's value */
	const char *compat;   /* must be equal in both waves to compare: a role's
	                         scale, an item's kind; or NULL */
	int npoints;          /* scale points (0: not applicable) */
	int reverse;          /* an item's reverse coding, or -1 */
	const char *label;    /* as printed: scale, item, question text */
	const char *sublabel; /* an option's text, or NULL */
	enum cmp_unit unit;
	bool shown;           /* false: hidden (null) in this wave */
	size_t n;             /* people (respondents, or invited for a rate) */
	double v;             /* share (fraction), mean or NPS */
	double sd;            /* means */
	double pro, det;      /* NPS: promoter and detractor shares */
};

struct cmp_group {
	const char *label;
	bool shown;
};

struct cmp_set {
	struct arena arena;
	const char *id, *title, *date;
	struct cmp_fig *f;
	size_t n, cap;
	struct cmp_group *g;
	size_t ng, gcap;
};

/* One matched figure and its change. */
struct cmp_change {
	const struct cmp_fig *cur, *prev; /* into report_cmp's sets */
	struct stats_change ch;
};

/* Why a figure has no change. */
enum cmp_reason {
	CMP_ONLY_NOW,         /* not in the previous report */
	CMP_ONLY_BEFORE,      /* not in this report */
	CMP_HIDDEN_BEFORE,    /* hidden in the previous report */
	CMP_HIDDEN_NOW,       /* hidden in this report */
	CMP_DIFFERENT,        /* scale points, reverse coding, kind or scale differ */
	CMP_NREASONS
};

struct cmp_unmatched {
	enum cmp_thing thing;
	const char *name, *segment, *label; /* as in struct cmp_fig, borrowed */
	bool group;                         /* the whole group named segment */
	enum cmp_reason reason;
};

struct report_cmp {
	struct cmp_set prev, cur;
	struct cmp_change *ch;     /* in this report's order */
	size_t nch;
	size_t top[CMP_NTOP];      /* indices into ch: the largest changes */
	size_t ntop;
	struct cmp_unmatched *um;
	size_t num;
};

/* A previous report's figures, read (include/koe/report.h). */
struct report_prev {
	struct cmp_set set;
};

/* Reads the figures of one report's JSON. text (len bytes) is borrowed;
 * name names it in messages. On failure msg says "NAME: error: PATH:
 * what is wrong" and *set holds nothing (cmp_set_free is still safe). */
enum koe_err cmp_set_read(const char *text, size_t len, const char *name,
                          struct cmp_set *set, struct koe_msg *msg);
void cmp_set_free(struct cmp_set *set);

/* The change of one figure in points for ranking and sentences: percentage
 * points for shares, NPS points; means are not ranked (NaN). */
double cmp_points(const struct cmp_change *c);

/* The compare section of the report JSON; NULL when out of memory. */
struct json_t;
struct json_t *cmp_json(const struct report_cmp *c);

#endif
