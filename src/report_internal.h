/* koe — the computed report shared by report.c (figures), report_json.c and
 * report_pdf*.c (layout). Not part of the public interface.
 *
 * Ownership: struct report owns its arrays and, through its arena, every
 * label; the strings marked "borrowed" belong to the report_source and live
 * as long as it does. The writers only read a report. */
#ifndef KOE_REPORT_INTERNAL_H
#define KOE_REPORT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "koe/arena.h"
#include "koe/report.h"
#include "koe/stats.h"

#define REPORT_NCONCERNS 3
#define REPORT_MAX_DIMS 8
#define REPORT_NFINDINGS 3
/* Fewer respondents than this: no ▲ ▼, hot spot or named difference (a
 * group of 5–9 moves in 10–20-point steps). */
#define REPORT_MIN_COMPARE 10
/* A difference between margins is named from this many points up. */
#define REPORT_MIN_GAP 0.10

/* The three roles of page 1, in this order. */
enum report_role { REPORT_SUPPORT, REPORT_REJOIN, REPORT_MORALE, REPORT_NROLES };

/* The groups sharing one value of one breakdown dimension (営業部 over every
 * tenure band), with the pooled shares of each role's scale
 * (include/koe/dc.h rule 5 decides pool[].shown). */
struct report_margin {
	size_t dim;
	const char *value;        /* the dimension's value; "*" for merged */
	long rank;                /* natural order within the dimension */
	struct stats_pooled pool[REPORT_NROLES];
};

/* One difference page 1 states: a margin that stands out from the other
 * shown margins of its dimension. */
struct report_finding {
	enum report_role role;
	size_t dim;
	size_t margin;            /* index into margins */
	bool high;                /* above the others (else below) */
	double share;             /* the role's share in the margin */
	double others_lo, others_hi; /* range of the other shown margins */
	double gap;               /* distance to the nearest other */
	size_t nothers;
};

/* One answer option of a choice question and its share. */
struct report_option {
	int value;                /* the recode answers carry */
	const char *label;        /* plain text in the report language */
	struct stats_prop share;  /* of the respondents who answered */
};

/* A single- or multiple-answer question outside any scale. */
struct report_choice {
	size_t item;              /* index into survey->items */
	bool multi;
	bool shown;               /* answered by at least k people */
	size_t n;                 /* respondents who answered; 0 when hidden */
	bool fpc;                 /* shares carry the finite-population correction */
	struct report_option *opts;
	size_t nopts;
};

/* Who a question was asked of ([[ShowIf]], docs/ARCHITECTURE.md §8.8). */
struct report_asked {
	const char *label;        /* NULL: asked of everyone */
	size_t n;                 /* respondents it was shown to; 0 when hidden */
	bool shown;               /* n may be released (include/koe/dc.h rule 1
	                             over asked / not asked) */
};

struct report_comment {
	size_t item;              /* the free-text item */
	const char *text;         /* borrowed from the response table */
	const char *norm;         /* text as compared for grouping (arena) */
	size_t group;             /* index into segs */
	const char *segment;      /* the label the comment may carry (its group's, or a
	                             coarser one, include/koe/dc.h rule 4), or NULL */
	const char *display;      /* segment as people read it, or NULL */
	uint8_t key[16];          /* the shuffle key the order is sorted by */
	/* Identical and near-identical comments (same item, README
	 * "Comments") are printed once with their count, where the first of
	 * them falls in the printed order. Runs and clusters are named by the
	 * canonical index of their first comment. */
	size_t run;               /* the run of identical normalized texts */
	size_t cluster;           /* the runs joined as near-identical */
	const char *cluster_text; /* the cluster's most frequent text (borrowed) */
	size_t count;             /* on the first printed of its cluster: the
	                             cluster's size; 0 on the others */
	size_t variants;          /* on the first: how many different texts */
	const char *run_segment;  /* on the first: the label every comment of the
	                             run carries, or NULL when they differ */
	const char *run_display;  /* the same as people read it */
};

/* An HR-defined comment theme ([[Theme]]) and how many comments mention it. */
struct report_theme {
	const char *name;         /* borrowed from the survey */
	struct stats_prop share;  /* comments with a keyword, of all comments */
	long quotes[2];           /* indices into comments (printed first of a
	                             run) quoting it, or -1 */
};

struct report_segment {
	const char *code, *label; /* borrowed from the source */
	const char *display;      /* label for people: "*" written as （統合）/ (merged) */
	int64_t invited;
	size_t responded;         /* as released: exact, or rounded down to a
	                             multiple of k in an interim report */
	char responded_text[32];  /* the same as people read it ("10+") */
	bool shown;               /* respondents ≥ k after complementary suppression */
	struct stats_prop rate;   /* responded of invited; status NO_DATA when
	                             hidden or not computable */
};

struct report {
	const struct qn_survey *s;
	const struct db_survey *rec;
	const struct seal_holder *holders;
	size_t nholders;
	struct report_options opt;
	bool en;                  /* English report (survey language "en") */
	struct arena arena;       /* plain-text labels */
	struct stats_report *st;
	size_t nresp;

	/* The statistics see only Likert and NPS items, in item order. */
	size_t nstats;
	size_t *stats_to_item;    /* nstats: index into survey->items */
	long *item_to_stats;      /* survey->nitems: stats index or -1 */
	struct stats_item_meta *meta;

	const char **item_label;     /* survey->nitems: Matrix row or question */
	const char **question_label; /* survey->nquestions */
	const char **scale_label;    /* survey->nscales */
	const char ***point_label;   /* survey->nscales: npoints answer texts */
	const char ***answer_label;  /* survey->nquestions: a Matrix's answer
	                                texts (nanswers), else NULL */

	struct stats_prop response;  /* responded (as released) of invited */
	bool rounded;                /* interim: counts rounded down to steps of k,
	                                and no answer figure at all (dc.h rule 3) */
	size_t nresp_shown;          /* nresp as released */
	char nresp_text[32];         /* the same as people read it */
	size_t min_comments;         /* [[MinGroupComments]] */

	struct report_segment *segs; /* the statistics' groups, code order */
	size_t *seg_order;           /* nsegs: indices in natural label order */
	size_t nsegs;
	size_t nhidden_segs;

	long enps;                   /* stats index of the eNPS item, or -1 */
	size_t concerns[REPORT_NCONCERNS]; /* stats indices, biggest first */
	size_t nconcerns;

	struct report_choice *choices;
	size_t nchoices;

	/* Page 1 (report_findings.c): the scale of each role or -1, its
	 * direct item (stats index of the first non-reverse item) or -1. */
	int role_scale[REPORT_NROLES];
	long direct[REPORT_NROLES];
	size_t ndims;
	const char *dim_name[REPORT_MAX_DIMS]; /* as people read it */
	const char *dim_key[REPORT_MAX_DIMS];  /* roster column */
	struct report_margin *margins;          /* by dimension, natural order */
	size_t nmargins;
	struct report_finding findings[REPORT_NFINDINGS]; /* biggest gap first */
	/* nscales × nsegs, [s * nsegs + g]: pooled shares of each group, shown
	 * only when the group's scale figure and every item of the scale are
	 * shown for it (then it follows from released figures). */
	struct stats_pooled *seg_pool;
	/* The response-rate check: each role's pooled share post-stratified to
	 * the invited headcounts (README, "Who answered"); NaN when not
	 * computable. */
	double reweighted[REPORT_NROLES];
	size_t nfindings;

	struct report_asked *asked;  /* survey->nquestions */

	bool comments_shown;         /* the company reaches k */
	struct report_comment *comments; /* printed order */
	size_t ncomments;
	struct report_theme *themes;     /* survey->nthemes, when comments shown */
	size_t nthemes;

	struct report_cmp *cmp;      /* changes since an earlier survey, or NULL
	                                (report_compare; owned) */
};

/* Frees a comparison (report_compare_match.c). Accepts NULL. */
struct report_cmp;
void report_cmp_free(struct report_cmp *c);

/* Page 1's figures: pooled role shares' margins over each dimension and
 * the differences to state. Called by report_compute for a final report. */
enum koe_err report_findings(struct report *r);

/* The comments in their printed order, grouped, and HR's themes
 * (report_comments.c). */
enum koe_err report_make_comments(struct report *r, const struct resp_table *t);

/* A group label as people read it ("*" parts as merged); NULL when memory
 * runs out. */
const char *report_display_label(struct report *r, const char *label);

/* Who each conditioned question was asked of, from the opened answers
 * (report_asked.c). */
enum koe_err report_asked_compute(struct report *r, const struct resp_table *t);

/* The audience line of question q ("対象: … n = 37"), or NULL for a
 * question asked of everyone. Written into buf (cap bytes). */
const char *report_asked_line(const struct report *r, size_t q, char *buf, size_t cap);

/* The question every item of scale si comes from when they share one
 * audience, else -1 (report_asked.c). */
long report_scale_asked(const struct report *r, size_t si);

/* Whether scale s has an item asked of some people only ([[ShowIf]]):
 * its intervals take no finite-population correction. */
bool report_scale_conditioned(const struct report *r, size_t s);

/* The share a role is read by: favorable, or unfavorable for morale. */
double report_role_share(enum report_role role, const struct stats_pooled *p);

/* Picks the report language's variant of a pair of strings. */
#define REPORT_TR(r, ja, en_) ((r)->en ? (en_) : (ja))

/* Whether a figure with this status can be printed. */
static inline bool
report_prop_ok(const struct stats_prop *p)
{
	return p->status == STATS_OK && p->n > 0;
}

#endif
