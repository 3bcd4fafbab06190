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
	struct report_option *opts;
	size_t nopts;
};

struct report_comment {
	size_t item;              /* the free-text item */
	const char *text;         /* borrowed from the response table */
	size_t group;             /* index into segs */
	const char *segment;      /* the label the comment may carry (its group's, or a
	                             coarser one, include/koe/dc.h rule 4), or NULL */
	const char *display;      /* segment as people read it, or NULL */
	uint8_t key[16];          /* the shuffle key the order is sorted by */
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
	size_t nsegs;
	size_t nhidden_segs;

	long enps;                   /* stats index of the eNPS item, or -1 */
	size_t concerns[REPORT_NCONCERNS]; /* stats indices, biggest first */
	size_t nconcerns;

	struct report_choice *choices;
	size_t nchoices;

	bool comments_shown;         /* the company reaches k */
	struct report_comment *comments; /* printed order */
	size_t ncomments;
};

/* Picks the report language's variant of a pair of strings. */
#define REPORT_TR(r, ja, en_) ((r)->en ? (en_) : (ja))

/* Whether a figure with this status can be printed. */
static inline bool
report_prop_ok(const struct stats_prop *p)
{
	return p->status == STATS_OK && p->n > 0;
}

#endif
